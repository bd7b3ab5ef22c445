"""Property-based API testing: schemathesis generates requests from the served OpenAPI document
(valid and invalid ones) for every endpoint; none may get a 5xx or an answer that does not match
the documented status codes, content types and schemas.

(schemathesis' lazy pytest fixture loader does not work with this pytest, so each operation's
strategy is driven by Hypothesis directly.)
"""

from __future__ import annotations

from collections import Counter

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from kpidesk.server.db import Database
from kpidesk.server.devices import issue_token
from kpidesk.server.tables import User
from tests.server.conftest import People

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION_AND_MODE = 15


def _fuzz(operation, mode: GenerationMode, token, calls: Counter, statuses: Counter) -> None:
    checks = [*CHECKS, negative_data_rejection] if mode is GenerationMode.NEGATIVE else CHECKS

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION_AND_MODE,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        headers = {"Authorization": f"Bearer {token()}"}
        response = case.call_and_validate(headers=headers, checks=checks)
        calls[operation.label] += 1
        statuses[response.status_code] += 1

    run()


def test_api_conforms_to_its_schema(app, db: Database, people: People):
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 26
    calls: Counter[str] = Counter()
    statuses: Counter[int] = Counter()

    def admin_token() -> str:
        # A fresh token for each case: a generated logout or revocation must not turn every
        # following case into a 401.
        with db.session(write=True) as session:
            token, _device = issue_token(session, session.get(User, people.admin.id), "fuzzer")
        return token

    for operation in operations:
        _fuzz(operation, GenerationMode.POSITIVE, admin_token, calls, statuses)
        if len(operation.body) or len(operation.path_parameters):  # else nothing can be wrong
            _fuzz(operation, GenerationMode.NEGATIVE, admin_token, calls, statuses)
    assert len(calls) == len(operations)
    assert sum(calls.values()) >= 400, calls
    # The run reached past the front door: successes as well as refusals.
    assert statuses[200] and statuses[422] and statuses[404], statuses
