"""Import and triage a large appointment book on the reference network (SQLite).

    python benchmarks/triage.py [--appointments 100000] [--fhir-resources 12000]

Prints: the time to import a CSV book of N appointments, to triage all of them (decisions,
outbox, audit rows, committed), and to read a FHIR bundle of about 12,000 resources.
"""

import argparse
import json
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from machine import about  # benchmarks/machine.py, beside this script
from relance.app import demo
from relance.app.appointments import generate_week, import_book, triage_book
from relance.app.context import Context
from relance.domain.roles import CONSOLE
from relance.importers import appointments_fhir
from relance.importers.book_generator import WEEKLY, write_csv, write_fhir
from relance.importers.triage_rules import default_rules
from relance.storage.database import make_engine, migrate, unit_of_work

ZONE = ZoneInfo("Europe/Brussels")
CTX = Context(actor="bench", authority=CONSOLE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--appointments", type=int, default=100_000)
    parser.add_argument("--fhir-resources", type=int, default=12_000)
    args = parser.parse_args()
    print("machine:", json.dumps(about()))
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'relance.db'}")
        migrate(engine)
        demo.load_reference(lambda: unit_of_work(engine))
        scale = args.appointments / sum(WEEKLY.values())
        with unit_of_work(engine) as uow:
            book = generate_week(uow, date(2022, 5, 16), ZONE, scale=scale)
        csv_path = Path(tmp) / "book.csv"
        write_csv(book, csv_path, ZONE)
        began = time.perf_counter()
        with unit_of_work(engine) as uow:
            imported = import_book(uow, CTX, [csv_path], ZONE)
        seconds = time.perf_counter() - began
        print(f"import CSV: {imported.appointments:,} appointments in {seconds:.2f} s")
        # `relance appointments triage` runs in its own process: the 100,000 generated
        # appointments are not in its memory, where they slowed the garbage collector (0.6 s).
        del book
        began = time.perf_counter()
        with unit_of_work(engine) as uow:
            today = datetime(2022, 5, 15, 8, tzinfo=ZONE)
            report = triage_book(
                uow, CTX, default_rules(), sender="Vivalia", zone=ZONE, today=today
            )
        seconds = time.perf_counter() - began
        print(
            f"triage: {report.appointments:,} appointments, {report.changed:,} decisions, "
            f"{report.messages_queued:,} SMS queued, in {seconds:.2f} s (target <= 5 s)"
        )
        fhir(args.fhir_resources, Path(tmp))
        engine.dispose()


def fhir(resources: int, tmp: Path) -> None:
    """Read a FHIR bundle of about `resources` resources (parse and validate, R4B models)."""
    book_size = int(resources * 0.62)  # about 0.62 appointments per resource in these books
    engine = make_engine(f"sqlite:///{tmp / 'fhir.db'}")
    migrate(engine)
    demo.load_reference(lambda: unit_of_work(engine))
    with unit_of_work(engine) as uow:
        book = generate_week(
            uow, date(2022, 5, 16), ZONE, seed=7, scale=book_size / sum(WEEKLY.values())
        )
    ndjson = tmp / "book.ndjson"
    count = write_fhir(book, ndjson)
    bundle = tmp / "book.json"
    entries = [{"resource": json.loads(line)} for line in ndjson.read_text().splitlines()]
    bundle.write_text(
        json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries})
    )
    began = time.perf_counter()
    found, problems = appointments_fhir.read([bundle])
    parsed = time.perf_counter() - began
    if problems:
        raise SystemExit(f"the generated bundle has problems: {problems[:3]}")
    began = time.perf_counter()
    with unit_of_work(engine) as uow:
        import_book(uow, CTX, [bundle], ZONE)
    whole = time.perf_counter() - began
    print(
        f"FHIR bundle: {count:,} resources ({len(found):,} appointments): parsed and validated in "
        f"{parsed:.2f} s; whole import (parse, check, write) {whole:.2f} s (target <= 3 s)"
    )
    engine.dispose()


if __name__ == "__main__":
    main()
