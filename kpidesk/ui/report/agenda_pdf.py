"""Lay the 1:1 agenda out on A4 (the review report's page cursor and black-and-white style)."""

from __future__ import annotations

from pathlib import Path

from kpidesk.presentation import DASH, Formatter, _, pgettext
from kpidesk.presentation.coaching import CoachingWords
from kpidesk.presentation.labels import label
from kpidesk.presentation.periods import kind_label
from kpidesk.services.one_on_one import OneOnOneAgenda
from kpidesk.ui.report.pdf import _Pages, open_a4

LINE_WIDTHS = [0.3, 0.22, 0.48]
OFFER_WIDTHS = [0.26, 0.12, 0.11, 0.11, 0.08, 0.16, 0.16]
HOT_WIDTHS = [0.44, 0.2, 0.18, 0.18]


def agenda_period(agenda: OneOnOneAgenda, fmt: Formatter) -> str:
    span = agenda.rep.period
    last = span.end_day.fromordinal(span.end_day.toordinal() - 1)
    return f"{kind_label(span.kind)} · {fmt.day_range(span.first_day, last)}"


def write_agenda_pdf(agenda: OneOnOneAgenda, path: Path, fmt: Formatter | None = None) -> int:
    """Write the 1:1 agenda to ``path``; returns the number of pages (needs a QGuiApplication)."""
    fmt = fmt or Formatter()
    words = CoachingWords(fmt)
    writer, painter = open_a4(path, _("1:1 agenda"))
    rep = agenda.rep
    period = agenda_period(agenda, fmt)
    try:
        pages = _Pages(writer, painter, f"{rep.rep_name} · {period}")
        pages.text(_("1:1 agenda: {rep}").format(rep=rep.rep_name), 16, bold=True)
        pages.text(
            _("{period} · numbers from the team server, {when}; only what {rep} shares.").format(
                period=period, when=fmt.datetime(agenda.made_at), rep=rep.rep_name
            ),
            9,
        )
        _section(pages, _("The pipeline's quality"))
        for line in words.lines(rep):
            # A value of several parts (by temperature, the activities) gets a row per part.
            parts = line.value.split(" · ")
            pages.row([line.label, parts[0], line.detail], LINE_WIDTHS)
            for part in parts[1:]:
                pages.row(["", part, ""], LINE_WIDTHS)
        _section(pages, _("Offers worth discussing"))
        if agenda.worth_discussing:
            pages.row(
                [_("Account"), _("Offer"), _("Amount"), _("Weighted"), _("Age"),
                 _("Last follow-up"), _("Next step")],
                OFFER_WIDTHS, bold=True, rule=True,
            )  # fmt: skip
            for o in agenda.worth_discussing:
                pages.row(
                    [o.account_name + (" · " + _("stale") if o.stale else ""), o.label,
                     words.money(o.amount_cents), words.money(o.weighted_cents),
                     _("{n} d").format(n=o.age_days),
                     fmt.date(o.last_follow_up_at) if o.last_follow_up_at
                     else pgettext("follow-up", "none"),
                     fmt.date(o.next_step_at) if o.next_step_at else _("none planned")],
                    OFFER_WIDTHS,
                )  # fmt: skip
        else:
            pages.text(_("No open offer."), 9)
        _section(pages, _("Hot prospects with no next step"))
        if agenda.hot_without_step:
            pages.row([_("Account"), _("City"), _("Last contact"), _("Next step")], HOT_WIDTHS,
                      bold=True, rule=True)  # fmt: skip
            for h in agenda.hot_without_step:
                last = fmt.date(h.last_activity_at) if h.last_activity_at else _("none")
                pages.row([h.name, h.city or DASH, last, _("none planned")], HOT_WIDTHS)
        else:
            pages.text(_("Every hot prospect has a next step planned."), 9)
        _section(pages, _("Objectives and their pace"))
        objective_lines = words.objective_lines(rep)
        for line in objective_lines:
            pages.row([line.label, line.value, line.detail], LINE_WIDTHS)
        if not objective_lines:
            pages.text(_("No objective for this period."), 9)
        if agenda.proposals:
            _section(pages, _("Objective proposals"))
            for p in agenda.proposals:
                summary = words.proposal_summary(p.kpi_key, p.period_kind, p.target)
                pages.text(f"{summary} · {words.state(p.state)}", 9.5, bold=True, gap=0.5)
                for event in p.history:
                    step = _("{when}: {who} {did}").format(
                        when=fmt.date(event.at), who=event.author_name,
                        did=words.action(event.action),
                    )  # fmt: skip
                    if event.target is not None:
                        step += " — " + words.proposal_summary(
                            p.kpi_key, p.period_kind, event.target
                        )
                    if event.note:
                        step += " " + _("“{note}”").format(note=event.note)
                    pages.text(step, 8.5, gap=0.5)
        _section(pages, _("Follow-up evidence"))
        pages.text(
            _(
                "Offers followed up within 7 days: {rate}. Conversion by temperature: {split}."
            ).format(
                rate=words.rate(rep.follow_up_rate),
                split=", ".join(
                    f"{label(s.temperature)} {words.rate(s.rate)}"
                    for s in rep.conversion_by_temperature
                ),
            ),
            9,
        )
        return pages.number
    finally:
        painter.end()


def _section(pages: _Pages, title: str) -> None:
    pages.y += pages.mm(3)
    pages.text(title, 12, bold=True, gap=1)
