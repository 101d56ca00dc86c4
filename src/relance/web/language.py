"""The language of the pages: French (the crisis cell's, the default) or English.

Dutch and German are for what patients and the public read (SMS, communiqué, sitrep PDF): the
interface's texts are translated in French only, in the same gettext catalogues.
"""

import os

from fastapi import Request

from relance.i18n import DEFAULT, INTERFACE, Texts

LANGUAGES = INTERFACE
LANG_COOKIE = "relance_lang"


def _known(text: str) -> str | None:
    code = text.strip()[:2].lower()
    return code if code in LANGUAGES else None


def language(request: Request) -> str:
    """The reader's choice on this browser (the FR/EN switch's cookie), else the signed-in
    account's language (`relance users set-language`), else RELANCE_LANG, else the browser's
    first known one. The switch comes first so that it always does what it says; the account's
    language is known once web.auth has read the session or the token of the request."""
    chosen = (
        _known(request.cookies.get(LANG_COOKIE, ""))
        or _known(getattr(request.state, "account_language", None) or "")
        or _known(os.environ.get("RELANCE_LANG", ""))
    )
    if chosen:
        return chosen
    for part in request.headers.get("accept-language", "").split(","):
        code = _known(part.split(";")[0])
        if code:
            return code
    return DEFAULT


def texts(request: Request) -> Texts:
    return Texts(language(request))
