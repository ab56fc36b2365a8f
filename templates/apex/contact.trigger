/**
 * @description When {{ c.trigger_field }} becomes true on a Contact, hands
 * the Contact to {{ c.names.queueable }}, which {{ c.verb }}s its portal user in
 * a transaction of its own: this transaction has changed a Contact, so
 * updating a User here would fail with MIXED_DML_OPERATION. The trigger
 * passes its own context, typed to Contact here (in a class, Trigger.oldMap
 * would be a Map<Id, SObject>). Person accounts fire Account triggers, not
 * this one.
 * @group Portal Users
 */
trigger {{ c.names.trigger }} on Contact(after update) {
    {{ c.names.queueable }}.enqueueFlaggedContacts(Trigger.new, Trigger.oldMap);
}
