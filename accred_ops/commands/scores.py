"""`accred-ops scores import`: exam results into verdicts (accred_ops/app/scoring.py does the work).

Everything local is checked first: the files, the signature when one is given, every row of
the results file. Any problem is exit 2 with `file:line: message`, and nothing is sent.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from accred_ops.commands.common import Context, dry_run_option, exit_codes, pass_context, print_run
from accred_ops.errors import InputError
from accred_ops.files.scores_csv import FORMATS, PLAIN, read_file, read_scores
from accred_ops.files.validate import validate_workspace


@click.group()
def scores() -> None:
    """Exam scores: imported with the course's pass mark, as the tool's own verdicts."""


@scores.command("import")
@click.argument("file", metavar="FILE")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=PLAIN,
    show_default=True,
    help="plain: username/email, course, score, max_score, taken_at, attempt_id. "
    "google-forms: a quiz's response export as it is (with --course).",
)
@click.option("--course", "course_id", help="The course of a Google Forms export.")
@click.option(
    "--signature",
    help="sha256=<hex>: HMAC-SHA256 of the file's bytes with the secret in "
    "ACCRED_SCORES_SECRET; a missing or wrong one is refused.",
)
@dry_run_option
@pass_context
def import_(
    ctx: Context,
    file: str,
    fmt: str,
    course_id: str | None,
    signature: str | None,
    dry_run: bool,
) -> None:
    """Turn exam results into score comments and exam verdicts on the course issues.

    \b
    Examples:
      accred-ops scores import results.csv --dry-run
      accred-ops scores import quiz.csv --format google-forms --course account-planning
      accred-ops scores import payload.csv --signature "sha256=$SCORES_SIGNATURE"
    """
    from accred_ops.app.scoring import check_signature, import_scores

    with exit_codes():
        ws = ctx.workspace()
        validate_workspace(ws, ctx.templates_dir(ws))
        if fmt != "google-forms" and course_id:
            raise InputError("--course is for --format google-forms (a plain file names courses)")
        shown = "<stdin>" if file == "-" else file
        data = sys.stdin.buffer.read() if file == "-" else read_file(Path(file))
        if signature is not None:
            check_signature(data or b"", signature, os.environ.get("ACCRED_SCORES_SECRET"))
        placed = read_scores(data, shown, ws, fmt, course_id)
        session = ctx.session()
        print_run(import_scores(session, placed, dry_run), "scores import")
