"""Server test fixtures: every test that uses ``server_db_url`` runs on SQLite AND PostgreSQL.

PostgreSQL comes from KPIDESK_TEST_POSTGRES_URL (a role allowed to create databases). The suite
creates its own uniquely named database, migrated once, and empties every table before each test;
the database is dropped at the end. Without the URL, or when the server does not answer, the
PostgreSQL runs are skipped with the reason (and fail under CI=true, see tests/conftest.py).
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from kpidesk.protocol.auth import Role
from kpidesk.server import directory, migrations
from kpidesk.server.app import create_app
from kpidesk.server.db import SCHEMA_HEAD, Database, database_url, make_engine
from kpidesk.server.devices import issue_token
from kpidesk.server.security import Passwords
from kpidesk.server.settings import PasswordHashing, ServerSettings
from kpidesk.server.tables import Device, User, metadata
from tests.conftest import require

POSTGRES_ENV = "KPIDESK_TEST_POSTGRES_URL"
# argon2id still, at a cost that lets each test make its users in milliseconds.
CHEAP_HASHING = PasswordHashing(time_cost=1, memory_kib=1024, parallelism=1)
PASSWORD = "a long enough password"


@dataclass
class PostgresForTests:
    url: sa.URL | None = None  # the suite's own database, migrated
    reason: str = ""
    admin_url: sa.URL | None = None  # the database named in the environment, for CREATE DATABASE
    created: list[str] = field(default_factory=list)

    def new_database(self) -> sa.URL:
        """A brand-new empty database, dropped at the end of the session."""
        assert self.admin_url is not None
        name = f"kpidesk_t_{secrets.token_hex(6)}"
        engine = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        finally:
            engine.dispose()
        self.created.append(name)
        return self.admin_url.set(database=name)


def _postgres_admin_url() -> tuple[sa.URL | None, str]:
    raw = os.environ.get(POSTGRES_ENV, "").strip()
    if not raw:
        return None, f"no PostgreSQL for the server tests: set {POSTGRES_ENV}"
    url = sa.make_url(raw).set(drivername="postgresql+psycopg")
    engine = sa.create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except sa.exc.SQLAlchemyError as exc:
        first = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        return None, f"PostgreSQL at {url.render_as_string()} does not answer: {first}"
    finally:
        engine.dispose()
    return url, ""


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresForTests]:
    admin_url, reason = _postgres_admin_url()
    pg = PostgresForTests(admin_url=admin_url, reason=reason)
    if admin_url is not None:
        pg.url = pg.new_database()
        engine = make_engine(pg.url)
        migrations.upgrade(engine)
        engine.dispose()
    yield pg
    if admin_url is not None and pg.created:
        engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            for name in pg.created:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated server database file, copied for each test (faster than migrating each)."""
    path = tmp_path_factory.mktemp("template") / "kpidesk-server.sqlite"
    engine = make_engine(sa.URL.create("sqlite", database=str(path)))
    migrations.upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def _empty_postgres_tables(url: sa.URL) -> None:
    names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            conn.exec_driver_sql("INSERT INTO server_state (id, last_server_version) VALUES (1, 0)")
            # A test may have tampered with the schema's revision (refusal tests do).
            conn.execute(
                sa.text("UPDATE alembic_version SET version_num = :head"), {"head": SCHEMA_HEAD}
            )
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def server_db_url(
    backend: str, tmp_path: Path, sqlite_template: Path, postgres: PostgresForTests
) -> str:
    """A fresh, migrated, empty server database on the test's backend."""
    if backend == "sqlite":
        target = tmp_path / "data" / "kpidesk-server.sqlite"
        target.parent.mkdir(parents=True)
        shutil.copyfile(sqlite_template, target)
        return f"sqlite:///{target}"
    require(postgres.url is not None, postgres.reason)
    assert postgres.url is not None
    _empty_postgres_tables(postgres.url)
    return postgres.url.render_as_string(hide_password=False)


@pytest.fixture
def empty_db_url(backend: str, tmp_path: Path, postgres: PostgresForTests) -> str:
    """A database with no schema at all, on the test's backend."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty' / 'kpidesk-server.sqlite'}"
    require(postgres.admin_url is not None, postgres.reason)
    return postgres.new_database().render_as_string(hide_password=False)


@pytest.fixture
def settings(server_db_url: str, tmp_path: Path) -> ServerSettings:
    return ServerSettings(
        data_dir=tmp_path / "data", database_url=server_db_url, password_hashing=CHEAP_HASHING
    )


@pytest.fixture
def app(settings: ServerSettings):
    application = create_app(settings)
    yield application
    application.state.context.db.close()


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def clock():
    """The clock of ``coach_client``'s server; a test moves it (``clock.now = ...``)."""
    from tests.server.coaching_rows import Clock

    return Clock()


@pytest.fixture
def coach_client(settings: ServerSettings, clock) -> Iterator[TestClient]:
    """A client of a server whose clock is ``clock`` (the team view reads it as now)."""
    application = create_app(settings, clock_ms=clock.ms)
    with TestClient(application) as test_client:
        yield test_client
    application.state.context.db.close()


@pytest.fixture
def db(settings: ServerSettings) -> Iterator[Database]:
    """Direct access to the test's database, beside the app."""
    database = Database(make_engine(database_url(settings)))
    yield database
    database.close()


@dataclass
class Person:
    id: str
    username: str
    role: Role
    token: str
    device_id: str
    password: str = PASSWORD

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class People:
    """A small team: admin; manager leading "North" (rep) ; other_manager leading "South"
    (other_rep); each signed in on one device."""

    admin: Person
    manager: Person
    rep: Person
    other_manager: Person
    other_rep: Person
    north_id: str
    south_id: str


def add_person(db: Database, username: str, role: Role, *, device: str = "laptop") -> Person:
    passwords = Passwords(CHEAP_HASHING)
    with db.session(write=True) as session:
        user = directory.create_user(session, passwords, username, role, PASSWORD)
        token, dev = issue_token(session, user, device)
        return Person(user.id, user.username, user.role, token, dev.id)


def second_device(db: Database, person: Person, name: str = "phone") -> Person:
    """Another signed-in device of the same person."""
    with db.session(write=True) as session:
        user = session.get(User, person.id)
        token, dev = issue_token(session, user, name)
    return Person(person.id, person.username, person.role, token, dev.id)


@pytest.fixture
def people(db: Database) -> People:
    admin = add_person(db, "admin", Role.ADMIN)
    manager = add_person(db, "manager", Role.MANAGER)
    rep = add_person(db, "rep", Role.REP)
    other_manager = add_person(db, "other-manager", Role.MANAGER)
    other_rep = add_person(db, "other-rep", Role.REP)
    with db.session(write=True) as session:
        north = directory.create_team(session, "North", session.get(User, manager.id))
        directory.assign_member(session, north, session.get(User, rep.id))
        south = directory.create_team(session, "South", session.get(User, other_manager.id))
        directory.assign_member(session, south, session.get(User, other_rep.id))
    return People(admin, manager, rep, other_manager, other_rep, north.id, south.id)


def device_row(db: Database, device_id: str) -> Device:
    with db.session() as session:
        device = session.get(Device, device_id)
        assert device is not None
        return device
