"""`badges credly`: the awards on record (awards.py reads them as `badges export` does) sent to
Credly, each once. Run it after `sync` (the pipeline's pages job does); `--dry-run` says what it
would send and calls nothing. One award's failure is named and the others go on; it is tried
again by the next run."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from accred_ops.app.awards import read_awards
from accred_ops.credly import plan
from accred_ops.credly.client import Client, CredlyError
from accred_ops.errors import InputError
from accred_ops.sync.ownnote import OwnNote
from accred_ops.sync.session import Session


@dataclass
class CredlyResult:
    dry_run: bool
    lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def publish(session: Session, dry_run: bool, make_client: type[Client] = Client) -> CredlyResult:
    config = session.ws.config.credly
    if config is None:
        raise InputError(
            "accred.yml has no badges.credly (organization_id, token_variable, templates)"
        )
    token = os.environ.get(config.token_variable, "").strip()
    if not token and not dry_run:
        raise InputError(
            f"{config.token_variable} is not set: it must hold the Credly organization's API "
            "token (a masked CI/CD variable)"
        )
    place = OwnNote(plan.TITLE, plan.ISSUE_TEXT, plan.NOTE_KIND)
    record = plan.parse(place.read(session))
    steps, notes = plan.plan(read_awards(session), config, record)
    result = CredlyResult(dry_run, notes=notes)
    client = (
        None
        if dry_run
        else make_client(config.api_url, config.organization_id, token, config.token_variable)
    )
    for step in steps:
        body = _body(session, step)
        if client is None:
            result.lines.append(step.describe(body, config.organization_id))
            continue
        try:
            record[step.key] = _send(client, step, body, plan.siblings(record, step.key))
        except CredlyError as err:
            result.failures.append(f"@{step.award.learner} ({step.badge}): {err}")
            continue
        place.write(session, plan.render(record))
        result.lines.append(
            f"{step.kind}d Credly badge {record[step.key]['id']} "
            f"for @{step.award.learner} ({step.badge})"
        )
    return result


def _body(session: Session, step: plan.Step) -> dict[str, object]:
    if step.kind == "revoke":
        return plan.revoke_body(step)
    return plan.issue_body(step, session.gitlab.display_name(step.award.learner))


def _send(
    client: Client, step: plan.Step, body: dict[str, object], known: set[str]
) -> dict[str, str]:
    """One call (an issue after its lookup, which passes over the badges `known` for the
    badge's other awards): what the record then says of this award."""
    if step.kind == "revoke":
        client.revoke(step.badge_id, body)
        return {"id": step.badge_id, "state": "revoked"}
    found = client.find(str(step.award.email), step.template, known)
    badge_id = str(found["id"]) if found else client.issue(body)
    return {"id": badge_id, "state": "issued"}
