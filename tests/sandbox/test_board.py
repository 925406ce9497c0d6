"""The sandbox's read-only pages as `accred-ops demo --keep` leaves them: the board, issue and
epic pages over plain HTTP, a crawler over every link on them and every URL accred-ops wrote,
and headless Chromium (Debian's `chromium`): no script runs, no console error."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import gitlab
import pytest
from click.testing import CliRunner

from accred_ops.app.demo import PROJECT, run_demo, write_workspace
from accred_ops.cli import main
from accred_ops.sandbox import Sandbox
from accred_ops.sandbox.app import describe
from accred_ops.sandbox.people import Person

# Learner text that would run if it were markup: each payload marks the page if it runs.
HOSTILE = (
    "<script>document.title='PWNED'</script><img src=x onerror=\"document.title='PWNED'\">"
    ' & "quotes" [click](javascript:alert(1))'
)
BROWSER = next(
    (
        found
        for name in ("chromium", "chromium-browser", "google-chrome")
        if (found := shutil.which(name))
    ),
    None,
)
DOCS = Path(__file__).resolve().parents[2] / "docs"
needs_browser = pytest.mark.skipif(
    BROWSER is None and os.environ.get("CI") != "true",  # in CI a missing browser fails
    reason="no headless browser: install Debian's `chromium` (.ci/run does)",
)


@dataclass
class Demo:
    """The kept demo's sandbox, with hostile learner text, a dashboard and reports."""

    url: str
    hostile_iid: int = 0
    course_iid: int = 0
    written: dict[str, str] = field(default_factory=dict)  # what accred-ops wrote: name → text


def _get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # no token: pages are public
            return answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read().decode()


def _tool_output(demo: Demo, folder: Path) -> None:
    """`dashboard` and every `report` format, run as a user would against the sandbox."""
    write_workspace(folder, demo.url, ["alice", "bob"])
    env = {"GITLAB_URL": demo.url, "GITLAB_TOKEN": "demo-bot-token", "ACCRED_NOW": ""}
    env |= {"ACCRED_MAX_RETRIES": "2"}
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        said = CliRunner().invoke(main, ["dashboard"], env=env, catch_exceptions=False).output
        demo.written["dashboard output"] = said
        for fmt in ("md", "csv", "json", "html"):
            out = folder / f"report.{fmt}"
            CliRunner().invoke(main, ["report", "--format", fmt, "--out", str(out)], env=env)
            demo.written[out.name] = out.read_text()
    finally:
        os.chdir(cwd)


def _kept_demo(check: Callable[[Demo], None], tmp_path: Path) -> list[str]:
    """Play the demo with --keep; `check(demo)` runs while the sandbox is still up."""
    said: list[str] = []

    def wait() -> None:
        url = re.search(r"open (http://127\.0\.0\.1:\d+)/ to see the board", said[-1])
        assert url, said[-1]
        demo = Demo(url[1])
        alice = Person(demo.url, "demo-alice-token", PROJECT)
        demo.course_iid = alice.find_issue("Account Planning", "alice")
        alice.comment(demo.course_iid, HOSTILE)
        own = alice.project.issues.create(  # a learner's own issue, in the board's scope
            {"title": HOSTILE, "description": HOSTILE, "labels": "Field Learning Programs"}
        )
        demo.hostile_iid = own.iid
        _tool_output(demo, tmp_path)
        bot = gitlab.Gitlab(demo.url, private_token="demo-bot-token")
        for issue in bot.projects.get(PROJECT).issues.list(get_all=True):
            notes = issue.notes.list(get_all=True)
            demo.written[issue.web_url] = "\n".join([issue.description, *(n.body for n in notes)])
        for epic in bot.groups.get("field-enablement").epics.list(get_all=True):
            notes = epic.notes.list(get_all=True)
            demo.written[epic.web_url] = "\n".join([epic.description, *(n.body for n in notes)])
        check(demo)

    run_demo(said.append, keep=True, wait=wait)
    return said


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.bad: list[str] = []  # script elements and event-handler attributes

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.hrefs += [found["href"] or ""] if "href" in found else []
        self.ids |= {found["id"] or ""} if "id" in found else set()
        if tag in ("script", "iframe", "object", "embed"):
            self.bad.append(tag)
        self.bad += [f"{tag}[{name}]" for name in found if name.startswith("on")]
        self.bad += [f"{tag}[href]" for k, v in attrs if k == "href" and "javascript:" in (v or "")]


def _parse(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def test_the_board_is_scoped_coloured_compact_and_escaped(tmp_path: Path) -> None:
    def check(demo: Demo) -> None:
        status, headers, page = _get(demo.url + "/")
        assert status == 200 and headers["Content-Type"].startswith("text/html")
        policy = headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy
        assert "<h1>Field Enablement</h1>" in page
        counts = dict(re.findall(r'<header>(.*?)<span class="count">(\d+)</span>', page))
        # the demo's five badges; the sync record and the dashboard issue are off the board
        assert counts["Closed"] == "5" and counts["Open"] == "1"  # alice's own issue
        assert "Accreditation dashboard" not in page and "sync state" not in page.lower()
        enrolled = next(k for k in counts if ">enrolled<" in k)
        assert 'class="v">enrolled</span>' in enrolled and counts[enrolled] == "4"
        label_id = re.search(
            r'lbl scoped lb-(\d+)"[^>]*><span>accreditation</span><span class="v">badge-awarded',
            page,
        )
        assert label_id and f".lb-{label_id[1]}{{background:#108548" in page  # setup's colour
        assert re.search(r'title="6 of 6 checklist items completed">.*?6/6</span>', page)
        assert "Dec 14, 2026" in page  # a due date: the demo cohort starts on Monday 2026-11-30
        assert 'title="Alice Ng (@alice)"' in page  # an assignee
        assert f'href="/{PROJECT}/-/issues/{demo.course_iid}"' in page
        assert 'href="/groups/field-enablement/-/epics/1"' in page  # the epics, with progress
        assert '<progress value="5" max="5">' in page
        assert not _parse(page).bad and "PWNED" not in page.replace("&#x27;PWNED", "")
        assert "&lt;script&gt;document.title=&#x27;PWNED&#x27;&lt;/script&gt;" in page

    _kept_demo(check, tmp_path)


def test_issue_and_epic_pages_render_markdown_safely(tmp_path: Path) -> None:
    def check(demo: Demo) -> None:
        status, headers, page = _get(f"{demo.url}/{PROJECT}/-/issues/{demo.course_iid}")
        assert status == 200 and "Content-Security-Policy" in headers
        assert "<h1>Account Planning — @alice</h1>" in page
        assert '<span class="state closed">Closed</span>' in page
        assert 'checked="checked" disabled="disabled" type="checkbox"' in page  # a ticked item
        assert "<strong>" in page and "**" not in page.split("<h2>Activity</h2>")[0]
        assert "&lt;img src=x onerror=" in page and not _parse(page).bad
        assert "9 of 9 checklist items completed" in page
        status, _, mine = _get(f"{demo.url}/{PROJECT}/-/issues/{demo.hostile_iid}")
        assert status == 200 and not _parse(mine).bad and "<title>&lt;script&gt;" in mine
        epics = [_get(f"{demo.url}/groups/field-enablement/-/epics/{n}") for n in (1, 2)]
        assert all(status == 200 and "<table>" in e for status, _, e in epics)  # the progress
        alices = next(e for _, _, e in epics if "— @alice</h1>" in e)
        assert '<progress value="5" max="5">' in alices and "5/5 issues closed" in alices
        assert _get(f"{demo.url}/groups/field-enablement/-/work_items/1")[0] == 200
        assert _get(f"{demo.url}/groups/field-enablement/-/epics/99")[0] == 404
        assert _get(f"{demo.url}/{PROJECT}/-/issues/999")[0] == 404

    _kept_demo(check, tmp_path)


def _crawl(demo: Demo) -> dict[str, int]:
    """Every page reachable from `/`, and every sandbox URL accred-ops wrote: URL → status."""
    written = {
        url
        for text in demo.written.values()
        for url in re.findall(re.escape(demo.url) + r"/[^\s)\]>\"'|,]*", text)
        if "/api/" not in url
    }
    assert any("/-/issues/new?" in u for u in written)  # the feedback link of a course issue
    todo, seen = ["/", *written], {}
    while todo:
        url, fragment = urldefrag(urljoin(demo.url + "/", todo.pop()))
        if url in seen and not fragment:
            continue
        status, _, page = _get(url)
        seen[url] = status
        found = _parse(page) if status == 200 else None
        if fragment and found is not None:
            seen[f"{url}#{fragment}"] = 200 if fragment in found.ids else 404
        if found is not None and url.startswith(demo.url):
            todo += [
                h
                for h in found.hrefs
                if h.startswith("/") and urldefrag(urljoin(url, h))[0] not in seen
            ]
    return seen


def test_every_link_on_the_pages_and_every_url_accred_ops_writes_answers_200(
    tmp_path: Path,
) -> None:
    def check(demo: Demo) -> None:
        seen = _crawl(demo)
        assert {u: s for u, s in seen.items() if s != 200} == {}
        assert len([u for u in seen if "/-/issues/" in u]) >= 10
        assert any("/-/epics/" in u for u in seen) and any("/-/issues/new?" in u for u in seen)
        dashboard = re.search(r"https?://\S+/-/issues/\d+", demo.written["dashboard output"])
        assert dashboard and dashboard[0] in seen

    _kept_demo(check, tmp_path)


def test_a_merge_request_page_holds_the_plan_notes_anchor(sb: Sandbox) -> None:
    """`mr-note` prints `<project>/-/merge_requests/N#note_<id>`: the page has that anchor."""
    iid = sb.add_merge_request(PROJECT, "accred-bot", "Change the program")
    bot = gitlab.Gitlab(sb.url, private_token=sb.token_for("accred-bot"))
    note = bot.projects.get(PROJECT).mergerequests.get(iid).notes.create({"body": "**plan**"})
    status, _, page = _get(f"{sb.url}/{PROJECT}/-/merge_requests/{iid}")
    assert status == 200 and f'id="note_{note.id}"' in page and "<strong>plan</strong>" in page


def _chromium(url: str, *extra: str) -> tuple[str, str]:
    flags = [BROWSER or "chromium", "--headless", "--no-sandbox", "--disable-gpu"]
    flags += ["--hide-scrollbars", "--enable-logging=stderr", "--v=0", *extra]
    run = subprocess.run([*flags, url], capture_output=True, text=True, timeout=120)
    return run.stdout, run.stderr


@needs_browser
def test_the_pages_in_a_real_browser_run_no_script_and_log_no_error(tmp_path: Path) -> None:
    shot = tmp_path / "board.png"

    def check(demo: Demo) -> None:
        pages = ["/", f"/{PROJECT}/-/issues/{demo.course_iid}"]
        pages += [f"/{PROJECT}/-/issues/{demo.hostile_iid}", "/groups/field-enablement/-/epics/1"]
        for path in pages:
            dom, log = _chromium(demo.url + path, "--dump-dom")
            assert "</main>" in dom, path  # the page loaded
            assert "<title>PWNED</title>" not in dom, path  # what a payload that ran writes
            assert not _parse(dom).bad, path
            assert [line for line in log.splitlines() if ":CONSOLE" in line] == [], path
        _chromium(demo.url + "/", f"--screenshot={shot}", "--window-size=1600,1000")

    _kept_demo(check, tmp_path)
    assert shot.stat().st_size > 10_000


def test_demo_keep_is_an_option() -> None:
    assert "--keep" in CliRunner().invoke(main, ["demo", "--help"]).output


def test_the_sandbox_says_its_groups_projects_and_the_tools_token() -> None:
    with Sandbox() as sandbox:
        lines = describe(sandbox)
    text = "\n".join(lines)
    assert f"board view (read-only): {sandbox.url}/" in text
    assert "  field-enablement [premium]: accred-bot (Owner), erin (Maintainer)" in text
    assert "  field-enablement/assessors [premium]: sam (Developer)" in text
    assert (  # learners are project Guests only, as the README advises
        "  field-enablement/accreditation: alice (Guest), bob (Guest), carol (Guest), sam (Reporter)"
        in text
    )
    assert "  accred-bot: accred-bot-token   <- accred-ops's own (GITLAB_TOKEN)" in text
    assert f"export GITLAB_URL={sandbox.url} GITLAB_TOKEN=accred-bot-token" in text
