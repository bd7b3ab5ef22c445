"""Wire schemas of the admin API (only the server and admin tools use them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import HTTPException, Request, status
from pydantic import BaseModel, ConfigDict, Field, field_validator

from kpidesk.protocol import auth
from kpidesk.protocol.auth import DeviceInfo, ErrorBody, Role, UserInfo
from kpidesk.server.directory import USERNAME_PATTERN
from kpidesk.server.security import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

NUL_REFUSED = "contains a NUL character"
# In the API document too, so that clients (and the schema fuzzer) know it.
NO_NUL_PATTERN = r"^[^\x00]*$"
# A new password: not only spaces (security.password_problem), and no NUL.
NEW_PASSWORD_PATTERN = r"^[^\x00]*[^\s\x00][^\x00]*$"


def document_no_nul(schema: dict[str, Any]) -> None:
    for prop in schema.get("properties", {}).values():
        if prop.get("type") == "string" and "pattern" not in prop and "format" not in prop:
            prop["pattern"] = NO_NUL_PATTERN


class NoNul(BaseModel):
    """A request body whose text holds no NUL: PostgreSQL can neither store nor compare one
    (a 500 there, accepted on SQLite); refused here by field name on both."""

    model_config = ConfigDict(json_schema_extra=document_no_nul)

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError(NUL_REFUSED)
        return value


async def no_nul_in_path(request: Request) -> None:
    """The same for path parameters (an app-wide dependency): no id holds a NUL, so a path
    with one names nothing (404, as for any other unknown id)."""
    for name, value in request.path_params.items():
        if "\x00" in str(value):
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"the {name} {NUL_REFUSED}")


def _new_password() -> Any:
    return Field(
        min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH, pattern=NEW_PASSWORD_PATTERN
    )


# The protocol's login bodies, read with those checks; same names, so the API document
# describes the same contract.
class LoginRequest(NoNul, auth.LoginRequest):
    pass


class PasswordChange(NoNul, auth.PasswordChange):
    new_password: str = _new_password()


class UserCreate(NoNul):
    username: str = Field(min_length=1, max_length=64, pattern=USERNAME_PATTERN)
    role: Role = Role.REP
    password: str = _new_password()


class UserOut(UserInfo):
    disabled: bool
    created_at: datetime


class RoleChange(NoNul):
    role: Role


class PasswordReset(NoNul):
    password: str = _new_password()


class TeamCreate(NoNul):
    name: str = Field(min_length=1, max_length=100)
    manager_id: str = Field(min_length=1, max_length=36)


class TeamOut(BaseModel):
    id: str
    name: str
    manager: UserInfo
    members: list[UserInfo]
    created_at: datetime


class UserRef(NoNul):
    user_id: str = Field(min_length=1, max_length=36)


class DeviceOut(DeviceInfo):
    user_id: str


class Health(BaseModel):
    status: str


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error answers an endpoint can give (all {"detail": "..."})."""
    meaning = {
        400: "a value the schema allows but the server refuses (the message says why)",
        401: "no valid device token",
        403: "the caller's role may not do this, or the account is disabled",
        404: "no such thing (or not one the caller may see)",
        409: "refused: it would contradict the current state",
        413: "the request body is too large",
        429: "too many failed logins: wait Retry-After seconds",
    }
    return {code: {"model": ErrorBody, "description": meaning[code]} for code in codes}
