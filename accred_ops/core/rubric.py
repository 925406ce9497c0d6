"""A practical's rubric: criteria scored on a scale, the pass rule, and how several assessors'
score sheets agree or call for a moderator. Pure arithmetic over plain data.

A sheet is one assessor's scores, criterion id -> whole score on the rubric's scale. One sheet
passes when every criterion reaches `each_at_least` and their average `average_at_least` (either
rule may be absent). Several sheets agree when all pass or all fail and no criterion's scores
differ by more than `max_spread` points.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Sheet = Mapping[str, int]


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class Rubric:
    id: str
    criteria: tuple[Criterion, ...]
    scale_min: int = 1
    scale_max: int = 5
    levels: tuple[tuple[int, str], ...] = ()  # score -> its name ("Basic"), where named
    each_at_least: int | None = None
    average_at_least: float | None = None
    assessors: int = 1  # how many different eligible assessors must score
    max_spread: int | None = None  # the most one criterion's scores may differ
    exclude_manager: bool = False  # the learner's manager (cohort file) may not score

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.criteria)

    def level(self, score: float) -> str:
        """The name of the level a score reaches (rounded half up), or the number itself."""
        whole = min(self.scale_max, max(self.scale_min, int(score + 0.5)))
        return dict(self.levels).get(whole, str(whole))

    def level_words(self, score: float) -> str:
        """How a result reads beside its number: the name of the level it reaches (rounded half
        up); where that level has no name, the named levels it lies between ("between Proficient
        and Advanced"), or beyond ("below Proficient"); the number only on a scale without names."""
        whole = min(self.scale_max, max(self.scale_min, int(score + 0.5)))
        named = dict(self.levels)
        if whole in named or not named:
            return self.level(score)
        below = [n for n in named if n < whole]
        above = [n for n in named if n > whole]
        if below and above:
            return f"between {named[max(below)]} and {named[min(above)]}"
        return f"below {named[min(above)]}" if above else f"above {named[max(below)]}"

    def rule_text(self) -> str:
        """The pass rule in words, as the tally comment states it."""
        parts = []
        if self.each_at_least is not None:
            parts.append(f"every criterion at least {self.each_at_least}")
        if self.average_at_least is not None:
            parts.append(f"an average of at least {_number(self.average_at_least)}")
        return " and ".join(parts) or "any score"


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def average(sheet: Mapping[str, float]) -> float:
    return sum(sheet.values()) / len(sheet) if sheet else 0.0


def passes(rubric: Rubric, sheet: Mapping[str, float]) -> bool:
    """Whether one set of scores meets the pass rule."""
    if rubric.each_at_least is not None and any(
        sheet.get(cid, rubric.scale_min - 1) < rubric.each_at_least for cid in rubric.ids
    ):
        return False
    if rubric.average_at_least is not None:
        scores = {cid: sheet.get(cid, rubric.scale_min - 1) for cid in rubric.ids}
        return average(scores) >= rubric.average_at_least - 1e-9
    return True


def unmeetable(rubric: Rubric) -> str | None:
    """Why no score can pass this rubric, or None: the best sheet (every criterion at the top
    of the scale) must pass."""
    best = {cid: rubric.scale_max for cid in rubric.ids}
    if passes(rubric, best):
        return None
    return (
        f"no score can pass: the scale tops out at {rubric.scale_max}, but the rule asks for "
        f"{rubric.rule_text()}"
    )


def averages(rubric: Rubric, sheets: Sequence[Sheet]) -> dict[str, float]:
    """Each criterion's average over the sheets, in the rubric's order."""
    if not sheets:
        return {}
    return {cid: sum(s[cid] for s in sheets) / len(sheets) for cid in rubric.ids}


def disagreement(rubric: Rubric, sheets: Sequence[Sheet]) -> str | None:
    """Why these sheets disagree (one passes and another fails, or a criterion's scores spread
    more than `max_spread`), or None when they agree."""
    outcomes = {passes(rubric, sheet) for sheet in sheets}
    if len(outcomes) > 1:
        return "one assessor's scores pass and another's fail"
    if rubric.max_spread is None or len(sheets) < 2:
        return None
    for cid in rubric.ids:
        spread = max(s[cid] for s in sheets) - min(s[cid] for s in sheets)
        if spread > rubric.max_spread:
            return f"the scores for '{cid}' differ by {spread} points (at most {rubric.max_spread})"
    return None


def encode(scores: Mapping[str, float]) -> str:
    """Scores as one marker value: `discovery_4.5:plan_3` (ids are slugs: no `_`, `:` or `.`)."""
    return ":".join(f"{cid}_{_number(value)}" for cid, value in scores.items())


def decode(text: str) -> dict[str, float]:
    """The scores `encode` wrote; anything unreadable is left out."""
    found: dict[str, float] = {}
    for pair in text.split(":")[:100]:
        cid, _, value = pair.partition("_")
        try:
            found[cid] = float(value)
        except ValueError:
            continue
    return found


@dataclass(frozen=True)
class ScoreSheet:
    """One person's valid scoring comment."""

    who: str
    scores: dict[str, int]
    note_id: int


@dataclass(frozen=True)
class Tally:
    """What a tally comment says (and its marker proves)."""

    round: int
    passed: bool
    scores: dict[str, float]  # each criterion's result: the average, or the moderator's
    by: tuple[str, ...]  # the assessors (and moderator) the verdict rests on
    moderator: str | None = None
