"""The one error base class, and the exit codes every command shares."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_UNEXPECTED = 3


class GovbotError(Exception):
    """An error govbot can explain to a person: what went wrong, where, and how to fix it."""

    exit_code = EXIT_UNEXPECTED

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def diagnostics(self) -> str:
        """The message as a person should read it, `path:line: message` when a place is known
        (control characters in the path shown escaped: a file name can hold a newline)."""
        if self.path is None:
            return self.message
        from govbot.model.findings import escape_controls  # only when an error is shown

        path = escape_controls(self.path)
        if self.line is None:
            return f"{path}: {self.message}"
        return f"{path}:{self.line}: {self.message}"

    def __str__(self) -> str:
        return self.diagnostics()


class ConfigError(GovbotError):
    """governance.yml (or another input the command needs) is unusable."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 problems: tuple[str, ...] = ()):
        super().__init__(message, path=path, line=line)
        self.problems = problems

    def diagnostics(self) -> str:
        head = super().diagnostics()
        return "\n".join([head, *self.problems]) if self.problems else head


class UsageError(GovbotError):
    """The command was called in a way that cannot work."""

    exit_code = EXIT_USAGE


class RecordError(GovbotError):
    """A decision record (or other YAML document) cannot be read at all."""

    exit_code = EXIT_FINDINGS


class GitHubError(GovbotError):
    """GitHub refused or failed a request govbot needed."""

    exit_code = EXIT_UNEXPECTED
