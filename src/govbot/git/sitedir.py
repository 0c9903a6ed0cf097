"""`govbot site --out DIR` on disk: the folder holds exactly the files govbot wrote. It carries
a marker file; govbot empties a folder that has its marker
before writing, and refuses a non-empty folder without one (it could be anything: a file
planted there by a pull request must never be deployed as part of the site)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from govbot.model.errors import UsageError

MARKER = ".govbot-site"
MARKER_TEXT = ("This folder is written by `govbot site`, which empties it before every build.\n"
               "Do not keep other files here.\n")


def _clear(out: Path) -> None:
    """Remove everything inside `out` (links are removed, never followed)."""
    with os.scandir(out) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)


def write_site(out: Path, files: Mapping[str, bytes]) -> None:
    """Write the site's files to `out`, leaving nothing else in it but the marker."""
    if out.is_symlink():
        raise UsageError(f"{out} is a symbolic link; give --out a real folder (govbot empties "
                         "it before writing the site)")
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} is a file; give --out a folder for the site")
    for name in files:
        if Path(name).is_absolute() or ".." in Path(name).parts:
            raise UsageError(f"refusing to write {name!r} outside {out}")
    if out.is_dir() and any(out.iterdir()):
        if not (out / MARKER).is_file() or (out / MARKER).is_symlink():
            raise UsageError(
                f"{out} is not empty and was not written by `govbot site` (it has no {MARKER} "
                "file); govbot empties the folder it builds the site in, so give --out a new "
                "or empty folder, or delete this one first")
        _clear(out)
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (out / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
