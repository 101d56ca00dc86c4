"""What the crisis cell signs and sends, in French, Dutch, German and English.

Code writes its texts in English and passes them through `Texts._()` (or `Texts.n_()` for a
count) of the reader's language; translators edit the gettext catalogues
`relance/locale/<language>/LC_MESSAGES/relance.po`. Catalogues are compiled the first time a
language is used and kept in the user's cache, one file per version of the .po: the package
ships only the .po files, and there is no build step to forget. Dates, times, numbers and
lists come from Babel's CLDR data for the language's Belgian locale (British English), so
"16.05." is German and "16/05" French without a table of ours. Babel is imported where it is
used: importing it costs more CPU than the whole of `relance --help` may, and the command
line imports this module for its languages.
"""

import hashlib
import io
import os
import struct
from collections.abc import Iterable
from contextlib import suppress
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from gettext import GNUTranslations, NullTranslations
from importlib.resources import files
from pathlib import Path

from relance.domain.errors import InvalidInput, Problem, RelanceError, Word

LANGUAGES = ("fr", "nl", "de", "en")  # French first: the crisis cell's language
INTERFACE = ("fr", "en")  # of the pages and the command line: Dutch and German are for patients
DEFAULT = "fr"
DOMAIN = "relance"
LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "de": "de_BE", "en": "en_GB"}


class Language(StrEnum):
    """A document's language, as a command's --lang offers it."""

    FR = "fr"
    EN = "en"
    NL = "nl"
    DE = "de"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention, found by the extractor
    """Mark a text for the catalogue where it is defined; translate it where it is shown."""
    return message


def parse_language(text: str, option: str = "--lang") -> str:
    """'nl' from 'NL' or 'nl-BE'; an error naming the languages otherwise."""
    base = text.strip().split("-", maxsplit=1)[0].split("_", maxsplit=1)[0].lower()
    if base not in LANGUAGES:
        unknown = N_("{option} {text} is not one of: {languages}")
        raise InvalidInput(
            unknown, option=Word(option), text=repr(text), languages=", ".join(LANGUAGES)
        )
    return base


def catalogue_path(language: str) -> str:
    return f"locale/{language}/LC_MESSAGES/{DOMAIN}.po"


@cache
def _translations(language: str) -> NullTranslations:
    if language == "en":
        return NullTranslations()  # the messages are written in English
    source = files("relance").joinpath(catalogue_path(language)).read_bytes()
    kept = _kept_copy(language, source)
    if kept is not None:
        try:
            with kept.open("rb") as copy:
                return GNUTranslations(copy)
        except (OSError, ValueError, struct.error):
            pass  # not kept yet, unreadable or damaged: compiled (and kept) anew
    compiled = _compile(language, source)
    if kept is not None:
        _keep(kept, compiled)
    return GNUTranslations(io.BytesIO(compiled))


def _kept_copy(language: str, source: bytes) -> Path | None:
    """Where the catalogue compiled from this version of its .po is kept, in the user's cache:
    Babel's import and compiling cost each command about 0.06 s of CPU, `relance status` a
    tenth of its start. None without a home directory (a service account): compiled each time."""
    home = os.environ.get("XDG_CACHE_HOME")
    try:
        cache_home = Path(home) if home else Path.home() / ".cache"
    except RuntimeError:  # no HOME, no entry in the password database
        return None
    digest = hashlib.sha256(source).hexdigest()[:16]
    return cache_home / "relance" / f"{DOMAIN}-{language}-{digest}.mo"


def _keep(path: Path, compiled: bytes) -> None:
    """Whole or absent, even with two commands at once; a cache that cannot be written only
    means compiling every time."""
    partial = path.with_suffix(f".{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(compiled)
        partial.replace(path)
    except OSError:
        with suppress(OSError):
            partial.unlink(missing_ok=True)  # a full disk: no half file left behind


def _compile(language: str, source: bytes) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalogue = read_po(io.BytesIO(source), locale=LOCALES[language], domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    return compiled.getvalue()


class Texts:
    """One language's words, dates and numbers."""

    def __init__(self, language: str) -> None:
        self.language = parse_language(language)
        self.locale = LOCALES[self.language]
        self._catalogue = _translations(self.language)

    def _(self, message: str, **values: object) -> str:
        """The message in this language, its {placeholders} filled from `values`."""
        text = self._catalogue.gettext(message)
        return text.format(**values) if values else text

    def p_(self, context: str, message: str, **values: object) -> str:
        """The message as meant in `context`: for an English word another text of the code
        uses with another meaning ("Wards" on the snapshot's cover, not the pages')."""
        text = self._catalogue.pgettext(context, message)
        return text.format(**values) if values else text

    def n_(self, singular: str, plural: str, count: int, **values: object) -> str:
        """The form of the message for `count`; {n} is the count, written in this language."""
        text = self._catalogue.ngettext(singular, plural, count)
        return text.format(n=self.number(count), **values)

    def error(self, error: RelanceError | Problem) -> str:
        """An error (or one problem of an input) in this language, its words translated."""
        return error.in_words(self._catalogue.gettext)

    def problem(self, problem: Problem) -> str:
        """What is wrong in an input, in this language, without its file and line."""
        return problem.said(self._catalogue.gettext)

    def number(self, value: float) -> str:
        from babel import numbers

        return numbers.format_decimal(value, locale=self.locale)

    def percent(self, value: int) -> str:
        return f"{self.number(value)}\u00a0%" if self.language != "en" else f"{value}%"

    def long_date(self, day: date) -> str:
        """'mardi 17 mai 2022', 'dinsdag 17 mei 2022', 'Dienstag, 17. Mai 2022'."""
        from babel import dates

        return dates.format_date(day, "full", locale=self.locale)

    def short_date(self, day: date) -> str:
        """'mar. 17/05', 'di 17/5', 'Di., 17.5.', 'Tue 17/05': a day of the incident."""
        from babel import dates

        return dates.format_skeleton("MEd", day, locale=self.locale)

    def numeric_date(self, day: date) -> str:
        """'27/11/2026', '27.11.2026'."""
        from babel import dates

        return dates.format_skeleton("yMMdd", day, locale=self.locale)

    def day_month(self, day: date) -> str:
        """'17/05', '17/5', '17.05.', '17/05'."""
        from babel import dates

        return dates.format_skeleton("ddMM", day, locale=self.locale)

    def time(self, moment: datetime) -> str:
        from babel import dates

        return dates.format_time(moment, "HH:mm", locale=self.locale)

    def join(self, items: Iterable[str]) -> str:
        """'Arlon, Marche et Virton'."""
        from babel import lists

        words = list(items)
        return lists.format_list(words, locale=self.locale) if words else ""
