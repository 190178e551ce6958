"""Where rectrack keeps its files, and which database it uses.

The home folder is `RECTRACK_HOME`, else the platform's user data folder. It holds
`config.toml` and the default SQLite database `rectrack.db`. The database in use is, first
found: the `--db` option, the `RECTRACK_DB` variable, `database` in `config.toml`, the
default file. Each may be a file path or a SQLAlchemy URL.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rectrack.errors import RectrackError

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


def home() -> Path:
    env = os.environ.get("RECTRACK_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("rectrack", appauthor=False))


def config_path() -> Path:
    return home() / "config.toml"


def load_config() -> dict[str, Any]:
    path = config_path()
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        return {}
    except (tomllib.TOMLDecodeError, OSError) as e:
        raise RectrackError(f"cannot read {path}: {e}") from None


@dataclass(frozen=True)
class DatabaseLocation:
    url: str
    origin: str  # where the choice came from: --db, RECTRACK_DB, config.toml, default
    path: Path | None  # the file, for SQLite

    def describe(self) -> str:
        return str(self.path) if self.path is not None else hide_password(self.url)


def hide_password(url: str) -> str:
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


def _location(value: str, origin: str, base: Path | None = None) -> DatabaseLocation:
    """A path or URL as a location; a relative path is taken from `base` (default: the
    current folder)."""
    if _URL.match(value):
        m = re.match(r"^sqlite(?:\+\w+)?:///(.+)$", value)
        path = Path(m.group(1)) if m and m.group(1) != ":memory:" else None
        return DatabaseLocation(value, origin, path)
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = (base or Path.cwd()) / path
    return DatabaseLocation(f"sqlite:///{path}", origin, path)


def database_location(option: str | None = None) -> DatabaseLocation:
    if option:
        return _location(option, "--db")
    env = os.environ.get("RECTRACK_DB")
    if env:
        return _location(env, "RECTRACK_DB")
    configured = load_config().get("database")
    if configured is not None:
        if not isinstance(configured, str) or not configured.strip():
            raise RectrackError(
                f"{config_path()}: 'database' should be a file path or a URL in quotes"
            )
        # A relative path in config.toml is relative to the home folder that holds it.
        return _location(configured, "config.toml", base=config_path().parent)
    return _location(str(home() / "rectrack.db"), "default")
