"""Every test runs with its own home folder, so it has its own config and database."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

pytest.register_assert_rewrite("helpers")

import typer.testing  # noqa: E402
from typer.testing import CliRunner, Result  # noqa: E402

import helpers  # noqa: E402
from rectrack.cli import app  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _command_built_once() -> None:
    """CliRunner.invoke takes rectrack's click command from the cache in helpers."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typer.testing, "_get_command", helpers.get_command_once)
        yield


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    monkeypatch.setenv("RECTRACK_HOME", str(folder))
    monkeypatch.delenv("RECTRACK_DB", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    return folder


Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    """Invoke rectrack like a user would; `input` answers prompts."""

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        result = CliRunner().invoke(app, list(args), input=input, env=env)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return invoke


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Behave as if stdin and stdout were a terminal (prompts, confirmation, tables)."""
    monkeypatch.setattr("rectrack.cli.root.stdin_is_terminal", lambda: True)
    monkeypatch.setattr("rectrack.render.stdout_is_terminal", lambda: True)


@pytest.fixture
def sample(run: Run) -> None:
    result = run("init", "--sample")
    assert result.exit_code == 0, result.output


os.environ.setdefault("TERM", "dumb")
