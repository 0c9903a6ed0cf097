"""The governance repository on disk, for the commands that work on a checkout: what a
working tree changes against a git ref, `govbot check` of a tree (optionally as a change to
a ref), and `govbot new`'s next id and record file."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from govbot.git.repo import (
    files_at_ref,
    git,
    load_worktree_config,
    read_ref,
    read_worktree,
    worktree_decision_files,
)
from govbot.model.config import CONFIG_FILE, LOGIN
from govbot.model.errors import ConfigError, UsageError
from govbot.model.findings import Finding, hidden_characters, sort_findings
from govbot.model.records import FILENAME, Tree, record_path, slugify
from govbot.model.vocab import GENERATED_FILES, parse_time_option
from govbot.rules.checks import MAX_TITLE, check_tree, generated_findings
from govbot.rules.lifecycle import unstamped_findings
from govbot.rules.placeholders import (
    CODEOWNERS_PATHS,
    codeowners_placeholders,
    workflow_placeholders,
)

if TYPE_CHECKING:  # imported where used: `govbot check` starts without Jinja2 or the vote
    from govbot.git.importlog import Log
    from govbot.record.importer import ImportResult
    from govbot.vote.snapshot import PullSnapshot
    from govbot.vote.tally import Tally

MAX_RECORD_ID = 9999  # DESIGN §2: the id matches the file name's 4-digit prefix


def find_repository(start: Path) -> Path | None:
    """The governance repository around `start`, found as git finds its own: `start` or the
    nearest folder above it that holds governance.yml. The search stops at the top of the git
    repository `start` is in (a governance.yml outside it belongs to something else); None
    when there is none."""
    here = Path(os.path.abspath(start))
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).exists() or (folder / CONFIG_FILE).is_symlink():
            return folder
        if (folder / ".git").exists():
            return None
    return None


def locate_repository(given: Path | None, *, strict: bool = True) -> Path:
    """The repository a command works on: `given` (--repo) as it is, else the one found from
    the current folder (a relative path, so messages stay short). Outside one: ConfigError
    when `strict`, else the current folder (`run` and `publish` report a missing
    governance.yml themselves, in Actions)."""
    if given is not None:
        return given
    found = find_repository(Path.cwd())
    if found is not None:
        return Path(os.path.relpath(found))
    if strict:
        raise ConfigError(f"not in a governance repository: there is no {CONFIG_FILE} in "
                          f"{Path.cwd()} or in a folder above it; cd into one, pass --repo DIR, "
                          "or create one with govbot init")
    return Path(".")


def require_config(repo: Path) -> None:
    """ConfigError unless `repo` holds governance.yml (for commands that would otherwise print
    an empty plan, or write a site or a record, for a folder that is not a repository)."""
    if not (repo / CONFIG_FILE).exists() and not (repo / CONFIG_FILE).is_symlink():
        raise ConfigError(f"no {CONFIG_FILE} in {repo}, so it is not a governance repository; "
                          "pass --repo DIR, or create one with govbot init")


def changed_paths(repo: Path, ref: str) -> set[str]:
    """Paths under decisions/, governance.yml and the generated files (CHANGELOG.md, PLAN.md,
    decisions.json) whose bytes differ from `ref`."""

    head, base = worktree_decision_files(repo), files_at_ref(repo, ref)
    changed = {p for p in {*head, *base} if head.get(p) != base.get(p)}
    for name in (CONFIG_FILE, *GENERATED_FILES):
        path = repo / name
        listed = git(repo, "ls-tree", "--name-only", ref, "--", name).strip()
        old = git(repo, "show", f"{ref}:{name}") if listed else None
        new = path.read_bytes() if path.is_file() and not path.is_symlink() else None
        if old != new:
            changed.add(name)
    return changed


def selected_paths(repo: Path, paths: Sequence[Path], known: set[str]) -> set[str]:
    """PATHS given on the command line → repository-relative paths of the files to judge."""
    root = Path(os.path.abspath(repo))
    selected: set[str] = set()
    for given in paths:
        full = Path(os.path.abspath(given))
        if not full.is_relative_to(root):
            full = Path(os.path.abspath(root / given))
        if not full.is_relative_to(root):
            raise UsageError(f"{given} is not inside the repository {repo}")
        rel = full.relative_to(root).as_posix()
        matches = {k for k in known if rel in (".", k) or k.startswith(rel.rstrip("/") + "/")}
        if not matches and not full.is_symlink() and not full.exists():
            raise UsageError(f"{given}: no such file; give paths of decision records or "
                             "governance.yml")
        selected |= matches or {rel}
    return selected


def verify_ref(repo: Path, ref: str, option: str = "--base") -> None:
    """UsageError in git's own words when `ref` names no commit (a typo, a branch that was
    never fetched), before anything is read from it."""
    try:
        git(repo, "log", "-1", "--format=%H", "--end-of-options", ref, "--")
    except UsageError as exc:
        raise UsageError(f"{option} {ref}: {exc.message}") from None


MAX_SETTINGS_BYTES = 1024 * 1024  # a workflow or CODEOWNERS file is small


def _small_text(path: Path) -> str | None:
    """A small text file's contents; None for links, folders, huge or undecodable files."""
    if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_SETTINGS_BYTES:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None


def settings_findings(repo: Path, changed: set[str] | None) -> list[Finding]:
    """Placeholders left in the workflows and CODEOWNERS (`govbot init` wrote them), for a
    whole-repository check or when those files are named."""
    found: list[Finding] = []
    folder = repo / ".github" / "workflows"
    names = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    for name in names:
        rel = f".github/workflows/{name}"
        if name.endswith((".yml", ".yaml")) and (changed is None or rel in changed) and (
                text := _small_text(repo / rel)) is not None:
            found.extend(workflow_placeholders(rel, text))
    for rel in CODEOWNERS_PATHS:
        if (changed is None or rel in changed) and (text := _small_text(repo / rel)):
            found.extend(codeowners_placeholders(rel, text))
    return found


def check_repository(repo: Path, paths: Sequence[Path] = (), base_ref: str | None = None,
                     *, default_branch: bool = False
                     ) -> tuple[Tree, set[str] | None, list[Finding]]:
    """`govbot check`: the working tree, its changed paths (with `base_ref`: against that
    ref; narrowed to `paths` when given; None: the whole tree) and every finding. With
    `default_branch`, the tree is the default branch: a `proposed` record there was merged
    but not stamped by publish."""
    if default_branch and base_ref:
        raise UsageError("--default-branch checks the default branch itself and --base a "
                         "change to a branch; give one or the other")
    import gc

    if not (repo / CONFIG_FILE).exists() and not (repo / CONFIG_FILE).is_symlink():
        raise ConfigError(f"no {CONFIG_FILE} in {repo}; run govbot in a governance repository "
                          "or pass --repo")
    # Every record read stays alive until the report is printed, so the cycle collector
    # would only re-scan them (~15% of check at 10,000 records); paused, then restored.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if base_ref:
            verify_ref(repo, base_ref)
        tree = read_worktree(repo)
        base = read_ref(repo, base_ref) if base_ref else None
        changed: set[str] | None = changed_paths(repo, base_ref) if base_ref else None
        if paths:
            known = ({r.path for r in tree.records} | {f.path for f in tree.findings}
                     | {CONFIG_FILE})
            selected = selected_paths(repo, paths, known)
            changed = selected if changed is None else changed & selected
        findings = check_tree(tree, base, changed)
    finally:
        if collecting:
            gc.enable()
    if base_ref:  # a pull request's change: it may not edit what govbot generates
        findings = sort_findings([*findings, *generated_findings(changed or ())])
    else:
        findings = sort_findings([*findings, *settings_findings(repo, changed)])
    if default_branch:
        findings = sort_findings([*findings, *unstamped_findings(
            [r for r in tree.records if changed is None or r.path in changed])])
    return tree, changed, findings


def default_author(repo: Path) -> str | None:

    try:
        configured = git(repo, "config", "github.user").decode().strip()
    except UsageError:
        configured = ""
    return configured or os.environ.get("GITHUB_ACTOR") or None


def next_id(repo: Path, base_ref: str | None) -> int:
    """One more than the highest id in the working tree and on the base branch."""
    return max(used_ids(repo, base_ref), default=0) + 1


def used_ids(repo: Path, base_ref: str | None) -> set[int]:
    """Every record id in the working tree and on the base branch (`base_ref`, else
    origin/HEAD when it exists), from the records and their file names."""
    names = set(worktree_decision_files(repo))
    numbers = {r.id for r in read_worktree(repo).records if r.id is not None}
    ref = base_ref
    if ref is not None:
        verify_ref(repo, ref)
    else:
        try:
            files_at_ref(repo, "origin/HEAD")
            ref = "origin/HEAD"
        except UsageError:
            ref = None
    if ref is not None:
        names |= set(files_at_ref(repo, ref))
    numbers |= {int(m["number"]) for n in names if (m := FILENAME.match(n.rsplit("/", 1)[-1]))}
    return numbers


def new_record(repo: Path, title: str, kind: str, authors: Sequence[str], base_ref: str | None,
               today: dt.date) -> str:
    """`govbot new`: write decisions/NNNN-slug.md (status proposed) with the next free id
    (working tree, `origin/HEAD` or `base_ref`) from templates/record.md.j2; its path."""
    from govbot.model.plan import fold, next_objective_id
    from govbot.render.outputs import render_template

    title = " ".join(title.split())
    if not title or len(title) > MAX_TITLE:
        raise UsageError(f"the title must be 1 to {MAX_TITLE} characters long")
    if problem := hidden_characters(title):
        raise UsageError(f"the title {problem}")
    logins = [a.removeprefix("@") for a in authors] or [default_author(repo) or ""]
    for login in logins:
        if not LOGIN.match(login):
            raise UsageError(f"{login!r} is not a GitHub login; pass --author LOGIN"
                             if login else "who is proposing this? pass --author LOGIN")
    number = next_id(repo, base_ref)
    if number > MAX_RECORD_ID:
        raise UsageError(f"the next id would be {number}, but record ids have four digits "
                         f"(decisions/NNNN-slug.md) and {MAX_RECORD_ID} is the last; "
                         "this repository is full, so start a new one for the next plan")
    plan = fold(read_worktree(repo).records)[0]
    goal = next(iter(plan.active_goals()), None)
    context = {
        "id": number, "title_yaml": json.dumps(title, ensure_ascii=False), "kind": kind,
        "created": today.isoformat(), "authors": logins,
        "example_goal": goal.id if goal else "G1",
        "example_objective": next_objective_id(goal) if goal else "G1.1",
    }
    rel = record_path(number, slugify(title))
    if (repo / "decisions").is_symlink():
        raise UsageError("decisions/ must be a real folder, not a symbolic link; replace the "
                         "link with a decisions/ folder holding the record files themselves")
    (repo / "decisions").mkdir(exist_ok=True)
    try:
        with (repo / rel).open("x", encoding="utf-8") as handle:
            handle.write(render_template("record.md.j2", context, repo))
    except FileExistsError:
        raise UsageError(f"{rel} already exists") from None
    return rel


def tally_offline(snapshot_file: Path, repo: Path, now_text: str | None
                  ) -> tuple[Tally, PullSnapshot]:
    """`govbot tally`: judge a saved PR snapshot as `govbot run` would, against the
    repository's governance.yml and decisions/, as of `now_text` (default: when the
    snapshot was taken)."""
    from govbot.vote.judge import judge
    from govbot.vote.snapshot import load_snapshot

    try:
        data = json.loads(snapshot_file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"not a JSON snapshot: {exc}", path=str(snapshot_file)) from None
    snapshot = load_snapshot(data, str(snapshot_file))
    config = load_worktree_config(repo)
    now = parse_time_option("--now", now_text) if now_text else snapshot.taken_at
    return judge(snapshot, config, read_worktree(repo).records, now), snapshot


def import_log(repo: Path, path: Path, fmt: str, *, kind: str, author: str | None,
               dry_run: bool, today: dt.date) -> tuple[ImportResult, Log]:
    """`govbot import`: convert the log at `path` into records after the ids the repository
    uses (its files, also unreadable ones, and origin/HEAD), and write them under decisions/
    unless `dry_run` (never over an existing file)."""
    from govbot.git.importlog import histories, read_log
    from govbot.record.importer import convert_log

    log = read_log(path, fmt)
    if not log.records:
        names = "YYYYMMDD-slug.md" if fmt == "log4brains" else "NNNN-slug.md"
        raise UsageError(f"no {fmt} records in {log.folder} (looked for {names} files); check "
                         "the folder and --from")
    if author is not None and not LOGIN.match(author.removeprefix("@")):
        raise UsageError(f"--author {author!r} is not a GitHub login")
    fallback = author.removeprefix("@") if author else default_author(repo)
    if fallback is not None and not LOGIN.match(fallback):
        fallback = None
    result = convert_log(log.records, fmt, prefix=log.prefix, kind=kind,
                         taken=used_ids(repo, None), histories=histories(log),
                         fallback_author=fallback, today=today)
    if (repo / "decisions").is_symlink():
        raise UsageError("decisions/ must be a real folder, not a symbolic link")
    if not dry_run:
        (repo / "decisions").mkdir(exist_ok=True)
        for rel, text in result.files.items():
            with (repo / rel).open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
    return result, log


def detect_default_branch(directory: Path) -> tuple[str, str]:
    """(the repository's default branch, how it was found): origin/HEAD in a clone, else the
    branch checked out, else git's init.defaultBranch, else main."""
    folder = directory if directory.is_dir() else Path(".")
    for args, how, inside in (
            (("symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"),
             "the default branch of origin", True),
            (("symbolic-ref", "--quiet", "--short", "HEAD"), "the branch checked out", True),
            (("config", "--get", "init.defaultBranch"), "git's init.defaultBranch", False)):
        if inside and not directory.is_dir():
            continue
        try:
            name = git(folder, *args).decode("utf-8", "replace").strip()
        except UsageError:
            continue
        if args[-1] == "refs/remotes/origin/HEAD":
            name = name.removeprefix("origin/")
        if name:
            return name, how
    return "main", "no git branch found, so main"
