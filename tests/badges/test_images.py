"""Badge images: well-formed SVG, escaped text, one colour per course, initials that read."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from accred_ops.badges.curriculum import Badge
from accred_ops.badges.images import badge_svg, colour, contrast_with_white, initials
from accred_ops.core.model import Course
from tests.badges.conftest import PARTNERS, PATH, PROGRAM

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]


def test_a_course_badge_shows_program_initials_and_title() -> None:
    svg = badge_svg(Badge(PROGRAM, PATH, PARTNERS))

    assert texts(svg) == ["SAL", "CSP", "Co-Selling with", "Partners"]
    assert ET.fromstring(svg).find(f"{SVG}title").text == "SAL: Co-Selling with Partners"


def test_the_path_badge_is_marked_as_such() -> None:
    assert texts(badge_svg(Badge(PROGRAM, PATH, None)))[:2] == ["LEARNING PATH", "BTP"]


def test_text_is_escaped_and_the_svg_stays_well_formed() -> None:
    odd = Course("odd", 'Tags <b> & "quotes"', ("x",), badge_name="<script>alert(1)</script>")
    svg = badge_svg(Badge(PROGRAM, PATH, odd))

    assert "<script>" not in svg and "<b>" not in svg
    assert ET.fromstring(svg).find(f"{SVG}title").text == "<script>alert(1)</script>"


def test_each_course_gets_its_own_readable_colour() -> None:
    ids = [f"sal/path/course-{n}" for n in range(40)]
    colours = [colour(i) for i in ids]

    assert len(set(colours)) > 30
    for hex_colour in colours:
        r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        assert contrast_with_white(r, g, b) >= 4.4  # rounding to 8 bits may lose a hair
    assert colour("sal/path/a") == colour("sal/path/a")


def test_initials_skip_small_words() -> None:
    assert initials("Account Planning in Gainsight") == "APG"
    assert initials("Co-Selling with Partners") == "CSP"
    assert initials("The Art of War and Peace Treaties") == "AWP"
    assert initials("🎉") == "★"
