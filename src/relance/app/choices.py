"""Choices that commands offer, with their defaults: plain values the CLI needs to build its
options before it imports the rest of the application (and with it SQLAlchemy, OR-Tools,
ReportLab...), so that `relance --help` starts fast. Nothing of relance is imported here."""

from enum import StrEnum


class Method(StrEnum):
    """How a restoration plan is computed."""

    CPSAT = "cpsat"  # optimised: CP-SAT warm-started from the best priority rule
    TIERS = "tiers"  # the hand-made order: whole service tiers one after another
    RULE = "rule"  # the best priority rule alone


class Format(StrEnum):
    """The files of a situation report."""

    MD = "md"
    PDF = "pdf"


class ExportFormat(StrEnum):
    """The timeline written out."""

    CSV = "csv"
    MD = "md"


# SMS requests under way at once: Kannel answers each in tens of milliseconds when reports are
# asked for, so it takes about this many at once to send 100 a second; also the most a
# dispatcher killed can leave in doubt
DISPATCH_WORKERS = 16
