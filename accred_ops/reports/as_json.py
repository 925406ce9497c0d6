"""The report as JSON, in the stable shape documented in docs/report-format.md."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from accred_ops.core.report import SCHEMA, STAGES, Report
from accred_ops.reports import rubric, validity


def report_dict(report: Report) -> dict[str, Any]:
    """The documented shape (schema accred-ops/report@1); key order is part of it."""
    return {
        "schema": SCHEMA,
        "generated_at": report.generated_at,
        "cohort": report.cohort,
        "stalled_after_days": report.stalled_after_days,
        "stages": list(STAGES),
        "cohorts": [asdict(cohort) for cohort in report.cohorts],
        "learners": [asdict(learner) for learner in report.learners],
        "courses": [asdict(course) for course in report.courses],
        "badges_per_week": [
            {"week": week, "count": count} for week, count in report.badges_per_week.items()
        ],
        "assessor_queue": [asdict(item) for item in report.assessor_queue],
        "stalled": [asdict(item) for item in report.stalled],
        "manager": report.manager,
        "feedback": [
            {
                "program": f.program,
                "course": f.course,
                "title": f.title,
                "issues": f.issues,
                "open": f.open,
                "closed": f.closed,
                "ratings": f.ratings,
                "average_rating": f.average_rating,
                "open_issues": [{"iid": iid, "url": url} for iid, url in f.open_issues],
            }
            for f in report.feedback
        ],
        **validity.json_part(report),
        **rubric.json_items(report),
        "exams": [asdict(stats) for stats in report.exams],
    }


def render_json(report: Report) -> str:
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False) + "\n"
