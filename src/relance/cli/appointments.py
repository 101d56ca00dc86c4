"""`relance appointments`: import the book, triage it, and the physicians' review queue."""

import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

from relance.cli.common import (
    _,
    console,
    context,
    fail,
    language,
    local,
    parse_day,
    parse_time,
    print_json,
    timezone,
    transaction,
    user_errors,
)
from relance.cli.tables import (
    All,
    PageNumber,
    PageSize,
    Sites,
    Wide,
    count_line,
    key_column,
    page_hint,
    paging,
    table,
    text_column,
)
from relance.cli.wording import decision, n_, show_list, words
from relance.domain.network import translated
from relance.domain.triage import Decision

app = typer.Typer(help="The appointment book: import, triage by rules, physicians' review.")
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
Actor = Annotated[str | None, typer.Option(help="Who decides (default: RELANCE_ACTOR or you).")]


def sender() -> str | None:
    """RELANCE_SMS_SENDER, the name patients see, when it overrides the scenario's."""
    return os.environ.get("RELANCE_SMS_SENDER") or None


@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="CSV, FHIR bundle (.json) or NDJSON files.")],
    actor: Actor = None,
    json: Json = False,
) -> None:
    """Import an appointment book; importing it again updates, never duplicates."""
    from relance.app import appointments as service

    with transaction() as uow:
        report = service.import_book(uow, context(actor), files, timezone())
    if json:
        print_json(report)
        return
    console.print(
        _(
            "{n} appointments: {created} new, {updated} updated",
            n=report.appointments,
            created=report.created,
            updated=report.updated,
        ),
        style="green",
        highlight=False,
    )


@app.command()
def triage(
    date: Annotated[str | None, typer.Option(help="Only this day (2022-05-16).")] = None,
    rules: Annotated[
        Path | None, typer.Option(help="Triage rules YAML (default: shipped).")
    ] = None,
    actor: Actor = None,
    json: Json = False,
) -> None:
    """Decide each appointment: maintain, cancel, or review by a physician; queue the SMS."""
    from relance.app import appointments as service
    from relance.app.plan import plan_start
    from relance.importers.triage_rules import default_rules, load_rules

    with user_errors():
        rule_set = load_rules(rules) if rules else default_rules()
    since = until = None
    if date:
        day = parse_time(date, "--date")
        assert day is not None  # noqa: S101 - given
        since, until = day, day + timedelta(days=1)
    ctx = context(actor)
    with transaction() as uow:
        today = plan_start(uow, ctx)
        report = service.triage_book(
            uow,
            ctx,
            rule_set,
            sender=sender(),
            zone=timezone(),
            today=today,
            since=since,
            until=until,
        )
    if json:
        print_json(report)
        return
    decided = ", ".join(
        _("{what}: {n}", what=decision(d), n=n) for d, n in sorted(report.by_decision.items())
    )
    console.print(
        _(
            "{n} appointments, {changed} decided: {decided}",
            n=report.appointments,
            changed=report.changed,
            decided=decided or _("no change"),
        ),
        highlight=False,
    )
    console.print(
        _(
            "{queued} SMS queued (relance notify send), {to_phone} patients to phone "
            "(relance notify call-list); rules {version}",
            queued=report.messages_queued,
            to_phone=report.to_phone,
            version=report.rules_version,
        ),
        highlight=False,
    )


@app.command()
def review(
    site: Sites = None,
    limit: PageSize = 50,
    page: PageNumber = 1,
    every: All = False,
    wide: Wide = False,
    json: Json = False,
) -> None:
    """The appointments waiting for a physician's decision, in date order. Reading is audited."""
    from relance.app.patient_reads import ReviewFilter, read_review_page

    size, offset = paging(limit, page, every)
    where = ReviewFilter(tuple(site or ()), offset=offset, size=size)
    with transaction() as uow:
        found = read_review_page(uow, context(None, reads=True), "cli appointments review", where)
    if json:
        print_json({"total": found.matching, "offset": found.offset, "appointments": found.entries})
        return
    queue = found.entries
    noun = n_("appointment to review", "appointments to review", found.matching)
    shown = table(count_line(len(queue), found.matching, noun, offset + 1))
    key_column(shown, _("appointment"), [e.external_id for e in queue])
    text_column(shown, _("when"), min_width=10)
    key_column(shown, _("site"), [e.site for e in queue])
    text_column(shown, _("activity, pathway"), ratio=1)
    text_column(shown, _("patient, contact"), ratio=1, min_width=14)
    for e in queue:
        contact = e.patient.mobile or e.patient.phone or _("no number")
        shown.add_row(
            e.external_id,
            local(e.starts_at),
            e.site,
            f"{translated(found.names, language(), found.activities.get(e.activity, e.activity))}"
            f"\n{words().pathway(e.pathway)}",
            f"{e.patient.name}\n{contact}",
        )
    show_list(shown, len(queue), wide)
    hint = page_hint("relance appointments review", found.matching, offset, len(queue), size)
    if hint:
        console.print(hint, highlight=False)
    if queue:
        console.print(
            _(
                "decide: relance appointments decide APPOINTMENT "
                "--maintain|--cancel|--phone|--reschedule TIME --reason ..."
            ),
            highlight=False,
        )


@app.command()
def decide(
    appointment: Annotated[str, typer.Argument(help="Appointment reference (as in review).")],
    reason: Annotated[str, typer.Option(help="Why: kept with the decision.")],
    maintain: Annotated[bool, typer.Option("--maintain")] = False,
    cancel: Annotated[bool, typer.Option("--cancel")] = False,
    phone: Annotated[bool, typer.Option("--phone", help="The patient will be phoned.")] = False,
    reschedule: Annotated[str | None, typer.Option("--reschedule", help="New time.")] = None,
    actor: Actor = None,
) -> None:
    """A physician's decision on one appointment; an SMS is queued if it tells the patient."""
    from relance.app import appointments as service

    chosen = [
        d
        for d, on in (
            (Decision.MAINTAIN, maintain),
            (Decision.CANCEL, cancel),
            (Decision.PHONE, phone),
            (Decision.RESCHEDULE, reschedule is not None),
        )
        if on
    ]
    if len(chosen) != 1:
        fail(_("choose one of --maintain, --cancel, --phone, --reschedule TIME"))
    new_start: datetime | None = parse_time(reschedule, "--reschedule")
    with transaction() as uow:
        service.decide_appointment(
            uow,
            context(actor),
            appointment,
            chosen[0],
            reason,
            sender=sender(),
            zone=timezone(),
            new_start=new_start,
        )
    console.print(f"{appointment}: {decision(chosen[0])}", highlight=False, markup=False)


@app.command()
def generate(
    week: Annotated[str, typer.Option(help="Monday of the week (2022-05-16).")],
    out: Annotated[Path, typer.Option(help="book.csv, or book.ndjson for FHIR R4.")],
    seed: Annotated[int, typer.Option(help="The same seed gives the same book.")] = 2022,
    scale: Annotated[float, typer.Option(min=0.001, help="1.0: about 10,500 a week.")] = 1.0,
) -> None:
    """Write a realistic week of appointments for this network (demo, tests, exercises)."""
    from relance.app import appointments as service
    from relance.importers.book_generator import write_csv, write_fhir

    monday = parse_day(week, "--week")
    with transaction() as uow:
        book = service.generate_week(uow, monday, timezone(), seed, scale)
    if out.suffix.lower() == ".csv":
        write_csv(book, out, timezone())
    elif out.suffix.lower() == ".ndjson":
        write_fhir(book, out)
    else:
        fail(_("{file}: give a file ending in .csv or .ndjson", file=out.name))
    console.print(_("{n} appointments written to {file}", n=len(book), file=out), highlight=False)
