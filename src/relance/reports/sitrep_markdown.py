"""The sitrep as Markdown, drawn from the document of one language; its charts are PNG files
beside it."""

from relance.reports.sitrep_document import Block, Document, Matrix, Picture, Table


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _block(block: Block, pictures: dict[str, str]) -> list[str]:
    if isinstance(block, str):
        return [block, ""]
    if isinstance(block, list):
        return [*(f"- {line}" for line in block), ""]
    if isinstance(block, Table):
        return _table(block.head, block.rows)
    if isinstance(block, Matrix):
        rows = [[site, *(c[1] if c else "" for c in cells)] for site, cells in block.rows]
        legend = ", ".join(label for _, label in block.legend)
        return [*_table(block.head, rows), legend, ""]
    assert isinstance(block, Picture)  # noqa: S101 - the last kind of block
    return [f"![{block.caption}]({pictures[block.name]})", ""]


def render(doc: Document, pictures: dict[str, str]) -> str:
    """The report; `pictures` names the PNG file of each chart."""
    lines = [f"# {doc.title}", "", f"**{doc.subtitle}**", "", doc.byline, ""]
    for section in doc.sections:
        lines += [f"## {section.title}", ""]
        for block in section.blocks:
            lines += _block(block, pictures)
    return "\n".join(lines)
