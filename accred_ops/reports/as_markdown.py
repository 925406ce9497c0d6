"""The report as GitLab-flavoured Markdown, and the dashboard issue's body (Markdown + Mermaid).

The dashboard is rewritten only when its text changes, so it holds nothing that changes with
the clock alone: no generation time and no day counts, only dates ("waiting since 2026-12-01").
Usernames are written without `@`: a report pasted into GitLab must not notify every learner.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from accred_ops.core.report import STAGES, LearnerRow, Report
from accred_ops.render import md
from accred_ops.reports import exams, rubric, validity
from accred_ops.reports.common import (
    STAGE_WORDS,
    badges_awarded,
    counted,
    days,
    scope,
    stage_totals,
    why,
)

DASHBOARD_TITLE = "Accreditation dashboard"


def table(header: Sequence[str], rows: Iterable[Sequence[str]], numeric: int = 0) -> str:
    """A Markdown table; the last `numeric` columns are right-aligned."""
    align = ["---"] * (len(header) - numeric) + ["--:"] * numeric
    lines = [header, align, *rows]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def _date(timestamp: str | None) -> str:
    return timestamp[:10] if timestamp else "—"


def _link(text: str, url: str | None) -> str:
    return f"[{md(text)}]({url})" if url else md(text)


def summary(report: Report) -> str:
    parts = ["## Progress by cohort and course"]
    for cohort in report.cohorts:
        parts.append(
            f"### Cohort {md(cohort.cohort)} · {md(cohort.program_title)}: {md(cohort.path_title)}\n\n"
            f"{cohort.learners} learners, {cohort.accredited} accredited.\n\n"
            + table(
                ["Course", *(STAGE_WORDS[s] for s in STAGES)],
                ([md(c.title), *(str(c.counts[s]) for s in STAGES)] for c in cohort.courses),
                numeric=len(STAGES),
            )
        )
    if not report.cohorts:
        parts.append("No cohort to report.")
    return "\n\n".join(parts)


def grid(report: Report) -> str:
    parts = ["## Learners"]
    for cohort in report.cohorts:
        rows = [r for r in report.learners if r.cohort == cohort.cohort]
        header = ["Learner", *(md(c.title) for c in cohort.courses), "Accredited"]
        body = [
            [
                _link(row.username, row.epic_url),
                *(_link(STAGE_WORDS[c.stage], c.url) for c in row.courses),
                "yes" if row.accredited else "no",
            ]
            for row in rows
        ]
        parts.append(f"### Cohort {md(cohort.cohort)}\n\n" + table(header, body))
    return "\n\n".join(parts)


def time_to_badge(report: Report) -> str:
    rows = (
        [md(c.title), str(c.badges), days(c.median_days_to_badge), str(c.failures), str(c.retakes)]
        for c in report.courses
    )
    return (
        "## Time to badge\n\nMedian days from enrolment to badge; failing verdicts an assessor "
        "set, and retakes since passed.\n\n"
        + table(["Course", "Badges", "Median days", "Failures", "Retakes"], rows, numeric=4)
    )


def feedback(report: Report) -> str:
    """Per course: feedback issues, ratings, links to the open ones (never their text)."""
    if not report.feedback:
        return "## Course feedback\n\nNo course to report."
    rows = (
        [
            md(f.title),
            f"{f.open} / {f.closed}",
            str(f.ratings),
            "—" if f.average_rating is None else f"{f.average_rating:g}",
            " ".join(f"[#{iid}]({url})" for iid, url in f.open_issues) or "—",
        ]
        for f in report.feedback
    )
    return "## Course feedback\n\nFiled under each course by `sync`.\n\n" + table(
        ["Course", "Open / closed", "Ratings", "Average rating", "Open issues"], rows
    )


def managers(report: Report) -> str:
    """Learners grouped by their manager (from the cohort files)."""
    groups: dict[str, list[LearnerRow]] = {}
    for row in report.learners:
        groups.setdefault(row.manager or "", []).append(row)
    if not groups:
        return "## Learners by manager\n\nNo learner to report."
    rows = (
        [
            md(name) if name else "(no manager)",
            ", ".join(md(r.username) for r in mine),
            str(sum(r.accredited for r in mine)),
            str(sum(c.stage == "badge-awarded" for r in mine for c in r.courses)),
        ]
        for name, mine in sorted(groups.items(), key=lambda g: (not g[0], g[0].lower()))
    )
    return "## Learners by manager\n\n" + table(
        ["Manager", "Learners", "Accredited", "Badges"], rows, numeric=2
    )


def competencies(report: Report) -> str:
    """Which competencies each learner's awarded badges cover (only where a program has any)."""
    rows = [
        [md(r.username), md(r.cohort), ", ".join(r.competencies)]
        for r in report.learners
        if r.competencies
    ]
    cohorts = [[md(c.cohort), ", ".join(c.competencies)] for c in report.cohorts if c.competencies]
    if not rows:
        return "## Competencies\n\nNo awarded badge aligns to a competency yet."
    return (
        "## Competencies\n\nCovered by awarded badges.\n\n"
        + table(["Cohort", "Competencies"], cohorts)
        + "\n\n"
        + table(["Learner", "Cohort", "Competencies"], rows)
    )


def per_week(report: Report) -> str:
    if not report.badges_per_week:
        return "## Badges per week\n\nNo badge awarded yet."
    rows = ([week, str(count)] for week, count in report.badges_per_week.items())
    return "## Badges per week\n\n" + table(["Week of", "Badges"], rows, numeric=1)


def queue(report: Report, *, counts: bool) -> str:
    if not report.assessor_queue:
        return "## Assessor queue\n\nNobody is waiting for an assessment."
    header = ["Learner", "Cohort", "Course", "Waiting since", *(["Days"] if counts else [])]
    rows = (
        [
            md(q.username),
            md(q.cohort),
            _link(q.title, q.url),
            _date(q.since),
            *([days(q.days_waiting)] if counts else []),
        ]
        for q in report.assessor_queue
    )
    return "## Assessor queue\n\nOldest first.\n\n" + table(header, rows, numeric=int(counts))


def stalled(report: Report, *, counts: bool) -> str:
    title = f"## Stalled learners\n\nPast the due date, or no activity for more than {report.stalled_after_days} days."
    if not report.stalled:
        return title + "\n\nNobody is stalled."
    header = ["Learner", "Cohort", "Course", "Stage", "Due", "Last activity"]
    header += [*(["Idle days"] if counts else []), "Why"]
    rows = (
        [
            md(s.username),
            md(s.cohort),
            _link(s.title, s.url),
            STAGE_WORDS[s.stage],
            s.due_date or "—",
            _date(s.last_activity),
            *([days(s.days_idle)] if counts else []),
            why(s),
        ]
        for s in report.stalled
    )
    return title + "\n\n" + table(header, rows)


def render_markdown(report: Report) -> str:
    head = (
        f"# Accreditation report\n\nGenerated {report.generated_at} for {scope(report)}"
        + (f", the team of {md(report.manager)}" if report.manager else "")
        + ": "
        f"{counted(len(report.learners), 'learner')}, "
        f"{counted(badges_awarded(report), 'badge')} awarded."
    )
    sections = [
        head,
        summary(report),
        grid(report),
        queue(report, counts=True),
        stalled(report, counts=True),
        per_week(report),
        time_to_badge(report),
        feedback(report),
        exams.markdown(report, md),
        managers(report),
        competencies(report),
        *validity.markdown(report, table),
        *rubric.markdown(report, table, md),
    ]
    return "\n\n".join(section for section in sections if section) + "\n"


def _quoted(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def mermaid_stages(report: Report) -> str:
    slices = [(STAGE_WORDS[s], n) for s, n in stage_totals(report).items() if n]
    lines = ["```mermaid", "pie showData", '    title "Learners × courses by stage"']
    lines += [f"    {_quoted(word)} : {count}" for word, count in slices]
    return "\n".join([*lines, "```"])


def mermaid_weeks(report: Report) -> str:
    weeks = report.badges_per_week
    top = max(weeks.values(), default=0)
    return "\n".join(
        [
            "```mermaid",
            "xychart-beta",
            '    title "Badges awarded per week"',
            "    x-axis [" + ", ".join(_quoted(w) for w in weeks) + "]",
            f'    y-axis "Badges" 0 --> {max(top, 1)}',
            "    bar [" + ", ".join(str(n) for n in weeks.values()) + "]",
            "```",
        ]
    )


def dashboard_markdown(report: Report) -> str:
    """The dashboard issue's description: charts, then the report without clock-driven text."""
    charts = [mermaid_stages(report)] if any(stage_totals(report).values()) else []
    if report.badges_per_week:
        charts.append(mermaid_weeks(report))
    head = (
        f"# {DASHBOARD_TITLE}\n\nKept current by accred-ops for {scope(report)}: "
        f"{counted(len(report.learners), 'learner')}, "
        f"{counted(badges_awarded(report), 'badge')} awarded. "
        "Edits to this description are overwritten."
    )
    sections = [
        head,
        *charts,
        summary(report),
        queue(report, counts=False),
        stalled(report, counts=False),
        grid(report),
        per_week(report),
        time_to_badge(report),
        feedback(report),
        exams.markdown(report, md),
        managers(report),
        competencies(report),
        *validity.markdown(report, table),
        *rubric.markdown(report, table, md),
    ]
    return "\n\n".join(section for section in sections if section) + "\n"
