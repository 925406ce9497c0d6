"""Use cases: setup, enroll, sync, status, revoke. The sync is a pipeline of stages in
`accred_ops/sync/` (selection, reading, learners, requests, feedback, recording), composed by
`Session.run`; this module names what the commands and other modules use, in one place."""

from __future__ import annotations

from accred_ops.sync.assessors import AssessorLoad
from accred_ops.sync.connection import connect, gitlab_url
from accred_ops.sync.reading import Reading, index_states
from accred_ops.sync.results import LearnerResult, ProgressFn, RunResult
from accred_ops.sync.revoke import revoke
from accred_ops.sync.selection import in_shard
from accred_ops.sync.session import Session
from accred_ops.sync.status import StatusRow, status

__all__ = [
    "AssessorLoad",
    "LearnerResult",
    "ProgressFn",
    "Reading",
    "RunResult",
    "Session",
    "StatusRow",
    "connect",
    "gitlab_url",
    "in_shard",
    "index_states",
    "revoke",
    "status",
]
