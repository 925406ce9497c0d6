"""GitLab's errors as accred-ops's own: messages that say what to check, never the token."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import gitlab
import requests

from accred_ops.errors import AuthenticationError, GitLabError
from accred_ops.gitlab.limits import Unreachable

TRANSIENT = {500, 502, 503, 504, *range(520, 531)}


@contextlib.contextmanager
def gitlab_errors(what: str) -> Iterator[None]:
    """Turn python-gitlab and requests errors into our own, with advice and never the token."""
    try:
        yield
    except gitlab.GitlabAuthenticationError:
        raise AuthenticationError(
            "GitLab rejected the token (401): it is invalid, expired or revoked. "
            "Set GITLAB_TOKEN to a valid personal, project or group access token with the api scope."
        ) from None
    except gitlab.GitlabError as err:  # HTTP errors and python-gitlab's per-operation subclasses
        raise GitLabError(_explain(what, err.response_code, err.error_message)) from None
    except Unreachable as err:
        raise GitLabError(
            f"{what}: cannot reach GitLab at {err.url}: {err.why}. Check the URL (GITLAB_URL, "
            "else gitlab.url in accred.yml, else CI_SERVER_URL) and the network"
        ) from None
    except requests.RequestException as err:
        where = f" at {err.request.url.split('/api/v4', 1)[0]}" if err.request else ""
        raise GitLabError(
            f"{what}: cannot reach GitLab{where} ({type(err).__name__}); check the URL and the network"
        ) from None


def _explain(what: str, code: int | None, message: Any) -> str:
    if code == 403:
        return (
            f"{what}: forbidden (403): the token needs the api scope, and its user needs at least "
            "the Reporter role in the group and project"
        )
    if code == 404:
        return f"{what}: not found (404): check the group and project paths in accred.yml, and that the token's user can see them"
    if code == 429:
        return f"{what}: GitLab kept answering 429 Too Many Requests; try again later or lower the request rate"
    return f"{what}: GitLab answered {code}: {message}"
