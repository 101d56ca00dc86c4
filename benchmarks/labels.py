"""Benchmark: the clean zone's labels and the reading of a label's photo.

1. The PDF of labels for every machine of the reference network (1,811 labels on 76 A4
   sheets), drawn `--runs` times: CPU seconds, best and median.
2. A phone's photo of one label, as the page sends it (1600 x 1200 JPEG, the label turned by
   a few degrees in a grey scene, a little blurred), read by the server as `POST /scan/label`
   does: CPU milliseconds per photo, best and median. The technician waits this long.

Run from the repository root (pdftoppm, from poppler-utils, renders the label):

    .venv/bin/python benchmarks/labels.py
    .venv/bin/python benchmarks/labels.py --runs 5 --json
"""

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

from PIL import Image, ImageFilter

from machine import about  # benchmarks/machine.py, beside this script
from relance.app.clean_zone import read_label
from relance.importers.scenario import load_scenario
from relance.reports.asset_labels import HEIGHT, LEFT, TOP, WIDTH, AssetLabel, labels_pdf

SCENARIO = Path(__file__).parent.parent / "src/relance/scenarios/vivalia-2022/scenario.yaml"


def _labels() -> list[AssetLabel]:
    network = load_scenario(SCENARIO).network
    sites = {s.code: s.name for s in network.sites}
    departments = {(d.site, d.code): d.name for d in network.departments}
    return [
        AssetLabel(
            a.hostname,
            a.site,
            sites[a.site],
            a.department,
            departments.get((a.site, a.department or "")),
        )
        for a in network.assets
    ]


def _cpu(action: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return times


def _phone_photo(pdf: bytes, directory: Path) -> bytes:
    """The first label, rendered at 300 dpi, turned 7 degrees in a 1600 x 1200 grey scene."""
    (directory / "labels.pdf").write_bytes(pdf)
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        sys.exit("pdftoppm is needed (Debian: poppler-utils)")
    first_page = ["-f", "1", "-l", "1", str(directory / "labels.pdf"), str(directory / "sheet")]
    subprocess.run([pdftoppm, "-r", "300", "-png", "-singlefile", *first_page], check=True)  # noqa: S603 - our own file
    scale = 300 / 72
    with Image.open(directory / "sheet.png") as sheet:
        label = sheet.convert("L").crop(
            (
                round(LEFT * scale),
                round(TOP * scale),
                round((LEFT + WIDTH) * scale),
                round((TOP + HEIGHT) * scale),
            )
        )
    label = label.rotate(7, expand=True, fillcolor=255)
    scene = Image.new("L", (1600, 1200), 150)
    scene.paste(label, (400, 350))
    out = io.BytesIO()
    scene.filter(ImageFilter.GaussianBlur(1.2)).save(out, "JPEG", quality=85)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    labels = _labels()
    pdf_times = _cpu(lambda: labels_pdf(labels, "benchmark"), args.runs)
    pdf = labels_pdf(labels[:24], "one sheet")
    with tempfile.TemporaryDirectory() as directory:
        photo = _phone_photo(pdf, Path(directory))
    if read_label(photo) != labels[0].hostname.upper():
        sys.exit("the photo did not read back to its hostname")
    read_times = _cpu(lambda: read_label(photo), max(args.runs, 10))
    figures: dict[str, Any] = {
        "labels": len(labels),
        "sheets": -(-len(labels) // 24),
        "pdf_cpu_s_best": round(min(pdf_times), 2),
        "pdf_cpu_s_median": round(statistics.median(pdf_times), 2),
        "photo_bytes": len(photo),
        "read_cpu_ms_best": round(1000 * min(read_times), 1),
        "read_cpu_ms_median": round(1000 * statistics.median(read_times), 1),
        "load_average": os.getloadavg()[0],
        "machine": about(zxing_cpp=version("zxing-cpp"), pillow=version("pillow")),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{figures['labels']} labels on {figures['sheets']} A4 sheets: ", end="")
    print(f"{figures['pdf_cpu_s_best']} s CPU (median {figures['pdf_cpu_s_median']} s)")
    print(f"a label's photo ({len(photo) // 1024} KB JPEG, 1600 x 1200) read in ", end="")
    print(f"{figures['read_cpu_ms_best']} ms CPU (median {figures['read_cpu_ms_median']} ms)")
    print(f"load average {figures['load_average']:.1f}; {json.dumps(figures['machine'])}")


if __name__ == "__main__":
    main()
