"""The sync request as the server reads it: the protocol's models, with the integer bounds of
the columns that keep their numbers. Past them a value would fail in the database (a 500 on
one backend, accepted on the other); here it gets a 422 naming it, and nothing is applied.

The classes keep the protocol's names: the OpenAPI document describes the same contract.
"""

from __future__ import annotations

from pydantic import Field

from kpidesk.protocol import schemas as protocol
from kpidesk.server.sync.values import integer_range
from kpidesk.server.tables import Account, Device, table_of

# JSON's exact integers end at 2^53 - 1: past it a number may arrive as a float rounded up past
# the column's own bound (2^63 - 1 reads back as 2^63), so the documented bound is the smaller.
_JSON_SAFE = 2**53 - 1
_MAX_MID = min(integer_range(table_of(Device).c.last_mid.type)[1], _JSON_SAFE)
_MAX_VERSION = min(integer_range(table_of(Device).c.synced_to.type)[1], _JSON_SAFE)  # cursors
_MAX_CL = min(integer_range(table_of(Account).c.cl.type)[1], _JSON_SAFE)  # same type everywhere

_FIELDS = protocol.Mutation.model_fields


class Mutation(protocol.Mutation):
    mid: int = Field(ge=1, le=_MAX_MID, description=_FIELDS["mid"].description)
    cl: int = Field(ge=1, le=_MAX_CL, description=_FIELDS["cl"].description)
    base: int = Field(default=0, ge=0, le=_MAX_VERSION, description=_FIELDS["base"].description)


class SyncRequest(protocol.SyncRequest):
    cursor: int = Field(
        ge=0, le=_MAX_VERSION, description=protocol.SyncRequest.model_fields["cursor"].description
    )
    mutations: list[Mutation] = Field(  # type: ignore[assignment]
        default_factory=list, max_length=protocol.MAX_MUTATIONS_PER_REQUEST
    )
