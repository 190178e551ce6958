"""The command line. Imports only typer and the standard library at module level, so that
`rectrack --help` never pays for SQLAlchemy."""

from rectrack.cli import (  # noqa: F401  (importing a module registers its commands)
    actions,
    bodies,
    database,
    documents,
    evidence,
    exchange,
    names,
    recommendations,
    relations,
    report,
    search,
    setup,
    status,
    tracking,
)
from rectrack.cli.root import app


def main() -> None:
    app(prog_name="rectrack")


__all__ = ["app", "main"]
