"""Wire schemas of the team server's login and identity endpoints (client and server share them)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, Field


class Role(StrEnum):
    REP = "rep"
    MANAGER = "manager"
    ADMIN = "admin"


class UserInfo(BaseModel):
    id: str
    username: str
    role: Role


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)
    device_name: str = Field(min_length=1, max_length=100, description="shown in device lists")
    device_id: UUID | None = Field(
        default=None,
        description="the laptop's own device id; a new one is made when absent",
    )


class LoginResponse(BaseModel):
    token: str = Field(description="the device's bearer token: keep it in the OS keyring")
    device_id: str
    user: UserInfo


class DeviceInfo(BaseModel):
    id: str
    name: str
    created_at: datetime
    last_seen_at: datetime | None
    revoked_at: datetime | None


class TeamRef(BaseModel):
    id: str
    name: str
    member_ids: list[str] = Field(
        default_factory=list, description="for a team this user leads: the reps in it"
    )


class PersonRef(BaseModel):
    id: str
    username: str


class Profile(BaseModel):
    """Who the user is and whose records may reach their devices: sent by ``GET /v1/me`` and,
    when it changed, in a sync reply (SYNC.md, "Profile")."""

    user: UserInfo
    teams: list[TeamRef] = Field(description="teams this user is a member of")
    teams_led: list[TeamRef] = Field(description="teams this user manages")
    people: list[PersonRef] = Field(
        default_factory=list,
        description="the other users whose records this user may pull (team reps, the owners "
        "of accounts shared with them), to name them",
    )


class MeResponse(Profile):
    device: DeviceInfo


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class ErrorBody(BaseModel):
    detail: str
