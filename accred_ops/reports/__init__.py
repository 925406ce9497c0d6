"""Renderers of a core Report: Markdown, CSV, JSON, HTML, and the dashboard issue's Markdown.

Each is `render_<fmt>(report) -> str`; RENDERERS maps the `report --format` names to them.
"""

from __future__ import annotations

from collections.abc import Callable

from accred_ops.core.report import Report
from accred_ops.reports.as_csv import render_csv
from accred_ops.reports.as_html import render_html
from accred_ops.reports.as_json import render_json
from accred_ops.reports.as_markdown import DASHBOARD_TITLE, dashboard_markdown, render_markdown

RENDERERS: dict[str, Callable[[Report], str]] = {
    "md": render_markdown,
    "csv": render_csv,
    "json": render_json,
    "html": render_html,
}

__all__ = [
    "DASHBOARD_TITLE",
    "RENDERERS",
    "dashboard_markdown",
    "render_csv",
    "render_html",
    "render_json",
    "render_markdown",
]
