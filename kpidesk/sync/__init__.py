"""The sync client: talks to the team server, applies replies, keeps credentials in the keyring."""
