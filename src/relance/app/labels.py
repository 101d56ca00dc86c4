"""QR labels for the machines, printed before they go through the clean zone."""

import secrets
from dataclasses import dataclass
from pathlib import Path

from relance.app.assets import list_assets
from relance.app.context import Context
from relance.domain.errors import N_, InvalidInput
from relance.domain.network import AssetFilter
from relance.reports.asset_labels import AssetLabel, labels_pdf, sheets
from relance.storage import network_store
from relance.storage.database import UnitOfWork


@dataclass(frozen=True)
class LabelsWritten:
    labels: int
    sheets: int
    out: Path


def write_labels(
    uow: UnitOfWork, ctx: Context, where: AssetFilter, out: Path, *, replace: bool = False
) -> LabelsWritten:
    """A PDF of labels for the machines matching `where`, by site, department and hostname.

    An existing file is kept unless `replace`; the PDF appears whole or not at all.
    """
    _check_target(out, replace=replace)
    _, machines = list_assets(uow, ctx, where)
    if not machines:
        why = N_("no machine matches the filter: {file} was not written")
        raise InvalidInput(why, file=out.name)
    sites = {s.code: s.name for s in network_store.sites(uow)}
    departments = {(d.site, d.code): d.name for d in network_store.departments(uow)}
    labels = sorted(
        (
            AssetLabel(
                hostname=a.hostname,
                site=a.site,
                site_name=sites.get(a.site, a.site),
                department=a.department,
                department_name=departments.get((a.site, a.department or "")),
            )
            for a in machines
        ),
        key=lambda label: (label.site, label.department or "", label.hostname),
    )
    title = "relance · " + ", ".join(sorted({label.site for label in labels}))
    _write_whole(out, labels_pdf(labels, title))
    return LabelsWritten(len(labels), sheets(len(labels)), out)


def _check_target(out: Path, *, replace: bool) -> None:
    if out.suffix.lower() != ".pdf":
        raise InvalidInput(N_("{file}: write the labels to a .pdf file"), file=out.name)
    if not out.parent.is_dir():
        raise InvalidInput(N_("{directory}: no such directory"), directory=str(out.parent))
    if out.exists() and not replace:
        why = N_("{file} exists already: choose another name, or say --force")
        raise InvalidInput(why, file=str(out))


def _write_whole(out: Path, data: bytes) -> None:
    """Write beside the target, then rename: a printer never gets half a file."""
    partial = out.with_name(f".{out.name}.{secrets.token_hex(4)}.part")
    try:
        with partial.open("xb") as stream:
            stream.write(data)
        partial.replace(out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
