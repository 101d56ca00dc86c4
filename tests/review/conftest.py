"""Fixtures shared with the command-line tests."""

from tests.cli.test_cli import relance, small  # noqa: F401 - fixtures shared with the CLI tests
