"""translit: titles of any script as ASCII words for file names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govbot.model.translit import to_ascii


@pytest.mark.parametrize(("text", "expected"), [
    ("Plain ASCII, kept as it is!", "Plain ASCII, kept as it is!"),
    ("Café", "Cafe"),
    ("Устав", "Ustav"),
    ("治理", " Zhi  Li "),
    ("اعتماد", "`tmd"),
    ("a–b", "a b"),
    ("x🚀y", "x y"),
    ("٣ items", "3 items"),
])
def test_to_ascii(text: str, expected: str) -> None:
    """Letters and digits are transliterated; Chinese characters are words of their own;
    punctuation, symbols and emoji become spaces."""
    assert to_ascii(text) == expected


@given(st.text())
def test_to_ascii_is_always_ascii(text: str) -> None:
    """Whatever the title, the result is ASCII."""
    assert to_ascii(text).isascii()
