"""`export`: every award as Open Badges files, in a static tree ready for GitLab Pages.

The tree is a pure function of its inputs: same curriculum, awards, key and seed give
byte-identical files, so a scheduled pipeline republishes without noise and a diff of two
exports shows exactly what changed. Files are rewritten only when their bytes change, and
files a previous export made that match no award any more are removed, so a badge that
disappears from GitLab disappears from the site.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accred_ops.badges import jsonld, layout, ob2, ob3, statuslist
from accred_ops.badges.curriculum import Badge, badges_of
from accred_ops.badges.images import badge_svg
from accred_ops.badges.layout import Urls
from accred_ops.badges.model import Award, Issuer
from accred_ops.badges.page import Entry, render
from accred_ops.core.model import Program
from accred_ops.errors import InputError

if TYPE_CHECKING:
    from accred_ops.badges.signing import Signer

FORMATS = ("ob2", "ob3")
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # validFrom of an empty status list
P256_NOTE = (
    "the P-256 key signs the VC-JWT credentials (.jwt) only: the JSON-LD credentials with an "
    "embedded proof (.json, what wallets such as the Learner Credential Wallet verify) need "
    "an Ed25519 key"
)


@dataclass(frozen=True)
class ExportResult:
    """What the export did, for the command line to report (paths relative to `out`)."""

    out: Path
    files: tuple[str, ...]  # every file the tree now holds, sorted
    written: tuple[str, ...]  # created or changed by this run
    removed: tuple[str, ...]  # stale files of a previous export, deleted
    awards: int
    revoked: int
    warnings: tuple[str, ...] = ()


def export(
    out: Path,
    base_url: str,
    issuer: Issuer,
    programs: Sequence[Program],
    awards: Sequence[Award],
    *,
    formats: Sequence[str] = ("ob2",),
    signing_key: str | None = None,
    salt_seed: str = "",
) -> ExportResult:
    """Write the badge tree for `awards` under `out`, to be served at `base_url`.

    `formats`: "ob2" (hosted Open Badges 2.0 assertions) and/or "ob3" (Open Badges 3.0
    credentials signed as VC-JWT with `signing_key`, a PEM Ed25519 or P-256 private key).
    `salt_seed` keys the recipient salts (see `layout.salt`). Raises InputError for bad
    input (unknown format, no key for ob3, two awards of one badge to one learner).
    """
    formats = _check_formats(formats, signing_key)
    urls = Urls.of(base_url)
    entries = _entries(programs, awards)
    badges = badges_of(programs, awards)
    files: dict[str, bytes] = {
        layout.ISSUER: _json(ob2.issuer_profile(urls, issuer)),
        layout.INDEX: render(issuer, badges, entries, formats).encode(),
    }
    files |= _badge_files(urls, badges)
    revoked = [(e.award_id, e.award) for e in entries if e.award.revoked]
    files[layout.REVOCATIONS] = _json(ob2.revocation_list(urls, revoked))
    if "ob2" in formats:
        for e in entries:
            salt = layout.salt(e.award_id, salt_seed)
            doc = ob2.assertion(urls, e.badge, e.award, e.award_id, salt)
            files[layout.assertion_file(e.award_id)] = _json(doc)
    notes = _warnings(issuer, programs, entries, formats, signing_key)
    if "ob3" in formats:
        from accred_ops.badges.signing import Signer  # needs `cryptography`; ob2 does not

        assert signing_key is not None, "checked above"
        signer = Signer(signing_key, urls(layout.KEYS))
        files.update(_ob3(urls, issuer, entries, signer, salt_seed))
        if not signer.ed25519:
            notes += (P256_NOTE,)
    written, removed = _write(Path(out), files)
    return ExportResult(
        out=Path(out),
        files=tuple(sorted(files)),
        written=written,
        removed=removed,
        awards=len(entries),
        revoked=len(revoked),
        warnings=notes,
    )


def _ob3(
    urls: Urls, issuer: Issuer, entries: Sequence[Entry], signer: Signer, salt_seed: str
) -> dict[str, bytes]:
    """Signed credentials, the status list that revokes them, and the key to check both."""
    oldest_first = sorted(entries, key=lambda e: (layout.iso(e.award.issued_on), e.award_id))
    indexes = statuslist.assign([e.award_id for e in oldest_first])
    files = {layout.JWKS: _json(signer.jwks()), _key_file(signer): _json(signer.jwk)}
    linked = signer.ed25519  # Data Integrity (eddsa-rdfc-2022) needs an Ed25519 key
    for e in entries:
        salt = layout.salt(e.award_id, salt_seed)
        doc = ob3.credential(urls, issuer, e.badge, e.award, e.award_id, salt, indexes[e.award_id])
        doc = {**jsonld.award_validity(e.award), **doc}
        files[layout.credential_file(e.award_id)] = _jwt(signer, doc)
        if linked:
            ld = jsonld.credential(urls, doc, e.award_id)
            files[jsonld.credential_file(e.award_id)] = _json(
                jsonld.sign(urls, ld, signer.sign_raw)
            )
    revoked = sorted(indexes[e.award_id] for e in entries if e.award.revoked)
    latest = max((layout.utc(e.award.issued_on) for e in entries), default=None)
    status = ob3.status_list(urls, revoked, latest or EPOCH)
    files[layout.STATUS_LIST] = _jwt(signer, status)
    if linked:
        ld_status = jsonld.status_list(urls, revoked, latest or EPOCH)
        files[jsonld.STATUS_LIST] = _json(jsonld.sign(urls, ld_status, signer.sign_raw))
        where, document = jsonld.did_document(urls, signer.public_raw())
        files[where] = _json(document)
    return files


def _key_file(signer: Signer) -> str:
    """The bare JWK's path in the tree: the last segment of the `kid` URL, under keys/."""
    return f"{layout.KEYS}/{signer.kid.rsplit('/', 1)[1]}"


def _badge_files(urls: Urls, badges: Sequence[Badge]) -> dict[str, bytes]:
    """Each badge's class (JSON) and image (SVG), beside each other."""
    files: dict[str, bytes] = {}
    for badge in badges:
        files[badge.stem + ".json"] = _json(ob2.badge_class(urls, badge))
        files[badge.stem + ".svg"] = badge_svg(badge).encode()
    return files


def _check_formats(formats: Sequence[str], signing_key: str | None) -> tuple[str, ...]:
    if isinstance(formats, str):
        formats = (formats,)
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown or not formats:
        raise InputError(f"badge formats must be among {', '.join(FORMATS)}, not {unknown}")
    if "ob3" in formats and not signing_key:
        raise InputError("Open Badges 3.0 credentials need a signing key (a PEM private key)")
    return tuple(f for f in FORMATS if f in formats)


def _entries(programs: Sequence[Program], awards: Sequence[Award]) -> list[Entry]:
    """Each award with its badge and id; one learner holds a given badge at most once."""
    badges = {badge.key: badge for badge in badges_of(programs, awards)}
    seen: dict[str, Award] = {}
    entries = []
    for award in awards:
        award_id = layout.award_id(award)
        if award_id in seen:
            name = award.course.id if award.course else f"path {award.path.id}"
            raise InputError(f"@{award.learner} has two awards of the same badge ({name})")
        seen[award_id] = award
        badge = badges[(award.program.id, award.path.id, award.course.id if award.course else "")]
        entries.append(Entry(badge, award, award_id))
    return sorted(entries, key=lambda e: e.award_id)


def _warnings(
    issuer: Issuer,
    programs: Sequence[Program],
    entries: Sequence[Entry],
    formats: Sequence[str],
    signing_key: str | None,
) -> tuple[str, ...]:
    notes = []
    if "ob2" in formats and not issuer.email:
        notes.append("the issuer has no email: Open Badges 2.0 validators require one")
    if signing_key and "ob3" not in formats:
        notes.append("a signing key was given but ob3 was not asked for: nothing was signed")
    known = {badge.key for badge in badges_of(programs, ())}
    for badge in sorted({e.badge.key: e.badge for e in entries}.values(), key=lambda b: b.key):
        if badge.key not in known:
            notes.append(f"badge {badge.stem} is no longer in the curriculum; kept for its awards")
    return tuple(notes)


def _json(doc: Any) -> bytes:
    return (json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()


def _jwt(signer: Signer, doc: dict[str, Any]) -> bytes:
    return (signer.sign(ob3.jwt_claims(doc)) + "\n").encode()


def _write(out: Path, files: dict[str, bytes]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Write what changed; delete what the export owns but no longer produces."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} exists and is not a folder")
    written = []
    for relative, data in sorted(files.items()):
        target = out / relative
        if target.is_file() and not target.is_symlink() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)  # never write through a symlink left in the tree
        target.write_bytes(data)
        written.append(relative)
    stale = [name for name in layout.OWNED_FILES if name not in files and (out / name).is_file()]
    for folder in layout.OWNED_DIRS:
        for root, _, names in os.walk(out / folder):  # does not follow symlinked folders
            stale += [
                relative
                for relative in (Path(root, name).relative_to(out).as_posix() for name in names)
                if relative not in files
            ]
    for relative in stale:
        (out / relative).unlink()
    for folder in layout.OWNED_DIRS:  # then the folders that the deletions emptied
        for root, _, _ in sorted(os.walk(out / folder), reverse=True):
            if not any(Path(root).iterdir()):
                Path(root).rmdir()
    return tuple(written), tuple(sorted(stale))
