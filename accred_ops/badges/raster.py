"""Badge images as PNG, and Open Badges 2.0 "baked" images that carry their assertion.

PNG: the generated SVG rasterised by resvg (resvg-py, a self-contained wheel: no system
library to install). Its lettering uses the fonts installed on the machine (any sans-serif;
on a machine without fonts the shield is drawn without its text).

Baking, as Open Badges 2.0 specifies it: a PNG gets an `iTXt` chunk with the keyword
`openbadges` holding the assertion; an SVG gets `xmlns:openbadges="http://openbadges.org"`
on its root and an `<openbadges:assertion verify="URL">` element holding it as CDATA.
Backpacks read the assertion out of the image a learner uploads.
"""

from __future__ import annotations

import json
import struct
import zlib
from typing import Any

import resvg_py

PNG_WIDTH = 480  # twice the SVG's 240 px, sharp on high-density screens


def png(svg: str) -> bytes:
    return bytes(resvg_py.svg_to_bytes(svg_string=svg, width=PNG_WIDTH))


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def bake_png(image: bytes, assertion: dict[str, Any]) -> bytes:
    """`image` with an uncompressed `iTXt openbadges` chunk before IEND."""
    end = image.rindex(b"IEND") - 4  # the IEND chunk starts with its 4-byte length
    text = json.dumps(assertion, sort_keys=True, ensure_ascii=False).encode()
    # keyword, NUL, compression flag 0, method 0, empty language tag NUL, empty keyword NUL
    data = b"openbadges\x00\x00\x00\x00\x00" + text
    return image[:end] + _chunk(b"iTXt", data) + image[end:]


def bake_svg(svg: str, assertion: dict[str, Any]) -> str:
    """`svg` with the assertion inside, as the Open Badges 2.0 baking rules place it."""
    text = json.dumps(assertion, sort_keys=True, ensure_ascii=False).replace(
        "]]>", "]]]]><![CDATA[>"
    )
    root_end = svg.index(">", svg.index("<svg"))
    element = (
        f'\n<openbadges:assertion verify="{_attr(assertion["id"])}">'
        f"<![CDATA[{text}]]></openbadges:assertion>"
    )
    return (
        svg[:root_end]
        + ' xmlns:openbadges="http://openbadges.org"'
        + svg[root_end]
        + element
        + svg[root_end + 1 :]
    )


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
