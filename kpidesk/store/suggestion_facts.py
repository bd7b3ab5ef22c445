"""The facts the suggestion rules read, in a handful of indexed queries (one snapshot).

Instants are compared as the stored fixed-width text (``YYYY-MM-DD HH:MM:SS.ffffff``), which
sorts like time; ``_plus_days`` shifts such text by whole days without losing the fraction.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from kpidesk.domain.suggestions import (
    AccountActivity,
    FollowUpEvidence,
    OpenOffer,
    OverdueActivity,
    RecentWin,
    SuggestionFacts,
    SuggestionSettings,
)
from kpidesk.domain.vocabulary import ActivityKind
from kpidesk.store.meta import my_id
from kpidesk.store.next_step_facts import read_next_step_gaps


def _text(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _instant(text: str | None) -> datetime | None:
    if text is None:
        return None
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _plus_days(column: str, days: int) -> str:
    return f"(strftime('%Y-%m-%d %H:%M:%S', {column}, '+{days} days') || substr({column}, 20))"


def read_facts(conn: sa.Connection, now: datetime, settings: SuggestionSettings) -> SuggestionFacts:
    """The rep's own facts (``:me``): a colleague's prospect gone quiet is not mine to act on,
    and a colleague's follow-ups are not my evidence."""
    me = my_id(conn)

    def _rows(sql: str, **params: Any) -> list[Any]:
        return list(conn.execute(sa.text(sql), {"me": me, **params}))

    now_text = _text(now)
    window = settings.follow_up_window_days
    open_offers = [
        OpenOffer(r.id, r.account_id, r.account_name or "", r.reference, r.amount_cents,
                  r.currency, _instant(r.sent_at), _instant(r.last_follow_up), bool(r.planned),  # type: ignore[arg-type]
                  r.clocks)
        for r in _rows("""
            SELECT o.id, o.account_id, a.name AS account_name, o.reference, o.amount_cents,
                   o.currency, o.sent_at, o.clocks,
                   (SELECT max(f.done_at) FROM activity f
                     WHERE f.cl % 2 = 1 AND f.purpose = 'follow_up' AND f.done_at >= o.sent_at
                       AND f.owner_id = :me
                       AND (f.offer_id = o.id OR f.account_id = o.account_id)) AS last_follow_up,
                   -- One lookup per index: an OR of the two columns in one EXISTS had
                   -- SQLite build a set of rowids from both indexes for every offer (a
                   -- MULTI-INDEX OR), three times slower on the demo's 5 years.
                   EXISTS (SELECT 1 FROM activity p
                     WHERE p.account_id = o.account_id AND p.done_at IS NULL
                       AND p.due_at IS NOT NULL AND p.cl % 2 = 1 AND p.owner_id = :me)
                   OR EXISTS (SELECT 1 FROM activity p
                     WHERE p.offer_id = o.id AND p.done_at IS NULL
                       AND p.due_at IS NOT NULL AND p.cl % 2 = 1 AND p.owner_id = :me) AS planned
              FROM offer o LEFT JOIN account a ON a.id = o.account_id
             WHERE o.cl % 2 = 1 AND o.status = 'sent' AND o.sent_at IS NOT NULL
               AND o.owner_id = :me""")
    ]  # fmt: skip
    overdue = [
        OverdueActivity(r.id, r.account_id, r.account_name or "", ActivityKind(r.kind),
                        _instant(r.due_at), r.clocks)  # type: ignore[arg-type]
        for r in _rows("""
            SELECT t.id, t.account_id, a.name AS account_name, t.kind, t.due_at, t.clocks
              FROM activity t LEFT JOIN account a ON a.id = t.account_id
             WHERE t.cl % 2 = 1 AND t.done_at IS NULL AND t.due_at < :now
               AND t.owner_id = :me""", now=now_text)
    ]  # fmt: skip
    account_sql = """
        SELECT a.id, a.name, a.clocks,
               (SELECT max(t.done_at) FROM activity t
                 WHERE t.cl % 2 = 1 AND t.account_id = a.id AND t.done_at IS NOT NULL
                   AND t.owner_id = :me) AS last,
               EXISTS (SELECT 1 FROM activity p WHERE p.cl % 2 = 1 AND p.account_id = a.id
                         AND p.done_at IS NULL AND p.due_at IS NOT NULL
                         AND p.owner_id = :me) AS planned,
               (SELECT max(o.decided_at) FROM offer o WHERE o.cl % 2 = 1
                 AND o.account_id = a.id AND o.status = 'won' AND o.owner_id = :me) AS last_won
          FROM account a WHERE a.cl % 2 = 1 AND a.owner_id = :me AND {where}"""
    hot = [
        AccountActivity(r.id, r.name, _instant(r.last), bool(r.planned), _instant(r.last_won),
                        r.clocks)
        for r in _rows(account_sql.format(
            where="a.status = 'prospect' AND a.temperature = 'hot'"))
    ]  # fmt: skip
    # Only a client whose last win is a year old, give or take the warning, can be at risk
    # (``client_at_risk``): asking for a win in that span keeps this query to the clients
    # concerned instead of every client of the history; the rule still reads the last win.
    lapse = timedelta(days=365)
    clients = [
        AccountActivity(
            r.id, r.name, _instant(r.last), bool(r.planned), _instant(r.last_won), r.clocks
        )
        for r in _rows(
            account_sql.format(
                where="""a.status = 'client' AND a.id IN (
                SELECT w.account_id FROM offer w WHERE w.status = 'won'
                   AND w.decided_at >= :lapse_from AND w.decided_at <= :lapse_to
                   AND w.cl % 2 = 1 AND w.owner_id = :me)"""
            ),
            lapse_from=_text(now - lapse),
            lapse_to=_text(now - lapse + timedelta(days=settings.client_lapse_warning_days)),
        )
    ]
    recent_wins = [
        RecentWin(r.id, r.account_id, r.account_name or "", r.reference,
                  _instant(r.decided_at), bool(r.referral_since))  # type: ignore[arg-type]
        for r in _rows("""
            SELECT o.id, o.account_id, a.name AS account_name, o.reference, o.decided_at,
                   EXISTS (SELECT 1 FROM account r WHERE r.cl % 2 = 1
                             AND r.referred_by = o.account_id
                             AND r.created_at >= o.decided_at) AS referral_since
              FROM offer o LEFT JOIN account a ON a.id = o.account_id
             WHERE o.cl % 2 = 1 AND o.status = 'won' AND o.decided_at >= :since
               AND o.decided_at < :now AND o.owner_id = :me""",
            since=_text(now - timedelta(days=settings.referral_window_days)), now=now_text)
    ]  # fmt: skip
    evidence = _rows(f"""
        SELECT followed, sum(status = 'won') AS won, count(*) AS decided FROM (
          SELECT o.status, EXISTS (
                   SELECT 1 FROM activity f
                    WHERE f.cl % 2 = 1 AND f.purpose = 'follow_up' AND f.owner_id = :me
                      AND (f.offer_id = o.id OR f.account_id = o.account_id)
                      AND f.done_at >= o.sent_at AND f.done_at <= {_plus_days('o.sent_at', window)}
                 ) AS followed
            FROM offer o
           WHERE o.cl % 2 = 1 AND o.status IN ('won', 'lost', 'abandoned') AND o.owner_id = :me
             AND o.sent_at IS NOT NULL AND o.decided_at >= :since AND o.decided_at < :now)
        GROUP BY followed""", since=_text(now - timedelta(days=365)), now=now_text)  # fmt: skip
    groups = {bool(r.followed): (int(r.won), int(r.decided)) for r in evidence}
    followed, others = groups.get(True, (0, 0)), groups.get(False, (0, 0))
    # A new client: a first win in the last 12 months, i.e. a win then and none before (the
    # wins of the year, then one index search each, rather than every account's first win).
    new_clients = _rows("""
        SELECT a.source FROM account a
         WHERE a.cl % 2 = 1 AND a.id IN (
                 SELECT w.account_id FROM offer w
                  WHERE w.cl % 2 = 1 AND w.status = 'won' AND w.owner_id = :me
                    AND w.decided_at >= :since AND w.decided_at < :now)
           AND NOT EXISTS (
                 SELECT 1 FROM offer e
                  WHERE e.account_id = a.id AND e.status = 'won' AND e.decided_at < :since
                    AND e.cl % 2 = 1 AND e.owner_id = :me)""",
        since=_text(now - timedelta(days=365)), now=now_text)  # fmt: skip
    return SuggestionFacts(
        now=now,
        open_offers=open_offers,
        overdue=overdue,
        hot_prospects=hot,
        clients=clients,
        recent_wins=recent_wins,
        follow_up_evidence=FollowUpEvidence(*followed, *others),
        referral_clients=sum(1 for r in new_clients if r.source == "referral"),
        new_clients=len(new_clients),
        next_step_gaps=read_next_step_gaps(conn, me, now, settings.next_step_window_days),
    )
