"""Safe YAML: size-limited, no aliases, no custom tags, YAML 1.2 scalars, and a line number
for every key.

Documents are built from PyYAML's event stream with an explicit stack, so hostile input (alias
bombs, deep nesting, `!!python/object` tags) is rejected with a clear message instead of
exhausting memory, the stack, or running code.

Scalars follow the YAML 1.2 core schema, not PyYAML's YAML 1.1 one: `0010` is 10 (never
octal 8), `0o10` is 8, `0x10` is 16; only `true`/`false` are booleans (`yes`, `on`, `no`,
`off` are text); `1_000` and `1:30` are text; `1e3` and `.5` are numbers. Dates and times
(`2026-11-20`, `2026-11-20T14:03:00Z`) are read as dates, as records need them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

import yaml

from govbot.model.errors import RecordError

try:  # pre-commit's habit: the C parser when the wheel has it
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment,unused-ignore]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_BYTES = 256 * 1024
MAX_DEPTH = 32
# Whole numbers in records and governance.yml are ids, counts and GitHub user ids: refuse
# anything a JSON reader of decisions.json could not hold exactly (2**53), and long digit
# strings before converting them (Python refuses int→str past 4,300 digits, so a huge id
# would crash every message that names it).
MAX_INT = 2**53 - 1
_MAX_INT_TEXT = 32
_STR = "tag:yaml.org,2002:str"
_STANDARD_TAGS = {
    _STR, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map", "!",
}

KeyPath = tuple[str | int, ...]
_SPAN_DEPTH = 2  # nodes this many levels below the root, or fewer, have a span
# (line, column, end line, end column, style): see `Span`
RawSpan = tuple[int, int, int, int, str]


class Span(NamedTuple):
    """Where a node (or a key) is written: 1-based lines, 0-based columns (in characters),
    the end exclusive, and its style: '' plain, "'" or '"' quoted, '|' or '>' a block scalar;
    for a list or mapping '[' or '{' when written in flow style, '-' or ':' in block style."""

    line: int
    column: int
    end_line: int
    end_column: int
    style: str


@dataclass(frozen=True, slots=True)
class Document:
    """A loaded YAML document and the 1-based line of every key and sequence item in it.

    `spans` say exactly where the root and the nodes down to two levels below it are written,
    `key_spans` where each top-level key is (what a line-by-line editor needs,
    record/stamp.py); deeper nodes have only their line."""

    data: Any
    lines: Mapping[KeyPath, int] = field(default_factory=dict)
    spans: Mapping[KeyPath, RawSpan] = field(default_factory=dict)
    key_spans: Mapping[str, RawSpan] = field(default_factory=dict)

    def line(self, *path: str | int) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        key: KeyPath = tuple(path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), None)

    def span(self, *path: str | int) -> Span | None:
        """Where the node at `path` is written (the root, a top-level value, or an item or
        value in one); None for deeper or missing nodes."""
        raw = self.spans.get(tuple(path))
        return None if raw is None else Span(*raw)

    def key_span(self, key: str) -> Span | None:
        """Where a top-level key is written."""
        raw = self.key_spans.get(key)
        return None if raw is None else Span(*raw)


def key_path(path: KeyPath) -> str:
    """`changes[0].goal` for ('changes', 0, 'goal')."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# --- scalars: the YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1023-core-schema) ------

class _Unreadable(Exception):
    """A scalar that cannot be read as what it says it is (the builder adds path and line)."""


_KEYWORDS: dict[str, Any] = {
    **dict.fromkeys(("null", "Null", "NULL", "~", ""), None),
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
}
_NUMBER_START = frozenset("0123456789+-.")
_INT = re.compile(r"[-+]?[0-9]+\Z")
_INT_BASES = ((re.compile(r"0o[0-7]+\Z"), 8), (re.compile(r"0x[0-9a-fA-F]+\Z"), 16))
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INFINITY = re.compile(r"([-+]?)\.(?:inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
# the dates and times YAML 1.1 resolves implicitly (2026-11-20, 2026-11-20T14:03:00Z, …)
_TIMESTAMP = next(regexp for tag, regexp in yaml.resolver.Resolver.yaml_implicit_resolvers["0"]
                  if tag == "tag:yaml.org,2002:timestamp")
_constructor = yaml.constructor.SafeConstructor()


def _integer(text: str, base: int = 10) -> int:
    if len(text) > _MAX_INT_TEXT:
        raise _Unreadable(f"the number {text[:20]}… is too long; write an id or a count of "
                          "at most 15 digits")
    value = int(text, base)
    if abs(value) > MAX_INT:
        raise _Unreadable(f"the number {text} is too large; write an id or a count of at "
                          "most 15 digits")
    return value


def _as_int(text: str) -> int | None:
    if _INT.match(text):
        return _integer(text)
    for pattern, base in _INT_BASES if text[1:2] in ("o", "x") else ():
        if pattern.match(text):
            return _integer(text, base)
    return None


def _as_float(text: str) -> float | None:
    if _FLOAT.match(text):
        return float(text)
    if "." not in text[:2]:
        return None
    if infinity := _INFINITY.match(text):
        return float(f"{infinity[1]}inf")
    return float("nan") if _NAN.match(text) else None


def _as_timestamp(text: str) -> dt.date | str:
    """A date or date-time; an impossible one (2026-13-01) stays text, so the checker can
    say so on the key's line along with every other finding of the record."""
    try:
        if _DATE.match(text):
            return dt.date.fromisoformat(text)
        value: dt.date = _constructor.construct_yaml_timestamp(yaml.ScalarNode("", text))
    except (ValueError, OverflowError, AttributeError):  # AttributeError: no match at all
        return text
    return value


def plain_value(text: str) -> Any:
    """The value of a plain (unquoted, untagged) scalar: null, a boolean, an integer, a
    float, a date or date-time, else the text itself."""
    if text in _KEYWORDS:
        return _KEYWORDS[text]
    if text[0] not in _NUMBER_START:
        return text
    if text[4:5] == "-" and _TIMESTAMP.match(text):  # 2026-11-20…: the usual number here
        return _as_timestamp(text)
    number: Any = _as_int(text)
    if number is None:
        number = _as_float(text)
    return text if number is None else number


_NO = object()  # what a tagged reader returns for text that does not fit its tag


def _tagged_int(text: str) -> Any:
    number = _as_int(text)
    return _NO if number is None else number


def _tagged_float(text: str) -> Any:
    number = _as_int(text)
    value = _as_float(text) if number is None else float(number)
    return _NO if value is None else value


def _tagged_bool(text: str) -> Any:
    value = _KEYWORDS.get(text)
    return value if isinstance(value, bool) else _NO


def _tagged_null(text: str) -> Any:
    return None if text in _KEYWORDS and _KEYWORDS[text] is None else _NO


# an explicitly tagged scalar (`!!int 12`): the reader of each tag and what it must look like
_TAGGED: dict[str, tuple[Any, str]] = {
    "tag:yaml.org,2002:int": (_tagged_int, "a whole number"),
    "tag:yaml.org,2002:float": (_tagged_float, "a number"),
    "tag:yaml.org,2002:bool": (_tagged_bool, "true or false"),
    "tag:yaml.org,2002:null": (_tagged_null, "null"),
    "tag:yaml.org,2002:timestamp": (_as_timestamp, "a date"),
}


def tagged_value(tag: str, text: str) -> Any:
    """The value of a scalar with an explicit standard tag (`!!int 0010` is 10)."""
    read, expected = _TAGGED[tag]
    value = read(text)
    if value is _NO:
        raise _Unreadable(f"cannot read the value {text!r} as {expected}")
    return value


# --- the document builder -------------------------------------------------------------------

# Parser events as the builder uses them: PyYAML's stubs make an event's marks optional, but
# its parsers (C and Python) always set them, and a scalar has its value, tag and style.
_Event = Any


class _Frame:
    """An open mapping or list: the container, its key path, the key waiting for its value
    (mappings), the keys seen so far (mappings)."""

    __slots__ = ("container", "is_map", "key", "path", "seen")

    def __init__(self, container: Any, path: KeyPath) -> None:
        self.container = container
        self.path = path
        self.is_map = isinstance(container, dict)
        self.key: str | None = None
        self.seen: set[str] = set()


class _Builder:
    """Turns the parser's events into a document (data, lines and spans), refusing what the
    safe subset does not allow."""

    __slots__ = ("documents", "first_line", "key_spans", "lines", "path", "root", "spans",
                 "stack")

    def __init__(self, path: str, first_line: int) -> None:
        self.path = path
        self.first_line = first_line
        self.lines: dict[KeyPath, int] = {}
        self.spans: dict[KeyPath, RawSpan] = {}
        self.key_spans: dict[str, RawSpan] = {}
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.documents = 0

    def refuse(self, message: str, event: _Event) -> RecordError:
        return RecordError(message, path=self.path, line=self.at(event))

    def at(self, event: _Event) -> int:
        line: int = event.start_mark.line
        return line + self.first_line

    def value(self, event: _Event) -> Any:
        """A scalar's value: text, or what its plain form or standard tag says."""
        tag = event.tag
        try:
            if tag is None:
                # quoted or block scalars without a tag are always text
                return plain_value(event.value) if event.implicit[0] else event.value
            if tag == _STR or tag == "!":  # `! 12`: the non-specific tag makes text
                return event.value
            if tag in _STANDARD_TAGS:
                return tagged_value(tag, event.value)
        except _Unreadable as exc:
            raise self.refuse(str(exc), event) from None
        raise self.refuse(f"YAML tag {tag!r} is not allowed; write plain values instead", event)

    def scalar(self, event: _Event) -> None:
        """Place a scalar: the root, a key, a mapping's value or a list's item."""
        if not self.stack:
            self.root = self.value(event)
            self.record_span((), event)
            return
        frame = self.stack[-1]
        if not frame.is_map:
            container = frame.container
            path = (*frame.path, len(container))
            self.lines.setdefault(path, event.start_mark.line + self.first_line)
            if len(path) <= _SPAN_DEPTH:
                self.record_span(path, event)
            container.append(self.value(event))
        elif frame.key is None:
            self.key(frame, event)
        else:
            frame.container[frame.key] = self.value(event)
            if len(frame.path) < _SPAN_DEPTH:
                self.record_span((*frame.path, frame.key), event)
            frame.key = None

    def key(self, frame: _Frame, event: _Event) -> None:
        key = event.value
        if event.tag is not None and event.tag != "!":
            raise self.refuse("mapping keys must be plain text", event)
        if key in frame.seen:
            raise self.refuse(f"the key {key_path((*frame.path, key))!r} appears twice; keep "
                              "one", event)
        frame.seen.add(key)
        frame.key = key
        self.lines[(*frame.path, key)] = event.start_mark.line + self.first_line
        if not frame.path:
            self.key_spans[key] = self.span(event)

    def record_span(self, path: KeyPath, event: _Event) -> None:
        self.spans[path] = self.span(event)

    def span(self, event: _Event) -> RawSpan:
        start, end = event.start_mark, event.end_mark
        first = self.first_line
        return (start.line + first, start.column, end.line + first, end.column,
                event.style or "")

    def open(self, event: _Event) -> None:
        """A mapping or list begins: check it, place it in its parent, descend into it."""
        if event.tag is not None and event.tag not in _STANDARD_TAGS:
            raise self.refuse(f"YAML tag {event.tag!r} is not allowed; write plain values "
                              "instead", event)
        stack = self.stack
        if stack and stack[-1].is_map and stack[-1].key is None:
            raise self.refuse("mapping keys must be plain text", event)
        if len(stack) >= MAX_DEPTH:
            raise self.refuse(f"the YAML is nested deeper than {MAX_DEPTH} levels", event)
        new: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
        path: KeyPath
        if not stack:
            self.root = new
            path = ()
            self.lines[path] = self.at(event)
        elif stack[-1].is_map:
            parent = stack[-1]
            path = (*parent.path, parent.key)  # type: ignore[arg-type]  # not None: see above
            parent.container[parent.key] = new
            parent.key = None
        else:
            parent = stack[-1]
            path = (*parent.path, len(parent.container))
            parent.container.append(new)
            self.lines.setdefault(path, self.at(event))
        stack.append(_Frame(new, path))
        if len(path) <= _SPAN_DEPTH:
            styles = ("{", ":") if isinstance(new, dict) else ("[", "-")
            start = event.start_mark
            line = start.line + self.first_line
            self.spans[path] = (line, start.column, line, start.column,
                                styles[0] if event.flow_style else styles[1])

    def close(self, event: _Event) -> None:
        """A mapping or list ends: its span ends here; back to its parent."""
        frame = self.stack.pop()
        span = self.spans.get(frame.path)
        if span is not None:
            end = event.end_mark
            self.spans[frame.path] = (*span[:2], end.line + self.first_line, end.column,
                                      span[4])

    def event(self, event: yaml.Event) -> None:
        """Every event but a scalar (`scalar` takes those, the most frequent, directly)."""
        if isinstance(event, yaml.CollectionStartEvent):
            self.open(event)
        elif isinstance(event, yaml.CollectionEndEvent):
            self.close(event)
        elif isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise self.refuse("only one YAML document is allowed here", event)
        elif isinstance(event, yaml.AliasEvent):
            raise self.refuse(f"YAML aliases (*{event.anchor}) are not allowed; write the "
                              "value out", event)

    def document(self) -> Document:
        return Document(self.root, self.lines, self.spans, self.key_spans)


def _parse(text: str, builder: _Builder) -> None:
    """Feed every parser event to `builder` (scalars, the most frequent, take the short way)."""
    loader = _Loader(text)
    try:
        get_event = loader.get_event
        scalar_event = yaml.ScalarEvent
        scalar, other = builder.scalar, builder.event
        while (event := get_event()) is not None:  # type: ignore[no-untyped-call]
            if type(event) is scalar_event:
                scalar(event)
            else:
                other(event)
    finally:
        loader.dispose()


def load_yaml(text: str, *, path: str, first_line: int = 1,
              max_bytes: int = MAX_BYTES) -> Document:
    """Load one YAML document safely; raise `RecordError` (with path and line) when it cannot."""
    # a code point is at most 4 bytes in UTF-8: only a long text needs encoding to measure
    if len(text) * 4 > max_bytes and len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise RecordError(
            f"the YAML is larger than {max_bytes // 1024} KiB; keep records short and link "
            "to long documents instead", path=path, line=first_line)
    builder = _Builder(path, first_line)
    try:
        _parse(text, builder)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark is not None else first_line
        problem = exc.problem or exc.context or "invalid YAML"
        raise RecordError(f"invalid YAML: {problem}", path=path, line=line) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow: say where
        line = first_line + count_lines(text[:exc.position] + "x") - 1
        character = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise RecordError(f"invalid YAML: the character U+{character:04X} is not allowed",
                          path=path, line=line) from None
    except yaml.YAMLError as exc:  # pragma: no cover - the parsers raise the two kinds above
        raise RecordError(f"invalid YAML: {exc}", path=path, line=first_line) from None
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops this first
        raise RecordError("the YAML is nested too deeply", path=path, line=first_line) from None
    return builder.document()


# Where YAML breaks lines (so where the loader's line numbers count them): LF, CRLF, and the
# rarer CR, NEL, LS and PS. str.splitlines() also breaks at VT, FF and FS…RS, which YAML does
# not, so a line-by-line editor that used it would edit the wrong line.
_ODD_BREAKS = ("\r", "\x85", "\u2028", "\u2029")
_LINE = re.compile("[^\r\n\x85\u2028\u2029]*(?:\r\n|[\r\n\x85\u2028\u2029])"
                   "|[^\r\n\x85\u2028\u2029]+")


def split_lines(text: str) -> list[str]:
    """The lines of `text`, each with its line ending, cut where YAML cuts them."""
    if not any(odd in text for odd in _ODD_BREAKS):  # the usual text: LF only
        lines = [line + "\n" for line in text.split("\n")]
        last = lines.pop()[:-1]
        return [*lines, last] if last else lines
    return _LINE.findall(text)


def count_lines(text: str) -> int:
    """How many lines `text` holds, as YAML counts them (a last line without an ending too)."""
    if not any(odd in text for odd in _ODD_BREAKS):
        return text.count("\n") + (not text.endswith("\n") and bool(text))
    return len(_LINE.findall(text))


# what decode() tells the writer of each kind of file to do (the `what` it is given)
_FILE_RULES = {
    "records": ("records must be short text files", "records must be UTF-8 Markdown"),
    "governance.yml": ("governance.yml must be a short YAML text file",
                       "governance.yml must be UTF-8 YAML text"),
}


def decode(path: str, data: bytes, *, max_bytes: int,
           what: Literal["records", "governance.yml"] = "records") -> str:
    """Bytes of a text file → str; refuse binary, non-UTF-8 and oversized files with a reason.

    `what` names the kind of file, so the reason says what that file must be. A UTF-8
    byte-order mark is dropped (the record checks report it: `records.text_findings`)."""
    short, text_kind = _FILE_RULES[what]
    if len(data) > max_bytes:
        raise RecordError(
            f"the file is {len(data):,} bytes, over the {max_bytes:,}-byte limit; {short}",
            path=path)
    if b"\x00" in data:
        raise RecordError(f"the file is binary (it contains NUL bytes); {text_kind}", path=path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RecordError(f"the file is not valid UTF-8 (byte {exc.start}); save it as UTF-8",
                          path=path, line=line) from None
    return text.removeprefix("\ufeff")
