"""Domain exceptions raised by the negotiation rules, workflow and services.

The web layer maps them to HTTP answers: ``ValidationError`` → 400 with each message shown next
to its field, ``PermissionDenied`` → 403, ``IllegalTransition`` → 409.
"""

from __future__ import annotations

from collections.abc import Mapping


class ValidationError(ValueError):
    """Bad input; ``errors`` maps each offending field name to a message in plain words.

    A bare string is accepted for convenience and stored under the key ``"__all__"``.
    """

    def __init__(self, errors: Mapping[str, str] | str):
        if isinstance(errors, str):
            errors = {"__all__": errors}
        self.errors: dict[str, str] = dict(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))


class IllegalTransition(Exception):
    """An event that the procedure does not allow in the current state, or whose guard failed.

    ``message`` says why in plain words (Chinese); ``state`` and ``event`` are kept when known.
    """

    def __init__(self, message: str, *, state: object = None, event: object = None):
        self.message = message
        self.state = state
        self.event = event
        super().__init__(message)


class Conflict(IllegalTransition):
    """The record changed since the form was loaded: the version sent is not the stored one."""


class PermissionDenied(Exception):
    """The acting user may not see or do this."""

    def __init__(self, message: str = "无权执行此操作"):
        self.message = message
        super().__init__(message)


class NotFound(LookupError):
    """No such record, or the acting user may not know it exists (shown as 404)."""
