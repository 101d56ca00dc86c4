"""The application factory: pages, API, static files, error pages, security headers."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from relance.app.access import NotFound, Refused
from relance.domain.errors import RejectedInput, RelanceError
from relance.domain.moments import OutOfRange
from relance.storage.database import Engine
from relance.web.api import routes as api_routes
from relance.web.api import users as api_users
from relance.web.auth import NotSignedIn, audit_refusal
from relance.web.page_cache import RenderedPages
from relance.web.pages import auth as auth_pages
from relance.web.pages import clean_zone as clean_zone_pages
from relance.web.pages import crisis as crisis_pages
from relance.web.pages import network as network_pages
from relance.web.pages import users as user_pages
from relance.web.render import page

HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]


NO_STORE = (b"cache-control", b"no-store")
STATIC = "/static/"


class SecurityHeaders:
    """Plain ASGI middleware: every response forbids framing, sniffing and foreign resources.

    And no browser or proxy keeps a copy of any answer (pages and API answers carry patient
    names and phone numbers) unless the answer says otherwise, as the colour stylesheet does;
    the package's static files, the same for everyone, may be kept.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith(STATIC)

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), *HEADERS]
                if not static and all(name.lower() != NO_STORE[0] for name, _ in headers):
                    headers.append(NO_STORE)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


THREADS = 2  # per server process; see _few_threads


@asynccontextmanager
async def _few_threads(_: FastAPI) -> AsyncIterator[None]:
    """Run the page and API functions on a few threads, not anyio's forty.

    SQLite lets go of the interpreter lock at every row: forty threads fighting for it spent
    the server's time in futex calls (measured: the asset list fell from 146 to 75 requests a
    second as clients went from 1 to 50). Requests beyond these threads wait their turn.
    """
    anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
    yield


def create_app(engine: Engine) -> FastAPI:
    app = FastAPI(
        lifespan=_few_threads,
        title="relance",
        summary="Crisis cell of a hospital network hit by ransomware: the REST API.",
        version="1",
        docs_url=None,  # Swagger UI comes from a CDN: the OpenAPI document is enough offline
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.engine = engine
    app.state.pages = RenderedPages()
    app.mount(STATIC.rstrip("/"), StaticFiles(packages=[("relance.web", "static")]), name="static")
    for router in (api_routes.router, api_users.router):
        app.include_router(router, prefix="/api/v1")
    pages = (auth_pages, network_pages, clean_zone_pages, crisis_pages, user_pages)
    for module in pages:
        app.include_router(module.router, include_in_schema=False)
    app.add_exception_handler(NotSignedIn, _not_signed_in)
    app.add_exception_handler(Refused, _refused)
    app.add_exception_handler(RelanceError, _user_error)
    app.add_middleware(SecurityHeaders)
    return app


async def _not_signed_in(request: Request, _: Exception) -> Response:
    if _is_api(request):
        return JSONResponse(
            {"detail": "sign in or send Authorization: Bearer TOKEN"},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    return RedirectResponse(f"/login?next={request.url.path}", status_code=303)


async def _refused(request: Request, error: Exception) -> Response:
    """Audit the refusal in a transaction of its own (the request's was rolled back), then
    answer 403, or what an unknown object gets where existence must not leak."""
    assert isinstance(error, Refused)  # noqa: S101 - registered for Refused only
    await run_in_threadpool(audit_refusal, request, error)
    if error.shown is not None:
        return await _user_error(request, error.shown)
    if _is_api(request):
        return JSONResponse({"detail": str(error)}, status_code=403)
    return page(request, None, "error.html", 403, title="Refused", message=str(error), problems=[])


def _status(error: Exception) -> tuple[int, str]:
    if isinstance(error, NotFound):
        return 404, "Not found"
    if isinstance(error, OutOfRange):
        return 422, "Not possible"
    return 400, "Not possible"


async def _user_error(request: Request, error: Exception) -> Response:
    problems = [str(p) for p in error.problems] if isinstance(error, RejectedInput) else []
    status, title = _status(error)
    if _is_api(request):
        return JSONResponse({"detail": str(error), "problems": problems}, status_code=status)
    return page(
        request, None, "error.html", status, title=title, message=str(error), problems=problems
    )
