"""Start-up cost, help, version, and how errors reach the user."""

from __future__ import annotations

import subprocess
import sys

from typer.main import get_command

from rectrack import __version__
from rectrack.cli import app


def test_importing_the_cli_loads_no_database_or_excel_library() -> None:
    code = (
        "import sys, rectrack.cli\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules}"
        " & {'sqlalchemy', 'sqlmodel', 'openpyxl'})\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_version(run) -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"rectrack {__version__}"


def test_python_dash_m_runs_the_cli() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "rectrack", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0
    assert out.stdout.strip() == f"rectrack {__version__}"


def _all_commands(command, path=()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _all_commands(sub, (*path, name))


def test_every_command_and_option_has_help(run) -> None:
    root = get_command(app)
    for path, command in _all_commands(root):
        assert command.help, f"rectrack {' '.join(path)} has no help text"
        for param in command.params:
            if param.param_type_name == "option":
                assert getattr(param, "help", None), f"{' '.join(path)} {param.opts} has no help"
        result = run(*path, "--help")
        assert result.exit_code == 0
        assert "Usage:" in result.stdout


def test_every_command_is_in_the_readme() -> None:
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text()
    root = get_command(app)
    for path, command in _all_commands(root):
        if path and not getattr(command, "commands", None):
            assert f"rectrack {' '.join(path)}" in readme, (
                f"README lacks `rectrack {' '.join(path)}`"
            )


def test_no_arguments_shows_help(run) -> None:
    result = run()
    assert "Usage:" in result.output


def test_unknown_command_is_a_usage_error(run) -> None:
    result = run("frobnicate")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
