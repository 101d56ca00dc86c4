"""The catalogues are compiled once per version of their .po and kept in the user's cache
(relance.i18n): a command reads the kept copy without importing Babel; without a cache it can
write, it compiles each time and says the same words."""

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from relance import i18n

# Prints the French of one message and whether Babel had to be imported for it.
PROBE = """
import sys
from relance.i18n import Texts
print(Texts("fr")._("all"), "babel" in sys.modules)
"""


def said(env: dict[str, str]) -> tuple[str, bool]:
    """The French words a fresh interpreter finds, and whether it imported Babel to find them."""
    run = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    words, babel = run.stdout.rsplit(" ", 1)
    return words, babel.strip() == "True"


@pytest.fixture
def fresh() -> Iterator[None]:
    i18n._translations.cache_clear()
    yield
    i18n._translations.cache_clear()


@pytest.fixture(scope="module")
def french() -> str:
    """The French of "all", as the .po has it."""
    source = (Path(i18n.__file__).parent.parent / i18n.catalogue_path("fr")).read_bytes()
    found = read_po(io.BytesIO(source), locale="fr_BE")["all"]
    assert found is not None
    assert isinstance(found.string, str)
    assert found.string not in ("", "all")
    return found.string


def test_compiled_once_then_read_without_babel(tmp_path: Path, french: str) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    first = said(env)
    kept = sorted(p.name for p in (tmp_path / "relance").iterdir())
    assert len(kept) == 1
    assert kept[0].startswith("relance-fr-")
    assert kept[0].endswith(".mo")
    assert first == (french, True)  # compiled with Babel, and kept
    assert said(env) == (french, False)  # read from the kept copy


def test_a_cache_that_cannot_be_written_only_means_compiling(tmp_path: Path, french: str) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a directory", encoding="utf-8")
    assert said({"XDG_CACHE_HOME": str(blocked)}) == (french, True)
    assert said({"XDG_CACHE_HOME": str(blocked)}) == (french, True)


def test_a_damaged_copy_is_compiled_anew(tmp_path: Path, french: str) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    said(env)
    (kept,) = (tmp_path / "relance").iterdir()
    for damaged in (b"not a catalogue", kept.read_bytes()[:40]):
        kept.write_bytes(damaged)
        assert said(env) == (french, True)
        assert said(env) == (french, False)  # the damaged copy was replaced


def test_no_home_directory(monkeypatch: pytest.MonkeyPatch, fresh: None, french: str) -> None:
    """A service account without HOME nor a password entry: Path.home() raises."""

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", no_home)
    assert i18n.Texts("fr")._("all") == french


def test_a_full_disk_leaves_no_half_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "relance"
    folder.mkdir()
    target = folder / "relance-fr-0.mo"

    def full(self: Path, data: bytes) -> int:
        Path.write_text(self, "half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full)
    i18n._keep(target, b"compiled")
    assert list(folder.iterdir()) == []
