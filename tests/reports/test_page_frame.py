"""Every page of every PDF in one frame: an exercise's carries EXERCICE and "page N sur M" on
each page (a duty draft or a ward sheet printed in an exercise is never taken for a real one);
a live database's carries the page numbers and no mark. The ward sheets are read as the
downtime laptop reads them: decrypted from the snapshot."""

import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from relance.cli.main import app
from relance.importers import census_generator
from tests.cli.test_cli import SMALL
from tests.snapshots.conftest import make_keys
from tests.snapshots.test_ward_sheets import open_bundle

ENV = {"RELANCE_DATABASE_URL": "", "RELANCE_ACTOR": "lead", "COLUMNS": "200"}
MARKS = ("EXERCICE", "REJEU", "OEFENING", "RECONSTRUCTIE", "ÜBUNG", "REKONSTRUKTION")


def _relance(env: dict[str, str], *args: str) -> str:
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def _pages(path: Path) -> list[str]:
    command = ["pdftotext", "-layout", str(path), "-"]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return [page for page in done.stdout.split("\f") if page.strip()]


def _numbered(path: Path, page_word: str, of: str) -> list[str]:
    """The pages of `path`, each checked to say 'page N of M' in the document's language."""
    pages = _pages(path)
    assert pages, path
    for n, page in enumerate(pages, start=1):
        assert re.search(rf"\b{page_word} {n} {of} {len(pages)}\b", page), (path.name, n, page)
    return pages


def _draw_all(env: dict[str, str], out: Path, day: str, *, exercise: bool) -> dict[str, Path]:
    written = {
        "sitrep": out / "sitrep.pdf",
        "review": out / "review.pdf",
        "draft": out / "draft.pdf",
        "draft_nl": out / "draft-nl.pdf",
    }
    _relance(env, "sitrep", "--date", day, "--out", str(written["sitrep"]))
    _relance(env, "review", "build", "--out", str(written["review"]))
    _relance(env, "duties", "draft", "nis2_early_warning", "--out", str(written["draft"]))
    nl = ("--lang", "nl", "--out", str(written["draft_nl"]))
    _relance(env, "duties", "draft", "nis2_early_warning", *nl)
    if exercise:
        written["exercise"] = out / "exercise.pdf"
        _relance(env, "exercise", "report", "--out", str(written["exercise"]))
    return written | _sheets(env, out)


def _sheets(env: dict[str, str], out: Path) -> dict[str, Path]:
    """A snapshot's cover and ward sheets (French, and one ward's in Dutch), and the call list."""
    fhir = out / "fhir"
    census_generator.write(census_generator.generate(census_generator.CensusSpec(200)), fhir)
    keys = make_keys(out / "keys")
    written = {}
    for language in ("fr", "nl"):
        snapshots = out / f"snapshots-{language}"
        build = ("--fhir", str(fhir), "--out", str(snapshots), "--recipients", str(keys.recipients))
        _relance(env, "snapshot", "build", *build, "--lang", language, "--workers", "1")
        (snapshot,) = snapshots.glob("snapshot-*")
        opened = open_bundle(snapshot, keys, out / f"opened-{language}")
        pdfs = sorted((n, p) for n, p in opened.items() if n.endswith(".pdf"))
        chosen = pdfs if language == "fr" else pdfs[1:2]  # the cover, every ward; one in Dutch
        written |= {f"sheet {n}_{language}": p for n, p in chosen}
    written["call list"] = out / "calls.pdf"
    _relance(env, "notify", "call-list", "--out", str(written["call list"]))
    return written


def test_every_page_of_an_exercise_s_documents_carries_the_mark_and_its_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _relance(ENV, "exercise", "start", "vivalia-2022", "--dir", str(tmp_path / "ex"))
    monkeypatch.chdir(tmp_path / "ex")
    _relance(ENV, "incident", "declare", "--name", "Exercice", "--detected", "2022-05-13T23:00")
    written = _draw_all(ENV, tmp_path, "2022-05-13", exercise=True)
    several = long_sheets = 0
    for name, path in written.items():
        dutch = name.endswith("_nl")
        pages = _numbered(path, "pagina" if dutch else "page", "van" if dutch else "sur")
        several += len(pages) > 1
        long_sheets += name.startswith("sheet") and len(pages) > 1
        for n, page in enumerate(pages, start=1):
            assert ("OEFENING" if dutch else "EXERCICE") in page, (name, n)
    assert sum(name.startswith("sheet") for name in written) > 40  # the cover, 40 wards, in NL
    assert several >= 3  # the frame is checked past a first page
    assert long_sheets >= 1  # a ward sheet's too
    draft = (tmp_path / "draft.txt").resolve()
    _relance(ENV, "duties", "draft", "nis2_early_warning", "--out", str(draft))
    assert draft.read_text(encoding="utf-8").startswith("EXERCICE\n")


def test_a_live_database_s_documents_are_numbered_and_carry_no_mark(
    database_url: str, tmp_path: Path
) -> None:
    env = {**ENV, "RELANCE_DATABASE_URL": database_url}
    _relance(env, "init", "--scenario", str(SMALL))
    _relance(env, "incident", "declare", "--name", "Réel", "--detected", "2022-05-14T00:00")
    for name, path in _draw_all(env, tmp_path, "2022-05-14", exercise=False).items():
        dutch = name.endswith("_nl")
        pages = _numbered(path, "pagina" if dutch else "page", "van" if dutch else "sur")
        for n, page in enumerate(pages, start=1):
            assert not any(mark in page for mark in MARKS), (name, n)
    text = tmp_path / "draft.txt"
    _relance(env, "duties", "draft", "nis2_early_warning", "--out", str(text))
    assert not any(mark in text.read_text(encoding="utf-8") for mark in MARKS)
