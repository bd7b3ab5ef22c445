"""The local_meta table: device identity, clock, cursor and flags, one text value per key."""

from __future__ import annotations

import sqlalchemy as sa

from kpidesk.domain.ids import uuid7
from kpidesk.store.tables import local_meta

DEVICE_ID = "device_id"
OWNER_ID = "owner_id"  # the user records are created for: the local profile until first login
HLC = "hlc"
IS_DEMO = "is_demo"
# Set at sign-in: the team server and the user this laptop syncs as (never the token: that
# lives in the OS keyring).
SERVER_URL = "server_url"
USER_ID = "user_id"
USERNAME = "username"
USER_ROLE = "user_role"
CA_BUNDLE = "ca_bundle"
LAST_SYNC_AT = "last_sync_at"


def get(conn: sa.Connection, key: str) -> str | None:
    return conn.execute(sa.select(local_meta.c.value).where(local_meta.c.key == key)).scalar()


def put(conn: sa.Connection, key: str, value: str) -> None:
    conn.execute(sa.insert(local_meta).prefix_with("OR REPLACE").values(key=key, value=value))


def delete(conn: sa.Connection, key: str) -> None:
    conn.execute(sa.delete(local_meta).where(local_meta.c.key == key))


def ensure_identity(conn: sa.Connection) -> tuple[str, str]:
    """The device id and the current owner id, made on first use (inside a write)."""
    device_id = get(conn, DEVICE_ID)
    if device_id is None:
        device_id = str(uuid7())
        put(conn, DEVICE_ID, device_id)
    owner_id = get(conn, OWNER_ID)
    if owner_id is None:
        owner_id = str(uuid7())  # the local profile, re-owned at first login
        put(conn, OWNER_ID, owner_id)
    return device_id, owner_id


def my_id(conn: sa.Connection) -> str:
    """Whose records are "mine": the signed-in user (the local profile before any sign-in).

    Empty on a database nobody has written to yet, where no record matches it either.
    """
    return get(conn, OWNER_ID) or ""


def is_demo(conn: sa.Connection) -> bool:
    return get(conn, IS_DEMO) == "1"
