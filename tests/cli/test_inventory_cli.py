"""`relance inventory` as the IT lead runs it: a look first, then the import, then status."""

import json
from pathlib import Path

from typer.testing import CliRunner

from relance.cli.main import app
from relance.importers import inventory_samples


def _run(directory: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(
        app,
        list(args),
        env={
            "RELANCE_DATABASE_URL": f"sqlite:///{directory / 'relance.db'}",
            "RELANCE_ACTOR": "it-lead",
            "COLUMNS": "200",
        },
    )
    assert result.exit_code == code, (result.output, result.exception)
    return result.output


def test_dry_run_makes_no_database_then_the_import_builds_the_network(tmp_path: Path) -> None:
    machines = inventory_samples.hospital(90)
    files = [str(p) for p in inventory_samples.write(tmp_path, machines)]
    mapping = str(tmp_path / "mapping.yaml")
    shown = _run(tmp_path, "inventory", "import", *files, "--mapping", mapping, "--dry-run")
    assert "essai : rien n'a été écrit" in shown
    assert not (tmp_path / "relance.db").exists()
    assert "appliqué" in _run(tmp_path, "inventory", "import", *files, "--mapping", mapping)
    status = json.loads(_run(tmp_path, "status", "--json"))
    total = sum(sum(counts.values()) for counts in status["totals"].values())
    assert total == len(machines)
    isolated = sum(counts["isolated"] for counts in status["totals"].values())
    assert isolated == sum(m.isolated for m in machines)
    again = _run(tmp_path, "inventory", "import", *files, "--mapping", mapping)
    assert "rien à changer" in again


def test_a_bad_export_is_exit_2_with_its_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "glpi.csv"
    bad.write_text('"Nom";"Entité";\n"PC 1";"CHR";\n', encoding="utf-8")
    (tmp_path / "mapping.yaml").write_text(inventory_samples.mapping(), encoding="utf-8")
    args = ("inventory", "import", str(bad), "--mapping", str(tmp_path / "mapping.yaml"))
    shown = _run(tmp_path, *args, code=2)
    assert "glpi.csv:2: name: 'PC 1'" in shown
    assert "Traceback" not in shown
    assert not (tmp_path / "relance.db").exists()


def test_a_starter_mapping_from_the_exports(tmp_path: Path) -> None:
    files = inventory_samples.write(tmp_path, inventory_samples.hospital(30))
    out = tmp_path / "starter.yaml"
    _run(
        tmp_path,
        "inventory",
        "mapping",
        "--from",
        str(files[0]),
        "--from",
        str(files[1]),
        "-o",
        str(out),
    )
    text = out.read_text(encoding="utf-8")
    assert "code: MARCHE" in text
    assert "location: ^Marche" in text
    assert "OU=Marche" in text
    shown = _run(tmp_path, "inventory", "mapping", "--from", str(files[0]), "-o", str(out), code=2)
    assert "existe" in shown
