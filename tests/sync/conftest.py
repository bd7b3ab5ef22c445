"""The sync client's tests run laptops against the real server app: its fixtures (a server on
SQLite and on PostgreSQL, the team of people) are the server tests' own."""

from tests.server.conftest import (  # noqa: F401 - fixtures, found by pytest by name
    app,
    backend,
    client,
    db,
    empty_db_url,
    people,
    postgres,
    server_db_url,
    settings,
    sqlite_template,
)
