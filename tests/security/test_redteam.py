"""A hostile pass over this round's new surfaces (webhook payloads, course feedback, the
assessment loop, the `Retake` label, ACCRED_TOOL_USER, the sandbox's webhooks) and a few old
ones, through the real CLI against the sandbox, each attacker with their own token and the role
named in the test (Guest, the least the README recommends; Reporter; Developer).

Every test asserts the SAFE outcome. A test marked `xfail(strict=True)` is an open finding: the
attack still works, and its reason says what happens (docs/security.md lists what each role
could forge).
"""

from __future__ import annotations

import base64
import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import gitlab
import pytest
from click.testing import CliRunner

from accred_ops.app.demo import PROJECT
from accred_ops.cli import main
from tests.e2e import conftest as e2e
from tests.e2e.conftest import World
from tests.e2e.test_feedback import _open_feedback
from tests.e2e.test_sync import _enrolled, _issue
from tests.security.integrity_world import (
    FIRST,
    MARKER,
    SECOND,
    TEMPLATE,
    Attacker,
    HostileWorld,
    assert_no_badge,
    award_comments,
    enrolled_learners,
    export,
    hostile_world,
    passed,
    sync,
)

world = e2e.world  # the end-to-end fixture: Guests alice, bob, carol; sam the assessor


@pytest.fixture
def reporters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[HostileWorld]:
    """Learners who are Reporters of the project (what many organisations grant), an open
    cohort for self-enrollment, everyone enrolled."""
    with hostile_world(tmp_path, monkeypatch, "reporter", open_cohort=True) as w:
        assert w.cli("enroll").exit_code == 0
        yield w


def _event(world: World, body: str | bytes) -> tuple[int, str]:
    path = world.root / "payload.json"
    path.write_bytes(body if isinstance(body, bytes) else body.encode())
    result = CliRunner().invoke(main, ["sync", "--event", str(path)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return 99, f"{type(result.exception).__name__}: {result.exception}"
    return result.exit_code, result.output


def _issue_hook(iid: int, actor: str, project: str = PROJECT, **extra: object) -> str:
    return json.dumps(
        {
            "object_kind": "issue",
            "user": {"username": actor},
            "project": {"path_with_namespace": project},
            "object_attributes": {"iid": iid, **extra},
        }
    )


def _report(world: World) -> dict:
    result = world.cli("report", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# --- webhook payloads: anyone who has the trigger URL -----------------------------------------


def test_a_payload_with_a_5000_digit_number_is_bad_input_not_a_crash(world: World) -> None:
    """Python refuses to read integers of more than 4,300 digits; that refusal is a plain
    ValueError, not a JSONDecodeError, so core/event.read_event lets it through."""
    _enrolled(world)
    world.sandbox.reset_log()
    body = _issue_hook(1, "bob")[:-2] + ', "padding": ' + "9" * 5000 + "}}"
    code, output = _event(world, body)
    assert code == 2, output
    assert world.writes() == 0


def test_a_payload_naming_an_iid_gitlab_cannot_hold_is_ignored_quietly(world: World) -> None:
    _enrolled(world)
    world.sandbox.reset_log()
    code, output = _event(world, _issue_hook(2**63, "bob"))  # past GitLab's bigint
    assert code in (0, 2), output
    assert "Traceback" not in output and world.writes() == 0


def test_a_forged_payload_on_a_guests_look_alike_learner_issue_enrolls_nobody(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GitLab Free, an open cohort: a Guest creates an issue that looks like frank's learner
    issue (labels set at creation, as GitLab allows), then posts a payload naming it. frank (a
    project member who never asked) must not be enrolled."""
    with hostile_world(tmp_path, monkeypatch, "guest", tier="free", open_cohort=True) as w:
        assert w.cli("enroll").exit_code == 0
        bob = Attacker(w)
        title = (
            "Strategic Account Leader Field Accreditation: Building the Territory & Pipeline"
            " — @frank"
        )
        iid = bob.create(
            title=title,
            description=MARKER.format(who="frank", course="x"),
            labels="program::sal,Learning path,Field Learning Programs,cohort::self-paced",
        )
        assert iid is not None
        code, output = _event(w, _issue_hook(iid, "bob"))
        assert code in (0, 1, 2), output
        sync(w)
        assert "frank" not in enrolled_learners(w)


def test_a_payload_claiming_to_be_the_tool_cannot_make_it_act(world: World) -> None:
    """`user.username: accred-bot` only makes the job stop early, never act as the tool."""
    _enrolled(world)
    iid = world.person("bob").find_issue(FIRST, "bob")
    world.person("bob").tick(iid)
    world.sandbox.reset_log()
    code, output = _event(world, _issue_hook(iid, "accred-bot"))
    assert code == 0 and "the tool's own change" in output
    assert world.writes() == 0


def test_a_forged_epic_payload_on_gitlab_free_is_ignored_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GitLab Free has no epics: an epic (or Epic work item) payload must end quietly."""
    with hostile_world(tmp_path, monkeypatch, "guest", tier="free") as w:
        assert w.cli("enroll").exit_code == 0
        for kind, extra in (("epic", {}), ("work_item", {"type": "Epic"})):
            body = json.dumps(
                {
                    "object_kind": kind,
                    "user": {"username": "bob"},
                    "group": {"full_path": "field-enablement"},
                    "object_attributes": {"iid": 1, **extra},
                }
            )
            code, output = _event(w, body)
            assert code in (0, 2), output


# --- course feedback: Course: and Rating: lines ---------------------------------------------


def test_one_guest_cannot_stuff_a_courses_rating_with_many_feedback_issues(world: World) -> None:
    _enrolled(world)
    _open_feedback(world, "carol", "Feedback: Account Planning", "account-planning", "5")
    for n in range(6):
        _open_feedback(world, "bob", f"Feedback {n}", "account-planning", "1")
    assert world.cli("sync").exit_code == 0
    (entry,) = [f for f in _report(world)["feedback"] if f["course"] == "account-planning"]
    assert entry["ratings"] <= 2, entry  # one rating per person
    assert entry["average_rating"] == 3.0, entry


def test_a_guest_cannot_file_a_rating_by_labelling_at_creation_past_triage(world: World) -> None:
    """A Guest may set labels when creating an issue: `course::` and `program::` at once skip
    the tool's triage; the rating still counts once per person at most."""
    _enrolled(world)
    person = world.person("bob")
    for n in range(3):
        person.project.issues.create(
            {
                "title": f"pre-labelled {n}",
                "description": "Rating: 1",
                "labels": "accreditation::feedback,course::account-planning,program::sal",
            }
        )
    (entry,) = [f for f in _report(world)["feedback"] if f["course"] == "account-planning"]
    assert entry["ratings"] <= 1, entry


@pytest.mark.xfail(
    strict=True,
    reason="the rating is read from the description at report time: a Reporter turns carol's 5 into 1",
)
def test_a_reporter_cannot_rewrite_a_peers_rating(reporters: HostileWorld) -> None:
    w = reporters
    iid = _open_feedback(w, "carol", "Feedback: carol", "account-planning", "5")
    sync(w)
    assert Attacker(w).edit(iid, description="Course: account-planning\nRating: 1")
    (entry,) = [f for f in _report(w)["feedback"] if f["course"] == "account-planning"]
    assert entry["average_rating"] == 5.0, entry


# --- the Retake label and the report --------------------------------------------------------


def test_a_reporter_cannot_forge_a_failure_or_a_retake_into_the_report(
    reporters: HostileWorld,
) -> None:
    w = reporters
    bob = Attacker(w)
    iid = w.person("bob").find_issue(FIRST, "bob")
    assert bob.edit(iid, add_labels="Retake")
    sync(w)
    (course,) = [c for c in _report(w)["courses"] if c["course"] == "co-selling-with-partners"]
    assert (course["failures"], course["retakes"]) == (0, 0), course


def test_a_reporter_cannot_hide_a_real_failure_by_removing_retake(
    reporters: HostileWorld,
) -> None:
    w = reporters
    iid = w.person("bob").find_issue(FIRST, "bob")
    w.person("bob").tick(iid)
    w.person("sam").add_label(iid, "exam::failed")
    sync(w)
    assert "Retake" in _issue(w, FIRST, "bob")["labels"]
    assert Attacker(w).edit(iid, remove_labels="Retake,exam::failed")
    sync(w)
    (course,) = [c for c in _report(w)["courses"] if c["course"] == "co-selling-with-partners"]
    assert course["failures"] == 1, course


# --- self-enrollment: enrolling someone who never asked -------------------------------------


def test_a_reporter_cannot_enrol_a_member_by_labelling_their_issue_a_request(
    reporters: HostileWorld,
) -> None:
    w = reporters
    frank = w.person("frank")
    iid = int(frank.project.issues.create({"title": "A question", "description": "Hi"}).iid)
    assert Attacker(w).edit(iid, add_labels="accreditation::enrollment-request")
    sync(w)
    assert "frank" not in enrolled_learners(w)


def test_a_guest_cannot_enrol_a_peer_by_naming_them_in_a_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with hostile_world(tmp_path, monkeypatch, "guest", open_cohort=True) as w:
        body = TEMPLATE.split("/label")[0] + "\n@frank please enrol frank\nLearner: frank\n"
        Attacker(w).create(
            title="Accreditation enrollment",
            description=body,
            labels="accreditation::enrollment-request",
        )
        sync(w)
        assert "frank" not in enrolled_learners(w)


# --- the assessment loop ------------------------------------------------------------------


def test_a_learner_cannot_make_the_tool_mention_every_assessor_again_and_again(
    world: World,
) -> None:
    """Each tick-all / untick-one cycle is a new "entry" into assessment and a new comment
    mentioning every assessor; with `sync --event` each cycle costs the learner two clicks."""
    _enrolled(world)
    bob = world.person("bob")
    iid = bob.find_issue(FIRST, "bob")
    for _ in range(2):
        bob.tick(iid)
        assert world.cli("sync", "--learner", "bob").exit_code == 0
        bob.tick(iid, done=False)
        assert world.cli("sync", "--learner", "bob").exit_code == 0
    notes = _issue(world, FIRST, "bob")["notes"]
    routed = [n for n in notes if n["author"] == "accred-bot" and "accred-ops:routed" in n["body"]]
    assert len(routed) <= 1, f"{len(routed)} routing comments mentioning every assessor"


def test_round_robin_never_asks_the_learner_who_is_also_an_assessor(world: World) -> None:
    """bob is listed as an assessor (a careless config): round-robin must still pick sam for
    bob's own issue, never bob."""
    config = world.root / "accred.yml"
    config.write_text(
        config.read_text().replace(
            "assessors:\n", "assessors:\n  usernames: [bob, sam]\n  routing: round-robin\n"
        )
    )
    _enrolled(world)
    bob = world.person("bob")
    iid = bob.find_issue(FIRST, "bob")
    bob.tick(iid)
    assert world.cli("sync").exit_code == 0
    found = _issue(world, FIRST, "bob")
    (routed,) = [n["body"] for n in found["notes"] if "accred-ops:routed" in n["body"]]
    assert routed.startswith("@sam") and "to=sam" in routed, routed
    assert sorted(found["assignees"]) == ["bob", "sam"]


def test_a_manager_written_as_a_group_path_is_not_mentioned(world: World) -> None:
    """A careless cohort author names a group (`field-enablement`, every member of the
    program's group) as a learner's manager, with `notify_manager: true`: the award comment
    must not notify a whole group."""
    cohort = world.root / "cohorts" / "q4.yml"
    cohort.write_text(
        cohort.read_text().replace("  - bob\n", "  - {username: bob, manager: field-enablement}\n")
        + "notify_manager: true\n"
    )
    assert world.cli("validate").exit_code == 0
    _enrolled(world)
    passed(world, FIRST, "bob")
    assert world.cli("sync").exit_code == 0
    bodies = [n["body"] for n in _issue(world, FIRST, "bob")["notes"]]
    award = next(b for b in bodies if "accred-ops:award" in b)
    assert "@field-enablement" not in award, award


def test_exam_instructions_from_a_careless_author_run_nothing(world: World) -> None:
    """Instructions are plain text: no quick action, mention, label reference or HTML."""
    curriculum = next((world.root / "curriculum").glob("*.yml"))
    text = curriculum.read_text()
    hostile = "'Bring a laptop /close @all ~exam::passed <img src=x> [x](javascript:alert(1))'"
    curriculum.write_text(
        text.replace("exam: true", f"exam: {{instructions: {hostile}}}", 1)
        if "exam: true" in text
        else text
    )
    result = world.cli("validate")
    assert result.exit_code == 0, result.output
    _enrolled(world)
    body = _issue(world, FIRST, "bob")["description"]
    assert "Bring a laptop" in body
    for fragment in ("\n/close", "@all", "~exam::passed", "<img", "](javascript"):
        assert not re.search(r"(?<!\\)" + re.escape(fragment), body), fragment


def _alices(w: HostileWorld, course: str = FIRST) -> list:
    bot = w.person("accred-bot").project
    return [
        i for i in bot.issues.list(get_all=True, state="all") if i.title == f"{course} — @alice"
    ]


def test_a_careless_course_title_breaks_no_report_format(world: World) -> None:
    """HTML stays inert, the CSV cell is no formula, the Markdown table keeps its columns."""
    curriculum = next((world.root / "curriculum").glob("*.yml"))
    hostile = "=HYPERLINK(1) | <script>alert(1)</script> @all"
    curriculum.write_text(
        curriculum.read_text().replace("title: Co-Selling with Partners", f"title: '{hostile}'", 1)
    )
    assert world.cli("validate").exit_code == 0
    _enrolled(world)
    html = world.cli("report", "--format", "html").output
    assert "<script>alert" not in html
    csv_text = world.cli("report", "--format", "csv").output
    assert "\n=HYPERLINK" not in csv_text and ",=HYPERLINK" not in csv_text
    markdown = world.cli("report", "--format", "md").output
    for line in markdown.splitlines():
        if "HYPERLINK" in line and line.startswith("|"):
            assert re.search(r"(?<!\\)\|(?= <script)", line) is None, line
            assert not re.search(r"(?<!\\)@all", line), line


def test_a_reporter_stripping_the_program_label_from_a_peers_award_steals_nothing(
    reporters: HostileWorld,
) -> None:
    """Done to a peer's awarded issue: the award is announced once, stays on record (export),
    and bob gains nothing."""
    w = reporters
    iid = passed(w, FIRST, "alice")
    sync(w)
    assert Attacker(w).edit(iid, remove_labels="program::sal")
    sync(w)
    sync(w)
    notes = [n.body for i in _alices(w) for n in i.notes.list(get_all=True)]
    assert sum("accred-ops:award" in b for b in notes) == 1
    assert [i.state for i in _alices(w)] == ["closed"] * len(_alices(w))
    assert_no_badge(w)


def test_a_reporter_stripping_the_program_label_does_not_reset_a_peers_progress(
    reporters: HostileWorld,
) -> None:
    """alice ticked everything and sam passed the exam; bob (Reporter) removes `program::sal`
    from her issue. The record names the issue by global id: it should still be hers, not be
    replaced by a fresh, unticked one (the README's known limit predates the record)."""
    w = reporters
    iid = passed(w, FIRST, "alice", "exam::passed")
    sync(w)
    assert Attacker(w).edit(iid, remove_labels="program::sal")
    sync(w)
    assert len(_alices(w)) == 1, [(i.iid, i.state) for i in _alices(w)]


def test_a_reporter_cannot_reuse_an_assessors_verdicts_on_another_course(
    reporters: HostileWorld,
) -> None:
    """bob (Reporter) passed course 1 honestly. He strips `program::sal` from that issue, so
    the tool makes a new one and his record stops naming the old one; he re-marks the old issue
    as course 2 (marker, labels, course 2's checklist ticked), reopens it, and strips
    `program::sal` from his real course-2 issue. The old issue is then "adoptable" for course 2,
    and sam's verdicts on it were for course 1: no assessor passed bob on course 2. (Held:
    the record still names course 2's issue, so nothing is adopted for it.)"""
    w = reporters
    bob = Attacker(w)
    old = passed(w, FIRST, "bob")
    sync(w)
    assert bob.edit(old, remove_labels="program::sal")
    sync(w)
    second = w.person("bob").find_issue(SECOND, "bob")
    text = bob.description(second).replace("- [ ]", "- [x]")
    assert bob.edit(
        old,
        description=text,
        add_labels="program::sal,course::account-planning",
        remove_labels="course::co-selling-with-partners,accreditation::badge-awarded",
        state_event="reopen",
    )
    assert bob.edit(second, remove_labels="program::sal")
    sync(w)
    sync(w)
    project = w.person("accred-bot").project
    found = project.issues.get(old)
    bodies = [
        n.body for n in found.notes.list(get_all=True) if n.author["username"] == "accred-bot"
    ]
    assert not [b for b in bodies if "accred-ops:award course=account-planning" in b]
    # the record still names it as bob's course-1 issue: course 1's labels are put back
    assert "course::account-planning" not in found.labels, found.labels
    assert "course::co-selling-with-partners" in found.labels, found.labels


NEW_COURSE = """      - id: new-course
        title: New Course
        objectives:
          - Alpha objective for the new course
          - Beta objective for the new course
        badge: {name: "SAL: New Course"}

"""


def test_a_reporter_cannot_reuse_an_assessors_verdicts_on_a_newly_added_course(
    reporters: HostileWorld,
) -> None:
    """As above, but the course is one the program adds later (no record names its issue yet):
    bob's orphaned, re-marked course-1 issue must not be adopted as the new course's issue
    carrying sam's course-1 verdicts."""
    w = reporters
    bob = Attacker(w)
    old = passed(w, FIRST, "bob")
    sync(w)
    assert bob.edit(old, remove_labels="program::sal")
    sync(w)
    curriculum = next((w.root / "curriculum").glob("*.yml"))
    text = curriculum.read_text()
    curriculum.write_text(
        text.replace(
            "      - id: account-planning\n", NEW_COURSE + "      - id: account-planning\n", 1
        )
    )
    assert w.cli("validate").exit_code == 0
    lines = bob.description(old).replace("course=co-selling-with-partners", "course=new-course")
    kept = [line for line in lines.splitlines() if not line.startswith("- [")]
    ticks = [
        "- [x] Alpha objective for the new course",
        "- [x] Beta objective for the new course",
        *(
            line.replace("[ ]", "[x]")
            for line in lines.splitlines()
            if line.startswith("- [") and ("exam" in line or "practical" in line)
        ),
    ]
    assert bob.edit(
        old,
        description="\n".join(kept + ticks),
        add_labels="program::sal,course::new-course",
        remove_labels="course::co-selling-with-partners,accreditation::badge-awarded",
        state_event="reopen",
    )
    sync(w)
    sync(w)
    found = w.person("accred-bot").project.issues.get(old)
    bodies = [
        n.body for n in found.notes.list(get_all=True) if n.author["username"] == "accred-bot"
    ]
    assert not [b for b in bodies if "accred-ops:award course=new-course" in b], found.labels
    # still bob's course-1 issue by his record (labels put back); the new course got its own
    assert "course::new-course" not in found.labels, found.labels
    assert "course::co-selling-with-partners" in found.labels, found.labels
    fresh = w.person("bob").find_issue("New Course", "bob")
    assert fresh != old


def test_a_reporter_stripping_the_program_label_cannot_un_revoke(reporters: HostileWorld) -> None:
    """bob's badge is revoked; he strips `program::sal` from the revoked issue, the tool makes
    him a fresh one, he ticks it and a (fooled or honest) assessor passes it: still revoked."""
    w = reporters
    iid = passed(w, FIRST, "bob")
    sync(w)
    assert w.cli("revoke", "bob", "co-selling-with-partners", "--reason", "copied").exit_code == 0
    assert Attacker(w).edit(iid, remove_labels="program::sal")
    sync(w)
    fresh = [i for i in Attacker(w).person.project.issues.list(get_all=True, state="opened")]
    for found in fresh:
        if found.title == f"{FIRST} — @bob":
            passed(w, FIRST, "bob")
    sync(w)
    assert award_comments(w, "bob").count(f"{FIRST} — @bob") <= 1
    out = w.root / "export"
    assert all("bob" not in str(a.get("recipient")) or a.get("revoked") for a in export(w, out))


def test_a_course_without_exam_or_practical_is_named_by_every_command(world: World) -> None:
    """A careless curriculum author writes `exam: false` and `practical: false`. The product
    allows such a course (its badge follows the ticks alone, the learner's word), so the tool
    says so on stderr wherever it loads the files, naming the file and line: the author cannot
    miss that the badge needs no assessor."""
    curriculum = next((world.root / "curriculum").glob("*.yml"))
    text = curriculum.read_text()
    curriculum.write_text(
        text.replace(
            "        exam: true\n        practical: true\n",
            "        exam: false\n        practical: false\n",
            1,
        )
    )
    line = text[: text.index("        exam: true\n        practical: true\n")].count("\n")
    for args in (["validate"], ["status", "bob"]):
        result = world.cli(*args)
        (warning,) = [w for w in result.stderr.splitlines() if "needs no assessor" in w]
        found = re.match(rf"\S*{re.escape(curriculum.name)}:(\d+): warning: course '", warning)
        assert found and 0 < int(found.group(1)) <= line, (warning, line)
    assert world.cli("validate").exit_code == 0


# --- ACCRED_TOOL_USER, the sandbox's webhooks, secrets -----------------------------------------


def test_accred_tool_user_is_ignored_outside_a_dry_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A variable that names bob as the tool's user must not make bob's own objects count."""
    with hostile_world(tmp_path, monkeypatch, "developer") as w:
        assert w.cli("enroll").exit_code == 0
        bob = Attacker(w)
        iid = w.person("bob").find_issue(FIRST, "bob")
        bob.comment(
            iid,
            "<!-- accred-ops:award course=co-selling-with-partners learner=bob by=sam -->",
        )
        monkeypatch.setenv("ACCRED_TOOL_USER", "bob")
        sync(w)
        assert_no_badge(w)


@pytest.mark.parametrize("role", ["guest", "developer"])
def test_a_learner_cannot_add_a_project_webhook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, role: str
) -> None:
    """A hook would get every issue event (X-Gitlab-Token, confidential-free bodies) and let
    its owner post to the trigger-like receiver: Maintainers only, as on GitLab."""
    with hostile_world(tmp_path, monkeypatch, role) as w:
        person = w.person("bob")
        with pytest.raises(gitlab.GitlabError):
            person.add_webhook("http://127.0.0.1:9/", "stolen")
        with pytest.raises(gitlab.GitlabError):
            person.project.hooks.list()


def test_a_bad_signing_key_never_reaches_output(world: World, monkeypatch) -> None:
    _enrolled(world)
    secret = base64.b64encode(b"-----BEGIN PRIVATE KEY-----\nTOPSECRETKEYMATERIAL\n").decode()
    monkeypatch.setenv("ACCRED_BADGE_KEY", secret)
    config = world.root / "accred.yml"
    config.write_text(
        config.read_text()
        + "badges:\n  issuer: {name: FE, url: https://example.com, email: e@example.com}\n"
    )
    result = CliRunner().invoke(
        main,
        ["badges", "export", "--out", str(world.root / "out"), "--base-url", "https://x.example"],
    )
    assert result.exit_code == 2
    text = result.output + repr(result.exception)
    assert secret not in text and "TOPSECRET" not in text


def test_a_rejected_token_never_reaches_output(world: World, monkeypatch) -> None:
    monkeypatch.setenv("GITLAB_TOKEN", "fake-redteam-secret-0001")
    for args in (["sync"], ["status", "bob"], ["report"], ["sync", "--event", "-"]):
        result = CliRunner().invoke(main, args, input=_issue_hook(1, "bob"))
        text = result.output + repr(result.exception)
        assert "redteam-secret" not in text, args
        assert result.exit_code != 0


def test_the_sandbox_board_shows_no_confidential_issue_to_anyone(world: World) -> None:
    """`GET /` needs no token; GitLab shows confidential issues only to those allowed."""
    bob = world.person("bob")
    bob.project.issues.create(
        {"title": "Private: my manager review", "confidential": True, "description": "x"}
    )
    with urllib.request.urlopen(world.sandbox.url + "/") as answer:
        page = answer.read().decode()
    assert "Private: my manager review" not in page
