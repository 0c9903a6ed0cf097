"""Decision records: front matter splitting, typed fields, sections, and read_records."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govbot.model.errors import RecordError
from govbot.model.records import (
    StampedVote,
    Stray,
    Symlink,
    body_sections,
    parse_record,
    read_records,
    record_path,
    slugify,
    split_front_matter,
)
from recordkit import BODY, PATH, SHA, accepted, front, make, make_from, text


def test_typed_fields() -> None:
    """A valid record's fields are typed; the raw front matter is kept."""
    record = make(supersedes="[3]", related="[4, x]")
    assert record.id == 12
    assert record.kind == "policy"
    assert record.created == dt.date(2026, 11, 20)
    assert record.authors == ("alice",)
    assert record.supersedes == (3,)
    assert record.related == (4,)
    assert record.front["related"] == [4, "x"]
    assert record.file_number == 12
    assert record.slug == "regional-convenings"
    assert record.sections == (("Context", 11), ("Decision", 15), ("Consequences", 19))
    assert record.line("status") == 5
    assert record.line("nope") == 2


def test_mistyped_fields_are_none() -> None:
    """Fields of the wrong type or outside the enums are None; checks say why."""
    record = make(id="x", kind="polcy", status="acepted", created="soon", title="42")
    assert (record.id, record.kind, record.status, record.created, record.title) == \
        (None, None, None, None, None)


def test_decided_fields() -> None:
    """Votes and plan changes are parsed with their lines."""
    record = accepted(1, "adopt", kind="plan", changes="\n  - {op: retire-goal, goal: G1}")
    assert record.votes[0].member == "bob"
    assert record.votes[0].commit == SHA
    assert record.changes[0].op == "retire-goal"
    assert record.changes[0].args == {"goal": "G1"}
    assert record.changes[0].line == 9
    assert record.decided == dt.date(2021, 1, 19)
    assert record.pr == 3


@pytest.mark.parametrize(("vote", "expected"), [
    ("{member: bob, id: 918273, vote: approve, at: '2021-01-05T10:14:00Z', commit: c1}",
     StampedVote("bob", "approve", "2021-01-05T10:14:00Z", "c1", 918273)),
    ("{member: bob, vote: approve, at: '2021-01-05T10:14:00Z', commit: c1}",  # before ids
     StampedVote("bob", "approve", "2021-01-05T10:14:00Z", "c1", None)),
    ("{member: bob, id: '918273', vote: approve, at: 2021-01-05T10:14:00Z, commit: c1}",
     StampedVote("bob", "approve", "2021-01-05T10:14:00+00:00", "c1", None)),
])
def test_stamped_vote_ids(vote: str, expected: StampedVote) -> None:
    """A stamped vote's numeric id is parsed when present; absent or mistyped, it is None."""
    assert make_from({"status": "accepted", "votes": f"[{vote}]"}).votes == (expected,)


@pytest.mark.parametrize(("text", "expected"), [
    ("", "p.md:1: the record must start with a '---' line, then the YAML front matter, then "
     "'---'"),
    ("# Title\n", "p.md:1: the record must start with a '---' line, then the YAML front "
     "matter, then '---'"),
    ("---\nid: 1\n", "p.md:1: the front matter is not closed: add a '---' line after it"),
    ("---\n---\n", "p.md:1: the front matter is empty; see `govbot new` for a template"),
    ("---\n- 1\n---\n", "p.md:2: the front matter must be a mapping of keys to values"),
    ("---\nid: [\n---\n", "p.md:3: invalid YAML: did not find expected node content"),
])
def test_unreadable_records(text: str, expected: str) -> None:
    """Records that cannot be read raise RecordError with the place and the fix."""
    with pytest.raises(RecordError) as caught:
        parse_record("p.md", text)
    assert str(caught.value) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("---\n---\n", ("", 2, "", 3)),
    ("---\nid: 1\n---", ("id: 1\n", 2, "", 4)),
    ("---  \nid: 1\n--- \t\nbody\n", ("id: 1\n", 2, "body\n", 4)),
    ("---\nid: 1\n----\n--- x\n---\nb", ("id: 1\n----\n--- x\n", 2, "b", 6)),
    ("---\r\nid: 1\r\n---\r\nb\r\n", ("id: 1\r\n", 2, "b\r\n", 4)),
    ("\ufeff---\nid: 1\n---\nb", ("id: 1\n", 2, "b", 4)),
    # line breaks YAML knows but a plain '\n' search does not: CR, NEL, LS, PS
    ("---\rid: 1\r---\rb", ("id: 1\r", 2, "b", 4)),
    ("---\nt: a\u2028b\n---\nc", ("t: a\u2028b\n", 2, "c", 5)),
    ("---\nid: 1\x85---\x85b", ("id: 1\x85", 2, "b", 4)),
])
def test_split_front_matter(text: str, expected: tuple[str, int, str, int]) -> None:
    """The front matter ends at the first '---' line; lines are counted where YAML counts
    them, so the body's first line number agrees with the loader's."""
    assert split_front_matter("p.md", text) == expected


def test_read_records_turns_errors_into_findings() -> None:
    """read_records never raises: symlinks and unreadable files become findings."""
    records, findings = read_records({
        PATH: make().text.encode(), "decisions/0002-link.md": Symlink("/etc/passwd"),
        "decisions/0003-bad.md": b"\xff"})
    assert [r.path for r in records] == [PATH]
    assert [str(f) for f in findings] == [
        "decisions/0002-link.md: symbolic links are not allowed in decisions/; replace the link "
        "with the record file itself",
        "decisions/0003-bad.md:1: the file is not valid UTF-8 (byte 0); save it as UTF-8"]


R = "decisions/0012-regional-convenings.md"
CONTROL_CASES = [
    ("\ufeff" + make().text, [f"{R}:1: the file starts with a byte-order mark (U+FEFF); remove "
                               "the byte-order mark: save as UTF-8 without BOM"]),
    (make().text.replace("Why.", "Why.\x0bBecause."),
     [f"{R}:11: remove the control character U+000B (vertical tab: a line break pasted from a "
      "word processor) at line 11, column 5; start a new line instead"]),
    (make().text.replace("What.", "\x1b[31mWhat."),
     [f"{R}:15: remove the control character U+001B (escape) at line 15, column 1; delete it"]),
    (make().text.replace("What.", "Wh\x02at."),
     [f"{R}:15: remove the control character U+0002 at line 15, column 3; delete it"]),
    (make().text.replace("So what.", "So\rwhat."),
     [f"{R}:19: remove the control character U+000D (carriage return without a line feed) at "
      "line 19, column 3; start a new line instead"]),
    (make().text.replace("Why.", "Why.\u2028Yes."),
     [f"{R}:11: remove the control character U+2028 (line separator) at line 11, column 5; "
      "start a new line instead"]),
    (make().text.replace("\n", "\r\n").replace("Why.", "Why.\tTab."), []),
]


@pytest.mark.parametrize(("text", "expected"), CONTROL_CASES)
def test_bom_and_control_characters_are_findings(text: str, expected: list[str]) -> None:
    """A byte-order mark and control characters (other than tab, LF and CRLF) are findings
    with a fix; the record is still read, so its other findings are reported too."""
    records, findings = read_records({R: text.encode()})
    assert [str(f) for f in findings] == expected
    assert [r.path for r in records] == [R]


def test_a_control_character_in_the_front_matter() -> None:
    """In the front matter the YAML cannot be read either: both are said, on its line."""
    records, findings = read_records({R: text(front(title="'A\x0bB'")).encode()})
    assert records == []
    assert [(f.line, f.message[:40]) for f in findings] == [
        (3, "remove the control character U+000B (ver"),
        (3, "invalid YAML: the character U+000B is no")]


def test_many_control_characters_are_summed_up() -> None:
    """Past ten lines with control characters, one finding counts the rest."""
    body = "".join(f"line\x0b{n}\n" for n in range(25))
    _, findings = read_records({R: make(body=BODY + body).text.encode()})
    assert len(findings) == 11
    assert str(findings[-1]) == (f"{R}:30: and 15 more lines with control characters; retype "
                                 "or clean the text")


@pytest.mark.parametrize(("path", "stray", "expected"), [
    ("decisions/0012-x.MD", Stray("a"), "decision records end in '.md' in lowercase, and govbot "
     "does not read this file; rename it to decisions/0012-x.md"),
    ("decisions/notes.txt", Stray("a"), "only decision records (NNNN-slug.md, e.g. "
     "0012-regional-convenings.md) belong in decisions/, and govbot does not read this file; "
     "move it out of decisions/, or rename it if it is a record"),
    ("decisions/old/0012-x.md", Stray("a"), "records live directly in decisions/, not in a "
     "subfolder, and govbot does not read this file; move it to decisions/0012-x.md"),
    ("decisions/img/logo.png", Stray("a"), "records live directly in decisions/, not in a "
     "subfolder, and govbot does not read this file; move it out of decisions/"),
    ("decisions/vendor", Stray("a", submodule=True), "a submodule in decisions/ is never read; "
     "remove it: decisions/ holds only record files (NNNN-slug.md)"),
])
def test_anything_else_under_decisions_is_a_finding(path: str, stray: Stray,
                                                     expected: str) -> None:
    """Every path under decisions/ that is not decisions/NNNN-slug.md is reported, never
    silently left out."""
    records, findings = read_records({path: stray})
    assert records == []
    assert [str(f) for f in findings] == [f"{path}: {expected}"]


def test_body_sections_skip_code_fences() -> None:
    """Headings inside fenced code are not sections."""
    body = "## A\n```\n## B\n```\n~~~\n## C\n~~~\n##   D ##\n"
    assert body_sections(body, 10) == (("A", 10), ("D", 17))


@pytest.mark.parametrize(("title", "expected"), [
    ("Add an objective on regional convenings", "add-an-objective-on-regional-convenings"),
    ("Strategic Plan 2021–2024!", "strategic-plan-2021-2024"),
    ("Café & Crème", "cafe-creme"),
    ("!!!", "record"),
    ("word " * 30, "word-" * 9 + "word"),
    ("Принять новый устав", "prinyat-novyy-ustav"),
    ("采用新的治理章程", "cai-yong-xin-de-zhi-li-zhang-cheng"),
    ("Νέος κανονισμός", "neos-kanonismos"),
    ("Straße über Øresund", "strasse-uber-oresund"),
    ("🚀 Launch ✨", "launch"),
])
def test_slugify(title: str, expected: str) -> None:
    """Slugs are lowercase ASCII words joined by '-', at most 50 characters; a title in any
    script is transliterated (never the bare fallback `record`), symbols are dropped."""
    assert slugify(title) == expected


def test_record_path() -> None:
    """Record paths carry a 4-digit id."""
    assert record_path(12, "x") == "decisions/0012-x.md"


def test_body_kept() -> None:
    """The body after the front matter is kept verbatim."""
    assert make().body == BODY


FRONT_KEYS = st.sampled_from(["id", "title", "kind", "status", "created", "authors",
                              "supersedes", "related", "changes", "votes", "decided", "pr", "x"])
FRONT_VALUES = st.one_of(
    st.text(max_size=20), st.integers(), st.sampled_from(
        ["[1, 2]", "{a: b}", "2021-01-04", "2021-02-30", "[{op: add-goal}]", "- a\n  - b",
         "&a x", "*a", "!!binary aGk=", "!!python/name:os.system", "'", "null", "[[[", "~",
         "2021-01-04T10:00:00Z", "- {member: x, at: 2021-01-04}", ".inf", "0x1F", "1e400"]))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_parse_record_only_raises_record_error_on_any_text(text: str) -> None:
    """On arbitrary text, parse_record returns a Record or raises RecordError, nothing else."""
    with contextlib.suppress(RecordError):
        parse_record("p.md", text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(FRONT_KEYS, FRONT_VALUES), max_size=8), st.text(max_size=50))
def test_parse_record_only_raises_record_error_on_front_matter(
        pairs: list[tuple[str, object]], body: str) -> None:
    """On arbitrary front-matter-shaped text, parse_record returns or raises RecordError."""
    lines = "".join(f"{key}: {value}\n" for key, value in pairs)
    with contextlib.suppress(RecordError):
        parse_record("p.md", f"---\n{lines}---\n{body}")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(FRONT_KEYS, FRONT_VALUES), max_size=8))
def test_checks_never_raise_on_parsed_records(pairs: list[tuple[str, object]]) -> None:
    """Whatever parses, the checker judges without raising."""
    from govbot.rules.checks import check_records

    lines = "".join(f"{key}: {value}\n" for key, value in pairs)
    try:
        record = parse_record(PATH, f"---\n{lines}---\n")
    except RecordError:
        return
    check_records([record, make(path="decisions/0001-x.md", id="1")], base=[record],
                  today=dt.date(2026, 11, 24))
