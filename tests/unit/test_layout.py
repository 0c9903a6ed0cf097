"""One grammar: the front matter `govbot check` accepts is what `govbot publish` can stamp.

Table tests for the forms that broke publish, and a property test over many ways of writing
the same front matter: stamping, superseding and renumbering always succeed and read back as
the values written; when the check finds no layout problem, every other line stays byte for
byte."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from govbot.model.errors import RecordError
from govbot.model.layout import layout_problems
from govbot.model.records import StampedVote, parse_record
from govbot.model.yamlio import split_lines
from govbot.record.stamp import canonical, renumber, renumber_references, stamp, supersede
from govbot.rules.checks import check_record
from recordkit import BODY, PATH, SHA

TODAY = dt.date(2026, 12, 1)
VOTE = StampedVote("bob", "approve", "2026-11-21T10:00:00Z", SHA, 918273)
STAMPED = {"status": "accepted", "decided": dt.date(2026, 11, 24), "pr": 42,
           "votes": [{"member": "bob", "id": 918273, "vote": "approve",
                      "at": "2026-11-21T10:00:00Z", "commit": SHA}]}
FIELDS = ("id: 12\ntitle: Regional convenings\nkind: policy\n{status}\ncreated: 2026-11-20\n"
          "authors: [alice]\nsupersedes: [3]\n")


def _record(front: str, prefix: str = "") -> str:
    return f"{prefix}---\n{front}---\n{BODY}"


def _stamp(text: str) -> str:
    return stamp(text, path=PATH, decided=dt.date(2026, 11, 24), pr=42, votes=[VOTE])


def _layout_messages(text: str) -> list[str]:
    return [str(f) for f in check_record(parse_record(PATH, text), today=TODAY)
            if "govbot can" in f.message or "'...'" in f.message]


P = PATH
FIX = "so govbot can record the decision in this file at merge"
BROKEN = [
    # a quoted key crashed publish (exit 3)
    (_record(FIELDS.format(status='"status": proposed')),
     [f"{P}:5: status: the key is in quotes; write it without them, as 'status: …', {FIX}"]),
    (_record(FIELDS.format(status="'status': proposed")),
     [f"{P}:5: status: the key is in quotes; write it without them, as 'status: …', {FIX}"]),
    # so did a flow mapping
    (_record("{id: 12, title: Regional convenings, kind: policy, status: proposed,\n"
             " created: 2026-11-20, authors: [alice], supersedes: [3]}\n"),
     [f"{P}:2: the front matter is written as one {{…}} mapping; write one 'key: value' per "
      f"line, as `govbot new` does, {FIX}"]),
    # a block-scalar status was committed as `accepted proposed`
    (_record(FIELDS.format(status="status: |-\n  proposed")),
     [f"{P}:5: status: write the value on one line, e.g. 'status: proposed' (not as a block | "
      "or > or over several lines), so govbot can change it at merge"]),
    (_record(FIELDS.format(status="status: >-\n  proposed")),
     [f"{P}:5: status: write the value on one line, e.g. 'status: proposed' (not as a block | "
      "or > or over several lines), so govbot can change it at merge"]),
    (_record(FIELDS.format(status="? status\n: proposed")),
     [f"{P}:5: status: write the key at the start of its line, as 'status: …' (no indent, no "
      f"'?'), {FIX}"]),
    (_record("  " + FIELDS.format(status="status: proposed").replace("\n", "\n  ")[:-2]),
     [f"{P}:{line}: {key}: write the key at the start of its line, as '{key}: …' (no indent, "
      f"no '?'), {FIX}" for line, key in enumerate(
          ("id", "title", "kind", "status", "created", "authors", "supersedes"), 2)]),
    (_record(FIELDS.format(status="status: proposed").replace("id: 12", "id: !!int\n  12")),
     [f"{P}:2: id: write the value on one line, e.g. 'id: 12' (not as a block | or > or over "
      "several lines), so govbot can change it at merge"]),
    (_record(FIELDS.format(status="status: proposed").replace("[3]", "\n  - !!int\n    3")),
     [f"{P}:9: supersedes[0]: write each id on one line, e.g. 'supersedes: [3]', so govbot "
      "can renumber it at merge"]),
    (_record(FIELDS.format(status="status: proposed") + "...\n# done\n"),
     [f"{P}:9: remove this '...' line: the front matter ends at the '---' line"]),
]


@pytest.mark.parametrize(("text", "messages"), BROKEN)
def test_check_refuses_what_the_stamper_cannot_keep(text: str, messages: list[str]) -> None:
    """Each form the line editor cannot keep is a finding that says how to write it."""
    assert _layout_messages(text) == messages


@pytest.mark.parametrize(("text", "messages"), BROKEN)
def test_publish_stamps_even_those_forms(text: str, messages: list[str]) -> None:
    """A record merged despite the finding is still stamped (its front matter rewritten one
    key per line), and reads back as exactly the values it had plus the stamp."""
    before = parse_record(PATH, text)
    after = parse_record(PATH, _stamp(text))
    assert dict(after.front) == {**before.front, **STAMPED}
    assert after.body == before.body
    assert layout_problems(after) == []


def test_a_byte_order_mark_does_not_break_the_stamper() -> None:
    """A record saved with a BOM parses, and stamping keeps the BOM and everything else."""
    text = _record(FIELDS.format(status="status: proposed"), prefix="\ufeff")
    out = _stamp(text)
    assert out.startswith("\ufeff---\nid: 12\n")
    assert parse_record(PATH, out).front["status"] == "accepted"


@pytest.mark.parametrize("status", [
    "status: proposed", "status: 'proposed'", 'status: "proposed"', "status: !!str proposed",
    "status: &s proposed", "status: proposed   # the vote is open", "status:\n  proposed",
])
def test_accepted_forms_are_stamped_in_place(status: str) -> None:
    """Every accepted way of writing `status` is replaced in place: one line changes, and a
    comment after the value stays."""
    text = _record(FIELDS.format(status=status))
    assert _layout_messages(text) == []
    out = _stamp(text)
    close = parse_record(PATH, text).body_line - 2  # the closing '---': stamped lines follow
    changed = [(a, b) for a, b in zip(split_lines(text)[:close], split_lines(out)[:close],
                                      strict=True) if a != b]
    assert len(changed) == 1
    assert "accepted" in changed[0][1]
    assert ("# the vote is open" in out) == ("#" in status)
    assert parse_record(PATH, out).front["status"] == "accepted"


def test_an_empty_status_gets_a_value() -> None:
    """`status:` with no value is given one (after a space), not glued to the colon."""
    out = _stamp(_record(FIELDS.format(status="status:")))
    assert "\nstatus: accepted\n" in out


def test_canonical_reads_back_every_kind_of_value() -> None:
    """The fallback serialiser writes each loaded value so that it reads back the same."""
    front = ("id: 12\ntitle: \"yes\"\nkind: policy\nstatus: proposed\ncreated: 2026-11-20\n"
             "authors: [alice, '0010']\nx: {a: [1, 2.5, .inf, -.inf, true, null], 'b c': ''}\n"
             "t: 2026-11-20T14:03:00.5+05:30\nu: \"tab\\there\\u2028\\x85\\x7f\\ufeff\"\n"
             "'q': 1e3\n")
    record = parse_record(PATH, _record(front))
    again = parse_record(PATH, canonical(record))
    assert dict(again.front) == dict(record.front)
    nan = parse_record(PATH, canonical(parse_record(PATH, _record("id: .nan\n"))))
    assert nan.front["id"] != nan.front["id"]


# --- the property ---------------------------------------------------------------------------

KEPT_TEXT = ("{}", "'{}'", '"{}"', "!!str {}", "\n  {}", "{}  # note", "&a {}")
ODD_TEXT = ("|-\n  {}", ">-\n  {}")
KEPT_NUMBER = ("{}", "{:04d}", "0x{:X}", "0o{:o}", "!!int {}", "+{}")
ODD_NUMBER = ("!!int\n    {}",)


@st.composite
def front_matters(draw: st.DrawFn) -> str:
    """A record's text, its front matter written in one of many equivalent ways: half of
    them in forms the check accepts, the rest also in forms it refuses."""
    odd = draw(st.booleans())

    def key(name: str) -> str:
        forms = [f"{name}:"] + ([f'"{name}":', f"'{name}':", f"? {name}\n:"] if odd else [])
        return draw(st.sampled_from(forms))

    def text(value: str) -> str:
        return " " + draw(st.sampled_from(KEPT_TEXT + (ODD_TEXT if odd else ()))).format(value)

    def number(value: int, indent: str = "  ") -> str:
        form = draw(st.sampled_from(KEPT_NUMBER + (ODD_NUMBER if odd else ())))
        return form.format(value).replace("\n    ", "\n" + indent)

    def ids() -> str:
        numbers = draw(st.lists(st.sampled_from([3, 4, 7]), min_size=1, max_size=3,
                                unique=True))
        style = draw(st.sampled_from(["flow", "block", "flow-lines"]))
        if style == "block":
            return "".join(f"\n  - {number(n, '    ')}" for n in numbers)
        joiner = ",\n  " if style == "flow-lines" else ", "
        return " [" + joiner.join(number(n) for n in numbers) + "]"

    parts = [(key("id"), " " + number(12)), (key("title"), text("Regional convenings")),
             (key("kind"), text("policy")), (key("status"), text("proposed")),
             (key("created"), " 2026-11-20"),
             (key("authors"), draw(st.sampled_from([" [alice]", "\n  - alice"])))]
    for name in ("supersedes", "related"):
        if draw(st.booleans()):
            parts.append((key(name), ids()))
    if draw(st.booleans()):  # a bot-owned field written by hand: replaced by the stamp
        parts.append((key("pr"), " 9"))
    lines = []
    for name, value in draw(st.permutations(parts)):
        if draw(st.integers(0, 5)) == 0:
            lines.append("# a comment\n")
        lines.append(f"{name}{value}\n")
    front = "".join(lines)
    if odd and draw(st.integers(0, 5)) == 0:
        front = "  " + front.replace("\n", "\n  ").rstrip(" ")
    if odd and draw(st.integers(0, 5)) == 0:
        front += "...\n"
    if odd and draw(st.integers(0, 5)) == 0:
        front = "{" + ", ".join(f"{n} {v.strip()}" for n, v in parts if "\n" not in v) + "}\n"
    record = f"---\n{front}---\n{BODY}"
    if draw(st.booleans()):
        record = record.replace("\n", "\r\n")
    return ("\ufeff" if draw(st.integers(0, 9)) == 0 else "") + record


def _without(front: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in front.items() if k not in keys}


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matters())
def test_every_form_check_accepts_is_stamped_exactly(text: str) -> None:
    """For every front matter that parses: stamp, supersede and renumber succeed and read
    back as the values written; when the check finds no layout problem, only the edited
    lines change and everything else stays byte for byte."""
    try:
        record = parse_record(PATH, text)
    except RecordError:
        assume(False)
        raise
    front = dict(record.front)
    out = _stamp(text)
    stamped = parse_record(PATH, out)
    assert dict(stamped.front) == {**_without(front, "pr"), **STAMPED}
    assert stamped.body == record.body
    superseded = parse_record(PATH, supersede(out, 20, path=PATH))
    assert dict(superseded.front) == {**stamped.front, "status": "superseded",
                                      "superseded_by": 20}
    moved = {3: 30, 7: 70}
    refs = parse_record(PATH, renumber_references(text, moved, path=PATH))
    expected = {k: [moved.get(i, i) for i in v] if k in ("supersedes", "related") else v
                for k, v in front.items()}
    assert dict(refs.front) == expected
    new_path, renumbered = renumber(PATH, text, 40)
    assert new_path == "decisions/0040-regional-convenings.md"
    assert dict(parse_record(new_path, renumbered).front) == (
        {**front, "id": 40} if "id" in front else front)
    if not layout_problems(record):
        status = record.doc.span("status")
        assert status is not None
        _assert_kept_byte_for_byte(text, out, status.line, record.doc.lines.get(("pr",)))


def _assert_kept_byte_for_byte(text: str, out: str, status: int | None,
                               dropped: int | None) -> None:
    """Every line of `text` but the status value's line and a dropped `pr:` line is in `out`,
    in order, and the body ends it."""
    before = split_lines(text)
    after = split_lines(out)
    kept = [line for number, line in enumerate(before, 1) if number not in (status, dropped)]
    position = 0
    for line in kept:
        position = after.index(line, position) + 1
    assert out.endswith(BODY.replace("\n", "\r\n") if "\r\n" in text else BODY)
