"""The learner record: what the tool itself knows about one learner on one path. Pure.

Learners can edit the descriptions, titles, labels and assignees of project issues; they cannot
edit another user's comment, change who authored an issue, or (project-only members) touch a
group epic. So the facts the tool decides from are written by the tool where learners cannot
write: in the group epic's description (epic mode) or in the tool's own comment on the learner
issue (issue mode). The record says whose path this is, how they were enrolled (a cohort file,
or the iid of the self-enrollment request the tool answered), which issue (by global id) is
each course's issue, which courses were awarded (with the assessors the award rested on, as
they stood when it was awarded) and which awards were revoked. See docs/security.md.

It is one hidden HTML comment holding JSON. `<` and `>` are escaped inside it, so the comment
cannot be closed early whatever a username holds.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from accred_ops.core.marker import EpicKey

KIND = "learner-record"
NOTE_MARKER = "<!-- accred-ops:record-note -->"  # finds the comment again after a lost answer
VIA_FILE = "file"
_TAG = re.compile(r"<!-- accred-ops:learner-record (\{.*?\}) -->", re.S)


@dataclass(frozen=True)
class LearnerRecord:
    key: EpicKey
    cohort: str
    via: str = VIA_FILE  # "file", or "request:<iid>" for a self-enrollment the tool accepted
    issues: dict[str, int] = field(default_factory=dict)  # course id -> issue global id
    awards: dict[str, tuple[str, ...]] = field(default_factory=dict)  # course -> assessors
    revoked: tuple[str, ...] = ()  # course ids, in the order revoked
    # Each course's issue by iid too: the one way to read a recorded issue that a project
    # listing by label misses (a Reporter removed its `program::` label); GitLab's REST API
    # reads a single issue by iid, not by global id (for non-administrators).
    iids: dict[str, int] = field(default_factory=dict)  # course id -> issue iid
    # Issues that were once a course's issue and were replaced (really gone): never adopted.
    retired: tuple[int, ...] = ()
    # Badges that expire (core/validity.py): the UTC date of each award of the course, the first
    # and every renewal, oldest first. Only courses with a validity are dated.
    awarded_on: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The renewal cycle (e.g. "2027-H1") whose renewal issue is the course's issue now, until
    # that renewal is awarded (core/renewal.py).
    renewing: dict[str, str] = field(default_factory=dict)
    # The iids of the issues earlier awards of a course were made on, oldest first (a renewal
    # issue replaced each): with the current issue, one per date in `awarded_on`.
    earlier: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # Imported exam attempts (core/scores.py), oldest first: "<key> <percent> <outcome>" for
    # each attempt the tool's score comments hold, so a re-import reads no comments for the
    # attempts already imported, and the epic shows the score without reading them.
    scored: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def request(self) -> int | None:
        """The iid of the self-enrollment request the tool accepted, if that is how."""
        head, _, iid = self.via.partition(":")
        return int(iid) if head == "request" and iid.isdigit() else None

    @property
    def self_enrolled(self) -> bool:
        return self.request is not None

    def awarded(self, course: str) -> bool:
        return course in self.awards

    def with_issues(self, issues: dict[str, int], iids: dict[str, int]) -> LearnerRecord:
        """Each course's issue by global id and iid; an issue replaced stays named, retired."""
        replaced = [i for c, i in self.issues.items() if c in issues and issues[c] != i]
        retired = tuple(sorted({*self.retired, *replaced}))  # a set: the same on every rerun
        return replace(
            self,
            issues={**self.issues, **issues},
            iids={**self.iids, **iids},
            retired=retired,
        )

    def named(self) -> set[int]:
        """Every issue this record names or ever named (none of them may be adopted)."""
        return {*self.issues.values(), *self.retired}

    def with_award(self, course: str, assessors: tuple[str, ...]) -> LearnerRecord:
        if course in self.awards:
            return self
        return replace(self, awards={**self.awards, course: tuple(sorted(set(assessors)))})

    def with_award_date(self, course: str, day: str) -> LearnerRecord:
        """One more dated award of `course` (a renewal), once per day."""
        known = self.awarded_on.get(course, ())
        if day in known:
            return self
        renewing = {c: cycle for c, cycle in self.renewing.items() if c != course}
        return replace(
            self, awarded_on={**self.awarded_on, course: (*known, day)}, renewing=renewing
        )

    def with_renewing(self, course: str, cycle: str) -> LearnerRecord:
        if self.renewing.get(course) == cycle:
            return self
        earlier = self.earlier.get(course, ())
        if course in self.iids:  # the issue being renewed joins the history
            earlier = (*earlier, self.iids[course])
        return replace(
            self,
            renewing={**self.renewing, course: cycle},
            earlier={**self.earlier, course: earlier},
        )

    def with_scored(self, course: str, entries: tuple[str, ...]) -> LearnerRecord:
        known = self.scored.get(course, ())
        both = first_per_key((*known, *entries))
        return self if both == known else replace(self, scored={**self.scored, course: both})

    def with_revoked(self, course: str) -> LearnerRecord:
        if course in self.revoked:
            return self
        return replace(self, revoked=(*self.revoked, course))


def first_per_key(entries: tuple[str, ...]) -> tuple[str, ...]:
    """Scored attempts, the first entry of each attempt key kept (lists only grow)."""
    seen: dict[str, str] = {}
    for entry in entries:
        seen.setdefault(entry.split(" ", 1)[0], entry)
    return tuple(seen.values())


def request_via(iid: int) -> str:
    return f"request:{iid}"


def render(record: LearnerRecord) -> str:
    """The record as one hidden comment (stable: equal records give equal text)."""
    data: dict[str, Any] = {
        "learner": record.key.learner,
        "program": record.key.program,
        "path": record.key.path,
        "cohort": record.cohort,
        "via": record.via,
        "issues": dict(sorted(record.issues.items())),
        "awards": {c: list(a) for c, a in sorted(record.awards.items())},
        "revoked": list(record.revoked),
    }
    if record.iids:  # written since iids were recorded: older records stay as they were
        data["iids"] = dict(sorted(record.iids.items()))
    if record.retired:
        data["retired"] = list(record.retired)
    if record.awarded_on:
        data["awarded_on"] = {c: list(d) for c, d in sorted(record.awarded_on.items())}
    if record.renewing:
        data["renewing"] = dict(sorted(record.renewing.items()))
    if record.earlier:
        data["earlier"] = {c: list(i) for c, i in sorted(record.earlier.items())}
    if record.scored:
        data["scored"] = {c: list(k) for c, k in sorted(record.scored.items())}
    text = json.dumps(data, separators=(",", ":"), sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e")
    return f"<!-- accred-ops:{KIND} {text} -->"


def parse(text: str | None) -> LearnerRecord | None:
    """The last record in `text`, or None if there is none or it does not read as one."""
    found = _TAG.findall(text or "")
    if not found:
        return None
    try:
        data: Any = json.loads(found[-1])
        key = EpicKey(str(data["learner"]).lower(), str(data["program"]), str(data["path"]))
        issues = {str(c): int(i) for c, i in dict(data.get("issues") or {}).items()}
        awards = {
            str(c): tuple(str(u) for u in a) for c, a in dict(data.get("awards") or {}).items()
        }
        return LearnerRecord(
            key,
            str(data["cohort"]),
            str(data.get("via") or VIA_FILE),
            issues,
            awards,
            tuple(str(c) for c in data.get("revoked") or ()),
            {str(c): int(i) for c, i in dict(data.get("iids") or {}).items()},
            tuple(int(i) for i in data.get("retired") or ()),
            {
                str(c): tuple(str(d) for d in days)
                for c, days in dict(data.get("awarded_on") or {}).items()
            },
            {str(c): str(cycle) for c, cycle in dict(data.get("renewing") or {}).items()},
            {
                str(c): tuple(int(i) for i in iids)
                for c, iids in dict(data.get("earlier") or {}).items()
            },
            {
                str(c): tuple(str(k) for k in keys)
                for c, keys in dict(data.get("scored") or {}).items()
            },
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def put(description: str, record: LearnerRecord) -> str:
    """`description` with its record replaced (or appended): every other character kept."""
    tag = render(record)
    found = list(_TAG.finditer(description))
    if not found:
        return description.rstrip("\n") + "\n\n" + tag + "\n"
    match = found[-1]
    return description[: match.start()] + tag + description[match.end() :]


def strip(description: str) -> str:
    """`description` without any record in it (a copy from where anyone could have written one)."""
    return _TAG.sub("", description)


def note_text(record: LearnerRecord) -> str:
    """The tool's comment that holds the record where there is no epic (issue mode)."""
    return (
        "accred-ops keeps its record of this learning path here (who it is for, which issue is "
        "each course's, the badges awarded and revoked). Only this comment counts, and only its "
        "author can edit it.\n\n" + render(record) + "\n" + NOTE_MARKER + "\n"
    )
