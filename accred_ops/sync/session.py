"""The Session: one run against GitLab (the workspace, the adapter, the texts, the tool's own
user, the assessors' authority, what is read once), and `run`, the sync's stages in order:
select -> read -> decide -> apply -> record.

The library never prints or exits: it returns results, and reports progress through a callback,
so a CI job, the CLI or a notebook can drive it. A learner whose run fails is recorded and the
others go on; only a rejected token stops everything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from pathlib import Path

from accred_ops import __version__
from accred_ops.core.context import Mode, Routing
from accred_ops.core.marker import EpicKey
from accred_ops.core.model import Workspace
from accred_ops.core.plan import Change
from accred_ops.core.progress import Authority
from accred_ops.core.setup import plan_board, plan_labels
from accred_ops.core.state import Epic, Issue, LearnerState
from accred_ops.core.tooluser import ToolUser
from accred_ops.errors import InputError
from accred_ops.executor import GroupState, apply_group
from accred_ops.files.validate import managers, project_url
from accred_ops.gitlab import GitLabAdapter
from accred_ops.render import TEMPLATE_NAMES, Texts
from accred_ops.sync import (
    feedback,
    handover,
    learners,
    notifying,
    reading,
    recording,
    requests,
    scores,
    sealing,
    selection,
)
from accred_ops.sync.assessors import AssessorLoad
from accred_ops.sync.requests import Answered
from accred_ops.sync.results import LearnerResult, ProgressFn, RunResult
from accred_ops.sync.selection import Scope


class Session:
    """One run against GitLab: the workspace, the adapter, the texts, and what is read once."""

    def __init__(
        self,
        ws: Workspace,
        gitlab: GitLabAdapter,
        templates_dir: Path | None = None,
        now: dt.datetime | None = None,
    ) -> None:
        self.ws = ws
        self.gitlab = gitlab
        sealing.use_key(gitlab)  # ACCRED_RECORD_KEY, if set: records are sealed (core/seal.py)
        self.now = now or dt.datetime.now(dt.UTC)  # reminders' clock (ACCRED_NOW pins it)
        base = gitlab.gl.url if hasattr(gitlab, "gl") else None
        self.texts = Texts(
            templates_dir,
            ws.config.labels,
            project_url(ws, base),
            managers(ws),
            users=gitlab.project_members,  # read once, and only for a manager's mention
        )
        self._bot: ToolUser | None = None
        self.foreign: list[Epic] = []  # tracking objects others authored (sync/handover.py)
        self._handover_checked = False
        self._assessors: frozenset[str] | None = None
        self._lock = threading.Lock()
        self.load = AssessorLoad(self)
        self.synced: dict[str, str] = {}  # web_url -> version read, of the learners a run synced
        self.book: notifying.Book | None = None  # chat notifications' ledger (sync/notifying.py)

    @property
    def bot(self) -> ToolUser:
        if self._bot is None:
            self._bot = handover.tool_user(self, self.gitlab.current_user().username)
        return self._bot

    def check_handover(self) -> None:
        """Stop before any write (or before showing an empty program) when another tool user
        wrote this program's learner records: see sync/handover.py. Costs no request unless
        someone other than the tool authored a tracking object."""
        if self._handover_checked or not self.foreign:
            return
        self._handover_checked = True
        earlier = handover.earlier_tool_user(self, self.foreign)
        if earlier is not None:
            raise InputError(handover.refusal(earlier, self.bot))

    @property
    def _issue_mode(self) -> bool:
        """Learners' paths are learner issues (known once the adapter found out)."""
        return self.gitlab.tracker.is_issue

    def adopt_epics(self) -> bool:
        """Whether an earlier version's self-enrolled learners are adopted by their epic's
        cohort label: only in epic mode, where learners cannot write epics."""
        return not self.gitlab.tracker.learners_may_edit

    def authority(self, full: bool) -> Authority:
        """Assessors from accred.yml; group members are read only when a verdict must be checked."""
        config = self.ws.config.assessors
        names = frozenset(u.lower() for u in config.usernames)
        if not full:
            return Authority(names, self.bot)
        with self._lock:  # learners run in threads; read the groups once
            if self._assessors is None:
                members: set[str] = set()
                for group in config.groups:
                    members |= self.gitlab.group_members(group, config.inherited)
                self._assessors = names | members
        return Authority(self._assessors, self.bot)

    def both_roles(self, groups_read: bool) -> list[str]:
        """ "alice, bob are cohort learners and assessors: …" when anyone is both, else nothing.

        Assessor groups are counted only when `groups_read` (setup reads them; a sync only when
        it had a verdict to check), so a quiet sync costs no request for this."""
        if groups_read:
            assessors = self.authority(full=True).assessors
        else:
            assessors = frozenset(u.lower() for u in self.ws.config.assessors.usernames)
        learners = {lr.username.lower() for c in self.ws.cohorts.values() for lr in c.learners}
        both = sorted(learners & assessors)
        if not both:
            return []
        return [
            f"{', '.join(both)}: both a cohort learner and an assessor; "
            "their verdicts on their own issues never count"
        ]

    def assessor_names(self) -> tuple[str, ...]:
        config = self.ws.config.assessors
        return (*(f"@{u}" for u in config.usernames), *(f"members of {g}" for g in config.groups))

    def assessor_mentions(self) -> tuple[str, ...]:
        """How a comment notifies the assessors: each user, and each group (GitLab notifies its
        members)."""
        config = self.ws.config.assessors
        return tuple(f"@{name}" for name in (*config.usernames, *config.groups))

    def routing(self) -> Routing:
        """Several assignees need a paid tier, like epics: where learners' paths are tracked by
        learner issues (GitLab Free), the chosen assessor is mentioned, not assigned."""
        config = self.ws.config.assessors
        return Routing(
            config.routing, config.usernames, self.gitlab.tracker.several_assignees, self.load
        )

    # --- group: labels and board ------------------------------------------------------------

    def setup(self, dry_run: bool, board: bool = True) -> RunResult:
        existing = {label.name: label for label in self.gitlab.group_labels()}
        state = GroupState(labels=existing)
        changes: list[Change] = plan_labels(self.ws, existing)
        if board:
            state.boards = {b.name: b for b in self.gitlab.boards()}
            scoped = self.gitlab.board_scope_available()
            changes += plan_board(self.ws, state.boards, scoped)
        if not dry_run:
            apply_group(self.gitlab, changes, state)
        result = RunResult(dry_run, [c.describe() for c in changes])
        if board:  # the `setup` command, not the labels part of every run
            result.notices = self.both_roles(groups_read=True)
            if not scoped:
                result.notices.append(
                    "the board shows every open issue of the group: a board scope needs "
                    "GitLab Premium or Ultimate"
                )
        return result

    # --- learners: the sync's stages --------------------------------------------------------

    def run(
        self,
        mode: Mode,
        dry_run: bool,
        cohort_id: str | None = None,
        username: str | None = None,
        on_learner: ProgressFn | None = None,
        shard: tuple[int, int] | None = None,
        full: bool = False,
    ) -> RunResult:
        """Enroll (or sync) every selected learner, each on its own: one failing stops no other.

        Learners are processed `gitlab.concurrency` at a time. `shard=(i, n)` keeps the learners
        of shard i of n (1-based), stable by username, for parallel CI jobs. `sync` also answers
        self-enrollment requests (unless narrowed to one cohort), enrolling those it accepts.
        A whole-program `sync` reads only what changed since the last one, unless a full pass is
        due (see core/syncstate.py) or `full` asks for one.
        """
        scope = selection.choose(self.ws, cohort_id, username, shard)
        self._start(dry_run)
        self.book = notifying.begin(self, dry_run) if mode is Mode.SYNC else None
        result = self.setup(dry_run, board=False)
        answered, pending = requests.open_requests(self, mode, scope)
        incremental = self.ws.config.gitlab.full_sync_every_hours > 0
        whole = mode is Mode.SYNC and incremental and not scope.narrowed
        how = reading.reading(self, full) if whole else None
        result.reading = how.describe() if how else ""
        scores.import_folder(self, result, mode is Mode.SYNC, how, scope, dry_run)
        touched_any = False
        self.synced = {}
        for program_id in scope.programs:
            done, decided, touched = self._program(
                program_id, scope, how, pending.get(program_id, []), mode, dry_run, on_learner
            )
            result.learners += done
            answered += decided
            touched_any |= touched
        result.learners += [requests.answer(self, d, states, dry_run) for d, states in answered]
        if mode is Mode.SYNC and not (cohort_id or username) and (shard is None or shard[0] == 1):
            result.learners += feedback.triage(self, how.since if how else None, dry_run)
        if username and not result.learners:
            raise InputError(f"'{username}' is not a learner of any selected cohort")
        result.quiet = how is not None and not how.full and not touched_any
        result.tracking = self.gitlab.tracking_note
        result.notices = closing_notices(self, result.group_lines)
        if how and not dry_run and not result.failures and how.worth_recording(touched_any):
            recording.finish(self, how, scope.programs)
        return result

    def _start(self, dry_run: bool) -> None:
        """The tool's user, read once up front: a bad token fails here, before any write."""
        _ = self.bot
        if dry_run and os.environ.get("ACCRED_TOOL_USER"):
            # A plan made with another token (the merge-request job's): whose objects are the
            # tool's own is the scheduled sync's user, named here; nothing is written.
            named = os.environ["ACCRED_TOOL_USER"].strip().lstrip("@")
            self._bot = ToolUser(named, self.bot.previous)

    def _program(
        self,
        program_id: str,
        scope: Scope,
        how: reading.Reading | None,
        found: list[Issue],
        mode: Mode,
        dry_run: bool,
        on_learner: ProgressFn | None,
    ) -> tuple[list[LearnerResult], Answered, bool]:
        """One program: read, decide its waiting requests, run its chosen learners. Also the
        requests' decisions (answered after every program ran) and whether anything changed."""
        authors = {r.author.lower() for r in found}
        search = f"@{scope.username}" if scope.username else None
        states, touched = reading.program_states(self, program_id, how, authors, search)
        self.check_handover()
        decided, ws = requests.decisions(self, found, states)
        chosen = selection.learners(ws, scope, program_id, touched)
        if scope.username and any(
            learners.incomplete(self, states.get(selection.key(c, n)), c) for c, n in chosen
        ):
            states = reading.read_program(self, program_id, None)  # a narrowed listing may miss
        jobs = learners.prepare(self, states, chosen)
        done = learners.run_all(self, jobs, mode, dry_run, on_learner)
        changed = how is not None and how.since is not None and (touched is None or bool(touched))
        return done, [(d, states) for d in decided], changed

    # --- what other commands read -----------------------------------------------------------

    def read_program(
        self, program_id: str, search: str | None = None
    ) -> dict[EpicKey, LearnerState]:
        """What GitLab has for a program, by learner and path (see sync/reading.py)."""
        states = reading.read_program(self, program_id, search)
        self.check_handover()
        return states

    def fingerprint(self) -> str:
        """Of everything that decides what GitLab should hold: a change means a full pass."""
        digest = hashlib.sha256((repr(self.ws) + scores.folder(self).digest).encode())
        digest.update(__version__.encode())
        for name in TEMPLATE_NAMES:
            digest.update(self.texts.source(name).encode())
        return digest.hexdigest()[:16]


def closing_notices(session: Session, group_lines: list[str]) -> list[str]:
    """What a run says at its end: people in both roles, a tool user carried forward, a program
    never set up, chat notifications delivered or held."""
    return [
        *session.both_roles(groups_read=session._assessors is not None),
        *handover.carried_forward(session.bot),
        *never_set_up(session, group_lines),
        *notifying.deliver(session, session.book),
    ]


def never_set_up(session: Session, group_lines: list[str]) -> list[str]:
    """When this run had to create the program's labels, whether `setup` ever ran: its
    board is read then (one request, only on that rare run)."""
    if not group_lines:
        return []
    board = session.ws.config.gitlab.board
    if any(b.name == board for b in session.gitlab.boards()):
        return []
    return [
        f"`accred-ops setup` has not run: labels were missing and there is no "
        f'"{board}" board, so nobody can triage this program on a board yet. Run '
        "`accred-ops setup` once (it creates the labels and the board)"
    ]
