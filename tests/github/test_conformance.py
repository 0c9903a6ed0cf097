"""Conformance with GitHub's own reference data (skipped when ../shared/github is absent):
the fake's JSON bodies validate against GitHub's REST schemas, and the router accepts every
example webhook payload of the events it handles."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import SHARED_GITHUB, load_shared, needs_shared
from fake_github import FakeGitHub
from govbot.github import router as actions
from govbot.github.client import GitHubClient, PullRead
from govbot.github.runtime import Run

pytestmark = needs_shared
ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
HANDLED = ("pull_request", "pull_request_review", "issue_comment", "workflow_run")


class RestSchemas:
    """Validates response bodies against `rest-jsonschema-subset.json` by operation."""

    def __init__(self) -> None:
        self.spec = load_shared("rest-jsonschema-subset.json")
        self.checked: set[tuple[str, str]] = set()
        self.errors: list[str] = []

    def schema(self, method: str, template: str, status: int) -> dict[str, Any] | None:
        operation = self.spec["paths"].get(template, {}).get(method.lower())
        response = (operation or {}).get("responses", {}).get(str(status))
        if response is None:
            return None
        if "$ref" in response:
            response = self.spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
        content = response.get("content", {}).get("application/json")
        if content is None:
            return None
        return {**content["schema"], "components": self.spec["components"]}

    def __call__(self, method: str, template: str, status: int, body: Any) -> None:
        schema = self.schema(method, template, status)
        if schema is None:
            return
        self.checked.add((method, template))
        validator = jsonschema.Draft4Validator(schema)
        for error in validator.iter_errors(body):
            self.errors.append(f"{method} {template} {status}: {error.message} at "
                               f"{list(error.absolute_path)}")


def _client() -> GitHubClient:
    return GitHubClient("org/governance", token="t", retry=None,
                        seconds_between_requests=None, seconds_between_writes=None)


def test_every_body_the_fake_returns_matches_githubs_schema() -> None:
    """Each operation the adapter uses, served by the fake, validates against GitHub's
    schema for that operation and status."""
    record = (ROOT / "decisions" / "0010-add-objective-on-maintainer-succession.md").read_bytes()
    schemas = RestSchemas()
    with FakeGitHub({"governance.yml": b"x: 1\n", "decisions/0001-a.md": b"a"}) as fake:
        fake.validator = schemas
        number = fake.add_pull({"decisions/0010-x.md": record})
        old = fake.pulls[number].head_sha
        fake.add_review(number, "bob", 2, "APPROVED")
        fake.push(number, {"decisions/0010-x.md": record + b"\n"})
        fake.add_review(number, "carol", 3, "CHANGES_REQUESTED", "no")
        fake.add_comment(number, "carol", 3, "/govbot object no")
        client = _client()
        snap = client.snapshot(number, now=NOW)
        assert snap["stale_commits"] == [old]
        head = snap["pull_request"]["head"]["sha"]
        client.upsert_comment(number, "<!-- m -->\nhi", marker="<!-- m -->",
                              bot_login="github-actions[bot]")
        client.upsert_comment(number, "<!-- m -->\nbye", marker="<!-- m -->",
                              bot_login="github-actions[bot]")
        client.set_statuses(number, head, {"govbot/vote": ("pending", "x")}, None)
        client.set_statuses(number, head, {"govbot/vote": ("pending", "x")}, None)
        client.set_labels(number, {"govbot/pending"}, set())
        fake.set_draft(number, True)
        fake.set_draft(number, False)
        # the timeline operation is not in rest-jsonschema-subset.json: served, not checked
        assert client.ready_time(number, snap["pull_request"]) == fake.stamp()
        tip = client.branch_tip("main")
        assert client.list_dir("decisions", tip) == ["decisions/0001-a.md"]
        client.commit_files("main", tip, {"PLAN.md": b"plan\n"}, "publish")
        client.ensure_issue("<!-- duty -->", "Duty", "body")
        fake.reset_calls()
    assert schemas.errors == []
    assert {t for _, t in schemas.checked} >= {
        "/repos/{owner}/{repo}/pulls/{pull_number}",
        "/repos/{owner}/{repo}/pulls/{pull_number}/files",
        "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
        "/repos/{owner}/{repo}/issues/{issue_number}/comments",
        "/repos/{owner}/{repo}/issues/comments/{comment_id}",
        "/repos/{owner}/{repo}/contents/{path}",
        "/repos/{owner}/{repo}/commits/{ref}/status",
        "/repos/{owner}/{repo}/statuses/{sha}",
        "/repos/{owner}/{repo}/labels",
        "/repos/{owner}/{repo}/issues/{issue_number}/labels",
        "/repos/{owner}/{repo}/git/ref/{ref}",
        "/repos/{owner}/{repo}/git/commits/{commit_sha}",
        "/repos/{owner}/{repo}/git/commits",
        "/repos/{owner}/{repo}/git/trees/{tree_sha}",
        "/repos/{owner}/{repo}/git/trees",
        "/repos/{owner}/{repo}/git/refs/{ref}",
        "/repos/{owner}/{repo}/issues",
    }


class StubClient:
    """Answers the handlers with a minimal PR and records what they asked for."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, Any]] = []

    @staticmethod
    def _pull(number: int) -> dict[str, Any]:
        return {"number": number, "title": "t", "head": {"sha": "a" * 40},
                "user": {"login": "someone", "id": 9, "type": "User"},
                "base": {"ref": "main"}, "created_at": "2026-11-20T08:00:00Z",
                "state": "open", "draft": False, "merged": False, "labels": [],
                "html_url": "https://github.com/org/governance/pull/1"}

    def pull(self, number: int) -> dict[str, Any]:
        self.asked.append(("pull", number))
        return self._pull(number)

    def read_pull(self, number: int, **_: Any) -> PullRead:
        self.asked.append(("snapshot", number))
        return PullRead({"schema": "govbot.snapshot/1", "repository": "org/governance",
                         "taken_at": "2026-11-20T09:00:00Z", "ready_at": None,
                         "pull_request": self._pull(number), "files": [], "reviews": [],
                         "comments": [], "records": {}, "stale_commits": []}, {})

    def open_pulls_state(self, bot_login: str) -> list[Any]:
        self.asked.append(("open_pulls_state", bot_login))
        return []

    def post_error(self, *args: Any, **kwargs: Any) -> list[str]:
        return []

    def pulls_with_head(self, sha: str) -> list[dict[str, Any]]:
        self.asked.append(("pulls_for_commit", sha))
        return [self._pull(5)]

    def upsert_comment(self, *args: Any, **kwargs: Any) -> str:
        return "unchanged"

    def set_statuses(self, *args: Any, **kwargs: Any) -> dict[str, bool]:
        return {}

    def post_statuses(self, *args: Any, **kwargs: Any) -> dict[str, bool]:
        return {}

    def forget_state(self, *args: Any, **kwargs: Any) -> bool:
        return False

    def set_labels(self, *args: Any, **kwargs: Any) -> bool:
        return False

    def branch_tip(self, branch: str) -> str:
        self.asked.append(("branch_tip", branch))
        return "b" * 40

    def list_dir(self, path: str, ref: str) -> list[str]:
        return []

    def read_file(self, path: str, ref: str) -> bytes | None:
        return None


def _examples() -> list[tuple[str, Path]]:
    if not SHARED_GITHUB.is_dir():
        return []
    return [(event, path) for event in HANDLED
            for path in sorted((SHARED_GITHUB / "webhooks" / event).glob("*.json"))]


def _merged_closed() -> dict[str, Any]:
    payload = load_shared("webhooks/pull_request/closed.json")
    payload["pull_request"].update(merged=True, merged_at=payload["pull_request"]["closed_at"],
                                   merged_by=payload["sender"],
                                   merge_commit_sha="0" * 40)
    return payload


def _dispatch(event: str, payload: dict[str, Any], tmp_path: Path, gov: Path,
              privileged: bool = True) -> tuple[Run, StubClient]:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload))
    name = "pull_request_target" if event == "pull_request" and privileged else event
    env = {"GITHUB_EVENT_NAME": name, "GITHUB_EVENT_PATH": str(path),
           "GITHUB_REPOSITORY": "org/governance"}
    stub = StubClient()
    result = actions.run(env, gov, now=NOW, client=stub, echo=lambda _: None)
    return result, stub


@pytest.mark.parametrize(("event", "path"), _examples(),
                         ids=lambda v: v.name if isinstance(v, Path) else v)
def test_router_accepts_githubs_example_payloads(event: str, path: Path, tmp_path: Path,
                                                 repo_root: Path) -> None:
    """Every example payload of a handled event is routed and read without error: the PR
    is found where GitHub puts its number (or head SHA), and other actions are ignored."""
    payload = json.loads(path.read_text(encoding="utf-8"))
    _, stub = _dispatch(event, payload, tmp_path, repo_root)
    handler = actions.route("pull_request_target" if event == "pull_request" else event,
                            payload.get("action"))
    if handler is None:
        assert stub.asked == []
    elif event == "workflow_run":
        assert stub.asked[0] == ("pulls_for_commit", payload["workflow_run"]["head_sha"])
    elif event == "issue_comment":
        is_pr = "pull_request" in payload["issue"]
        wanted = is_pr and (payload["action"] != "created"
                            or actions.COMMAND.search(payload["comment"]["body"] or ""))
        number = payload["issue"]["number"]  # the query reads the PR with the rest
        assert stub.asked == ([("snapshot", number), ("pull", number)] if wanted else [])
    elif payload.get("action") == "closed":  # unmerged: the motion, against the tip
        number = payload["pull_request"]["number"]
        branch = payload["repository"]["default_branch"]
        assert stub.asked == [("snapshot", number), ("branch_tip", branch)]
    else:  # the payload's PR is judged; the PR is read once, to confirm the head
        number = payload["pull_request"]["number"]
        assert stub.asked == [("snapshot", number), ("pull", number)]


def test_a_merged_closed_payload_is_valid_and_ignored(tmp_path: Path, repo_root: Path) -> None:
    """The merged `closed` payload built from closed.json matches the octokit schema, and
    `govbot run` leaves merges to the publish workflow."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    files = (SHARED_GITHUB / "webhook-schemas").rglob("*.schema.json")
    registry: Registry[Any] = Registry().with_resources(
        (s["$id"], Resource.from_contents(s, default_specification=DRAFT7))
        for s in (json.loads(f.read_text()) for f in files))
    payload = _merged_closed()
    schema = load_shared("webhook-schemas/pull_request/closed.schema.json")
    jsonschema.Draft7Validator(schema, registry=registry).validate(payload)
    _, stub = _dispatch("pull_request", payload, tmp_path, repo_root)
    assert stub.asked == []
