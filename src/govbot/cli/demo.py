"""`govbot demo`: a whole decision lifecycle, offline, in a throwaway git repository.

It runs the real pieces, not canned text: `scaffold` writes the repository, `govbot new` the
proposal, `check_tree` validates it against the base branch, `judge` and `render_comment`
judge snapshots built the way `govbot snapshot` takes them from GitHub (DESIGN §5), git
merges, and `publish_local` stamps the record and regenerates the changelog and the plan.
Like cli.py it is an edge: it writes files, runs git and prints (through `say`).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from govbot.model.errors import UsageError

Say = Callable[[str], None]
REPO = "example-org/governance"
CHAIR, AUTHOR, MEMBERS = "amara", "ben", ("amara", "ben", "chen", "dana")
GOALS = (("Run reliable shared infrastructure",
          "Our mirrors and CI are the main reason projects join us."),
         ("Grow a healthy contributor community",
          "Most projects depend on a handful of tired people."))
TITLE = "Add an objective on mentoring new maintainers"
OBJECTIVE = "Pair every new maintainer with a mentor for their first six months."
_IDS = {login: 1000 + n for n, login in enumerate(MEMBERS)}


def _user(login: str) -> dict[str, Any]:
    return {"login": login, "id": _IDS.get(login, 9999), "type": "User"}


def _time(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def snapshot(number: int, title: str, head: str, opened: dt.datetime, taken: dt.datetime,
             records: dict[str, str], reviews: Sequence[tuple[str, str, str, dt.datetime]],
             *, merged: bool = False, closed: bool = False, author: str = AUTHOR
             ) -> dict[str, Any]:
    """A snapshot document (DESIGN §5 shape) of PR `number` by `author`; `reviews` are
    (login, state, body, submitted_at)."""
    pull: dict[str, Any] = {
        "number": number, "title": title, "state": "closed" if merged or closed else "open",
        "draft": False, "merged": merged, "user": _user(author), "created_at": _time(opened),
        "html_url": f"https://github.com/{REPO}/pull/{number}",
        "head": {"ref": "proposal", "sha": head}, "base": {"ref": "main"}}
    if merged:
        pull |= {"merged_at": _time(taken), "merged_by": _user(CHAIR)}
    if merged or closed:
        pull["closed_at"] = _time(taken)
    return {
        "schema": "govbot.snapshot/1", "repository": REPO, "taken_at": _time(taken),
        "pull_request": pull, "ready_at": _time(opened),
        "files": [{"filename": path, "status": "added"} for path in records],
        "reviews": [{"id": 100 + n, "user": _user(login), "state": state, "body": body,
                     "commit_id": head, "submitted_at": _time(at),
                     "html_url": f"https://github.com/{REPO}/pull/{number}#review-{100 + n}"}
                    for n, (login, state, body, at) in enumerate(reviews)],
        "comments": [], "records": records, "stale_commits": []}


class Demo:
    """One run of the demo in `root` (an empty directory), narrated through `say`."""

    def __init__(self, root: Path, say: Say, today: dt.date):
        self.root = root
        self.say = say
        # the proposal is opened today (day 10); the votes and the merge follow in the week
        self.start = dt.datetime.combine(today - dt.timedelta(days=10), dt.time(9),
                                         tzinfo=dt.UTC)

    def git(self, *args: str) -> str:
        from govbot.git.repo import git

        return git(self.root, *args).decode("utf-8")

    def at(self, days: float) -> dt.datetime:
        return self.start + dt.timedelta(days=days)

    def heading(self, text: str) -> None:
        self.say(f"\n== {text}\n")

    def show(self, text: str, indent: str = "    ") -> None:
        self.say("".join(f"{indent}{line}".rstrip() + "\n" for line in text.splitlines()))

    def init(self) -> None:
        """Scaffold the repository, commit the rules, adopt the plan through a first vote."""
        from govbot.cli.scaffold import Answers, scaffold, write_files

        self.heading("1. govbot init: scaffold a governance repository")
        self.git("init", "-q", "-b", "main")
        for key, value in (("user.name", "Demo Secretary"), ("user.email", "demo@example.org"),
                           ("commit.gpgsign", "false")):
            self.git("config", key, value)
        answers = Answers(org="Example Foundation", plan_title="Strategic Plan", goals=GOALS,
                          chair=CHAIR, members=MEMBERS[1:], today=self.start.date())
        files = scaffold(answers)
        written, _ = write_files(self.root, files, force=False)
        self.say("".join(f"    created {path}\n" for path in written))
        record = next(p for p in files if p.startswith("decisions/"))
        self.git("add", "governance.yml", ".github")
        self.git("commit", "-q", "-m", "Bootstrap the governance repository")
        self.say(f"The committee ({', '.join(MEMBERS)}; {CHAIR} chairs) and its rules are on "
                 f"main. {record} adopts the plan: it went through pull request #1, "
                 "everyone approved, and it merged:\n")
        self.merge(1, "adopt-plan", [record], "Adopt the Strategic Plan",
                   [(m, "APPROVED", "", self.at(1)) for m in MEMBERS if m != AUTHOR],
                   opened=self.at(0.5), merged=self.at(9))
        self.show(self.git("log", "--oneline", "--first-parent"))

    def merge(self, number: int, branch: str, paths: list[str], title: str,
              reviews: Sequence[tuple[str, str, str, dt.datetime]], *, opened: dt.datetime,
              merged: dt.datetime) -> str:
        """Commit `paths` on a branch, merge it into main and publish it with the final
        snapshot; return the publish commit."""
        from govbot.git.publish import publish_local

        if branch != "proposal":
            self.git("checkout", "-q", "-b", branch)
            self.git("add", *paths)
            self.git("commit", "-q", "-m", title)
        head = self.git("rev-parse", "HEAD").strip()
        self.git("checkout", "-q", "main")
        self.git("merge", "-q", "--no-ff", branch, "-m",
                 f"Merge pull request #{number} from example-org/{branch}")
        records = {p: (self.root / p).read_text(encoding="utf-8") for p in paths}
        final = snapshot(number, title, head, opened, merged, records, reviews, merged=True)
        path = self.root / ".git" / f"govbot-demo-pr{number}.json"
        path.write_text(json.dumps(final, indent=2), encoding="utf-8")
        result = publish_local(self.root, pr=number, snapshot=path)
        if result.sha is None or result.left:
            raise UsageError("the demo's publish step did not record the decision; please "
                             "report this")
        return result.sha

    def propose(self) -> str:
        """`govbot new` on a branch, fill in the record, check it against main."""
        from govbot.git.repo import read_ref, read_worktree
        from govbot.git.workspace import new_record
        from govbot.model.findings import format_text
        from govbot.rules.checks import check_tree

        self.heading(f"2. govbot new: {AUTHOR} proposes a change on a branch")
        self.git("checkout", "-q", "-b", "proposal")
        path = new_record(self.root, TITLE, "plan", [AUTHOR], None, self.at(0).date())
        self.say(f"$ govbot new {json.dumps(TITLE)} --author {AUTHOR}\n    {path}\n")
        text = _fill_in((self.root / path).read_text(encoding="utf-8"))
        (self.root / path).write_text(text, encoding="utf-8")
        self.say(f"{AUTHOR} fills in the record's changes and sections:\n")
        self.show(text)
        self.heading("3. govbot check --base main: the proposal applies to the plan on main")
        findings = check_tree(read_worktree(self.root), read_ref(self.root, "main"), {path})
        self.say(format_text(findings) or "    no problems found\n")
        if findings:
            raise UsageError("the demo's proposal did not pass govbot check; please report this")
        self.git("add", path)
        self.git("commit", "-q", "-m", TITLE)
        return path

    def vote(self, path: str) -> list[tuple[str, str, str, dt.datetime]]:
        """The votes arrive: tally each snapshot and render the status comment."""
        from govbot.git.repo import load_worktree_config, read_ref
        from govbot.github.botstate import comment_body
        from govbot.render.comment import render_comment
        from govbot.vote.judge import judge
        from govbot.vote.snapshot import load_snapshot

        self.heading("4. The committee votes: govbot tallies each snapshot of pull request #2")
        config = load_worktree_config(self.root)
        head = self.git("rev-parse", "HEAD").strip()
        records = {path: (self.root / path).read_text(encoding="utf-8")}
        base = read_ref(self.root, "main").records
        steps = [
            ("opened: the author's own proposal counts as approving", [], self.at(10)),
            ("chen approves in a review",
             [("chen", "APPROVED", "Good idea.", self.at(11))], self.at(11)),
            ("dana objects (requests changes)",
             [("dana", "CHANGES_REQUESTED", "Who pays for the mentors' time?",
               self.at(12))], self.at(12)),
            ("amara (chair) approved a day after dana objected; now the review week is over",
             [("amara", "APPROVED", "", self.at(13))], self.at(17.5)),
        ]
        reviews: list[tuple[str, str, str, dt.datetime]] = []
        for number, (what, new, now) in enumerate(steps, 1):
            reviews += new
            data = snapshot(2, TITLE, head, self.at(10), now, records, reviews)
            pull = load_snapshot(data, "demo")
            result = judge(pull, config, base, now)  # what `govbot run` decides
            comment = comment_body(render_comment(result, pull))
            self.say(f"\n-- 4.{number} {what} (now = {now:%Y-%m-%d %H:%M} UTC)\n")
            self.say(f"    outcome: {result.outcome}\n")
            for need in result.needs:
                self.say(f"    needs: {need}\n")
            if number in (1, len(steps)):
                self.say("    the status comment on the pull request:\n")
                self.show(comment, "    | ")
            else:
                headline = next(line for line in comment.splitlines() if line.startswith("## "))
                self.say(f"    the comment's headline: {headline.removeprefix('## ')}\n")
        return reviews

    def publish(self, path: str, reviews: list[tuple[str, str, str, dt.datetime]]) -> None:
        """Merge, publish locally, show the stamped record, the changelog and the plan diff."""
        self.heading("5. Merge and govbot publish --local")
        before = self.git("rev-parse", "main").strip()
        sha = self.merge(2, "proposal", [path], TITLE, reviews, opened=self.at(10),
                         merged=self.at(18))
        self.say(f"merged pull request #2 into main; publish committed {sha[:7]}:\n")
        self.show(self.git("show", "--stat", "--format=%s", "HEAD"))
        text = (self.root / path).read_text(encoding="utf-8")
        front = text.split("---", 2)[1]
        self.say("the record, stamped with the vote (its front matter):\n")
        self.show(front.strip("\n"))
        self.heading("6. The changelog entry (CHANGELOG.md)")
        changelog = (self.root / "CHANGELOG.md").read_text(encoding="utf-8")
        self.show(_first_release(changelog))
        self.heading("7. The plan diff (git diff PLAN.md)")
        diff = self.git("diff", "--unified=1", before, "HEAD", "--", "PLAN.md")
        self.show("\n".join(line for line in diff.splitlines()
                             if not line.startswith(("diff ", "index ", "--- ", "+++ "))))


CHANGES = f"""changes:
  - op: add-objective
    goal: G2
    objective: G2.1
    text: {OBJECTIVE}
"""
BODY = {
    "Context": "New maintainers often leave within a year when nobody helps them settle in.",
    "Decision": "Add objective G2.1 to the community goal: every new maintainer gets a mentor.",
    "Consequences": "Staff recruit mentors; each gives about two hours a month.",
}


def _fill_in(template: str) -> str:
    """What the proposer does to the record `govbot new` wrote: the changes (in place of the
    template's commented example) and a paragraph under each section."""
    _, front, body = template.split("---\n", 2)
    kept = "".join(line + "\n" for line in front.splitlines()
                   if not line.lstrip().startswith("#"))
    out = []
    for block in body.split("## ")[1:]:
        name = block.split("\n", 1)[0].strip()
        out.append(f"## {name}\n\n{BODY.get(name, block.split(chr(10), 1)[1].strip())}\n")
    return f"---\n{kept}{CHANGES}---\n" + "\n".join(out)


MOTION = "Meet every week instead of every month"
MOTION_BODY = ("## Context\n\nDecisions wait up to a month for the next meeting.\n\n"
               "## Decision\n\nThe committee meets every week.\n\n"
               "## Consequences\n\nFour times the meetings; shorter agendas.\n")


def reject(demo: Demo) -> None:
    """A motion voted down and closed unmerged: govbot records it as rejected, with its
    votes and the community's voice (what the govbot workflow's record-closed job does)."""
    from govbot.git.publish import write_files
    from govbot.git.repo import load_worktree_config, read_ref
    from govbot.model.records import read_records
    from govbot.model.vocab import GENERATED_FILES
    from govbot.publish.close import close_changes, closed_motion

    demo.heading("8. A motion voted down: pull request #3 closes unmerged, and its record stays")
    path = "decisions/0003-meet-every-week-instead-of-every-month.md"
    text = (f"---\nid: 3\ntitle: {MOTION}\nkind: policy\nstatus: proposed\n"
            f"created: {demo.at(10).date()}\nauthors: [dana]\n---\n{MOTION_BODY}")
    reviews = [("amara", "CHANGES_REQUESTED", "Monthly is enough for a volunteer board.",
                demo.at(19.5)),
               ("chen", "CHANGES_REQUESTED", "I could not attend weekly.", demo.at(20)),
               ("ben", "APPROVED", "", demo.at(20.5)),
               ("a-contributor", "APPROVED", "", demo.at(21))]
    demo.say("dana proposes weekly meetings; amara and chen object, ben approves, and a "
             "contributor who is not on the committee supports it. dana closes the pull "
             "request unmerged:\n")
    data = snapshot(3, MOTION, "3e" * 20, demo.at(19), demo.at(22), {path: text}, reviews,
                    closed=True, author="dana")
    config = load_worktree_config(demo.root)
    base = read_ref(demo.root, "main").records
    closed = closed_motion(data, config, base, "demo")
    demo.say(f"    outcome when it closed: {closed.outcome}, so the record is {closed.status}\n")
    files = {p: (demo.root / p).read_bytes() for p in [
        *(f"decisions/{f.name}" for f in (demo.root / "decisions").iterdir()),
        *GENERATED_FILES] if (demo.root / p).is_file()}
    changes = close_changes(files, closed, config, demo.root)
    write_files(demo.root, changes)
    demo.git("add", "-A", "decisions", *GENERATED_FILES)
    demo.git("commit", "-q", "-m", f"Record the closed motion of #3: {closed.status}")
    record, _ = read_records({path: (demo.root / path).read_bytes()})
    demo.say("the record on main (its front matter):\n")
    demo.show(record[0].text.split("---", 2)[1].strip("\n"))
    changelog = (demo.root / "CHANGELOG.md").read_text(encoding="utf-8")
    demo.heading("9. The changelog lists it under its own heading")
    demo.show("## Motions not adopted" + changelog.split("## Motions not adopted", 1)[1])


def _first_release(changelog: str) -> str:
    """The newest version's section of a Keep a Changelog file."""
    sections = changelog.split("\n## ")
    return "## " + sections[1].strip() if len(sections) > 1 else changelog


def run_demo(root: Path, say: Say, *, today: dt.date | None = None) -> None:
    """The whole demo in `root`, which must be empty (or not exist yet)."""
    if shutil.which("git") is None:
        raise UsageError("govbot demo needs git, and git was not found on PATH; install git "
                         "(e.g. apt install git, brew install git) and run it again")
    if root.exists() and any(root.iterdir()):
        raise UsageError(f"{root} is not empty; give --keep a new or empty directory")
    root.mkdir(parents=True, exist_ok=True)
    demo = Demo(root, say, today or dt.datetime.now(dt.UTC).date())
    demo.init()
    path = demo.propose()
    reviews = demo.vote(path)
    demo.publish(path, reviews)
    reject(demo)
    say("\nThat was the whole lifecycle. To set up a real repository: govbot init DIR, then "
        "follow the checklist it prints.\n")
