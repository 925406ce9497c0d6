"""The seal on a learner record (core/seal.py): only the key's holder makes one, it binds the
record to the object it is on, and the latest seal wins."""

from __future__ import annotations

from accred_ops.core import record, seal
from accred_ops.core.marker import EpicKey
from accred_ops.core.record import LearnerRecord
from accred_ops.core.state import Epic, Note

KEY = b"k" * 32
REC = LearnerRecord(EpicKey("alice", "sal", "t"), "q4", issues={"c1": 11}, awards={"c1": ("sam",)})


def _epic(description: str, id: int = 5) -> Epic:
    return Epic(id, 1, "t", description, (), "opened", "", author="ghost")


def test_a_sealed_record_verifies_only_on_its_own_object_and_with_the_key() -> None:
    text = seal.seal(KEY, 5, "Path\n\n" + record.render(REC), at=1000)
    assert seal.sealed_at(KEY, 5, text) == 1000
    assert seal.sealed_at(KEY, 6, text) is None  # copied onto another object
    assert seal.sealed_at(b"x" * 32, 5, text) is None  # someone else's key
    assert seal.unsealed(text).rstrip("\n") == "Path\n\n" + record.render(REC)
    assert KEY.decode() not in text


def test_a_tampered_record_does_not_verify() -> None:
    text = seal.seal(KEY, 5, record.render(REC), at=1000)
    forged = text.replace('"c1":["sam"]', '"c1":["sam"],"c2":["sam"]')
    assert forged != text and seal.sealed_at(KEY, 5, forged) is None
    assert seal.sealed_at(KEY, 5, record.render(REC)) is None  # no seal at all


def test_text_without_a_record_is_left_alone() -> None:
    assert seal.seal(KEY, 5, "no record here", at=1) == "no record here"


def test_of_several_sealed_comments_the_latest_counts_so_a_replay_loses() -> None:
    revoked = REC.with_revoked("c1")
    old = seal.seal(KEY, 5, record.render(REC), at=1000)
    new = seal.seal(KEY, 5, record.render(revoked), at=2000)
    notes = [
        Note(1, old, "ghost", False, ""),
        Note(2, new, "ghost", False, ""),
        Note(3, old, "mallory", False, ""),
    ]  # an older copy posted again
    found, note = seal.sealed_record(KEY, _epic("learner issue", 5), notes, in_note=True)
    assert found == revoked and note is not None and note.id == 2
    assert seal.sealed_record(KEY, _epic("x", 9), notes, in_note=True) == (None, None)


def test_epic_mode_reads_the_sealed_description() -> None:
    epic = _epic(seal.seal(KEY, 5, record.render(REC), at=1))
    assert seal.sealed_record(KEY, epic, None, in_note=False)[0] == REC
    assert seal.sealed_record(KEY, _epic(record.render(REC)), None, in_note=False) == (None, None)
