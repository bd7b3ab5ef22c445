"""The manager as a coach (KPIS.md, "Team view"): ``GET /v1/coaching`` for the team pages and
"What my manager sees", and the objective proposals a manager and a rep agree on."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo, available_timezones

from fastapi import APIRouter, Header, HTTPException, Query, Response, status
from pydantic import ConfigDict

from kpidesk.domain.kpis.catalogue import KPI_KEYS
from kpidesk.domain.vocabulary import OBJECTIVE_PERIOD_KINDS
from kpidesk.protocol.coaching import CoachingReply, NewProposal, Proposal, ProposalAnswer
from kpidesk.server.auth import CurrentPrincipal, ServerContextDep
from kpidesk.server.coaching import proposals
from kpidesk.server.coaching.view import coaching_reply, etag_of, frame_of
from kpidesk.server.errors import InvalidError
from kpidesk.server.schemas import NoNul, document_no_nul, error_responses

log = logging.getLogger("kpidesk.server.coaching")
router = APIRouter(tags=["coaching"])

MAX_TIME_ZONE = 64
MAX_IF_NONE_MATCH = 1000
# In the API document, so that clients (and the schema fuzzer) know which names are known;
# the server itself asks zoneinfo, and names a refused one.
TIME_ZONES = sorted(available_timezones())


def _document_proposal(schema: dict[str, Any]) -> None:
    document_no_nul(schema)
    properties = schema["properties"]
    properties["kpi_key"]["enum"] = sorted(KPI_KEYS)
    properties["period_kind"] = {
        "type": "string",
        "enum": [kind.value for kind in OBJECTIVE_PERIOD_KINDS],
        "title": "Period Kind",
    }


class NewProposalIn(NoNul, NewProposal):
    """The protocol's body, with no NUL in its text (PostgreSQL could not store one); its
    document names the indicators and period kinds an objective may have."""

    model_config = ConfigDict(json_schema_extra=_document_proposal)


class ProposalAnswerIn(NoNul, ProposalAnswer):
    pass


def time_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ValueError, LookupError, OSError):
        raise InvalidError(
            f"unknown time zone {name!r}: give an IANA name such as 'Europe/Paris'"
        ) from None


@router.get(
    "/coaching",
    response_model=CoachingReply,
    responses={
        **error_responses(400, 401),
        304: {"description": "the reply would be the one tagged in If-None-Match"},
    },
)
def coaching(
    principal: CurrentPrincipal,
    context: ServerContextDep,
    tz: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_TIME_ZONE,
            description="the IANA time zone whose running month, quarter and year are shown",
            json_schema_extra={"enum": TIME_ZONES},
        ),
    ] = "UTC",
    if_none_match: Annotated[
        str | None,
        Header(max_length=MAX_IF_NONE_MATCH, description="the ETag of the reply the caller holds"),
    ] = None,
) -> Response:
    """The team pages of the teams I lead and my own part as my managers see it, for the
    running month, quarter and year, and the objective proposals I take part in.

    The tag names the reply's content, the fingerprint of what it was computed from and until
    when it holds (``"content.fingerprint.until_ms"``): while the fingerprint is the same and
    that moment has not come, a 304 is answered from a few small queries, without computing
    (``view.frame_of``, ``horizon.steady_until``)."""
    zone = time_zone(tz)
    now_ms = context.clock_ms()
    now = datetime.fromtimestamp(now_ms / 1000, UTC)
    held = _tags(if_none_match)
    with context.db.session() as session:
        frame = frame_of(session, principal.user_id, principal.role, zone)
        for tag in held:
            content, fingerprint, until = _parts(tag)
            if fingerprint == frame.fingerprint and now_ms < until:
                return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
        reply, steady = coaching_reply(session, principal.user_id, principal.role, zone, now, frame)
    data = reply.model_dump(mode="json")
    content = etag_of(data).strip('"')
    etag = f'"{content}.{frame.fingerprint}.{int(steady.timestamp() * 1000)}"'
    headers = {"ETag": etag}
    if "*" in held or any(_parts(tag)[0] == content for tag in held):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    body = json.dumps(data, separators=(",", ":"), allow_nan=False)
    return Response(body, media_type="application/json", headers=headers)


def _tags(if_none_match: str | None) -> set[str]:
    if if_none_match is None:
        return set()
    return {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}


def _parts(tag: str) -> tuple[str, str, int]:
    """(content, fingerprint, until in ms) of a tag this server made; a tag of another form
    (an older server's, or made up) matches nothing."""
    content, _, rest = tag.strip('"').partition(".")
    fingerprint, _, until = rest.partition(".")
    return content, fingerprint, int(until) if until.isdigit() else 0


@router.post(
    "/proposals",
    response_model=Proposal,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 403, 404, 413),
)
def propose(
    body: NewProposalIn, principal: CurrentPrincipal, context: ServerContextDep
) -> Proposal:
    """Propose an objective to a rep of a team I lead (as a manager or admin)."""
    if principal.role not in proposals.LEADING_ROLES:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, "only a manager or admin may propose an objective"
        )
    with context.db.session(write=True) as session:
        proposal = proposals.create(session, principal.user_id, principal.role, body)
    log.info(
        "%s proposed %s per %s to %s",
        principal.username, proposal.kpi_key, proposal.period_kind.value, proposal.rep_name,
    )  # fmt: skip
    return proposal


@router.post(
    "/proposals/{proposal_id}/answers",
    response_model=Proposal,
    responses=error_responses(400, 401, 404, 409, 413),
)
def answer_proposal(
    proposal_id: str, body: ProposalAnswerIn, principal: CurrentPrincipal, context: ServerContextDep
) -> Proposal:
    """Answer a proposal I take part in: accept, counter (with a target), withdraw (its
    manager) or decline (its rep)."""
    with context.db.session(write=True) as session:
        proposal = proposals.answer(session, principal.user_id, proposal_id, body)
    log.info("%s answered proposal %s: %s", principal.username, proposal_id, body.action.value)
    return proposal
