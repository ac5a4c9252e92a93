"""Exceptions raised by the simulator."""
from __future__ import annotations


class ValidationError(ValueError):
    """Bad input, with one message per field.

    Parameters
    ----------
    errors : dict[str, str]
        Field key (a bare field name when a single input object is built, a dotted key such as
        ``"pay.commission_rate"`` when a whole scenario is built) mapped to a message in Chinese
        that a negotiator understands.
    """

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "; ".join(f"{key}: {message}" for key, message in sorted(self.errors.items()))

    def prefixed(self, prefix: str) -> "ValidationError":
        """The same errors with ``prefix`` put in front of every key."""
        return ValidationError({prefix + key: msg for key, msg in self.errors.items()})
