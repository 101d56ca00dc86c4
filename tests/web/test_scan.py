"""The clean-zone phone page's calls through the test client, on SQLite and PostgreSQL."""

import io
import json
import uuid
from pathlib import Path

import numpy as np
import pytest
import zxingcpp
from PIL import Image

from relance.app.context import Context
from relance.app.labels import write_labels
from relance.app.users import add_user
from relance.domain.network import AssetFilter
from relance.domain.roles import CONSOLE, Role
from relance.storage import audit_store
from relance.storage.audit_store import AuditQuery
from relance.storage.database import unit_of_work
from tests.reports.label_images import label_image
from tests.web.conftest import PASSWORD, Web, login_of

FRENCH = {"Accept-Language": "fr"}
ENGLISH = {"Accept-Language": "en"}
CONSOLE_CTX = Context(actor="cell", authority=CONSOLE)


def _hosts(web: Web, site: str) -> list[str]:
    listed = web.client.get(f"/api/v1/assets?site={site}", headers=web.as_role(Role.OBSERVER))
    return [a["hostname"] for a in listed.json()["items"]]


def _step(host: str, seen: str, target: str, **more: object) -> dict[str, object]:
    return {"id": str(uuid.uuid4()), "hostname": host, "seen": seen, "target": target} | more


def _post(web: Web, csrf: str, step: dict[str, object], lang: dict[str, str] = ENGLISH) -> object:
    return web.client.post("/scan/steps", json=step, headers={"X-CSRF-Token": csrf, **lang})


def test_the_page_carries_the_lifecycle_in_the_readers_language(web: Web) -> None:
    web.sign_in(login_of(Role.TECHNICIAN))
    page = web.client.get("/scan", headers=FRENCH)
    assert page.status_code == 200
    data = json.loads(page.text.split('id="scan-data">')[1].split("</script>")[0])
    isolated = data["lifecycle"]["isolated"]
    assert isolated["label"] == "Isolée"
    assert [s["to"] for s in isolated["steps"]] == ["imaged", "reimaged", "decommissioned"]
    assert [s["forward"] for s in isolated["steps"]] == [True, True, False]
    assert [s["evidence"] for s in isolated["steps"]] == [True, False, False]
    assert data["lifecycle"]["validated"]["steps"][0]["to"] == "clean_zone"  # forward first
    assert data["texts"]["looking"] == "Recherche de {host}…"
    english = web.client.get("/lang/en?next=/scan").text
    assert "Look up" in english
    assert "Chercher" not in english


def test_a_step_is_recorded_once_and_refused_when_the_machine_moved(web: Web) -> None:
    csrf = web.sign_in(login_of(Role.TECHNICIAN))
    host = _hosts(web, "A")[0]
    card = web.client.get(f"/scan/machines/{host.lower()}").json()["machine"]
    assert (card["hostname"], card["state"], card["steps"]) == (
        host,
        "compromised",
        ["isolated", "decommissioned"],
    )
    step = _step(host, "compromised", "isolated", reason="cable pulled", waited_ms=60_000)
    assert web.client.post("/scan/steps", json=step).status_code == 403  # no CSRF token
    done = _post(web, csrf, step)
    assert done.status_code == 200, done.text
    assert done.json()["already"] is False
    assert done.json()["machine"]["state"] == "isolated"
    again = _post(web, csrf, step)  # the answer was lost: the phone sends it again
    assert again.json() == done.json() | {"already": True}
    late = _step(host, "compromised", "decommissioned")
    refused = _post(web, csrf, late, FRENCH)
    assert refused.status_code == 409
    assert refused.json()["machine"]["state"] == "isolated"
    assert refused.json()["detail"].startswith(
        f"{host} : non enregistré, son état a changé entre-temps : maintenant Isolée"
    )
    with unit_of_work(web.engine) as uow:
        moves = audit_store.find(uow, AuditQuery(object_type="asset", object_key=host))
    assert [(m.actor, m.after, m.request_id) for m in moves] == [
        (login_of(Role.TECHNICIAN), {"state": "isolated"}, step["id"])
    ]


def test_roles_without_transitions_look_up_but_do_not_move(web: Web) -> None:
    csrf = web.sign_in(login_of(Role.OBSERVER))
    host = _hosts(web, "A")[0]
    page = web.client.get("/scan", headers=ENGLISH).text
    assert 'id="step"' not in page
    assert "does not move them" in page
    assert web.client.get(f"/scan/machines/{host}").status_code == 200
    assert _post(web, csrf, _step(host, "compromised", "isolated")).status_code == 403


def test_a_site_scoped_technician_reaches_only_the_machines_of_their_sites(web: Web) -> None:
    with unit_of_work(web.engine) as uow:
        add_user(
            uow,
            Context("test", authority=CONSOLE),
            "tech-b",
            Role.TECHNICIAN,
            sites=("B",),
            password=PASSWORD,
        )
    csrf = web.sign_in("tech-b")
    elsewhere, here = _hosts(web, "A")[0], _hosts(web, "B")[0]
    other = web.client.get(f"/scan/machines/{elsewhere}", headers=ENGLISH)
    unknown = web.client.get("/scan/machines/A-NO-SUCH-HOST", headers=ENGLISH)
    assert other.status_code == unknown.status_code == 404
    assert other.json()["detail"] == f"{elsewhere}: unknown machine on your sites. Check the name."
    assert unknown.json()["detail"].replace("A-NO-SUCH-HOST", elsewhere) == other.json()["detail"]
    assert _post(web, csrf, _step(elsewhere, "compromised", "isolated")).status_code == 404
    with unit_of_work(web.engine) as uow:  # the two attempts on another site's machine
        refused = audit_store.find(uow, AuditQuery(event_types=("access.refused",)))
    assert [(e.actor, elsewhere in e.reason) for e in refused] == [("tech-b", True)] * 2
    assert web.client.get(f"/scan/machines/{here}").status_code == 200
    copy = web.client.get("/scan/machines").json()
    assert {m[1] for m in copy["machines"]} == {"B"}
    assert here in {m[0] for m in copy["machines"]}


@pytest.fixture
def label_photo(web: Web, tmp_path: Path) -> tuple[str, bytes]:
    """A machine of site B and the photo of its label, cut from the printed sheet."""
    with unit_of_work(web.engine) as uow:
        write_labels(uow, CONSOLE_CTX, AssetFilter(sites=("B",)), tmp_path / "labels.pdf")
    image = label_image(tmp_path / "labels.pdf", 0, tmp_path / "label.png")
    return sorted(_hosts(web, "B"))[0], image.read_bytes()


def test_a_photo_of_a_label_gives_its_hostname(web: Web, label_photo: tuple[str, bytes]) -> None:
    csrf = web.sign_in(login_of(Role.TECHNICIAN))
    host, photo = label_photo
    headers = {"X-CSRF-Token": csrf, "Content-Type": "image/png", **FRENCH}
    read = web.client.post("/scan/label", content=photo, headers=headers)
    assert read.status_code == 200, read.text
    assert read.json() == {"hostname": host}
    blank = io.BytesIO()
    Image.new("L", (400, 300), 255).save(blank, "JPEG")
    nothing = web.client.post(
        "/scan/label", content=blank.getvalue(), headers=headers | {"Content-Type": "image/jpeg"}
    )
    assert nothing.status_code == 422
    assert nothing.json()["detail"].startswith("Aucune étiquette trouvée sur la photo")
    not_a_photo = web.client.post("/scan/label", content=b"GIF89a", headers=headers)
    assert not_a_photo.status_code == 422
    assert not_a_photo.json()["detail"] == "pas une photo lisible (PNG ou JPEG)"
    wrong_kind = web.client.post(
        "/scan/label", content=photo, headers=headers | {"Content-Type": "text/plain"}
    )
    assert wrong_kind.status_code == 415
    assert web.client.post("/scan/label", content=photo, headers=FRENCH).status_code == 403


def test_a_qr_code_that_is_not_a_machine_name_is_refused_as_such(web: Web) -> None:
    csrf = web.sign_in(login_of(Role.TECHNICIAN))
    code = zxingcpp.create_barcode("https://example.org/x", zxingcpp.BarcodeFormat.QRCode)
    photo = io.BytesIO()
    Image.fromarray(np.asarray(code.to_image(scale=8))).save(photo, "PNG")
    headers = {"X-CSRF-Token": csrf, "Content-Type": "image/png", **ENGLISH}
    read = web.client.post("/scan/label", content=photo.getvalue(), headers=headers)
    assert read.status_code == 422
    assert read.json()["detail"] == ("This QR code is not a machine's label: https://example.org/x")
