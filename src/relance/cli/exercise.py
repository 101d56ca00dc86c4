"""`relance exercise`: a training exercise on a scenario, in a database of its own."""

from pathlib import Path
from typing import Annotated

import typer

from relance.cli.common import (
    _,
    console,
    context,
    fail,
    local,
    n_,
    print_json,
    transaction,
    user_errors,
)
from relance.cli.tables import Wide, key_column, show, table, text_column
from relance.cli.wording import label
from relance.domain.clock import SPEED_MAX
from relance.reports.codes import INJECT_KINDS

app = typer.Typer(help="A training exercise: its own database, its clock, its injects, its report.")
Directory = Annotated[
    Path, typer.Option("--dir", help="Directory of the exercise's database (default: here).")
]


@app.command()
def start(
    scenario: Annotated[
        str,
        typer.Argument(help="vivalia-2022, or a directory holding scenario.yaml and injects.yaml."),
    ],
    speed: Annotated[
        float,
        typer.Option(
            min=1, max=SPEED_MAX, help="How many times faster than the wall clock its time runs."
        ),
    ] = 60.0,
    directory: Directory = Path(),
) -> None:
    """Create a new exercise database in DIR; its clock starts on the record's night."""
    from relance.app import exercise
    from relance.storage.database import database_file, database_url

    with user_errors():
        exercise.check_script(scenario)  # the injects file valid before a database is created
        path = database_file(database_url(directory))
    if path is not None and path.exists():
        fail(
            _(
                "a relance database already exists in {directory} ({file}): an exercise "
                "needs a new one (relance exercise start SCENARIO --dir NEW_DIRECTORY)",
                directory=directory,
                file=path.name,
            )
        )
    directory.mkdir(parents=True, exist_ok=True)
    with user_errors():
        started = exercise.start(lambda: transaction(directory, create=True), scenario, speed)
    line = _(
        "EXERCISE {scenario}: starts {start}, {speed} times the wall clock, {injects}. "
        "Next: relance exercise status",
        scenario=started.scenario,
        start=local(started.start),
        speed=f"{started.speed:g}",
        injects=n_("{n} inject", "{n} injects", started.injects),
    )
    if directory != Path():
        line += " " + _("(in {directory})", directory=directory)
    console.print(line, highlight=False)


@app.command()
def status(
    directory: Directory = Path(),
    wide: Wide = False,
    json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """The exercise's time and its injects, applied or to come."""
    from relance.app import exercise

    ctx = context(None, directory)  # applies the injects fallen due
    with transaction(directory) as uow:
        found = exercise.exercise_status(uow, ctx)
    if json:
        print_json(found)
        return
    console.print(
        _(
            "{scenario}: exercise time {time}, {speed} times the wall clock (started {start})",
            scenario=found.scenario,
            time=local(found.now),
            speed=f"{found.speed:g}",
            start=local(found.start),
        ),
        highlight=False,
    )
    rows = [
        (
            local(line.inject.at),
            label(INJECT_KINDS, line.inject.kind),
            _("applied {time}", time=local(line.applied_at)) if line.applied_at else _("to come"),
            line.inject.text,
        )
        for line in found.injects
    ]
    shown = table(_("injects"))
    for column, header in enumerate((_("time"), _("kind"), _("state"))):
        key_column(shown, header, [row[column] for row in rows])
    text_column(shown, _("inject"), ratio=1, min_width=20)
    for row in rows:
        shown.add_row(*row)
    show(shown, wide)


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", help="The PDF to write.")] = Path(
        "exercise-report.pdf"
    ),
    lang: Annotated[str, typer.Option("--lang", help="fr or en.")] = "fr",
    directory: Directory = Path(),
) -> None:
    """The exercise report (PDF, in French or English): the players' times and decisions
    against the expected responses and the record."""
    from relance.app import exercise

    ctx = context(None, directory)
    with transaction(directory) as uow:
        found = exercise.write_report(uow, ctx, out, language=lang)
    counts = {v: sum(e.verdict == v for e in found.expected) for v in ("met", "late", "missing")}
    console.print(
        _(
            "{file}: {met} met, {late} late, {missing} missing of {expected}",
            file=out,
            met=counts["met"],
            late=counts["late"],
            missing=counts["missing"],
            expected=n_(
                "{n} expected response",
                "{n} expected responses",
                len(found.expected),
            ),
        ),
        highlight=False,
    )
