"""`relance exercise`: a training exercise on a scenario, in a database of its own."""

from pathlib import Path
from typing import Annotated

import typer

from relance.cli.common import (
    console,
    context,
    fail,
    local,
    print_json,
    transaction,
    user_errors,
)
from relance.domain.clock import SPEED_MAX

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
            f"a relance database already exists in {directory} ({path.name}): an exercise "
            "needs a new one (relance exercise start SCENARIO --dir NEW_DIRECTORY)"
        )
    directory.mkdir(parents=True, exist_ok=True)
    with user_errors():
        started = exercise.start(lambda: transaction(directory, create=True), scenario, speed)
    console.print(
        f"EXERCICE {started.scenario}: starts {local(started.start)}, {started.speed:g} times "
        f"the wall clock, {started.injects} injects. Next: relance exercise status"
        + (f" (in {directory})" if directory != Path() else ""),
        highlight=False,
    )


@app.command()
def status(
    directory: Directory = Path(),
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
        f"{found.scenario}: exercise time {local(found.now)}, {found.speed:g} times the wall "
        f"clock (started {local(found.start)})",
        highlight=False,
    )
    for line in found.injects:
        done = f"applied {local(line.applied_at)}" if line.applied_at else "to come"
        inject = line.inject
        console.print(
            f"{local(inject.at)}  {inject.kind.value:<9} {done:<23} {inject.text}", highlight=False
        )


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", help="The PDF to write.")] = Path(
        "exercise-report.pdf"
    ),
    directory: Directory = Path(),
) -> None:
    """The exercise report (PDF, French): the players' times and decisions against the
    expected responses and the record."""
    from relance.app import exercise

    ctx = context(None, directory)
    with transaction(directory) as uow:
        found = exercise.write_report(uow, ctx, out)
    counts = {v: sum(e.verdict == v for e in found.expected) for v in ("met", "late", "missing")}
    console.print(
        f"{out}: {counts['met']} met, {counts['late']} late, {counts['missing']} missing "
        f"of {len(found.expected)} expected responses",
        highlight=False,
    )
