"""The adapter for a workspace: the token from the environment, the URL from the first place
that names one."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from accred_ops.core.model import Workspace
from accred_ops.errors import InputError
from accred_ops.gitlab import GitLabAdapter


def connect(ws: Workspace, env: Mapping[str, str] = os.environ, **options: float) -> GitLabAdapter:
    """The adapter for this workspace: GITLAB_TOKEN, and GITLAB_URL > accred.yml > CI_SERVER_URL."""
    token = env.get("GITLAB_TOKEN", "").strip()
    if not token:
        raise InputError(
            "GITLAB_TOKEN is not set: give accred-ops a GitLab access token with the api scope"
        )
    url = gitlab_url(ws, env)
    settings = ws.config.gitlab
    return GitLabAdapter(
        url,
        token,
        settings.group,
        settings.project,
        max_retries=int(env.get("ACCRED_MAX_RETRIES", "10")),
        rate_limits=dict(settings.rate_limits),
        concurrency=settings.concurrency,
        tracking=settings.tracking,
        api=settings.api,
        learner_label=ws.config.labels.learner_issue,
        **options,
    )


def gitlab_url(ws: Workspace, env: Mapping[str, str]) -> str:
    """GITLAB_URL > accred.yml > CI_SERVER_URL, as the instance's root: the `/api/v4` the
    sandbox prints as its API is understood (python-gitlab adds it again), and a URL without
    `https://` is refused with words rather than python-gitlab's `InvalidSchema`."""
    for source, url in (
        ("GITLAB_URL", env.get("GITLAB_URL")),
        ("gitlab.url in accred.yml", ws.config.gitlab.url),
        ("CI_SERVER_URL", env.get("CI_SERVER_URL")),
    ):
        url = (url or "").strip()
        if not url:
            continue
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError(
                f"{source} is {url!r}: a GitLab URL starts with https:// (or http://), "
                f"e.g. https://{url.split('://')[-1].strip('/') or 'gitlab.example.com'}"
            )
        return re.sub(r"/api/v4/?$", "", url.rstrip("/"))
    raise InputError("no GitLab URL: set GITLAB_URL, or gitlab.url in accred.yml")
