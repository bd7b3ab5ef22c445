"""Everything Qt: the composition root, pages, dialogs, item models and widgets."""

from kpidesk.ui.pyside_imports import skip_source_reading

skip_source_reading()  # first: every module imported after Qt's would be read whole
