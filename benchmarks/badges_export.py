"""Measure `badges export`: files, bytes and seconds per form, for a number of awards.

    python -m benchmarks.badges_export                 # 100 awards
    python -m benchmarks.badges_export --awards 100 500

Offline (no GitLab: the export is a pure function of its inputs). Each form adds to the one
before: Open Badges 2.0 (assertions, PNG and baked images); with a P-256 key the VC-JWT
credentials and award pages; with an Ed25519 key also the JSON-LD credentials with Data
Integrity proofs (RDF canonicalization, the costly part).
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from accred_ops.badges import Award, Issuer, export
from accred_ops.core.model import Course, LearningPath, Program

COURSES = tuple(Course(f"course-{n}", f"Course {n}", (f"Objective {n}",)) for n in range(5))
PATH = LearningPath("path", "A path", COURSES)
PROGRAM = Program("bench", "Benchmark program", (PATH,))
ISSUER = Issuer("Bench", "https://bench.example.com", "bench@example.com")
BASE = "https://bench.example.com/badges"


def _awards(n: int) -> list[Award]:
    return [
        Award(
            learner=f"learner{i // len(COURSES)}",
            profile_url=f"https://gitlab.example.com/learner{i // len(COURSES)}",
            email=None,
            program=PROGRAM,
            path=PATH,
            course=COURSES[i % len(COURSES)],
            issued_on=dt.datetime(2025, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=i),
            evidence_url=f"https://gitlab.example.com/g/p/-/issues/{i + 1}",
            assessors=("sam",),
        )
        for i in range(n)
    ]


def _pem(key: ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--awards", type=int, nargs="+", default=[100])
    args = parser.parse_args()
    forms = [
        ("ob2", ("ob2",), None),
        (
            "ob2 + ob3, P-256 (VC-JWT, pages)",
            ("ob2", "ob3"),
            ec.generate_private_key(ec.SECP256R1()),
        ),
        ("ob2 + ob3, Ed25519 (+ JSON-LD)", ("ob2", "ob3"), ed25519.Ed25519PrivateKey.generate()),
    ]
    print("| awards | forms | files | MB | seconds |\n|---:|---|---:|---:|---:|")
    for n in args.awards:
        awards = _awards(n)
        for label, formats, key in forms:
            with tempfile.TemporaryDirectory() as out:
                start = time.perf_counter()
                pem = _pem(key) if key else None
                result = export(
                    Path(out), BASE, ISSUER, [PROGRAM], awards, formats=formats, signing_key=pem
                )
                took = time.perf_counter() - start
                size = sum(p.stat().st_size for p in Path(out).rglob("*") if p.is_file())
            print(f"| {n} | {label} | {len(result.files)} | {size / 1e6:.2f} | {took:.2f} |")


if __name__ == "__main__":
    main()
