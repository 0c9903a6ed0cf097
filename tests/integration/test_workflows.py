"""The workflow security policy (DESIGN.md §9, STYLE.md habit 11), checked on every workflow
and on the composite action, offline; actionlint and zizmor run from scripts/lint-workflows.sh."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW_DIR = ROOT / ".github" / "workflows"
SCAFFOLD_DIR = ROOT / "src" / "govbot" / "cli" / "scaffold_files" / "workflows"
# this repository's workflows, and the ones `govbot init` writes into a user's repository
WORKFLOWS = [*sorted(WORKFLOW_DIR.glob("*.y*ml")), *sorted(SCAFFOLD_DIR.glob("*.y*ml"))]
ACTION = ROOT / "action.yml"
ALL_FILES = [*WORKFLOWS, ACTION]

EXPECTED_WORKFLOWS = {"ci.yml", "govbot-validate.yml", "govbot.yml", "govbot-sweep.yml",
                      "govbot-publish.yml", "release.yml"}
# Triggers that run with a write token or secrets on behalf of someone else's pull request.
PRIVILEGED_TRIGGERS = {"pull_request_target", "workflow_run", "issue_comment"}
# Contexts an outsider controls (or that a caller of the action controls): never in `run:`.
UNTRUSTED_IN_RUN = ("github.event", "inputs.", "github.head_ref")

SHA_PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[^@\s]+)?@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"^\s+#\s*v\d+(\.\d+)*\b")
# the pin `govbot init` writes until it is given --action: plainly a placeholder, never a
# version that does not exist (`govbot check` flags it in a user's repository)
PLACEHOLDER_PIN = ("govbot/govbot@" + "0" * 40, " # PLACEHOLDER, not a release: pin a govbot "
                   "release (govbot init --action); govbot check flags this line")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>[^\s#]+)(?P<rest>.*)$")
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)
PR_REF_WORDS = ("head", "pull", "github.event.pull_request", "merge")

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BaseLoader):  # type: ignore[misc]
    """A safe loader that refuses duplicated mapping keys (GitHub rejects them too)."""


def _construct_mapping(loader: Any, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicated key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return yaml.constructor.SafeConstructor.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load(path: Path) -> dict[str, Any]:
    """Parse a workflow or action file strictly."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)
    assert isinstance(data, dict), f"{path.name}: not a mapping"
    return data


def triggers(doc: dict[Any, Any]) -> set[str]:
    """The event names of a workflow (PyYAML reads the key `on` as the boolean True)."""
    on = doc.get("on", doc.get(True))
    if isinstance(on, str):
        return {on}
    if isinstance(on, list):
        return set(on)
    return set(on or {})


def jobs(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The jobs of a workflow, or the composite action's steps as a single pseudo-job."""
    if "runs" in doc:
        return {"(composite action)": {"steps": doc["runs"].get("steps", [])}}
    return dict(doc["jobs"])


def steps(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every step of every job, with the job's name."""
    return [(name, step) for name, job in jobs(doc).items() for step in job.get("steps", [])]


def checkouts(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every actions/checkout step, with the job's name."""
    return [
        (name, step)
        for name, step in steps(doc)
        if str(step.get("uses", "")).startswith("actions/checkout@")
    ]


def ids(paths: list[Path]) -> list[str]:
    """Test ids: the paths from the repository root."""
    return [str(p.relative_to(ROOT)) for p in paths]


def privileged(path: Path) -> bool:
    """Whether a workflow runs on a privileged trigger (unparsable files count as such)."""
    try:
        return bool(triggers(load(path)) & PRIVILEGED_TRIGGERS)
    except yaml.YAMLError:
        return True


PRIVILEGED = [p for p in WORKFLOWS if privileged(p)]

workflow_files = pytest.mark.parametrize("path", WORKFLOWS, ids=ids(WORKFLOWS))
privileged_files = pytest.mark.parametrize("path", PRIVILEGED, ids=ids(PRIVILEGED))
all_files = pytest.mark.parametrize("path", ALL_FILES, ids=ids(ALL_FILES))


def test_expected_workflows_exist() -> None:
    """The repository ships the CI, validate, tally and publish workflows and the action."""
    assert {p.name for p in WORKFLOW_DIR.glob("*.yml")} >= EXPECTED_WORKFLOWS
    assert {p.name for p in PRIVILEGED} >= {"govbot.yml"}
    assert ACTION.is_file()


@all_files
def test_parses_without_duplicate_keys(path: Path) -> None:
    """Each file is valid YAML with no duplicated keys (which PyYAML would silently merge)."""
    load(path)


@workflow_files
def test_top_level_permissions_are_empty(path: Path) -> None:
    """Each workflow grants nothing at the top level (`permissions: {}`)."""
    assert load(path).get("permissions") == {}, f"{path.name}: needs `permissions: {{}}`"


@workflow_files
def test_every_job_declares_permissions_and_timeout(path: Path) -> None:
    """Each job states its own least-privilege `permissions` and a `timeout-minutes`."""
    for name, job in jobs(load(path)).items():
        assert "permissions" in job, f"{path.name}: job {name!r} has no `permissions`"
        assert isinstance(job.get("timeout-minutes"), int), (
            f"{path.name}: job {name!r} has no `timeout-minutes`"
        )


@all_files
def test_every_uses_is_pinned_to_a_sha_with_a_version_comment(path: Path) -> None:
    """Each `uses:` is `owner/repo@<40 hex>  # vX.Y.Z`, or a local `./` action."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for number, line in enumerate(lines, start=1):
        match = USES_LINE.match(line)
        if not match:
            continue
        ref, rest = match["ref"].strip("'\""), match["rest"]
        found.append(ref)
        if ref.startswith("./"):
            continue
        where = f"{path.name}:{number}"
        if path.parent == SCAFFOLD_DIR and (ref, rest) == PLACEHOLDER_PIN:
            continue
        assert SHA_PINNED.match(ref), f"{where}: {ref!r} is not pinned to a 40-hex commit SHA"
        assert VERSION_COMMENT.match(rest), f"{where}: {ref!r} needs a `# vX.Y.Z` comment"
    parsed = [str(step["uses"]) for _, step in steps(load(path)) if "uses" in step]
    assert sorted(found) == sorted(parsed), f"{path.name}: a `uses:` is not on its own line"


@all_files
def test_every_checkout_drops_credentials(path: Path) -> None:
    """Each actions/checkout sets `persist-credentials: false`."""
    for name, step in checkouts(load(path)):
        assert (step.get("with") or {}).get("persist-credentials") is False, (
            f"{path.name}: a checkout in job {name!r} keeps the token in .git/config"
        )


@all_files
def test_no_untrusted_expression_inside_run(path: Path) -> None:
    """No `run:` script expands event data, inputs or the head ref (they go through `env:`)."""
    for name, step in steps(load(path)):
        for expression in EXPRESSION.findall(str(step.get("run", ""))):
            assert not any(word in expression for word in UNTRUSTED_IN_RUN), (
                f"{path.name}: job {name!r} expands ${{{{{expression}}}}} inside `run:`"
            )


def test_composite_run_steps_name_their_shell() -> None:
    """Every `run:` step of the composite action says `shell: bash` (required there)."""
    doc = load(ACTION)
    assert doc["runs"]["using"] == "composite"
    for _, step in steps(doc):
        if "run" in step:
            assert step.get("shell") == "bash", f"step {step.get('name')!r} has no shell"


@privileged_files
def test_privileged_workflows_never_check_out_a_pull_request(path: Path) -> None:
    """Workflows on privileged triggers check out the default branch, explicitly, never a PR."""
    doc = load(path)
    assert checkouts(doc), f"{path.name}: expected an explicit default-branch checkout"
    for name, step in checkouts(doc):
        with_ = step.get("with") or {}
        ref, repository = str(with_.get("ref", "")), str(with_.get("repository", ""))
        where = f"{path.name}: checkout in job {name!r}"
        assert "default_branch" in ref, f"{where} must name the default branch as its `ref`"
        assert not any(word in ref for word in PR_REF_WORDS), f"{where} uses PR ref {ref!r}"
        assert not any(word in repository for word in PR_REF_WORDS), (
            f"{where} checks out repository {repository!r}"
        )


@privileged_files
def test_privileged_workflows_never_mention_the_head_ref(path: Path) -> None:
    """Workflows on privileged triggers never refer to the PR's head ref or head SHA."""
    text = path.read_text(encoding="utf-8")
    for word in ("github.head_ref", "pull_request.head.sha", "pull_request.head.ref"):
        assert word not in text, f"{path.name} mentions {word}"


def test_tally_workflow_runs_one_at_a_time_per_pull_request() -> None:
    """The tally workflow has a per-PR concurrency group and never cancels a run mid-write."""
    concurrency = load(WORKFLOW_DIR / "govbot.yml")["concurrency"]
    group = concurrency["group"]
    assert "github.event.pull_request.number" in group
    assert "github.event.issue.number" in group
    assert concurrency["cancel-in-progress"] is False


@pytest.mark.parametrize("folder", [WORKFLOW_DIR, SCAFFOLD_DIR], ids=["ours", "scaffold"])
def test_tally_workflow_listens_to_every_event_it_handles(folder: Path) -> None:
    """The tally workflow runs on PR, review, fork-review bridge and comment; the sweep and
    the manual re-tally are a workflow of their own, so that GitHub disabling a scheduled
    workflow after 60 days without activity never stops the pull-request triggers."""
    assert triggers(load(folder / "govbot.yml")) == {
        "pull_request_target",
        "pull_request_review",
        "workflow_run",
        "issue_comment",
    }
    sweep = load(folder / "govbot-sweep.yml")
    assert triggers(sweep) == {"schedule", "workflow_dispatch"}
    # (PyYAML reads the key `on` as True)
    assert sweep[True]["workflow_dispatch"]["inputs"]["pr"]["required"] is False
    assert sweep["concurrency"] == {"group": "govbot-${{ inputs.pr || github.run_id }}",
                                    "cancel-in-progress": False}
    header = (folder / "govbot-sweep.yml").read_text(encoding="utf-8")
    assert "after 60 days without activity" in header
    assert '"Enable workflow"' in header
    (job,) = jobs(sweep).values()
    assert job["permissions"] == jobs(load(folder / "govbot.yml"))["tally"]["permissions"]
    assert [s.get("with", {}).get("command") for s in job["steps"] if "uses" in s][-1] == "run"


def test_publish_workflow_runs_one_at_a_time() -> None:
    """The publish workflow never runs twice at once and never cancels a publish."""
    concurrency = load(WORKFLOW_DIR / "govbot-publish.yml")["concurrency"]
    assert concurrency == {"group": "govbot-publish", "cancel-in-progress": False}


def test_action_passes_every_input_through_env() -> None:
    """The composite action exposes its inputs to scripts only as environment variables."""
    doc = load(ACTION)
    assert set(doc["inputs"]) == {
        "command",
        "github-token",
        "app-id",
        "app-private-key",
        "pr",
        "python-version",
    }
    env = {k: v for _, step in steps(doc) for k, v in (step.get("env") or {}).items()}
    assert env["GOVBOT_COMMAND"] == "${{ inputs.command }}"
    assert env["GOVBOT_PR"] == "${{ inputs.pr }}"
    assert env["GOVBOT_APP_ID"] == "${{ inputs.app-id }}"
    assert env["GOVBOT_APP_PRIVATE_KEY"] == "${{ inputs.app-private-key }}"


def test_action_installs_only_hash_pinned_dependencies() -> None:
    """The action installs dependencies with `--require-hashes`, and every pin has a hash."""
    scripts = " ".join(str(step.get("run", "")) for _, step in steps(load(ACTION)))
    assert "--require-hashes" in scripts
    assert "--no-deps" in scripts
    requirements = (ROOT / "requirements" / "action.txt").read_text(encoding="utf-8")
    pins = re.findall(
        r"^([A-Za-z0-9_.-]+)==\S+ \\\n((?:\s+--hash=sha256:[0-9a-f]{64}.*\n?)+)",
        requirements,
        re.MULTILINE,
    )
    names = re.findall(r"^([A-Za-z0-9_.-]+)==", requirements, re.MULTILINE)
    assert names, "requirements/action.txt pins nothing"
    assert [name for name, _ in pins] == names, "a pin in requirements/action.txt has no hash"


def test_pre_commit_hook_runs_govbot_check() -> None:
    """The `govbot-check` pre-commit hook runs `govbot check` on records and governance.yml."""
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "govbot-check")
    assert hook["entry"] == "govbot check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    assert files.search("decisions/0012-regional-convenings.md")
    assert files.search("governance.yml")
    assert not files.search("README.md")


def test_validate_diffs_against_the_merge_commits_first_parent() -> None:
    """The unprivileged check compares the PR's merge checkout with its first parent (the exact
    base it was merged onto), never the event's base.sha, which can lag behind main."""
    text = (WORKFLOW_DIR / "govbot-validate.yml").read_text(encoding="utf-8")
    steps = load(WORKFLOW_DIR / "govbot-validate.yml")["jobs"]["validate"]["steps"]
    runs = [s["run"] for s in steps if "govbot check" in s.get("run", "")]
    assert runs == ["govbot check --base HEAD^1 --format github"]
    assert "pull_request.base.sha" not in text
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0


@pytest.mark.parametrize("path", [WORKFLOW_DIR / "govbot.yml", SCAFFOLD_DIR / "govbot.yml"],
                         ids=lambda p: p.parent.name)
def test_only_the_closed_motion_job_may_write_contents(path: Path) -> None:
    """A PR closed unmerged wakes the `record-closed` job alone, which may commit (its
    record, DESIGN §7); the tally job skips `closed` and keeps its read-only contents."""
    doc = load(path)
    types = doc["on" if "on" in doc else True]["pull_request_target"]["types"]
    assert "closed" in types
    jobs = doc["jobs"]
    assert jobs["tally"]["if"].startswith("github.event.action != 'closed' && ")
    assert jobs["tally"]["permissions"]["contents"] == "read"
    closed = jobs["record-closed"]
    assert closed["if"] == ("github.event_name == 'pull_request_target' && "
                            "github.event.action == 'closed' && "
                            "!github.event.pull_request.merged")
    assert closed["permissions"] == {"contents": "write", "pull-requests": "read",
                                     "issues": "read"}
    assert [s.get("with", {}).get("command") for s in closed["steps"]][-1] == "run"
