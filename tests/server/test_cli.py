"""The ``kpidesk-server`` command, run as a real process, on both databases."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from kpidesk.domain.hlc import wall_clock_ms
from kpidesk.domain.timeutil import utc_now
from kpidesk.protocol.schemas import SyncRequest
from kpidesk.server import cli, directory
from kpidesk.server.db import SCHEMA_HEAD
from kpidesk.server.devices import authenticate
from kpidesk.server.sync.handler import handle_sync
from kpidesk.server.tables import Account, Device, ServerState, Team, User
from tests.server.conftest import device_row
from tests.server.test_serve import free_port, serving

SECRET = "admin password 1"


def run(*args, env_url: str | None = None, stdin=subprocess.DEVNULL, timeout=120, **env):
    environment = dict(os.environ)
    environment.pop("KPIDESK_DATABASE_URL", None)
    environment.pop("KPIDESK_SERVER_DATA", None)
    environment.update(env)
    if env_url:
        environment["KPIDESK_DATABASE_URL"] = env_url
    return subprocess.run(
        [sys.executable, "-m", "kpidesk.server.cli", *map(str, args)],
        capture_output=True, text=True, timeout=timeout, env=environment, stdin=stdin,
    )  # fmt: skip


def assert_ok(proc) -> str:
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def assert_one_line_error(proc, *fragments):
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert lines[0].startswith("kpidesk-server")
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.fixture
def password_file(tmp_path: Path) -> Path:
    path = tmp_path / "password"
    path.write_text(SECRET + "\n")
    path.chmod(0o600)
    return path


def test_administration_from_init_to_teams(empty_db_url, password_file, tmp_path):
    url = empty_db_url
    out = assert_ok(run("init", "--admin", "Alice", "--password-file", password_file, env_url=url))
    assert "with admin 'alice'" in out
    assert_one_line_error(
        run("init", "--admin", "bob", "--password-file", password_file, env_url=url),
        "already has 1 user(s)",
    )
    # --database-url works as an option too, before or after the command.
    assert_ok(run("--database-url", url, "user", "add", "bob", "--role", "manager",
                  "--password-file", password_file))  # fmt: skip
    assert_ok(run("user", "add", "carol", "--role", "rep", "--password-file", password_file,
                  "--database-url", url))  # fmt: skip
    assert_one_line_error(
        run("user", "add", "Carol", "--role", "rep", "--password-file", password_file,
            env_url=url),
        "a user named 'carol' already exists",
    )  # fmt: skip
    assert_ok(run("team", "add", "Lyon Nord", "--manager", "bob", env_url=url))
    assert_ok(run("team", "assign", "Lyon Nord", "carol", env_url=url))
    assert_one_line_error(
        run("team", "add", "Lyon Sud", "--manager", "carol", env_url=url),
        "'carol' is a rep: make them a manager first",
    )
    assert_one_line_error(
        run("team", "assign", "Nowhere", "carol", env_url=url), "no team named 'Nowhere'"
    )
    listing = assert_ok(run("user", "list", env_url=url)).splitlines()
    assert listing[0].split() == ["USERNAME", "ROLE", "STATUS", "TEAMS"]
    assert listing[1].split() == ["alice", "admin", "active"]
    assert listing[3].split() == ["carol", "rep", "active", "Lyon", "Nord"]
    teams = assert_ok(run("team", "list", env_url=url)).splitlines()
    assert teams[1].split() == ["Lyon", "Nord", "bob", "carol"]

    assert_ok(run("user", "set-role", "carol", "manager", env_url=url))
    assert_one_line_error(
        run("user", "set-role", "bob", "rep", env_url=url), "'bob' manages Lyon Nord"
    )
    assert_ok(run("user", "disable", "carol", env_url=url))
    assert_one_line_error(run("user", "disable", "alice", env_url=url), "last active admin")
    assert_one_line_error(run("user", "disable", "zoe", env_url=url), "no user named 'zoe'")
    listing = assert_ok(run("user", "list", env_url=url))
    assert listing.splitlines()[3].split()[:3] == ["carol", "manager", "disabled"]

    new = tmp_path / "new-password"
    new.write_text("a brand new password\n")
    assert_ok(run("user", "reset-password", "carol", "--password-file", new, env_url=url))
    for proc in (
        run("init", "--admin", "x", env_url=url),
        run("user", "add", "dave", "--role", "rep", env_url=url),
        run("user", "reset-password", "carol", env_url=url),
    ):
        assert SECRET not in proc.stdout + proc.stderr
    assert_one_line_error(
        run("user", "reset-password", "carol", env_url=url), "use --password-file FILE"
    )


def assert_no_database(url: str) -> None:
    """A failed init left nothing behind: no SQLite file (nor its folder), no PostgreSQL table."""
    if url.startswith("sqlite"):
        folder = Path(sa.make_url(url).database).parent
        assert not folder.exists(), sorted(folder.iterdir())
    else:
        engine = sa.create_engine(url)
        try:
            assert sa.inspect(engine).get_table_names() == []
        finally:
            engine.dispose()


def test_password_rules_and_password_files(empty_db_url, tmp_path):
    short = tmp_path / "short"
    short.write_text("tiny\n")
    assert_one_line_error(
        run("init", "--admin", "alice", "--password-file", short, env_url=empty_db_url),
        "at least 10 characters",
    )
    assert_no_database(empty_db_url)
    empty = tmp_path / "empty-password"
    empty.write_text("")
    assert_one_line_error(
        run("init", "--admin", "alice", "--password-file", empty, env_url=empty_db_url),
        "is empty",
    )
    assert_no_database(empty_db_url)
    assert_one_line_error(
        run("init", "--admin", "alice", "--password-file", tmp_path / "nope",
            env_url=empty_db_url),
        "cannot read",
    )  # fmt: skip
    assert_no_database(empty_db_url)
    assert_one_line_error(
        run("init", "--admin", "alice", env_url=empty_db_url), "use --password-file FILE"
    )
    assert_no_database(empty_db_url)
    assert_one_line_error(
        run("init", "--admin", "Not Valid!", "--password-file", short, env_url=empty_db_url),
        "invalid username",
    )
    assert_no_database(empty_db_url)
    # Then serve does not start on an empty database: it says to run init.
    assert_one_line_error(run("serve", env_url=empty_db_url), "init --admin NAME")


def test_a_failed_init_leaves_no_database(empty_db_url, password_file, monkeypatch, capsys):
    """Creating the admin fails after the schema was made: the schema goes too (one
    transaction), and so does the SQLite file init created."""
    schema_there = []

    def failing_create_user(session, *_args):
        schema_there.append(sa.inspect(session.connection()).has_table("app_user"))
        raise RuntimeError("simulated")

    monkeypatch.setattr(directory, "create_user", failing_create_user)
    monkeypatch.delenv("KPIDESK_DEBUG", raising=False)
    init = ["--database-url", empty_db_url, "init", "--admin", "alice",
            "--password-file", str(password_file)]  # fmt: skip
    assert cli.main(init) == 1
    assert "unexpected error (RuntimeError)" in capsys.readouterr().err
    assert schema_there == [True]
    assert_no_database(empty_db_url)
    if empty_db_url.startswith("sqlite"):  # a file init did not create stays
        path = Path(sa.make_url(empty_db_url).database)
        path.parent.mkdir()
        path.touch()
        assert cli.main(init) == 1
        assert path.exists()
        assert "init --admin NAME" in run("user", "list", env_url=empty_db_url).stderr


def test_migrate_then_commands_work_and_migrate_again_is_harmless(empty_db_url):
    assert_one_line_error(run("user", "list", env_url=empty_db_url), "init --admin NAME")
    head = f"at schema {SCHEMA_HEAD}"
    assert head in assert_ok(run("migrate", env_url=empty_db_url))
    assert head in assert_ok(run("migrate", env_url=empty_db_url))
    assert assert_ok(run("user", "list", env_url=empty_db_url)).split() == [
        "USERNAME", "ROLE", "STATUS", "TEAMS",
    ]  # fmt: skip


def test_serve_refuses_what_cannot_work(server_db_url, empty_db_url, tmp_path):
    if server_db_url.startswith("sqlite"):
        assert_one_line_error(
            run("serve", "--workers", "2", env_url=server_db_url), "SQLite serves one process"
        )
    cert = tmp_path / "cert.pem"
    cert.write_text("-----BEGIN CERTIFICATE-----\n")
    assert_one_line_error(
        run("serve", "--tls-cert", cert, env_url=server_db_url), "both --tls-cert and --tls-key"
    )
    assert_one_line_error(
        run("serve", "--tls-cert", cert, "--tls-key", tmp_path / "missing.pem",
            env_url=server_db_url),
        "--tls-key: cannot read",
    )  # fmt: skip
    assert_one_line_error(run("serve", env_url=empty_db_url), "init --admin NAME")


# SQLite only: PostgreSQL is meant to be shared by several servers (see test_serve).
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_one_server_process_per_sqlite_database(server_db_url):
    url = server_db_url
    with serving(url) as (base, _log):
        try:
            second = run("serve", "--port", free_port(), env_url=url, timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail("a second server started on the same SQLite database")
        assert_one_line_error(
            second, "another kpidesk-server already serves", "SQLite serves one process only"
        )
        assert Path(sa.make_url(url).database + ".serve.lock").exists()
        assert httpx.get(f"{base}/v1/health", timeout=5).status_code == 200  # still serving
    with serving(url):  # the first one stopped: the database can be served again
        pass


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["user", "add", "x", "--role", "boss"], "invalid choice"),
        (["serve", "--port", "99999"], "not a port number"),
        (["serve", "--workers", "0"], "from 1 to 64"),
        (["purge", "--older-than", "0"], "whole number of days from 1 to 36500: '0'"),
        (["purge", "--older-than", "-3"], "whole number of days"),
        (["purge", "--older-than", "1.5"], "whole number of days"),
        (["purge", "--older-than", "ninety"], "whole number of days"),
        (["purge", "--older-than", "99999999999"], "whole number of days"),
        (["device", "forget", "x"], "invalid choice"),
        (["frobnicate"], "invalid choice"),
        ([], "required"),
        (["--database-url", "mysql://u@h/db", "user", "list"], "unsupported database 'mysql'"),
        (["--database-url", "::nonsense::", "user", "list"], "database URL is not valid"),
    ],
)
def test_bad_arguments_are_one_line(args, fragment):
    assert_one_line_error(run(*args), fragment)


def test_an_unreachable_postgresql_is_one_line_without_its_password():
    proc = run("user", "list", env_url="postgresql://kpidesk:hunter2secret@127.0.0.1:1/x")
    assert_one_line_error(proc, "cannot open the server database", "127.0.0.1:1")
    assert "hunter2secret" not in proc.stderr


def test_data_dir_holds_the_sqlite_database(tmp_path, password_file):
    data = tmp_path / "server-data"
    assert_one_line_error(
        run("--data-dir", data, "init", "--admin", "alice", "--password-file",
            tmp_path / "missing.pw"),
        "cannot read",
    )  # fmt: skip
    assert not data.exists()
    assert_ok(run("--data-dir", data, "init", "--admin", "alice", "--password-file",
                  password_file))  # fmt: skip
    database = data / "kpidesk-server.sqlite"
    assert database.exists()
    assert oct(database.stat().st_mode & 0o777) == "0o600"
    # The same through the environment.
    assert "alice" in assert_ok(run("user", "list", KPIDESK_SERVER_DATA=str(data)))


def _old_tombstone(db, person) -> str:
    """A record the person's device created and deleted offline, synced, then the device synced
    again (so the server knows it applied the deletion); the deletion moved 100 days back.

    Synced by calling the server's sync handler on this test's database, not over HTTP: with the
    app's engine open as well (two engines on one SQLite file in this process), this process's
    reads went stale once the CLI's processes had used the file."""
    row_id = str(uuid.uuid4())
    stamp = f"{wall_clock_ms():013d}-0000-{person.device_id}"
    values = dict.fromkeys(("referred_by", "sector", "city", "address", "phone", "email", "notes"))
    values.update(
        name="Garage fermé", status="client", created_status="client", temperature="cold",
        source="other", created_at="2025-01-06T09:00:00.000000Z",
    )  # fmt: skip
    fields = {name: {"v": value, "hlc": stamp} for name, value in values.items()}
    principal = authenticate(db, person.token)
    cursor, mutations = 0, [{"mid": 1, "table": "account", "id": row_id, "cl": 2, "fields": fields}]
    for _ in range(3):
        request = SyncRequest(device_id=person.device_id, cursor=cursor, mutations=mutations)
        reply = handle_sync(db, principal, request, wall_clock_ms())
        assert reply["rejected"] == []
        cursor, mutations = reply["next_cursor"], []
    with db.session(write=True) as session:
        session.get(Account, row_id).deleted_at = utc_now() - timedelta(days=100)
    return row_id


def _server_state(db, row_id: str) -> tuple[bool, int]:
    with db.session() as session:
        return session.get(Account, row_id) is not None, session.get(ServerState, 1).purged_before


def test_devices_and_purge(server_db_url, people, db):
    url = server_db_url
    row_id = _old_tombstone(db, people.rep)
    others = (people.admin, people.manager, people.other_manager, people.other_rep)

    out = assert_ok(run("purge", "--dry-run", env_url=url)).splitlines()
    assert out[0] == (
        "Would keep 1 deleted record (account 1) older than 90 days: 4 devices have not synced"
        " since they were deleted:"
    )
    assert sorted(out[1:5]) == sorted(
        f"  device 'laptop' of {p.username} (never seen): kpidesk-server device revoke"
        f" {p.device_id}"
        for p in others
    )
    assert out[5:] == [
        "If one of these laptops is lost, revoke it with the command shown.",
        "Dry run: nothing was changed.",
    ]
    assert _server_state(db, row_id) == (True, 0)

    listing = assert_ok(run("device", "list", env_url=url)).splitlines()
    assert listing[0].split() == ["ID", "USER", "NAME", "LAST", "SEEN", "(UTC)", "REVOKED", "(UTC)"]
    assert [line.split()[:3] for line in listing[1:]] == [
        [p.device_id, p.username, "laptop"]
        for p in sorted((*others, people.rep), key=lambda p: p.username)
    ]
    assert [line.split()[3:] for line in listing[1:]] == [["never", "no"]] * 5
    for person in others[:3]:
        out = assert_ok(run("device", "revoke", person.device_id, env_url=url))
        assert out == (
            f"Device 'laptop' of {person.username!r} is revoked: it can no longer sync until"
            " someone signs in on it again.\n"
        )
    (line,) = assert_ok(run("device", "list", "admin", env_url=url)).splitlines()[1:]
    revoked_at = device_row(db, people.admin.device_id).revoked_at
    assert line.split() == [people.admin.device_id, "admin", "laptop", "never",
                            *f"{revoked_at:%Y-%m-%d %H:%M}".split()]  # fmt: skip

    out = assert_ok(run("purge", env_url=url))
    assert out == (
        "Kept 1 deleted record (account 1) older than 90 days: device 'laptop' of other-rep"
        " (never seen) has not synced since they were deleted. If that laptop is lost, revoke"
        f" it: kpidesk-server device revoke {people.other_rep.device_id}\n"
    )
    assert _server_state(db, row_id) == (True, 0)
    assert_ok(run("device", "revoke", people.other_rep.device_id, env_url=url))
    out = assert_ok(run("device", "revoke", people.other_rep.device_id, env_url=url))
    assert out == "Device 'laptop' of 'other-rep' was already revoked.\n"
    assert assert_ok(run("purge", env_url=url)) == "Purged 1 deleted record (account 1).\n"
    assert _server_state(db, row_id) == (False, 1)
    out = assert_ok(run("purge", "--older-than", "30", env_url=url))
    assert out == "No deleted record is older than 30 days.\n"

    assert_one_line_error(run("device", "revoke", "nope", env_url=url), "no device with id nope")
    assert_one_line_error(run("device", "list", "zoe", env_url=url), "no user named 'zoe'")


def test_purge_help_tells_how_to_run_it_from_cron():
    out = assert_ok(run("purge", "--help"))
    assert "cron" in out and "kpidesk-server purge" in out and "--dry-run" in out


def test_user_list_shows_the_teams_a_user_leads(server_db_url, people, db):
    with db.session(write=True) as session:  # other-manager also sits in North, under manager
        north = session.get(Team, people.north_id)
        directory.assign_member(session, north, session.get(User, people.other_manager.id))
        directory.assign_member(session, north, session.get(User, people.manager.id))
    listing = assert_ok(run("user", "list", env_url=server_db_url)).splitlines()
    teams = {line.split()[0]: line.split(None, 3)[3:] for line in listing[1:]}
    assert teams == {
        "admin": [],
        "manager": ["North (manager)"],  # leads North and is in it: named once
        "other-manager": ["North, South (manager)"],
        "other-rep": ["South"],
        "rep": ["North"],
    }


def _resync_flagged(db) -> set[str]:
    """Whose devices will pull everything again at their next sync; the flags are then reset."""
    with db.session(write=True) as session:
        names = set(
            session.scalars(
                sa.select(User.username)
                .join(Device, Device.user_id == User.id)
                .where(Device.resync_needed.is_(True))
            )
        )
        session.execute(sa.update(Device).values(resync_needed=False))
    return names


def test_team_remove_and_set_manager(server_db_url, people, db):
    url = server_db_url
    _resync_flagged(db)  # making the fixture's teams flagged some already
    out = assert_ok(run("team", "remove", "North", "Rep", env_url=url))
    assert out == "'rep' is no longer a member of 'North'.\n"
    assert _resync_flagged(db) == {"manager"}  # who no longer sees rep's pipeline
    assert_one_line_error(
        run("team", "remove", "North", "rep", env_url=url), "'rep' is not a member of 'North'"
    )
    assert_one_line_error(
        run("team", "remove", "Nowhere", "rep", env_url=url), "no team named 'Nowhere'"
    )
    assert_one_line_error(run("team", "remove", "South", "zoe", env_url=url), "no user named 'zoe'")

    out = assert_ok(run("team", "set-manager", "South", "manager", env_url=url))
    assert out == "'South' is now managed by 'manager'.\n"
    assert _resync_flagged(db) == {"manager", "other-manager"}  # South's pipeline changed hands
    out = assert_ok(run("team", "set-manager", "South", "manager", env_url=url))
    assert out == "'manager' already manages 'South'.\n"
    assert_one_line_error(
        run("team", "set-manager", "South", "rep", env_url=url),
        "'rep' is a rep: make them a manager first",
    )
    assert_one_line_error(
        run("team", "set-manager", "Nowhere", "manager", env_url=url), "no team named 'Nowhere'"
    )
    assert_one_line_error(
        run("team", "set-manager", "South", "zoe", env_url=url), "no user named 'zoe'"
    )
    assert _resync_flagged(db) == set()  # nothing changed since

    teams = assert_ok(run("team", "list", env_url=url)).splitlines()
    assert [line.split() for line in teams[1:]] == [["North", "manager"],
                                                   ["South", "manager", "other-rep"]]  # fmt: skip
    # other-manager leads no team any more: they can become a rep.
    assert_ok(run("user", "set-role", "other-manager", "rep", env_url=url))
