"""W3C Bitstring Status List: which bit of the published list each credential owns.

A credential carries its index for life, while the list is rebuilt from scratch at every
export; so an index must depend on the award alone, not on how many awards there are or in
what order they come. Each award hashes to a slot in a list of 2**20 bits; two awards that
hash to the same slot are settled by issue time (the earlier keeps it, the later takes the
next free one), so a new award never moves an existing one. The large list makes such
collisions rare, and gives revocations "herd privacy" (the spec's minimum is 2**17 bits);
compressed, it is still under 200 bytes while nearly empty.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
from collections.abc import Iterable, Sequence

SIZE = 2**20


def assign(award_ids: Sequence[str], size: int = SIZE) -> dict[str, int]:
    """Indexes for `award_ids`, given oldest first (ties broken by id by the caller)."""
    if len(award_ids) > size:
        raise ValueError(f"more than {size} awards do not fit one status list")
    taken: set[int] = set()
    indexes: dict[str, int] = {}
    for award_id in award_ids:
        slot = int.from_bytes(hashlib.sha256(award_id.encode()).digest()[:8], "big") % size
        while slot in taken:
            slot = (slot + 1) % size
        taken.add(slot)
        indexes[award_id] = slot
    return indexes


def encode(set_bits: Iterable[int], size: int = SIZE) -> str:
    """`encodedList`: multibase base64url ("u" prefix, no padding) of the GZIP'd bitstring.

    Index 0 is the left-most bit, i.e. the most significant bit of the first byte.
    GZIP's header timestamp is zeroed so that the same list gives the same bytes.
    """
    bits = bytearray(size // 8)
    for index in set_bits:
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")
