"""Print the RELEASES.md section of a tag, for the release workflow; exit 1 (saying why)
when the tag does not match the package version or its section is missing or undated.

    python scripts/release_notes.py v0.1.0 > notes.md
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_VERSION = re.compile(r'^__version__ = "(?P<version>[^"]+)"$', re.M)


def section(notes: str, tag: str, version: str) -> str:
    """The notes of `tag` (without its heading); ValueError saying what to fix."""
    if tag != f"v{version}":
        raise ValueError(f"the tag {tag} does not match the package version {version} "
                         "(src/govbot/__init__.py); tag v" + version + " or fix __version__")
    heading = re.compile(rf"^## {re.escape(tag)} — (?P<date>.+)$", re.M)
    match = heading.search(notes)
    if match is None:
        raise ValueError(f"RELEASES.md has no section `## {tag} — YYYY-MM-DD`; add one")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", match["date"]):
        raise ValueError(f"RELEASES.md: `## {tag} — {match['date']}` must carry the release "
                         "date (YYYY-MM-DD) before the tag is published")
    rest = notes[match.end():]
    following = re.search(r"^## ", rest, re.M)
    return rest[:following.start() if following else None].strip() + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: release_notes.py vX.Y.Z", file=sys.stderr)
        return 2
    found = _VERSION.search((ROOT / "src" / "govbot" / "__init__.py").read_text("utf-8"))
    version = found["version"] if found else "?"
    try:
        print(section((ROOT / "RELEASES.md").read_text("utf-8"), argv[1], version), end="")
    except ValueError as exc:
        print(f"release_notes: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
