"""Local files and git: the working tree, files at a ref, and local commits."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from govbot.model.config import CONFIG_FILE, Config, load_config
from govbot.model.errors import ConfigError, RecordError, UsageError
from govbot.model.findings import Finding
from govbot.model.records import RecordFile, Stray, Symlink, Tree, read_records
from govbot.model.yamlio import decode

DECISIONS_DIR = "decisions"
_READ_LIMIT = 16 * 1024 * 1024  # never read more than this of any one file
LINK_MODE = "120000"  # git's file mode of a symbolic link


def _read_limited(path: Path | str) -> bytes:
    """At most _READ_LIMIT + 1 bytes of a file (one more than the limit, so a caller can
    tell the file is too long)."""
    with open(path, "rb") as handle:
        # read(n) allocates n bytes up front: ask for the file's size (plus one, to see the
        # end), and only read on when the file has grown since
        wanted = min(os.fstat(handle.fileno()).st_size, _READ_LIMIT) + 1
        data = handle.read(wanted)
        if len(data) == wanted and wanted <= _READ_LIMIT:
            data += handle.read(_READ_LIMIT + 1 - wanted)
        return data


def blob_id(data: bytes) -> str:
    """The id git gives a file's content (`git hash-object`), so a working-tree file and the
    same file at a ref compare equal."""
    import hashlib

    return hashlib.sha1(b"blob %d\0%b" % (len(data), data), usedforsecurity=False).hexdigest()


def worktree_decision_files(root: Path) -> dict[str, RecordFile]:
    """Everything under `decisions/` in the working tree: each `decisions/*.md` read, every
    other file (another extension, in a subfolder) as a `Stray` and every symbolic link as a
    `Symlink`, never followed; a `decisions` folder that is itself a link is reported as the
    one entry `decisions`."""
    directory = root / DECISIONS_DIR
    if directory.is_symlink():  # the folder itself: refused as a whole (records.read_records)
        return {DECISIONS_DIR: Symlink(os.readlink(directory))}
    if not directory.is_dir():
        return {}
    files: dict[str, RecordFile] = {}
    folders = [(directory, DECISIONS_DIR)]
    while folders:
        folder, rel_folder = folders.pop()
        # os.scandir: the file type comes with the listing (no stat per file)
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
        for entry in entries:
            rel = f"{rel_folder}/{entry.name}"
            if entry.is_symlink():
                files[rel] = Symlink(os.readlink(entry.path))
            elif entry.is_dir():
                folders.append((Path(entry.path), rel))
            elif not entry.is_file():
                continue  # a socket or a device: git cannot hold one either
            elif rel_folder == DECISIONS_DIR and entry.name.endswith(".md"):
                files[rel] = _read_limited(entry.path)
            else:
                files[rel] = Stray(blob_id(_read_limited(entry.path)))
    return files


def _config_link_finding() -> Finding:
    return Finding(CONFIG_FILE, None, "governance.yml must not be a symbolic link; replace the "
                   "link with the file itself", "file")


def worktree_config_text(root: Path) -> tuple[str | None, list[Finding]]:
    """governance.yml's text in a working tree (None when absent or unreadable, with why)."""
    config_path = root / CONFIG_FILE
    if config_path.is_symlink():
        return None, [_config_link_finding()]
    if not config_path.is_file():
        return None, []
    try:
        return decode(CONFIG_FILE, _read_limited(config_path), max_bytes=_READ_LIMIT,
                      what="governance.yml"), []
    except RecordError as exc:  # binary, non-UTF-8 or huge: a finding, not a crash
        return None, [Finding(CONFIG_FILE, exc.line, exc.message, "file")]


def read_worktree(root: Path) -> Tree:
    """governance.yml text and parsed records from a working tree."""
    records, findings = read_records(worktree_decision_files(root))
    config_text, problems = worktree_config_text(root)
    return Tree(config_text, tuple(records), (*findings, *problems))


def load_worktree_config(root: Path) -> Config:
    """The working tree's governance.yml, or ConfigError saying how to get one."""
    path = root / CONFIG_FILE
    if not path.is_file() or path.is_symlink():
        raise ConfigError(f"no {CONFIG_FILE} in {root}; run `govbot init` to create one, or "
                          "pass --repo to point at a governance repository")
    text = decode(CONFIG_FILE, _read_limited(path), max_bytes=_READ_LIMIT, what="governance.yml")
    return load_config(CONFIG_FILE, text)


def git(root: Path, *args: str, input_bytes: bytes | None = None) -> bytes:
    """Run git in `root` and return stdout; UsageError with git's message when it fails."""
    try:
        result = subprocess.run(["git", "-C", str(root), *args], input=input_bytes,
                                capture_output=True, check=False)
    except FileNotFoundError:
        raise UsageError("git is not installed; install it to use --base") from None
    if result.returncode != 0:
        # git's own words: its `fatal:`/`error:` lines (not the usage lines after them),
        # else whatever it printed, else its exit status
        lines = [line.strip() for line in result.stderr.decode("utf-8", "replace").splitlines()
                 if line.strip()]
        said = [line for line in lines if line.startswith(("fatal:", "error:"))] or lines
        raise UsageError(f"git {args[0] if args else ''} failed: " + (
            " ".join(said) if said else f"it exited with status {result.returncode} and "
            "printed no message"))
    return result.stdout


def _blobs(root: Path, ref: str, paths: list[tuple[str, str]]) -> dict[str, bytes]:
    if not paths:
        return {}
    request = "".join(f"{ref}:{path}\n" for path, _ in paths).encode()
    out = git(root, "cat-file", "--batch", input_bytes=request)
    blobs: dict[str, bytes] = {}
    position = 0
    for path, _ in paths:
        header_end = out.index(b"\n", position)
        header = out[position:header_end].split()
        size = int(header[2])
        start = header_end + 1
        blobs[path] = out[start:start + size]
        position = start + size + 1
    return blobs


def files_at_ref(root: Path, ref: str, directory: str = DECISIONS_DIR
                 ) -> dict[str, RecordFile]:
    """Everything under `decisions/` at a git ref, as `worktree_decision_files` gives it:
    each `decisions/*.md` read, other files as `Stray` (submodules too), symbolic links as
    `Symlink`, never followed; a `decisions` entry that is itself a link is reported as the
    one entry `decisions`."""
    git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    listing = git(root, "ls-tree", "-r", "-z", ref, "--", directory, f"{directory}/")
    entries: list[tuple[str, str]] = []
    others: dict[str, RecordFile] = {}
    for item in filter(None, listing.split(b"\0")):
        meta, path = item.decode("utf-8", "surrogateescape").split("\t", 1)
        mode, kind, object_id = meta.split()
        if path == directory and mode == LINK_MODE:
            return {directory: Symlink("")}
        if mode == LINK_MODE:
            others[path] = Symlink("")
        elif kind != "blob":
            others[path] = Stray(object_id, submodule=True)
        elif path.endswith(".md") and path.count("/") == 1:
            entries.append((path, mode))
        else:
            others[path] = Stray(object_id)
    return {**_blobs(root, ref, entries), **others}


def read_ref(root: Path, ref: str) -> Tree:
    """governance.yml text and parsed records as they are at a git ref."""
    records, findings = read_records(files_at_ref(root, ref))
    entry = git(root, "ls-tree", ref, "--", CONFIG_FILE).split(None, 1)
    text = None
    if entry and entry[0].decode() == LINK_MODE:
        findings.append(_config_link_finding())
    elif entry:
        try:
            text = decode(CONFIG_FILE, _blobs(root, ref, [(CONFIG_FILE, "")])[CONFIG_FILE],
                          max_bytes=_READ_LIMIT, what="governance.yml")
        except RecordError as exc:
            findings.append(Finding(CONFIG_FILE, exc.line, exc.message, "file"))
    return Tree(text, tuple(records), tuple(findings))
