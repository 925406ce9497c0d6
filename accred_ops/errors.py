"""One exception family: every error the tool raises says what to fix, and maps to an exit code.

The library never prints or exits; the CLI turns these into messages and exit codes
(SPEC §6: 1 for GitLab/network failures, 2 for bad input or usage).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a local file, placed where the parser or validator found it."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class AccredError(Exception):
    """Base of every error accred-ops raises on purpose."""

    exit_code = 1


class InputError(AccredError):
    """Local files or command-line arguments are wrong; nothing was sent to GitLab."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("accred-ops", 0, problems)]
        self.problems = sorted(problems)
        super().__init__("\n".join(_format(p) for p in self.problems))


def _format(problem: Problem) -> str:
    return problem.message if problem.line == 0 else str(problem)


class GitLabError(AccredError):
    """GitLab refused or failed a request; the message says what to check (never the token)."""

    exit_code = 1


class AuthenticationError(GitLabError):
    """The token is missing, invalid or expired: nothing else can work, so the run stops."""
