"""Every route x every role x (own site, other site), against the access policy's table.

The routes are enumerated from the FastAPI app: a route without an entry in ROUTES fails. Each
entry names the permission the route needs (or that it is public, or for anyone signed in)
and what a request about site B's records gets from an account limited to site A. What every
role may then do comes from the domain's table alone (relance.domain.roles: PERMISSIONS, and
SITE_BOUND: an account limited to sites has no permission over the whole network).
"""

import io
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import httpx
from fastapi import FastAPI
from PIL import Image
from sqlalchemy import func, select

from relance.app.context import Context
from relance.app.users import add_user
from relance.domain.roles import CONSOLE, Authority, Permission, Role
from relance.storage.database import unit_of_work
from relance.storage.tables import AuditRow
from tests.web.conftest import Scoped

P = Permission
PUBLIC, SIGNED_IN = "public", "signed in"  # no account needed; any account
SESSION = "a session"  # any account signed in with its password: a token is refused


class Other(Enum):
    """What an account limited to site A gets when the request is about site B."""

    NETWORK = "about the whole network: as for its own site"
    REFUSED = "403, audited"
    HIDDEN = "the answer an unknown record gets, audited"
    FILTERED = "its own records only (nothing of B in the answer), not a refusal"


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)
    json: dict[str, Any] | None = None
    data: dict[str, Any] | None = None
    photo: bytes | None = None  # sent as the body, image/png


@dataclass(frozen=True)
class Names:
    """What the requests are about: records of site A, records of site B, a spare account."""

    a_host: str
    b_host: str
    count: Iterator[int]

    def login(self) -> str:
        return f"walk-{next(self.count)}"


Make = Callable[[Names], Call]


@dataclass(frozen=True)
class Entry:
    permission: Permission | str
    own: Make  # about site A's records, or the network's
    other: Make | None = None  # about site B's (None: the route has no site to ask about)
    answer: Other = Other.NETWORK
    filtered: bool = False  # the own answer must show nothing of site B either


def get(path: str, **params: Any) -> Make:
    return lambda n: Call(
        "GET", path.format(n=n), {k: str(v).format(n=n) for k, v in params.items()}
    )


def post(
    path: str, *, json: dict[str, Any] | None = None, data: dict[str, Any] | None = None
) -> Make:
    def make(n: Names) -> Call:
        fill = _filler(n)
        return Call("POST", path.format(n=n), json=fill(json), data=fill(data))

    return make


def _filler(n: Names) -> Callable[[Any], Any]:
    def fill(value: Any) -> Any:
        if isinstance(value, str) and value == "{new}":
            return n.login()
        if isinstance(value, str) and value == "{step}":
            return str(uuid.uuid4())  # a phone numbers each step it records
        if isinstance(value, str):
            return value.format(n=n)
        if isinstance(value, list):
            return [fill(v) for v in value]
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        return value

    return fill


def photo(path: str) -> Make:
    blank = io.BytesIO()
    Image.new("L", (64, 64), 255).save(blank, "PNG")  # no label in it: 422 once allowed
    return lambda n: Call("POST", path, photo=blank.getvalue())


def delete(path: str) -> Make:
    return lambda n: Call("DELETE", path.format(n=n))


MOVE = {"target": "isolated", "reason": "walk"}
STEP = {"id": "{step}", "seen": "compromised", "target": "isolated", "reason": "walk"}
DECISION = {"decision": "maintain", "reason": "walk"}
ROUTES: dict[tuple[str, str], Entry] = {
    ("GET", "/api/openapi.json"): Entry(PUBLIC, get("/api/openapi.json")),
    ("*", "/static"): Entry(PUBLIC, get("/static/relance.css")),
    ("GET", "/login"): Entry(PUBLIC, get("/login")),
    ("POST", "/login"): Entry(PUBLIC, post("/login", data={"login": "x", "password": "y"})),
    ("GET", "/lang/{code}"): Entry(PUBLIC, get("/lang/en")),
    ("GET", "/colours.css"): Entry(PUBLIC, get("/colours.css")),
    ("GET", "/api/v1/changes"): Entry(SIGNED_IN, get("/api/v1/changes")),
    ("GET", "/api/v1/me"): Entry(SIGNED_IN, get("/api/v1/me")),
    ("POST", "/api/v1/tokens"): Entry(SESSION, post("/api/v1/tokens", json={"name": "walk"})),
    ("GET", "/api/v1/tokens"): Entry(SIGNED_IN, get("/api/v1/tokens")),
    ("DELETE", "/api/v1/tokens/{token_id}"): Entry(SIGNED_IN, delete("/api/v1/tokens/999999")),
    ("POST", "/logout"): Entry(SIGNED_IN, post("/logout")),
    ("GET", "/api/v1/status"): Entry(
        P.VIEW_STATUS, get("/api/v1/status"), get("/api/v1/status", site="B"), Other.REFUSED, True
    ),
    ("GET", "/api/v1/services"): Entry(P.VIEW_STATUS, get("/api/v1/services")),
    ("GET", "/api/v1/assets"): Entry(
        P.VIEW_STATUS,
        get("/api/v1/assets", limit=500),
        get("/api/v1/assets", site="B"),
        Other.REFUSED,
        True,
    ),
    ("GET", "/api/v1/assets/{hostname}"): Entry(
        P.VIEW_STATUS,
        get("/api/v1/assets/{n.a_host}"),
        get("/api/v1/assets/{n.b_host}"),
        Other.HIDDEN,
    ),
    ("POST", "/api/v1/assets/transitions"): Entry(
        P.TRANSITION_ASSETS,
        post("/api/v1/assets/transitions", json={"hostnames": ["{n.a_host}"], **MOVE}),
        post("/api/v1/assets/transitions", json={"hostnames": ["{n.b_host}"], **MOVE}),
        Other.HIDDEN,
    ),
    ("GET", "/api/v1/timeline"): Entry(
        P.VIEW_STATUS,
        get("/api/v1/timeline", limit=500),
        get("/api/v1/timeline", object="{n.b_host}"),
        Other.FILTERED,
        True,
    ),
    ("GET", "/api/v1/audit"): Entry(
        P.VIEW_AUDIT,
        get("/api/v1/audit", limit=500),
        get("/api/v1/audit", object="{n.b_host}"),
        Other.FILTERED,
        True,
    ),
    ("GET", "/api/v1/plan"): Entry(P.VIEW_STATUS, get("/api/v1/plan")),
    ("GET", "/api/v1/plan/{version}/tasks"): Entry(P.VIEW_STATUS, get("/api/v1/plan/1/tasks")),
    ("GET", "/api/v1/appointments/review"): Entry(
        P.VIEW_PATIENTS, get("/api/v1/appointments/review"), filtered=True
    ),
    ("POST", "/api/v1/appointments/{appointment}/decision"): Entry(
        P.DECIDE_APPOINTMENTS,
        post("/api/v1/appointments/A1/decision", json=DECISION),
        post("/api/v1/appointments/B1/decision", json=DECISION),
        Other.HIDDEN,
    ),
    ("GET", "/api/v1/notifications"): Entry(
        P.VIEW_STATUS, get("/api/v1/notifications"), filtered=True
    ),
    ("GET", "/api/v1/duties/{key}/draft"): Entry(
        P.MANAGE_DUTIES, get("/api/v1/duties/nis2_notification/draft", lang="nl")
    ),
    ("GET", "/api/v1/sitreps"): Entry(P.VIEW_STATUS, get("/api/v1/sitreps")),
    ("GET", "/api/v1/users"): Entry(P.MANAGE_USERS, get("/api/v1/users")),
    ("POST", "/api/v1/users"): Entry(
        P.MANAGE_USERS, post("/api/v1/users", json={"login": "{new}", "role": "observer"})
    ),
    ("PUT", "/api/v1/users/{login}/role"): Entry(
        P.MANAGE_USERS, lambda n: Call("PUT", "/api/v1/users/spare/role", json={"role": "observer"})
    ),
    ("POST", "/api/v1/users/{login}/disable"): Entry(
        P.MANAGE_USERS, post("/api/v1/users/spare/disable")
    ),
    ("POST", "/api/v1/users/{login}/reset-password"): Entry(
        P.MANAGE_USERS, post("/api/v1/users/spare/reset-password")
    ),
    ("GET", "/api/v1/users/{login}/tokens"): Entry(
        P.MANAGE_USERS, get("/api/v1/users/spare/tokens")
    ),
    ("DELETE", "/api/v1/users/{login}/tokens/{token_id}"): Entry(
        P.MANAGE_USERS, delete("/api/v1/users/spare/tokens/999999")
    ),
    ("GET", "/"): Entry(P.VIEW_STATUS, get("/"), filtered=True),
    ("GET", "/assets"): Entry(
        P.VIEW_STATUS, get("/assets"), get("/assets", site="B"), Other.REFUSED, True
    ),
    ("GET", "/assets/{hostname}"): Entry(
        P.VIEW_STATUS, get("/assets/{n.a_host}"), get("/assets/{n.b_host}"), Other.HIDDEN
    ),
    ("POST", "/assets/transition"): Entry(
        P.TRANSITION_ASSETS,
        post("/assets/transition", data={"q": "{n.a_host}", **MOVE}),
        post("/assets/transition", data={"q": "{n.b_host}", **MOVE}),
        Other.HIDDEN,
    ),
    ("GET", "/scan"): Entry(P.VIEW_STATUS, get("/scan")),
    ("GET", "/scan/machines"): Entry(P.VIEW_STATUS, get("/scan/machines"), filtered=True),
    ("GET", "/scan/machines/{hostname}"): Entry(
        P.VIEW_STATUS,
        get("/scan/machines/{n.a_host}"),
        get("/scan/machines/{n.b_host}"),
        Other.HIDDEN,
    ),
    ("POST", "/scan/steps"): Entry(
        P.TRANSITION_ASSETS,
        post("/scan/steps", json={"hostname": "{n.a_host}", **STEP}),
        post("/scan/steps", json={"hostname": "{n.b_host}", **STEP}),
        Other.HIDDEN,
    ),
    ("POST", "/scan/label"): Entry(P.VIEW_STATUS, photo("/scan/label")),
    ("GET", "/services"): Entry(P.VIEW_STATUS, get("/services")),
    ("GET", "/timeline"): Entry(P.VIEW_STATUS, get("/timeline"), filtered=True),
    ("GET", "/audit"): Entry(
        P.VIEW_AUDIT, get("/audit"), get("/audit", obj="{n.b_host}"), Other.FILTERED, True
    ),
    ("GET", "/plan"): Entry(P.VIEW_STATUS, get("/plan")),
    ("GET", "/appointments"): Entry(P.VIEW_PATIENTS, get("/appointments"), filtered=True),
    ("POST", "/appointments/{appointment}/decide"): Entry(
        P.DECIDE_APPOINTMENTS,
        post("/appointments/A1/decide", data=DECISION),
        post("/appointments/B1/decide", data=DECISION),
        Other.HIDDEN,
    ),
    ("GET", "/notifications"): Entry(P.VIEW_STATUS, get("/notifications"), filtered=True),
    ("GET", "/sitreps"): Entry(P.VIEW_STATUS, get("/sitreps")),
    ("GET", "/sitreps/{day}/{version}.pdf"): Entry(
        P.VIEW_STATUS, get("/sitreps/2022-05-17/1.pdf", lang="nl")
    ),
    ("POST", "/sitreps/{day}/approve"): Entry(
        P.APPROVE_SITREP, post("/sitreps/2022-05-17/approve")
    ),
    ("POST", "/sitreps/{day}/publish"): Entry(
        P.APPROVE_SITREP, post("/sitreps/2022-05-17/publish")
    ),
    ("GET", "/snapshots"): Entry(P.VIEW_STATUS, get("/snapshots")),
    ("GET", "/review"): Entry(P.VIEW_REVIEW, get("/review")),
    ("GET", "/review.pdf"): Entry(P.VIEW_REVIEW, get("/review.pdf", lang="de")),
    ("GET", "/users"): Entry(P.MANAGE_USERS, get("/users")),
    ("POST", "/users"): Entry(
        P.MANAGE_USERS, post("/users", data={"login": "{new}", "role": "observer"})
    ),
    ("POST", "/users/{login}/reset-password"): Entry(
        P.MANAGE_USERS, post("/users/spare/reset-password")
    ),
    ("POST", "/users/{login}/disable"): Entry(P.MANAGE_USERS, post("/users/spare/disable")),
    ("POST", "/users/{login}/role"): Entry(
        P.MANAGE_USERS, post("/users/spare/role", data={"role": "observer"})
    ),
    ("POST", "/users/{login}/tokens/{token_id}/revoke"): Entry(
        P.MANAGE_USERS, post("/users/spare/tokens/999999/revoke")
    ),
}


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every route the app serves ("*" for a mount), included routers too.

    Duck-typed: FastAPI keeps included routers as objects that list their routes' contexts.
    """
    found = set()
    for route in app.routes:
        contexts = getattr(route, "effective_route_contexts", None)
        for each in contexts() if contexts else [route]:
            for method in getattr(each, "methods", None) or {"*"}:
                if method != "HEAD":
                    found.add((method, each.path))
    return found


def test_every_route_has_an_entry(scoped: Scoped) -> None:
    served = app_routes(scoped.web.client.app)  # type: ignore[arg-type]
    assert len(served) > 40  # the walk reaches the included routers
    assert sorted(served - set(ROUTES)) == [], "add the new routes to ROUTES"
    assert sorted(set(ROUTES) - served) == []


class Walk:
    def __init__(self, scoped: Scoped) -> None:
        self.scoped, self.client = scoped, scoped.web.client
        with unit_of_work(scoped.web.engine) as uow:
            add_user(
                uow,
                Context(actor="test", authority=CONSOLE),
                "spare",
                Role.OBSERVER,
                password="x" * 16,
            )
        self.names = Names("A-SRV-AD-01", scoped.elsewhere, iter(range(10**6)))
        lead = scoped.web.as_role(Role.CRISIS_LEAD)  # something of B in the timeline and audit
        body = {"hostnames": [scoped.elsewhere], "target": "isolated", "reason": "walk setup"}
        assert self.client.post("/api/v1/assets/transitions", json=body, headers=lead).is_success
        self.b_marks = (scoped.elsewhere, "Jan Maes", "Nursing home B")

    def refusals(self) -> int:
        with unit_of_work(self.scoped.web.engine) as uow:
            query = select(func.count()).where(AuditRow.event_type == "access.refused")
            return uow.session.scalar(query) or 0

    def send(self, make: Make, headers: dict[str, str]) -> tuple[httpx.Response, int]:
        """The answer, and how many refusals it added to the audit trail."""
        call, before = make(self.names), self.refusals()
        if call.photo is not None:
            headers = {**headers, "Content-Type": "image/png"}
        answer = self.client.request(
            call.method,
            call.path,
            params=call.params,
            json=call.json,
            data=call.data,
            content=call.photo,
            headers=headers,
            follow_redirects=False,
        )
        assert answer.status_code < 500, (call, answer.text)
        return answer, self.refusals() - before


def _nothing_of_b(walk: "Walk", answer: httpx.Response, where: str) -> None:
    """No record of site B in the answer (a filter's own field may repeat what was asked)."""
    text = answer.text.replace(f'value="{walk.names.b_host}"', "")
    shown = [text[max(0, i - 200) : i + 80] for m in walk.b_marks if (i := text.find(m)) >= 0]
    assert shown == [], where


def _allowed(answer: httpx.Response, refused: int, where: str) -> None:
    assert answer.status_code not in (401, 403, 404), (where, answer.status_code, answer.text)
    assert refused == 0, where


def test_every_route_for_every_role_and_site(scoped: Scoped) -> None:
    walk = Walk(scoped)
    for (method, path), entry in ROUTES.items():
        route = f"{method} {path}"
        if entry.permission == PUBLIC:
            _allowed(*walk.send(entry.own, {}), route)
            continue
        assert walk.send(entry.own, {})[0].status_code in (401, 303), route  # not signed in
        for role in Role:
            _as_role_of_a(walk, entry, role, f"{route} as {role.value} of A")
        if entry.permission == SESSION:  # the walk calls with tokens: never permitted
            continue
        whole = scoped.web.as_role(Role.CRISIS_LEAD)  # of the whole network: B is its own too
        for make in filter(None, (entry.own, entry.other)):
            _allowed(*walk.send(make, whole), f"{route} as crisis_lead of every site")


def _as_role_of_a(walk: Walk, entry: Entry, role: Role, where: str) -> None:
    headers = walk.scoped.as_role(role)
    if entry.permission == SESSION:
        answer, refused = walk.send(entry.own, headers)
        assert (answer.status_code, refused) == (403, 1), where
        return
    at_a = Authority(role, ("A",))
    permitted = entry.permission == SIGNED_IN or at_a.allows(P(entry.permission))
    for make in filter(None, (entry.own, entry.other)):
        answer, refused = walk.send(make, headers)
        if not permitted:
            assert (answer.status_code, refused) == (403, 1), where
        elif make is entry.own:
            _allowed(answer, refused, where)
            if entry.filtered:
                _nothing_of_b(walk, answer, where)
        elif entry.answer is Other.REFUSED:
            assert (answer.status_code, refused) == (403, 1), where
        elif entry.answer is Other.HIDDEN:
            assert answer.status_code in (400, 404), where
            unknown = ("unknown host", "unknown machine", "no booked appointment")
            assert any(u in answer.text for u in unknown), where
            assert refused == 1, where
        else:  # FILTERED
            _allowed(answer, refused, where)
            _nothing_of_b(walk, answer, where)
