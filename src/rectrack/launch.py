"""The `rectrack` command's entry point. `rectrack --version` is answered here, before the
command line (Typer, Rich) is loaded: it is what scripts and shell completion call most,
and it should cost no more than starting Python."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from rectrack import __version__

        sys.stdout.write(f"rectrack {__version__}\n")
        return
    from rectrack.cli import main as cli

    cli()
