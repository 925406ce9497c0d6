"""The `accred-ops` command line: thin click commands over the library.

Each command loads and validates every local file first (exit 2 on any problem, before any
request), calls one library function, prints its result, and maps errors to exit codes:
0 success, 1 GitLab/network failure or some learners failed, 2 bad input or usage.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import click

from accred_ops import __version__
from accred_ops.commands.common import (
    Context,
    _exit_codes,
    _now,
    _report,
    dry_run_option,
    pass_context,
    plural,
)
from accred_ops.commands.scores import scores
from accred_ops.core.context import Mode
from accred_ops.core.model import Workspace
from accred_ops.errors import InputError
from accred_ops.files.scores_csv import read_folder
from accred_ops.files.validate import preview_text, validate_workspace
from accred_ops.sync.results import LearnerResult, RunResult
from accred_ops.sync.session import Session
from accred_ops.sync.status import StatusRow


def _username(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A GitLab username, or exit 2: what is typed here reaches comments GitLab reads, and a
    line break in it would start a quick action there."""
    from accred_ops.files.schema import USERNAME

    if value is not None and not USERNAME.match(value):
        raise click.BadParameter(f"{value!r} is not a GitLab username")
    return value


def _http_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from accred_ops.files.schema import URL

    if value is not None and not URL.match(value):
        raise click.BadParameter(f"{value!r} is not an http(s) URL")
    return value


def _parse_shard(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        index, total = (int(part) for part in value.split("/"))
    except ValueError:
        raise click.BadParameter("use I/N, e.g. 2/4") from None
    if not 1 <= index <= total:
        raise click.BadParameter("I must be between 1 and N")
    return index, total


shard_option = click.option(
    "--shard",
    callback=_parse_shard,
    metavar="I/N",
    help="Only the learners of shard I of N (stable by username), for parallel CI jobs.",
)


class _Commands(click.Group):
    """Lists each command with its whole first sentence, wrapped, never cut at 45 characters."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [
            (name, command.get_short_help_str(limit=1000))
            for name in self.list_commands(ctx)
            if (command := self.get_command(ctx, name)) is not None and not command.hidden
        ]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="accred-ops")
@click.option(
    "--config",
    type=click.Path(dir_okay=False),
    help="Path of accred.yml (default: $ACCRED_CONFIG, else ./accred.yml).",
)
@click.pass_context
def main(ctx: click.Context, config: str | None) -> None:
    """Run a learning-accreditation program on GitLab: one epic per learner, one issue per
    course, checklists learners tick, verdict labels assessors set, and badges.

    The token comes from GITLAB_TOKEN only; the URL from GITLAB_URL, accred.yml or CI_SERVER_URL.
    """
    ctx.obj = Context(config)


@main.command()
@pass_context
def validate(ctx: Context) -> None:
    """Check accred.yml, curriculum, cohorts and templates, offline.

    Every problem is printed as file:line: message, and the exit code is 2.

    \b
    Examples:
      accred-ops validate
      accred-ops --config program/accred.yml validate
    """
    with _exit_codes():
        ws = ctx.workspace()
        summary = validate_workspace(ws, ctx.templates_dir(ws))
        read_folder(ctx.config_path.parent / "scores", ws)  # the scores/ a sync would import
        click.echo(summary)


@main.command()
@click.option("--cohort", "cohort_id", required=True, help="Cohort id.")
@click.option(
    "--learner", "username", required=True, callback=_username, help="A learner of that cohort."
)
@click.option("--course", "course_id", help="A course id: show its issue instead of the epic.")
@pass_context
def preview(ctx: Context, cohort_id: str, username: str, course_id: str | None) -> None:
    """Print a rendered learner epic, or course issue, offline.

    \b
    Examples:
      accred-ops preview 2026-q4 alice
      accred-ops preview 2026-q4 alice --course account-planning
    """
    with _exit_codes():
        ws = ctx.workspace()
        click.echo(
            preview_text(ws, ctx.templates_dir(ws), cohort_id, username, course_id), nl=False
        )


def _run_learners(
    ctx: Context,
    verb: str,
    run: Callable[[Session, Callable[[LearnerResult], None]], RunResult],
    cohort_id: str | None = None,
    plan_file: str | None = None,
) -> None:
    """Run, with progress on stderr: a bar on a terminal, one plain line per learner elsewhere
    (CI logs); then the report of every change on stdout."""
    with _exit_codes():
        session = ctx.session()
        session.gitlab.limiter.on_wait = lambda line: click.echo(line, err=True)
        total = sum(
            len(c.learners) for c in session.ws.cohorts.values() if cohort_id in (None, c.id)
        )
        if sys.stderr.isatty() and not os.environ.get("CI"):
            with click.progressbar(length=total, label=verb, file=sys.stderr) as bar:
                result = run(session, lambda _: bar.update(1))
        else:
            done = iter(range(1, total + 1))

            def log(learner: LearnerResult) -> None:
                outcome = "FAILED" if learner.error else plural(len(learner.lines), "change")
                click.echo(
                    f"[{next(done, total)}/{total}] @{learner.username}: {outcome}", err=True
                )

            result = run(session, log)
        if plan_file:
            from accred_ops.app.planfile import plan_markdown

            Path(plan_file).write_text(plan_markdown(result, verb, os.environ), encoding="utf-8")
        _report(result, verb)


@main.command()
@dry_run_option
@pass_context
def setup(ctx: Context, dry_run: bool) -> None:
    """Create missing labels in the group, and the board with one list per open stage.

    \b
    Examples:
      accred-ops setup --dry-run     # what it would create
      accred-ops setup
    """
    with _exit_codes():
        _report(ctx.session().setup(dry_run), "setup")


@main.command()
@click.option("--cohort", "cohort_id", help="Only this cohort.")
@shard_option
@dry_run_option
@pass_context
def enroll(
    ctx: Context, cohort_id: str | None, shard: tuple[int, int] | None, dry_run: bool
) -> None:
    """Open one epic (or, on GitLab Free, one learner issue) per learner with one issue per
    course, linked.

    \b
    Examples:
      accred-ops enroll --dry-run    # every change it would make, nothing written
      accred-ops enroll --cohort 2026-q4
    """
    _run_learners(
        ctx,
        "enroll",
        lambda s, cb: s.run(Mode.ENROLL, dry_run, cohort_id, on_learner=cb, shard=shard),
        cohort_id,
    )


@main.command()
@click.option("--cohort", "cohort_id", help="Only this cohort.")
@click.option("--learner", "username", callback=_username, help="Only this learner.")
@shard_option
@click.option(
    "--dashboard", "with_dashboard", is_flag=True, help="Then update the dashboard issue."
)
@click.option(
    "--full",
    is_flag=True,
    help="Read every issue and epic, not only what changed since the last sync.",
)
@click.option(
    "--plan",
    "plan_file",
    type=click.Path(dir_okay=False, writable=True),
    help="Also write the changes as Markdown to this file (for `mr-note`).",
)
@click.option(
    "--event",
    "event_file",
    metavar="FILE",
    help="Only the learner a GitLab webhook payload concerns (a file, `-` for stdin, or "
    "$TRIGGER_PAYLOAD in a triggered pipeline).",
)
@dry_run_option
@pass_context
def sync(
    ctx: Context,
    cohort_id: str | None,
    username: str | None,
    shard: tuple[int, int] | None,
    with_dashboard: bool,
    full: bool,
    plan_file: str | None,
    event_file: str | None,
    dry_run: bool,
) -> None:
    """Enroll what is missing, update stages, enforce verdict authority, award badges,
    refresh epics.

    \b
    Examples:
      accred-ops sync --dry-run --plan plan.md   # the plan, as Markdown too
      accred-ops sync --learner alice
      accred-ops sync --dashboard                # what the scheduled pipeline runs
    """
    if event_file is not None:
        if cohort_id or username or shard or with_dashboard or full or plan_file:
            raise click.UsageError("--event selects its learner itself: use it alone")
        _sync_event(ctx, event_file, dry_run)
        return

    def run(session: Session, progress: Callable[[LearnerResult], None]) -> RunResult:
        result = session.run(
            Mode.SYNC, dry_run, cohort_id, username, on_learner=progress, shard=shard, full=full
        )
        if with_dashboard:
            from accred_ops.app.reporting import update_dashboard

            # after an incremental sync that found nothing changed, the dashboard is current
            board = update_dashboard(session, _now(), dry_run, only_if_missing=result.quiet)
            if board.action == "unchanged":
                click.echo("dashboard unchanged", err=True)
            else:
                result.group_lines.append(f"dashboard {board.action}")
        return result

    _run_learners(ctx, "sync", run, cohort_id, plan_file)


def _sync_event(ctx: Context, event_file: str, dry_run: bool) -> None:
    """`sync --event`: the payload is read (exit 2 if unreadable) before any request; an event
    that concerns no learner is one plain line and exit 0."""
    from accred_ops.app.events import handle_payload
    from accred_ops.core.event import MAX_BYTES
    from accred_ops.errors import Problem

    with _exit_codes():
        ws = ctx.workspace()
        validate_workspace(ws, ctx.templates_dir(ws))
        if not event_file.strip():
            raise InputError(
                "--event: no payload file (in CI: $TRIGGER_PAYLOAD is set only in pipelines a "
                "webhook triggered)"
            )
        name = "<stdin>" if event_file == "-" else event_file
        try:
            cap = MAX_BYTES + 1  # enough to tell an oversized body, never all of it
            if event_file == "-":
                raw = sys.stdin.buffer.read(cap)
            else:
                with Path(event_file).open("rb") as payload:
                    raw = payload.read(cap)
        except OSError as err:
            raise InputError([Problem(name, 0, f"{name}: cannot read: {err.strerror}")]) from None
        outcome = handle_payload(ws, ctx.templates_dir(ws), raw, name, dry_run, now=_now())
        if outcome.result is None:
            click.echo(f"sync --event: {outcome.ignored}")
            return
        if outcome.selection:
            click.echo(f"sync --event: {outcome.selection.describe()}", err=True)
        _report(outcome.result, "sync")


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "csv", "json", "html"]),
    default="md",
    show_default=True,
    help="Markdown, CSV (one row per learner and course), JSON or one offline HTML page.",
)
@click.option("--cohort", "cohort_id", help="Only this cohort.")
@click.option("--manager", help="Only the learners this manager manages (cohort files).")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), help="Write to this file.")
@pass_context
def report(
    ctx: Context, fmt: str, cohort_id: str | None, manager: str | None, out: str | None
) -> None:
    """Program progress per cohort, course and learner, read from GitLab.

    \b
    Examples:
      accred-ops report
      accred-ops report --format html --out public/index.html
    """
    from accred_ops.app.reporting import read_report
    from accred_ops.reports import RENDERERS

    with _exit_codes():
        session = ctx.session()
        text = RENDERERS[fmt](read_report(session, _now(), cohort_id, manager))
        if out:
            Path(out).write_text(text, encoding="utf-8")
            click.echo(f"report written to {out}")
        else:
            click.echo(text, nl=False)


@main.command()
@click.option(
    "--to",
    "to",
    type=click.Choice(["epic", "issue"]),
    required=True,
    help="epic: group epics (GitLab Premium, Ultimate); issue: learner issues (GitLab Free).",
)
@dry_run_option
@pass_context
def migrate(ctx: Context, to: str, dry_run: bool) -> None:
    """Move every learner's path to epics or to learner issues, keeping all progress.

    \b
    Examples:
      accred-ops migrate --to issue --dry-run
      accred-ops migrate --to issue && accred-ops sync
    """
    from accred_ops.app.migrate import migrate as run_migration

    with _exit_codes():
        result = run_migration(ctx.session(), to, dry_run)
        if not dry_run and not result.failures:
            click.echo(
                f"now set `gitlab.tracking: {to}` in accred.yml, then run `accred-ops sync`",
                err=True,
            )
        _report(result, "migrate")


@main.command("mr-note")
@click.argument("plan_file", type=click.Path(dir_okay=False))
@click.option(
    "--project",
    default=lambda: os.environ.get("CI_MERGE_REQUEST_PROJECT_PATH"),
    help="The merge request's project path (default: $CI_MERGE_REQUEST_PROJECT_PATH).",
)
@click.option(
    "--mr",
    "mr_iid",
    type=int,
    default=lambda: os.environ.get("CI_MERGE_REQUEST_IID"),
    help="The merge request's iid (default: $CI_MERGE_REQUEST_IID).",
)
@pass_context
def mr_note(ctx: Context, plan_file: str, project: str | None, mr_iid: int | None) -> None:
    """Post a plan (`sync --dry-run --plan FILE`) on a merge request, editing the note it
    posted before rather than adding another.

    \b
    Examples (in a merge request pipeline, with ACCRED_PLAN_TOKEN as GITLAB_TOKEN):
      accred-ops sync --dry-run --plan plan.md
      accred-ops mr-note plan.md
      accred-ops mr-note plan.md --project field-enablement/accreditation --mr 12
    """
    from accred_ops.app.planfile import note_body

    with _exit_codes():
        if not project or not mr_iid:
            raise InputError(
                "no merge request: run in a merge request pipeline, or give --project and --mr"
            )
        if not Path(plan_file).is_file():
            raise InputError(f"{plan_file}: no such plan file (made by `sync --dry-run --plan`)")
        body = note_body(Path(plan_file).read_text(encoding="utf-8"))
        action, url = ctx.session().gitlab.upsert_merge_request_note(project, mr_iid, body)
        click.echo(f"plan note {action}: {url}")


@main.command()
@dry_run_option
@pass_context
def dashboard(ctx: Context, dry_run: bool) -> None:
    """Keep the "Accreditation dashboard" issue current (Markdown and Mermaid charts).
    With --dry-run, print the text it would write.

    \b
    Examples:
      accred-ops dashboard --dry-run
      accred-ops dashboard
    """
    from accred_ops.app.reporting import update_dashboard

    with _exit_codes():
        result = update_dashboard(ctx.session(), _now(), dry_run)
        click.echo(f"dashboard {result.action}" + (f": {result.url}" if result.url else ""))
        if result.text:
            click.echo(result.text, nl=False)


@main.command()
@click.argument("username", callback=_username)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table to read, json for scripts.",
)
@pass_context
def status(ctx: Context, username: str, fmt: str) -> None:
    """Show one learner's progress, read from GitLab.

    Exit 2 when USERNAME is in no cohort and has no course issue.

    \b
    Examples:
      accred-ops status alice
      accred-ops status alice --format json
    """
    import dataclasses
    import json

    from accred_ops.sync.status import status as learner_status

    with _exit_codes():
        session = ctx.session()
        rows = learner_status(session, username)
        if not rows:
            _check_listed(session.ws, username)
        if fmt == "json":
            courses = [dataclasses.asdict(r) for r in rows]
            click.echo(json.dumps({"username": username, "courses": courses}, indent=2))
            return
        if not rows:
            click.echo(
                f"@{username} is in a cohort but has no course issues yet: "
                "run `accred-ops enroll` (or wait for the scheduled sync)."
            )
            return
        _echo_status_table(username, rows)


def _check_listed(ws: Workspace, username: str) -> None:
    """A learner with no course issue must at least be in a cohort file: else a typo, likely."""
    learners = [lr.username for c in ws.cohorts.values() for lr in c.learners]
    if any(name.lower() == username.lower() for name in learners):
        return
    known = sorted(set(learners))
    shown = ", ".join(known[:10]) + (", ..." if len(known) > 10 else "")
    raise InputError(
        f"@{username} is in no cohort file and has no course issue in GitLab: "
        f"check the spelling (learners: {shown or 'none'})"
    )


def _echo_status_table(username: str, rows: list[StatusRow]) -> None:
    headers: tuple[str, ...] = ("Course", "Stage", "Exam", "Practical", "Badge", "Due")
    table = [
        (r.course, r.stage, r.exam, r.practical, r.badge or "—", r.due_date or "—") for r in rows
    ]
    if any(r.valid_until for r in rows):  # badges that expire (README: Badges that expire)
        headers += ("Validity",)
        table = [(*row, _validity_words(r)) for row, r in zip(table, rows, strict=True)]
    widths = [max(len(str(row[i])) for row in (headers, *table)) for i in range(len(headers))]
    click.echo(f"@{username} — {rows[0].program}: {rows[0].path}")
    for row in (headers, *table):
        click.echo(
            "  ".join(
                str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)
            ).rstrip()
        )
    for r in rows:  # imported exam scores, where a course has a pass mark
        click.echo("".join(f"  {r.course}: exam {attempt}\n" for attempt in r.attempts), nl=False)


def _validity_words(row: StatusRow) -> str:
    if row.expired_since:
        return f"expired since {row.expired_since}"
    return f"valid until {row.valid_until}, renews on {row.renews_on}" if row.valid_until else "—"


@main.command()
@click.argument("username", callback=_username)
@click.argument("course")
@click.option(
    "--reason",
    required=True,
    help="Why the badge is withdrawn. PUBLIC: in the issue comment, and published with the "
    "badge (Open Badges revocationReason, revocations.json, the Pages index).",
)
@click.option(
    "--private-reason",
    default="",
    help="Details kept only in the issue comment (seen by who can see the issue), never "
    "published with the badge.",
)
@click.option(
    "--by", callback=_username, help="Who revokes, a GitLab username (default: the token's user)."
)
@dry_run_option
@pass_context
def revoke(
    ctx: Context,
    username: str,
    course: str,
    reason: str,
    private_reason: str,
    by: str | None,
    dry_run: bool,
) -> None:
    """Withdraw a badge, on the record: a comment with the reason, the revoked stage label, the
    epic updated (and no longer accredited). Exit 2 when there is no such award.

    \b
    Examples:
      accred-ops revoke alice co-selling-with-partners --reason "Awarded in error"
      accred-ops revoke alice co-selling-with-partners --reason "Exam integrity" \\
          --private-reason "Answers matched another learner's (case 42)"
    """
    from accred_ops.sync.revoke import revoke as revoke_award

    with _exit_codes():
        result = revoke_award(ctx.session(), username, course, reason, by, dry_run, private_reason)
        if not result.change_count and not result.failures:
            click.echo(f"@{username}: this badge is already revoked; nothing to do", err=True)
        _report(result, "revoke")


@main.group()
def badges() -> None:
    """Publish the awards as Open Badges 2.0 / 3.0 files, or to Credly."""


@badges.command("export")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Folder to write.")
@click.option(
    "--base-url",
    required=True,
    callback=_http_url,
    help="Where the folder will be served, e.g. $CI_PAGES_URL/badges.",
)
@click.option(
    "--format",
    "formats",
    help="ob2, ob3 or ob2,ob3. ob3 signs with the PEM key in ACCRED_BADGE_KEY. "
    "Default: ob2, and ob3 too when ACCRED_BADGE_KEY is set.",
)
@pass_context
def badges_export(ctx: Context, out: str, base_url: str, formats: str | None) -> None:
    """Write the issuer, one BadgeClass and image per badge, one assertion (and signed
    credential) per award, and an index page: a static tree for GitLab Pages. Read from GitLab;
    the same awards give byte-identical files."""
    from accred_ops.app.awards import export_badges

    with _exit_codes():
        key = os.environ.get("ACCRED_BADGE_KEY", "").strip() or None
        wanted = _badge_formats(formats, key)
        result = export_badges(ctx.session(), out, base_url, wanted, key, _now())
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
        click.echo(
            f"badges: {plural(result.awards, 'award')} ({result.revoked} revoked), "
            f"{plural(len(result.written), 'file')} written, {len(result.removed)} removed, in {out}"
        )
        if result.pages:
            click.echo(f"award pages: {len(result.pages)} under awards/, each shared by its holder")


@badges.command("credly")
@dry_run_option
@pass_context
def badges_credly(ctx: Context, dry_run: bool) -> None:
    """Issue each award on record as a Credly badge (badges.credly in accred.yml), once, and
    revoke it with the public reason when the award is revoked."""
    from accred_ops.app.credly import publish

    with _exit_codes():
        result = publish(ctx.session(), dry_run)
        for note in result.notes:
            click.echo(f"credly: {note}", err=True)
        for line in result.lines:
            click.echo(f"  {'would ' if dry_run else ''}{line}")
        for failure in result.failures:
            click.echo(f"credly: failed: {failure}", err=True)
        verb = "would send" if dry_run else "sent"
        click.echo(f"credly: {verb} {plural(len(result.lines), 'change')}")
        if result.failures:
            raise SystemExit(1)


def _badge_formats(formats: str | None, key: str | None) -> list[str]:
    """The formats to write: as asked, or by default Open Badges 2.0, and 3.0 when a signing
    key is set (so a pipeline without a key stays green, and says what it left out)."""
    if formats is None:
        if key:
            click.echo("Open Badges 3.0: signing with the key in ACCRED_BADGE_KEY", err=True)
            return ["ob2", "ob3"]
        click.echo(
            "Open Badges 3.0 skipped: ACCRED_BADGE_KEY is not set (writing Open Badges 2.0 only)",
            err=True,
        )
        return ["ob2"]
    wanted = [f.strip() for f in formats.split(",") if f.strip()]
    if "ob3" in wanted and not key:
        raise InputError(
            "--format ob3 signs credentials with the PEM private key in ACCRED_BADGE_KEY, which "
            "is not set: create a key (README: the badge signing key) and set ACCRED_BADGE_KEY, "
            "or leave ob3 out"
        )
    return wanted


@main.command()
@click.option(
    "--keep", is_flag=True, help="Keep the sandbox running afterwards, to look at the board."
)
@click.option(
    "--reactive",
    is_flag=True,
    help="No schedule: webhooks run `sync --event` for each change, and the badge arrives "
    "seconds after the verdict.",
)
def demo(keep: bool, reactive: bool) -> None:
    """Run the whole flow against the built-in GitLab sandbox (no GitLab or token needed).

    It plays its own program, whatever the current folder holds.

    \b
    Examples:
      accred-ops demo
      accred-ops demo --keep      # then open the printed URL in a browser
      accred-ops demo --reactive  # no schedule: webhooks bring each badge in seconds
    """
    with _exit_codes():
        if reactive:
            from accred_ops.app.demo_reactive import run_reactive_demo

            run_reactive_demo(click.echo)
        else:
            from accred_ops.app.demo import run_demo

            run_demo(click.echo, keep=keep)


@main.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Overwrite files that exist already.")
@click.option(
    "--copied-pipeline",
    is_flag=True,
    help="Write the pipeline's jobs into .gitlab-ci.yml instead of including the accred-ops "
    "CI/CD component (for an instance without the CI/CD catalog).",
)
@click.option(
    "--component-project",
    default="tools/accred-ops",
    show_default=True,
    help="The project path of accred-ops on your GitLab, which publishes the component.",
)
def init(folder: str, force: bool, copied_pipeline: bool, component_project: str) -> None:
    """Write a program repository into FOLDER (default: here) that passes `validate` at once:
    accred.yml, the shipped curriculum as an example, a cohort, .gitlab-ci.yml pinned to this
    accred-ops, and the enrollment and course-feedback issue templates. Existing files are
    never overwritten without --force.

    \b
    Examples:
      accred-ops init
      accred-ops init my-program && cd my-program && accred-ops validate
    """
    from accred_ops.app.init import init as scaffold

    with _exit_codes():
        made = scaffold(Path(folder), force, copied_pipeline, component_project, _now().date())
        for name in made.written:
            click.echo(f"wrote {Path(folder) / name}")
        click.echo(f".gitlab-ci.yml installs {made.package}")
        if made.note:
            click.echo(f"note: {made.note}", err=True)
        click.echo(
            "next: set gitlab.group and gitlab.project in accred.yml, list your learners in "
            "cohorts/, then run `accred-ops validate`"
        )


@main.command()
@click.option("--port", default=0, show_default=True, help="Port on 127.0.0.1 (0: any free port).")
@click.option(
    "--seed",
    type=click.Path(exists=True, dir_okay=False),
    help="YAML file of users, groups (tier, members), projects (members); see the example above.",
)
def sandbox(port: int, seed: str | None) -> None:
    """Serve the GitLab sandbox by hand until interrupted: a stand-in for demos and tests,
    never a place for real data. Prints its URL and its users' tokens.

    \b
    Without --seed: accred-bot (Owner) and erin (Maintainer) in group field-enablement
    (Premium); alice, bob, carol Guests of project field-enablement/accreditation only; sam
    a Developer of field-enablement/assessors and a Reporter of the project; dana nowhere.

    \b
    A seed file:
      users:                      # token defaults to <username>-token
        - {username: accred-bot, name: Accred Bot, token: my-token, bot: true}
        - {username: alice}
        - {username: sam}
      groups:                     # parents first; tier on the top group: premium or free
        - path: field-enablement
          tier: premium
          members: [{username: accred-bot, access_level: 50}]
        - path: field-enablement/assessors
          members: [{username: sam, access_level: 30}]
      projects:
        - path: field-enablement/accreditation
          members: [{username: alice, access_level: 10}]

    \b
    access_level: 10 Guest, 20 Reporter, 30 Developer (default), 40 Maintainer, 50 Owner.
    Roles follow GitLab's: a Guest edits only issues they authored or are assigned to and
    never labels; a project member reads the parent group and its epics.
    """
    from accred_ops.sandbox import serve_forever

    serve_forever(port, seed, click.echo)


main.add_command(scores)

if __name__ == "__main__":
    main()
