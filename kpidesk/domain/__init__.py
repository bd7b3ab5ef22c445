"""Pure logic: no Qt, no SQL, nothing else from the project."""
