"""Use cases: setup, enroll, sync, status. Load -> read GitLab -> plan -> apply, per learner.

The library never prints or exits: it returns results, and reports progress through a callback,
so a CI job, the CLI or a notebook can drive it. A learner whose run fails is recorded and the
others go on; only a rejected token stops everything.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import math
import os
import re
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from accred_ops import __version__
from accred_ops.adapter import GitLabAdapter
from accred_ops.core import marker, syncstate
from accred_ops.core.assessment import Routing, entering_assessment
from accred_ops.core.enrollment import (
    Decision,
    Outcome,
    decide,
    open_choices,
    plan_answer,
    reply_marker,
    with_self_enrolled,
)
from accred_ops.core.feedback import needs_notes, plan_feedback
from accred_ops.core.identity import (
    adoptable,
    assigned_by_the_tool_only,
    bind,
    candidate_issue,
    epic_identity,
    issue_identity,
    tools_own,
    trusted_record,
)
from accred_ops.core.marker import EpicKey
from accred_ops.core.model import Cohort, Labels, LearningPath, Program, Workspace
from accred_ops.core.plan import Change, CommentOnEpic
from accred_ops.core.planner import LearnerContext, Mode, needs_details, plan_learner
from accred_ops.core.progress import Authority
from accred_ops.core.record import LearnerRecord
from accred_ops.core.setup import plan_board, plan_labels
from accred_ops.core.state import Epic, Issue, LearnerState, Note
from accred_ops.errors import AuthenticationError, GitLabError, InputError
from accred_ops.executor import GroupState, Rehearsal, apply_group, apply_learner, apply_request
from accred_ops.files.validate import managers, project_url
from accred_ops.render import TEMPLATE_NAMES, Texts


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
_sleep = time.sleep  # waits for GitLab's clock (core/syncstate.py OVERLAP); tests move it instead


def connect(ws: Workspace, env: Mapping[str, str] = os.environ, **options: float) -> GitLabAdapter:
    """The adapter for this workspace: GITLAB_TOKEN, and GITLAB_URL > accred.yml > CI_SERVER_URL."""
    token = env.get("GITLAB_TOKEN", "").strip()
    if not token:
        raise InputError(
            "GITLAB_TOKEN is not set: give accred-ops a GitLab access token with the api scope"
        )
    url = gitlab_url(ws, env)
    settings = ws.config.gitlab
    return GitLabAdapter(
        url,
        token,
        settings.group,
        settings.project,
        max_retries=int(env.get("ACCRED_MAX_RETRIES", "10")),
        rate_limits=dict(settings.rate_limits),
        concurrency=settings.concurrency,
        tracking=settings.tracking,
        api=settings.api,
        learner_label=ws.config.labels.learner_issue,
        **options,
    )


def gitlab_url(ws: Workspace, env: Mapping[str, str]) -> str:
    """GITLAB_URL > accred.yml > CI_SERVER_URL, as the instance's root: the `/api/v4` the
    sandbox prints as its API is understood (python-gitlab adds it again), and a URL without
    `https://` is refused with words rather than python-gitlab's `InvalidSchema`."""
    for source, url in (
        ("GITLAB_URL", env.get("GITLAB_URL")),
        ("gitlab.url in accred.yml", ws.config.gitlab.url),
        ("CI_SERVER_URL", env.get("CI_SERVER_URL")),
    ):
        url = (url or "").strip()
        if not url:
            continue
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError(
                f"{source} is {url!r}: a GitLab URL starts with https:// (or http://), "
                f"e.g. https://{url.split('://')[-1].strip('/') or 'gitlab.example.com'}"
            )
        return re.sub(r"/api/v4/?$", "", url.rstrip("/"))
    raise InputError("no GitLab URL: set GITLAB_URL, or gitlab.url in accred.yml")


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
        self.now = now or dt.datetime.now(dt.UTC)  # reminders' clock (ACCRED_NOW pins it)
        base = gitlab.gl.url if hasattr(gitlab, "gl") else None
        self.texts = Texts(templates_dir, ws.config.labels, project_url(ws, base), managers(ws))
        self._bot: str | None = None
        self._assessors: frozenset[str] | None = None
        self._lock = threading.Lock()
        self.load = AssessorLoad(self)
        self._synced: dict[str, str] = {}  # web_url -> version read, of the learners a run synced

    @property
    def bot(self) -> str:
        if self._bot is None:
            self._bot = self.gitlab.current_user().username
        return self._bot

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

    # --- learners ---------------------------------------------------------------------------

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
        cohorts = [c for c in self.ws.cohorts.values() if cohort_id in (None, c.id)]
        if cohort_id and not cohorts:
            raise InputError(
                f"no cohort '{cohort_id}' (known: {', '.join(sorted(self.ws.cohorts))})"
            )
        listed = any(
            lr.username.lower() == (username or "").lower() for c in cohorts for lr in c.learners
        )
        if username and not listed and not any(c.self_enrollment for c in cohorts):
            raise InputError(f"'{username}' is not a learner of any selected cohort")
        _ = self.bot  # read once up front: a bad token fails here, before any write
        if dry_run and os.environ.get("ACCRED_TOOL_USER"):
            # A plan made with another token (the merge-request job's): whose objects are the
            # tool's own is the scheduled sync's user, named here; nothing is written.
            self._bot = os.environ["ACCRED_TOOL_USER"].strip().lstrip("@")
        result = self.setup(dry_run, board=False)
        answered, pending = self._requests(mode, cohort_id, username, shard)
        narrowed = bool(cohort_id or username or shard)
        incremental = self.ws.config.gitlab.full_sync_every_hours > 0
        reading = (
            self._reading(full) if mode is Mode.SYNC and incremental and not narrowed else None
        )
        result.reading = reading.describe() if reading else ""
        touched_any = False
        self._synced = {}
        for program_id in sorted({cohort.program for cohort in cohorts}):
            touched: set[EpicKey] | None = None
            if reading is not None and reading.since is not None:
                authors = {r.author.lower() for r in pending.get(program_id, ())}
                states, touched = self._changed(program_id, reading.since, authors)
                touched_any |= touched is None or bool(touched)  # None: everyone was read
            else:
                states = self.read_program(program_id, f"@{username}" if username else None)
            decisions = [decide(self.ws, r, True, states) for r in pending.get(program_id, ())]
            accepted = [d for d in decisions if d.outcome is Outcome.ACCEPTED]
            ws = with_self_enrolled(self.ws, states, accepted, self.adopt_epics)
            mine = [
                (cohort, learner.username)
                for cohort in (ws.cohorts[c.id] for c in cohorts if c.program == program_id)
                for learner in cohort.learners
                if username is None or learner.username.lower() == username.lower()
                if shard is None or in_shard(learner.username, *shard)
                if touched is None or _key(cohort, learner.username) in touched
            ]
            if username and any(self._incomplete(states.get(_key(c, name)), c) for c, name in mine):
                states = self.read_program(program_id, None)  # a narrowed listing may miss some
            new = [name for c, name in mine if self._incomplete(states.get(_key(c, name)), c)]
            self.gitlab.prefetch_users(new)
            jobs = [(c, name, states.setdefault(_key(c, name), LearnerState())) for c, name in mine]
            self._synced |= {
                item.web_url: item.updated_at
                for _c, _n, state in jobs
                for item in (state.epic, *state.issues.values())
                if item is not None and item.web_url
            }
            result.learners += self._run_all(jobs, mode, dry_run, on_learner)
            answered += [(d, states) for d in decisions]
        result.learners += [self._answer(d, states, dry_run) for d, states in answered]
        if mode is Mode.SYNC and not (cohort_id or username) and (shard is None or shard[0] == 1):
            since = reading.since if reading is not None else None
            result.learners += self._triage_feedback(since, dry_run)
        if username and not result.learners:
            raise InputError(f"'{username}' is not a learner of any selected cohort")
        result.quiet = reading is not None and not reading.full and not touched_any
        result.tracking = self.gitlab.tracking_note
        result.notices = self.both_roles(groups_read=self._assessors is not None)
        if reading and not dry_run and not result.failures and reading.worth_recording(touched_any):
            programs = sorted({cohort.program for cohort in cohorts})
            self._record(reading, self._settle(reading, programs))
        return result

    # --- incremental sync -------------------------------------------------------------------

    def fingerprint(self) -> str:
        """Of everything that decides what GitLab should hold: a change means a full pass."""
        digest = hashlib.sha256(repr(self.ws).encode())
        digest.update(__version__.encode())
        for name in TEMPLATE_NAMES:
            digest.update(self.texts.source(name).encode())
        return digest.hexdigest()[:16]

    def tools_issue(self, title: str, kind: str) -> tuple[Issue | None, Note | None]:
        """The tool's own issue of this title (the sync state, the dashboard), proven by the
        tool's own comment with a `kind` marker on it: the oldest such. Authorship alone is
        not enough (every course issue is the tool's, and anyone may retitle one), nor is a
        marker in a description anyone can edit."""
        candidates = [
            issue
            for issue in self.gitlab.list_issues([], search=title)
            if tools_own(issue.author, self.bot)
        ]
        for issue in sorted(candidates, key=lambda i: i.iid):
            for note in self.gitlab.issue_notes(issue.iid):
                if tools_own(note.author, self.bot) and marker.find(note.body, kind):
                    return issue, note
        return None, None

    def _reading(self, force_full: bool) -> Reading:
        """Whether this sync reads everything or only what changed, from the record in GitLab:
        the tool's own comment on its state issue. A record that does not read as one (edited,
        naive or future times) means a full pass, never a crash or a freeze."""
        issue, note = self.tools_issue(syncstate.TITLE, syncstate.KIND)
        started = self.gitlab.server_time or self.now  # GitLab's clock: no skew with updated_at
        record = syncstate.read_record(note.body, started) if note else None
        every = self.ws.config.gitlab.full_sync_every_hours
        fingerprint = self.fingerprint()
        reason = "asked for (--full)" if force_full else None
        reason = reason or syncstate.full_pass_reason(record, fingerprint, started, every)
        return Reading(issue, note, record, reason, started, fingerprint)

    def _changed(
        self, program_id: str, since: str, authors: set[str]
    ) -> tuple[dict[EpicKey, LearnerState], set[EpicKey] | None]:
        """The state of every learner with an issue or epic changed since `since`: two listings,
        then two searches per such learner, or the whole program's two listings when that is
        fewer requests. With requests to answer, or a learner whose state looks incomplete (new,
        or an issue retitled by a human, which a search by title misses), everything is read and
        everyone synced (touched: None), as in a full pass."""
        program, labels = self.ws.programs[program_id], self.ws.config.labels
        label = labels.program(program_id)
        changed = index_states(  # who changed, by what the objects show: a hint, not proof
            self.gitlab.list_epics([label], updated_after=since),
            self.gitlab.list_issues([label], updated_after=since),
            program,
            labels,
            self.bot,
        )
        names = sorted({key.learner for key in changed})
        learners = sum(len(c.learners) for c in self.ws.cohorts.values() if c.program == program_id)
        courses = max(len(path.courses) for path in program.paths)
        whole = math.ceil(learners / 100) + math.ceil(learners * courses / 100)
        each = 2  # a learner's epics and issues, searched by name
        if self.gitlab.tracker.record_in_note:  # and every learner issue's comments (its record)
            whole, each = whole + learners, each + 1
        everything = bool(authors) or each * len(names) >= whole
        if everything:
            states = self.read_program(program_id)
        else:
            with ThreadPoolExecutor(max_workers=self.ws.config.gitlab.concurrency) as pool:
                found = list(pool.map(lambda n: self.read_program(program_id, f"@{n}"), names))
            states = {
                key: state
                for name, part in zip(names, found, strict=True)
                for key, state in part.items()
                if key.learner == name
            }
        if authors or any(not _complete(program.path(k.path), states.get(k)) for k in changed):
            return (states if everything else self.read_program(program_id)), None
        return states, set(changed)

    def _settle(self, reading: Reading, program_ids: list[str]) -> dt.datetime | None:
        """After a run that read or wrote many objects inside its own overlap (a big enrollment):
        list once what changed there, so that the next sync starts past what this run has seen
        or written itself (core/syncstate.py `settled_since`); None when not worth it."""
        known = {**self._synced, **self.gitlab.own_versions}
        if not syncstate.worth_settling(reading.started, known):
            return None
        checked_at = self._clock_after(syncstate.latest(known.values()) + syncstate.OVERLAP)
        floor = (reading.started - syncstate.OVERLAP).strftime("%Y-%m-%dT%H:%M:%SZ")
        changed = [
            (item.web_url, item.updated_at)
            for program_id in program_ids
            for listing in (self.gitlab.list_epics, self.gitlab.list_issues)
            for item in listing([self.ws.config.labels.program(program_id)], updated_after=floor)
        ]
        return syncstate.settled_since(reading.started, checked_at, changed, known)

    def _clock_after(self, moment: dt.datetime) -> dt.datetime:
        """GitLab's clock, once it has passed `moment` (waiting up to the overlap, by GitLab's
        clock: a change in flight then has had the whole overlap to become visible)."""
        now = self.gitlab.clock()
        while now < moment:
            _sleep(min((moment - now).total_seconds(), syncstate.OVERLAP.total_seconds()) + 0.5)
            now = self.gitlab.clock()
        return now

    def _record(self, reading: Reading, settled: dt.datetime | None = None) -> None:
        """After a sync with no failure: what it read up to, for the next one to start from."""
        record = syncstate.next_record(
            reading.record, reading.started, reading.fingerprint, reading.full, settled
        )
        text = syncstate.record_text(record)
        if reading.note is not None and reading.issue is not None:
            if reading.note.body != text:
                self.gitlab.edit_issue_note(reading.issue.iid, reading.note.id, text)
            return
        issue = self.gitlab.create_plain_issue(syncstate.TITLE, syncstate.ISSUE_TEXT)
        self.gitlab.update_issue(issue.iid, {"state_event": "close"})  # out of everyone's way
        self.gitlab.comment_on_issue(issue.iid, text)

    def _requests(
        self, mode: Mode, cohort_id: str | None, username: str | None, shard: tuple[int, int] | None
    ) -> tuple[list[tuple[Decision, dict[EpicKey, LearnerState]]], dict[str, list[Issue]]]:
        """Open self-enrollment requests (sync, not narrowed to a cohort, some path open): those
        decided at once (refused), and those waiting for their program's state, by program."""
        if mode is not Mode.SYNC or cohort_id or not open_choices(self.ws):
            return [], {}
        found = [
            r
            for r in self.gitlab.list_issues(
                [self.ws.config.labels.enrollment_request], state="opened"
            )
            if r.author and r.author.lower() != self.bot.lower()
            if username is None or r.author.lower() == username.lower()
            if shard is None or in_shard(r.author, *shard)
        ]
        if not found:
            return [], {}
        allowed = set(self.gitlab.project_members())  # only members can be assigned issues
        if groups := self.ws.config.enrollment_groups:
            allowed &= set().union(*(self.gitlab.group_members(g) for g in groups))
        answered: list[tuple[Decision, dict[EpicKey, LearnerState]]] = []
        pending: dict[str, list[Issue]] = {}
        for request in found:
            decision = decide(self.ws, request, request.author.lower() in allowed, {})
            if decision.choice:  # accepted or already enrolled: the program's state tells
                pending.setdefault(decision.choice.program.id, []).append(request)
            else:
                answered.append((decision, {}))
        return answered, pending

    def _answer(
        self, decision: Decision, states: Mapping[EpicKey, LearnerState], dry_run: bool
    ) -> LearnerResult:
        """Reply to a request (with the link to the learner's epic) and close it. An accepted
        request whose learner could not be enrolled stays open, to be answered next run."""
        request = decision.request
        cohort = decision.choice.cohort.id if decision.choice else ""
        outcome = LearnerResult(cohort, request.author)
        try:
            state = states.get(decision.key) if decision.key else None
            epic_url = state.epic.web_url if state and state.epic else decision.epic_url
            if decision.outcome is Outcome.ACCEPTED and epic_url is None and not dry_run:
                return outcome
            body = self.texts.enrollment_reply(
                decision,
                open_choices(self.ws),
                epic_url or "(created by this run)",
                self.ws.config.enrollment_groups,
                reply_marker(request),
            )
            changes = plan_answer(decision, body, self.gitlab.issue_notes(request.iid), self.bot)
            outcome.lines = [change.describe(self._issue_mode) for change in changes]
            if not dry_run:
                apply_request(self.gitlab, changes)
        except AuthenticationError:
            raise
        except GitLabError as err:
            outcome.error = str(err)
        return outcome

    def _triage_feedback(self, since: str | None, dry_run: bool) -> list[LearnerResult]:
        """Course feedback issues (open, changed since the last sync when reading changes):
        each labelled with its course once, or answered once with the course ids. Their
        comments are read only for those that name no known course."""
        labels = self.ws.config.labels
        programs = [self.ws.programs[key] for key in sorted(self.ws.programs)]
        found = self.gitlab.list_issues([labels.feedback], state="opened", updated_after=since)
        results = []
        for issue in found:
            if issue.author.lower() == self.bot.lower():
                continue
            outcome = LearnerResult("feedback", issue.author)
            try:
                notes = (
                    self.gitlab.issue_notes(issue.iid)
                    if needs_notes(issue, programs, labels)
                    else None
                )
                changes = plan_feedback(issue, programs, labels, notes, self.bot, self.texts)
                outcome.lines = [change.describe() for change in changes]
                if changes and not dry_run:
                    apply_request(self.gitlab, changes)
            except AuthenticationError:
                raise
            except GitLabError as err:
                outcome.error = str(err)
            if outcome.lines or outcome.error:
                results.append(outcome)
        return results

    def _run_all(
        self,
        jobs: list[tuple[Cohort, str, LearnerState]],
        mode: Mode,
        dry_run: bool,
        on_learner: ProgressFn | None,
    ) -> list[LearnerResult]:
        """Learners in parallel (independent requests overlap their latency); results in order."""
        with ThreadPoolExecutor(max_workers=self.ws.config.gitlab.concurrency) as pool:
            futures = [
                pool.submit(self._guarded, c, name, state, mode, dry_run) for c, name, state in jobs
            ]
            try:
                for future in as_completed(futures):
                    if on_learner:
                        on_learner(future.result())
            except AuthenticationError:
                pool.shutdown(cancel_futures=True)
                raise
            return [future.result() for future in futures]

    def _guarded(
        self, cohort: Cohort, username: str, state: LearnerState, mode: Mode, dry_run: bool
    ) -> LearnerResult:
        """One learner's run; their failure is recorded, not raised (only a bad token stops all)."""
        outcome = LearnerResult(cohort.id, username)
        try:
            outcome.lines = self._learner(cohort, username, state, mode, dry_run)
        except AuthenticationError:
            raise
        except GitLabError as err:
            outcome.error = str(err)
        return outcome

    def _adopt(self, state: LearnerState) -> None:
        """For each course the record does not name, the oldest candidate whose assignees only
        the tool ever changed (one read of its label events and comments, once: the record
        names it afterwards); none: the course has no issue yet."""
        for course, candidates in state.candidates.items():
            state.issues.pop(course, None)
            for issue in candidates:
                details = self.gitlab.issue_details(issue.iid)
                if assigned_by_the_tool_only(details.notes, self.bot):
                    state.issues[course], state.details[issue.iid] = issue, details
                    break
        state.candidates = {}

    def _reachable(self, username: str) -> int:
        """The user id of a learner GitLab can give issues to: an existing user who is a member
        of the project (direct or inherited). Anyone else gets nothing created for them."""
        user = self.gitlab.find_user(username)
        if user is None:
            raise GitLabError(f"no GitLab user '{username}': nothing was created for them")
        if username.lower() not in self.gitlab.project_members():
            raise GitLabError(
                f"@{user.username} is not a member of project {self.ws.config.gitlab.project}: "
                "GitLab can neither assign them their course issues nor let them tick them. Add "
                "them to the project (Guest is enough); nothing was created for them"
            )
        return user.id

    def _incomplete(self, state: LearnerState | None, cohort: Cohort) -> bool:
        return not _complete(self.ws.path_of(cohort)[1], state)

    def read_program(
        self, program_id: str, search: str | None = None
    ) -> dict[EpicKey, LearnerState]:
        """What GitLab has for a program, by learner and path: two listings, 100 a page, and in
        issue mode the comments of each learner issue the tool authored (its record)."""
        labels = self.ws.config.labels
        label = labels.program(program_id)
        epics = self.gitlab.list_epics([label], search)  # first: it finds out the tracking mode
        issues = self.gitlab.list_issues([label], search)
        records, notes = self._records(epics)
        states = index_states(
            epics, issues, self.ws.programs[program_id], labels, self.bot, records
        )
        for state in states.values():
            if state.epic is not None and state.epic.id in notes:
                state.epic_notes = notes[state.epic.id]
        if not self.gitlab.tracker.issues_name_parent:
            # Linked when created: the marker, not the link, ties a course to its learner, and
            # reading every learner issue's links would cost a request per learner.
            for state in states.values():
                if state.epic is not None:
                    epic_iid = state.epic.iid
                    state.issues = {
                        course: dataclasses.replace(issue, epic_iid=epic_iid)
                        for course, issue in state.issues.items()
                    }
        return states

    def _records(
        self, epics: list[Epic]
    ) -> tuple[dict[int, tuple[LearnerRecord | None, Note | None]], dict[int, tuple[Note, ...]]]:
        """Each tracking object's trusted record (identity rule 2, core/identity.py): free in
        epic mode (the description), one read of comments per learner issue in issue mode."""
        in_note = self.gitlab.tracker.record_in_note
        mine = [e for e in epics if tools_own(e.author, self.bot)]
        notes: dict[int, tuple[Note, ...]] = {}
        if in_note and mine:
            with ThreadPoolExecutor(max_workers=self.ws.config.gitlab.concurrency) as pool:
                read = list(pool.map(lambda e: tuple(self.gitlab.issue_notes(e.iid)), mine))
            notes = {e.id: n for e, n in zip(mine, read, strict=True)}
        records = {e.id: trusted_record(e, notes.get(e.id), self.bot, in_note) for e in mine}
        return records, notes

    def _context(self, cohort: Cohort, username: str, full_authority: bool) -> LearnerContext:
        program, path = self.ws.path_of(cohort)
        learner = next(lr for lr in cohort.learners if lr.username == username)
        return LearnerContext(
            program=program,
            path=path,
            cohort=cohort,
            learner=learner,
            labels=self.ws.config.labels,
            texts=self.texts,
            authority=self.authority(full_authority),
            assessor_names=self.assessor_names(),
            assessor_mentions=self.assessor_mentions(),
            reminders=self.ws.config.reminders,
            now=self.now,
            routing=self.routing(),
            record_in_note=self.gitlab.tracker.record_in_note,
        )

    def routing(self) -> Routing:
        """Several assignees need a paid tier, like epics: where learners' paths are tracked by
        learner issues (GitLab Free), the chosen assessor is mentioned, not assigned."""
        config = self.ws.config.assessors
        return Routing(
            config.routing, config.usernames, self.gitlab.tracker.several_assignees, self.load
        )

    def _learner(
        self, cohort: Cohort, username: str, state: LearnerState, mode: Mode, dry_run: bool
    ) -> list[str]:
        _program, path = self.ws.path_of(cohort)
        self._adopt(state)
        if cohort.self_enrollment and cohort.start is None and cohort.weeks_per_course:
            # due dates count from the learner's own enrollment: the day their epic was made
            made = state.epic.created_at[:10] if state.epic else self.now.date().isoformat()
            cohort = dataclasses.replace(cohort, start=dt.date.fromisoformat(made))
        assignee_id = None
        if self._incomplete(state, cohort):
            assignee_id = self._reachable(username)
        ctx = self._context(cohort, username, full_authority=False)
        if mode is Mode.SYNC:
            wanted = [
                issue
                for course_id, issue in state.issues.items()
                if (course := path.course(course_id))
                and (
                    needs_details(ctx, course, issue, state.record)
                    or entering_assessment(ctx, course, issue)
                )
                and issue.iid not in state.details
            ]
            if wanted:
                ctx = self._context(cohort, username, full_authority=True)
            for issue in wanted:
                state.details[issue.iid] = self.gitlab.issue_details(issue.iid)
        lines: list[str] = []
        # a dry run rehearses each round on a copy, so it lists what the later rounds do too
        target: GitLabAdapter | Rehearsal = self.gitlab
        if dry_run:
            state = copy.deepcopy(state)
            target = Rehearsal(state, username, self.bot, self.gitlab.tracker)
        for _ in range(3):
            plan = plan_learner(ctx, state, mode, assignee_id)
            if (
                state.epic is not None
                and state.epic_notes is None
                and any(isinstance(c, CommentOnEpic) for c in plan)
            ):
                state.epic_notes = tuple(self.gitlab.epic_notes(state.epic.id, state.epic.iid))
                plan = plan_learner(ctx, state, mode, assignee_id)
            lines += [change.describe(self._issue_mode) for change in plan]
            if not plan:
                break
            apply_learner(target, plan, state)
            if not any(change.creates for change in plan):
                break
        return lines


def revoke(
    session: Session,
    username: str,
    course_id: str,
    reason: str,
    by: str | None,
    dry_run: bool,
    private_reason: str = "",
) -> RunResult:
    """Withdraw one award in GitLab: the reason on record, the stage label, the epic updated."""
    from accred_ops.core.planner import plan_revoke

    found = [
        c
        for c in session.ws.cohorts.values()
        if any(lr.username.lower() == username.lower() for lr in c.learners)
        and session.ws.path_of(c)[1].course(course_id)
    ]
    for choice in open_choices(session.ws):  # self-enrolled learners are known to GitLab only
        if not found and choice.path.course(course_id):
            states = session.read_program(choice.program.id, f"@{username}")
            cohort = with_self_enrolled(
                session.ws, states, adopt_epics=session.adopt_epics
            ).cohorts[choice.cohort.id]
            if any(lr.username.lower() == username.lower() for lr in cohort.learners):
                found.append(cohort)
    if not found:
        raise InputError(_no_such_award(session.ws, username, course_id))
    cohort = found[0]
    name = next(lr.username for lr in cohort.learners if lr.username.lower() == username.lower())
    state = session.read_program(cohort.program, f"@{name}").get(_key(cohort, name))
    issue = state.issues.get(course_id) if state else None
    if state is None or issue is None:
        raise InputError(
            f"@{name} has no issue for course '{course_id}': there is no award to revoke"
        )
    state.details[issue.iid] = session.gitlab.issue_details(issue.iid)
    ctx = session._context(cohort, name, full_authority=True)
    course = ctx.path.course(course_id)
    assert course is not None
    plan = plan_revoke(
        ctx,
        course,
        issue,
        state.details[issue.iid],
        reason,
        by or session.bot,
        private_reason,
        state.record,
    )
    if plan is None:
        raise InputError(f"@{name} has no '{course.badge_name}' badge to revoke")
    result = RunResult(
        dry_run,
        learners=[LearnerResult(cohort.id, name, [c.describe(session._issue_mode) for c in plan])],
    )
    if plan and not dry_run:
        apply_learner(session.gitlab, plan, state)
        result.learners[0].lines += session._learner(cohort, name, state, Mode.SYNC, dry_run)
    return result


class AssessorLoad:
    """Issues waiting for each assessor, for round-robin routing: read once, on the first pick,
    from the open issues in assessment (their assignees), then kept up to date as this run
    assigns. One pick per issue however often a learner is planned again. On GitLab Free,
    where assessors are mentioned rather than assigned, the waiting issues' routing comments
    say whom each was given to (a request per waiting issue, once a run)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._lock = threading.Lock()
        self._counts: dict[str, int] | None = None
        self._picked: dict[int, str] = {}

    def _read(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        gitlab, labels = self.session.gitlab, self.session.ws.config.labels
        for issue in gitlab.list_issues([labels.assessment], state="opened"):
            names = issue.assignees
            if not gitlab.tracker.several_assignees:  # unassigned: the routing comment names
                names = tuple(self._named(gitlab.issue_notes(issue.iid)))
            for name in names:
                counts[name.lower()] = counts.get(name.lower(), 0) + 1
        return counts

    def _named(self, notes: Sequence[Note]) -> list[str]:
        """The assessor the tool's latest routing comment on an issue chose, if any."""
        bot = self.session.bot.lower()
        chosen = [
            fields["to"]
            for note in notes
            if note.author.lower() == bot
            for fields in marker.find(note.body, "routed")
            if fields.get("to")
        ]
        return chosen[-1:]

    def pick(self, iid: int, candidates: Sequence[str]) -> str:
        """The candidate with the fewest issues waiting (ties: by name); the same one for an
        issue however often it is planned in this run."""
        with self._lock:
            if iid in self._picked:
                return self._picked[iid]
            if self._counts is None:
                self._counts = self._read()
            counts = self._counts
            chosen = min(candidates, key=lambda n: (counts.get(n.lower(), 0), n.lower()))
            counts[chosen.lower()] = counts.get(chosen.lower(), 0) + 1
            self._picked[iid] = chosen
            return chosen


@dataclass(frozen=True)
class Reading:
    """How a whole-program sync reads GitLab: everything, or what changed since the record."""

    issue: Issue | None  # the tool's state issue, if there is one
    note: Note | None  # the tool's comment on it that holds the record
    record: syncstate.SyncRecord | None
    full_reason: str | None  # why everything is read; None: only the changes
    started: dt.datetime
    fingerprint: str  # of the program files this run works with

    @property
    def full(self) -> bool:
        return self.full_reason is not None

    @property
    def since(self) -> str | None:
        if self.full or self.record is None:
            return None
        return self.record.since.strftime("%Y-%m-%dT%H:%M:%SZ")

    def worth_recording(self, touched: bool) -> bool:
        """A full pass is always recorded; after reading changes, the record moves forward only
        when it moves by more than the overlap (a run minutes after the last one writes nothing:
        re-reading a few minutes more costs less than the write)."""
        if self.full or self.record is None:
            return True
        return touched and self.started - self.record.since > 2 * syncstate.OVERLAP

    def describe(self) -> str:
        if self.full:
            return f"full pass: {self.full_reason}"
        return f"read what changed since {self.since}"


def _complete(path: LearningPath | None, state: LearnerState | None) -> bool:
    """Whether GitLab has the learner's epic and an issue for every course of the path."""
    if state is None or state.epic is None or path is None:
        return False
    return all(course.id in state.issues for course in path.courses)


def in_shard(username: str, index: int, total: int) -> bool:
    """Stable across runs and machines (not Python's salted hash): crc32 of the username."""
    return zlib.crc32(username.lower().encode()) % total == index - 1


def _key(cohort: Cohort, username: str) -> EpicKey:
    return EpicKey(username.lower(), cohort.program, cohort.path)


def index_states(
    epics: Iterable[Epic],
    issues: Iterable[Issue],
    program: Program,
    labels: Labels,
    bot: str,
    records: Mapping[int, tuple[LearnerRecord | None, Note | None]] | None = None,
) -> dict[EpicKey, LearnerState]:
    """Group what GitLab has by learner and path, by the identity rules of core/identity.py:
    only the tool's own objects; a learner's key and course issues from their record; what no
    record names adopted by marker (or labels) and assignee. The oldest copy wins a duplicate."""
    records = records or {}
    pool = {issue.id: issue for issue in issues if tools_own(issue.author, bot)}
    states: dict[EpicKey, LearnerState] = {}
    for epic in sorted(epics, key=lambda e: e.iid):
        if not tools_own(epic.author, bot):
            continue
        found, note = records.get(epic.id, (None, None))
        key = found.key if found is not None else epic_identity(epic, program)
        if key is not None and key.program == program.id and key not in states:
            states[key] = LearnerState(epic=epic, record=found, record_note=note)
    claimed = {i for s in states.values() if s.record for i in s.record.issues.values()}
    for state in states.values():
        if state.record is not None:
            state.issues = bind(state.record, pool)
    for issue in sorted(pool.values(), key=lambda i: i.iid):
        key = candidate_issue(issue, program, labels)
        if key is None or not adoptable(issue, key, bot, claimed):
            continue
        state = states.setdefault(key.epic, LearnerState())
        if state.record is None or key.course not in state.record.issues:
            state.candidates[key.course] = (*state.candidates.get(key.course, ()), issue)
            state.issues.setdefault(key.course, issue)  # for reports; sync checks it first
    return states


def _no_such_award(ws: Workspace, username: str, course_id: str) -> str:
    """Why `revoke` found nothing, with the course ids that would have worked."""
    cohorts = [
        c
        for c in ws.cohorts.values()
        if any(lr.username.lower() == username.lower() for lr in c.learners)
    ]
    paths = [ws.path_of(c)[1] for c in cohorts] or [
        p for program in ws.programs.values() for p in program.paths
    ]
    courses = ", ".join(dict.fromkeys(course.id for p in paths for course in p.courses))
    if cohorts:
        return f"@{username} has no course '{course_id}'; their courses: {courses}"
    return (
        f"'{username}' is not a learner of any cohort with a course '{course_id}' "
        f"(course ids: {courses})"
    )


@dataclass(frozen=True)
class StatusRow:
    program: str
    path: str
    course: str
    stage: str
    exam: str
    practical: str
    badge: str
    due_date: str | None
    url: str


def status(session: Session, username: str) -> list[StatusRow]:
    """One learner's courses as GitLab shows them now (labels are the board's truth; no writes)."""
    from accred_ops.core.progress import STAGE_TABLE, Stage, stage_of_labels, verdict_word

    labels = session.ws.config.labels
    rows = []
    for program in session.ws.programs.values():
        issues = [
            issue
            for issue in session.gitlab.list_issues(
                [labels.program(program.id)], search=f"@{username}"
            )
            if tools_own(issue.author, session.bot)  # what anyone else made is nobody's course
        ]
        for path in program.paths:
            keys = {i.iid: issue_identity(i, program, labels) for i in issues}
            found = {
                key.course: i
                for i in issues
                if (key := keys[i.iid]) and key.learner == username.lower() and key.path == path.id
            }
            for course in path.courses:
                issue = found.get(course.id)
                if issue is None:
                    continue
                stage = stage_of_labels(labels, issue.labels) or Stage.ENROLLED
                rows.append(
                    StatusRow(
                        program=program.title,
                        path=path.title,
                        course=course.title,
                        stage=STAGE_TABLE[stage][1],
                        exam=verdict_word(labels, course, "exam", issue.labels),
                        practical=verdict_word(labels, course, "practical", issue.labels),
                        badge=course.badge_name if stage is Stage.BADGE_AWARDED else "",
                        due_date=issue.due_date,
                        url=issue.web_url,
                    )
                )
    return rows
