"""Sample exports of a made-up hospital network, written as the tools write them.

For the tests, the benchmark and the documentation's walk-through: GLPI 10's Computers export
in French (UTF-8 BOM, ';', every value quoted, a ';' after the last value, '"' written as two
single quotes), the directory's `Get-ADComputer | Export-Csv` as Windows PowerShell 5.1 writes
it (a `#TYPE` line; ASCII by default, so 'é' becomes '?'; UTF-16 with -Encoding Unicode), and
Defender's device inventory CSV with its machine actions (`GET /api/machineactions`).
Nothing here is read by an import: a generator writes examples, an importer reads files.
"""

import csv
import io
import json
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from relance.domain.network import AssetKind

SITES = (("MARCHE", "Marche"), ("LIBRAMONT", "Libramont"), ("ARLON", "Arlon"))
DEPARTMENTS = (
    ("URG", "Urgences"),
    ("BLOC", "Bloc opératoire"),
    ("SI", "Unité de soins intensifs"),
    ("ADM", "Administration"),
)
DOMAIN = "chr.example"
ISOLATED_AT = datetime(2022, 5, 14, 4, 15, tzinfo=UTC)


@dataclass(frozen=True)
class SampleMachine:
    hostname: str
    kind: AssetKind
    site: str
    department: str | None
    serial: str
    mac: str
    guid: str
    device_id: str
    isolated: bool
    in_glpi: bool = True


def hospital(machines: int, seed: int = 15) -> list[SampleMachine]:
    """`machines` machines over three sites: 5 % servers, 10 % medical-device PCs, a tenth of
    the Windows machines isolated by the EDR; the last two servers only in the directory."""
    rng = random.Random(seed)  # noqa: S311 - sample data, not a secret
    out: list[SampleMachine] = []
    for n in range(machines):
        code, _ = SITES[n % len(SITES)]
        roll = rng.random()
        kind = (
            AssetKind.SERVER
            if roll < 0.05
            else AssetKind.MEDICAL_DEVICE
            if roll < 0.15
            else AssetKind.WORKSTATION
        )
        prefix = {"server": "SRV", "medical_device": "MED", "workstation": "PC"}[kind.value]
        department = None if kind is AssetKind.SERVER else rng.choice(DEPARTMENTS)[0]
        out.append(
            SampleMachine(
                hostname=f"{prefix}-{code[:3]}-{n:06d}",
                kind=kind,
                site=code,
                department=department,
                serial=f"CZC{rng.getrandbits(40):010X}",
                mac=":".join(f"{rng.getrandbits(8):02X}" for _ in range(6)),
                guid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                device_id=f"{rng.getrandbits(160):040x}",
                isolated=kind is not AssetKind.MEDICAL_DEVICE and rng.random() < 0.1,
            )
        )
    servers = [i for i, m in enumerate(out) if m.kind is AssetKind.SERVER][-2:]
    for i in servers:
        m = out[i]
        out[i] = SampleMachine(**{**m.__dict__, "in_glpi": False})
    return out


def _site_name(code: str) -> str:
    return dict(SITES)[code]


def _department_name(code: str | None) -> str:
    return dict(DEPARTMENTS)[code] if code else "Salle serveurs"


def glpi_csv(machines: list[SampleMachine]) -> bytes:
    """GLPI 10's export of the Computers list, French interface, default ';'."""
    header = (
        "Nom",
        "Entité",
        "Statut",
        "Fabricant",
        "Numéro de série",
        "Type",
        "Système d'exploitation - Nom",
        "Lieu",
        "Dernière modification",
        "Ports réseau - Adresse MAC",
    )
    lines = [_glpi_line(header)]
    for m in machines:
        if not m.in_glpi:
            continue
        kind = {"server": "Serveur", "medical_device": 'Poste "modalité"', "workstation": "Poste"}
        system = "Windows Server 2019" if m.kind is AssetKind.SERVER else "Windows 10 Entreprise"
        where = f"{_site_name(m.site)} > {_department_name(m.department)}"
        values = (
            m.hostname,
            f"CHR > {_site_name(m.site)}",
            "En service",
            "HP",
            m.serial,
            kind[m.kind.value],
            system,
            where,
            "2022-05-13 17:02",
            m.mac,
        )
        lines.append(_glpi_line(values))
    return "\ufeff".encode() + "".join(lines).encode()


def _glpi_line(values: tuple[str, ...]) -> str:
    return "".join('"' + v.replace('"', "''") + '";' for v in values) + "\n"


def ad_csv(machines: list[SampleMachine], encoding: str = "ascii") -> bytes:
    """Get-ADComputer -Filter * -Properties OperatingSystem | Export-Csv, Windows PowerShell
    5.1: `#TYPE` line, every value quoted, CRLF; ASCII by default ('?' for 'é')."""
    header = (
        "DistinguishedName",
        "DNSHostName",
        "Enabled",
        "Name",
        "ObjectClass",
        "ObjectGUID",
        "OperatingSystem",
        "SamAccountName",
        "SID",
        "UserPrincipalName",
    )
    buffer = io.StringIO()
    buffer.write("#TYPE Microsoft.ActiveDirectory.Management.ADComputer\r\n")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    for n, m in enumerate(machines):
        if m.kind is AssetKind.MEDICAL_DEVICE:
            continue
        ou = "Serveurs" if m.department is None else _department_name(m.department)
        dn = f"CN={m.hostname},OU={ou},OU={_site_name(m.site)},DC=chr,DC=example"
        system = "Windows Server 2019 Standard" if m.kind is AssetKind.SERVER else "Windows 10 Pro"
        sid = f"S-1-5-21-1004336348-1177238915-682003330-{10000 + n}"
        writer.writerow(
            (
                dn,
                f"{m.hostname.lower()}.{DOMAIN}",
                "True",
                m.hostname,
                "computer",
                m.guid,
                system,
                f"{m.hostname}$",
                sid,
                "",
            )
        )
    text = buffer.getvalue()
    if encoding == "ascii":
        return text.encode("ascii", errors="replace")  # as .NET's ASCIIEncoding: '?'
    return text.encode(encoding)


def defender_devices_csv(machines: list[SampleMachine]) -> bytes:
    """Defender's device inventory, exported from the portal."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        ("Device Id", "Device Name", "Domain", "OS Platform", "Onboarding Status", "Tags")
    )
    for m in machines:
        if m.kind is AssetKind.MEDICAL_DEVICE:
            continue
        system = "WindowsServer2019" if m.kind is AssetKind.SERVER else "Windows10"
        writer.writerow(
            (m.device_id, f"{m.hostname.lower()}.{DOMAIN}", DOMAIN, system, "Onboarded", "")
        )
    return buffer.getvalue().encode("utf-8")


def defender_actions_json(machines: list[SampleMachine]) -> bytes:
    """`GET /api/machineactions`: a succeeded Isolate per isolated machine, a failed one too."""
    actions = []
    for n, m in enumerate(m for m in machines if m.isolated):
        at = ISOLATED_AT + timedelta(seconds=7 * n)
        actions.append(
            {
                "id": str(uuid.UUID(int=n + 1)),
                "type": "Isolate",
                "requestor": "soc@chr.example",
                "requestorComment": "ransomware containment",
                "status": "Succeeded",
                "machineId": m.device_id,
                "computerDnsName": f"{m.hostname.lower()}.{DOMAIN}",
                "creationDateTimeUtc": _api_time(at - timedelta(minutes=1)),
                "lastUpdateDateTimeUtc": _api_time(at),
            }
        )
    document = {"@odata.context": "https://api.security.microsoft.com/api/$metadata#MachineActions"}
    return json.dumps(document | {"value": actions}, indent=2).encode("utf-8")


def _api_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond:06d}0Z"


MAPPING = """\
network:
  name: CHR exemple
  workstation_hours: 2
  medical_device_hours: 4
sites:
{sites}
default_kind: workstation
site:
{site_rules}
department:
{department_rules}
kind:
  - {{os: server, value: server}}
  - {{hostname: "^MED-", value: medical_device}}
"""


def mapping() -> str:
    """The mapping of these exports: sites by GLPI location and top OU, departments likewise."""
    departments = "\n".join(f"      - {{code: {c}, name: {n}}}" for c, n in DEPARTMENTS)
    sites = "\n".join(
        f"  - code: {c}\n    name: Hôpital de {n}\n    kind: hospital\n    departments:\n"
        + departments
        for c, n in SITES
    )
    site_rules = "\n".join(
        f'  - {{location: "^{n} >", value: {c}}}\n  - {{ou: "OU={n},DC=", value: {c}}}'
        for c, n in SITES
    )
    department_rules = "\n".join(
        f'  - {{location: "> {n}$", value: {c}}}\n  - {{ou: "^OU={n},", value: {c}}}'
        for c, n in DEPARTMENTS
    )
    return MAPPING.format(sites=sites, site_rules=site_rules, department_rules=department_rules)


def write(directory: Path, machines: list[SampleMachine]) -> list[Path]:
    """The three exports and the mapping, in `directory`; the export paths."""
    files = {
        "glpi-ordinateurs.csv": glpi_csv(machines),
        "ad-computers.csv": ad_csv(machines),
        "defender-devices.csv": defender_devices_csv(machines),
        "defender-machineactions.json": defender_actions_json(machines),
    }
    for name, data in files.items():
        (directory / name).write_bytes(data)
    (directory / "mapping.yaml").write_text(mapping(), encoding="utf-8")
    return [directory / name for name in files]
