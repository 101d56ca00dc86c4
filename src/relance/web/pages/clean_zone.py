"""The clean-zone technician's phone page (/scan) and the small JSON calls its script makes.

The page works from a phone at the bench: a hostname typed or read from the label's QR code,
the machine's state and next steps, one tap to record one. Its script keeps the steps in the
phone while the Wi-Fi is down and sends them when it is back; answers are in the reader's
language, as the page.
"""

from dataclasses import replace
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from relance.app import clean_zone
from relance.app.access import Refused
from relance.app.clean_zone import (
    MachineAtHand,
    StateMoved,
    Step,
    UnknownMachine,
    UnreadableLabel,
)
from relance.domain.errors import RelanceError
from relance.domain.lifecycle import NEEDS_EVIDENCE, PATH, SHA256, AssetState, next_states
from relance.domain.network import HOSTNAME
from relance.web.api.schemas import Hostname, Text
from relance.web.auth import Technician, Viewer, audit_refusal, transaction
from relance.web.language import texts
from relance.web.render import local, page

router = APIRouter()
PHOTO_TYPES = ("image/jpeg", "image/png")
LARGEST_PHOTO = 8 * 1024 * 1024  # the page sends about 0.3 MB; a phone's raw photo 3 to 5 MB
STEP_ID = r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"  # UUID 4


class StepIn(BaseModel):
    id: Annotated[str, Field(pattern=STEP_ID)]  # made by the phone: the audit's request id
    hostname: Hostname
    seen: AssetState
    target: AssetState
    reason: Text = ""
    evidence: Annotated[str, Field(max_length=200, pattern=r"^[^\x00]*$")] = ""
    waited_ms: Annotated[int, Field(ge=0, le=10**10)] = 0


@router.get("/scan", response_class=HTMLResponse)
def scan(request: Request, who: Viewer) -> Response:
    words = texts(request)
    lifecycle = {
        state.value: {
            "label": words._(state.label),
            "colour": state.colour,
            "steps": [
                {"to": s.value, "forward": _forward(state, s), "evidence": s in NEEDS_EVIDENCE}
                for s in sorted(next_states(state), key=lambda s: not _forward(state, s))
            ],  # the step along the path first, where the thumb is
        }
        for state in PATH
    }
    patterns = {"sha256": SHA256.pattern, "hostname": HOSTNAME.pattern}
    host_pattern = HOSTNAME.pattern.replace("-]", r"\-]")  # HTML's v flag wants "-" escaped
    return page(
        request,
        who,
        "scan.html",
        lifecycle=lifecycle,
        patterns=patterns,
        host_pattern=host_pattern,
    )


@router.get("/scan/machines/{hostname}")
def machine(request: Request, who: Viewer, hostname: Hostname) -> Response:
    try:
        with transaction(request) as uow:
            found = clean_zone.machine_at_hand(uow, who.ctx, hostname)
    except UnknownMachine as error:
        return _refused(request, 404, error)
    except Refused as error:  # another site's: audited, answered as an unknown one
        return _elsewhere(request, error)
    return JSONResponse({"machine": _card(found)})


@router.get("/scan/machines")
def offline_copy(request: Request, who: Viewer) -> Response:
    """Every machine of the reader's sites and its state: what the phone shows offline."""
    as_of = who.ctx.clock.now()
    with transaction(request) as uow:
        known = clean_zone.offline_copy(uow, who.ctx)
    lines = [[k.hostname, k.site, k.department or "", k.state.value] for k in known]
    return JSONResponse({"as_of": local(as_of), "machines": lines})


@router.post("/scan/steps")
def step(request: Request, who: Technician, body: StepIn) -> Response:
    ctx = replace(who, request_id=body.id).ctx  # the phone's number: sent twice, recorded once
    wanted = Step(
        hostname=body.hostname,
        seen=body.seen,
        target=body.target,
        reason=body.reason,
        evidence=body.evidence or None,
        waited=timedelta(milliseconds=body.waited_ms),
    )
    try:
        with transaction(request) as uow:
            done = clean_zone.record_step(uow, ctx, wanted)
    except StateMoved as error:
        return _refused(request, 409, error, error.now)
    except UnknownMachine as error:
        return _refused(request, 404, error)
    except Refused as error:
        if not isinstance(error.shown, UnknownMachine):
            raise  # a right the account lacks: the app's 403, audited there
        return _elsewhere(request, error)
    except RelanceError as error:
        return _refused(request, 400, error)
    return JSONResponse({"machine": _card(done.machine), "already": done.already})


async def _photo(request: Request) -> bytes:
    """The body of an upload of one photo, refused early when it is not one or too large."""
    words = texts(request)
    kind = request.headers.get("content-type", "").split(";")[0].strip()
    if kind not in PHOTO_TYPES:
        raise HTTPException(415, words._("Send a photo (JPEG or PNG)."))
    received = bytearray()
    async for chunk in request.stream():
        received += chunk
        if len(received) > LARGEST_PHOTO:
            raise HTTPException(413, words._("The photo is too large: send a smaller one."))
    return bytes(received)


@router.post("/scan/label")
def label(request: Request, who: Viewer, photo: Annotated[bytes, Depends(_photo)]) -> Response:
    """The hostname read from a photo of a label, for phones whose browser cannot read QR codes."""
    try:
        hostname = clean_zone.read_label(photo)
    except RelanceError as error:
        return _refused(request, 422, error)
    return JSONResponse({"hostname": hostname})


def _forward(current: AssetState, target: AssetState) -> bool:
    """A step along the path, not back to the start or out of service."""
    return target is not AssetState.DECOMMISSIONED and PATH.index(target) > PATH.index(current)


def _card(m: MachineAtHand) -> dict[str, Any]:
    return {
        "hostname": m.hostname,
        "kind": m.kind.value,
        "site": m.site,
        "department": m.department or "",
        "role": m.role,
        "state": m.state.value,
        "since": local(m.since),
        "by": m.by or "",
        "steps": [s.value for s in m.steps],
    }


def _elsewhere(request: Request, error: Refused) -> Response:
    """Another site's machine: the refusal audited, the answer an unknown machine's."""
    audit_refusal(request, error)
    assert isinstance(error.shown, UnknownMachine)  # noqa: S101 - how clean_zone refuses it
    return _refused(request, 404, error.shown)


def _refused(
    request: Request, status: int, error: RelanceError, now: MachineAtHand | None = None
) -> Response:
    body: dict[str, Any] = {"detail": _in_words(request, error)}
    if now is not None:
        body["machine"] = _card(now)
    return JSONResponse(body, status_code=status)


def _in_words(request: Request, error: RelanceError) -> str:
    """The refusal in the reader's language (a text without French stays as the app says it)."""
    words = texts(request)
    if isinstance(error, StateMoved):
        now = error.now
        return words._(
            "{host}: not recorded, its state moved meanwhile: now {now} "
            "(since {since}, by {by}), not {seen}. Look at the machine again.",
            host=now.hostname,
            now=words._(now.state.label),
            since=local(now.since),
            by=now.by or "?",
            seen=words._(error.step.seen.label),
        )
    if isinstance(error, UnknownMachine):
        return words._(
            "{host}: unknown machine on your sites. Check the name.", host=error.hostname
        )
    if isinstance(error, UnreadableLabel) and error.text:
        return words._("This QR code is not a machine's label: {text}", text=error.text[:80])
    if isinstance(error, UnreadableLabel) and error.codes == 0:
        return words._(
            "No label found in the photo: come closer, hold still, avoid reflections, "
            "or type the name."
        )
    if isinstance(error, UnreadableLabel):
        return words._("{n} labels in the photo: photograph only one.", n=error.codes)
    return words.error(error)
