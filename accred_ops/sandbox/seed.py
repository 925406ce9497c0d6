"""Seeds: users, groups (with tier and members) and projects that a world starts with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from accred_ops.sandbox.world import World

LEARNERS = ("alice", "bob", "carol")

# The world `Sandbox()` builds with no seed: an owner bot, three learners (Reporter), an assessor
# who is a Developer of the assessors subgroup only, and dana, who belongs nowhere.
DEFAULT_SEED: dict[str, Any] = {
    "users": [
        {"username": "accred-bot", "name": "Accred Bot"},
        *({"username": name} for name in LEARNERS),
        {"username": "sam"},
        {"username": "dana"},
    ],
    "groups": [
        {
            "path": "field-enablement",
            "tier": "premium",
            "members": [
                {"username": "accred-bot", "access_level": 50},
                *({"username": name, "access_level": 20} for name in LEARNERS),
            ],
        },
        {
            "path": "field-enablement/assessors",
            "members": [{"username": "sam", "access_level": 30}],
        },
    ],
    "projects": [{"path": "field-enablement/accreditation"}],
}


def load_file(path: str | Path) -> dict[str, Any]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a seed is a mapping with users, groups and projects")
    return data


def _members(world: World, target: Any, specs: list[dict[str, Any]], where: str) -> None:
    for spec in specs or []:
        username = spec.get("username")
        if not username or world.find_user(username) is None:
            raise ValueError(f"seed: {where} names unknown user {username!r}")
        world.set_member(target, username, int(spec.get("access_level", 30)))


def build(world: World, seed: dict[str, Any]) -> None:
    """Create the seed's users, then groups (parents first), then projects."""
    unknown = set(seed) - {"users", "groups", "projects"}
    if unknown:
        raise ValueError(f"seed: unknown keys {sorted(unknown)}")
    for spec in seed.get("users") or []:
        world.add_user(
            spec["username"], spec.get("token"), spec.get("name"), spec.get("email") or ""
        )
    for spec in seed.get("groups") or []:
        group = world.add_group(spec["path"], spec.get("tier"), spec.get("name"))
        _members(world, group, spec.get("members"), f"group {spec['path']}")
    for spec in seed.get("projects") or []:
        project = world.add_project(spec["path"], spec.get("name"))
        _members(world, project, spec.get("members"), f"project {spec['path']}")
