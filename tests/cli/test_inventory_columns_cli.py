"""Any inventory's CSV with `--source csv`: the starter proposes its columns, the import reads
them, and a column the mapping names but the file lacks is exit 2, nothing written."""

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from relance.cli.main import app

# An asset spreadsheet as a hospital's IT keeps it, saved from Excel in French: ';', CRLF,
# Windows-1252, a column relance does not need.
ASSETS = (
    "Nom de la machine;N° de série;Adresse MAC;Hôpital;Service;Remarque\r\n"
    "PC-URG-01;CZC001;00:11:22:33:44:55;Marche;Urgences;écran cassé\r\n"
    "PC-URG-02;CZC002;00-11-22-33-44-66;Marche;Urgences;\r\n"
    "PC-BLOC-01;CZC003;;Arlon;Bloc;\r\n"
)


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


def test_the_starter_proposes_what_it_can_tell_and_refuses_to_guess_the_name(
    tmp_path: Path,
) -> None:
    assets = tmp_path / "parc.csv"
    assets.write_bytes(ASSETS.encode("cp1252"))
    shown = _run(tmp_path, "inventory", "mapping", "--source", "csv", "--from", str(assets), code=2)
    assert "parc.csv:1: header: aucune colonne ne ressemble au nom de la machine" in shown
    assert "Traceback" not in shown


def test_an_asset_spreadsheet_imported_with_its_columns(tmp_path: Path) -> None:
    assets = tmp_path / "parc.csv"
    assets.write_bytes(ASSETS.replace("Nom de la machine", "Nom").encode("cp1252"))
    text = _run(tmp_path, "inventory", "mapping", "--source", "csv", "--from", str(assets))
    document = yaml.safe_load(text)
    assert document["columns"] == {
        "hostname": "Nom",
        "serial": "N° de série",
        "mac": "Adresse MAC",
        "site": "Hôpital",
    }
    assert {"site": "^Marche$", "value": "MARCHE"} in document["site"]
    document["network"]["name"] = "CHR exemple"
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    args = ("inventory", "import", str(assets), "--source", "csv", "--mapping", str(mapping))
    plan = json.loads(_run(tmp_path, *args, "--json"))
    assert plan["applied"]
    added = sorted((a["hostname"], a["site"]) for a in plan["added"])
    assert added == [("PC-BLOC-01", "ARLON"), ("PC-URG-01", "MARCHE"), ("PC-URG-02", "MARCHE")]


def test_a_column_the_mapping_names_and_the_file_lacks_is_exit_2(tmp_path: Path) -> None:
    assets = tmp_path / "parc.csv"
    assets.write_bytes(ASSETS.encode("cp1252"))
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "columns: {hostname: Hostname, site: Hôpital}\n"
        "sites: [{code: MARCHE, name: Marche, kind: hospital}]\n"
        'site: [{site: "^Marche$", value: MARCHE}]\n',
        encoding="utf-8",
    )
    args = ("inventory", "import", str(assets), "--source", "csv", "--mapping", str(mapping))
    shown = _run(tmp_path, *args, code=2)
    assert "parc.csv:1: header: pas de colonne 'Hostname'" in shown
    assert not (tmp_path / "relance.db").exists()


def test_a_date_that_reads_both_ways_is_exit_2_naming_file_line_and_column(
    tmp_path: Path,
) -> None:
    assets = tmp_path / "parc.csv"
    assets.write_text(
        "Nom;Hôpital;Last seen\r\nPC-1;Marche;03/04/2024 10:00\r\nPC-2;Marche;05/05/2024 11:00\r\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "columns: {hostname: Nom, site: Hôpital}\n"
        "network: {name: CHR, workstation_hours: 2, medical_device_hours: 4}\n"
        "sites: [{code: MARCHE, name: Marche, kind: hospital}]\n"
        'site: [{site: "^Marche$", value: MARCHE}]\n',
        encoding="utf-8",
    )
    args = ("inventory", "import", str(assets), "--source", "csv", "--mapping", str(mapping))
    shown = _run(tmp_path, *args, code=2)
    said = " ".join(shown.split())
    assert (
        "parc.csv:2: last seen: '03/04/2024 10:00' : impossible de distinguer le jour du mois"
        in (said)
    )
    assert not (tmp_path / "relance.db").exists()
    assets.write_text(assets.read_text().replace("05/05/2024", "25/05/2024"), encoding="utf-8")
    assert "appliqué" in _run(tmp_path, *args)
