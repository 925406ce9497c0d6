"""The report as one self-contained HTML page: inline CSS and SVG, no script, no URL at all.

The file is meant to be mailed or archived and opened offline, so it references nothing
outside itself; issues are named by their GitLab reference (`#12`), not linked.
"""

from __future__ import annotations

from collections.abc import Sequence

from accred_ops.core.report import SCHEMA, STAGES, Report
from accred_ops.reports import exams, rubric, validity
from accred_ops.reports.common import (
    ACCREDITED_COLOR,
    STAGE_COLORS,
    STAGE_WORDS,
    badges_awarded,
    days,
    ink,
    scope,
    why,
)
from accred_ops.reports.svg import esc, learner_grid, stage_bars, week_columns

CSS = """
:root{--ink:#1f1e24;--muted:#626168;--line:#e4e4e7;--soft:#f4f4f5;--bg:#f7f6fa;--accent:#6b4fbb}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);
font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,sans-serif}
main{max-width:1100px;margin:0 auto;padding:36px 24px 56px}
header{border-left:5px solid var(--accent);padding-left:16px;margin-bottom:24px}
h1{font-size:28px;line-height:1.2;margin:0 0 6px;letter-spacing:-.01em}
h2{font-size:19px;margin:0 0 4px}
h3{font-size:14px;margin:22px 0 8px;color:var(--muted);font-weight:600}
h3.cohort{color:var(--ink);font-size:15px;padding-top:18px;border-top:1px solid var(--line)}
h3.cohort span{color:var(--muted);font-weight:400}
p{margin:0}
.meta,.note{color:var(--muted);font-size:14px}
.note{margin-bottom:12px}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:0 0 16px}
.kpi{background:#fff;border:1px solid var(--line);border-radius:10px;padding:14px 16px}
.kpi b{display:block;font-size:30px;line-height:1.1;font-variant-numeric:tabular-nums}
.kpi span{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em}
.card{background:#fff;border:1px solid var(--line);border-radius:12px;padding:20px 24px;margin:16px 0}
.legend{display:flex;flex-wrap:wrap;gap:6px 18px;font-size:13px;color:var(--muted);margin:8px 0 4px}
.legend i{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:6px;vertical-align:-1px}
svg{display:block;width:100%;height:auto;font-family:inherit}
.scroll,.chart{overflow-x:auto}
.chart svg{min-width:680px}
.chart+.chart{margin-top:14px}
table{width:100%;border-collapse:collapse;font-size:14px}
th{text-align:left;font-size:12px;font-weight:600;color:var(--muted);text-transform:uppercase;
letter-spacing:.04em;padding:6px 10px;border-bottom:1px solid var(--line);white-space:nowrap}
td{padding:8px 10px;border-bottom:1px solid var(--soft);vertical-align:top;white-space:nowrap}
td.wrap{white-space:normal;min-width:12em}
tr:last-child td{border-bottom:0}
.num{text-align:right;font-variant-numeric:tabular-nums}
.ref{color:var(--muted);font-variant-numeric:tabular-nums}
.pill{display:inline-block;padding:1px 9px;border-radius:999px;font-size:12px;font-weight:600;white-space:nowrap}
.empty{color:var(--muted);font-style:italic}
footer{color:var(--muted);font-size:12px;margin-top:28px;text-align:center}
@media (max-width:640px){main{padding:20px 12px}.card{padding:16px 14px}h1{font-size:23px}}
@media print{body{background:#fff}.card,.kpi{break-inside:avoid}}
"""


def pill(stage: str) -> str:
    colour = STAGE_COLORS[stage]
    return (
        f'<span class="pill" style="background:{colour};color:{ink(colour)}">'
        f"{esc(STAGE_WORDS[stage])}</span>"
    )


def legend(stages: Sequence[str] = STAGES) -> str:
    items = [
        f'<span><i style="background:{STAGE_COLORS[s]}"></i>{esc(STAGE_WORDS[s])}</span>'
        for s in stages
    ]
    items.append(f'<span><i style="background:{ACCREDITED_COLOR}"></i>Path accredited</span>')
    return '<div class="legend">' + "".join(items) + "</div>"


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: Sequence[int] = (),
    wrap: Sequence[int] = (),
) -> str:
    """A table of escaped cells: `numeric` columns right-aligned, only `wrap` ones wrap."""

    def cells(tag: str, values: Sequence[str]) -> str:
        kinds = [
            ("num" if i in numeric else "wrap" if i in wrap else "") for i in range(len(values))
        ]
        return "".join(
            f'<{tag} class="{kind}">{v}</{tag}>' if kind else f"<{tag}>{v}</{tag}>"
            for kind, v in zip(kinds, values, strict=True)
        )

    head = f"<thead><tr>{cells('th', [esc(h) for h in header])}</tr></thead>"
    body = "".join(f"<tr>{cells('td', row)}</tr>" for row in rows)
    return f'<div class="scroll"><table>{head}<tbody>{body}</tbody></table></div>'


def chart(svg: str) -> str:
    """A chart keeps a readable size on a phone: it scrolls sideways instead of shrinking."""
    return f'<div class="chart">{svg}</div>'


def card(title: str, note: str, content: str) -> str:
    note_html = f'<p class="note">{note}</p>' if note else ""
    return f'<section class="card"><h2>{esc(title)}</h2>{note_html}{content}</section>'


def kpis(report: Report) -> str:
    figures = [
        ("Learners", len(report.learners)),
        ("Paths accredited", sum(row.accredited for row in report.learners)),
        ("Badges awarded", badges_awarded(report)),
        ("Awaiting assessment", len(report.assessor_queue)),
        ("Stalled", len(report.stalled)),
    ]
    return (
        '<div class="kpis">'
        + "".join(
            f'<div class="kpi"><b>{n}</b><span>{esc(label)}</span></div>' for label, n in figures
        )
        + "</div>"
    )


def progress(report: Report) -> str:
    if not report.cohorts:
        return card("Progress by course", "", '<p class="empty">No cohort to report.</p>')
    parts = [legend()]
    for cohort in report.cohorts:
        rows = [r for r in report.learners if r.cohort == cohort.cohort]
        parts.append(
            f'<h3 class="cohort">Cohort {esc(cohort.cohort)} <span>· '
            f"{esc(cohort.program_title)}: {esc(cohort.path_title)} · {cohort.learners} "
            f"learners · {cohort.accredited} accredited</span></h3>"
        )
        parts.append(chart(stage_bars(cohort.courses, cohort.learners)))
        parts.append(chart(learner_grid([c.title for c in cohort.courses], rows)))
    note = "Each bar is one course; each square one learner in one course, coloured by stage."
    return card("Progress by cohort", esc(note), "".join(parts))


def badges(report: Report) -> str:
    weeks = (
        chart(week_columns(report.badges_per_week))
        if report.badges_per_week
        else '<p class="empty">No badge awarded yet.</p>'
    )
    rows = [[esc(c.title), str(c.badges), days(c.median_days_to_badge)] for c in report.courses]
    medians = table(["Course", "Badges", "Median days to badge"], rows, numeric=(1, 2), wrap=(0,))
    note = "Badges awarded per week (weeks start on Monday); time from enrolment to badge."
    return card("Badges over time", esc(note), weeks + "<h3>Time to badge</h3>" + medians)


def queue(report: Report) -> str:
    if not report.assessor_queue:
        return card("Assessor queue", "", '<p class="empty">Nobody is waiting.</p>')
    rows = [
        [
            esc(q.username),
            esc(q.cohort),
            f'{esc(q.title)} <span class="ref">#{q.issue_iid}</span>',
            esc((q.since or "—")[:10]),
            days(q.days_waiting),
        ]
        for q in report.assessor_queue
    ]
    header = ["Learner", "Cohort", "Course", "Waiting since", "Days"]
    return card("Assessor queue", "Oldest first.", table(header, rows, numeric=(4,), wrap=(2,)))


def stalled(report: Report) -> str:
    note = esc(
        f"Open courses past their due date, or with no activity for more than "
        f"{report.stalled_after_days} days."
    )
    if not report.stalled:
        return card("Stalled learners", note, '<p class="empty">Nobody is stalled.</p>')
    rows = [
        [
            esc(s.username),
            esc(s.cohort),
            f'{esc(s.title)} <span class="ref">#{s.issue_iid}</span>',
            pill(s.stage),
            esc(s.due_date or "—"),
            esc((s.last_activity or "—")[:10]),
            days(s.days_idle),
            esc(why(s)),
        ]
        for s in report.stalled
    ]
    header = ["Learner", "Cohort", "Course", "Stage", "Due", "Last activity", "Idle days", "Why"]
    return card("Stalled learners", note, table(header, rows, numeric=(6,), wrap=(2, 7)))


def feedback(report: Report) -> str:
    """Course feedback per course; open issues named by number (this file links nowhere)."""
    if not report.feedback:
        return card("Course feedback", "", '<p class="empty">No course to report.</p>')
    rows = [
        [
            esc(f.title),
            str(f.open),
            str(f.closed),
            str(f.ratings),
            "—" if f.average_rating is None else f"{f.average_rating:g}",
            esc(" ".join(f"#{iid}" for iid, _ in f.open_issues) or "—"),
        ]
        for f in report.feedback
    ]
    header = ["Course", "Open", "Closed", "Ratings", "Average", "Open issues"]
    return card(
        "Course feedback",
        "Filed under each course by sync.",
        table(header, rows, numeric=(1, 2, 3, 4), wrap=(0, 5)),
    )


def teams(report: Report) -> str:
    """Learners by manager, with the competencies their badges cover and failed verdicts."""
    if not report.learners:
        return card("Learners by manager", "", '<p class="empty">No learner to report.</p>')
    rows = [
        [
            esc(r.manager or "—"),
            esc(r.username),
            esc(r.cohort),
            str(sum(c.stage == "badge-awarded" for c in r.courses)),
            esc(", ".join(r.competencies) or "—"),
        ]
        for r in sorted(
            report.learners, key=lambda r: ((r.manager or "~").lower(), r.username.lower())
        )
    ]
    header = ["Manager", "Learner", "Cohort", "Badges", "Competencies"]
    retakes = [
        [esc(c.title), str(c.failures), str(c.retakes)] for c in report.courses if c.failures
    ]
    extra = (
        "<h3>Failing verdicts and retakes</h3>"
        + table(["Course", "Failures", "Retakes"], retakes, numeric=(1, 2), wrap=(0,))
        if retakes
        else ""
    )
    return card("Learners by manager", "", table(header, rows, numeric=(3,), wrap=(4,)) + extra)


def render_html(report: Report) -> str:
    title = "Accreditation report"
    meta = (
        f"{esc(scope(report).capitalize())} · generated {esc(report.generated_at)} · "
        f"stalled after {report.stalled_after_days} days"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{CSS}</style></head><body><main>"
        f'<header><h1>{title}</h1><p class="meta">{meta}</p></header>'
        f"{kpis(report)}{progress(report)}{queue(report)}{stalled(report)}{badges(report)}"
        f"{feedback(report)}{exams.html(report)}{teams(report)}"
        f"{validity.html(report, card, table, esc)}{rubric.html(report, card, table, esc)}"
        f"<footer>accred-ops · {SCHEMA}</footer>"
        "</main></body></html>\n"
    )
