"""placeholders: text govbot wrote for a person to replace is found where it was left, with
how to fix it."""

from __future__ import annotations

from pathlib import Path

import pytest

from govbot.rules.placeholders import (
    DEFAULT_GOAL,
    EXAMPLE_OBJECTIVE,
    SECTION_PROMPTS,
    codeowners_placeholders,
    record_placeholders,
    workflow_placeholders,
)
from recordkit import PATH, make

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_BODY = "".join(f"## {name}\n\n{prompt}\n\n" for name, prompt in SECTION_PROMPTS.items())


def test_the_prompts_are_the_templates() -> None:
    """The prompts looked for are the ones `govbot new`'s template writes (kept in step)."""
    template = (ROOT / "templates" / "record.md.j2").read_text(encoding="utf-8")
    for name, prompt in SECTION_PROMPTS.items():
        assert f"## {name}\n\n{prompt}\n" in template
    assert f"#     text: {EXAMPLE_OBJECTIVE}\n" in template


@pytest.mark.parametrize("status", ["proposed", "draft"])
def test_section_prompts_in_a_proposed_record(status: str) -> None:
    """A proposed record still holding govbot new's prompts gets one finding per section
    (on the prompt's line); a draft may keep them."""
    found = [str(f) for f in record_placeholders(make(body=TEMPLATE_BODY, status=status))]
    assert found == ([] if status == "draft" else [
        f"{PATH}:11: ## Context still holds govbot new's prompt ('What is the situation, and "
        "why does it need a decision now?'); replace it with the context of this decision",
        f"{PATH}:15: ## Decision still holds govbot new's prompt ('What exactly do we "
        "decide?'); replace it with the decision of this decision",
        f"{PATH}:19: ## Consequences still holds govbot new's prompt ('What changes once this "
        "is decided, for whom, and what does it cost?'); replace it with the consequences of "
        "this decision"])


def test_placeholder_goal_and_objective() -> None:
    """The goal `govbot init` writes without --goal, and the example objective text, are
    found in a proposed plan record's changes."""
    record = make(kind="plan", changes=(
        f"\n  - {{op: add-goal, goal: G1, title: {DEFAULT_GOAL[0]}, rationale: Real.}}"
        f"\n  - {{op: add-objective, goal: G1, objective: G1.1, text: {EXAMPLE_OBJECTIVE}}}"))
    assert [str(f) for f in record_placeholders(record)] == [
        f"{PATH}:9: changes[0].title: 'Write our first goal here' is the placeholder govbot "
        "wrote; write the goal's title",
        f"{PATH}:10: changes[1].text: 'Describe the new objective in one sentence.' is the "
        "placeholder govbot wrote; describe the objective in one sentence"]


def test_workflow_pin() -> None:
    """Each `uses:` still on the all-zero commit is found, with how to pin a release (a
    commented-out line is not)."""
    text = ("steps:\n  - uses: actions/checkout@" + "1" * 40 + " # v5\n"
            "  - uses: govbot/govbot@" + "0" * 40 + " # PLACEHOLDER\n"
            "  # uses: govbot/govbot@" + "0" * 40 + "\n")
    found = workflow_placeholders(".github/workflows/govbot.yml", text)
    assert [(f.line, f.rule) for f in found] == [(3, "placeholder")]
    assert found[0].message.startswith("the govbot action is pinned to the placeholder commit "
                                       "0000000… that govbot init wrote")
    assert "rerun govbot init --action OWNER/govbot@SHA --force" in found[0].message


def test_codeowners_placeholder() -> None:
    """CODEOWNERS lines naming @your-github-login are found; comments are not."""
    text = "# @your-github-login in a comment\n/governance.yml @your-github-login\n/x @alice\n"
    found = codeowners_placeholders(".github/CODEOWNERS", text)
    assert [str(f) for f in found] == [
        ".github/CODEOWNERS:2: @your-github-login is the placeholder govbot init wrote, so "
        "nobody has to review these paths; put the chair's GitHub login (as @login) or a team "
        "(@org/team) here"]
