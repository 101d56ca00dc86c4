"""The English words of the document catalogue that no French text uses: none of them may
appear in a French document."""

import io
import re
from functools import cache
from importlib.resources import files

from babel.messages.pofile import read_po

from relance.i18n import catalogue_path

WORD = re.compile(r"[a-zà-ÿ']+")


@cache
def english_words() -> frozenset[str]:
    source = files("relance").joinpath(catalogue_path("fr")).read_bytes()
    english, french = set(), set()
    for message in read_po(io.BytesIO(source)):
        if not message.id:
            continue
        english |= set(WORD.findall(str(message.id).lower()))
        french |= set(WORD.findall(str(message.string).lower()))
    placeholders = {"n", "not_", "activities", "organisation", "sites", "version", "method"}
    return frozenset(w for w in english - french - placeholders if len(w) > 3)
