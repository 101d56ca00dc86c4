"""`python -m relance`: the same as the `relance` command."""

from relance.cli.main import app

app()
