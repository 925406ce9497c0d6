"""Opening a run's session: the workspace checked, the GitLab connection, the texts (award
comments link the award's page), and the `scores/` folder a sync imports. Every command that
talks to GitLab starts here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from accred_ops.badges.links import attach
from accred_ops.core.model import Workspace
from accred_ops.files.scores_csv import read_folder
from accred_ops.files.validate import validate_workspace
from accred_ops.sync.connection import connect
from accred_ops.sync.scores import Folder
from accred_ops.sync.session import Session


def open_session(ws: Workspace, templates_dir: Path, scores_dir: Path, now: dt.datetime) -> Session:
    validate_workspace(ws, templates_dir)
    session = Session(ws, connect(ws), templates_dir, now=now)
    attach(session.texts, ws)
    rows, digest = read_folder(scores_dir, ws)
    session.scores = Folder(tuple(rows), digest)  # type: ignore[attr-defined]
    return session
