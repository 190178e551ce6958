"""Errors a user can cause. The command line prints their message and exits with their code."""


class RectrackError(Exception):
    """A problem the user can fix; never printed with a traceback."""

    exit_code = 1


class NotFound(RectrackError):
    """Something named by the user does not exist (exit 1)."""


class BadValue(RectrackError):
    """A value the user gave is not valid (exit 2, like a usage error)."""

    exit_code = 2


class Conflict(RectrackError):
    """The change would clash with what is already recorded (exit 1)."""


class Duplicate(Conflict):
    """The recommendation is already recorded under `key`."""

    def __init__(self, key: str, reason: str):
        self.key = key
        super().__init__(
            f"already recorded as {key} ({reason}); use --allow-duplicate to add it anyway"
        )


class NearName(BadValue):
    """A new theme or institution that looks like one on record: likely a misspelling."""

    def __init__(self, what: str, name: str, near: str):
        self.what, self.name, self.near = what, name, near
        super().__init__(
            f"'{name}' is not {'an' if what[0] in 'aeiou' else 'a'} {what} on record; "
            f"did you mean '{near}'? "
            f"(add --new-{what} to record '{name}' as a new {what})"
        )


class Problems(RectrackError):
    """A file or request with several mistakes, each listed on a line of its own with its
    place, before a summary line; nothing was written."""

    def __init__(self, problems: list[str], summary: str, warnings: list[str] | None = None):
        self.problems = problems
        self.summary = summary
        self.warnings = warnings or []
        super().__init__(summary)
