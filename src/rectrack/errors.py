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


class Problems(RectrackError):
    """A file or request with several mistakes, each listed on a line of its own with its
    place, before a summary line; nothing was written."""

    def __init__(self, problems: list[str], summary: str, warnings: list[str] | None = None):
        self.problems = problems
        self.summary = summary
        self.warnings = warnings or []
        super().__init__(summary)
