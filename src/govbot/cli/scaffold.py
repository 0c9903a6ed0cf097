"""`govbot init`: the files of a new governance repository, and the settings checklist.

`scaffold(answers)` is pure: it returns `{path: text}` for governance.yml (every key
commented), the adoption record `decisions/0001-adopt-<plan>.md`, the four workflows, a
CODEOWNERS suggestion and, on request, copies of the packaged templates. `write_files` is the
only function that writes, and it never overwrites a file unless told to; `init_state` reads
the result back (through `govbot check`), so the checklist lists only what is still to do.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template

import yaml

from govbot import __version__
from govbot.model.config import LOGIN, PLACEHOLDER_LOGIN  # one source for `init` and the checks
from govbot.model.errors import UsageError
from govbot.model.records import record_path, slugify
from govbot.rules.placeholders import DEFAULT_GOAL, PLACEHOLDER_SHA

FILES = Path(__file__).resolve().parent / "scaffold_files"
WORKFLOWS = ("govbot.yml", "govbot-sweep.yml", "govbot-validate.yml", "govbot-publish.yml")
_PUBLISH_BRANCHES = "    branches: [main]\n"  # in govbot-publish.yml: the default branch
# a branch name git accepts (git check-ref-format --branch), and that needs no YAML quoting
_BRANCH = re.compile(r"^(?!-)(?!.*\.\.)(?!.*//)(?!.*@\{)(?!.*\.lock$)[A-Za-z0-9._/-]+(?<![./])$")
# The pin in the packaged workflows; `--action` replaces it with the commit the user audited.
PLACEHOLDER_ACTION = "govbot/govbot@" + PLACEHOLDER_SHA
_PLACEHOLDER_USE = re.compile(re.escape(PLACEHOLDER_ACTION) + r" # [^\n]*")
_ACTION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+@[0-9a-f]{40}$")
_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._/()–-]*$")


@dataclass(frozen=True, slots=True)
class Answers:
    """What `govbot init` asked (or was told by flags)."""

    org: str
    plan_title: str
    goals: tuple[tuple[str, str], ...]
    chair: str
    members: tuple[str, ...] = ()
    today: dt.date = dt.date(2026, 1, 1)
    action: str | None = None
    templates: bool = False
    repository: str | None = None  # owner/name on GitHub, when known
    default_branch: str = "main"  # the branch the publish workflow runs on

    @property
    def committee(self) -> tuple[str, ...]:
        """The chair first, then the members, each login once."""
        seen: dict[str, str] = {self.chair.lower(): self.chair}
        for login in self.members:
            seen.setdefault(login.lower(), login)
        return tuple(seen.values())


def one_line(text: str) -> str:
    """User text for a YAML comment or a title: one line, surrounding space trimmed."""
    return " ".join(text.split())


def parse_goal(text: str, *, flag: bool = True) -> tuple[str, str]:
    """`"Title: rationale"` → (title, rationale); UsageError saying how to write it, worded
    for the `--goal` flag or, with `flag=False`, for the interactive prompt."""
    title, sep, rationale = text.partition(":")
    if not sep or not one_line(title) or not one_line(rationale):
        example = '"Grow our community: most projects depend on a few people"'
        if flag:
            raise UsageError(f"--goal {text!r}: write a goal as \"Title: why it matters\", "
                             f"e.g. --goal {example}")
        raise UsageError(f"write the goal as a title, a colon, then why it matters, e.g. "
                         f"{example.strip(chr(34))}")
    return one_line(title), one_line(rationale)


def check_login(login: str, option: str) -> str:
    """A GitHub login, or UsageError naming the option."""
    if not LOGIN.match(login):
        raise UsageError(f"{option} {login!r} is not a GitHub login (letters, digits and "
                         "single hyphens, at most 39 characters)")
    return login


def login_answer(value: str) -> str:
    """A login typed at a prompt (an @ in front is fine), or UsageError saying why without
    naming any flag."""
    login = value.strip().removeprefix("@")
    if not LOGIN.match(login):
        raise UsageError(f"{value.strip()!r} is not a GitHub login (letters, digits and single "
                         "hyphens, at most 39 characters); type the name in the person's "
                         "GitHub profile address")
    return login


def logins_answer(value: str) -> str:
    """Logins typed at a prompt, separated by spaces or commas → space-separated logins."""
    return " ".join(login_answer(item) for item in value.replace(",", " ").split())


def check_repository(repository: str) -> str:
    """`owner/name`, or UsageError naming the option."""
    from govbot.model.config import REPOSITORY

    if not REPOSITORY.match(repository):
        raise UsageError(f"--repository {repository!r} must be the GitHub repository as "
                         "OWNER/NAME, e.g. my-org/governance")
    return repository


def check_branch(branch: str) -> str:
    """A branch name, or UsageError naming the option."""
    if not _BRANCH.match(branch) or branch.startswith(("/", ".")) or "/." in branch:
        raise UsageError(f"--default-branch {branch!r} is not a branch name; give the "
                         "repository's default branch as GitHub shows it, e.g. main")
    return branch


def check_action(ref: str) -> str:
    """`owner/repo@<40-hex sha>`, or UsageError (actions are pinned by commit, not tag)."""
    if not _ACTION.match(ref):
        raise UsageError(f"--action {ref!r} must be OWNER/REPO@SHA with the full 40-character "
                         "commit SHA of the govbot release you audited (tags can be moved)")
    return ref


def scalar(value: str) -> str:
    """A YAML scalar that reads back as exactly `value`: plain when safe, else quoted."""
    if _PLAIN.match(value) and yaml.safe_load(value) == value and ": " not in value:
        return value
    return json.dumps(value, ensure_ascii=False)


def _template(name: str, **values: str) -> str:
    return Template((FILES / name).read_text(encoding="utf-8")).substitute(values)


def governance_yml(answers: Answers) -> str:
    """governance.yml with the chair and members seated from today and every key explained."""
    lines = []
    for index, login in enumerate(answers.committee):
        lines += [f"  - login: {login}",
                  f"    name: {login}  # their full name, as shown on the site",
                  f"    role: {'chair' if index == 0 else 'member'}",
                  f"    from: {answers.today.isoformat()}"]
    size = len(answers.committee)
    return _template("governance.yml.tmpl", org=one_line(answers.org),
                     committee="\n".join(lines) + "\n", links=links_yml(answers.repository),
                     plan_min=str(min(2, size)), policy_min=str(min(2, size)),
                     governance_min=str(min(3, size)))


def links_yml(repository: str | None) -> str:
    """The `repository` and `site_url` keys for a repository on GitHub (its Pages URL is
    derived), or the same keys commented out with placeholders when it is not known."""
    if repository is None:
        return ("# repository: my-org/governance\n"
                "# site_url: https://my-org.github.io/governance/\n")
    owner, name = repository.split("/", 1)
    host = f"{owner.lower()}.github.io"
    site = f"https://{host}/" if name.lower() == host else f"https://{host}/{name}/"
    return f"repository: {repository}\nsite_url: {site}\n"


def adoption_record(answers: Answers) -> tuple[str, str]:
    """(path, text) of record 1: a proposed plan record that adds each goal."""
    title = f"Adopt the {one_line(answers.plan_title)}"
    changes = []
    for number, (goal_title, rationale) in enumerate(answers.goals or (DEFAULT_GOAL,), 1):
        changes += ["  - op: add-goal",
                    f"    goal: G{number}",
                    f"    title: {scalar(goal_title)}",
                    f"    rationale: {scalar(rationale)}"]
    text = _template("adopt.md.tmpl", title=scalar(title), created=answers.today.isoformat(),
                     chair=answers.chair, changes="\n".join(changes),
                     org=one_line(answers.org), plan_title=one_line(answers.plan_title))
    return record_path(1, slugify(title.replace("–", " "))), text


def workflow(name: str, action: str | None, branch: str = "main") -> str:
    """One packaged workflow, with the govbot action pinned to `action` when given (else
    the placeholder pin, which says so and which `govbot check` flags), and the publish
    workflow on pushes to `branch`."""
    text = (FILES / "workflows" / name).read_text(encoding="utf-8")
    text = text.replace(_PUBLISH_BRANCHES, f"    branches: [{branch}]\n")
    if action is None:
        return text
    return _PLACEHOLDER_USE.sub(f"{action} # v{__version__}", text)


def codeowners(answers: Answers) -> str:
    """CODEOWNERS: the chair reviews the roster, the workflows and the templates (with the
    placeholder chair, the placeholder owner, which `govbot check` flags)."""
    owner = f"@{answers.chair}"
    return ("# Changes to the roster, the rules, the bot's workflows and the templates need a\n"
            "# review from these owners (turn on \"Require review from Code Owners\" in the\n"
            "# branch protection of the default branch). Add more owners, or a team.\n"
            f"/governance.yml {owner}\n/.github/ {owner}\n/templates/ {owner}\n")


def scaffold(answers: Answers, templates: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every file `govbot init` writes, as {relative path: text}. `templates` are the
    packaged templates to copy (only when the user asked for them)."""
    record, text = adoption_record(answers)
    files = {"governance.yml": governance_yml(answers), record: text}
    for name in WORKFLOWS:
        files[f".github/workflows/{name}"] = workflow(name, answers.action,
                                                     answers.default_branch)
    files[".github/CODEOWNERS"] = codeowners(answers)
    for name, body in sorted((templates or {}).items()):
        files[f"templates/{name}"] = body
    return files


def packaged_templates() -> dict[str, str]:
    """The default templates shipped with govbot, by file name."""
    from govbot.render.outputs import default_templates

    root = default_templates()
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(root.rglob("*")) if p.is_file()}


def _taken(root: Path, path: str) -> bool:
    """Whether writing `path` would clobber a user file (any existing record 0001 counts)."""
    if path.startswith("decisions/0001-"):
        return any((root / "decisions").glob("0001-*.md"))
    return (root / path).exists() or (root / path).is_symlink()


def write_files(root: Path, files: Mapping[str, str], *, force: bool
                ) -> tuple[list[str], list[str]]:
    """Write `files` under `root`; (written, skipped). Existing files are skipped unless
    `force`; symbolic links are never written through."""
    written: list[str] = []
    skipped: list[str] = []
    for path, text in files.items():
        target = root / path
        if target.is_symlink() or (_taken(root, path) and not force):
            skipped.append(path)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written, skipped


@dataclass(frozen=True, slots=True)
class State:
    """What a governance repository still needs once `govbot init` has written its files:
    read from the files themselves, so a second run lists only what is still to do."""

    problems: tuple[str, ...] = ()  # `govbot check`'s findings (each says how to fix it)
    incomplete_members: tuple[str, ...] = ()  # logins without a numeric id or a full name
    committed: bool = False  # governance.yml is in a commit of this repository
    record: str | None = None  # record 1, while it is still to be voted on
    first_run: bool = True  # governance.yml was written by this run
    branch: str = "main"


SETTINGS = [
    "Settings → Branches: protect the default branch; require the status checks govbot/check "
    "and govbot/vote, require a pull request before merging, and require review from Code "
    "Owners.",
    "Keep .github/CODEOWNERS: it puts governance.yml and .github/ under the chair's review.",
    "Settings → Actions → General → Workflow permissions: \"Read repository contents\" (each "
    "workflow asks for what it needs); leave \"Allow GitHub Actions to create and approve pull "
    "requests\" off.",
    "Settings → Pages: Source \"GitHub Actions\" (the publish workflow deploys the site).",
    "Optional: install a GitHub App for govbot and require govbot/vote from that App, so no "
    "other workflow can post the status; pass app-id and app-private-key (from secrets) to the "
    "action and set `bot:` to the App's bot login.",
]


def checklist(state: State) -> str:
    """The next steps, printed after the files are written: only what is still to do."""
    steps = []
    if state.problems:
        steps.append("Fix what govbot check reports (each line says how; run govbot check "
                     "again when done):" + "".join(f"\n        {p}" for p in state.problems))
    if state.incomplete_members:
        steps.append("Fill in governance.yml: the full name and numeric `id` "
                     "(https://api.github.com/users/<login>) of "
                     + ", ".join(state.incomplete_members) + ", and anyone missing from the "
                     "committee.")
    if not state.committed:
        steps.append(f"Commit governance.yml, .github/ and templates/ (if any) straight to the "
                     f"default branch ({state.branch}): this bootstraps the rules, which always "
                     "come from the default branch.")
    if state.record is not None:
        steps.append(f"Open a pull request that adds {state.record}; the committee votes on it "
                     "with reviews, and merging it once govbot/vote is green adopts the plan.")
    if state.first_run:
        steps += SETTINGS
    if not steps:
        return ("Nothing left to do here. If not done yet, make the repository settings "
                "(docs/getting-started.md, step 5).\n")
    text = "Next steps:\n" + "".join(f"  [ ] {n}. {s}\n" for n, s in enumerate(steps, 1))
    if not state.first_run:
        text += ("  Repository settings (branch protection, Actions permissions, Pages): see "
                 "docs/getting-started.md, step 5, if not done yet.\n")
    return text


def default_plan_title(today: dt.date) -> str:
    """`Strategic Plan 2026–2029`: a four-year plan starting this year."""
    return f"Strategic Plan {today.year}–{today.year + 3}"


def default_answers(directory: Path, *, today: dt.date, org: str | None = None,
                    plan_title: str | None = None, goals: Sequence[str] = (),
                    chair: str | None = None, members: Sequence[str] = (),
                    action: str | None = None, templates: bool = False,
                    repository: str | None = None, default_branch: str = "main") -> Answers:
    """Answers from flags, with defaults for whatever was not given (no prompting)."""
    org = one_line(org or directory.resolve().name.replace("-", " ").strip() or "Our org")
    title = plan_title or default_plan_title(today)
    return Answers(
        org=org, plan_title=one_line(title), goals=tuple(parse_goal(g) for g in goals),
        chair=check_login(chair or PLACEHOLDER_LOGIN, "--chair"),
        members=tuple(check_login(m, "--member") for m in members), today=today,
        action=None if action is None else check_action(action), templates=templates,
        repository=None if repository is None else check_repository(repository),
        default_branch=check_branch(default_branch))


def init_state(directory: Path, *, record: str | None, first_run: bool, branch: str) -> State:
    """What is still to do in a repository `govbot init` just wrote into: what `govbot
    check` reports, members without a numeric id or a full name, whether the rules are
    committed, and record 1 while it is still a proposal."""
    from govbot.git.repo import git
    from govbot.git.workspace import check_repository
    from govbot.model.config import CONFIG_FILE, config_or_none

    if not (directory / CONFIG_FILE).is_file():
        return State(first_run=first_run, branch=branch, record=record)
    tree, _, findings = check_repository(directory)
    config = config_or_none(tree.config_text)
    incomplete = tuple(m.login for m in (config.committee if config else ())
                       if m.id is None or m.name == m.login)
    try:
        committed = bool(git(directory, "log", "-1", "--format=%H", "--", CONFIG_FILE).strip())
    except UsageError:
        committed = False
    pending = next((r.path for r in tree.records if r.path == record and r.status in
                    ("draft", "proposed")), None)
    return State(tuple(str(f) for f in findings), incomplete, committed, pending, first_run,
                 branch)
