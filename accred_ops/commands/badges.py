"""`badges export` and `badges credly`: the awards published as Open Badges files or to
Credly."""

from __future__ import annotations

import os

import click

from accred_ops.commands.common import (
    Context,
    dry_run_option,
    exit_codes,
    now_for_run,
    pass_context,
    plural,
)
from accred_ops.errors import InputError


def _http_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from accred_ops.files.schema import URL

    if value is not None and not URL.match(value):
        raise click.BadParameter(f"{value!r} is not an http(s) URL")
    return value


@click.group()
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

    with exit_codes():
        key = os.environ.get("ACCRED_BADGE_KEY", "").strip() or None
        wanted = _badge_formats(formats, key)
        result = export_badges(ctx.session(), out, base_url, wanted, key, now_for_run())
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

    with exit_codes():
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
