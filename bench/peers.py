"""Inputs for the side-by-side measurements: towncrier news fragments, an MkDocs project and a
tally snapshot.

`towncrier_project(root, files)` writes a towncrier project with one news fragment per decision
record of a synthetic repository (its title, link, PR and approvers: what govbot's changelog
says about it), so `towncrier build --draft` does the job `govbot render` does for CHANGELOG.md.
`mkdocs_project(root, files)` writes the same records as Markdown pages of an MkDocs project
(a page per record and an index linking them all), so `mkdocs build` does the job `govbot site`
does for the records' pages.
`tally_snapshot(files, reviews, comments)` builds a PR snapshot (DESIGN §5) with that many
reviews and comments, from the synthetic repository's committee.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from synth import COMMITTEE

TOWNCRIER_TOML = """\
[tool.towncrier]
name = "Strategic Plan"
directory = "newsfragments"
filename = "CHANGELOG.md"
issue_format = "[#{issue}](decisions/{issue}.md)"
title_format = "## {name} {version} ({project_date})"
underlines = ["", "", ""]

[[tool.towncrier.type]]
directory = "plan"
name = "Plan"
showcontent = true

[[tool.towncrier.type]]
directory = "policy"
name = "Policy"
showcontent = true

[[tool.towncrier.type]]
directory = "governance"
name = "Governance"
showcontent = true

[[tool.towncrier.type]]
directory = "review"
name = "Review"
showcontent = true
"""
_FIELD = re.compile(r"^(id|title|kind|pr): (.*)$", re.MULTILINE)
_VOTER = re.compile(r"\{member: ([^,]+), vote: approve")


def fragment(text: str) -> tuple[str, str]:
    """(file name, content) of the news fragment equivalent to one record's changelog entry."""
    front = text.split("\n---\n", 1)[0]
    fields = dict(_FIELD.findall(front))
    approvers = _VOTER.findall(front)
    content = fields["title"]
    if "pr" in fields:
        content += f" (PR #{fields['pr']}; approved by {', '.join(approvers)})"
    return f"{fields['id']}.{fields['kind']}.md", content + "\n"


def towncrier_project(root: Path, files: Mapping[str, bytes]) -> Path:
    """A towncrier project in `root` with one fragment per record in `files`."""
    directory = root / "newsfragments"
    directory.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(TOWNCRIER_TOML)
    for path, data in files.items():
        if path.startswith("decisions/"):
            name, content = fragment(data.decode())
            (directory / name).write_text(content)
    return root


MKDOCS_YML = """\
site_name: Decisions
# Only the index is in the navigation (each page otherwise lists all N pages: N² work that
# govbot's site does not do); every page is still built. No search index, no sitemap plugin.
nav:
  - index.md
plugins: []
theme:
  name: mkdocs
"""


def mkdocs_project(root: Path, files: Mapping[str, bytes]) -> Path:
    """An MkDocs project in `root`: every record in `files` as a Markdown page (its title as
    heading, its body as text) and an index page linking to every record."""
    docs = root / "docs" / "decisions"
    docs.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(MKDOCS_YML)
    index = ["# Decisions", ""]
    for path, data in sorted(files.items()):
        if not path.startswith("decisions/"):
            continue
        text = data.decode()
        front, body = text[4:].split("\n---\n", 1)
        fields = dict(_FIELD.findall(front))
        name = path.removeprefix("decisions/")
        (docs / name).write_text(f"# {fields['title']}\n\n{body}")
        index.append(f"- [{fields['id']}: {fields['title']}](decisions/{name})")
    (root / "docs" / "index.md").write_text("\n".join(index) + "\n")
    return root


def _user(login: str, uid: int, kind: str = "User") -> dict[str, Any]:
    return {"login": login, "id": uid, "type": kind,
            "html_url": f"https://github.com/{login}"}


def _stamp(start: dt.datetime, seconds: int) -> str:
    return (start + dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def tally_snapshot(files: Mapping[str, bytes], reviews: int, comments: int,
                   seed: int = 7) -> dict[str, Any]:
    """A snapshot of one plan PR with `reviews` reviews and `comments` comments.

    Reviews come from members, non-members and bots in every state over many pushes (some
    commits stale); comments mix vote commands, chatter, edited commands and bot comments."""
    rng = random.Random(seed)
    path = next(p for p, d in sorted(files.items())
                if p.startswith("decisions/") and b"status: proposed" in d
                and b"kind: plan" in d)
    start = dt.datetime(2025, 12, 1, 9, 0, tzinfo=dt.UTC)
    commits = [f"{rng.getrandbits(160):040x}" for _ in range(40)]
    head = commits[-1]
    members = [(c[0], c[1]) for c in COMMITTEE if c[5] is None or c[5] >= "2025-12-01"]
    outsiders = [(f"contributor-{i}", 900000 + i) for i in range(30)]
    people = members * 4 + outsiders
    review_items = []
    for index in range(reviews):
        login, uid = rng.choice(people)
        state = rng.choices(("APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED"),
                            (5, 1, 3, 1))[0]
        review_items.append({
            "id": 5000000 + index, "user": _user(login, uid), "state": state,
            "body": "Looks right to me." if state != "CHANGES_REQUESTED"
            else "The deadline is too short for the team that owns it.",
            "commit_id": commits[min(len(commits) - 1, index * len(commits) // reviews)],
            "submitted_at": _stamp(start, 600 * index),
            "html_url": f"https://github.com/org/governance/pull/42#review-{index}",
            "author_association": "MEMBER"})
    commands = ("/govbot abstain", "/govbot object the budget line is missing",
                "/govbot retract", "/govbot recuse I work for the supplier",
                "Thanks, I will read it this week.", "Could we link the annual review?",
                "Some context first.\n/govbot object this conflicts with G3.2")
    comment_items = []
    for index in range(comments):
        roll = rng.random()
        login, uid, kind = (*rng.choice(people), "User") if roll > 0.1 else (
            "github-actions[bot]", 41898282, "Bot")
        created = _stamp(start, 300 * index + 7)
        edited = rng.random() < 0.05
        comment_items.append({
            "id": 7000000 + index, "user": _user(login, uid, kind),
            "body": rng.choice(commands), "created_at": created,
            "updated_at": _stamp(start, 300 * index + 99) if edited else created,
            "html_url": f"https://github.com/org/governance/pull/42#issuecomment-{index}",
            "author_association": "MEMBER"})
    return {
        "schema": "govbot.snapshot/1", "repository": "org/governance",
        "taken_at": _stamp(start, 600 * reviews + 300 * comments + 60),
        "pull_request": {
            "number": 42, "title": "Add an objective", "state": "open", "draft": False,
            "merged": False, "user": _user(members[1][0], members[1][1]),
            "head": {"sha": head, "ref": "objective"}, "base": {"sha": commits[0],
                                                             "ref": "main"},
            "created_at": _stamp(start, 0),
            "html_url": "https://github.com/org/governance/pull/42"},
        "ready_at": _stamp(start, 0),
        "files": [{"filename": path, "status": "added", "additions": 20, "deletions": 0,
                   "changes": 20}],
        "reviews": review_items, "comments": comment_items,
        "records": {path: files[path].decode()},
        "stale_commits": commits[:30],
    }


def write_snapshot(target: Path, files: Mapping[str, bytes], reviews: int,
                   comments: int) -> Path:
    """Write `tally_snapshot(...)` as JSON to `target`."""
    target.write_text(json.dumps(tally_snapshot(files, reviews, comments), indent=1))
    return target
