"""Kannel's HTTP sendsms interface, with a delivery-report URL that carries our own id.

Kannel has no idempotency: the same request twice sends two SMS. The dispatcher sends each
notification at most once; this client tells it faithfully whether a request was refused (nothing
was sent), taken, or may have been taken (the answer was lost: it may have been sent).

Our id also goes in Kannel's `account` field: bearerbox writes it in its access log ([ACT:...])
when the SMS leaves, which lets `relance notify reconcile` settle a message in doubt. Kannel
keeps the account to itself (it is not passed to the operator), unlike `binfo`, which SMPP
sends on as the service type.
"""

import os
from dataclasses import dataclass
from urllib.parse import quote

import httpx

from relance.domain.errors import N_, InvalidInput
from relance.notifications.gateway import Outcome, Outgoing, SendResult

# dlr-mask: 1 delivered, 2 failed, 4 buffered, 8 accepted by the SMSC, 16 rejected by the SMSC
DLR_MASK = 1 | 2 | 8 | 16
ANSWER_TIMEOUT = 30.0  # seconds for Kannel to answer; it answers once bearerbox stored the SMS
SHOWN = 200  # characters of an unexpected answer worth quoting


@dataclass(frozen=True)
class KannelSettings:
    sendsms_url: str  # http://127.0.0.1:13013/cgi-bin/sendsms
    username: str
    password: str
    sender: str  # the "from" shown on the patient's phone
    dlr_url: str  # relance's report endpoint, e.g. http://127.0.0.1:8081/dlr


def shown_url(url: str) -> str:
    """The URL fit for a message: no user or password in it."""
    try:
        return str(httpx.URL(url).copy_with(username=None, password=None, query=None))
    except httpx.InvalidURL:
        return "(not a URL)"


class KannelGateway:
    def __init__(self, settings: KannelSettings, client: httpx.Client | None = None) -> None:
        self.settings = settings
        self.where = shown_url(settings.sendsms_url)
        # A new connection for each request: on a kept-alive one that Kannel closed meanwhile,
        # a failure could not tell "never received" from "received, answer lost".
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(ANSWER_TIMEOUT, connect=10.0),
            limits=httpx.Limits(max_keepalive_connections=0),
        )

    def send(self, message: Outgoing) -> SendResult:
        try:
            answer = self.client.get(f"{self.settings.sendsms_url}?{self._query(message)}")
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
            return SendResult(Outcome.NOT_SENT, f"cannot reach Kannel at {self.where}: {error}")
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, httpx.LocalProtocolError) as error:
            # the request could not even be written (its text is not quoted: it holds the password)
            kind = type(error).__name__
            return SendResult(Outcome.NOT_SENT, f"cannot send to {self.where} ({kind})")
        except httpx.HTTPError as error:
            # The request left: Kannel may have taken it before the answer was lost.
            kind = type(error).__name__
            return SendResult(Outcome.UNKNOWN, f"no answer from Kannel at {self.where} ({kind})")
        return self._outcome(answer)

    def _query(self, message: Outgoing) -> str:
        s = self.settings
        # %d is Kannel's placeholder for the report type; our id says which message it is.
        report = f"{s.dlr_url}?id={quote(message.id, safe='')}&type=%d"
        params = {
            "username": s.username,
            "password": s.password,
            "from": s.sender,
            "to": message.to,
            "text": message.text,
            "charset": "UTF-8",
            "coding": "0",
            "dlr-mask": str(DLR_MASK),
            "dlr-url": report,
            "account": message.id,
        }
        return "&".join(f"{k}={quote(v, safe='')}" for k, v in params.items())

    def _outcome(self, answer: httpx.Response) -> SendResult:
        text = " ".join(answer.text.split())[:SHOWN]
        said = f"HTTP {answer.status_code} {text!r} from Kannel at {self.where}"
        if answer.status_code in (200, 202) and text.split(":")[0] in ("0", "3"):
            return SendResult(Outcome.ACCEPTED)
        # 4xx: sendsms refused the request (credentials, parameters, not routable), 503: bearerbox
        # could not queue it, 3xx: not the sendsms interface. In each, nothing was sent.
        if 300 <= answer.status_code < 500 or answer.status_code == 503:
            return SendResult(Outcome.NOT_SENT, f"refused: {said}")
        return SendResult(Outcome.UNKNOWN, f"unexpected answer: {said}")

    def close(self) -> None:
        self.client.close()


def settings_from_environment(sender: str) -> KannelSettings:
    """RELANCE_KANNEL_URL, _USER, _PASSWORD, RELANCE_DLR_URL and RELANCE_SMS_SENDER."""
    missing = [n for n in ("RELANCE_KANNEL_URL", "RELANCE_DLR_URL") if not os.environ.get(n)]
    if missing:
        unset = N_(
            "set {names} to send through Kannel (for example "
            "http://127.0.0.1:13013/cgi-bin/sendsms and http://127.0.0.1:8081/dlr), "
            "or use --dry-run"
        )
        raise InvalidInput(unset, names=", ".join(missing))
    url = os.environ["RELANCE_KANNEL_URL"]
    if shown_url(url).split("://")[0] not in ("http", "https"):
        not_http = N_(
            "RELANCE_KANNEL_URL={url} is not an http URL "
            "(for example http://127.0.0.1:13013/cgi-bin/sendsms)"
        )
        raise InvalidInput(not_http, url=shown_url(url))
    return KannelSettings(
        sendsms_url=url,
        username=os.environ.get("RELANCE_KANNEL_USER", ""),
        password=os.environ.get("RELANCE_KANNEL_PASSWORD", ""),
        sender=os.environ.get("RELANCE_SMS_SENDER", sender),
        dlr_url=os.environ["RELANCE_DLR_URL"],
    )
