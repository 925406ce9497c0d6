"""Recording: after a whole-program sync with no failure, what it read up to, as the tool's own
comment on its closed state issue, for the next sync to read only what changed since."""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING

from accred_ops.core import syncstate
from accred_ops.sync.reading import Reading

if TYPE_CHECKING:
    from accred_ops.sync.facts import Session

_sleep = time.sleep  # waits for GitLab's clock (core/syncstate.py OVERLAP); tests move it instead


def finish(session: Session, how: Reading, program_ids: list[str]) -> None:
    """Settle the overlap if this run wrote much inside it, then record the run."""
    record(session, how, settle(session, how, program_ids))


def settle(session: Session, how: Reading, program_ids: list[str]) -> dt.datetime | None:
    """After a run that read or wrote many objects inside its own overlap (a big enrollment):
    list once what changed there, so that the next sync starts past what this run has seen
    or written itself (core/syncstate.py `settled_since`); None when not worth it."""
    gitlab = session.gitlab
    known = {**session.synced, **gitlab.own_versions}
    if not syncstate.worth_settling(how.started, known):
        return None
    checked_at = clock_after(session, syncstate.latest(known.values()) + syncstate.OVERLAP)
    floor = (how.started - syncstate.OVERLAP).strftime("%Y-%m-%dT%H:%M:%SZ")
    changed = [
        (item.web_url, item.updated_at)
        for program_id in program_ids
        for listing in (gitlab.list_epics, gitlab.list_issues)
        for item in listing([session.ws.config.labels.program(program_id)], updated_after=floor)
    ]
    return syncstate.settled_since(how.started, checked_at, changed, known)


def clock_after(session: Session, moment: dt.datetime) -> dt.datetime:
    """GitLab's clock, once it has passed `moment` (waiting up to the overlap, by GitLab's
    clock: a change in flight then has had the whole overlap to become visible)."""
    now = session.gitlab.clock()
    while now < moment:
        _sleep(min((moment - now).total_seconds(), syncstate.OVERLAP.total_seconds()) + 0.5)
        now = session.gitlab.clock()
    return now


def record(session: Session, how: Reading, settled: dt.datetime | None = None) -> None:
    """After a sync with no failure: what it read up to, for the next one to start from."""
    gitlab = session.gitlab
    text = syncstate.record_text(
        syncstate.next_record(how.record, how.started, how.fingerprint, how.full, settled)
    )
    if how.note is not None and how.issue is not None:
        if how.note.body != text:
            gitlab.edit_issue_note(how.issue.iid, how.note.id, text)
        return
    issue = gitlab.create_plain_issue(syncstate.TITLE, syncstate.ISSUE_TEXT)
    gitlab.update_issue(issue.iid, {"state_event": "close"})  # out of everyone's way
    gitlab.comment_on_issue(issue.iid, text)
