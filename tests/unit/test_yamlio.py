"""The safe YAML loader: line numbers, hostile input, and decoding of file bytes."""

from __future__ import annotations

import contextlib
import datetime as dt

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
    ("a: 1\n---\nb: 2\n", "p:2: only one YAML document is allowed here"),
    ("a: [1\n", "p:2: invalid YAML: did not find expected ',' or ']'"),
    ("a: !!int x\n", "p:1: cannot read the value 'x': invalid literal for int() with base "
     "10: 'x'"),
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
