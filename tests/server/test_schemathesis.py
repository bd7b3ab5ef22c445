"""Property-based API testing: schemathesis generates requests from the served OpenAPI document
(valid and invalid ones) for every endpoint, as an admin and as a rep; every check schemathesis
has must pass: no 5xx, valid data accepted, invalid data refused, answers as documented.

A generated sync request gets the caller's own device and mids and clocks in order, so that it
reaches the merge of its mutations instead of being refused up front.

(schemathesis' lazy pytest fixture loader does not work with this pytest, so each operation's
strategy is driven by Hypothesis directly.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from kpidesk.domain.hlc import Hlc, wall_clock_ms
from kpidesk.server.db import Database
from kpidesk.server.devices import issue_token
from kpidesk.server.tables import User
from tests.server.conftest import People

EXAMPLES_PER_OPERATION_AND_MODE = 15


def _own_sync(body, device_id: str) -> None:
    """A valid sync body made to pass the checks before the merge: this device, mids from 1,
    clocks of now (generated ones are mostly far in the future: a clock-skew refusal)."""
    if not isinstance(body, dict) or not isinstance(body.get("mutations", []), list):
        return
    body["device_id"] = device_id
    stamp = Hlc(wall_clock_ms(), 0, device_id).encode()
    for mid, mutation in enumerate(body.get("mutations", []), start=1):
        mutation["mid"] = mid
        for write in mutation.get("fields", {}).values():
            write["hlc"] = stamp


def _fuzz(operation, mode: GenerationMode, token: Callable[[], tuple[str, str]],
          calls: Counter, statuses: Counter) -> None:  # fmt: skip
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION_AND_MODE,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        secret, device_id = token()
        if mode is GenerationMode.POSITIVE and operation.path == "/v1/sync":
            _own_sync(case.body, device_id)
        response = case.call_and_validate(headers={"Authorization": f"Bearer {secret}"})
        calls[operation.label] += 1
        statuses[response.status_code] += 1
        if operation.path == "/v1/sync" and response.status_code == 200:
            statuses["merged"] += response.json()["acked_mid"] > 0

    run()


@pytest.mark.proof("hostile")
def test_api_conforms_to_its_schema(app, db: Database, people: People, proof):
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 29
    calls: Counter[str] = Counter()
    statuses: Counter[int | str] = Counter()

    def token_of(user_id: str) -> Callable[[], tuple[str, str]]:
        def token() -> tuple[str, str]:
            # A fresh device and token for each case: a generated logout or revocation must
            # not turn every following case into a 401, and each device's mids start at 1.
            with db.session(write=True) as session:
                secret, device = issue_token(session, session.get(User, user_id), "fuzzer")
            return secret, device.id

        return token

    for caller in (people.admin, people.rep):
        for operation in operations:
            _fuzz(operation, GenerationMode.POSITIVE, token_of(caller.id), calls, statuses)
            if len(operation.body) or len(operation.path_parameters):  # else nothing is wrong
                _fuzz(operation, GenerationMode.NEGATIVE, token_of(caller.id), calls, statuses)
    assert len(calls) == len(operations)
    assert sum(calls.values()) >= 800, calls
    # The run reached past the front door: successes as well as refusals.
    assert statuses[200] and statuses[422] and statuses[404] and statuses[403], statuses
    assert statuses["merged"], statuses  # generated mutations reached the merge
    proof(sum(calls.values()))  # the README's figure: every request, all checks passed
