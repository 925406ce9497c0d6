"""Kept for callers of the single-module layout: the GitLab client is `accred_ops.gitlab`."""

from accred_ops.gitlab import GitLabAdapter, gitlab_errors

__all__ = ["GitLabAdapter", "gitlab_errors"]
