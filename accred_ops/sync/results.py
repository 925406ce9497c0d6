"""What a run returns: lines per learner, failures, how GitLab was read. Never printed here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class LearnerResult:
    cohort: str
    username: str
    lines: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class RunResult:
    dry_run: bool
    group_lines: list[str] = field(default_factory=list)
    learners: list[LearnerResult] = field(default_factory=list)
    reading: str = ""  # how a sync read GitLab: a full pass (and why), or the changes since when
    quiet: bool = False  # an incremental sync that found nothing changed since the last one
    tracking: str = ""  # how learners' paths are tracked, when accred-ops found out itself
    notices: list[str] = field(default_factory=list)  # said once, on stderr; not changes

    @property
    def failures(self) -> list[LearnerResult]:
        return [r for r in self.learners if r.error]

    @property
    def change_count(self) -> int:
        return len(self.group_lines) + sum(len(r.lines) for r in self.learners)

    @property
    def exit_code(self) -> int:
        return 1 if self.failures else 0


ProgressFn = Callable[[LearnerResult], None]
