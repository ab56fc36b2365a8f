trigger FlagTrigger on Contact(after update) {
    FlagHandler.flagged();
}
