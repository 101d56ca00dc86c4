"""The command-line fixtures (a database on each backend, the small network loaded)."""

from tests.cli.test_cli import relance, small  # noqa: F401 - fixtures shared with the CLI tests
