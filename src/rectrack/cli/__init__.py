"""The command line. Imports only typer and the standard library at module level, so that
`rectrack --help` never pays for SQLAlchemy."""

from rectrack.cli import bodies, database, recommendations, setup  # noqa: F401  (registers)
from rectrack.cli.root import app


def main() -> None:
    app(prog_name="rectrack")


__all__ = ["app", "main"]
