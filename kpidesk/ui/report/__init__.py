"""The review report as a PDF: Qt's PDF writer, offscreen, over content built without Qt
(``kpidesk.services.report``). ``kpidesk report`` and the Indicators page both call
:func:`write_review_pdf`."""

from kpidesk.ui.report.pdf import write_review_pdf

__all__ = ["write_review_pdf"]
