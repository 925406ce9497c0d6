"""The learner's epic (or learner issue, on GitLab Free): what the planner asks of it.

Created with its description and record, or kept current: the progress table, the record (in
the epic's text, or the tool's own comment in issue mode), the epic's stage labels and state, and
the path badge's comment once every course is awarded. Pure; `core/planner.py` calls it after
the course issues are decided, and places creations first and the rest last.
"""

from __future__ import annotations

from collections.abc import Sequence

from accred_ops.core import marker, record, renewal, score_record
from accred_ops.core.context import CourseOutcome, LearnerContext, ProgressRow
from accred_ops.core.model import LearningPath, Program
from accred_ops.core.plan import Change, CommentOnEpic, CreateEpic, UpdateEpic, WriteRecord
from accred_ops.core.progress import STAGE_TABLE, Stage, stage_labels, verdict_word
from accred_ops.core.proof import bot_note, path_marker
from accred_ops.core.state import LearnerState


def epic_title(program: Program, path: LearningPath, username: str) -> str:
    return f"{program.title}: {path.title} — @{username}"


def progress_table(
    ctx: LearnerContext,
    outcomes: Sequence[CourseOutcome],
    on_record: record.LearnerRecord | None = None,
) -> str:
    rows = [
        ProgressRow(
            course=o.course.title,
            url=o.issue.web_url if o.issue else None,
            stage=renewal.stage_words(STAGE_TABLE[o.stage][1], o.renewing, o.expired),
            exam=score_record.exam_cell(
                verdict_word(ctx.labels, o.course, "exam", o.labels_after),
                ctx.labels,
                o.course,
                on_record,
                o.labels_after,
            ),
            practical=verdict_word(ctx.labels, o.course, "practical", o.labels_after),
            badge=o.course.badge_name
            if o.stage is Stage.BADGE_AWARDED or (o.renewing and not o.expired)
            else "—",
        )
        for o in outcomes
    ]
    awarded = sum(o.stage is Stage.BADGE_AWARDED for o in outcomes)
    return ctx.texts.progress(rows, awarded)


def plan_record_note(
    ctx: LearnerContext, state: LearnerState, wanted: record.LearnerRecord
) -> list[Change]:
    """Issue mode: the record in the tool's own comment on the learner issue, edited in place."""
    assert state.epic is not None
    body = record.note_text(wanted)
    note = state.record_note
    if note is not None and note.body == body:
        return []
    mine = note is not None and note.author.lower() == ctx.authority.bot.lower()
    # An earlier tool user's comment cannot be edited: the token's user posts the record anew
    return [WriteRecord(ctx.epic_key, state.epic.iid, note.id if note and mine else None, body)]


def _epic_stage(ctx: LearnerContext, outcomes: Sequence[CourseOutcome]) -> str | None:
    if any(o.expired for o in outcomes):  # the path lapses while a course badge is expired
        return ctx.labels.expired
    if all(o.stage is Stage.BADGE_AWARDED or o.renewing for o in outcomes):
        return ctx.labels.accredited
    if any(o.stage is not Stage.ENROLLED for o in outcomes):
        return ctx.labels.in_progress
    return None


def plan_epic(
    ctx: LearnerContext,
    state: LearnerState,
    outcomes: Sequence[CourseOutcome],
    creating: bool,
    wanted_record: record.LearnerRecord,
) -> list[Change]:
    """The learner's epic (or learner issue): created, or its progress section, record, stage
    labels and state kept current, with the path badge's comment once every course is awarded."""
    labels = ctx.labels
    progress = progress_table(ctx, outcomes, wanted_record)
    wanted_stage = _epic_stage(ctx, outcomes)
    epic = state.epic
    if epic is None:
        return [_create_epic(ctx, progress, wanted_stage, wanted_record)]
    description = None if creating else marker.replace_section(epic.description, progress)
    if description is not None and not ctx.record_in_note:
        description = record.put(description, wanted_record)
    if description == epic.description:
        description = None
    epic_stages = set(stage_labels(labels)) | {labels.accredited, labels.expired}
    remove = tuple(label for label in epic.labels if label in epic_stages and label != wanted_stage)
    add = tuple(
        label
        for label in (*ctx.identity_labels(), wanted_stage)
        if label and label not in epic.labels
    )
    changes: list[Change] = []
    state_event = None
    why = ""
    if wanted_stage == labels.accredited:
        if epic.state != "closed" or labels.accredited not in epic.labels:
            changes += _path_award(ctx, state)
            if epic.state != "closed":
                state_event, why = "close", "every course badge awarded"
    elif labels.accredited in epic.labels and epic.state == "closed":
        state_event, why = "reopen", "not every course badge stands"
    if description is not None or add or remove or state_event:
        changes.append(
            UpdateEpic(ctx.epic_key, epic.iid, description, add, remove, state_event, why)
        )
    return changes


def _create_epic(
    ctx: LearnerContext,
    progress: str,
    wanted_stage: str | None,
    wanted_record: record.LearnerRecord,
) -> CreateEpic:
    description = ctx.texts.learner_epic(ctx.program, ctx.path, ctx.cohort, ctx.username, progress)
    if not ctx.record_in_note:  # epic mode: the record lives in the epic, from its creation
        description = record.put(description, wanted_record)
    wanted = (*ctx.identity_labels(), *([wanted_stage] if wanted_stage else []))
    title = epic_title(ctx.program, ctx.path, ctx.username)
    return CreateEpic(ctx.epic_key, title, description, wanted)


def _path_award(ctx: LearnerContext, state: LearnerState) -> list[Change]:
    """The path badge's comment on the epic, unless the tool's own one is there already."""
    epic = state.epic
    assert epic is not None
    notes = state.epic_notes or ()
    if bot_note(notes, "path-award", ctx.authority.bot, path=ctx.path.id):
        return []
    body = ctx.texts.path_award(ctx.program, ctx.path, ctx.username, path_marker(ctx.path))
    why = f'path badge "{ctx.path.title}"'
    return [CommentOnEpic(ctx.epic_key, epic.id, epic.iid, body, why)]
