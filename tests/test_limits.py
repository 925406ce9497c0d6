"""The client-side limiter: requests beyond a minute's quota wait for the window to move."""

from __future__ import annotations

import pytest

from accred_ops.gitlab.limits import RateLimiter, kinds


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.mark.parametrize(
    ("method", "url", "expected"),
    [
        ("POST", "http://x/api/v4/projects/1/issues", ("api", "issues")),
        ("POST", "http://x/api/v4/groups/g/epics", ("api", "issues")),
        ("POST", "http://x/api/v4/projects/1/issues/3/notes", ("api", "notes")),
        ("PUT", "http://x/api/v4/projects/1/issues/3", ("api",)),
        ("GET", "http://x/api/v4/projects/1/issues?labels=a", ("api",)),
    ],
)
def test_kinds(method: str, url: str, expected: tuple[str, ...]) -> None:
    assert kinds(method, url) == expected


def test_within_quota_nobody_waits() -> None:
    clock = FakeClock()
    limiter = RateLimiter({"api": 3}, clock, clock.sleep)
    for _ in range(3):
        limiter.acquire(("api",))
    assert clock.slept == []


def test_over_quota_waits_until_the_oldest_request_leaves_the_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter({"api": 100, "notes": 2}, clock, clock.sleep)
    limiter.acquire(("api", "notes"))
    clock.now = 10
    limiter.acquire(("api", "notes"))
    limiter.acquire(("api", "notes"))
    assert clock.slept == [50]
    limiter.acquire(("api",))
    assert clock.slept == [50]


def test_unset_limit_is_unlimited() -> None:
    clock = FakeClock()
    limiter = RateLimiter({"api": 0}, clock, clock.sleep)
    for _ in range(1000):
        limiter.acquire(("api", "issues"))
    assert clock.slept == []


def test_a_wait_at_the_limit_is_announced_once_with_its_reason() -> None:
    clock = FakeClock()
    limiter = RateLimiter({"api": 2, "issues": 200}, clock, clock.sleep)
    said: list[str] = []
    limiter.on_wait = said.append
    for _ in range(3):
        limiter.acquire(("api",))
    assert said == [
        "waiting 60 s: the client rate limit (2 api requests a minute; gitlab.rate_limits in "
        "accred.yml) is reached"
    ]
