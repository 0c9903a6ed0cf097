"""Safe YAML: size-limited, no aliases, no custom tags, and a line number for every key.

Documents are built from PyYAML's event stream with an explicit stack, so hostile input (alias
bombs, deep nesting, `!!python/object` tags) is rejected with a clear message instead of
exhausting memory, the stack, or running code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

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
# strings before converting them (YAML 1.1's base-60 `1:0:0:…` and `0x…` escape Python's
# 4,300-digit limit on int→str, so a huge id would crash every message that names it).
MAX_INT = 2**53 - 1
_MAX_INT_TEXT = 32
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", "!",
}

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Document:
    """A loaded YAML document and the 1-based line of every key and sequence item in it."""

    data: Any
    lines: Mapping[KeyPath, int] = field(default_factory=dict)

    def line(self, *path: str | int) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        key: KeyPath = tuple(path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), None)


def key_path(path: KeyPath) -> str:
    """`changes[0].goal` for ('changes', 0, 'goal')."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


_constructor = yaml.constructor.SafeConstructor()
_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_INT = "tag:yaml.org,2002:int"
# Scalar tags built by calling SafeConstructor's function directly: construct_object() would
# remember every node in the shared constructor's `constructed_objects` (never cleared
# outside construct_document), holding every value ever loaded.
_DIRECT = {tag: _constructor.yaml_constructors[tag] for tag in (
    "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp")}


# Resolver.resolve for plain scalars, precomputed: the implicit resolvers to try for each
# first character (then the wildcard ones), in PyYAML's order; none → text.
_WILDCARD = tuple(yaml.resolver.Resolver.yaml_implicit_resolvers.get(None, ()))
_IMPLICIT = {first: (*resolvers, *_WILDCARD) for first, resolvers
             in yaml.resolver.Resolver.yaml_implicit_resolvers.items() if first is not None}


def _resolve(value: str) -> str:
    """The tag PyYAML's Resolver gives a plain (unquoted, untagged) scalar."""
    for tag, regexp in _IMPLICIT.get(value[0] if value else "", _WILDCARD):
        if regexp.match(value):
            return str(tag)
    return _STR


def _scalar(event: yaml.ScalarEvent, where: str, first_line: int) -> Any:
    tag = event.tag
    if tag is None or tag == "!":
        if not event.implicit[0]:  # quoted or block scalar without a tag: always text
            return event.value
        tag = _resolve(event.value)
        if tag == _STR:
            return event.value
    elif tag not in _STANDARD_TAGS:
        raise RecordError(
            f"YAML tag {event.tag!r} is not allowed; write plain values instead",
            path=where, line=_line(event, first_line))
    elif tag == _STR:
        return event.value
    return _typed(event, tag, where, first_line)


def _typed(event: yaml.ScalarEvent, tag: str, where: str, first_line: int) -> Any:
    """A scalar that is not text: int, float, bool, null or timestamp (or an explicit
    standard tag on the wrong value, which is refused)."""
    node = yaml.ScalarNode(tag, event.value, style=event.style)
    if tag == _TIMESTAMP:
        try:
            return _DIRECT[tag](_constructor, node)
        except (ValueError, OverflowError, AttributeError):  # AttributeError: !!timestamp x
            # looks like a date but is none (2026-13-01): keep the text, so the checker can
            # say so on the key's line along with every other finding of the record
            return event.value
    if tag == _INT and len(event.value) > _MAX_INT_TEXT:
        raise RecordError(f"the number {event.value[:20]}… is too long; write an id or a "
                          "count of at most 15 digits", path=where,
                          line=_line(event, first_line))
    try:
        direct = _DIRECT.get(tag)
        if direct is not None:
            value = direct(_constructor, node)
            if tag == _INT and abs(value) > MAX_INT:
                raise RecordError(f"the number {event.value} is too large; write an id or a "
                                  "count of at most 15 digits", path=where,
                                  line=_line(event, first_line))
            return value
        try:
            return _constructor.construct_object(node)
        finally:
            _constructor.constructed_objects.clear()
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        raise RecordError(f"cannot read the value {event.value!r}: {exc}",
                          path=where, line=_line(event, first_line)) from None


def _line(event: yaml.Event, first_line: int) -> int:
    mark = event.start_mark
    return (int(mark.line) if mark is not None else 0) + first_line


def load_yaml(text: str, *, path: str, first_line: int = 1,
              max_bytes: int = MAX_BYTES) -> Document:
    """Load one YAML document safely; raise `RecordError` (with path and line) when it cannot."""
    # a code point is at most 4 bytes in UTF-8: only a long text needs encoding to measure
    if len(text) * 4 > max_bytes and len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise RecordError(
            f"the YAML is larger than {max_bytes // 1024} KiB; keep records short and link "
            "to long documents instead", path=path, line=first_line)
    lines: dict[KeyPath, int] = {}
    # each frame: [container, key_path, pending_key or None, is_mapping, seen_keys]
    stack: list[list[Any]] = []
    root: Any = None
    documents = 0
    seen_root = False

    def at(event: yaml.Event) -> int:
        mark = event.start_mark
        return (int(mark.line) if mark is not None else 0) + first_line

    def attach(value: Any, event: yaml.Event) -> KeyPath | None:
        """Place a container (or the root scalar) in its parent; its key path."""
        nonlocal root, seen_root
        if not stack:
            root, seen_root = value, True
            return ()
        frame = stack[-1]
        container, base = frame[0], frame[1]
        if frame[3]:  # mapping: a container is never a key (refused before attach)
            sub = (*base, frame[2])
            container[frame[2]] = value
            frame[2] = None
            return sub
        sub = (*base, len(container))
        container.append(value)
        lines.setdefault(sub, at(event))
        return sub

    loader: yaml.SafeLoader | None = None
    scalar_event = yaml.ScalarEvent
    try:
        loader = _Loader(text)
        get_event = loader.get_event
        # get_event() directly (not yaml.parse's generator); most events are scalars, and
        # they are placed inline (no call per key or item)
        while (event := get_event()) is not None:  # type: ignore[no-untyped-call]
            kind = type(event)
            if kind is scalar_event:
                if not stack:
                    root, seen_root = _scalar(event, path, first_line), True
                    continue
                frame = stack[-1]
                if frame[3]:  # in a mapping
                    key = frame[2]
                    if key is None:  # this scalar is a key
                        value = event.value
                        if event.tag is not None and event.tag != "!":
                            raise RecordError("mapping keys must be plain text", path=path,
                                              line=at(event))
                        if value in frame[4]:
                            raise RecordError(
                                f"the key {key_path((*frame[1], value))!r} appears twice; "
                                "keep one", path=path, line=at(event))
                        frame[4].add(value)
                        frame[2] = value
                        lines[(*frame[1], value)] = at(event)
                    else:
                        frame[0][key] = _scalar(event, path, first_line)
                        frame[2] = None
                else:  # an item of a sequence
                    value = _scalar(event, path, first_line)
                    container = frame[0]
                    lines.setdefault((*frame[1], len(container)), at(event))
                    container.append(value)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise RecordError("only one YAML document is allowed here",
                                      path=path, line=at(event))
            elif isinstance(event, yaml.AliasEvent):
                raise RecordError(
                    f"YAML aliases (*{event.anchor}) are not allowed; write the value out",
                    path=path, line=at(event))
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                is_map = isinstance(event, yaml.MappingStartEvent)
                if event.tag is not None and event.tag not in _STANDARD_TAGS:
                    raise RecordError(
                        f"YAML tag {event.tag!r} is not allowed; write plain values instead",
                        path=path, line=at(event))
                if stack and stack[-1][3] and stack[-1][2] is None:
                    raise RecordError("mapping keys must be plain text", path=path, line=at(event))
                if len(stack) >= MAX_DEPTH:
                    raise RecordError(f"the YAML is nested deeper than {MAX_DEPTH} levels",
                                      path=path, line=at(event))
                new: Any = {} if is_map else []
                sub = attach(new, event)
                assert sub is not None
                if sub == ():
                    lines[()] = at(event)
                stack.append([new, sub, None, is_map, set()])
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                stack.pop()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark is not None else first_line
        problem = exc.problem or exc.context or "invalid YAML"
        raise RecordError(f"invalid YAML: {problem}", path=path, line=line) from None
    except yaml.YAMLError as exc:
        raise RecordError(f"invalid YAML: {exc}", path=path, line=first_line) from None
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops this first
        raise RecordError("the YAML is nested too deeply", path=path, line=first_line) from None
    finally:
        if loader is not None:
            loader.dispose()
    if not seen_root:
        root = None
    return Document(root, lines)


# what decode() tells the writer of each kind of file to do (the `what` it is given)
_FILE_RULES = {
    "records": ("records must be short text files", "records must be UTF-8 Markdown"),
    "governance.yml": ("governance.yml must be a short YAML text file",
                       "governance.yml must be UTF-8 YAML text"),
}


def decode(path: str, data: bytes, *, max_bytes: int,
           what: Literal["records", "governance.yml"] = "records") -> str:
    """Bytes of a text file → str; refuse binary, non-UTF-8 and oversized files with a reason.

    `what` names the kind of file, so the reason says what that file must be."""
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
