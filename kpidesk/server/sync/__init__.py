"""The server side of SYNC.md: who sees what, merging mutations, reading changes."""
