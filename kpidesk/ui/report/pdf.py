"""Lay the review report out on A4 pages with QPdfWriter and QPainter (vector text and charts).

Black and white by design: a rep prints it on the office laser printer. Every page carries the
rep's name and the period; QPdfWriter embeds the fonts it uses.
"""

from __future__ import annotations

import errno
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

from kpidesk.domain.kpis import GROUP_LABELS, Coverage, KpiGroup
from kpidesk.domain.suggestions import follow_up_evidence_message
from kpidesk.presentation import DASH, Formatter, _
from kpidesk.presentation.kpis import KpiDisplay, kpi_text
from kpidesk.presentation.labels import label, message_text
from kpidesk.presentation.periods import comparison_sentence, period_name, short_period_name
from kpidesk.services.report import HEADLINE, ReviewReport
from kpidesk.ui.report.chart import draw_history

DPI = 300
MARGIN_MM = 15
GREY = QColor("#555555")
LIGHT = QColor("#dddddd")


class _Pages:
    """A cursor down the page that starts a new page, with its header, when one is full."""

    def __init__(self, writer: QPdfWriter, painter: QPainter, running_head: str) -> None:
        self.writer, self.painter, self.head = writer, painter, running_head
        self.width = writer.width()
        self.bottom = writer.height() - self.mm(10)
        self.number = 1
        self._start_page()

    def mm(self, value: float) -> float:
        return value * DPI / 25.4

    def font(self, points: float, bold: bool = False) -> QFont:
        font = QFont("DejaVu Sans")
        font.setPointSizeF(points)
        font.setBold(bold)
        self.painter.setFont(font)
        return font

    def _start_page(self) -> None:
        p = self.painter
        self.font(8)
        p.setPen(GREY)
        box = QRectF(0, 0, self.width, self.mm(6))
        p.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.head)
        p.drawText(
            box,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            _("Page {n}").format(n=self.number),
        )
        p.drawLine(0, int(self.mm(6.5)), self.width, int(self.mm(6.5)))
        p.setPen(Qt.GlobalColor.black)
        self.y = self.mm(10)

    def need(self, height: float) -> None:
        if self.y + height > self.bottom:
            self.writer.newPage()
            self.number += 1
            self._start_page()

    def text(self, text: str, points: float = 10, bold: bool = False, gap: float = 1.5) -> None:
        self.font(points, bold)
        flags = Qt.TextFlag.TextWordWrap
        rect = self.painter.boundingRect(QRectF(0, 0, self.width, 10_000), flags, text)
        self.need(rect.height())
        self.painter.drawText(QRectF(0, self.y, self.width, rect.height()), flags, text)
        self.y += rect.height() + self.mm(gap)

    def _fit(self, text: str, width: float, points: float, bold: bool) -> None:
        """Shrink the font until ``text`` fits: a number is never cut, a long one is smaller."""
        size = points
        self.font(size, bold)
        while size > 5 and self.painter.fontMetrics().horizontalAdvance(text) > width:
            size -= 0.5
            self.font(size, bold)

    def row(self, cells: list[str], widths: list[float], points: float = 8.5,
            bold: bool = False, rule: bool = False) -> None:  # fmt: skip
        """One table row; widths are fractions of the page width, numbers align right."""
        self.font(points, bold)
        height = self.mm(5)
        self.need(height)
        x = 0.0
        for i, (cell, share) in enumerate(zip(cells, widths, strict=True)):
            w = share * self.width
            align = Qt.AlignmentFlag.AlignLeft if i == 0 else Qt.AlignmentFlag.AlignRight
            box = QRectF(x + self.mm(0.8), self.y, w - self.mm(1.6), height)
            self._fit(cell, box.width(), points, bold)
            self.painter.drawText(box, align | Qt.AlignmentFlag.AlignVCenter, cell)
            x += w
        self.y += height
        if rule:
            self.painter.setPen(QPen(GREY, 2))
            self.painter.drawLine(0, int(self.y), self.width, int(self.y))
            self.painter.setPen(Qt.GlobalColor.black)


def open_a4(path: Path, title: str) -> tuple[QPdfWriter, QPainter]:
    """An A4 portrait PDF at ``path`` and the painter on it (end the painter when done)."""
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle(title)
    writer.setCreator("kpidesk")
    painter = QPainter(writer)
    if not painter.isActive():  # QPdfWriter says nothing when it cannot create the file
        raise OSError(errno.EACCES, "cannot create the file", str(path))
    return writer, painter


def write_review_pdf(review: ReviewReport, path: Path, fmt: Formatter | None = None) -> int:
    """Write ``review`` to ``path`` as an A4 PDF; returns the number of pages.

    Needs a QGuiApplication (offscreen is enough): the caller makes one.
    """
    fmt = fmt or Formatter(tz=review.period.tz)
    display = KpiDisplay(fmt, review.kpis.currency)
    writer, painter = open_a4(path, _("Review report"))
    name = period_name(review.period, fmt)
    rep = review.rep_name or DASH
    try:
        pages = _Pages(writer, painter, f"{rep} · {name}")
        _indicators(pages, review, display, fmt)
        _charts(pages, review, display, fmt)
        _lists(pages, review, display, fmt)
        return pages.number
    finally:
        painter.end()


INDICATOR_WIDTHS = [0.16, 0.1, 0.08, 0.11, 0.1, 0.14, 0.09, 0.13, 0.09]
# The objective column: where the rep stands, in one mark (explained under the table).
PACE_MARKS = {
    "ahead": "▲",
    "on_pace": "=",
    "behind": "▼",
    "too_early": "…",
    "reached": "✓",
    "missed": "✗",
}


def _indicators(pages: _Pages, review: ReviewReport, display: KpiDisplay, fmt: Formatter) -> None:
    report = review.kpis
    pages.text(_("Review report"), 18, bold=True, gap=1)
    days = fmt.day_range(review.period.first_day, review.period.last_day)
    pages.text(f"{review.rep_name or DASH} · {period_name(review.period, fmt)} ({days})", 11)
    pages.text(comparison_sentence(report.previous_period, report.year_ago_period, fmt), 9)
    if report.is_partial:
        pages.text(_("Still running: read at {time}.").format(time=fmt.datetime(report.as_of)), 9)
    header = [_("Indicator"), _("This period"), "n", _("95% interval"), _("Previous"),
              _("Trend"), _("Year ago"), _("Trend"), _("Objective")]  # fmt: skip
    pages.row(header, INDICATOR_WIDTHS, 7.5, bold=True, rule=True)
    for group in KpiGroup:
        pages.y += pages.mm(1.5)
        pages.row([_(GROUP_LABELS[group])] + [""] * 8, INDICATOR_WIDTHS, 9, bold=True)
        for result in report.group(group):
            rate = result.current.rate
            interval = ""
            if rate is not None and rate.low is not None and rate.high is not None:
                interval = f"{fmt.percent(rate.low)} – {fmt.percent(rate.high)}"
            trends = [
                display.trend(result.definition, t) if t is not None else ""
                for t in (result.vs_previous, result.vs_year_ago)
            ]
            objective = ""
            if result.objective is not None:
                objective = display.value(result.definition, result.objective.target)
                if result.objective.pace is not None:
                    objective += " " + PACE_MARKS[result.objective.pace.value]
            pages.row(
                [
                    kpi_text(result.definition.label),
                    display.value(result.definition, result.current.value),
                    display.fraction(rate) or _known_of(result.current.coverage),
                    interval,
                    display.value(result.definition, result.previous.value),
                    trends[0],
                    display.value(result.definition, result.year_ago.value),
                    trends[1],
                    objective,
                ],
                INDICATOR_WIDTHS,
                7.5,
            )
    pages.y += pages.mm(2)
    pages.text(_("Each trend compares with the value before it. Objective: target, ▲ ahead of "
                 "pace, = on pace, ▼ behind, … too early to judge, ✓ reached, ✗ missed."),
               7.5)  # fmt: skip
    margin = report["margin"].current
    if margin.coverage is not None:  # the "n" column says 42 / 68: which offers, in words
        pages.text(_("Margin and margin rate: computed on the offers won with a margin entered, "
                     "{coverage}.").format(coverage=display.coverage(margin)), 7.5)  # fmt: skip
    for result in report:
        if result.objective is not None:
            # Through the catalogue: French puts a space before the colon.
            line = _("{indicator}: {pace}").format(indicator=kpi_text(result.definition.label),
                                                   pace=display.pace(result.definition,
                                                                     result.objective))  # fmt: skip
            pages.text(line, 8, gap=0.5)


def _known_of(coverage: Coverage | None) -> str:
    return f"{coverage.known} / {coverage.total}" if coverage is not None else ""


def _charts(pages: _Pages, review: ReviewReport, display: KpiDisplay, fmt: Formatter) -> None:
    pages.writer.newPage()
    pages.number += 1
    pages._start_page()
    pages.text(_("The last {n} periods").format(n=len(review.history[HEADLINE[0]])), 14, True)
    cell_w, cell_h = pages.width / 2, pages.mm(105)
    for i, key in enumerate(HEADLINE):
        points = review.history[key]
        result = review.kpis[key]
        x = (i % 2) * cell_w
        y = pages.y + (i // 2) * cell_h
        labels = [short_period_name(p.period, fmt) for p in points]
        values = [p.value.value for p in points]
        shown = [display.value(result.definition, v) for v in values]
        draw_history(
            pages.painter,
            QRectF(x + pages.mm(2), y, cell_w - pages.mm(6), cell_h - pages.mm(8)),
            kpi_text(result.definition.label),
            labels,
            values,
            shown,
            pages.mm,
        )
    pages.y += 2 * cell_h


HOT_WIDTHS = [0.4, 0.2, 0.2, 0.2]
STALE_WIDTHS = [0.34, 0.16, 0.18, 0.16, 0.16]


def _lists(pages: _Pages, review: ReviewReport, display: KpiDisplay, fmt: Formatter) -> None:
    pages.writer.newPage()
    pages.number += 1
    pages._start_page()
    pages.text(_("Closest to closing"), 14, bold=True)
    pages.row([_("Account"), _("Offer"), _("Amount"), _("Weighted")], HOT_WIDTHS, bold=True,
              rule=True)  # fmt: skip
    for item in review.hot:
        offer = item.offer
        pages.row(
            [
                f"{item.account_name} ({label(item.temperature)})",
                offer.reference if offer else _("no offer yet"),
                fmt.money(offer.amount_cents, offer.currency) if offer else "",
                fmt.money(item.weighted_cents, offer.currency) if offer else "",
            ],
            HOT_WIDTHS,
        )
    if not review.hot:
        pages.text(_("no open offer"), 9)
    pages.y += pages.mm(4)
    stale = review.kpis["stale_offers"]
    pages.text(
        _("Stale offers: {n}").format(n=display.value(stale.definition, stale.current.value)),
        14,
        bold=True,
    )
    pages.row([_("Account"), _("Offer"), _("Amount"), _("Sent"), _("Last contact")],
              STALE_WIDTHS, bold=True, rule=True)  # fmt: skip
    for offer in review.stale:
        pages.row(
            [
                offer.account_name or "",
                offer.reference,
                fmt.money(offer.amount_cents, offer.currency),
                fmt.date(offer.sent_at),
                fmt.date(offer.last_activity_at) if offer.last_activity_at else DASH,
            ],
            STALE_WIDTHS,
        )
    more = (stale.current.value or 0) - len(review.stale)
    if more > 0:
        pages.text(_("… and {n} more, the most recent.").format(n=fmt.number(more)), 8)
    pages.y += pages.mm(4)
    pages.text(_("Does following up pay? Your own history"), 14, bold=True)
    message, _general = follow_up_evidence_message(review.evidence, review.min_group)
    pages.text(message_text(message, fmt), 10)
