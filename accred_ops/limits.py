"""Client-side rate limiting, so a large run stays under GitLab's limits instead of meeting 429s.

GitLab.com allows an authenticated user 2,000 API requests a minute, 200 issue (and epic)
creations and 60 comments on issues a minute (see the facts sheet). `RateLimiter` keeps a sliding
one-minute window per kind of request and makes a caller wait for a free slot; `LimitedSession`
puts every HTTP request python-gitlab sends (pages and retries included) through it.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

import requests
from requests.adapters import HTTPAdapter

GITLAB_COM = {"api": 2000, "issues": 200, "notes": 60}

_CREATES_ISSUE = re.compile(r"/(issues|epics)/?$")
_CREATES_NOTE = re.compile(r"/notes/?$")


def kinds(method: str, url: str) -> tuple[str, ...]:
    """Which limits a request counts against."""
    path = url.split("?", 1)[0]
    if method.upper() == "POST" and _CREATES_ISSUE.search(path):
        return ("api", "issues")
    if method.upper() == "POST" and _CREATES_NOTE.search(path):
        return ("api", "notes")
    return ("api",)


class RateLimiter:
    """Sliding one-minute windows per kind, shared by every thread of a run."""

    def __init__(
        self,
        per_minute: Mapping[str, int],
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.per_minute = {k: v for k, v in per_minute.items() if v}
        self.clock = clock
        self.sleep = sleep
        self.sent: dict[str, deque[float]] = {kind: deque() for kind in self.per_minute}
        self.lock = threading.Lock()
        self.waited = 0.0

    def _wait_needed(self, wanted: tuple[str, ...], now: float) -> float:
        wait = 0.0
        for kind in wanted:
            if kind not in self.per_minute:
                continue
            window = self.sent[kind]
            while window and now - window[0] >= 60:
                window.popleft()
            if len(window) >= self.per_minute[kind]:
                wait = max(wait, 60 - (now - window[0]))
        return wait

    def acquire(self, wanted: tuple[str, ...]) -> None:
        """Block until one more request of these kinds fits in every window, then count it."""
        while True:
            with self.lock:
                now = self.clock()
                wait = self._wait_needed(wanted, now)
                if wait <= 0:
                    for kind in wanted:
                        if kind in self.sent:
                            self.sent[kind].append(now)
                    return
                self.waited += wait
            self.sleep(wait)


class LimitedSession(requests.Session):
    """A requests session that waits for the limiter before each request, pooled for threads."""

    def __init__(self, limiter: RateLimiter, pool_size: int) -> None:
        super().__init__()
        self.limiter = limiter
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=max(10, pool_size))
        self.mount("http://", adapter)
        self.mount("https://", adapter)

    def request(
        self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:  # type: ignore[override]
        self.limiter.acquire(kinds(str(method), str(url)))
        return super().request(method, url, *args, **kwargs)
