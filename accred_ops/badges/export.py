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
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accred_ops.badges import award_page, jsonld, layout, ob2, ob3, raster, statuslist
from accred_ops.badges.award_page import AwardPage, status_of
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
Json = dict[str, Any]
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
    pages: tuple[tuple[str, str], ...] = ()  # (award id, award page URL: a folder), ob3 only


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
    public_holders: bool = False,
    now: dt.datetime | None = None,
) -> ExportResult:
    """Write the badge tree for `awards` under `out`, to be served at `base_url`.

    `formats`: "ob2" (hosted 2.0 assertions) and/or "ob3" (3.0 credentials: VC-JWT signed
    with `signing_key`, PEM Ed25519 or P-256; JSON-LD with a Data Integrity proof if Ed25519;
    a page per award). `salt_seed` keys the recipient salts (`layout.salt`); `public_holders`
    names holders on the index; `now`: the award pages' clock (expiry). InputError: bad input.
    """
    formats = _check_formats(formats, signing_key)
    urls = Urls.of(base_url)
    entries = _entries(programs, awards)
    badges = badges_of(programs, awards)
    files: dict[str, bytes] = {
        layout.ISSUER: _json(ob2.issuer_profile(urls, issuer)),
        layout.INDEX: render(issuer, badges, entries, formats, public_holders).encode(),
    }
    files |= _badge_files(urls, badges)
    revoked = [(e.award_id, e.award) for e in entries if e.award.revoked]
    files[layout.REVOCATIONS] = _json(ob2.revocation_list(urls, revoked))
    if "ob2" in formats:
        files |= _ob2(urls, entries, salt_seed)
    notes = _warnings(issuer, programs, entries, formats, signing_key)
    pages: dict[str, str] = {}
    if "ob3" in formats:
        pages, p256 = _signed(urls, issuer, entries, signing_key or "", salt_seed, now, files)
        notes += (P256_NOTE,) if p256 else ()
    written, removed = _write(Path(out), files)
    return ExportResult(
        out=Path(out),
        files=tuple(sorted(files)),
        written=written,
        removed=removed,
        awards=len(entries),
        revoked=len(revoked),
        warnings=notes,
        pages=tuple(sorted((a, urls(rel.removesuffix("index.html"))) for a, rel in pages.items())),
    )


def _signed(
    urls: Urls,
    issuer: Issuer,
    entries: Sequence[Entry],
    signing_key: str,
    salt_seed: str,
    now: dt.datetime | None,
    files: dict[str, bytes],
) -> tuple[dict[str, str], bool]:
    """The Open Badges 3.0 part, added to `files`: credentials, status lists, keys, pages.
    Returns the award pages (award id -> path) and whether the key was P-256."""
    from accred_ops.badges.signing import Signer  # needs `cryptography`; ob2 does not

    signer = Signer(signing_key, urls(layout.KEYS))
    signed, docs = _ob3(urls, issuer, entries, signer, salt_seed)
    files |= signed
    return _award_pages(urls, issuer, entries, docs, signer, files, now), not signer.ed25519


def _award_pages(
    urls: Urls,
    issuer: Issuer,
    entries: Sequence[Entry],
    docs: dict[str, Json],
    signer: Signer,
    files: dict[str, bytes],
    now: dt.datetime | None,
) -> dict[str, str]:
    """Each award's page, added to `files`; returns award id -> page path."""
    pages = pages_of(urls, entries, signer)
    for e in entries:
        doc = docs[e.award_id]
        page = AwardPage(
            issuer=issuer,
            entry=e,
            credential=doc,
            url=urls(pages[e.award_id].removesuffix("index.html")),
            downloads=_downloads(urls, e.award_id, files),
            image_png=urls(e.badge.stem + ".png"),
            status=status_of(e, doc, now),
        )
        files[pages[e.award_id]] = award_page.render(page).encode()
    return pages


def pages_of(urls: Urls, entries: Sequence[Entry], signer: Signer) -> dict[str, str]:
    """Each award's page path (relative), named by a hash keyed with the signing key."""
    secret = signer.derive("award-page")
    return {e.award_id: award_page.page_file(award_page.token(e.award_id, secret)) for e in entries}


def _downloads(urls: Urls, award_uuid: str, files: dict[str, bytes]) -> tuple[tuple[str, str], ...]:
    """The forms of one award the tree holds, for the page's download buttons."""
    forms = (
        ("Credential (JSON-LD, for wallets)", jsonld.credential_file(award_uuid)),
        ("Credential (VC-JWT)", layout.credential_file(award_uuid)),
        ("Open Badges 2.0 assertion", layout.assertion_file(award_uuid)),
        ("Badge image with the assertion baked in (PNG)", _baked(award_uuid, "png")),
    )
    return tuple((label, urls(rel)) for label, rel in forms if rel in files)


def _baked(award_uuid: str, ext: str) -> str:
    return f"assertions/{award_uuid}.{ext}"


def _ob2(urls: Urls, entries: Sequence[Entry], salt_seed: str) -> dict[str, bytes]:
    """Hosted assertions, and each one baked into the badge image (PNG and SVG)."""
    files: dict[str, bytes] = {}
    for e in entries:
        salt = layout.salt(e.award_id, salt_seed)
        doc = ob2.assertion(urls, e.badge, e.award, e.award_id, salt)
        files[layout.assertion_file(e.award_id)] = _json(doc)
        svg = badge_svg(e.badge)
        files[_baked(e.award_id, "svg")] = raster.bake_svg(svg, doc).encode()
        files[_baked(e.award_id, "png")] = raster.bake_png(_png(svg), doc)
    return files


def _ob3(
    urls: Urls, issuer: Issuer, entries: Sequence[Entry], signer: Signer, salt_seed: str
) -> tuple[dict[str, bytes], dict[str, Json]]:
    """Signed credentials, the status list that revokes them, and the key to check both;
    and each award's credential document (for its page)."""
    oldest_first = sorted(entries, key=lambda e: (layout.iso(e.award.issued_on), e.award_id))
    indexes = statuslist.assign([e.award_id for e in oldest_first])
    files = {layout.JWKS: _json(signer.jwks()), _key_file(signer): _json(signer.jwk)}
    docs: dict[str, Json] = {}
    linked = signer.ed25519  # Data Integrity (eddsa-rdfc-2022) needs an Ed25519 key
    for e in entries:
        salt = layout.salt(e.award_id, salt_seed)
        doc = ob3.credential(urls, issuer, e.badge, e.award, e.award_id, salt, indexes[e.award_id])
        docs[e.award_id] = doc
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
    return files, docs


def _key_file(signer: Signer) -> str:
    """The bare JWK's path in the tree: the last segment of the `kid` URL, under keys/."""
    return f"{layout.KEYS}/{signer.kid.rsplit('/', 1)[1]}"


def _badge_files(urls: Urls, badges: Sequence[Badge]) -> dict[str, bytes]:
    """Each badge's class (JSON) and image (SVG), beside each other."""
    files: dict[str, bytes] = {}
    for badge in badges:
        files[badge.stem + ".json"] = _json(ob2.badge_class(urls, badge))
        svg = badge_svg(badge)
        files[badge.stem + ".svg"] = svg.encode()
        files[badge.stem + ".png"] = _png(svg)
    return files


@cache
def _png(svg: str) -> bytes:
    return raster.png(svg)


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
