"""gitrepo: reading governance files at a git ref without following links or crashing."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from govbot.git.repo import files_at_ref, read_ref, read_worktree, worktree_decision_files
from govbot.git.repo import git as run_git
from govbot.model.errors import UsageError
from govbot.model.records import Stray, Symlink

FOLDER_LINK = ("decisions: decisions/ must be a real folder, not a symbolic link; replace the "
               "link with a decisions/ folder holding the record files themselves")
CONFIG_LINK = ("governance.yml: governance.yml must not be a symbolic link; replace the link "
               "with the file itself")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty git repository with a fixed identity and no user configuration."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "test@example.org")
    git(tmp_path, "init", "-q", "-b", "main")
    return tmp_path


def git(repo: Path, *args: str) -> None:
    """Run git in the repository."""
    subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=True)


def commit(repo: Path) -> None:
    """Commit the whole tree."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "x")


def test_linked_decisions_folder_at_a_ref(repo: Path) -> None:
    """A `decisions` tree entry that is a link (mode 120000) is one finding, not followed."""
    (repo / "elsewhere").mkdir()
    (repo / "elsewhere" / "0001-x.md").write_text("---\nid: [\n---\n", encoding="utf-8")
    (repo / "decisions").symlink_to("elsewhere", target_is_directory=True)
    (repo / "governance.yml").symlink_to("elsewhere/0001-x.md")
    commit(repo)
    assert files_at_ref(repo, "HEAD") == {"decisions": Symlink("")}
    snapshot = read_ref(repo, "HEAD")
    assert (snapshot.config_text, snapshot.records) == (None, ())
    assert [str(f) for f in snapshot.findings] == [FOLDER_LINK, CONFIG_LINK]
    assert [str(f) for f in read_worktree(repo).findings] == [FOLDER_LINK, CONFIG_LINK]


@pytest.mark.parametrize(("content", "expected"), [
    (b"a\x00b", "governance.yml: the file is binary (it contains NUL bytes); governance.yml "
     "must be UTF-8 YAML text"),
    (b"x: \xff\n", "governance.yml:1: the file is not valid UTF-8 (byte 3); save it as UTF-8"),
])
def test_unreadable_governance_yml_at_a_ref(repo: Path, content: bytes, expected: str) -> None:
    """A binary or non-UTF-8 governance.yml at a ref is a finding about governance.yml."""
    (repo / "governance.yml").write_bytes(content)
    commit(repo)
    snapshot = read_ref(repo, "HEAD")
    assert snapshot.config_text is None
    assert [str(f) for f in snapshot.findings] == [expected]


def test_governance_yml_at_a_ref(repo: Path) -> None:
    """A readable governance.yml at a ref is returned as text."""
    (repo / "governance.yml").write_text("committee: []\n", encoding="utf-8")
    commit(repo)
    assert read_ref(repo, "HEAD").config_text == "committee: []\n"


@pytest.mark.parametrize(("args", "message"), [
    (("show", "nope"), "git show failed: fatal: ambiguous argument 'nope': unknown revision or "
     "path not in the working tree."),
    (("rev-parse", "--verify", "--quiet", "nope^{commit}"),
     "git rev-parse failed: it exited with status 1 and printed no message"),
    (("frobnicate",), "git frobnicate failed: git: 'frobnicate' is not a git command. See "
     "'git --help'."),
])
def test_git_errors_are_shown_as_git_says_them(repo: Path, args: tuple[str, ...],
                                               message: str) -> None:
    """A failing git command is reported in git's own words: its fatal line rather than the
    usage hint printed after it; everything it said when nothing is marked fatal; and its
    exit status when it said nothing (never "unknown error")."""
    with pytest.raises(UsageError) as caught:
        run_git(repo, *args)
    assert caught.value.message == message


def test_everything_under_decisions_is_read_or_reported(repo: Path) -> None:
    """`.MD`, other extensions, files in subfolders and submodules under decisions/ are
    listed (never read) the same way in the working tree and at a ref, each a finding."""
    decisions = repo / "decisions"
    (decisions / "old").mkdir(parents=True)
    (decisions / "0002-x.MD").write_text("---\nid: 2\n---\n", encoding="utf-8")
    (decisions / "notes.txt").write_bytes(b"\x00binary")
    (decisions / "old" / "0003-y.md").write_text("old\n", encoding="utf-8")
    (decisions / ".gitkeep").write_bytes(b"")
    commit(repo)
    sha = "a" * 40
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{sha},decisions/vendor")
    git(repo, "commit", "-q", "-m", "submodule")
    worktree, at_ref = read_worktree(repo), read_ref(repo, "HEAD")
    stray = {"decisions/.gitkeep", "decisions/0002-x.MD", "decisions/notes.txt",
             "decisions/old/0003-y.md"}
    listed = files_at_ref(repo, "HEAD")
    assert set(listed) == {*stray, "decisions/vendor"}
    assert listed["decisions/vendor"] == Stray(sha, submodule=True)
    assert {p: d for p, d in listed.items() if p in stray} == worktree_decision_files(repo)
    assert worktree.records == at_ref.records == ()
    assert [f.path for f in at_ref.findings] == sorted({*stray, "decisions/vendor"})
    assert [f.path for f in worktree.findings] == sorted(stray)
    assert "subfolder" in str(at_ref.findings[-2])
    assert "submodule" in str(at_ref.findings[-1])


def test_worktree_without_decisions_and_with_a_fifo(repo: Path) -> None:
    """No decisions/ folder lists nothing; a FIFO in it (git cannot hold one) is skipped."""
    assert worktree_decision_files(repo) == {}
    (repo / "decisions").mkdir()
    os.mkfifo(repo / "decisions" / "pipe")
    assert worktree_decision_files(repo) == {}
