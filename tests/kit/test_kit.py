"""The offline kit's pieces that need no network: tags, apt versions, texts, the install script.

Building a whole kit downloads 200 MB: `.ci/offline-kit` does it, then installs from the kit in
a network namespace with no network (see docs/operations.md).
"""

import json
import os
import platform
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from relance.app.context import Context
from relance.app.kit import (
    INSTALL,
    DebianPackage,
    KitRequest,
    MachineWheels,
    build_kit,
    parse_policy,
    platform_tags,
)
from relance.app.kit_texts import KitFacts, install_script, lisezmoi, readme
from relance.domain.errors import InvalidInput

ROOT = Path(__file__).parent.parent.parent
POLICY = """\
postgresql:
  Installed: 15+248+deb12u2
  Candidate: 15+248+deb12u2
  Version table:
 *** 15+248+deb12u2 500
        500 http://deb.debian.org/debian-security bookworm-security/main amd64 Packages
kannel:
  Installed: (none)
  Candidate: 1.4.5-12
  Version table:
     1.4.5-12 500
"""


def test_pip_gets_every_manylinux_tag_up_to_glibc_2_28() -> None:
    tags = platform_tags("x86_64")
    assert tags[0] == "manylinux_2_28_x86_64"
    assert {"manylinux_2_17_x86_64", "manylinux2014_x86_64", "manylinux1_x86_64"} <= set(tags)
    assert "manylinux_2_31_x86_64" not in tags
    assert all(t.endswith("_aarch64") for t in platform_tags("aarch64"))


def test_apt_cache_policy_is_read() -> None:
    assert parse_policy(POLICY) == {
        "postgresql": ("15+248+deb12u2", "15+248+deb12u2"),
        "kannel": ("(none)", "1.4.5-12"),
    }


def _facts(missing: tuple[str, ...] = ()) -> KitFacts:
    return KitFacts(
        "0.1.0",
        (MachineWheels("x86_64", 58, ()), MachineWheels("aarch64", 58 - len(missing), missing)),
        (DebianPackage("python3-venv", True, "3.11.2-1+b1", "3.11.2-1+b1"),),
        "2.28",
        datetime(2022, 5, 14, 2, 0, tzinfo=UTC),
    )


def test_the_readmes_say_which_machine_lacks_a_wheel() -> None:
    facts = _facts(("ortools==9.15",))
    assert "aarch64 : PAS INSTALLABLE, aucun wheel aarch64 pour ortools==9.15" in lisezmoi(facts)
    assert "aarch64: NOT INSTALLABLE, no aarch64 wheel for ortools==9.15" in readme(facts)
    assert "x86_64 : complet (58 paquets)" in lisezmoi(facts)
    assert "python3-venv       requis  installé 3.11.2-1+b1" in lisezmoi(facts)
    assert "installed 3.11.2-1+b1" in readme(_facts())


@pytest.mark.parametrize("text", [lisezmoi, readme])
def test_the_readmes_fit_80_columns_and_their_commands_paste_as_typed(
    text: Callable[[KitFacts], str],
) -> None:
    lines = text(_facts(("ortools==9.15",))).splitlines()
    assert [line for line in lines if len(line) > 80] == []
    first_steps = [i for i, line in enumerate(lines) if "relance sitrep" in line]
    assert first_steps, "the first steps produce a sitrep"
    for i in first_steps:  # a command split over two lines ends with a shell continuation
        assert lines[i].endswith(" \\")
        assert "--actor" in lines[i + 1]


def _kit(directory: Path, complete: bool = True) -> Path:
    """A kit directory with no wheels: enough for the script's checks before pip."""
    directory.mkdir()
    (directory / INSTALL).write_text(install_script(), encoding="utf-8")
    machines = {platform.machine(): {"complete": complete, "wheels": 0, "missing": []}}
    (directory / "kit.json").write_text(json.dumps({"machines": machines}), encoding="utf-8")
    (directory / "SHA256SUMS").write_text(f"{'0' * 64}  kit.json\n", encoding="utf-8")
    return directory


def _install(kit: Path, target: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", str(kit / INSTALL), str(target)],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": os.environ["PATH"], "LANG": "fr_BE.UTF-8", **env},
    )


def test_the_install_script_refuses_a_damaged_kit(tmp_path: Path) -> None:
    done = _install(_kit(tmp_path / "kit"), tmp_path / "relance")
    assert done.returncode == 2
    assert "kit.json: FAILED" in done.stdout + done.stderr
    assert "erreur : le kit est endommagé" in done.stderr
    assert not (tmp_path / "relance").exists()


def test_the_install_script_speaks_english_when_asked(tmp_path: Path) -> None:
    done = _install(_kit(tmp_path / "kit"), tmp_path / "relance", LANG="en_GB.UTF-8")
    assert "error: the kit is damaged" in done.stderr


def test_the_install_script_needs_python_3_11(tmp_path: Path) -> None:
    done = _install(_kit(tmp_path / "kit"), tmp_path / "relance", PYTHON="false")
    assert done.returncode == 2
    assert "il faut Python 3.11" in done.stderr


def test_the_install_script_refuses_a_machine_without_its_wheels(tmp_path: Path) -> None:
    done = _install(_kit(tmp_path / "kit", complete=False), tmp_path / "relance")
    assert done.returncode == 2
    assert f"pour {platform.machine()}" in done.stderr


def test_a_kit_goes_into_a_new_directory(tmp_path: Path) -> None:
    (tmp_path / "kit").mkdir()
    (tmp_path / "kit" / "old.whl").write_text("")
    with pytest.raises(InvalidInput, match="not an empty directory"):
        build_kit(Context(actor="t"), KitRequest(tmp_path / "kit", ROOT))
    with pytest.raises(InvalidInput, match="not relance's source tree"):
        build_kit(Context(actor="t"), KitRequest(tmp_path / "new", tmp_path))
    with pytest.raises(InvalidInput, match="unknown machine"):
        build_kit(Context(actor="t"), KitRequest(tmp_path / "new", ROOT, ("riscv64",)))
    assert not (tmp_path / "new").exists()
