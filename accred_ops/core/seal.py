"""The seal on a learner record: a keyed signature that lets the tool recognise its own record
whoever GitLab says wrote it. Pure (the key and the time come in).

GitLab deletes the bot user of a revoked group or project access token and shows everything it
wrote as the Ghost User's, which is also what a learner who deletes their account becomes: once
that happens, authorship proves nothing. With a secret key (`ACCRED_RECORD_KEY`, a masked CI
variable), every record the tool writes carries a seal right after it:

    <!-- accred-ops:record-seal at=<ms> mac=<hex> -->

`mac` is HMAC-SHA256 over the object the record is on (the epic's or learner issue's global id),
`at` (when it was written, milliseconds) and the record in its canonical form. A copy on any
other object does not verify; of several sealed records on one object, the latest counts, so a
replayed older copy loses. Without the key nothing is sealed, and only authorship counts.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable

from accred_ops.core import record
from accred_ops.core.record import LearnerRecord
from accred_ops.core.state import Epic, Note

KIND = "record-seal"
_SEAL = re.compile(r"\n?<!-- accred-ops:record-seal at=(\d{1,15}) mac=([0-9a-f]{64}) -->")


def _mac(key: bytes, object_id: int, at: int, found: LearnerRecord) -> str:
    message = f"{object_id}\n{at}\n{record.render(found)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def unsealed(text: str) -> str:
    """`text` without any seal: what the planner compares and rewrites."""
    return _SEAL.sub("", text)


def seal(key: bytes, object_id: int, text: str, at: int) -> str:
    """`text` (holding a record) with a fresh seal at its end; unchanged if it holds none."""
    found = record.parse(text)
    if found is None:
        return text
    bare = unsealed(text).rstrip("\n")
    return f"{bare}\n<!-- accred-ops:{KIND} at={at} mac={_mac(key, object_id, at, found)} -->\n"


def sealed_at(key: bytes, object_id: int, text: str) -> int | None:
    """When the record in `text` was sealed for this object, or None if no seal verifies."""
    found = record.parse(text)
    seals = _SEAL.findall(text)
    if found is None or not seals:
        return None
    at, mac = seals[-1]
    return int(at) if hmac.compare_digest(mac, _mac(key, object_id, int(at), found)) else None


def sealed_record(
    key: bytes, epic: Epic, notes: Iterable[Note] | None, in_note: bool
) -> tuple[LearnerRecord | None, Note | None]:
    """The record the tool sealed on this tracking object, whoever GitLab says authored it:
    the description's (epic mode), or the latest sealed of the comments (issue mode)."""
    if not in_note:
        if sealed_at(key, epic.id, epic.description) is None:
            return None, None
        return record.parse(epic.description), None
    best: tuple[int, Note] | None = None
    for note in notes or ():
        at = sealed_at(key, epic.id, note.body)
        if at is not None and (best is None or at > best[0]):
            best = (at, note)
    if best is None:
        return None, None
    return record.parse(best[1].body), best[1]
