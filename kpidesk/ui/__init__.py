"""Everything Qt: the composition root, pages, dialogs, item models and widgets."""
