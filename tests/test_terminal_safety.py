"""What rectrack prints cannot take over the terminal, and a failure never shows a
traceback unless asked for.

Control characters in a text, note or title (ANSI and OSC escape sequences, other C0 and
C1 controls) are stored as given but shown escaped (`\\x1b[31m`) by every command, in
tables, TSV, CSV, JSON and messages alike. An unexpected error (a bug) prints one line
saying so and how to report it, with exit code 70; `--debug` shows its traceback. A value
on the command line that is not UTF-8 is refused as a usage error.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from rectrack import render

RED = "\x1b[31m"
TITLE = "\x1b]0;pwned\x07"  # OSC: set the terminal's title
CSI = "\x9b2J"  # the C1 control CSI: clear the screen
TEXT = f"Adopt {RED}a law\x1b[0m now {TITLE} and {CSI}.\r\nSecond line\tafter a tab"
RAW = ("\x1b", "\x07", "\x9b")


def raw_controls(output: str) -> list[str]:
    return [c for c in RAW if c in output]


def test_visible_escapes_controls_and_keeps_tabs_and_line_breaks() -> None:
    assert render.visible(TEXT) == (
        "Adopt \\x1b[31ma law\\x1b[0m now \\x1b]0;pwned\\x07 and \\x9b2J."
        "\r\nSecond line\tafter a tab"
    )
    assert render.visible("a\rb\x00c\x7fd\x0be") == "a\\x0db\\x00c\\x7fd\\x0be"
    assert render.visible("plain, Čačak, жртве") == "plain, Čačak, жртве"


def test_visible_text_keeps_styles_in_place() -> None:
    from rich.text import Text

    text = Text(f"a{RED}b word")
    text.stylize("bold", 8, 12)  # "word"
    shown = render.visible_text(text)
    assert shown.plain == "a\\x1b[31mb word"
    (span,) = shown.spans
    assert shown.plain[span.start : span.end] == "word"


@pytest.fixture
def hostile(cli, empty) -> str:
    key = cli.add("-b", "CEDAW", "-t", TEXT, "--summary", f"Fund {RED}", "--date", "2019")
    cli.ok("assess", key, "--status", "in_progress", "--note", f"note {TITLE}")
    cli.ok("action", "add", "--title", f"Law {CSI}", "--kind", "law", "--rec", key)
    return key


def test_the_text_is_stored_as_given(cli, hostile) -> None:
    conn = sqlite3.connect(cli.database())
    try:
        (text,) = conn.execute("SELECT text FROM recommendation").fetchone()
    finally:
        conn.close()
    assert text == TEXT


@pytest.mark.parametrize("fmt", ["table", "tsv", "csv"])
@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["show", "{key}"],
        ["history", "{key}"],
        ["status"],
        ["action", "list"],
        ["search", "law"],
    ],
)
def test_every_listing_shows_controls_escaped(cli, hostile, terminal, command, fmt) -> None:
    args = [a.format(key=hostile) for a in command]
    result = cli(*args, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert raw_controls(result.output) == [], repr(result.output)
    assert "\\x1b" in result.output or "\\x9b" in result.output, result.output


def test_json_escapes_every_control_and_reads_back_the_same(cli, hostile) -> None:
    result = cli("show", hostile, "--format", "json")
    assert raw_controls(result.stdout) == []
    assert json.loads(result.stdout)["text"] == TEXT


def test_messages_show_controls_escaped(cli, hostile) -> None:
    result = cli("show", f"NO-{RED}SUCH")
    assert result.exit_code == 1
    assert raw_controls(result.stderr) == []
    assert "\\x1b[31m" in result.stderr


def test_an_export_keeps_the_text_as_given(cli, hostile, tmp_path) -> None:
    """Files written for other programs hold the text itself (control characters that a
    workbook cell cannot hold are removed there, as before)."""
    path = tmp_path / "set.toml"
    cli.ok("export", path)
    assert "\\u001b[31m" in path.read_text(encoding="utf-8")


# --- bugs and --debug ---------------------------------------------------------------------


def _break_listing(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args, **kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr("rectrack.services.recommendations.list_recommendations", broken)


def test_a_bug_prints_one_line_and_exits_70(cli, empty, monkeypatch) -> None:
    _break_listing(monkeypatch)
    result = cli("list")
    assert result.exit_code == 70
    assert result.stdout == ""
    assert result.stderr == (
        "Error: an unexpected error, a bug in rectrack (KeyError: 'a bug'); please report it "
        "at https://github.com/rectrack/rectrack/issues, with the traceback that the same "
        "command prints with --debug (rectrack --debug ...)\n"
    )


def test_debug_shows_the_traceback(cli, empty, monkeypatch) -> None:
    _break_listing(monkeypatch)
    with pytest.raises(KeyError, match="a bug"):
        cli("--debug", "list")


def test_debug_does_not_change_a_users_mistake(cli, empty) -> None:
    result = cli("--debug", "show", "NO-SUCH-1")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")


def test_a_refusal_of_the_system_is_one_line(cli, sample, tmp_path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    target = folder / "out.csv"

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(target))

    import rectrack.io.formats

    original = rectrack.io.formats.write_safely
    try:
        rectrack.io.formats.write_safely = lambda path, write: refuse()  # type: ignore[assignment]
        result = cli("export", target)
    finally:
        rectrack.io.formats.write_safely = original
    assert result.exit_code == 1
    assert result.stderr == f"Error: {target}: Permission denied\n"


def test_a_value_that_is_not_utf8_is_a_usage_error(cli, empty) -> None:
    result = cli("list", "--body", "ced\udc9baw")
    assert result.exit_code == 2
    assert "'ced\\x9baw' is not UTF-8 text" in result.stderr


def test_help_documents_debug_and_exit_70(cli) -> None:
    out = cli.ok("--help")
    assert "--debug" in out
    assert "70 a bug in rectrack" in out
