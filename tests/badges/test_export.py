"""The exported tree: its files, Open Badges 2.0 documents, determinism and stale-file removal."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from accred_ops.badges import Issuer, export
from accred_ops.core.model import Course
from accred_ops.errors import InputError
from tests.badges.conftest import AWARDS, BASE, ISSUER, PARTNERS, PROGRAM, award

CLASSES = "classes/sal/territory-and-pipeline"


def read(out: Path, relative: str) -> dict:
    return json.loads((out / relative).read_text())


def assertions(out: Path) -> dict[str, dict]:
    """The exported assertions by learner and badge, e.g. ("alice", "account-planning")."""
    found = {}
    for path in (out / "assertions").glob("*.json"):
        doc = json.loads(path.read_text())
        badge = doc["badge"].rsplit("/", 1)[1].removesuffix(".json")
        learner = doc["evidence"][0]["narrative"].split("@")[1].split(" ")[0]
        found[(learner, badge)] = doc
    return found


def test_the_tree_holds_issuer_badges_images_assertions_and_an_index(tmp_path: Path) -> None:
    result = export(tmp_path, BASE + "/", ISSUER, [PROGRAM], AWARDS)

    assert result.awards == 4 and result.revoked == 1 and result.warnings == ()
    assert {f for f in result.files if not f.startswith("assertions/")} == {
        "issuer.json",
        "revocations.json",
        "index.html",
        f"{CLASSES}.json",
        f"{CLASSES}.svg",
        f"{CLASSES}/co-selling-with-partners.json",
        f"{CLASSES}/co-selling-with-partners.svg",
        f"{CLASSES}/account-planning.json",
        f"{CLASSES}/account-planning.svg",
        # the same images as PNG, for what cannot show SVG (LinkedIn, link previews)
        f"{CLASSES}.png",
        f"{CLASSES}/co-selling-with-partners.png",
        f"{CLASSES}/account-planning.png",
    }
    # each assertion, and the badge image baked with it (PNG and SVG)
    assert len([f for f in result.files if f.startswith("assertions/")]) == 4 * 3
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()) == list(
        result.files
    )


def test_every_id_is_an_absolute_url_of_the_file_it_names(tmp_path: Path) -> None:
    result = export(tmp_path, BASE, ISSUER, [PROGRAM], AWARDS)

    for relative in result.files:
        if relative.endswith(".json"):
            assert read(tmp_path, relative)["id"] == f"{BASE}/{relative}"


def test_issuer_and_badge_class(tmp_path: Path) -> None:
    export(tmp_path, BASE, ISSUER, [PROGRAM], AWARDS)

    assert read(tmp_path, "issuer.json") == {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Issuer",
        "id": f"{BASE}/issuer.json",
        "name": "Field Enablement",
        "url": "https://enablement.example.com",
        "email": "enablement@example.com",
        "revocationList": f"{BASE}/revocations.json",
    }
    course = read(tmp_path, f"{CLASSES}/co-selling-with-partners.json")
    assert course["name"] == "SAL: Co-Selling with Partners"
    assert course["image"] == f"{BASE}/{CLASSES}/co-selling-with-partners.svg"
    assert course["issuer"] == f"{BASE}/issuer.json"
    assert course["criteria"]["narrative"] == (
        "Complete the course [Co-Selling with Partners](https://lms.example.com/partners)"
        " and demonstrate every learning objective:\n\n"
        "1. The different types of partners GitLab works with\n"
        "2. How to co-sell \\<in the field\\>\n\n"
        "Then pass a written exam and have a practical assessment approved. Verdicts are"
        " recorded on the learner's course issue in GitLab by an assessor, who is never the"
        " learner."
    )
    planning = read(tmp_path, f"{CLASSES}/account-planning.json")
    assert "written exam" not in planning["criteria"]["narrative"]  # this course has none
    path = read(tmp_path, f"{CLASSES}.json")
    assert path["name"] == (
        "Strategic Account Leader Field Accreditation: Building the Territory & Pipeline"
    )
    assert path["criteria"]["narrative"].splitlines()[1:] == [
        "",
        "- SAL: Co-Selling with Partners",
        "- Account Planning",
    ]


def test_assertion_hashes_the_profile_url_or_the_email_with_its_salt(tmp_path: Path) -> None:
    export(tmp_path, BASE, ISSUER, [PROGRAM], AWARDS)
    found = assertions(tmp_path)

    partners = found[("alice", "co-selling-with-partners")]
    recipient = partners["recipient"]
    assert recipient["type"] == "email" and recipient["hashed"] is True
    expected = hashlib.sha256(("alice@example.com" + recipient["salt"]).encode()).hexdigest()
    assert recipient["identity"] == "sha256$" + expected
    planning = found[("alice", "account-planning")]["recipient"]
    assert planning["type"] == "url"
    url_hash = hashlib.sha256(("https://gitlab.example.com/alice" + planning["salt"]).encode())
    assert planning["identity"] == "sha256$" + url_hash.hexdigest()
    assert planning["salt"] != recipient["salt"]
    assert partners["issuedOn"] == "2025-06-10T09:30:00Z"
    assert partners["verification"] == {"type": "hosted"}
    assert partners["badge"] == f"{BASE}/{CLASSES}/co-selling-with-partners.json"
    assert partners["evidence"] == [
        {
            "id": "https://gitlab.example.com/fe/acc/-/issues/10",
            "narrative": "Every learning objective ticked by @alice on the course issue; verdicts"
            " (written exam passed and practical assessment approved) recorded there by @sam.",
        }
    ]
    assert "revoked" not in partners


def test_a_revoked_award_says_so_and_is_on_the_revocation_list(tmp_path: Path) -> None:
    export(tmp_path, BASE, ISSUER, [PROGRAM], AWARDS)

    bob = assertions(tmp_path)[("bob", "co-selling-with-partners")]
    assert bob["revoked"] is True
    assert bob["revocationReason"] == "Exam taken by someone else"
    assert read(tmp_path, "revocations.json")["revokedAssertions"] == [
        {"id": bob["id"], "revocationReason": "Exam taken by someone else"}
    ]


def test_same_inputs_give_byte_identical_trees(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    export(one, BASE, ISSUER, [PROGRAM], AWARDS)
    export(two, BASE, ISSUER, [PROGRAM], tuple(reversed(AWARDS)))

    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert all((one / f).read_bytes() == (two / f).read_bytes() for f in files)
    assert export(one, BASE, ISSUER, [PROGRAM], AWARDS).written == ()  # nothing to rewrite


def test_the_salt_seed_changes_salts_and_nothing_else(tmp_path: Path) -> None:
    export(tmp_path / "a", BASE, ISSUER, [PROGRAM], AWARDS)
    export(tmp_path / "b", BASE, ISSUER, [PROGRAM], AWARDS, salt_seed="s3cret")

    a, b = assertions(tmp_path / "a"), assertions(tmp_path / "b")
    assert a.keys() == b.keys()
    for key in a:
        assert a[key]["recipient"]["salt"] != b[key]["recipient"]["salt"]
        assert {**a[key], "recipient": None} == {**b[key], "recipient": None}


def test_an_award_that_disappears_disappears_and_other_files_stay(tmp_path: Path) -> None:
    first = export(tmp_path, BASE, ISSUER, [PROGRAM], AWARDS)
    (tmp_path / "report.html").write_text("the program's report")  # not the export's
    (tmp_path / "classes" / "sal" / "old-path").mkdir()
    (tmp_path / "classes" / "sal" / "old-path" / "gone.json").write_text("{}")

    second = export(tmp_path, BASE, ISSUER, [PROGRAM], AWARDS[:3])

    dropped = sorted(set(first.files) - set(second.files))  # the assertion and its baked images
    assert [Path(d).suffix for d in dropped] == [".json", ".png", ".svg"]
    assert all(d.startswith("assertions/") and not (tmp_path / d).exists() for d in dropped)
    assert second.removed == (*dropped, "classes/sal/old-path/gone.json")
    assert not (tmp_path / "classes" / "sal" / "old-path").exists()
    assert second.revoked == 0 and read(tmp_path, "revocations.json")["revokedAssertions"] == []
    assert (tmp_path / "report.html").read_text() == "the program's report"
    assert set(second.written) == {"index.html", "revocations.json"}


def test_the_index_lists_badges_and_recipients_and_loads_nothing_from_outside(
    tmp_path: Path,
) -> None:
    export(tmp_path, BASE, ISSUER, [PROGRAM], AWARDS, public_holders=True)
    page = (tmp_path / "index.html").read_text()

    assert "<script" not in page and "<link" not in page and "@import" not in page
    assert 'src="http' not in page and "url(" not in page
    assert f'src="{CLASSES}/co-selling-with-partners.svg"' in page
    assert "@alice" in page and "@bob" in page and "SAL: Co-Selling with Partners" in page
    assert "revoked: Exam taken by someone else" in page
    assert "Territory &amp; Pipeline" in page and "Territory & Pipeline" not in page


def test_text_from_the_curriculum_and_gitlab_is_escaped(tmp_path: Path) -> None:
    odd = award("eve<script>", PARTNERS, 11, revoked=True, revocation_reason="<b>bad</b> & co")
    export(tmp_path, BASE, ISSUER, [PROGRAM], (odd,), public_holders=True)
    page = (tmp_path / "index.html").read_text()

    assert "<script>" not in page and "<b>" not in page
    assert "@eve&lt;script&gt;" in page and "&lt;b&gt;bad&lt;/b&gt; &amp; co" in page


def test_by_default_the_index_counts_holders_and_names_none(tmp_path: Path) -> None:
    export(tmp_path, BASE, ISSUER, [PROGRAM], AWARDS)
    page = (tmp_path / "index.html").read_text()

    assert "SAL: Co-Selling with Partners" in page and "Account Planning" in page
    assert "Held by 1 person; 1 revoked." in page  # alice holds it, bob's was revoked
    for name in ("alice", "bob", "gitlab.example.com/", "Exam taken by someone else"):
        assert name not in page
    assert "Recipients" not in page and "assertions/" not in page


def test_a_badge_no_longer_in_the_curriculum_is_kept_for_its_awards(tmp_path: Path) -> None:
    result = export(tmp_path, BASE, ISSUER, [], AWARDS[:1])

    assert f"{CLASSES}/co-selling-with-partners.json" in result.files
    assert f"{CLASSES}/account-planning.json" not in result.files
    assert result.warnings == (
        f"badge {CLASSES}/co-selling-with-partners is no longer in the curriculum;"
        " kept for its awards",
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"base_url": "gitlab.example.com/badges"}, r"absolute http\(s\) URL"),
        ({"formats": ("ob4",)}, "badge formats must be among ob2, ob3"),
        ({"formats": ("ob3",)}, "need a signing key"),
        ({"awards": (AWARDS[0], award("ALICE", PARTNERS, 20))}, "two awards of the same badge"),
        ({"awards": (award("x", Course("../x", "X", ()), 1),)}, "not a lowercase slug"),
    ],
)
def test_bad_input_is_refused_before_anything_is_written(
    tmp_path: Path, change: dict, message: str
) -> None:
    args = {"base_url": BASE, "awards": AWARDS, **change}
    formats = args.pop("formats", ("ob2",))
    with pytest.raises(InputError, match=message):
        export(
            tmp_path / "out", args["base_url"], ISSUER, [PROGRAM], args["awards"], formats=formats
        )
    assert not (tmp_path / "out").exists()


def test_an_issuer_without_email_is_exported_with_a_warning(tmp_path: Path) -> None:
    result = export(tmp_path, BASE, Issuer("Org", "https://org.example"), [PROGRAM], ())

    assert "email" not in read(tmp_path, "issuer.json")
    assert result.warnings == ("the issuer has no email: Open Badges 2.0 validators require one",)
