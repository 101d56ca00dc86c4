"""The application factory: pages, API, static files, error pages, security headers."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.status import HTTP_404_NOT_FOUND

from relance.app.access import NotFound, Refused
from relance.domain.errors import RejectedInput, RelanceError
from relance.domain.moments import OutOfRange
from relance.i18n import N_, Texts
from relance.storage.database import Engine
from relance.web.api import routes as api_routes
from relance.web.api import users as api_users
from relance.web.auth import NotSignedIn, audit_refusal, signed_in
from relance.web.language import language
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
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
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
    return await _error_page(request, 403, N_("Refused"), Texts(language(request)).error(error))


def _status(error: Exception) -> tuple[int, str]:
    if isinstance(error, NotFound):
        return 404, N_("Not found")
    if isinstance(error, OutOfRange):
        return 422, N_("Not possible")
    return 400, N_("Not possible")


async def _user_error(request: Request, error: Exception) -> Response:
    """The API answers in English, the same text for every client and the logs; the page in
    the reader's language."""
    assert isinstance(error, RelanceError)  # noqa: S101 - registered for RelanceError only
    found = error.problems if isinstance(error, RejectedInput) else []
    status, title = _status(error)
    if _is_api(request):
        problems = [str(p) for p in found]
        return JSONResponse({"detail": str(error), "problems": problems}, status_code=status)
    texts = Texts(language(request))
    problems = [texts.error(p) for p in found]
    return await _error_page(request, status, title, texts.error(error), problems)


def _wants_page(request: Request) -> bool:
    """A browser's page, not the API nor a page's script (which asks for JSON)."""
    return not _is_api(request) and "text/html" in request.headers.get("accept", "")


async def _http_error(request: Request, error: Exception) -> Response:
    """An unknown address (404) or a refused method or body, as a page for a browser."""
    assert isinstance(error, StarletteHTTPException)  # noqa: S101 - registered for it only
    if not _wants_page(request):
        return await http_exception_handler(request, error)
    if error.status_code == HTTP_404_NOT_FOUND:
        title, message = N_("Not found"), N_("There is no page at this address.")
    else:
        title, message = N_("Not possible"), str(error.detail)
    return await _error_page(request, error.status_code, title, message)


async def _invalid_request(request: Request, error: Exception) -> Response:
    """A field of the address or form the page does not accept (422), named in the page."""
    assert isinstance(error, RequestValidationError)  # noqa: S101 - registered for it only
    if not _wants_page(request):
        return await request_validation_exception_handler(request, error)
    texts = Texts(language(request))
    problems = [
        texts._("{field}: this value is not accepted.", field=str(e["loc"][-1]))
        for e in error.errors()
    ]
    return await _error_page(
        request, 422, N_("Not possible"), N_("Check the fields below, then try again."), problems
    )


async def _error_page(
    request: Request, status: int, title: str, message: str, problems: list[str] | None = None
) -> Response:
    """The error in the layout, with the reader's menu when signed in."""
    who = await run_in_threadpool(signed_in, request)
    return page(
        request, who, "error.html", status, title=title, message=message, problems=problems or []
    )
