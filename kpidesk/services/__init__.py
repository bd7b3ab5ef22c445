"""Use cases the UI and the CLI call; they return plain objects and know nothing of Qt."""
