"""The session as a stage sees it: what the stages of the sync read and keep of one run.

`sync/session.py`'s `Session` is the one implementation; it imports and runs the stages, so the
stages name this protocol (under `TYPE_CHECKING`), never the module that imports them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from accred_ops.core.context import Routing
from accred_ops.core.marker import EpicKey
from accred_ops.core.model import Workspace
from accred_ops.core.progress import Authority
from accred_ops.core.state import Epic, LearnerState
from accred_ops.core.tooluser import ToolUser
from accred_ops.gitlab import GitLabAdapter
from accred_ops.render import Texts


class Session(Protocol):
    ws: Workspace
    gitlab: GitLabAdapter
    texts: Texts
    now: dt.datetime  # the run's clock (ACCRED_NOW pins it)
    foreign: list[Epic]  # tracking objects others authored (sync/handover.py)
    synced: dict[str, str]  # web_url -> version read, of the learners a run synced
    book: Any  # chat notifications' ledger: sync/notifying.py's Book, or None

    @property
    def bot(self) -> ToolUser: ...
    @property
    def _issue_mode(self) -> bool: ...
    def adopt_epics(self) -> bool: ...
    def authority(self, full: bool) -> Authority: ...
    def assessor_names(self) -> tuple[str, ...]: ...
    def assessor_mentions(self) -> tuple[str, ...]: ...
    def routing(self) -> Routing: ...
    def read_program(
        self, program_id: str, search: str | None = None
    ) -> dict[EpicKey, LearnerState]: ...
    def fingerprint(self) -> str: ...
