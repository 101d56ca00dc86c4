"""The machines' QR labels, read back as a scanner (zbarimg) and a person (pdftotext) would."""

import subprocess
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth

from relance.reports.asset_labels import BOLD, PADDING, PER_SHEET, WIDTH, _name_lines
from relance.reports.printable import printable
from tests.cli.test_cli import Relance
from tests.reports.label_images import label_image, zbar
from tests.snapshots.conftest import require


def _hostnames(small: Relance, site: str) -> list[str]:
    listed = small.json("assets", "list", "--site", site, "--limit", "1000")
    assert isinstance(listed, dict)
    machines = sorted(listed["assets"], key=lambda a: (a["department"] or "", a["hostname"]))
    return [a["hostname"] for a in machines]


def test_every_label_scans_to_its_hostname_in_the_order_of_departments(
    small: Relance, tmp_path: Path
) -> None:
    out = tmp_path / "labels.pdf"
    shown = small("assets", "labels", "--site", "A", "--out", str(out))
    expected = _hostnames(small, "A")
    assert f"{len(expected)} étiquettes sur 1 feuille A4" in shown
    assert 0 < len(expected) <= PER_SHEET
    scanned = [zbar(label_image(out, n, tmp_path / f"label-{n}.png")) for n in range(len(expected))]
    assert scanned == [[h] for h in expected]
    text = subprocess.run(
        [require("pdftotext"), "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    for hostname in expected:
        assert hostname in text
    assert "Hospital A" in text
    assert "URG · Emergency" in text
    assert "Hospital B" not in text


def test_an_existing_file_is_kept_unless_forced_and_nothing_is_written_for_no_machine(
    small: Relance, tmp_path: Path
) -> None:
    out = tmp_path / "labels.pdf"
    out.write_bytes(b"the sheets printed yesterday")
    refused = small("assets", "labels", "--site", "A", "--out", str(out), code=2)
    assert "existe déjà" in refused
    assert "--force" in refused
    assert out.read_bytes() == b"the sheets printed yesterday"
    small("assets", "labels", "--site", "A", "--out", str(out), "--force")
    assert out.read_bytes().startswith(b"%PDF")
    nothing = tmp_path / "none.pdf"
    assert "aucune machine ne correspond" in small(
        "assets", "labels", "--site", "Z", "--out", str(nothing), code=2
    )
    assert "un fichier .pdf" in small(
        "assets", "labels", "--out", str(tmp_path / "labels.txt"), code=2
    )
    assert sorted(p.name for p in tmp_path.iterdir() if "label" in p.name or "none" in p.name) == [
        "labels.pdf"
    ]  # no half-written file left behind either


HOSTNAMES = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.", min_size=1, max_size=253)


@given(HOSTNAMES)
def test_a_hostname_fits_the_label_whole_or_on_two_lines(hostname: str) -> None:
    width = WIDTH - 2 * PADDING
    size, lines = _name_lines(hostname, width)
    assert 1 <= len(lines) <= 2
    assert all(stringWidth(line, BOLD, size) <= width for line in lines)
    if lines[-1].endswith("…"):
        assert "".join(lines)[:-1] in printable(hostname)
    else:
        assert "".join(lines) == printable(hostname)
