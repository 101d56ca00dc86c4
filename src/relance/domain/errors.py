"""Errors a technician or a nurse can act on: each names the place and what is wrong."""


class RelanceError(Exception):
    """Base of every error shown to a user; the message is the whole explanation."""


class InvalidInput(RelanceError):
    """Input (a file, an option, a row) that cannot be accepted; nothing was written."""


class StorageUnavailable(RelanceError):
    """The database cannot be used now (disk full, busy, read-only, unreachable, not a relance
    database); the message names it and says what to do."""


class IllegalTransition(InvalidInput):
    """An asset was asked to move to a lifecycle state its current state does not allow."""


class Problem:
    """One thing wrong in an input, located well enough to fix it: file, line, field."""

    __slots__ = ("field", "line", "message", "source")

    def __init__(self, source: str, line: int | None, field: str, message: str) -> None:
        self.source, self.line, self.field, self.message = source, line, field, message

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )

    def as_dict(self) -> dict[str, str | int | None]:
        return {
            "file": self.source,
            "line": self.line,
            "field": self.field,
            "message": self.message,
        }


class RejectedInput(InvalidInput):
    """A whole input refused because of these problems; nothing of it was applied."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(f"{problems[0]}{more}")
