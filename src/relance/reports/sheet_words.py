"""The words of the ward sheets and the call list in the reader's language: the catalogue's
(French first, Dutch and German for the nurses of every region, English), with the sheets'
own way of writing times, dates and decimals.

The sheets are read by nurses of every language region: their messages live in the three
catalogues (reports/ is what the public reads, tests/test_translations.py). A word the sheets
mean otherwise than the pages or the sitrep goes through `p_` with a context.
"""

from datetime import datetime

from relance.i18n import N_, Texts

# The FHIR EventTiming codes an order's schedule may carry, as a nurse says them.
WHEN = {
    "MORN": N_("morning"),
    "MORN.early": N_("early morning"),
    "MORN.late": N_("late morning"),
    "NOON": N_("noon"),
    "AFT": N_("afternoon"),
    "AFT.early": N_("early afternoon"),
    "AFT.late": N_("late afternoon"),
    "EVE": N_("evening"),
    "EVE.early": N_("early evening"),
    "EVE.late": N_("late evening"),
    "NIGHT": N_("night"),
    "PHS": N_("after sleep"),
    "HS": N_("at bedtime"),
    "WAKE": N_("on waking"),
    "C": N_("with meals"),
    "CM": N_("with breakfast"),
    "CD": N_("with lunch"),
    "CV": N_("with dinner"),
    "AC": N_("before meals"),
    "ACM": N_("before breakfast"),
    "ACD": N_("before lunch"),
    "ACV": N_("before dinner"),
    "PC": N_("after meals"),
    "PCM": N_("after breakfast"),
    "PCD": N_("after lunch"),
    "PCV": N_("after dinner"),
}
# Day and month as every sheet prints them (the German with its dots), whatever CLDR prefers.
DATE_TIME = {"fr": "%d/%m %H:%M", "en": "%d/%m %H:%M", "nl": "%d/%m %H:%M", "de": "%d.%m. %H:%M"}
DATE = {"fr": "%d/%m/%Y", "en": "%d/%m/%Y", "nl": "%d/%m/%Y", "de": "%d.%m.%Y"}


class SheetWords:
    """A sheet's texts in one language: words._("AS OF {when}", when="14/05 01:15")."""

    def __init__(self, language: str) -> None:
        self.t = Texts(language)
        self.language = self.t.language

    def _(self, message: str, **values: object) -> str:
        return self.t._(message, **values)

    def p_(self, context: str, message: str, **values: object) -> str:
        return self.t.p_(context, message, **values)

    def when(self, code: str) -> str:
        """An EventTiming code in words; a code we do not know, as it is."""
        return self._(WHEN[code]) if code in WHEN else code

    def moment(self, value: datetime) -> str:
        return value.strftime(DATE_TIME[self.language])

    def date(self, value: datetime) -> str:
        return value.strftime(DATE[self.language])

    def weekday(self, index: int) -> str:
        """Monday is 0, as datetime counts."""
        return self._("Mon Tue Wed Thu Fri Sat Sun").split()[index]

    def number(self, text: str) -> str:
        """Decimal commas in French, Dutch and German: 0.5 mg -> 0,5 mg."""
        if self.language == "en":
            return text
        return "".join(
            ","
            if c == "."
            and 0 < i < len(text) - 1
            and text[i - 1].isdigit()
            and text[i + 1].isdigit()
            else c
            for i, c in enumerate(text)
        )
