"""Where rectrack keeps its files, and which database it uses.

The home folder is `RECTRACK_HOME`, else the platform's user data folder. It holds
`config.toml` and the default SQLite database `rectrack.db`. The database in use is, first
found: the `--db` option, the `RECTRACK_DB` variable, `database` in `config.toml`, the
default file. Each may be a file path or a SQLAlchemy URL.
"""

from __future__ import annotations

import getpass
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rectrack.domain import closest
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


# What config.toml may hold: each setting and its type, a table as a dict of its own.
SETTINGS: dict[str, Any] = {
    "database": str,  # a path or a SQLAlchemy URL
    "country": str,  # the default for `add --country`
    "user": {"name": str},  # who records assessments
    # A SQLite file on a network share (SMB, NFS) cannot use write-ahead logging: wal = false.
    "sqlite": {"wal": bool},
    # Limits on what an import reads (refused beyond them).
    "limits": {"file_mb": int, "unpacked_mb": int, "rows": int},
}


def _check_config(path: Path, data: dict[str, Any], spec: dict[str, Any], prefix: str) -> None:
    for key, value in data.items():
        kind = spec.get(key)
        name = f"{prefix}{key}"
        if kind is None:
            near = closest(key, spec, n=1)
            hint = f" (did you mean '{prefix}{near[0]}'?)" if near else ""
            known = ", ".join(f"{prefix}{k}" for k in spec)
            raise RectrackError(f"{path}: unknown setting '{name}'{hint}; known: {known}")
        if isinstance(kind, dict):
            if not isinstance(value, dict):
                raise RectrackError(f"{path}: '{name}' should be a table ([{name}])")
            _check_config(path, value, kind, f"{name}.")
        elif not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            expected = {str: "text in quotes", bool: "true or false", int: "a whole number"}
            raise RectrackError(f"{path}: '{name}' should be {expected[kind]}")


def load_config() -> dict[str, Any]:
    """The settings of config.toml in the home folder ({} without one). An unknown setting
    is refused with the closest known one, so that a typo is not silently ignored."""
    path = config_path()
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        return {}
    except (tomllib.TOMLDecodeError, OSError) as e:
        raise RectrackError(f"cannot read {path}: {e}") from None
    _check_config(path, data, SETTINGS, "")
    return data


def sqlite_wal() -> bool:
    """Whether SQLite files use write-ahead logging (`[sqlite] wal` in config.toml; on
    unless a database lives on a network share, where WAL cannot work)."""
    return bool(load_config().get("sqlite", {}).get("wal", True))


def default_country() -> str | None:
    """The country that `add` fills in when none is given (`country` in config.toml)."""
    country = load_config().get("country")
    return country.strip() or None if isinstance(country, str) else None


@dataclass(frozen=True)
class DatabaseLocation:
    url: str
    origin: str  # where the choice came from: --db, RECTRACK_DB, config.toml, default
    path: Path | None  # the file, for SQLite

    def describe(self) -> str:
        return str(self.path) if self.path is not None else hide_password(self.url)

    def name(self) -> str:
        """The database's name alone (a file's name, a server database's name), for files
        that travel: no folder, host or password."""
        if self.path is not None:
            return self.path.name
        return self.url.rsplit("/", 1)[-1].split("?", 1)[0] or hide_password(self.url)


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


def location_of(value: str, origin: str) -> DatabaseLocation:
    """A database named on the command line other than by --db (`db copy --to`): a path,
    taken from the current folder, or a URL."""
    if not value.strip():
        raise RectrackError(f"{origin}: give a file path or a URL")
    return _location(value, origin)


def database_location(option: str | None = None) -> DatabaseLocation:
    """Where the database in use is: `--db`, else RECTRACK_DB, else config.toml, else the
    home folder's rectrack.db. config.toml is checked whichever is used."""
    config = load_config()
    if option:
        return _location(option, "--db")
    env = os.environ.get("RECTRACK_DB")
    if env:
        return _location(env, "RECTRACK_DB")
    configured = config.get("database")
    if configured is not None:
        if not isinstance(configured, str) or not configured.strip():
            raise RectrackError(
                f"{config_path()}: 'database' should be a file path or a URL in quotes"
            )
        # A relative path in config.toml is relative to the home folder that holds it.
        return _location(configured, "config.toml", base=config_path().parent)
    return _location(str(home() / "rectrack.db"), "default")


# On a shared PostgreSQL server, who records is the role rectrack logs in as (set when the
# database is opened): a member cannot record in another's name.
_server_role: str | None = None


def set_server_role(role: str | None) -> None:
    global _server_role
    _server_role = role


def current_user(config: dict[str, Any] | None = None) -> str:
    """Who records: the role on a shared PostgreSQL server, else `user.name` in
    config.toml, else the login name."""
    if _server_role:
        return _server_role
    if config is None:
        config = load_config()
    user = config.get("user")
    name = user.get("name") if isinstance(user, dict) else None
    if isinstance(name, str) and name.strip():
        return name.strip()
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"
