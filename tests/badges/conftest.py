"""Badge test data: a two-course program, four awards (one revoked), an issuer and keys."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from accred_ops.badges import Award, Issuer
from accred_ops.core.model import Competency, Course, LearningPath, Program

BASE = "https://enablement.example.com/badges"
ISSUER = Issuer("Field Enablement", "https://enablement.example.com", "enablement@example.com")

PARTNERS = Course(
    "co-selling-with-partners",
    "Co-Selling with Partners",
    ("The different types of partners GitLab works with", "How to co-sell <in the field>"),
    url="https://lms.example.com/partners",
    badge_name="SAL: Co-Selling with Partners",
    competencies=("partner-engagement",),
)
FRAMEWORK = "Field Functional Competencies"
COMPETENCY = Competency(
    "partner-engagement",
    "Engaging partners",  # an example: the handbook page names no competency
    "https://enablement.example.com/competencies#partner-engagement",
    FRAMEWORK,
)
PLANNING = Course("account-planning", "Account Planning", ("Define an account plan",), exam=False)
PATH = LearningPath(
    "territory-and-pipeline", "Building the Territory & Pipeline", (PARTNERS, PLANNING)
)
PROGRAM = Program(
    "sal", "Strategic Account Leader Field Accreditation", (PATH,), competencies=(COMPETENCY,)
)


def award(learner: str, course: Course | None, day: int, **changes: object) -> Award:
    values: dict[str, object] = {
        "learner": learner,
        "profile_url": f"https://gitlab.example.com/{learner}",
        "email": None,
        "program": PROGRAM,
        "path": PATH,
        "course": course,
        "issued_on": dt.datetime(2025, 6, day, 9, 30, tzinfo=dt.UTC),
        "evidence_url": f"https://gitlab.example.com/fe/acc/-/issues/{day}",
        "assessors": ("sam",),
    }
    return Award(**{**values, **changes})  # type: ignore[arg-type]


AWARDS = (
    award("alice", PARTNERS, 10, email="Alice@Example.com"),
    award("alice", PLANNING, 12, assessors=("sam", "kim")),
    award(
        "alice",
        None,
        12,
        evidence_url="https://gitlab.example.com/groups/fe/-/epics/1",
        assessors=(),
    ),
    award("bob", PARTNERS, 14, revoked=True, revocation_reason="Exam taken by someone else"),
)


def pem(key: ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.fixture(scope="session")
def ed25519_pem() -> str:
    return pem(ed25519.Ed25519PrivateKey.generate())


@pytest.fixture(scope="session")
def p256_pem() -> str:
    return pem(ec.generate_private_key(ec.SECP256R1()))
