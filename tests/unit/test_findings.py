"""Findings and their reporters: a notice informs, it never fails a check."""

from __future__ import annotations

import json

from govbot.model.findings import NOTICE, Finding, errors, format_github, format_json, format_text

PROBLEM = Finding("decisions/0012-a.md", 2, "id: missing", "record")
NOTE = Finding("decisions/0013-b.md", 2, "will be renumbered to 14 at merge", "repository",
               NOTICE)


def test_a_notice_is_not_an_error() -> None:
    """`errors` keeps the problems; a notice reads as one in text."""
    assert errors([PROBLEM, NOTE]) == [PROBLEM]
    assert format_text([PROBLEM, NOTE]) == (
        "decisions/0012-a.md:2: id: missing\n"
        "decisions/0013-b.md:2: notice: will be renumbered to 14 at merge\n")


def test_reporters_mark_notices() -> None:
    """GitHub gets a `::notice` annotation; JSON stays ok with notices only."""
    assert format_github([NOTE]) == ("::notice file=decisions/0013-b.md,line=2,title=govbot::"
                                     "will be renumbered to 14 at merge\n")
    doc = json.loads(format_json([NOTE]))
    assert doc["ok"] is True
    assert doc["findings"][0]["severity"] == "notice"
    assert json.loads(format_json([PROBLEM, NOTE]))["ok"] is False
