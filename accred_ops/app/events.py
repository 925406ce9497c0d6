"""`sync --event`: one webhook payload selects one learner, who is synced like `sync --learner`.

The payload (core/event.py) only says where to look. What is true is read again from GitLab:
the object the event names is fetched by its iid from the configured project or group, and
`learner_for_issue` / `learner_for_epic` (sync/selection.py: an event is one more way of
selecting) ask the identity code which learner it belongs to. That learner is then synced by
`Session.run(..., username=...)`, the code path of `sync --learner`, so an event can never
grant more than a full sync would: a forged payload at worst makes the tool look at a learner
a scheduled sync would look at anyway.

Cheap and loop-proof: the tool's own writes fire webhooks too, and are dropped after one request
(the token's user); an event for another project or group, or a kind accred-ops does not act
on, is dropped before any request.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from accred_ops.core.context import Mode
from accred_ops.core.event import MAX_BYTES, BadEvent, Selection, read_event
from accred_ops.core.model import Workspace
from accred_ops.errors import InputError, Problem
from accred_ops.sync.connection import connect
from accred_ops.sync.results import ProgressFn, RunResult
from accred_ops.sync.selection import of_event
from accred_ops.sync.session import Session


@dataclass(frozen=True)
class EventOutcome:
    """What an event led to: a sync of one learner, or the one line saying why nothing."""

    result: RunResult | None
    ignored: str = ""
    selection: Selection | None = None


def handle_payload(
    ws: Workspace,
    templates_dir: Path | None,
    raw: bytes,
    name: str,
    dry_run: bool = False,
    env: Mapping[str, str] = os.environ,
    now: dt.datetime | None = None,
) -> EventOutcome:
    """One webhook body, start to end, as `sync --event` runs it (and the demo's receiver):
    read it (InputError, before any request, when it is unreadable), then `sync_event` with a
    session of its own, as a CI job has."""
    if len(raw) > MAX_BYTES:
        raise InputError([Problem(name, 1, f"over {MAX_BYTES:,} bytes: not a webhook payload")])
    try:
        selection = read_event(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError([Problem(name, 1, "not UTF-8 text")]) from None
    except BadEvent as err:
        raise InputError([Problem(name, err.line, str(err))]) from None
    if isinstance(selection, str):
        return EventOutcome(None, selection)
    session = Session(ws, connect(ws, env), templates_dir, now=now)
    return sync_event(session, selection, dry_run)


def sync_event(
    session: Session, selection: Selection, dry_run: bool, on_learner: ProgressFn | None = None
) -> EventOutcome:
    """Sync the one learner an event concerns, or say in one line why the event is ignored."""
    username, why = of_event(session, selection)
    if username is None:
        return _ignored(selection, why)
    try:
        result = session.run(Mode.SYNC, dry_run, username=username, on_learner=on_learner)
    except InputError as err:  # e.g. the learner was since removed from every cohort
        return _ignored(selection, str(err))
    return EventOutcome(result, selection=selection)


def _ignored(selection: Selection, why: str) -> EventOutcome:
    return EventOutcome(None, f"ignored: {selection.describe()}: {why}", selection)
