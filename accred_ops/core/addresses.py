"""Where the tool may send what it posts outside GitLab (chat webhooks, Credly): https, or
plain http only to this machine (a test receiver, a local relay), never in clear over a
network. Pure: the callers parse the URL and say in their own words what is wrong."""

from __future__ import annotations

import ipaddress


def sendable(scheme: str, host: str | None) -> bool:
    """An https address with a host, or an http one on localhost or a loopback address."""
    if scheme == "https":
        return bool(host)
    return scheme == "http" and _loopback(host or "")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
