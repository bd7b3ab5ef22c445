"""The sync wire format (SYNC.md): one ``POST /v1/sync`` does push and pull in one round trip.

These pydantic models are the contract between the laptop (kpidesk.sync) and the team server
(kpidesk.server). Field values travel as JSON: instants as ISO 8601 UTC text with a ``Z``
(``kpidesk.domain.timeutil.to_wire``), enums as their value, money as integer cents.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypedDict

from kpidesk.protocol.auth import Profile

SYNC_PATH = "/v1/sync"
SyncedTable = Literal["account", "contact", "activity", "offer", "objective"]

# Limits the server enforces (and the client respects) so one request stays small and quick.
MAX_MUTATIONS_PER_REQUEST = 1000
MAX_CHANGES_PER_RESPONSE = 10_000
DEFAULT_CHANGES_PER_RESPONSE = 5000

UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
HLC_PATTERN = r"^\d{13}-[0-9a-f]{4}-[0-9a-z-]{1,64}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FieldWrite(_Strict):
    v: Any = Field(description="the new value")
    hlc: str = Field(pattern=HLC_PATTERN, description="hybrid logical clock of the write")


class Mutation(_Strict):
    """One local change of one row, as recorded in the device's outbox."""

    mid: int = Field(ge=1, description="per-device mutation id, +1 for each mutation")
    table: SyncedTable
    id: str = Field(pattern=UUID_PATTERN)
    cl: int = Field(ge=1, description="causal length: odd alive, even deleted")
    base: int = Field(
        default=0, ge=0, description="the row's server_version this device had seen when writing"
    )
    fields: dict[str, FieldWrite] = Field(default_factory=dict)


class SyncRequest(_Strict):
    device_id: str = Field(pattern=UUID_PATTERN)
    cursor: int = Field(ge=0, description="the highest server_version this device has applied")
    mutations: list[Mutation] = Field(default_factory=list, max_length=MAX_MUTATIONS_PER_REQUEST)
    limit: int = Field(default=DEFAULT_CHANGES_PER_RESPONSE, ge=1, le=MAX_CHANGES_PER_RESPONSE)
    profile_etag: str | None = Field(
        default=None,
        max_length=64,
        description="the tag of the profile this device holds; the reply carries the profile "
        "only when the server's differs",
    )
    skip_own: bool = Field(
        default=False,
        description="leave out the rows whose latest version this device wrote and already "
        "holds (no echo of its own writes; the cursor still moves past them). A laptop asks "
        "for it except while it pulls everything again after a resync, when it must hear of "
        "every row it may keep; an older client does not send it and gets every row",
    )
    compact: bool = Field(
        default=False,
        description="send the rows as compact pages (``pages``: per table the column names "
        "once, then each row as an array) instead of one object per row in ``changes``; an "
        "older client does not send it and gets ``changes``",
    )
    purge_mark: bool = Field(
        default=False,
        description="add ``purged_before`` to the reply, so the laptop can purge its own "
        "tombstones the server has purged; an older client does not send it and never gets "
        "the key",
    )


class Change(TypedDict):
    """A row as the server holds it now, with the clocks of its fields. Null fields are left
    out of ``fields``: a field that is not there is null.

    A typed dict, not a model: a first sync brings tens of thousands, and building a model
    object for each took longer than parsing the whole reply (the checks are the same)."""

    __pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[misc]

    table: SyncedTable
    id: str
    cl: int
    server_version: int
    owner_id: str
    fields: dict[str, Any]
    clocks: dict[str, str]


class ChangePage(TypedDict):
    """Rows of one table in the compact form: ``columns`` names each position of every row
    (``id, owner_id, cl, server_version, clocks``, then business fields; a field with no
    column is null). Half the bytes of ``changes`` for a first sync, and the laptop checks a
    page in one pass (``kpidesk.records.wire.read_page``)."""

    __pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[misc]

    table: SyncedTable
    columns: list[str]
    rows: list[list[Any]]


class Conflict(_Strict):
    """A field this device wrote while another author had changed it since the device's base."""

    table: SyncedTable
    id: str
    field: str
    yours: Any
    theirs: Any
    their_author: str = Field(description="who wrote the other value (a user name)")
    kept: Literal["yours", "theirs"]
    server_version: int


class Rejected(_Strict):
    mid: int
    reason: str


class SyncResponse(_Strict):
    acked_mid: int = Field(description="every mutation with mid <= this is done with")
    changes: list[Change]
    pages: list[ChangePage] = Field(
        default_factory=list, description="the rows in the compact form, when asked for"
    )
    next_cursor: int
    has_more: bool
    server_hlc: str
    conflicts: list[Conflict] = Field(default_factory=list)
    rejected: list[Rejected] = Field(default_factory=list)
    resync: bool = Field(
        default=False,
        description="the cursor predates purged tombstones: pull everything again from 0",
    )
    profile: Profile | None = Field(
        default=None, description="the user's profile, when it differs from the device's tag"
    )
    profile_etag: str | None = Field(default=None, description="the tag of ``profile``")
    purged_before: int | None = Field(
        default=None,
        description="the highest server_version of a purged tombstone (asked with "
        "``purge_mark``): every tombstone up to it is gone, or will never be sent again",
    )

    def row_count(self) -> int:
        """How many rows the reply brings, in either form."""
        return len(self.changes) + sum(len(page["rows"]) for page in self.pages)


class SyncError(_Strict):
    """The ``detail`` of a refused sync (HTTP 409), e.g. a clock too far ahead."""

    code: Literal["clock_skew", "mutation_gap", "device_mismatch"]
    message: str
    expected_mid: int | None = None
