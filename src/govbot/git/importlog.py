"""`govbot import`, the reading half: an existing decision log's folder on disk, and what
its git history says about each file (when it was added and changed, and by whom)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from govbot.git.repo import git
from govbot.model.adrlog import SourceRecord, is_record_name, parse_source
from govbot.model.errors import UsageError
from govbot.record.importer import FileHistory

MAX_SOURCE_BYTES = 1024 * 1024  # an ADR is a short text; anything bigger is not one


@dataclass(frozen=True, slots=True)
class Log:
    """A log as read: its folder, the records in the log's order, the folder's name as
    `imported.source` gives it (`doc/adr/`), and the files left out with why."""

    folder: Path
    records: tuple[SourceRecord, ...]
    prefix: str
    skipped: tuple[str, ...]


def log_folder(path: Path, fmt: str) -> Path:
    """The folder holding the records: `path`, or for adr-tools the folder its `.adr-dir`
    file names (so the project's root can be given, as adr-tools itself finds it)."""
    if not path.is_dir():
        raise UsageError(f"{path}: no such folder; give the folder of the decision log "
                         "(e.g. doc/adr or docs/decisions)")
    marker = path / ".adr-dir"
    if fmt == "adr-tools" and marker.is_file() and not marker.is_symlink():
        folder = path / marker.read_text(encoding="utf-8").strip()
        if folder.is_dir():
            return folder
    return path


def _order(fmt: str, record: SourceRecord) -> tuple[int, str, str]:
    if fmt == "log4brains":
        return (0, (record.date or dt.date.max).isoformat(), record.name)
    return (record.number if record.number is not None else 10 ** 6, "", record.name)


def read_log(path: Path, fmt: str) -> Log:
    """Every record file of the log at `path` (not its subfolders, indexes or templates),
    parsed; files that are links, binary, not UTF-8 or too big are skipped, saying why."""
    folder = log_folder(path, fmt)
    records: list[SourceRecord] = []
    skipped: list[str] = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.is_dir() and not entry.is_symlink():
            if entry.name.startswith("."):
                continue
            skipped.append(f"{entry.name}/: a subfolder; import it on its own if it holds "
                           "records")
        elif not is_record_name(fmt, entry.name):
            if entry.name.endswith(".md"):
                skipped.append(f"{entry.name}: not a record of a {fmt} log (an index or a "
                               "template)")
        elif entry.is_symlink() or not entry.is_file():
            skipped.append(f"{entry.name}: a symbolic link or special file")
        elif entry.stat().st_size > MAX_SOURCE_BYTES:
            skipped.append(f"{entry.name}: over {MAX_SOURCE_BYTES // 1024} KiB, too big for a "
                           "decision record")
        else:
            data = entry.read_bytes()
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                skipped.append(f"{entry.name}: not UTF-8 text; save it as UTF-8 and import "
                               "again")
                continue
            if "\x00" in text:
                skipped.append(f"{entry.name}: a binary file")
                continue
            records.append(parse_source(fmt, entry.name, text.replace("\r\n", "\n")))
    records.sort(key=lambda r: _order(fmt, r))
    return Log(folder, tuple(records), _prefix(folder), tuple(skipped))


def _inside_git(folder: Path) -> bool:
    try:
        return git(folder, "rev-parse", "--is-inside-work-tree").strip() == b"true"
    except UsageError:
        return False


def _prefix(folder: Path) -> str:
    """The folder as a path in its git repository (`doc/adr/`), else its last two names
    (`docs/decisions/`: where logs usually live, and no path of this computer)."""
    if _inside_git(folder):
        return git(folder, "rev-parse", "--show-prefix").decode("utf-8", "replace").strip()
    return "/".join(folder.resolve().parts[-2:]) + "/"


def histories(log: Log) -> dict[str, FileHistory]:
    """For each record file under git: the day it was added and last changed, and the email
    of whoever added it (following renames). Nothing for a log outside git."""
    if not _inside_git(log.folder):
        return {}
    found: dict[str, FileHistory] = {}
    for record in log.records:
        out = git(log.folder, "log", "--follow", "--format=%aI%x09%ae", "--", record.name)
        commits = [line.split("\t", 1) for line in out.decode("utf-8", "replace").splitlines()
                   if "\t" in line]
        if not commits:
            continue  # never committed
        found[record.name] = FileHistory(
            added=dt.datetime.fromisoformat(commits[-1][0]).date(),
            changed=dt.datetime.fromisoformat(commits[0][0]).date(),
            emails=(commits[-1][1],))
    return found
