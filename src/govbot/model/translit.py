"""Any title as plain ASCII words, for file names (`decisions/0012-slug.md`): letters and
digits of every script transliterated (anyascii), everything else a word break.

A file name stays lowercase ASCII, so it is the same on every file system and in every URL,
and yet a title in Cyrillic, Greek, Chinese or Arabic still names its file ("Принять устав"
→ `prinyat-ustav`), instead of every such record being called `record`."""

from __future__ import annotations

import unicodedata

from anyascii import anyascii


def to_ascii(text: str) -> str:
    """`text` with each non-ASCII letter or digit transliterated and every other non-ASCII
    character (punctuation, symbols, emoji) turned into a space. A character of a script
    without letter case whose reading is a whole capitalised syllable (Chinese, Japanese
    kanji: 采 → Cai) becomes a word of its own, since those scripts do not space words."""
    if text.isascii():
        return text
    out = []
    for char in text:
        if char.isascii():
            out.append(char)
            continue
        category = unicodedata.category(char)
        if category[0] not in "LN":
            out.append(" ")
            continue
        latin = anyascii(char)
        if category == "Lo" and len(latin) > 1 and latin[0].isupper():
            latin = f" {latin} "
        out.append(latin)
    return "".join(out)
