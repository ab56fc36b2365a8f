/**
 * @description When {{ c.trigger_field }} becomes true on a Contact, hands
 * the Contact to {{ c.names.queueable }}, which {{ c.verb }}s its portal user in
 * a transaction of its own: this transaction has changed a Contact, so
 * updating a User here would fail with MIXED_DML_OPERATION.
 * @group Portal Users
 */
trigger {{ c.names.trigger }} on Contact(after update) {
    {{ c.names.queueable }}.enqueueFlaggedContacts();
}
