"""The report's renderers: CSV, JSON (against its documentation), HTML, Markdown, dashboard."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from accred_ops.core.marker import EpicKey
from accred_ops.core.model import Learner
from accred_ops.core.report import Report, build_report
from accred_ops.core.state import LearnerState
from accred_ops.reports import (
    RENDERERS,
    dashboard_markdown,
    render_csv,
    render_html,
    render_json,
    render_markdown,
)
from accred_ops.reports.as_csv import cell
from tests.core.test_report import (
    C1,
    C2,
    C3,
    COHORTS,
    NOW,
    PROGRAM,
    SINCE,
    STATES,
    T0,
    WS,
    L,
    issue,
)

DOC = (Path(__file__).resolve().parents[2] / "docs" / "report-format.md").read_text()
EVIL = "<script>alert(1)</script>"
EVIL_TITLE = '<img src=x onerror="alert(1)"> & Co'


def documented(heading: str) -> list[str]:
    """The `names` in the first column of the table under `### heading` in the format doc."""
    section = DOC.split(f"\n### {heading}\n", 1)[1].split("\n#", 1)[0]
    return re.findall(r"^\| `([^`]+)` \|", section, re.MULTILINE)


def sample(now: dt.datetime = NOW) -> Report:
    return build_report(WS, STATES, now, assessment_since=SINCE)


def hostile() -> Report:
    """The fixture plus a learner named like a script and a course titled like an image tag."""
    path_a = replace(PROGRAM.paths[0], courses=(replace(C1, title=EVIL_TITLE), C2, C3))
    program = replace(PROGRAM, paths=(path_a, PROGRAM.paths[1]))
    c_one = COHORTS["c-one"]
    cohorts = {**COHORTS, "c-one": replace(c_one, learners=(*c_one.learners, Learner(EVIL)))}
    states = {
        **STATES,
        EpicKey(EVIL, "p", "a"): LearnerState(
            issues={
                "c1": issue(90, L.in_progress, T0, "2026-12-01T00:00:00Z", due="2026-11-16"),
                "c2": issue(91, L.assessment, T0, "2026-12-02T00:00:00Z"),
            }
        ),
    }
    ws = replace(WS, programs={"p": program}, cohorts=cohorts)
    return build_report(ws, states, NOW)


def test_every_format_has_a_renderer() -> None:
    assert set(RENDERERS) == {"md", "csv", "json", "html"}


# --- CSV -------------------------------------------------------------------------------------


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_has_the_documented_columns_and_one_row_per_learner_and_course() -> None:
    text = render_csv(sample())
    assert next(csv.reader(io.StringIO(text))) == documented("CSV columns")
    rows = csv_rows(text)
    # c-one: 5 learners × 3 courses, c-three: 1 × 3, c-two: 2 × 2
    assert len(rows) == 22
    assert len({(r["cohort"], r["username"], r["course"]) for r in rows}) == 22


def test_csv_row_holds_every_fact() -> None:
    bob_c2 = next(r for r in csv_rows(render_csv(sample())) if r["issue_iid"] == "5")
    assert bob_c2 == {
        "cohort": "c-one",
        "program": "p",
        "path": "a",
        "username": "bob",
        "accredited": "no",
        "course": "c2",
        "course_title": "Course two",
        "stage": "assessment",
        "exam": "passed",
        "practical": "not required",
        "badge_date": "",
        "due_date": "",
        "issue_iid": "5",
        "issue_state": "opened",
        "issue_url": "https://gitlab.example.com/g/p/-/issues/5",
        "enrolled_at": T0,
        "updated_at": "2026-12-01T12:00:00Z",
        "closed_at": "",
        "epic_url": "",
        "manager": "",
        "retake": "no",
    }


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "yes"),
        (False, "no"),
        (12, "12"),
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Plain, with comma", "Plain, with comma"),
    ],
)
def test_csv_cells_are_spreadsheet_safe(value: object, text: str) -> None:
    assert cell(value) == text


# --- JSON ------------------------------------------------------------------------------------


def objects_at(data: Any, path: str) -> list[dict[str, Any]]:
    """Every object a documented path like `learners[].courses[]` names in `data`."""
    found = [data]
    for part in path.split("."):
        found = [item for parent in found for item in parent[part.removesuffix("[]")]]
    return found


def test_json_top_level_keys_are_the_documented_ones() -> None:
    data = json.loads(render_json(sample()))
    assert data["schema"] == "accred-ops/report@1"
    assert list(data) == documented("Top level")


def test_json_every_object_has_exactly_the_documented_keys() -> None:
    data = json.loads(render_json(sample()))
    sections = re.findall(r"^### `([^`]+)`$", DOC, re.MULTILINE)
    assert len(sections) == 9, sections
    for path in sections:
        objects = objects_at(data, path)
        assert objects, f"no {path} in the sample"
        for obj in objects:
            assert list(obj) == documented(f"`{path}`"), path


def test_json_values() -> None:
    data = json.loads(render_json(sample()))
    assert data["generated_at"] == "2026-12-10T12:00:00Z"
    assert data["stages"] == list(data["cohorts"][0]["courses"][0]["counts"])
    assert data["badges_per_week"][:2] == [
        {"week": "2026-11-02", "count": 1},
        {"week": "2026-11-09", "count": 2},
    ]
    assert data["stalled"][1]["reasons"] == ["overdue", "inactive"]


# --- HTML ------------------------------------------------------------------------------------

VOID = {"meta", "link", "br", "img", "hr", "input"}


class StrictParser(HTMLParser):
    """Records tags and attributes, and fails on any tag closed out of order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1:]}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(text: str) -> StrictParser:
    parser = StrictParser()
    parser.feed(text)
    parser.close()
    assert parser.stack == [], parser.stack
    return parser


def test_html_is_one_offline_file() -> None:
    text = render_html(sample())
    parser = parse(text)
    assert "http://" not in text and "https://" not in text
    assert not [name for name, _ in parser.attrs if name in ("src", "href", "srcset", "action")]
    assert "script" not in parser.tags and "link" not in parser.tags
    assert "url(" not in text and "@import" not in text
    assert "<svg" in text and "rect" in parser.tags
    assert text.startswith("<!DOCTYPE html>")


def test_html_escapes_every_text() -> None:
    text = render_html(hostile())
    parser = parse(text)
    assert "script" not in parser.tags and "img" not in parser.tags
    assert not [name for name, _ in parser.attrs if name.startswith("on")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    shown = "".join(parser.text)
    assert EVIL in shown and EVIL_TITLE in shown


# --- Markdown and the dashboard ----------------------------------------------------------------


def test_markdown_has_every_section_and_escapes_text() -> None:
    text = render_markdown(hostile())
    for heading in (
        "## Progress by cohort and course",
        "## Learners",
        "## Assessor queue",
        "## Stalled learners",
        "## Badges per week",
        "## Time to badge",
    ):
        assert f"\n{heading}\n" in text
    assert re.search(r"(?<!\\)[<>]", text) is None  # every < and > backslash-escaped
    assert "\\<script\\>alert(1)\\</script\\>" in text
    assert "@" not in text  # nobody is mentioned (notified) when the report is pasted into GitLab
    assert "Generated 2026-12-10T12:00:00Z" in text


def test_markdown_stage_table_row() -> None:
    text = render_markdown(sample())
    assert "| Course one | 1 | 0 | 1 | 0 | 2 | 1 |" in text


def test_dashboard_has_mermaid_charts() -> None:
    text = dashboard_markdown(sample())
    assert text.count("```mermaid") == 2
    assert "pie showData" in text and "xychart-beta" in text
    assert '    "Awarded" : 8' in text  # places: c-one 2 + 1 + 1, c-three 3, c-two 1
    assert "    bar [1, 2, 1, 0, 1]" in text


def test_dashboard_does_not_change_with_the_clock_alone() -> None:
    later = NOW + dt.timedelta(days=1, hours=9)  # no due date or threshold crossed meanwhile
    assert render_markdown(sample(later)) != render_markdown(sample())
    assert dashboard_markdown(sample(later)) == dashboard_markdown(sample())
    assert sample().generated_at not in dashboard_markdown(sample())


def test_empty_report_renders_everywhere() -> None:
    empty = build_report(WS, {}, NOW)
    for render in (*RENDERERS.values(), dashboard_markdown):
        assert render(empty)
    assert "```mermaid" in dashboard_markdown(empty)  # the stage pie: everyone not enrolled
    parse(render_html(empty))


def test_counts_read_as_english_in_the_markdown_head() -> None:
    from accred_ops.reports.common import counted

    assert (counted(1, "badge"), counted(0, "badge"), counted(2, "learner")) == (
        "1 badge",
        "0 badges",
        "2 learners",
    )
    head = render_markdown(sample()).splitlines()[2]
    assert " learners, " in head and "1 badges" not in head and "1 learners" not in head
