"""`expiring` under attack (attack 50 in docs/security.md): a learner's own labels and issues
announce no renewal; only the renewal the tool opens, from its learner record's award days, is
announced, once. The sandbox's clock is moved, never the real date."""

from __future__ import annotations

from tests.e2e.test_notifications_expiry import OTHER, chat  # noqa: F401 (fixture)
from tests.e2e.test_sync import COURSES, FIRST, _enrolled
from tests.e2e.timed_world import ROLLING, World, _accredited, _later, _validity
from tests.e2e.timed_world import timed as timed
from tests.notify.chat import Chat


def test_a_learners_own_expired_label_or_renewal_issue_announces_nothing(
    timed: World,
    chat: Chat,  # noqa: F811
) -> None:
    _validity(timed, ROLLING)
    _enrolled(timed)
    _accredited(timed, "alice")
    _later(timed, 100)  # 2027-04-14: long before the renewal opens (2027-06-04)
    alice = timed.person("alice")
    alice.add_label(alice.find_issue(FIRST, "alice"), "accreditation::expired")
    fake = alice.project.issues.create(
        {"title": f"{FIRST} — @alice — renewal 2027-H2", "labels": "accreditation::expired"}
    )
    for _ in range(2):
        assert timed.cli("sync").exit_code == 0
    assert chat.at(OTHER) == []
    _later(timed, 51)  # 2027-06-04: the tool's own renewals open: one message per badge
    for _ in range(2):
        assert timed.cli("sync").exit_code == 0
    said = chat.at(OTHER)
    assert len(said) == len(COURSES) and {b["event"] for b in said} == {"expiring"}
    assert all(not b["url"].endswith(f"/{fake.iid}") for b in said)
