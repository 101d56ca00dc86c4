"""Pages rendered once for each state of the data: fifty screens on the overview share one render.

A page is kept under the number of the newest recorded change (every change of the data is
audited, see app.audit.latest_change), the address with its query, the language and the reader
(role, sites and the CSRF token written in its forms). Any change makes every kept page stale.
"""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from threading import Lock

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from relance.app.incident_clock import DatabaseClock
from relance.domain.clock import ClockMode
from relance.web import duty_banner
from relance.web.auth import Caller
from relance.web.language import language

KEPT = 256  # pages per server process: a few kilobytes to a few hundred each


class RenderedPages:
    def __init__(self, kept: int = KEPT) -> None:
        self._pages: OrderedDict[Hashable, bytes] = OrderedDict()
        self._kept = kept
        self._lock = Lock()  # the sync page functions run on several threads

    def serve(
        self, request: Request, who: Caller, version: int, render: Callable[[], Response]
    ) -> Response:
        """The page as rendered for this reader at this `version` of the data (rendered if new).

        Only complete pages (200) are kept: a refusal or an error is rendered every time.
        """
        p = who.principal
        key: Hashable = (
            (version, request.url.path, request.url.query, language(request)),
            (p.login, p.role, p.sites, who.csrf),
            duty_banner.state(request, who),  # a deadline comes near without a change of data
            _exercise_minute(who),  # an exercise's header time runs without a change of data
        )
        with self._lock:
            body = self._pages.get(key)
            if body is not None:
                self._pages.move_to_end(key)
        if body is None:
            response = render()
            if response.status_code != 200:
                return response
            body = bytes(response.body)
            with self._lock:
                self._pages[key] = body
                while len(self._pages) > self._kept:
                    self._pages.popitem(last=False)
        return HTMLResponse(body)


def _exercise_minute(who: Caller) -> datetime | None:
    clock = who.clock
    if isinstance(clock, DatabaseClock) and clock.mode() is ClockMode.EXERCISE:
        return clock.now().replace(second=0, microsecond=0)
    return None


def rendered_pages(request: Request) -> RenderedPages:
    pages: RenderedPages = request.app.state.pages
    return pages
