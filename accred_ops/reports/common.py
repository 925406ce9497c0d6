"""What every renderer shares: stage words and colours, and a few small formatters."""

from __future__ import annotations

from accred_ops.core.progress import STAGE_TABLE, Stage
from accred_ops.core.report import NOT_ENROLLED, OVERDUE, STAGES, Report, StalledItem
from accred_ops.core.setup import LABEL_STYLE

# How each stage reads in a table cell or a legend (short: they fill grid cells).
STAGE_WORDS: dict[str, str] = {
    NOT_ENROLLED: "Not enrolled",
    Stage.ENROLLED.value: "Enrolled",
    Stage.IN_PROGRESS.value: "In progress",
    Stage.ASSESSMENT.value: "Assessment",
    Stage.BADGE_AWARDED.value: "Awarded",
    Stage.REVOKED.value: "Revoked",
}
# The board's label colours (setup.LABEL_STYLE), so the report reads like the board.
STAGE_COLORS: dict[str, str] = {
    NOT_ENROLLED: "#dcdcde",
    **{stage.value: LABEL_STYLE[STAGE_TABLE[stage][0]][0] for stage in Stage},
}
ACCREDITED_COLOR = LABEL_STYLE["accredited"][0]

assert tuple(STAGE_WORDS) == STAGES == tuple(STAGE_COLORS)


def counted(count: int, word: str) -> str:
    """`1 learner`, `2 learners`: counts read as English in every format."""
    return f"{count} {word}" + ("" if count == 1 else "s")


def ink(background: str) -> str:
    """Dark or white text, whichever reads better on `background` (#rrggbb)."""
    red, green, blue = (int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "#1f1e24" if luminance > 0.55 else "#ffffff"


def stage_totals(report: Report) -> dict[str, int]:
    """Learner × course places at each stage, over every cohort and course in the report."""
    totals = dict.fromkeys(STAGES, 0)
    for cohort in report.cohorts:
        for course in cohort.courses:
            for stage, count in course.counts.items():
                totals[stage] += count
    return totals


def badges_awarded(report: Report) -> int:
    return sum(course.badges for course in report.courses)


def days(value: float | int | None) -> str:
    return "—" if value is None else f"{value:g}"


def scope(report: Report) -> str:
    return f"cohort {report.cohort}" if report.cohort else "all cohorts"


def why(item: StalledItem) -> str:
    """Why a learner is stalled, in words (no day count: the dashboard must not change daily)."""
    words = []
    for reason in item.reasons:
        if reason == OVERDUE:
            late = len(item.overdue)
            words.append("past due date" + (f" ({late} courses)" if late > 1 else ""))
        else:
            words.append("no activity")
    return ", ".join(words)
