"""Problems an operation refuses with; the API maps them to 4xx, the CLI to one line."""

from __future__ import annotations


class ServerOpError(Exception):
    """A refused operation; the message says what is wrong in plain words."""

    status_code = 400


class NotFoundError(ServerOpError):
    status_code = 404


class ConflictError(ServerOpError):
    status_code = 409


class InvalidError(ServerOpError):
    # 400, not 422: FastAPI's 422 body is its list of schema errors; this one is one message.
    status_code = 400
