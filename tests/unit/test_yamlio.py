"""The safe YAML loader: line numbers, hostile input, and decoding of file bytes."""

from __future__ import annotations

import contextlib
import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govbot.model.errors import RecordError
from govbot.model.yamlio import decode, key_path, load_yaml


def test_lines_for_every_key_and_item() -> None:
    """Every key and sequence item has its 1-based line, offset by first_line."""
    doc = load_yaml("a: 1\nb:\n  - x\n  - {c: 2}\n", path="p", first_line=2)
    assert doc.data == {"a": 1, "b": ["x", {"c": 2}]}
    assert dict(doc.lines) == {(): 2, ("a",): 2, ("b",): 3, ("b", 0): 4, ("b", 1): 5,
                               ("b", 1, "c"): 5}
    assert doc.line("b", 1, "c", "missing") == 5
    assert doc.line("zz") == 2


def test_standard_scalars() -> None:
    """Plain YAML scalars become Python values (dates, bools, null, numbers)."""
    doc = load_yaml("d: 2021-01-04\nt: true\nn: null\nf: 0.5\ns: '7'\n", path="p")
    assert doc.data == {"d": dt.date(2021, 1, 4), "t": True, "n": None, "f": 0.5, "s": "7"}


def test_keys_are_text() -> None:
    """Plain scalar keys stay text, even when they look like numbers."""
    assert load_yaml("1: x\n", path="p").data == {"1": "x"}


def test_empty_document() -> None:
    """An empty document is None."""
    assert load_yaml("", path="p").data is None


@pytest.mark.parametrize(("text", "expected"), [
    ("a: &x 1\nb: *x\n", "p:2: YAML aliases (*x) are not allowed; write the value out"),
    ("a: !!python/object:os.system x\n", "p:1: YAML tag 'tag:yaml.org,2002:python/object:"
     "os.system' is not allowed; write plain values instead"),
    ("a: !custom {b: 1}\n", "p:1: YAML tag '!custom' is not allowed; write plain values "
     "instead"),
    ("a: 1\na: 2\n", "p:2: the key 'a' appears twice; keep one"),
    ("? [a]\n: 1\n", "p:1: mapping keys must be plain text"),
    ("!!str a: 1\n", "p:1: mapping keys must be plain text"),
    ("a: 1\n---\nb: 2\n", "p:2: only one YAML document is allowed here"),
    ("a: [1\n", "p:2: invalid YAML: did not find expected ',' or ']'"),
    ("a: !!int x\n", "p:1: cannot read the value 'x' as a whole number"),
    ("a: !!int 1_000\n", "p:1: cannot read the value '1_000' as a whole number"),
    ("a: !!bool yes\n", "p:1: cannot read the value 'yes' as true or false"),
    ("a: !!float x\n", "p:1: cannot read the value 'x' as a number"),
    ("a: !!null x\n", "p:1: cannot read the value 'x' as null"),
    ("a: " + "1" * 40 + "\n", "p:1: the number 11111111111111111111… is too long; write an id "
     "or a count of at most 15 digits"),
    ("a: 0x" + "F" * 16 + "\n", "p:1: the number 0xFFFFFFFFFFFFFFFF is too large; write an id "
     "or a count of at most 15 digits"),
    ("a: " + "[" * 40 + "]" * 40 + "\n", "p:1: the YAML is nested deeper than 32 levels"),
    ("a: " + "x" * 300_000 + "\n", "p:1: the YAML is larger than 256 KiB; keep records short and "
     "link to long documents instead"),
])
def test_hostile_or_broken_yaml(text: str, expected: str) -> None:
    """Each refused input raises RecordError with its place and a reason."""
    with pytest.raises(RecordError) as caught:
        load_yaml(text, path="p")
    assert str(caught.value) == expected


@pytest.mark.parametrize(("data", "expected"), [
    (b"x" * 11, "p: the file is 11 bytes, over the 10-byte limit; records must be short text "
     "files"),
    (b"a\x00b", "p: the file is binary (it contains NUL bytes); records must be UTF-8 Markdown"),
    (b"ok\n\xffno", "p:2: the file is not valid UTF-8 (byte 3); save it as UTF-8"),
])
def test_decode_refuses(data: bytes, expected: str) -> None:
    """Oversized, binary and non-UTF-8 bytes are refused with a reason."""
    with pytest.raises(RecordError) as caught:
        decode("p", data, max_bytes=10)
    assert str(caught.value) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("a: 2021-02-30\n", "2021-02-30"),
    ("a: 2026-13-01\n", "2026-13-01"),
    ("a: 2026-11-20T25:00:00Z\n", "2026-11-20T25:00:00Z"),
    ("a: !!timestamp nope\n", "nope"),
])
def test_impossible_dates_stay_text(text: str, expected: str) -> None:
    """A value that looks like a date but is none is kept as its text for the checker."""
    assert load_yaml(text, path="p").data == {"a": expected}


def test_possible_dates_are_dates() -> None:
    """A real date is still a date once impossible ones are kept as text."""
    assert load_yaml("a: 2026-11-20\n", path="p").data == {"a": dt.date(2026, 11, 20)}


@pytest.mark.parametrize(("data", "expected"), [
    (b"x" * 11, "p: the file is 11 bytes, over the 10-byte limit; governance.yml must be a "
     "short YAML text file"),
    (b"a\x00b", "p: the file is binary (it contains NUL bytes); governance.yml must be UTF-8 "
     "YAML text"),
])
def test_decode_names_governance_yml(data: bytes, expected: str) -> None:
    """Decoding governance.yml says what governance.yml must be, not what records must be."""
    with pytest.raises(RecordError) as caught:
        decode("p", data, max_bytes=10, what="governance.yml")
    assert str(caught.value) == expected


def test_decode_strips_bom() -> None:
    """A UTF-8 byte-order mark is dropped."""
    assert decode("p", "\ufeffhé".encode(), max_bytes=10) == "hé"


@pytest.mark.parametrize(("path", "expected"), [
    (("changes", 0, "goal"), "changes[0].goal"), ((), ""), (("a",), "a")])
def test_key_path(path: tuple[str | int, ...], expected: str) -> None:
    """Key paths read like code: dots for keys, brackets for items."""
    assert key_path(path) == expected


YAMLISH = st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!?|>'\" \n\t#%@,.01")), max_size=80)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=200), YAMLISH))
def test_load_yaml_only_raises_record_error(text: str) -> None:
    """On arbitrary text, load_yaml returns a Document or raises RecordError, nothing else."""
    with contextlib.suppress(RecordError):
        load_yaml(text, path="p")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=100))
def test_decode_only_raises_record_error(data: bytes) -> None:
    """On arbitrary bytes, decode returns text or raises RecordError."""
    with contextlib.suppress(RecordError):
        decode("p", data, max_bytes=64)


NAN = float("nan")


@pytest.mark.parametrize(("text", "expected"), [
    # integers: decimal (leading zeros are decimal, never octal), 0o octal, 0x hexadecimal
    ("0010", 10), ("010", 10), ("-0012", -12), ("+7", 7), ("0", 0), ("0o10", 8),
    ("0x10", 16), ("0xff", 255), ("0x0C", 12),
    # YAML 1.1 integer forms are text in YAML 1.2
    ("0b101", "0b101"), ("1_000", "1_000"), ("1:30", "1:30"), ("-0o10", "-0o10"),
    ("0o19", "0o19"), ("0xg", "0xg"),
    # booleans: only true and false
    ("true", True), ("True", True), ("TRUE", True), ("false", False), ("FALSE", False),
    ("yes", "yes"), ("no", "no"), ("on", "on"), ("off", "off"), ("Yes", "Yes"), ("y", "y"),
    ("tRUE", "tRUE"),
    # null
    ("~", None), ("null", None), ("Null", None), ("NULL", None), ("nULL", "nULL"),
    # floats, including the forms YAML 1.1 reads as text
    ("0.5", 0.5), (".5", 0.5), ("1.", 1.0), ("1e3", 1000.0), ("-1.5E-2", -0.015),
    ("1_0.5", "1_0.5"), ("+.inf", float("inf")), ("-.Inf", float("-inf")),
    (".nan", NAN), (".NaN", NAN), ("inf", "inf"), ("nan", "nan"), ("-.nan", "-.nan"),
    # dates and times stay dates
    ("2026-11-20", dt.date(2026, 11, 20)),
    ("2026-11-20T14:03:00Z", dt.datetime(2026, 11, 20, 14, 3, tzinfo=dt.UTC)),
    ("2026-1-20", "2026-1-20"), ("1234-", "1234-"), ("123e-4567", 0.0),
])
def test_yaml_1_2_core_schema(text: str, expected: object) -> None:
    """Plain scalars are read by the YAML 1.2 core schema (`0010` is 10, `yes` is text)."""
    value = load_yaml(f"a: {text}\n", path="p").data["a"]
    if expected is NAN:
        assert math.isnan(value)
        return
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(("text", "expected"), [
    ("!!int 0010", 10), ("!!int 0x0C", 12), ("!!float 1", 1.0), ("!!float .5", 0.5),
    ("!!bool false", False), ("!!null ~", None), ("!!str 0010", "0010"), ("'0010'", "0010"),
    ("\"true\"", "true"), ("! 12", "12"), ("!!timestamp 2026-11-20", dt.date(2026, 11, 20)),
])
def test_explicit_tags_follow_yaml_1_2(text: str, expected: object) -> None:
    """A standard tag reads its value by YAML 1.2 too; quoted scalars stay text."""
    value = load_yaml(f"a: {text}\n", path="p").data["a"]
    assert value == expected
    assert type(value) is type(expected)


def test_zero_padded_ids_in_a_list() -> None:
    """`supersedes: [0010]` supersedes record 10, not 8 (YAML 1.1 octal)."""
    assert load_yaml("supersedes: [0010, 0008]\n", path="p").data == {"supersedes": [10, 8]}


def test_spans_of_top_level_keys_values_and_items() -> None:
    """Where each top-level key, value and the items or values in them are written, with
    their style."""
    doc = load_yaml('a: !!str plain  # c\n"b": \'q\'\nc: |-\n  x\nd: [1,\n  0x0C]\ne:\n  - 3\n'
                    "f: {g: 1}\n", path="p", first_line=2)
    assert doc.key_span("a") == (2, 0, 2, 1, "")
    assert doc.key_span("b") == (3, 0, 3, 3, '"')
    assert doc.span("a") == (2, 3, 2, 14, "")
    assert doc.span("b") == (3, 5, 3, 8, "'")
    assert doc.span("c") == (4, 3, 6, 0, "|")
    assert doc.span("d") == (6, 3, 7, 7, "[")
    assert doc.span("d", 1) == (7, 2, 7, 6, "")
    assert doc.span("e") == (9, 2, 10, 0, "-")
    assert doc.span("e", 0) == (9, 4, 9, 5, "")
    assert doc.span("f") == (10, 3, 10, 9, "{")
    assert doc.span("f", "g") == (10, 7, 10, 8, "")
    assert load_yaml("a: {b: {c: 1}}", path="p").span("a", "b", "c") is None  # lines only
    assert doc.span() == (2, 0, 11, 0, ":")
    assert doc.key_span("zz") is None
    assert load_yaml("{a: 1}", path="p").span() == (1, 0, 1, 6, "{")
    assert load_yaml("7", path="p").span() == (1, 0, 1, 1, "")
