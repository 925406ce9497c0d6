"""Exam results files: the plain CSV and a Google Forms quiz's CSV export, read and checked.

Every problem is `file:line: message` and stops the import before any request (exit 2): an
unknown course or one without a pass mark, a learner in no cohort of that course, a score above
its maximum, negative or not a number, a bad date, duplicate `attempt_id`s that disagree, a file
that is not UTF-8 or is over `MAX_BYTES`. Learners are matched by username, or by the `email`
their cohort file gives them (GitLab hides most users' emails: they are never read from it).

Plain format: a header row naming `username` or `email`, `course`, `score`, `max_score`
(default 100), `taken_at` (ISO date or date-time; UTC when no offset is given) and optionally
`attempt_id`. Google Forms: the export as it is (`Timestamp`, `Email Address`, `Score` written
`8 / 10`, then the questions, ignored), for the one course given on the command line.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

from accred_ops.core.model import Cohort, Workspace
from accred_ops.core.scores import ScoreRow
from accred_ops.errors import InputError, Problem

MAX_BYTES = 5_000_000  # about 50,000 rows: far more than a cycle's results
PLAIN, GOOGLE_FORMS = "plain", "google-forms"
FORMATS = (PLAIN, GOOGLE_FORMS)
_PLAIN_COLUMNS = {"username", "email", "course", "score", "max_score", "taken_at", "attempt_id"}
_FORMS_SCORE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)\s*\Z")
_FORMS_TIME = re.compile(
    r"\s*(\d{4})/(\d{1,2})/(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})(?: ?([AP]M))?"
    r"(?: GMT([+-]\d{1,2})(?::?(\d{2}))?)?\s*\Z"
)
_US_TIME = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2}):(\d{2})\s*\Z")
_ATTEMPT_ID = re.compile(r"[A-Za-z0-9_.:@/+=-]{1,200}\Z")


@dataclass(frozen=True)
class Placed:
    """A checked row and the cohort of the learner it names."""

    cohort: Cohort
    row: ScoreRow


def read_file(path: Path) -> bytes | None:
    """The file's bytes (None if there is no such file), never more than MAX_BYTES + 1."""
    if not path.is_file():
        return None
    with path.open("rb") as found:
        return found.read(MAX_BYTES + 1)


def read_scores(
    data: bytes | None, shown: str, ws: Workspace, fmt: str = PLAIN, course: str | None = None
) -> list[Placed]:
    """Every row of the file, checked; InputError listing every problem otherwise."""
    text = decode(data, shown)
    table = _Table(ws, shown)
    if fmt == GOOGLE_FORMS:
        table.forms_course(course)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    starts = _row_lines(text)
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise InputError([Problem(shown, 1, "no header row")])
    header = [cell.strip() for cell in rows[0]]
    table.check_header(header, fmt)
    for index, cells in enumerate(rows[1:], start=1):
        if any(cell.strip() for cell in cells):
            record = dict(zip(header, cells, strict=False))
            table.add(starts[index] if index < len(starts) else index + 1, record, fmt, course)
    if table.problems:
        raise InputError(table.problems)
    return table.placed


def read_folder(folder: Path, ws: Workspace) -> tuple[list[Placed], str]:
    """`scores/` beside accred.yml: every `*.csv` in it (plain format), checked, and a digest
    of the files (a sync reads everything again when they change). No folder: nothing."""
    if not folder.is_dir():
        return [], ""
    placed: list[Placed] = []
    problems: list[Problem] = []
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.csv")):
        data = read_file(path)
        digest.update(path.name.encode() + b"\0" + (data or b""))
        try:
            placed += read_scores(data, f"{folder.name}/{path.name}", ws)
        except InputError as err:
            problems += err.problems
    if problems:
        raise InputError(problems)
    return placed, digest.hexdigest()[:16]


def decode(data: bytes | None, shown: str) -> str:
    if data is None:
        raise InputError([Problem(shown, 1, "no such file")])
    if len(data) > MAX_BYTES:
        raise InputError([Problem(shown, 1, f"over {MAX_BYTES:,} bytes: split the file")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(
            [Problem(shown, line, "not UTF-8 text: export the file as CSV UTF-8")]
        ) from None


def _row_lines(text: str) -> list[int]:
    """The line each CSV record starts on (a quoted answer may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    starts, last = [], 0
    for _ in reader:
        starts.append(last + 1)
        last = reader.line_num
    return starts


class _Table:
    """Rows checked against the workspace, problems collected."""

    def __init__(self, ws: Workspace, shown: str) -> None:
        self.ws, self.shown = ws, shown
        self.problems: list[Problem] = []
        self.placed: list[Placed] = []
        self.ids: dict[str, tuple[int, tuple[object, ...]]] = {}

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.shown, line, message))

    def forms_course(self, course: str | None) -> None:
        if not course:
            raise InputError("--format google-forms needs --course COURSE_ID")
        message = self._course_problem(course)
        if message:
            raise InputError(f"--course: {message}")

    def check_header(self, header: list[str], fmt: str) -> None:
        if fmt == GOOGLE_FORMS:
            wanted = ["Timestamp", "Email Address", "Score"]
            missing = [c for c in wanted if c not in header]
            if missing:
                raise InputError([Problem(self.shown, 1, f"no column {', '.join(missing)}")])
            return
        unknown = sorted(set(header) - _PLAIN_COLUMNS)
        problems = []
        if unknown:
            problems.append(f"unknown column {', '.join(unknown)}")
        if not {"username", "email"} & set(header):
            problems.append("give a 'username' or an 'email' column")
        missing = [c for c in ("course", "score", "taken_at") if c not in header]
        if missing:
            problems.append(f"no column {', '.join(missing)}")
        if problems:
            raise InputError([Problem(self.shown, 1, p) for p in problems])

    def add(self, line: int, record: dict[str, str], fmt: str, course: str | None) -> None:
        before = len(self.problems)
        if fmt == GOOGLE_FORMS:
            who, course_id = ("email", record.get("Email Address", "")), course or ""
            score, top = self._forms_score(line, record.get("Score", ""))
            taken = self._time(line, record.get("Timestamp", ""))
            attempt_id = None
        else:
            course_id = record.get("course", "").strip()
            name = record.get("username", "").strip()
            who = ("username", name) if name else ("email", record.get("email", ""))
            top = self._number(line, "max_score", record.get("max_score", "").strip() or "100")
            score = self._number(line, "score", record.get("score", ""))
            taken = self._time(line, record.get("taken_at", ""))
            attempt_id = self._attempt_id(line, record.get("attempt_id", ""))
        message = self._course_problem(course_id)
        if message:
            self.problem(line, message)
        if score is not None and top is not None and score > top:
            self.problem(line, f"score {score:g} is above its maximum {top:g}")
        cohorts = self._learner(line, who, course_id) if not message else []
        if len(self.problems) > before or taken is None or score is None or top is None:
            return
        for cohort, username in cohorts:
            source = f"attempt {attempt_id}" if attempt_id else f"{self.shown} row {line}"
            row = ScoreRow(source, username, course_id, score, top, taken, attempt_id)
            if self._fresh(line, row):
                self.placed.append(Placed(cohort, row))

    def _course_problem(self, course_id: str) -> str:
        courses = [c for p in self.ws.programs.values() for c in p.courses() if c.id == course_id]
        if not courses:
            return f"no course '{course_id}' in the curriculum"
        if not any(c.exam and c.exam_rules for c in courses):
            return f"course '{course_id}' has no exam pass mark (exam: {{pass_mark: 80}})"
        return ""

    def _learner(self, line: int, who: tuple[str, str], course_id: str) -> list[tuple[Cohort, str]]:
        kind, value = who[0], who[1].strip().lower()
        if not value:
            self.problem(line, f"no {kind}")
            return []
        found = [
            (cohort, learner.username.lower())
            for cohort in self.ws.cohorts.values()
            for learner in cohort.learners
            if value == (learner.username if kind == "username" else learner.email or "").lower()
        ]
        if not found:
            self.problem(line, f"no learner with {kind} '{who[1].strip()}' in any cohort")
            return []
        here = [(c, n) for c, n in found if self.ws.path_of(c)[1].course(course_id)]
        if not here:
            self.problem(line, f"'{who[1].strip()}' is in no cohort whose path has '{course_id}'")
        return here

    def _number(self, line: int, column: str, value: str) -> float | None:
        try:
            number = float(value.strip())
        except ValueError:
            self.problem(line, f"{column} must be a number, got {value.strip()[:40]!r}")
            return None
        if not math.isfinite(number) or number < 0:
            self.problem(line, f"{column} must be a number of 0 or more, got {value.strip()!r}")
            return None
        if column == "max_score" and number == 0:
            self.problem(line, "max_score must be above 0")
            return None
        return number

    def _forms_score(self, line: int, value: str) -> tuple[float | None, float | None]:
        match = _FORMS_SCORE.match(value)
        if not match:
            self.problem(line, f"Score must read like '8 / 10', got {value.strip()[:40]!r}")
            return None, None
        top = float(match[2])
        if top == 0:
            self.problem(line, "Score's maximum must be above 0")
            return None, None
        return float(match[1]), top

    def _time(self, line: int, value: str) -> dt.datetime | None:
        moment = parse_time(value)
        if moment is None:
            self.problem(line, f"not a date or date-time: {value.strip()[:40]!r}")
        return moment

    def _attempt_id(self, line: int, value: str) -> str | None:
        value = value.strip()
        if not value:
            return None
        if not _ATTEMPT_ID.match(value):
            self.problem(
                line, f"attempt_id must be letters, digits and _.:@/+=-, got {value[:40]!r}"
            )
            return None
        return value

    def _fresh(self, line: int, row: ScoreRow) -> bool:
        """A repeated attempt_id must repeat the same attempt (then it is read once)."""
        if not row.attempt_id:
            return True
        what = (row.learner, row.course, row.score, row.max_score, row.taken_at)
        seen = self.ids.get(row.attempt_id)
        if seen is None:
            self.ids[row.attempt_id] = (line, what)
            return True
        if seen[1] != what:
            self.problem(
                line, f"attempt_id '{row.attempt_id}' is on line {seen[0]} with other values"
            )
        return False


def parse_time(value: str) -> dt.datetime | None:
    """ISO date or date-time (no offset: UTC), or Google Forms' and Sheets' timestamps."""
    text = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(), dt.UTC)
        if re.match(r"\d{4}-\d{2}-\d{2}[T ]\d", text):
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        return _forms_time(text)
    except ValueError:
        return None


def _forms_time(text: str) -> dt.datetime | None:
    match = _FORMS_TIME.match(text)
    if match:
        year, month, day, hour, minute, second = (int(match[i]) for i in range(1, 7))
        if match[7]:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if match[7] == "PM" else 0)
        offset = dt.timedelta(hours=int(match[8] or 0))
        if match[9]:
            offset += dt.timedelta(minutes=int(match[9])) * (-1 if match[8].startswith("-") else 1)
        zone = dt.timezone(offset)
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=zone).astimezone(dt.UTC)
    match = _US_TIME.match(text)
    if match:
        month, day, year, hour, minute, second = (int(match[i]) for i in range(1, 7))
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
    return None
