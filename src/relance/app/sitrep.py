"""The daily situation report: built from one day's data, drafted, approved, published.

A draft is rebuilt from the data each time it is produced; approval freezes its facts. A
published report is never changed: its files, in every language and format, are kept as they
went out, and any later export of that version gives the same bytes. A correction is a new
version of the same day.
"""

import hashlib
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from relance.app.approval import account_name, check_four_eyes
from relance.app.choices import Format
from relance.app.context import Context
from relance.app.incident import audit
from relance.app.incident_clock import reading
from relance.app.sitrep_facts import build_facts, iso
from relance.domain.audit_events import EventType
from relance.domain.errors import N_, InvalidInput
from relance.domain.incident import SITREP_TRANSITIONS, SitrepState, check_move
from relance.domain.text import checked_text
from relance.i18n import LANGUAGES
from relance.reports import sitrep_charts, sitrep_markdown, sitrep_pdf
from relance.reports.sitrep_document import document
from relance.reports.sitrep_model import (
    Header,
    SitrepFacts,
)
from relance.reports.words import Words
from relance.storage import (
    incident_store,
)
from relance.storage.database import UnitOfWork
from relance.storage.incident_store import SitrepVersion


@dataclass(frozen=True)
class Files:
    """A report in one language and format: its main file and the pictures it refers to."""

    main: str  # the name of the PDF or Markdown file
    content: dict[str, bytes]  # name -> bytes, the main file and its pictures


def _versions(uow: UnitOfWork, day: date, for_update: bool = False) -> list[SitrepVersion]:
    return incident_store.sitreps(uow, day.isoformat(), for_update)


def _key(v: SitrepVersion) -> tuple[str, str]:
    return ("sitrep", f"{v.day} v{v.version}")


def produce_sitrep(
    uow: UnitOfWork, ctx: Context, day: date, zone: ZoneInfo, new_version: bool = False
) -> SitrepVersion:
    """The report of `day`: a new draft, a draft rebuilt from the data, or the frozen version."""
    versions = _versions(uow, day, for_update=True)
    latest = versions[-1] if versions else None
    if latest is not None and latest.state != SitrepState.DRAFT and not new_version:
        return latest
    if latest is not None and new_version and latest.state != SitrepState.PUBLISHED:
        follows = N_("sitrep {day} v{version} is {state}: a new version follows a published one")
        raise InvalidInput(follows, day=day.isoformat(), version=latest.version, state=latest.state)
    facts = build_facts(uow, ctx, day, zone).as_json()
    now = ctx.clock.now()
    if latest is not None and latest.state == SitrepState.DRAFT:
        incident_store.update_sitrep(uow, latest.id, {"facts": facts, "drafted_at": now})
        audit(uow, ctx, EventType.SITREP_UPDATED, _key(latest), now, reason="rebuilt from data")
        return _reload(uow, latest.id)
    return _new_version(uow, ctx, day, latest, facts=facts, note="")


def _new_version(
    uow: UnitOfWork,
    ctx: Context,
    day: date,
    latest: SitrepVersion | None,
    *,
    facts: dict[str, object],
    note: str,
) -> SitrepVersion:
    now = ctx.clock.now()
    values = {
        "day": day.isoformat(),
        "version": latest.version + 1 if latest else 1,
        "state": SitrepState.DRAFT.value,
        "facts": facts,
        "note": note,
        "drafted_by": ctx.actor,
        "drafted_at": now,
    }
    new_id = incident_store.add_sitrep(uow, values)
    made = _reload(uow, new_id)
    why = f"correction of published v{latest.version}" if latest else ""
    audit(uow, ctx, EventType.SITREP_DRAFTED, _key(made), now, after={"state": "draft"}, reason=why)
    return made


def _reload(uow: UnitOfWork, sitrep_id: int) -> SitrepVersion:
    found = incident_store.sitrep(uow, sitrep_id)
    assert found is not None  # noqa: S101 - just written
    return found


def edit_sitrep(
    uow: UnitOfWork, ctx: Context, day: date, zone: ZoneInfo, note: str
) -> SitrepVersion:
    """Set the cell's note; an approved report goes back to draft, a published one gets a new
    version with facts rebuilt from the data."""
    note = checked_text(note, N_("the note"))
    versions = _versions(uow, day, for_update=True)
    if not versions:
        raise InvalidInput(N_("no sitrep for {day} yet: produce it first"), day=day.isoformat())
    latest = versions[-1]
    if latest.state == SitrepState.PUBLISHED:
        facts = build_facts(uow, ctx, day, zone).as_json()
        return _new_version(uow, ctx, day, latest, facts=facts, note=note)
    now = ctx.clock.now()
    values: dict[str, object] = {"note": note}
    if latest.state == SitrepState.APPROVED:
        check_move(SITREP_TRANSITIONS, "the sitrep", SitrepState.APPROVED, SitrepState.DRAFT)
        values |= {"state": SitrepState.DRAFT.value, "approved_by": None, "approved_at": None}
    incident_store.update_sitrep(uow, latest.id, values)
    audit(
        uow,
        ctx,
        EventType.SITREP_UPDATED,
        _key(latest),
        now,
        before={"state": latest.state, "note": latest.note},
        after={"state": values.get("state", latest.state), "note": note},
        reason="note edited",
    )
    return _reload(uow, latest.id)


def _move(uow: UnitOfWork, ctx: Context, day: date, target: SitrepState) -> SitrepVersion:
    versions = _versions(uow, day, for_update=True)
    if not versions:
        raise InvalidInput(N_("no sitrep for {day} yet: produce it first"), day=day.isoformat())
    latest = versions[-1]
    what = f"sitrep {day} v{latest.version}"
    check_move(SITREP_TRANSITIONS, what, SitrepState(latest.state), target)
    if target is SitrepState.APPROVED:
        check_four_eyes(uow, ctx, latest.drafted_by, what, _key(latest))
    now = ctx.clock.now()
    who = "approved" if target is SitrepState.APPROVED else "published"
    incident_store.update_sitrep(
        uow, latest.id, {"state": target.value, f"{who}_by": ctx.actor, f"{who}_at": now}
    )
    event = EventType.SITREP_APPROVED if who == "approved" else EventType.SITREP_PUBLISHED
    audit(
        uow,
        ctx,
        event,
        _key(latest),
        now,
        before={"state": latest.state},
        after={"state": target.value},
    )
    return _reload(uow, latest.id)


def approve_sitrep(uow: UnitOfWork, ctx: Context, day: date) -> SitrepVersion:
    """Approve the day's draft; whoever drafted it cannot (four eyes)."""
    return _move(uow, ctx, day, SitrepState.APPROVED)


def publish_sitrep(uow: UnitOfWork, ctx: Context, day: date, zone: ZoneInfo) -> SitrepVersion:
    """Publish the approved report and keep its files in every language and format."""
    published = _move(uow, ctx, day, SitrepState.PUBLISHED)
    head = header(uow, published, zone)
    kept = []
    for language in LANGUAGES:
        for name, content in _render(published, head, language, tuple(Format)).items():
            kept.append((language, name, hashlib.sha256(content).hexdigest(), content))
    incident_store.add_sitrep_files(uow, published.id, kept)
    return published


def list_sitreps(uow: UnitOfWork) -> list[SitrepVersion]:
    return incident_store.sitreps(uow)


def find_version(uow: UnitOfWork, day: date, version: int) -> SitrepVersion:
    versions = _versions(uow, day)
    found = next((v for v in versions if v.version == version), None)
    if found is None:
        known = ", ".join(str(v.version) for v in versions)
        if not known:
            no_such = N_("no version {version} of the sitrep of {day} (none yet)")
            raise InvalidInput(no_such, version=version, day=day.isoformat())
        no_version = N_("no version {version} of the sitrep of {day} ({known})")
        raise InvalidInput(no_version, version=version, day=day.isoformat(), known=known)
    return found


def latest_approved(uow: UnitOfWork, day: date) -> SitrepVersion:
    approved = [v for v in _versions(uow, day) if v.state != SitrepState.DRAFT]
    if not approved:
        facts_only = N_("no approved sitrep for {day}: a communiqué states approved facts only")
        raise InvalidInput(facts_only, day=day.isoformat())
    return approved[-1]


# Output


def header(uow: UnitOfWork, v: SitrepVersion, zone: ZoneInfo) -> Header:
    """Who drafted, approved and published the version, by their account names."""
    return Header(
        v.version,
        v.state,
        account_name(uow, v.drafted_by),
        str(iso(v.drafted_at, zone)),
        account_name(uow, v.approved_by) if v.approved_by else None,
        iso(v.approved_at, zone),
        account_name(uow, v.published_by) if v.published_by else None,
        iso(v.published_at, zone),
        v.note,
        reading(uow).mode.value,
    )


def _stem(v: SitrepVersion, language: str) -> str:
    return f"sitrep-{v.day}-v{v.version}-{language}"


def _render(
    v: SitrepVersion, head: Header, language: str, formats: tuple[Format, ...]
) -> dict[str, bytes]:
    """The files of the report in one language: the PDF, the Markdown and its pictures."""
    facts = SitrepFacts.from_json(v.facts)
    words = Words(language, facts.names)
    doc = document(facts, head, words)
    stem = _stem(v, language)
    with tempfile.TemporaryDirectory() as folder:
        pictures = sitrep_charts.draw(facts, words, Path(folder), stem)
        out = {}
        if Format.PDF in formats:
            pdf = Path(folder) / f"{stem}.pdf"
            sitrep_pdf.write(doc, pictures, pdf)
            out[pdf.name] = pdf.read_bytes()
        if Format.MD in formats:
            text = sitrep_markdown.render(doc, {k: p.name for k, p in pictures.items()})
            out[f"{stem}.md"] = text.encode("utf-8")
            out |= {p.name: p.read_bytes() for p in pictures.values()}
    return out


def sitrep_files(
    uow: UnitOfWork, v: SitrepVersion, zone: ZoneInfo, fmt: Format, language: str
) -> Files:
    """The version's files: as published, byte for byte, or rendered from its facts."""
    main = f"{_stem(v, language)}.{fmt.value}"
    if v.state == SitrepState.PUBLISHED:
        kept = incident_store.sitrep_files(uow, v.id, language)
        if main in kept:
            names = [main, *(n for n in kept if n.endswith(".png"))] if fmt is Format.MD else [main]
            return Files(main, {n: kept[n][1] for n in names})
    return Files(main, _render(v, header(uow, v, zone), language, (fmt,)))


def version_files(
    uow: UnitOfWork, day: date, version: int, zone: ZoneInfo, *, fmt: Format, language: str
) -> Files:
    """One version of a day's report in one language and format (the page's download)."""
    return sitrep_files(uow, find_version(uow, day, version), zone, fmt, language)


def write_files(files: Files, out: Path) -> list[Path]:
    """The main file at `out`, the pictures of a Markdown report beside it."""
    if not out.parent.is_dir():
        raise InvalidInput(N_("{folder} is not a directory"), folder=str(out.parent))
    written = [out]
    out.write_bytes(files.content[files.main])
    for name, content in files.content.items():
        if name != files.main:
            (out.parent / name).write_bytes(content)
            written.append(out.parent / name)
    return written
