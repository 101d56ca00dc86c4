"""`relance review` as the crisis cell types it: records, the PDF, and errors with exit code 2."""

from pathlib import Path

from tests.cli.test_cli import Relance


def test_the_cell_records_findings_and_actions_and_builds_the_review(
    small: Relance, tmp_path: Path
) -> None:
    small("incident", "declare", "--name", "test", "--detected", "2022-05-14T03:29")
    assert "constat n° 1 (à améliorer)" in small("review", "finding", "add", "to_improve", "slow")
    small(
        "review",
        "action",
        "add",
        "export",
        "--owner",
        "IT",
        "--due",
        "2022-07-01",
        "--finding",
        "1",
    )
    out = small("review", "action", "update", "1", "--status", "in_progress")
    assert "action n° 1 : en cours" in out
    assert small.json("review", "action", "list")[0]["status"] == "in_progress"  # type: ignore[index]
    assert small.json("review", "finding", "list")[0]["text"] == "slow"  # type: ignore[index]
    pdf = tmp_path / "review.pdf"
    assert "écrit dans" in small("review", "build", "--out", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")


def test_bad_input_exits_2_with_a_message(small: Relance, tmp_path: Path) -> None:
    before = small.snapshot()
    out = small("review", "build", "--out", str(tmp_path / "review.pdf"), code=2)
    assert "aucun incident déclaré" in out
    assert "n'est pas l'un de" in small("review", "finding", "add", "good", "fast", code=2)
    assert "n'est pas un jour" in small(
        "review", "action", "add", "x", "--owner", "IT", "--due", "July", code=2
    )
    out = small("review", "action", "update", "3", "--status", "finished", code=2)
    assert "--status 'finished' is not one of" in out
    assert "aucune action d'amélioration 3" in small(
        "review", "action", "update", "3", "--note", "x", code=2
    )
    assert "n'est pas un dossier" in small(
        "review", "build", "--out", str(tmp_path / "no" / "r.pdf"), code=2
    )
    assert small.snapshot() == before
