"""Send patient SMS through real Kannel (fake SMSC) as fast as it takes them, and count them.

    PYTHONPATH=. python benchmarks/sms.py [--messages 2000] [--rate 1000] [--workers 8]

(from the repository root: it starts Kannel with the tests' launcher)

Needs Debian's kannel and kannel-extras. Prints SMS per second sent (Kannel accepted), the time
until every delivery report arrived, and checks at the fake SMSC that none was lost or doubled.
"""

import argparse
import os
import platform
import re
import tempfile
import threading
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.notifications.conftest import PASSWORD, USER, free_port, start_kannel

from relance.app import demo
from relance.app.appointments import generate_week, import_book, triage_book
from relance.app.context import Context
from relance.app.notify import DispatchOptions, delivery_counts, dispatch
from relance.cli.notify import report_server
from relance.domain.delivery import Delivery
from relance.domain.roles import CONSOLE
from relance.importers.book_generator import WEEKLY, write_csv
from relance.importers.triage_rules import default_rules
from relance.notifications.kannel import KannelGateway, KannelSettings
from relance.storage.database import make_engine, migrate, unit_of_work

ZONE = ZoneInfo("Europe/Brussels")
CTX = Context(actor="bench", authority=CONSOLE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=1000.0)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    cpu = platform.processor() or platform.machine()
    print(f"machine: {os.cpu_count()} CPUs, {cpu}, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'relance.db'}")
        migrate(engine)
        demo.load_reference(lambda: unit_of_work(engine))
        # about 73 % of a week's appointments are told by SMS in the demo state
        scale = args.messages / 0.73 / sum(WEEKLY.values())
        with unit_of_work(engine) as uow:
            book = generate_week(uow, date(2022, 5, 16), ZONE, scale=scale)
        write_csv(book, Path(tmp) / "book.csv", ZONE)
        with unit_of_work(engine) as uow:
            import_book(uow, CTX, [Path(tmp) / "book.csv"], ZONE)
            today = datetime(2022, 5, 15, 8, tzinfo=ZONE)
            queued = triage_book(
                uow, CTX, default_rules(), sender="Vivalia", zone=ZONE, today=today
            ).messages_queued
        port = free_port()
        server = report_server(engine, "127.0.0.1", port)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        with start_kannel(Path(tmp)) as kannel:
            settings = KannelSettings(
                kannel.sendsms_url, USER, PASSWORD, "Vivalia", f"http://127.0.0.1:{port}/dlr"
            )
            gateway = KannelGateway(settings)
            options = DispatchOptions(rate=args.rate, workers=args.workers)
            report = dispatch(lambda: unit_of_work(engine), CTX, gateway, options)
            gateway.close()
            began = time.perf_counter()
            while time.perf_counter() - began < 120:
                with unit_of_work(engine) as uow:
                    if delivery_counts(uow).get(Delivery.DELIVERED, 0) == queued:
                        break
                time.sleep(0.2)
            settled = time.perf_counter() - began
            refs = Counter(re.findall(r"R.f (RDV-\d+-\d+)", "\\n".join(kannel.messages())))
        server.shutdown()
        with unit_of_work(engine) as uow:
            counts = delivery_counts(uow)
        engine.dispose()
    rate = report.sent / report.seconds
    print(f"{report.sent:,} of {queued:,} SMS accepted by Kannel in {report.seconds:.1f} s")
    print(f"throughput: {rate:.0f} SMS/s (target >= 100)")
    statuses = {k.value: v for k, v in counts.items()}
    print(f"every delivery report in {settled:.1f} s more; statuses {statuses}")
    lost, doubled = queued - len(refs), sum(1 for n in refs.values() if n > 1)
    print(f"at the fake SMSC: {sum(refs.values()):,} SMS, {len(refs):,} distinct")
    print(f"lost {lost}, sent twice {doubled}")


if __name__ == "__main__":
    main()
