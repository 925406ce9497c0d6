"""Status list indexes stay with their award; the bitstring follows the W3C bit order."""

from __future__ import annotations

import base64
import gzip

from accred_ops.badges import statuslist


def test_an_index_depends_on_the_award_alone() -> None:
    alone = statuslist.assign(["award-b"])
    with_others = statuslist.assign(["award-a", "award-b", "award-c"])

    assert alone["award-b"] == with_others["award-b"]
    assert len(set(with_others.values())) == 3


def test_on_a_collision_the_older_award_keeps_its_slot() -> None:
    ids = [f"award-{n}" for n in range(8)]
    indexes = statuslist.assign(ids, size=8)  # a full list: some awards had to move on...

    assert sorted(indexes.values()) == list(range(8))
    newer = statuslist.assign(ids[:5], size=8)
    assert {i: indexes[i] for i in ids[:5]} == newer  # ...but adding newer ones moves no one


def test_encode_sets_the_left_most_bit_for_index_zero() -> None:
    encoded = statuslist.encode([0, 9, 131071], size=131072)

    assert encoded.startswith("u") and "=" not in encoded
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) == 16384
    assert bits[0] == 0b1000_0000 and bits[1] == 0b0100_0000 and bits[-1] == 0b0000_0001
    assert sum(bits[2:-1]) == 0
    assert statuslist.encode([9], size=131072) == statuslist.encode([9], size=131072)
