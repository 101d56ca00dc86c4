"""The notifications page says how many SMS may have been sent, and what to do, in each language."""

from pathlib import Path

from relance.app.appointments import import_book, triage_book
from relance.app.context import Context
from relance.app.notify import DispatchOptions, dispatch
from relance.domain.roles import CONSOLE, Role
from relance.importers.triage_rules import default_rules
from relance.notifications.gateway import Outcome, RecordingGateway
from relance.storage.database import unit_of_work
from tests.notifications.conftest import BOOK_HEADER, TODAY, ZONE, book_rows
from tests.web.conftest import Web, login_of

CTX = Context(actor="cell", authority=CONSOLE)


def test_sms_in_doubt_are_counted_with_what_to_do(web: Web, tmp_path: Path) -> None:
    web.sign_in(login_of(Role.OBSERVER))
    assert 'id="sms-in-doubt"' not in web.client.get("/notifications").text
    (tmp_path / "book.csv").write_text(BOOK_HEADER + "\n".join(book_rows(3)) + "\n")
    with unit_of_work(web.engine) as uow:
        import_book(uow, CTX, [tmp_path / "book.csv"], ZONE)
        triage_book(uow, CTX, default_rules(), sender="Test", zone=ZONE, today=TODAY)
    lost = RecordingGateway(Outcome.UNKNOWN)
    dispatch(lambda: unit_of_work(web.engine), CTX, lost, DispatchOptions(rate=1000))
    french = web.client.get("/notifications").text
    assert "3 SMS peut-être envoyés" in french
    assert "relance notify reconcile" in french
    web.client.get("/lang/en")
    english = web.client.get("/notifications").text
    assert "3 SMS may have been sent" in english
    assert "relance notify settle" in english
    assert "peut-être" not in english
