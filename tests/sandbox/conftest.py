"""Sandbox fixtures: a running default world and python-gitlab clients for its users."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import gitlab
import pytest

from accred_ops.sandbox import Sandbox

PROJECT = "field-enablement/accreditation"
GROUP = "field-enablement"


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def gl_for(sb: Sandbox) -> Callable[..., gitlab.Gitlab]:
    def make(username: str = "accred-bot", **options: object) -> gitlab.Gitlab:
        return gitlab.Gitlab(sb.url, private_token=sb.token_for(username), **options)  # type: ignore[arg-type]

    return make


@pytest.fixture
def bot(gl_for: Callable[..., gitlab.Gitlab]) -> gitlab.Gitlab:
    return gl_for("accred-bot")


@pytest.fixture
def project(bot: gitlab.Gitlab):
    return bot.projects.get(PROJECT)


@pytest.fixture
def group(bot: gitlab.Gitlab):
    return bot.groups.get(GROUP)
