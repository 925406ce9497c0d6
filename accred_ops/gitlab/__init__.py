"""The only package that talks to GitLab (python-gitlab, and GraphQL for Work Items).

It returns the core's plain records (never python-gitlab objects), lists with filters and
`per_page=100`, lets python-gitlab retry 429s (honouring `Retry-After`), 5xx and dropped
connections on reads and idempotent edits, and turns GitLab's errors into messages that say
what to check. The token is never part of any message. How a learner's path is tracked is a
backend behind `tracker.Tracker`; the rest of accred-ops asks it facts, never its name.
"""

from accred_ops.gitlab.adapter import GitLabAdapter
from accred_ops.gitlab.errors import gitlab_errors
from accred_ops.gitlab.tracker import MODES, Tracker, other_mode

__all__ = ["MODES", "GitLabAdapter", "Tracker", "gitlab_errors", "other_mode"]
