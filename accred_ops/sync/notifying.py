"""Notifying: after the learners of a sync, each new event to each chat webhook that wants it,
once (notify/ledger.py). Runs only where accred.yml has `notifications:`; otherwise it sends
no request at all.

Order matters for "never lost, never twice": the ledger is read (or started) before any learner
runs, so an award made in this run is never older than it; messages go out after the learners
and before the sync record moves, and the ledger is written after each message, so a run killed
anywhere leaves either the message sent and recorded, or the learner to be read again and the
message still due. A webhook that fails costs its message one attempt (kept for the next run,
up to MAX_ATTEMPTS runs), never the sync.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import requests

from accred_ops.core.state import LearnerState
from accred_ops.notify import digest, events, formats, http, ledger
from accred_ops.notify.ledger import Ledger
from accred_ops.sync.ownnote import OwnNote

if TYPE_CHECKING:
    from accred_ops.core.model import Cohort
    from accred_ops.sync.facts import Session


@dataclass
class Book:
    """The ledger as read at the start of a run, and where it lives."""

    ledger: Ledger
    place: OwnNote
    seen: list[tuple[Cohort, str, LearnerState]] = field(default_factory=list)


def begin(session: Session, dry_run: bool) -> Book | None:
    """The ledger, read before any learner runs; started (GitLab's clock now) where there is
    none. None when nothing is to be sent: no webhooks, or a dry run (which sends nothing)."""
    if not session.ws.config.notifications or dry_run:
        return None
    place = OwnNote(ledger.TITLE, ledger.ISSUE_TEXT, ledger.NOTE_KIND)
    found = ledger.parse(place.read(session))
    if found is not None:
        return Book(found, place)
    started = session.gitlab.server_time or session.now
    book = Book(Ledger(started.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")), place)
    book.place.write(session, ledger.render(book.ledger))
    return book


def deliver(session: Session, book: Book | None) -> list[str]:
    """Send what is due; the notices to print (counts and failures, never a URL)."""
    if book is None:
        return []
    seen = [(_who(session, cohort, name), state) for cohort, name, state in book.seen]
    labels = session.ws.config.labels
    found = [e for who, state in seen for e in events.derive(who, state, labels)]
    found += _digests(session, seen)
    todo = ledger.due(book.ledger, session.ws.config.notifications, found)
    sent, waiting, gave_up, reasons = 0, 0, 0, dict[str, str]()
    with requests.Session() as client:
        for item in todo:
            body = formats.payload(item.webhook.format, item.event)
            outcome = http.post(item.webhook.url_variable, body, client)
            given_up = ledger.settle(book.ledger, item, outcome.ok)
            book.place.write(session, ledger.render(book.ledger))
            sent += outcome.ok
            waiting += not outcome.ok and not given_up
            gave_up += given_up
            if not outcome.ok:
                reasons.setdefault(item.webhook.url_variable, outcome.why)
    return _notices(sent, waiting, gave_up, reasons)


def _who(session: Session, cohort: Cohort, username: str) -> events.Learner:
    program, path = session.ws.path_of(cohort)
    entry = next((lr for lr in cohort.learners if lr.username == username), None)
    return events.Learner(program, path, cohort, username, (entry and entry.manager) or "")


def _digests(
    session: Session, seen: list[tuple[events.Learner, LearnerState]]
) -> list[events.Event]:
    """The weekly digests, where a webhook wants them, of the programs whose every cohort
    learner this run read (a full pass; an incremental sync sees only who changed)."""
    ws = session.ws
    if not any("digest" in hook.events for hook in ws.config.notifications):
        return []
    read = {(who.cohort.id, who.username) for who, _state in seen}
    missing = {
        c.program
        for c in ws.cohorts.values()
        for lr in c.learners
        if (c.id, lr.username) not in read
    }
    whole = [(who, state) for who, state in seen if who.program.id not in missing]
    days = ws.config.reminders.stalled_after_days if ws.config.reminders else 14
    clock = session.gitlab.server_time or session.now
    at = clock.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return digest.digests(whole, ws.config.labels, session.now, days, at)


def _notices(sent: int, waiting: int, gave_up: int, reasons: dict[str, str]) -> list[str]:
    if not (sent or waiting or gave_up):
        return []
    parts = [f"{sent} sent"]
    if waiting:
        parts.append(f"{waiting} kept for the next run")
    if gave_up:
        parts.append(f"{gave_up} given up after {ledger.MAX_ATTEMPTS} runs")
    return [f"notifications: {', '.join(parts)}", *reasons.values()]
