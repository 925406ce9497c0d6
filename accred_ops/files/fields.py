"""The kinds of text the program's files share: accred.yml, curriculum/ and cohorts/."""

from __future__ import annotations

from accred_ops.files.schema import SLUG, URL, USERNAME, Str

SLUG_STR = Str(SLUG, "lowercase slug like 'my-id'", 100)
USER_STR = Str(USERNAME, "GitLab username", 255)
TEXT_STR = Str(what="text")
URL_STR = Str(URL, "http(s) URL like 'https://example.com/course'", 2000)
