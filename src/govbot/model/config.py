"""governance.yml: the governing bodies (each a roster and voting rules) and settings (DESIGN §4).

Today's single-committee form (`committee:` and `rules:` at the top level) is exactly one
body, the default; `bodies:` adds more (a steering committee *and* a community council),
each with its own roster and rules (the top-level `rules` are every body's defaults).
`Config.committee` and `Config.rules` are always the default body's, so code that knows only
one committee keeps working; `Config.bodies` has them all."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from govbot.model.errors import ConfigError, RecordError
from govbot.model.findings import Finding, did_you_mean, hidden_characters, one_of, shown
from govbot.model.records import KINDS
from govbot.model.yamlio import Document, key_path, load_yaml

CONFIG_FILE = "governance.yml"
MAX_CONFIG_BYTES = 512 * 1024
ROLES = ("chair", "member", "secretary")
PLACEHOLDER_LOGIN = "your-github-login"  # what `govbot init` writes when no chair is given
AUTHOR_MODES = ("approves", "excluded")
STALE_MODES = ("content", "push", "never")
TIE_BREAKERS = ("chair", "none")
TOP_KEYS = ("committee", "rules", "author", "stale_approvals", "tie_breaker",
            "protected_paths", "review_cycle", "bot", "labels", "repository", "site_url",
            "organisation", "bodies", "default_body")
MEMBER_KEYS = ("login", "id", "name", "role", "from", "until", "leave")
RULE_KEYS = ("quorum", "threshold", "min_approvals", "review_period", "veto", "deadline",
             "remind", "recorded_votes")
BODY_KEYS = ("name", "committee", "rules")
LEAVE_KEYS = ("from", "until")
DEFAULT_BODY = "committee"  # the id of the one body of a single-committee governance.yml
BODY_ID = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
# Protected by the governance rule whatever governance.yml says (it can add paths, never
# remove these): the rules themselves, the workflows that run govbot, the templates.
DEFAULT_PROTECTED: Mapping[str, tuple[str, ...]] = {
    "governance": ("governance.yml", ".github/**", "templates/**")}
MAX_PERIOD_DAYS = 10 * 366  # a review period longer than ten years is a typo
MAX_CYCLE_MONTHS = 120
_FRACTION_TEXT = re.compile(r"^\s*(?:\d{1,9}(?:\.\d{1,9})?%?|\d{1,9}/\d{1,9})\s*$")
_PERIOD = re.compile(r"^\s*(\d{1,9})\s*(d|h|w|days?|hours?|weeks?)\s*$")
_CYCLE = re.compile(r"^\s*(\d{1,6})\s*(months?|years?)\s*$")
_LOGIN_TEXT = r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}"
LOGIN = re.compile(f"^{_LOGIN_TEXT}$")  # a GitHub user's login (records, `init`, `new`)
_LOGIN = re.compile(rf"^{_LOGIN_TEXT}(\[bot\])?$")  # the roster and `bot:` may name apps
REPOSITORY = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}/"
                         r"(?!\.\.?$)[A-Za-z0-9._-]{1,100}$")
_SITE_URL = re.compile(r"^https?://[^\s/?#]+(/[^\s?#]*)?$")


@dataclass(frozen=True, slots=True)
class Leave:
    """A leave of absence, `from` to `until` inclusive (UTC dates)."""

    start: dt.date
    until: dt.date

    def covers(self, on: dt.date) -> bool:
        return self.start <= on <= self.until


@dataclass(frozen=True, slots=True)
class Member:
    """A seat on a body: matched by numeric `id` when known, else by login. A `secretary`
    holds a seat without a vote (they record votes cast outside GitHub, §5); `leave` lists
    the member's leaves of absence (outside the electorate then, unless they vote)."""

    login: str
    id: int | None
    name: str
    role: str
    start: dt.date
    until: dt.date | None = None
    leave: tuple[Leave, ...] = ()

    def seated(self, on: dt.date) -> bool:
        """Whether the member holds a seat on `on` (term dates inclusive, UTC)."""
        return self.start <= on and (self.until is None or on <= self.until)

    def on_leave(self, on: dt.date) -> bool:
        """Whether one of the member's leaves of absence covers `on`."""
        return any(leave.covers(on) for leave in self.leave)

    @property
    def is_chair(self) -> bool:
        return self.role == "chair"

    @property
    def is_secretary(self) -> bool:
        return self.role == "secretary"

    @property
    def votes(self) -> bool:
        """Whether the seat carries a vote (every role but `secretary`)."""
        return self.role != "secretary"


@dataclass(frozen=True, slots=True)
class Threshold:
    """`majority` (A > O), `unanimous` (O = 0) or a fraction t (A ≥ t × (A + O))."""

    text: str
    fraction: Fraction | None = None

    def strictness(self) -> Fraction:
        if self.text == "unanimous":
            return Fraction(1)
        if self.fraction is not None:
            return self.fraction
        return Fraction(1, 2)


@dataclass(frozen=True, slots=True)
class Rule:
    """The voting rule for one kind of decision."""

    kind: str
    quorum: Fraction
    threshold: Threshold
    min_approvals: int
    review_period: dt.timedelta
    veto: bool
    deadline: dt.timedelta | None = None  # voting closes at ready_at + deadline (`expired`)
    remind: dt.timedelta | None = None  # remind non-voters this long before the period ends
    recorded_votes: bool = False  # votes recorded by the secretary or chair count

    def strictness(self) -> tuple[bool, Fraction, Fraction, int, dt.timedelta]:
        """Sort key: the larger, the stricter (veto first, then threshold, quorum, …)."""
        return (self.veto, self.threshold.strictness(), self.quorum, self.min_approvals,
                self.review_period)


def _find(members: tuple[Member, ...], login: str | None, user_id: int | None
          ) -> Member | None:
    """The roster entry for a GitHub user: by numeric id where the roster has it, else by
    login (case-insensitive). A renamed account still matches by id."""
    if user_id is not None:
        for member in members:
            if member.id == user_id:
                return member
    if login:
        for member in members:
            if member.id is None and member.login.lower() == login.lower():
                return member
    return None


@dataclass(frozen=True, slots=True)
class Body:
    """A governing body: its id (as records and protected paths name it), its name, its
    roster and its rules (one per kind)."""

    id: str
    name: str
    committee: tuple[Member, ...]
    rules: Mapping[str, Rule]

    def seated(self, on: dt.date) -> tuple[Member, ...]:
        """The members holding a seat with a vote on `on` (the secretary has no vote)."""
        return tuple(m for m in self.committee if m.seated(on) and m.votes)

    def find_member(self, login: str | None, user_id: int | None) -> Member | None:
        return _find(self.committee, login, user_id)

    def chair(self, on: dt.date) -> Member | None:
        return next((m for m in self.seated(on) if m.is_chair), None)

    def officers(self, on: dt.date) -> tuple[Member, ...]:
        """Who may record a vote cast outside GitHub (`/govbot record`) on `on`: the
        seated secretary and chair."""
        return tuple(m for m in self.committee if m.seated(on)
                     and (m.is_secretary or m.is_chair))


@dataclass(frozen=True, slots=True)
class Config:
    """A loaded, validated governance.yml. `committee` and `rules` are the default body's
    (`default_body`); `bodies` holds every body by id, its default body always made of
    `committee` and `rules` (so `Config(committee=…, rules=…)` is a one-body configuration)."""

    committee: tuple[Member, ...]
    rules: Mapping[str, Rule]
    author: str = "approves"
    stale_approvals: str = "content"
    tie_breaker: str = "chair"
    protected_paths: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(DEFAULT_PROTECTED))
    review_cycle_months: int = 12
    bot: str = "github-actions[bot]"
    labels: bool = True
    repository: str | None = None  # owner/name on GitHub: absolute links in generated files
    site_url: str | None = None  # the published site's URL (always ends with '/')
    organisation: str | None = None  # whose plan it is: the site, the feed, the board pack
    bodies: Mapping[str, Body] = field(default_factory=dict)
    default_body: str = DEFAULT_BODY

    def __post_init__(self) -> None:
        # `committee` and `rules` are the default body's, and win: a copy made with
        # `dataclasses.replace(config, committee=…)` changes the default body too
        main = self.bodies.get(self.default_body)
        if main is None or main.committee != self.committee or main.rules != self.rules:
            body = Body(self.default_body, main.name if main else "Committee", self.committee,
                        self.rules)
            object.__setattr__(self, "bodies", {**self.bodies, self.default_body: body})

    def body(self, name: str | None = None) -> Body:
        """The body called `name` (None: the default body). KeyError for an unknown name:
        `govbot check` reports a record naming one."""
        return self.bodies[self.default_body if name is None else name]

    @property
    def several_bodies(self) -> bool:
        return len(self.bodies) > 1

    def for_body(self, name: str) -> Config:
        """This configuration as the body called `name` sees it: its roster and rules are
        `committee` and `rules` (and it is the default body), every other setting the
        same. The vote is counted body by body through such views."""
        body = self.bodies[name]
        return dataclasses.replace(self, committee=body.committee, rules=body.rules,
                                   default_body=name)

    def seated(self, on: dt.date) -> tuple[Member, ...]:
        """The default body's members with a vote seated on `on`."""
        return self.body().seated(on)

    def find_member(self, login: str | None, user_id: int | None) -> Member | None:
        """The default body's roster entry for a GitHub user: by numeric id where the roster
        has it, else by login (case-insensitive). A renamed account still matches by id."""
        return self.body().find_member(login, user_id)

    def find_anyone(self, login: str | None, user_id: int | None) -> Member | None:
        """A roster entry for a GitHub user on any body (the default body first)."""
        for body in (self.body(), *self.bodies.values()):
            found = body.find_member(login, user_id)
            if found is not None:
                return found
        return None

    def protected_patterns(self) -> list[str]:
        """Every protected path pattern, whatever body and kind it calls for."""
        return [p for patterns in self.protected_paths.values() for p in patterns]

    def protected_rules(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """(body, kind, patterns) for each `protected_paths` entry: a key is `KIND` (the
        default body) or `BODY.KIND`."""
        out = []
        for key, patterns in sorted(self.protected_paths.items()):
            body, _, kind = key.rpartition(".")
            out.append((body or self.default_body, kind, patterns))
        return out

    def chair(self, on: dt.date) -> Member | None:
        return self.body().chair(on)


class _Reader:
    """Collects findings while reading a config document (never stops at the first)."""

    def __init__(self, path: str, doc: Document):
        self.path = path
        self.doc = doc
        self.findings: list[Finding] = []

    def error(self, where: tuple[str | int, ...], message: str) -> None:
        prefix = f"{key_path(where)}: " if where else ""
        self.findings.append(Finding(self.path, self.doc.line(*where), prefix + message,
                                     "config"))

    def unknown_keys(self, where: tuple[str | int, ...], data: Mapping[str, Any],
                     allowed: tuple[str, ...]) -> None:
        for key in data:
            if key not in allowed:
                self.error((*where, key), "unknown key" + did_you_mean(key, allowed)
                           + f"; allowed keys are {one_of(list(allowed))}")

    def choice(self, where: tuple[str | int, ...], value: Any, allowed: tuple[str, ...],
               default: str) -> str:
        if value is None:
            return default
        if value not in allowed:
            self.error(where, f"{shown(value)} is not one of {one_of(list(allowed))}"
                       + did_you_mean(str(value), allowed))
            return default
        return str(value)

    def date(self, where: tuple[str | int, ...], value: Any) -> dt.date | None:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.error(where, f"{shown(value)} is not a date; write it as YYYY-MM-DD")
        return None


def _fraction(value: Any) -> Fraction | None:
    """0.5, 1/2, 50% (or 0, 1) → a Fraction; None for anything else: .nan, .inf, true, text,
    and numbers written so long they could only be an attack (`1e999999`)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Fraction(value) if abs(value) <= 10**6 else None
    if isinstance(value, float):
        return Fraction(str(value)) if math.isfinite(value) else None
    if not isinstance(value, str) or not _FRACTION_TEXT.match(value):
        return None
    text = value.strip().removesuffix("%")
    try:
        number = Fraction(text)
    except ZeroDivisionError:  # 1/0
        return None
    return number / 100 if value.strip().endswith("%") else number


def parse_period(value: Any) -> dt.timedelta | None:
    """`7d`, `48h`, `2w`, `0d` → a timedelta; None when it is not a period."""
    if isinstance(value, int) and not isinstance(value, bool) and value == 0:
        return dt.timedelta(0)
    match = _PERIOD.match(str(value)) if isinstance(value, str) else None
    if not match:
        return None
    amount, unit = int(match[1]), match[2][0]
    if amount > MAX_PERIOD_DAYS * 24:  # longer than any period a rule can mean
        return None
    period = {"d": dt.timedelta(days=amount), "h": dt.timedelta(hours=amount),
              "w": dt.timedelta(weeks=amount)}[unit]
    return period if period <= dt.timedelta(days=MAX_PERIOD_DAYS) else None


def _read_member(r: _Reader, index: int, item: Any, at: tuple[str | int, ...] = ()
                 ) -> Member | None:
    where: tuple[str | int, ...] = (*at, "committee", index)
    if not isinstance(item, dict):
        r.error(where, "each committee entry must be a mapping with login, name, role and from")
        return None
    r.unknown_keys(where, item, MEMBER_KEYS)
    login = item.get("login")
    if not isinstance(login, str) or not _LOGIN.match(login):
        r.error((*where, "login"), f"{shown(login)} is not a GitHub login" if login is not None
                else "missing; add the member's GitHub login")
        login = None
    elif login.endswith("[bot]"):
        r.error((*where, "login"), f"{shown(login)} is a GitHub App (a bot), which can never "
                "vote but would count towards the quorum; remove it from the committee (name "
                "govbot's own account under bot:)")
    elif login == PLACEHOLDER_LOGIN:
        r.error((*where, "login"), f"{shown(login)} is the placeholder `govbot init` wrote; put "
                "the member's real GitHub login here (and their numeric id)")
    user_id = item.get("id")
    if user_id is not None and (not isinstance(user_id, int) or isinstance(user_id, bool)
                                or user_id <= 0):
        r.error((*where, "id"), f"{shown(user_id)} is not a GitHub numeric user id")
        user_id = None
    name = item.get("name") if item.get("name") is not None else login
    if not isinstance(name, str) and login is not None:
        r.error((*where, "name"), f"{shown(name)} is not text; write the member's full name")
    elif isinstance(name, str) and "\n" in name.strip():
        r.error((*where, "name"), "must be a single line")
    elif isinstance(name, str) and (problem := hidden_characters(name)):
        r.error((*where, "name"), problem)
    role = r.choice((*where, "role"), item.get("role"), ROLES, "member")
    start = r.date((*where, "from"), item["from"]) if "from" in item else None
    if "from" not in item:
        r.error((*where, "from"), "missing; add the date the member's term began (YYYY-MM-DD)")
    until = r.date((*where, "until"), item["until"]) if item.get("until") is not None else None
    if start and until and until < start:
        r.error((*where, "until"), f"the term ends ({until}) before it begins ({start})")
    leave = _read_leave(r, (*where, "leave"), item.get("leave"))
    if login is None or start is None:
        return None
    return Member(login, user_id, str(name), role, start, until, leave)


def _read_leave(r: _Reader, where: tuple[str | int, ...], value: Any) -> tuple[Leave, ...]:
    """`leave: [{from: 2026-01-10, until: 2026-03-31}, …]`."""
    if value is None:
        return ()
    if not isinstance(value, list):
        r.error(where, "must be a list of leaves, e.g. [{from: 2026-01-10, until: 2026-03-31}]")
        return ()
    out = []
    for index, item in enumerate(value):
        at = (*where, index)
        if not isinstance(item, dict):
            r.error(at, "each leave must be a mapping with from and until, e.g. "
                    "{from: 2026-01-10, until: 2026-03-31}")
            continue
        r.unknown_keys(at, item, LEAVE_KEYS)
        dates = []
        for key in LEAVE_KEYS:
            if item.get(key) is None:
                r.error((*at, key), f"missing; add the {'first' if key == 'from' else 'last'} "
                        "day of the leave (YYYY-MM-DD)")
            dates.append(r.date((*at, key), item[key]) if item.get(key) is not None else None)
        start, until = dates
        if start and until and until < start:
            r.error((*at, "until"), f"the leave ends ({until}) before it begins ({start})")
        elif start and until:
            out.append(Leave(start, until))
    return tuple(out)


def _read_rule(r: _Reader, kind: str, item: Any, at: tuple[str | int, ...] = ()
               ) -> Rule | None:
    where: tuple[str | int, ...] = (*at, "rules", kind)
    if not isinstance(item, dict):
        r.error(where, "must be a mapping with quorum, threshold, min_approvals, "
                "review_period and veto")
        return None
    r.unknown_keys(where, item, RULE_KEYS)
    ok = True
    quorum = _fraction(item.get("quorum", 0.5))
    if quorum is None or not 0 <= quorum <= 1:
        r.error((*where, "quorum"), f"{shown(item.get('quorum'))} must be a number from 0 to 1 "
                "(the share of seated members who must vote), e.g. 0.5")
        ok = False
    raw = item.get("threshold", "majority")
    threshold: Threshold | None
    if raw in ("majority", "unanimous"):
        threshold = Threshold(str(raw))
    else:
        value = _fraction(raw)
        threshold = Threshold(str(raw), value) if value is not None and 0 < value <= 1 else None
        if threshold is None:
            r.error((*where, "threshold"), f"{shown(raw)} must be majority, unanimous, or a "
                    "fraction above 0 and at most 1 such as 2/3 or 0.6")
            ok = False
    minimum = item.get("min_approvals", 1)
    if not isinstance(minimum, int) or isinstance(minimum, bool) or minimum < 0:
        r.error((*where, "min_approvals"), f"{shown(minimum)} must be a whole number, 0 or more")
        ok = False
    period = parse_period(item.get("review_period", "0d"))
    if period is None:
        r.error((*where, "review_period"), f"{shown(item.get('review_period'))} is not a period; "
                "write e.g. 7d, 48h or 2w")
        ok = False
    veto = item.get("veto", False)
    if not isinstance(veto, bool):
        r.error((*where, "veto"), f"{shown(veto)} must be true or false")
        ok = False
    if minimum == 0 and period is not None and period < dt.timedelta(days=1):
        r.error((*where, "min_approvals"), "0 is lazy consensus (the rule passes when nobody "
                "objects), which needs a review period of at least a day for members to "
                "object; set review_period: 1d or more, or min_approvals: 1 or more")
        ok = False
    deadline, remind = (_optional_period(r, (*where, key), item.get(key))
                        for key in ("deadline", "remind"))
    if deadline is not None and period is not None and deadline < period:
        r.error((*where, "deadline"), f"{shown(item['deadline'])} ends voting before the review "
                f"period ({shown(item.get('review_period'))}) does; make the deadline at least as "
                "long as the review period")
        ok = False
    recorded = item.get("recorded_votes", False)
    if not isinstance(recorded, bool):
        r.error((*where, "recorded_votes"), f"{shown(recorded)} must be true or false")
        ok = False
    if not ok or quorum is None or threshold is None or period is None:
        return None
    return Rule(kind, quorum, threshold, int(minimum), period, bool(veto), deadline, remind,
                bool(recorded))


def _optional_period(r: _Reader, where: tuple[str | int, ...], value: Any
                     ) -> dt.timedelta | None:
    """`deadline` and `remind`: a period of at least an hour, or absent."""
    if value is None:
        return None
    period = parse_period(value)
    if period is None or period <= dt.timedelta(0):
        r.error(where, f"{shown(value)} is not a period; write e.g. 30d, 48h or 2w (leave the key "
                "out for none)")
        return None
    return period


def _read_protected(r: _Reader, value: Any, bodies: Collection[str], default: str
                    ) -> dict[str, tuple[str, ...]]:
    """The protected paths: the built-in protection (DEFAULT_PROTECTED, which configuration
    cannot remove) plus the patterns governance.yml adds, per `KIND` (the default body's
    rule) or `BODY.KIND`; a key naming the default body is stored as plain `KIND`."""
    out: dict[str, tuple[str, ...]] = dict(DEFAULT_PROTECTED)
    if value is None:
        return out
    if not isinstance(value, dict):
        r.error(("protected_paths",), "must map a kind to a list of path patterns, e.g. "
                "policy: [policies/**]")
        return out
    for key, patterns in value.items():
        body, dot, kind = str(key).rpartition(".")
        if dot and body not in bodies:
            r.error(("protected_paths", key), f"{shown(body)} is not a body; write KIND or "
                    f"BODY.KIND with a body of {one_of(sorted(bodies))}"
                    + did_you_mean(body, sorted(bodies)))
            continue
        if kind not in KINDS:
            r.error(("protected_paths", key), f"{shown(kind)} is not a kind; use one of "
                    f"{one_of(list(KINDS))}" + did_you_mean(kind, KINDS))
            continue
        if not isinstance(patterns, list) or not all(isinstance(p, str) and p.strip()
                                                      for p in patterns):
            r.error(("protected_paths", key), "must be a list of path patterns, e.g. "
                    "[policies/**]")
            continue
        name = kind if body in ("", default) else f"{body}.{kind}"
        out[name] = tuple(dict.fromkeys((*out.get(name, ()), *patterns)))
    return out


def _read_cycle(r: _Reader, value: Any) -> int:
    if value is None:
        return 12
    match = _CYCLE.match(value) if isinstance(value, str) else None
    months = int(match[1]) * (12 if match[2].startswith("year") else 1) if match else 0
    if not 0 < months <= MAX_CYCLE_MONTHS:
        r.error(("review_cycle",), f"{shown(value)} is not a review cycle; write e.g. 12 months "
                "(at most 10 years)")
        return 12
    return months


def _read_repository(r: _Reader, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not REPOSITORY.match(value):
        r.error(("repository",), f"{shown(value)} is not a GitHub repository; write it as "
                "owner/name, e.g. my-org/governance")
        return None
    return value


def _read_site_url(r: _Reader, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _SITE_URL.match(value):
        r.error(("site_url",), f"{shown(value)} is not a web address; write the published site's "
                "URL, e.g. https://my-org.github.io/governance/")
        return None
    return value.rstrip("/") + "/"


MAX_ORGANISATION = 120


def _read_organisation(r: _Reader, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        r.error(("organisation",), f"{shown(value)} is not a name; write the organisation's name, "
                "e.g. organisation: Example Foundation")
        return None
    if "\n" in value.strip():
        r.error(("organisation",), "must be a single line")
        return None
    if len(value.strip()) > MAX_ORGANISATION:
        r.error(("organisation",), f"is {len(value.strip())} characters long; keep it to "
                f"{MAX_ORGANISATION} or fewer")
        return None
    if problem := hidden_characters(value):
        r.error(("organisation",), problem)
        return None
    return " ".join(value.split())


def _overlap(a: Member, b: Member) -> bool:
    return a.start <= (b.until or dt.date.max) and b.start <= (a.until or dt.date.max)


def _check_chairs(r: _Reader, committee: list[tuple[int, Member]], tie_breaker: Any,
                  explicit: bool, at: tuple[str | int, ...] = (), body: str = "") -> None:
    """One chair at a time (terms may follow each other); `tie_breaker: chair`, when
    written, needs one."""
    chairs = [(index, m) for index, m in committee if m.is_chair]
    for position, (index, member) in enumerate(chairs):
        other = next((m for _, m in chairs[:position] if _overlap(m, member)), None)
        if other is not None:
            r.error((*at, "committee", index, "role"), f"{member.login} and {other.login} are "
                    "both chair at the same time (their terms overlap); a committee has one chair: "
                    "make one of them member, or end one term before the other begins")
    # Only a tie_breaker written as `chair` needs a chair: a governance.yml that says
    # nothing keeps working as it did (with no chair, a tie simply does not pass).
    if explicit and tie_breaker == "chair" and not chairs and committee:
        which = f"the {body} has" if body else "there is"
        r.error(("tie_breaker",), "chair needs a committee member with role: chair, and "
                f"{which} none; give one member role: chair, or set tie_breaker: none")


def _check_roster(r: _Reader, committee: list[tuple[int, Member]],
                  at: tuple[str | int, ...] = ()) -> None:
    logins: dict[str, int] = {}
    ids: dict[int, int] = {}
    for index, member in committee:
        key = member.login.lower()
        if key in logins:
            r.error((*at, "committee", index, "login"), f"{shown(member.login)} is listed twice "
                    f"(also committee[{logins[key]}]); keep one entry per person")
        logins.setdefault(key, index)
        if member.id is not None:
            if member.id in ids:
                r.error((*at, "committee", index, "id"), f"{member.id} is listed twice (also "
                        f"committee[{ids[member.id]}]); each id belongs to one person")
            ids.setdefault(member.id, index)


def _read_committee(r: _Reader, at: tuple[str | int, ...], roster: Any, what: str,
                    data: Mapping[str, Any]) -> tuple[Member, ...]:
    """A roster (`committee:`), each seat read and the whole checked for duplicates and
    for one chair at a time (the `tie_breaker` in `data` may need one)."""
    if not isinstance(roster, list) or not roster:
        r.error((*at, "committee"), f"missing or empty; list the {what} members")
        return ()
    committee: list[tuple[int, Member]] = []
    for index, item in enumerate(roster):
        member = _read_member(r, index, item, at)
        if member is not None:
            committee.append((index, member))
    _check_roster(r, committee, at)
    _check_chairs(r, committee, data.get("tie_breaker", "chair"), "tie_breaker" in data, at,
                  what if at else "")
    return tuple(m for _, m in committee)


def _read_rules(r: _Reader, at: tuple[str | int, ...], raw: Any,
                defaults: Mapping[str, Rule] | None) -> dict[str, Rule]:
    """`rules:` → a rule per kind. Without `defaults` (the top level), every kind needs a
    rule here; a body's rules fall back on the top-level rules (`defaults`) kind by kind."""
    if raw is None and defaults is not None:
        raw = {}
    if not isinstance(raw, dict):
        r.error((*at, "rules"), f"missing; give a rule for each kind: {one_of(list(KINDS))}")
        return {}
    r.unknown_keys((*at, "rules"), raw, KINDS)
    rules: dict[str, Rule] = {}
    for kind in KINDS:
        if kind in raw:
            rule = _read_rule(r, kind, raw[kind], at)
            if rule is not None:
                rules[kind] = rule
        elif defaults is not None and kind in defaults:
            rules[kind] = defaults[kind]
        elif defaults is None or not at:
            r.error((*at, "rules"), f"no rule for {shown(kind)}; every kind needs one")
        else:
            r.error((*at, "rules"), f"no rule for {shown(kind)}; every kind needs one: give it "
                    "here or in the top-level rules")
    return rules


def _read_bodies(r: _Reader, data: Mapping[str, Any]) -> tuple[dict[str, Body], str]:
    """Every body and the default body's id. Without `bodies:`, the top-level `committee`
    and `rules` are the one body, `committee`; with it, the top-level `rules` are every
    body's defaults and a top-level `committee` is the default body's roster when that body
    gives none of its own."""
    raw = data.get("bodies")
    if raw is None:
        if data.get("default_body") is not None:
            r.error(("default_body",), "names one of `bodies:`, and this file has none; "
                    "remove it, or add bodies")
        committee = _read_committee(r, (), data.get("committee"), "committee", data)
        rules = _read_rules(r, (), data.get("rules"), None)
        return {DEFAULT_BODY: Body(DEFAULT_BODY, "Committee", committee, rules)}, DEFAULT_BODY
    if not isinstance(raw, dict) or not raw:
        r.error(("bodies",), "must map each body's id to its name, committee and rules, e.g. "
                "council: {name: Community Council, committee: [...]}")
        return {}, DEFAULT_BODY
    default = _default_body(r, data.get("default_body"), [str(k) for k in raw])
    defaults = (_read_rules(r, (), data["rules"], {}) if data.get("rules") is not None
                else {})
    bodies: dict[str, Body] = {}
    for key, item in raw.items():
        at: tuple[str | int, ...] = ("bodies", key)
        if not isinstance(key, str) or not BODY_ID.match(key):
            r.error(at, f"{shown(key)} is not a body id; use lowercase letters, digits, '-' and "
                    "'_', starting with a letter (e.g. council)")
            continue
        if not isinstance(item, dict):
            r.error(at, "must be a mapping with name, committee and rules")
            continue
        r.unknown_keys(at, item, BODY_KEYS)
        name = item.get("name", key)
        if not isinstance(name, str) or not name.strip() or "\n" in name.strip():
            r.error((*at, "name"), f"{shown(name)} is not a name; write the body's name on one "
                    "line, e.g. Community Council")
            name = key
        roster, where = item.get("committee"), at
        if key == default and roster is None and data.get("committee") is not None:
            roster, where = data["committee"], ()
        elif key == default and data.get("committee") is not None:
            r.error(("committee",), f"the default body ({key}) has its own committee under "
                    "bodies; move these members there and remove this list")
        committee = _read_committee(r, where, roster, str(name), data)
        bodies[key] = Body(key, str(name).strip(), committee,
                           _read_rules(r, at, item.get("rules"), defaults))
    if data.get("committee") is not None and default not in raw:
        r.error(("committee",), "a top-level committee is the default body's roster; set "
                "default_body to one of bodies")
    return bodies, default


def _default_body(r: _Reader, value: Any, names: list[str]) -> str:
    if value is None:
        if len(names) > 1:
            r.error(("default_body",), "missing; name the body that decides a record "
                    f"without `body:`, one of {one_of(names)}")
        return names[0]
    if value not in names:
        r.error(("default_body",), f"{shown(value)} is not one of the bodies: {one_of(names)}"
                + did_you_mean(str(value), names))
        return names[0]
    return str(value)


def read_config(path: str, text: str) -> tuple[Config | None, list[Finding]]:
    """governance.yml text → (Config or None, findings). Never raises for bad content."""
    try:
        doc = load_yaml(text, path=path, max_bytes=MAX_CONFIG_BYTES)
    except RecordError as exc:
        return None, [Finding(path, exc.line, exc.message, "config")]
    r = _Reader(path, doc)
    data = doc.data
    if not isinstance(data, dict):
        r.error((), "governance.yml must be a mapping with committee and rules")
        return None, r.findings
    r.unknown_keys((), data, TOP_KEYS)
    bodies, default = _read_bodies(r, data)
    bot = data.get("bot", "github-actions[bot]")
    if not isinstance(bot, str) or not _LOGIN.match(bot):
        r.error(("bot",), f"{shown(bot)} is not a GitHub login (e.g. github-actions[bot])")
        bot = "github-actions[bot]"
    labels = data.get("labels", True)
    if not isinstance(labels, bool):
        r.error(("labels",), f"{shown(labels)} must be true or false")
        labels = True
    main = bodies.get(default)
    config = Config(
        committee=main.committee if main else (),
        rules=main.rules if main else {},
        author=r.choice(("author",), data.get("author"), AUTHOR_MODES, "approves"),
        stale_approvals=r.choice(("stale_approvals",), data.get("stale_approvals"),
                                 STALE_MODES, "content"),
        tie_breaker=r.choice(("tie_breaker",), data.get("tie_breaker"), TIE_BREAKERS, "chair"),
        protected_paths=_read_protected(r, data.get("protected_paths"), bodies, default),
        review_cycle_months=_read_cycle(r, data.get("review_cycle")),
        bot=bot,
        labels=labels,
        repository=_read_repository(r, data.get("repository")),
        site_url=_read_site_url(r, data.get("site_url")),
        organisation=_read_organisation(r, data.get("organisation")),
        bodies=bodies,
        default_body=default,
    )
    return (None if r.findings else config), r.findings


def config_or_none(text: str | None) -> Config | None:
    """governance.yml's text → Config, or None when it is missing or broken (callers that
    only need names or protected paths then fall back; `govbot check` reports the problem)."""
    if text is None:
        return None
    config, _ = read_config(CONFIG_FILE, text)
    return config


def load_config(path: str, text: str) -> Config:
    """Like read_config, but raise ConfigError listing every problem (exit code 2)."""
    config, findings = read_config(path, text)
    if config is None:
        raise ConfigError(f"{path} has {len(findings)} problem(s); fix them and run again:",
                          problems=tuple(str(f) for f in findings))
    return config
