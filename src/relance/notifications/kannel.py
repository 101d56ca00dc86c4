"""Kannel's HTTP sendsms interface, with a delivery-report URL that carries our own id.

Kannel has no idempotency: the same request twice sends two SMS. The dispatcher sends each
notification at most once; this client only reports faithfully what Kannel answered.
"""

import os
from dataclasses import dataclass
from urllib.parse import quote

import httpx

from relance.domain.errors import InvalidInput
from relance.notifications.gateway import Outcome, Outgoing, SendResult

# dlr-mask: 1 delivered, 2 failed, 4 buffered, 8 accepted by the SMSC, 16 rejected by the SMSC
DLR_MASK = 1 | 2 | 8 | 16


@dataclass(frozen=True)
class KannelSettings:
    sendsms_url: str  # http://127.0.0.1:13013/cgi-bin/sendsms
    username: str
    password: str
    sender: str  # the "from" shown on the patient's phone
    dlr_url: str  # relance's report endpoint, e.g. http://127.0.0.1:8081/dlr


class KannelGateway:
    def __init__(self, settings: KannelSettings, client: httpx.Client | None = None) -> None:
        self.settings = settings
        self.client = client or httpx.Client(timeout=10.0)

    def send(self, message: Outgoing) -> SendResult:
        s = self.settings
        # %d is Kannel's placeholder for the report type; our id says which message it is.
        report = f"{s.dlr_url}?id={message.id}&type=%d"
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
        }
        query = "&".join(f"{k}={quote(v, safe='')}" for k, v in params.items())
        try:
            answer = self.client.get(f"{s.sendsms_url}?{query}")
        except httpx.ConnectError as error:
            return SendResult(Outcome.UNREACHABLE, f"cannot reach Kannel: {error}")
        except httpx.HTTPError as error:
            # The request may have reached Kannel: it is not "unreachable"; the dispatcher
            # keeps it as sent-unknown until a report or the timeout says more.
            return SendResult(Outcome.ACCEPTED, f"no answer from Kannel: {error}")
        text = answer.text.strip()
        if answer.status_code in (200, 202) and text.split(":")[0] in ("0", "3"):
            return SendResult(Outcome.ACCEPTED, text)
        if answer.status_code == 503:
            return SendResult(Outcome.UNREACHABLE, text)
        return SendResult(Outcome.REJECTED, f"HTTP {answer.status_code}: {text}")

    def close(self) -> None:
        self.client.close()


def settings_from_environment(sender: str) -> KannelSettings:
    """RELANCE_KANNEL_URL, _USER, _PASSWORD, RELANCE_DLR_URL and RELANCE_SMS_SENDER."""
    missing = [n for n in ("RELANCE_KANNEL_URL", "RELANCE_DLR_URL") if not os.environ.get(n)]
    if missing:
        raise InvalidInput(
            f"set {' and '.join(missing)} to send through Kannel "
            "(for example http://127.0.0.1:13013/cgi-bin/sendsms and http://127.0.0.1:8081/dlr), "
            "or use --dry-run"
        )
    return KannelSettings(
        sendsms_url=os.environ["RELANCE_KANNEL_URL"],
        username=os.environ.get("RELANCE_KANNEL_USER", ""),
        password=os.environ.get("RELANCE_KANNEL_PASSWORD", ""),
        sender=os.environ.get("RELANCE_SMS_SENDER", sender),
        dlr_url=os.environ["RELANCE_DLR_URL"],
    )
