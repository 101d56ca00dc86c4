"""Pydantic's validation errors in the catalogue's words.

Pydantic says what is wrong in English ("Input should be a valid integer"); a technician
reading a French screen gets the catalogue's translation of the common kinds instead, the
English kept word for word for logs and the API. A check of relance's own (a validator's
ValueError) is already a catalogue message. Rarer kinds keep Pydantic's English text.
"""

import re
from typing import Any

from pydantic_core import ErrorDetails

from relance.domain.errors import N_, RelanceError, Word

_PLAIN = {  # Pydantic's English texts, with the catalogue's translation
    "missing": N_("Field required"),
    "extra_forbidden": N_("Extra inputs are not permitted"),
    "int_type": N_("Input should be a valid integer"),
    "int_parsing": N_("Input should be a valid integer, unable to parse string as an integer"),
    "int_from_float": N_("Input should be a valid integer, got a number with a fractional part"),
    "float_type": N_("Input should be a valid number"),
    "float_parsing": N_("Input should be a valid number, unable to parse string as a number"),
    "finite_number": N_("Input should be a finite number"),
    "bool_type": N_("Input should be a valid boolean"),
    "bool_parsing": N_("Input should be a valid boolean, unable to interpret input"),
    "string_type": N_("Input should be a valid string"),
    "list_type": N_("Input should be a valid list"),
    "dict_type": N_("Input should be a valid dictionary"),
    "timezone_aware": N_("Input should have timezone info"),
}
_LIMITS = {  # the same, with the value Pydantic gives in the error's context
    "greater_than": (N_("Input should be greater than {gt}"), "gt"),
    "greater_than_equal": (N_("Input should be greater than or equal to {ge}"), "ge"),
    "less_than": (N_("Input should be less than {lt}"), "lt"),
    "less_than_equal": (N_("Input should be less than or equal to {le}"), "le"),
    "string_too_short": (N_("String should have at least {min_length} characters"), "min_length"),
    "string_too_long": (N_("String should have at most {max_length} characters"), "max_length"),
    "string_pattern_mismatch": (N_("String should match pattern '{pattern}'"), "pattern"),
    "date_parsing": (N_("Input should be a valid date in the format YYYY-MM-DD, {error}"), "error"),
    "datetime_parsing": (N_("Input should be a valid datetime, {error}"), "error"),
    "datetime_from_date_parsing": (
        N_("Input should be a valid datetime or date, {error}"),
        "error",
    ),
}


# fhir.resources refuses a badly written primitive with "Date value string does not match spec
# regex."; the format it expects, said in the reader's words.
_FHIR_FORMAT = re.compile(r"^(?P<type>\w+) value string does not match spec regex\.?$")
_FORMATS = {
    "Date": N_("not a FHIR date: write it like 2022-05-14"),
    "DateTime": N_("not a FHIR dateTime: write it like 2022-05-14T10:30:00+02:00"),
    "Instant": N_("not a FHIR instant: write it like 2022-05-14T10:30:00+02:00"),
    "Time": N_("not a FHIR time: write it like 10:30:00"),
}


def said(error: ErrorDetails) -> tuple[str, dict[str, Any]]:
    """The msgid and values saying `error` (Pydantic's text where the catalogue has none)."""
    kind, context = error["type"], error.get("ctx", {})
    if kind in _PLAIN:
        return _PLAIN[kind], {}
    if kind in _LIMITS and _LIMITS[kind][1] in context:
        message, key = _LIMITS[kind]
        value = context[key]  # 10000.0 said as Pydantic says it: 10000
        return message, {
            key: int(value) if isinstance(value, float) and value.is_integer() else value
        }
    if kind in {"enum", "literal_error"} and "expected" in context:  # "'a', 'b' or 'c'"
        return N_("Input should be {expected}"), {"expected": _listed(context["expected"])}
    if kind == "value_error" and isinstance(context.get("error"), ValueError):
        return _value_error(context["error"])
    return "{error}", {"error": error["msg"]}


def _value_error(fault: ValueError) -> tuple[str, dict[str, Any]]:
    """A validator's check: ours (a catalogue message, with its values when it has some), or
    fhir.resources' check of a FHIR primitive (said as the format it expects)."""
    if fault.args and isinstance(fault.args[0], RelanceError):
        return N_("Value error, {error}"), {"error": fault.args[0]}
    if fhir := _FHIR_FORMAT.match(str(fault)):
        kind = fhir["type"]
        return _FORMATS.get(kind, N_("not a valid FHIR {type}")), {"type": kind}
    return N_("Value error, {error}"), {"error": Word(str(fault))}


def _listed(expected: str) -> str:
    """Pydantic's "'a', 'b' or 'c'" without its English "or": "'a', 'b', 'c'"."""
    return expected.replace("' or '", "', '")
