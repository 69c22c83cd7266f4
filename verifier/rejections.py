"""Input a caller can fix: a stable code, a message naming the problem, details.

Services raise `Rejected`; the API turns it into its one error shape, the CLI
into a `CommandError`. Nothing is written for rejected input.
"""

from __future__ import annotations

from typing import Any


class Rejected(Exception):
    def __init__(
        self,
        message: str,
        *,
        code: str,
        status_code: int = 400,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status_code = status_code
        self.details = details or {}
