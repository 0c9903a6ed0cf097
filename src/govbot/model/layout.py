"""The one front-matter grammar (DESIGN §2): how a record must be written so that govbot can
record a decision in it at merge by editing lines, keeping everything else byte for byte.

`govbot check` reports each problem found here (rules/checks.py); the stamper
(record/stamp.py) edits exactly the places the YAML loader reports, and only when there is no
problem here. Both read the same `Document`, so they cannot disagree about what was written.

At merge govbot replaces the values of `status` and `id` and the ids in `supersedes` and
`related`, removes the keys it owns and adds them again before the closing '---'. So:
- the front matter is a block mapping, one `key: value` per line (not one `{…}` mapping);
- every top-level key is plain text at the start of its line (no quotes, '?' or indent);
- `status`, `id` and each id in `supersedes` / `related` is written on one line (not as a
  block scalar `|` / `>` or over several lines);
- no '...' line ends the YAML early.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from govbot.model.records import Record, split_front_matter
from govbot.model.yamlio import KeyPath, Span

# the values govbot rewrites in place, with an example of each written as it should be
REWRITTEN = {"status": "proposed", "id": "12"}
ID_LISTS = ("supersedes", "related")
_DOCUMENT_END = re.compile(r"^\.\.\.(?:[ \t]|$)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in a record's front matter that govbot could not rewrite line by line:
    where (key path and line) and how to write it instead."""

    where: KeyPath
    line: int
    message: str


def _key_problem(key: str, span: Span) -> str:
    if span.style in ("'", '"'):
        return (f"the key is in quotes; write it without them, as '{key}: …', so govbot can "
                "record the decision in this file at merge")
    return (f"write the key at the start of its line, as '{key}: …' (no indent, no '?'), so "
            "govbot can record the decision in this file at merge")


def _one_line(span: Span | None) -> bool:
    return span is None or (span.line == span.end_line and span.style not in ("|", ">"))


def _value_problems(record: Record) -> list[Problem]:
    doc = record.doc
    out: list[Problem] = []
    for key, example in REWRITTEN.items():
        span = doc.span(key)
        if not _one_line(span):
            assert span is not None
            out.append(Problem((key,), span.line, f"write the value on one line, e.g. "
                               f"'{key}: {example}' (not as a block | or > or over several "
                               "lines), so govbot can change it at merge"))
    for key in ID_LISTS:
        items = record.front.get(key)
        for index in range(len(items) if isinstance(items, list) else 0):
            span = doc.span(key, index)
            if not _one_line(span):
                assert span is not None
                out.append(Problem((key, index), span.line, f"write each id on one line, e.g. "
                                   f"'{key}: [3]', so govbot can renumber it at merge"))
    return out


def layout_problems(record: Record) -> list[Problem]:
    """Every way the record's front matter departs from the grammar govbot can stamp."""
    doc = record.doc
    root = doc.span()
    if root is not None and root.style != ":":
        return [Problem((), root.line, "the front matter is written as one {…} mapping; write "
                        "one 'key: value' per line, as `govbot new` does, so govbot can record "
                        "the decision in this file at merge")]
    out: list[Problem] = []
    for key, raw in doc.key_spans.items():
        if raw[1] or raw[4]:  # not at column 0, or not plain: look closer
            span = Span(*raw)
            out.append(Problem((key,), span.line, _key_problem(key, span)))
    out.extend(_value_problems(record))
    if "..." in record.text:
        front = split_front_matter(record.path, record.text)[0]
        for match in _DOCUMENT_END.finditer(front):
            line = front.count("\n", 0, match.start()) + 2
            out.append(Problem((), line, "remove this '...' line: the front matter ends at the "
                               "'---' line"))
    return out
