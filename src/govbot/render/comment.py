"""The status comment and commit-status texts for a tallied pull request (DESIGN §6).

Pure. Every piece of user text (titles, reasons, logins, review bodies, finding messages) is
escaped here, before the template sees it: the template only places ready-made strings, so no
Markdown, HTML, `@mention`, or fake `<!-- govbot:status -->` marker can get through.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from govbot.model.findings import errors
from govbot.model.vocab import shorten
from govbot.render.outputs import md_escape, render_template
from govbot.vote.ballots import VoteRow, fmt_time
from govbot.vote.remind import Reminder
from govbot.vote.snapshot import PullSnapshot
from govbot.vote.standing import Standing
from govbot.vote.tally import RuleResult, Tally, tally_to_dict

TEMPLATE = "comment.md.j2"
MAX_TEXT = 300
_BLANK_RUNS = re.compile(r"\n{3,}")
_SAFE_URL = re.compile(r"^https://[A-Za-z0-9.-]+/[A-Za-z0-9._~/%#?=&+:-]*$")
HEADLINES = {
    "approved": ("✅", "Approved: the committee's vote carries; this can be merged"),
    "pending": ("⏳", "Pending: the vote is still open"),
    "blocked": ("⛔", "Blocked: a standing objection vetoes this decision"),
    "failing": ("❌", "Failing: this cannot pass even if every remaining member approves"),
    "expired": ("⌛", "Expired: voting closed at the deadline without approval"),
    "invalid": ("⚠️", "Invalid: fix the check findings below before the vote can count"),
    "no-decision": ("➖", "No decision needed: no proposed record or protected file changes"),
}
VOTE_WORDS = {"approve": "👍 approve", "object": "👎 object", "abstain": "abstain",
              "recuse": "recused", "none": "—", "retract": "retract", "support": "support",
              "concern": "concern"}


def cell(value: Any, limit: int = MAX_TEXT) -> str:
    """User text made safe for a Markdown table cell or line: one line, clipped, every
    Markdown/HTML character escaped (so also `|` and `<!--`), `@mentions` and issue
    references (`#12`, `org/repo#12`, `GH-12`) defused."""
    return md_escape(value, strict=True, limit=limit)


def safe_url(url: str) -> str:
    """The URL when it is a plain https URL that cannot break out of `(...)`, else ''."""
    return url if _SAFE_URL.match(url) else ""


def _status(row: VoteRow) -> str:
    """The table's status column, from the row's typed standing."""
    if row.standing.counts:
        return "counted"
    if row.standing is Standing.STALE:
        return "stale"
    if row.standing is Standing.IGNORED:
        return "ignored"
    return "—" if row.vote == "none" else "not counted"


def _row(row: VoteRow) -> dict[str, str]:
    who = cell(row.member, 60)
    name = f"{cell(row.name, 80)} ({who})" if row.name and row.name != row.member else who
    if row.chair:
        name += ", chair"
    url = safe_url(row.url)
    when = fmt_time(row.at) if row.at else ""
    return {"member": name, "vote": VOTE_WORDS.get(row.vote, cell(row.vote)),
            "status": _status(row), "at": f"[{when}]({url})" if url and when else when,
            "note": cell(row.note)}


def _records(tally: Tally, snapshot: PullSnapshot) -> list[dict[str, str]]:
    base = f"https://github.com/{snapshot.repository}/blob/{snapshot.head_sha}/"
    out = []
    for record in tally.records:
        number = f"{record.id:04d} " if record.id is not None else ""
        label = cell(f"{number}{record.title or record.path}", 120)
        out.append({"link": f"[{label}]({base}{quote(record.path, safe='/')})",
                    "kind": cell(record.kind or "?"), "status": cell(record.status or "?")})
    return out


def _rule(result: RuleResult, tally: Tally) -> dict[str, Any]:
    return {"kind": cell(result.name), "outcome": result.outcome,
            "reasons": [cell(why) for why in result.reasons],
            "conditions": [] if tally.findings else [
                {"name": c.name, "required": cell(c.required), "actual": cell(c.actual),
                 "met": "✅" if c.met else "⏳"} for c in result.conditions]}


def reminder_body(reminder: Reminder) -> str:
    """The reminder comment: govbot's marker for its ready period, when the vote closes (or
    the review period ends), and @mentions of the roster logins that have not voted."""
    names = ", ".join(f"@{login}" for login in reminder.logins)
    return (f"{reminder.marker}\n⏰ **Reminder:** {reminder.what} {fmt_time(reminder.ends)}, "
            f"and the vote on this pull request is still open. Not voted yet: {names}.\n\n"
            "To vote, review the pull request (**Approve**, or **Request changes** to object), "
            "or comment `/govbot abstain` or `/govbot recuse REASON` on a line of its own.\n")


def render_comment(tally: Tally, snapshot: PullSnapshot, *, repo_dir: Path | None = None,
                   reminded: bool = False) -> str:
    """The status comment's Markdown (without govbot's hidden marker, which
    `github.botstate.comment_body` adds); same inputs give the same bytes."""
    icon, headline = HEADLINES[tally.outcome]
    context = {
        "marker": "",  # a repository template from before 0.2 may still place it: empty
        "icon": icon,
        "headline": headline,
        "number": snapshot.number,
        "title": cell(snapshot.title, 200),
        "head": snapshot.head_sha[:7],
        "rule": ", ".join(r.name for r in tally.rules) or tally.rule,
        "rules": [_rule(r, tally) for r in tally.rules],
        "bodies": [{"name": cell(b.name, 120), "rules": [_rule(r, tally) for r in tally.rules
                                                         if r.body == b.id],
                    "counts": {"approve": b.count.a, "object": b.count.o,
                               "abstain": b.count.b, "eligible": b.count.size,
                               "recused": len(b.count.recused)},
                    "votes": [_row(r) for r in b.count.rows]} for b in tally.bodies],
        "counts": {"approve": tally.approvals, "object": tally.objections,
                   "abstain": tally.abstentions, "eligible": len(tally.electorate),
                   "recused": len(tally.recused)},
        "needs": [cell(n) for n in tally.needs],
        "decides_at": fmt_time(tally.decides_at) if tally.decides_at else "",
        "outcome": tally.outcome,
        "reminded": reminded,
        "records": _records(tally, snapshot),
        "votes": [_row(r) for r in tally.votes],
        "ignored": [_row(r) for r in tally.ignored],
        "non_binding": [_row(r) for r in tally.non_binding],
        "community": {"support": sum(1 for v in tally.community if v.voice == "support"),
                      "concerns": [{"who": cell(v.login, 60), "reason": cell(v.reason)}
                                   for v in tally.community if v.voice == "concern"]},
        "findings": [{"where": cell(f.path if f.line is None else f"{f.path}:{f.line}", 120),
                      "message": cell(f.message)} for f in tally.findings if f.is_error],
        "notices": [{"where": cell(f.path if f.line is None else f"{f.path}:{f.line}", 120),
                     "message": cell(f.message)} for f in tally.findings if not f.is_error],
    }
    text = render_template(TEMPLATE, context, repo_dir)
    lines = "\n".join(line.rstrip() for line in text.splitlines())
    return _BLANK_RUNS.sub("\n\n", lines).strip("\n") + "\n"


def format_text(tally: Tally) -> str:
    """A plain-text report of the tally for a terminal (logins and reasons as they are)."""
    out = [f"outcome: {tally.outcome}", f"rule: {tally.rule or '-'}"]
    for result in tally.rules:
        if len(tally.rules) > 1:
            out.append(f"{result.kind} rule: {result.outcome}")
        out += [f"  because {reason}" for reason in result.reasons]
        out += [f"  {c.name}: {c.actual} (required: {c.required}) "
                f"{'ok' if c.met else 'NOT MET'}" for c in result.conditions
                if not tally.findings]
    out.append(f"electorate ({len(tally.electorate)}): {', '.join(tally.electorate) or '-'}")
    out.append(f"approvals {tally.approvals}, objections {tally.objections}, abstentions "
               f"{tally.abstentions}, recused {', '.join(tally.recused) or '-'}")
    out.append("votes:")
    for row in (*tally.votes, *tally.ignored, *tally.non_binding):
        flag = "counted" if row.counted else "-"
        when = fmt_time(row.at) if row.at else ""
        out.append(f"  {row.member:<20} {row.vote:<8} {flag:<8} {when:<21} {row.note}".rstrip())
    out += [f"needs: {need}" for need in tally.needs]
    if tally.decides_at:
        out.append(f"decides at: {fmt_time(tally.decides_at)}")
    out += [f"finding: {finding}" for finding in tally.findings]
    return "\n".join(" ".join(line.split("\n")) for line in out) + "\n"


def format_tally(tally: Tally, snapshot: PullSnapshot, fmt: str, *,
                 repo_dir: Path | None = None) -> str:
    """The tally in the format `govbot tally --format` asks for: text, markdown or json."""
    if fmt == "json":
        return json.dumps(tally_to_dict(tally), indent=2, sort_keys=True,
                          ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return render_comment(tally, snapshot, repo_dir=repo_dir)
    return format_text(tally)


def _vote_description(tally: Tally) -> tuple[str, str]:
    counts = (f"{tally.approvals} approve, {tally.objections} object, "
              f"{tally.abstentions} abstain")
    if tally.bodies:  # each deciding body's own count
        counts = "; ".join(f"{b.id}: {b.count.a} approve, {b.count.o} object"
                           for b in tally.bodies)
    if tally.outcome == "approved":
        rules = "rules" if len(tally.rules) > 1 else "rule"
        names = ", ".join(r.name for r in tally.rules) or tally.rule
        return "success", f"Approved under the {names} {rules}: {counts}"
    if tally.outcome == "no-decision":
        return "success", "Nothing to decide: no proposed record or protected file changes"
    if tally.outcome == "pending":
        return "pending", f"Pending ({counts}): needs " + "; ".join(tally.needs)
    if tally.outcome == "blocked":
        return "failure", f"Blocked by a veto ({counts}): an objection must be retracted"
    if tally.outcome == "failing":
        return "failure", f"Failing ({counts}): cannot pass with the votes that remain"
    if tally.outcome == "expired":
        closed = next((n.rsplit(": ", 1)[-1] for n in tally.needs if "voting closed" in n),
                      "voting closed without approval")
        return "failure", f"Expired: {closed}"
    return "failure", "Not tallied: the records have check findings; see the status comment"


def status_descriptions(tally: Tally) -> dict[str, tuple[str, str]]:
    """{context: (state, description ≤ 140 chars)} for `govbot/check` and `govbot/vote`.

    Descriptions are plain text shown by GitHub as-is; they carry no user text but the
    rule's kind and the `needs` (which may name members' logins)."""
    n = len(errors(tally.findings))
    check = ("success", "All records pass the checks") if not n else \
        ("failure", f"{n} problem{'s' if n != 1 else ''} in the records: see the status comment")
    state, text = _vote_description(tally)
    return {"govbot/check": (check[0], shorten(check[1])), "govbot/vote": (state, shorten(text))}
