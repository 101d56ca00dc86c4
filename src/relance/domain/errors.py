"""Errors a technician or a nurse can act on: each names the place and what is wrong.

An error carries its English message as a catalogue msgid with {placeholders} and their values,
so that `str(error)` is the English sentence (logs, the API, the audit trail) and the command
line and the pages say it in the reader's language (`RelanceError.in_words`). A value that is
itself a word of the catalogue (a state, a role, what a permission lets one do) is a `Word`,
translated with the sentence; an error or a problem given as a value is said in words too.
"""

from collections.abc import Callable, Mapping

Translate = Callable[[str], str]  # a catalogue's gettext: English msgid -> the reader's words


def N_(message: str) -> str:  # noqa: N802 - the gettext marker, found by the extractor
    """Mark a text for the catalogue where it is defined; translate it where it is shown."""
    return message


class Word(str):
    """A value that is a word of the catalogue: a state's label, a role, a permission's deed."""

    __slots__ = ()


class Words(tuple[Word, ...]):
    """Several words, listed with commas ("isolated, imaged") in the reader's language."""

    __slots__ = ()


class Faults(tuple["RelanceError", ...]):
    """Several faults found together, listed with semicolons in the reader's language."""

    __slots__ = ()


def _english(message: str) -> str:
    return message


def say(message: str, values: dict[str, object], translate: Translate) -> str:
    """`message` and its values in the words of `translate`."""
    if not values:
        return translate(message)
    return translate(message).format(**{k: _said(v, translate) for k, v in values.items()})


def _said(value: object, translate: Translate) -> object:
    if isinstance(value, Word):
        return translate(value)
    if isinstance(value, Words):
        return ", ".join(translate(w) for w in value)
    if isinstance(value, Faults):
        return "; ".join(fault.in_words(translate) for fault in value)
    if isinstance(value, RelanceError | Problem):
        return value.in_words(translate)
    return value


class RelanceError(Exception):
    """Base of every error shown to a user; the message is the whole explanation."""

    def __init__(self, message: str = "", /, **values: object) -> None:
        self.message, self.values = message, values
        super().__init__(say(message, values, _english))

    def in_words(self, translate: Translate) -> str:
        """The message in the reader's language (`translate`: its catalogue's gettext)."""
        return say(self.message, self.values, translate)

    def as_record(self) -> dict[str, object]:
        """The message and its values as JSON, its words marked as words: what the audit trail
        keeps so that each reader reads it in their own language later (`from_record`)."""
        return {"message": self.message, "values": {k: _kept(v) for k, v in self.values.items()}}

    @classmethod
    def from_record(cls, record: Mapping[str, object]) -> "RelanceError":
        """The error `as_record` kept (a record not of that form: TypeError or ValueError)."""
        message, values = record.get("message"), record.get("values", {})
        if not isinstance(message, str) or not isinstance(values, dict):
            raise TypeError("not a kept message")
        return cls(message, **{str(k): _read(v) for k, v in values.items()})


def _kept(value: object) -> object:
    if isinstance(value, Word):
        return {"word": str(value)}
    if isinstance(value, Words):
        return {"words": [str(w) for w in value]}
    if isinstance(value, RelanceError):
        return {"error": value.as_record()}
    return value if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


def _read(value: object) -> object:
    if not isinstance(value, dict):
        return value
    if "word" in value:
        return Word(value["word"])
    if "words" in value:
        return Words(Word(w) for w in value["words"])
    if "error" in value:
        return RelanceError.from_record(value["error"])
    raise ValueError("not a kept value")


class InvalidInput(RelanceError):
    """Input (a file, an option, a row) that cannot be accepted; nothing was written."""


class StorageUnavailable(RelanceError):
    """The database cannot be used now (disk full, busy, read-only, unreachable, not a relance
    database); the message names it and says what to do."""


class IllegalTransition(InvalidInput):
    """An asset was asked to move to a lifecycle state its current state does not allow."""


class Problem:
    """One thing wrong in an input, located well enough to fix it: file, line, field.

    `message` is the English sentence; `template` and `values` say it in another language.
    """

    __slots__ = ("field", "line", "message", "source", "template", "values")

    def __init__(
        self, source: str, line: int | None, field: str, message: str, /, **values: object
    ) -> None:
        self.source, self.line, self.field = source, line, field
        self.template, self.values = message, values
        self.message = say(message, values, _english)

    def __str__(self) -> str:
        return self.in_words(_english)

    def in_words(self, translate: Translate) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        message = self.said(translate)
        return f"{where}: {self.field}: {message}" if self.field else f"{where}: {message}"

    def said(self, translate: Translate) -> str:
        """What is wrong, without the place: for a sheet that names the field itself."""
        return say(self.template, self.values, translate)

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
        if len(problems) > 1:
            more = N_("{first} (and {more} more problems)")
            super().__init__(more, first=problems[0], more=len(problems) - 1)
        else:
            super().__init__("{first}", first=problems[0])
