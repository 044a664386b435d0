"""The platform's one application error: a friendly message on pages, JSON in the API."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A request the platform refuses for a reason a person can act on.

    ``message`` is already translated (use gettext where it is raised), ``code`` is a stable
    machine-readable token, ``details`` lists field-level problems as ``{"field", "message"}``.
    """

    status = 400

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        details: list[dict[str, Any]] | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = str(message)
        self.code = code
        self.details = details or []
        if status is not None:
            self.status = status


class NotFound(ApplicationError):
    """The thing asked for does not exist, or the asker may not know that it does."""

    status = 404

    def __init__(self, message: str, *, code: str = "not_found") -> None:
        super().__init__(message, code=code)


class PermissionDenied(ApplicationError):
    """The asker is known but may not do this."""

    status = 403

    def __init__(self, message: str, *, code: str = "permission_denied") -> None:
        super().__init__(message, code=code)


def error_body(
    *, code: str, message: str, details: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The one JSON shape of every API failure."""
    return {"error": {"code": code, "message": message, "details": details or []}}
