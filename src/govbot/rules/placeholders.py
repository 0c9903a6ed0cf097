"""Placeholders govbot writes for a person to replace, found wherever they were left: the
goal `govbot init` puts in record 1 when none is given, the prompts under the sections of a
record `govbot new` writes, the all-zero action pin in the workflows and the placeholder
owner in CODEOWNERS (the placeholder chair in governance.yml is `model.config`'s).
Pure: texts in, findings out; each finding says how to fix it."""

from __future__ import annotations

from govbot.model.config import PLACEHOLDER_LOGIN
from govbot.model.findings import Finding
from govbot.model.records import Record

RULE = "placeholder"
# `govbot init` without --goal: record 1's one goal (title, rationale)
DEFAULT_GOAL = ("Write our first goal here",
                "Replace this with why the goal matters: who it serves and what changes when "
                "it is reached.")
# the prompt under each section of templates/record.md.j2 (tests keep the two in step)
SECTION_PROMPTS = {
    "Context": "What is the situation, and why does it need a decision now?",
    "Decision": "What exactly do we decide?",
    "Consequences": "What changes once this is decided, for whom, and what does it cost?",
}
EXAMPLE_OBJECTIVE = "Describe the new objective in one sentence."  # record.md.j2's example
# the pin in the packaged workflows; `govbot init --action` replaces it
PLACEHOLDER_SHA = "0" * 40
PLACEHOLDER_OWNER = "@" + PLACEHOLDER_LOGIN
CODEOWNERS_PATHS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
_CHANGE_TEXT = {DEFAULT_GOAL[0]: "write the goal's title",
                DEFAULT_GOAL[1]: "write why the goal matters: who it serves and what changes "
                                 "when it is reached",
                EXAMPLE_OBJECTIVE: "describe the objective in one sentence"}


def record_placeholders(record: Record) -> list[Finding]:
    """A proposed record that still holds text govbot wrote for its author to replace
    (drafts may: they are not ready)."""
    if record.status != "proposed":
        return []
    found = []
    for change in record.changes:
        for key, value in change.args.items():
            if isinstance(value, str) and value.strip() in _CHANGE_TEXT:
                where = record.line("changes", change.index, key)
                found.append(Finding(record.path, where, f"changes[{change.index}].{key}: "
                                     f"{value.strip()!r} is the placeholder govbot wrote; "
                                     f"{_CHANGE_TEXT[value.strip()]}", RULE))
    prompts = {text: name for name, text in SECTION_PROMPTS.items()}
    for offset, text in enumerate(record.body.splitlines()):
        if text.strip() in prompts:
            name = prompts[text.strip()]
            found.append(Finding(record.path, record.body_line + offset,
                                 f"## {name} still holds govbot new's prompt ({text.strip()!r}); "
                                 f"replace it with the {name.lower()} of this decision", RULE))
    return found


def workflow_placeholders(path: str, text: str) -> list[Finding]:
    """Each `uses:` of a workflow still pinned to the placeholder commit."""
    return [Finding(path, number, f"the govbot action is pinned to the placeholder commit "
                    f"{PLACEHOLDER_SHA[:7]}… that govbot init wrote, which is no release and "
                    "cannot run; pin OWNER/govbot@<full commit SHA> of the govbot release you "
                    "audited (rerun govbot init --action OWNER/govbot@SHA --force, or edit "
                    "the line)", RULE)
            for number, line in enumerate(text.splitlines(), 1)
            if "uses:" in line and f"@{PLACEHOLDER_SHA}" in line
            and not line.lstrip().startswith("#")]


def codeowners_placeholders(path: str, text: str) -> list[Finding]:
    """Each CODEOWNERS line that still names the placeholder owner."""
    return [Finding(path, number, f"{PLACEHOLDER_OWNER} is the placeholder govbot init wrote, "
                    "so nobody has to review these paths; put the chair's GitHub login (as "
                    "@login) or a team (@org/team) here", RULE)
            for number, line in enumerate(text.splitlines(), 1)
            if not line.lstrip().startswith("#") and PLACEHOLDER_OWNER in line.split()]
