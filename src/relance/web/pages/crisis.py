"""Pages of clinical continuity and of the cell's reports: review queue, messages, sitreps."""

import os
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from relance.app import dashboard, review
from relance.app.appointments import decide_appointment, reschedule_window
from relance.app.choices import Format
from relance.app.patient_reads import ReviewFilter, read_review_page
from relance.app.sitrep import approve_sitrep, publish_sitrep, version_files
from relance.domain.errors import N_, InvalidInput
from relance.domain.moments import checked_day
from relance.domain.triage import Decision
from relance.i18n import DEFAULT, parse_language
from relance.reports.codes import ACTION_STATUSES, FINDING_KINDS
from relance.web.auth import (
    Decider,
    PatientReader,
    ReviewReader,
    SitrepApprover,
    Viewer,
    transaction,
)
from relance.web.render import page, zone

router = APIRouter(default_response_class=HTMLResponse)


Code = Annotated[str, Query(max_length=40, pattern=r"^[A-Za-z0-9_-]*$")]
REVIEW_PAGE = 50


@router.get("/appointments")
def appointments(
    request: Request,
    who: PatientReader,
    site: Code = "",
    activity: Code = "",
    offset: Annotated[int, Query(ge=0, le=10**7)] = 0,
) -> Response:
    where = ReviewFilter((site,) if site else (), activity, offset, REVIEW_PAGE)
    with transaction(request, writes=True) as uow:
        queue = read_review_page(uow, who.ctx, "page /appointments", where)

    decisions = [d for d in Decision if d is not Decision.REVIEW]
    window = reschedule_window(who.ctx)  # the new time of a reschedule lies within it
    earliest, latest = (f"{t.astimezone(zone()):%Y-%m-%dT%H:%M}" for t in window)
    return page(
        request,
        who,
        "appointments.html",
        names=queue.names,
        queue=queue,
        where=where,
        decisions=decisions,
        earliest=earliest,
        latest=latest,
    )


@router.post("/appointments/{appointment}/decide")
def decide(
    request: Request,
    who: Decider,
    appointment: str,
    decision: Annotated[Decision, Form()],
    reason: Annotated[str, Form(max_length=500)],
    new_start: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    moment = _moment(new_start)
    with transaction(request) as uow:
        decide_appointment(
            uow,
            who.ctx,
            appointment,
            decision,
            reason,
            sender=os.environ.get("RELANCE_SMS_SENDER"),
            zone=zone(),
            new_start=moment,
        )
    return RedirectResponse("/appointments", status_code=303)


def _moment(text: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            N_("{text} is not a time like 2022-05-20T09:30"), text=repr(text)
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone())


@router.get("/notifications")
def notifications(request: Request, who: Viewer) -> Response:
    with transaction(request) as uow:
        found = dashboard.notifications(uow, who.ctx)
    return page(request, who, "notifications.html", found=found)


@router.get("/sitreps")
def sitreps(request: Request, who: Viewer) -> Response:
    with transaction(request) as uow:
        versions = dashboard.sitreps(uow)
    return page(request, who, "sitreps.html", versions=versions)


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(N_("{text} is not a day like 2022-05-17"), text=repr(text)) from None
    return checked_day(day, N_("the day"))


@router.get("/sitreps/{day}/{version}.pdf")
def sitrep_pdf(
    request: Request, who: Viewer, day: str, version: int, lang: str = DEFAULT
) -> Response:
    """One version of the day's report as a PDF, in fr, nl, de or en (a published one as it
    went out)."""
    with transaction(request) as uow:
        files = version_files(
            uow, _day(day), version, zone(), fmt=Format.PDF, language=parse_language(lang)
        )
    disposition = f'attachment; filename="{files.main}"'
    return Response(
        files.content[files.main],
        media_type="application/pdf",
        headers={"Content-Disposition": disposition},
    )


@router.post("/sitreps/{day}/approve")
def approve(request: Request, who: SitrepApprover, day: str) -> Response:
    with transaction(request) as uow:
        approve_sitrep(uow, who.ctx, _day(day))
    return RedirectResponse("/sitreps", status_code=303)


@router.post("/sitreps/{day}/publish")
def publish(request: Request, who: SitrepApprover, day: str) -> Response:
    with transaction(request) as uow:
        publish_sitrep(uow, who.ctx, _day(day), zone())
    return RedirectResponse("/sitreps", status_code=303)


@router.get("/snapshots")
def snapshots(request: Request, who: Viewer) -> Response:
    setting = os.environ.get("RELANCE_SNAPSHOT_DIR")
    found = dashboard.snapshot_list(Path(setting) if setting else None)
    return page(request, who, "snapshots.html", found=found, configured=bool(setting))


@router.get("/review")
def review_page(request: Request, who: ReviewReader) -> Response:
    """The after-action review's findings and improvement plan, tracked after the incident."""
    with transaction(request) as uow:
        findings = review.list_findings(uow, who.ctx)
        actions = review.list_actions(uow, who.ctx, zone())
    return page(
        request,
        who,
        "review.html",
        findings=findings,
        actions=actions,
        action_statuses=ACTION_STATUSES,
        finding_kinds=FINDING_KINDS,
    )


@router.get("/review.pdf")
def review_pdf(request: Request, who: ReviewReader, lang: str = DEFAULT) -> Response:
    """The after-action review as a PDF, in fr, nl, de or en, from the records as of now."""
    with transaction(request) as uow:
        pdf = review.build_review(uow, who.ctx, zone(), parse_language(lang))
    disposition = f'attachment; filename="review-{lang}.pdf"'
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": disposition})
