"""Fixtures shared with the command-line and web tests."""

from tests.cli.test_cli import relance, small  # noqa: F401 - fixtures shared with the CLI tests
from tests.web.conftest import web  # noqa: F401 - the web app with one account per role
