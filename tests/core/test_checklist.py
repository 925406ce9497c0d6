"""Reading task lists the way GitLab does, and matching them to a course's expected items."""

from __future__ import annotations

import pytest

from accred_ops.core.checklist import TaskItem, normalize, parse_task_items, ticked

FENCE = "```"


def items(*specs: tuple[str, bool, int]) -> list[TaskItem]:
    return [TaskItem(text, checked, line) for text, checked, line in specs]


PARSE_CASES = [
    pytest.param("", [], id="empty description"),
    pytest.param("Just some text.\n\nNo list here.", [], id="no task list"),
    pytest.param(
        "Intro\n\n- [ ] One\n- [x] Two\n- [ ] Three\n",
        items(("One", False, 3), ("Two", True, 4), ("Three", False, 5)),
        id="plain list",
    ),
    pytest.param(
        "* [x] Star\n+ [X] Plus\n1. [x] Dot\n2) [ ] Paren",
        items(("Star", True, 1), ("Plus", True, 2), ("Dot", True, 3), ("Paren", False, 4)),
        id="every list marker and both x cases",
    ),
    pytest.param(
        "- [ ] Top\n  - [x] Nested\n    - [ ] Deeper\n- [x] Back",
        items(("Top", False, 1), ("Nested", True, 2), ("Deeper", False, 3), ("Back", True, 4)),
        id="nested items count",
    ),
    pytest.param(
        "- [ ] Top\n    - [x] Four spaces in",
        items(("Top", False, 1), ("Four spaces in", True, 2)),
        id="nested by four spaces is still a list, not code",
    ),
    pytest.param(
        "1. [ ] Top\n\n   - [x] After a blank line",
        items(("Top", False, 1), ("After a blank line", True, 3)),
        id="nested item after a blank line",
    ),
    pytest.param(
        "- [ ]   Spaced   out  \n-\t[x]\tTabbed",
        items(("Spaced   out", False, 1), ("Tabbed", True, 2)),
        id="text is stripped and tabs separate",
    ),
    pytest.param(
        f"- [ ] Real\n{FENCE}\n- [x] In code\n{FENCE}\n- [x] After",
        items(("Real", False, 1), ("After", True, 5)),
        id="backtick fence hides items",
    ),
    pytest.param(
        "~~~markdown\n- [x] In code\n~~~\n- [ ] After",
        items(("After", False, 4)),
        id="tilde fence with info string hides items",
    ),
    pytest.param(
        "  ````\n- [x] In code\n```\n- [x] Still code\n  ````\n- [ ] After",
        items(("After", False, 6)),
        id="indented fence closes only with the same length or longer",
    ),
    pytest.param(
        "~~~\n- [x] In code\n```\n- [x] Still code\n~~~\n- [ ] After",
        items(("After", False, 6)),
        id="fence closes only with the same character",
    ),
    pytest.param(
        f"- [ ] Before\n{FENCE}\n- [x] Swallowed\n\n- [x] Also swallowed",
        items(("Before", False, 1)),
        id="unclosed fence swallows the rest",
    ),
    pytest.param(
        f"- [ ] Item\n  {FENCE}\n  - [x] In the item's code\n- [x] Next item",
        items(("Item", False, 1), ("Next item", True, 4)),
        id="fence inside a list item ends with the item",
    ),
    pytest.param(
        f"{FENCE}python {FENCE}\n- [x] Counted",
        items(("Counted", True, 2)),
        id="backticks in the info string make inline code, not a fence",
    ),
    pytest.param(
        "Text\n\n    - [x] Indented code\n\n- [ ] Real",
        items(("Real", False, 5)),
        id="four spaces outside a list is code",
    ),
    pytest.param(
        "- [ ] Real <!-- a note -->\n<!--\n- [x] Hidden\n-->\n- [x] After",
        items(("Real", False, 1), ("After", True, 5)),
        id="html comment hides items and inline comments leave the text",
    ),
    pytest.param(
        "<!-- - [x] One-line comment --> \n- [ ] After",
        items(("After", False, 2)),
        id="one-line html comment",
    ),
    pytest.param(
        "- [x] Kept <!-- opens here\n- [x] Hidden\n- [ ] Hidden too -->\n- [ ] After",
        items(("Kept", True, 1), ("After", False, 4)),
        id="comment opened mid-line hides the following lines",
    ),
    pytest.param(
        "- [~] Not applicable\n- [x] Applicable",
        items(("Applicable", True, 2)),
        id="inapplicable item is skipped",
    ),
    pytest.param(
        "- [x]No space\n- [ ]\n- [x]  ",
        items(("", False, 2), ("", True, 3)),
        id="box needs a space or the end of the line",
    ),
    pytest.param(
        "- Done [x] already\n[x] No marker\n- [y] Other letter\n- [xx] Two",
        [],
        id="box not at the start of a list item is not a task",
    ),
    pytest.param(
        "- [ ] One\r\n- [x] Two\r\n",
        items(("One", False, 1), ("Two", True, 2)),
        id="windows line endings",
    ),
    pytest.param(
        "> - [x] Quoted\n> > 1. [ ] Twice quoted\n- [ ] Outside",
        items(("Quoted", True, 1), ("Twice quoted", False, 2), ("Outside", False, 3)),
        id="blockquote items count",
    ),
    pytest.param(
        f"> {FENCE}\n> - [x] Quoted code\n- [ ] Outside the quote",
        items(("Outside the quote", False, 3)),
        id="fence inside a blockquote ends with the quote",
    ),
    pytest.param(
        "Some text\n2. [x] Continues the paragraph\n\n1. [ ] Starts a list",
        items(("Starts a list", False, 4)),
        id="only an ordered item numbered 1 interrupts a paragraph",
    ),
    pytest.param(
        "- [ ] Top\n          - [x] Too deep",
        items(("Top", False, 1)),
        id="indented far past the item is paragraph text",
    ),
    pytest.param(
        "- - [x] Inner\n* * *\n- [ ] After the rule",
        items(("Inner", True, 1), ("After the rule", False, 3)),
        id="list inside a list line and thematic break",
    ),
]


@pytest.mark.parametrize(("markdown", "expected"), PARSE_CASES)
def test_parse_task_items(markdown: str, expected: list[TaskItem]) -> None:
    assert parse_task_items(markdown) == expected


NORMALIZE_CASES = [
    pytest.param("  Use   Git\tdaily ", "use git daily", id="whitespace and case"),
    pytest.param(r"Use \*args and \_\_init\_\_", "use *args and __init__", id="escapes removed"),
    pytest.param(r"Copy C:\temp", r"copy c:\temp", id="backslash before a letter stays"),
    pytest.param("**Use git.**", "use git", id="bold and full stop"),
    pytest.param("`git log`:", "git log", id="code span and colon"),
    pytest.param("Read A &amp; B", "read a & b", id="html entity as the template writes it"),
    pytest.param("Straße", "strasse", id="casefold not lower"),
]


@pytest.mark.parametrize(("text", "key"), NORMALIZE_CASES)
def test_normalize(text: str, key: str) -> None:
    assert normalize(text) == key


OBJECTIVES = ("Configure a CI pipeline", "Write unit tests")
EXAM = "I have taken the written exam"

TICKED_CASES = [
    pytest.param(
        OBJECTIVES,
        "- [x] Configure a CI pipeline\n- [ ] Write unit tests",
        {"Configure a CI pipeline": True, "Write unit tests": False},
        id="plain ticks",
    ),
    pytest.param(
        (*OBJECTIVES, EXAM),
        "- [x] My own note\n- [ ] Write unit tests\n- [x] Configure a CI pipeline\n"
        "- [x] I have taken the written exam\n- [x] Also mine",
        {"Configure a CI pipeline": True, "Write unit tests": False, EXAM: True},
        id="extra human items ignored and order does not matter",
    ),
    pytest.param(
        OBJECTIVES,
        "* [X]   configure a  CI PIPELINE.\n  1. [x] **Write unit tests**",
        {"Configure a CI pipeline": True, "Write unit tests": True},
        id="whitespace case punctuation and emphasis differences",
    ),
    pytest.param(
        ("Read A & B",),
        r"- [x] Read A &amp; B",
        {"Read A & B": True},
        id="escaped objective as the template renders it",
    ),
    pytest.param(
        OBJECTIVES,
        "- [x] Configure a CI pipleine\n- [x] Write unit test",
        {"Configure a CI pipeline": True, "Write unit tests": True},
        id="typo fixed in the items still counts",
    ),
    pytest.param(
        OBJECTIVES,
        "- [x] Set up some CI\n- [x] Tests",
        {"Configure a CI pipeline": False, "Write unit tests": False},
        id="heavily edited text does not count",
    ),
    pytest.param(
        ("Write unit tests", "Write unit texts"),
        "- [x] Write unit tests",
        {"Write unit tests": True, "Write unit texts": False},
        id="one item never answers for two expected texts",
    ),
    pytest.param(
        ("Write unit tests",),
        "- [x] Write unit tests 2\n- [ ] Write unit tests",
        {"Write unit tests": False},
        id="human near-copy does not steal the exact item",
    ),
    pytest.param(
        ("Write unit tests",),
        "- [ ] Write unit tests\n- [x] Write unit tests",
        {"Write unit tests": False},
        id="duplicated item uses the first occurrence",
    ),
    pytest.param(
        ("Write unit tests 1", "Write unit tests 2"),
        "- [ ] Write unit tests 1\n- [x] Write unit tests 1",
        {"Write unit tests 1": False, "Write unit tests 2": False},
        id="copy of one objective is not a typo of another",
    ),
    pytest.param(
        ("Write unit tests", "Write unit texts"),
        "- [ ] Write unit tess\n- [x] Write unit text",
        {"Write unit tests": False, "Write unit texts": True},
        id="fuzzy pairs are made most similar first",
    ),
    pytest.param(
        OBJECTIVES,
        "",
        {"Configure a CI pipeline": False, "Write unit tests": False},
        id="empty description ticks nothing",
    ),
    pytest.param(
        ("Write unit tests", "Write unit tests"),
        "- [x] Write unit tests",
        {"Write unit tests": True},
        id="repeated expected text is one key",
    ),
]


@pytest.mark.parametrize(("expected", "markdown", "result"), TICKED_CASES)
def test_ticked(expected: tuple[str, ...], markdown: str, result: dict[str, bool]) -> None:
    assert ticked(expected, parse_task_items(markdown)) == result
