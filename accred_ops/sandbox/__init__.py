"""A local emulator of the GitLab REST API v4 subset accred-ops uses: a stand-in for demos and
tests, never a place for real data.

    with Sandbox(seed) as sandbox:
        gl = gitlab.Gitlab(sandbox.url, private_token=sandbox.token_for("alice"))

It serves real HTTP on 127.0.0.1 with GitLab's JSON shapes, status codes, error bodies,
pagination headers, label events and system notes, so the production code path (python-gitlab
over HTTP) is the one tested. Everything lives in memory; stdlib only, but markdown-it-py for
the web pages.

Modules: `model` (records), `world` (lookups, permissions, labels), `markdown` (task lists,
quick actions), `changes` / `issuables` (what edits do), `views` / `views_issues` (JSON),
`filters`, `routes*` (handlers), `server` (HTTP), `faults`, `seed`, `snapshot`, `app`;
`pages/` the read-only web pages (boards, issues, epics) at GitLab's own paths.
"""

from __future__ import annotations

from accred_ops.sandbox.app import Sandbox, serve_forever
from accred_ops.sandbox.faults import Faults, RequestRecord
from accred_ops.sandbox.seed import DEFAULT_SEED

__all__ = ["DEFAULT_SEED", "Faults", "RequestRecord", "Sandbox", "serve_forever"]
