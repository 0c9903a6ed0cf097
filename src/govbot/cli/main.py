"""Command line: parse options, call the core, print. Nothing else lives here."""

from __future__ import annotations

import functools
import io
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from govbot import __version__
from govbot.model.errors import EXIT_UNEXPECTED, GovbotError

F = TypeVar("F", bound=Callable[..., Any])


EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a tool killed by SIGPIPE


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass  # not a real file descriptor (e.g. under a test runner)


def handle_errors(func: F) -> F:
    """Turn GovbotError into its exit code and a clear message; anything else into exit 3."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        verbose = bool(ctx.find_root().params.get("verbose"))
        try:
            _locate(ctx, kwargs)
            result = func(*args, **kwargs)
            sys.stdout.flush()  # a closed pipe shows up here, inside the handler
            return result
        except BrokenPipeError:
            # the reader went away (`govbot plan | head`): stop quietly, as Unix tools do
            _silence_stdout()
            ctx.exit(EXIT_BROKEN_PIPE)
        except GovbotError as exc:
            from govbot.github.runtime import (  # no line may start a command
                actions_error,
                log_lines,
            )

            click.echo(log_lines(f"govbot: error: {exc.diagnostics()}"), err=True)
            if (annotation := actions_error(exc.diagnostics(), os.environ)) is not None:
                click.echo(annotation, err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # the one place that catches everything
            import traceback  # only for an unexpected error: not at start-up

            from govbot.github.runtime import actions_error, log_lines, one_line

            reason = one_line(f"{type(exc).__name__}: {exc}")
            click.echo(f"govbot: unexpected error: {reason}", err=True)
            if (annotation := actions_error(f"unexpected error: {reason}", os.environ)):
                click.echo(annotation, err=True)
            if verbose:
                click.echo(log_lines(traceback.format_exc()), err=True)
            else:
                click.echo("(run again with --verbose for the traceback)", err=True)
            ctx.exit(EXIT_UNEXPECTED)

    return wrapper  # type: ignore[return-value]


class RepoOption(click.Option):
    """--repo: the governance repository. Left out, `handle_errors` finds it from the current
    folder as git finds its repository (`strict`: outside one is an error)."""

    def __init__(self, *args: Any, strict: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.strict = strict


def repo_option(strict: bool = True) -> Callable[[F], F]:
    return click.option(
        "--repo", "repo", cls=RepoOption, strict=strict, default=None,
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="The governance repository (holds governance.yml and decisions/) [default: the "
             "folder holding governance.yml, here or above, as git finds its repository].")


def _locate(ctx: click.Context, kwargs: dict[str, Any]) -> None:
    """Replace a left-out --repo with the repository found from the current folder."""
    from govbot.git.workspace import locate_repository

    for param in ctx.command.params:
        if isinstance(param, RepoOption) and param.name in kwargs:
            kwargs[param.name] = locate_repository(kwargs[param.name], strict=param.strict)


def _set_verbose(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.find_root().params["verbose"] = True


class Group(click.Group):
    """govbot's command group: `govbot --help` lists each command's whole summary (click
    would cut it with "..."), and every command also takes `--verbose` after its name."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        cmd.params.append(click.Option(
            ["--verbose"], is_flag=True, expose_value=False, callback=_set_verbose,
            help="Show tracebacks for unexpected errors (as `govbot --verbose`)."))
        super().add_command(cmd, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, command.get_short_help_str(limit=1000))
                for name in self.list_commands(ctx)
                if (command := self.get_command(ctx, name)) is not None and not command.hidden]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="govbot")
@click.option("--verbose", is_flag=True, help="Show tracebacks for unexpected errors.")
def main(verbose: bool) -> None:
    """govbot: decision records, committee votes and the published plan, on GitHub."""


@main.command("plan", short_help="Print the current plan, as PLAN.md shows it.")
@repo_option()
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown",
              show_default=True)
@handle_errors
def plan_command(repo: Path, fmt: str) -> None:
    """Print the current plan: the fold of every decided plan record, exactly as `govbot
    render` writes it to PLAN.md (or as JSON)."""
    import json

    from govbot.git.repo import read_worktree
    from govbot.git.workspace import require_config
    from govbot.model.config import config_or_none
    from govbot.model.plan import fold, plan_to_dict
    from govbot.render.outputs import render_plan_markdown, tidy_markdown

    require_config(repo)
    tree = read_worktree(repo)
    records = sorted(tree.records, key=lambda r: r.path)  # as `govbot render` orders them
    plan, findings = fold(records)
    for finding in [*tree.findings, *findings]:
        click.echo(f"govbot: warning: {finding}", err=True)
    if fmt == "json":
        click.echo(json.dumps(plan_to_dict(plan), indent=2, sort_keys=True))
    else:  # the bytes `govbot render` writes to PLAN.md: same links, same templates
        config = config_or_none(tree.config_text)
        click.echo(tidy_markdown(render_plan_markdown(plan, records, repo, config)), nl=False)


@main.command("render", short_help="Regenerate CHANGELOG.md, PLAN.md and decisions.json.")
@repo_option()
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 listing the generated files that are out of date.")
@handle_errors
def render_command(repo: Path, check: bool) -> None:
    """Regenerate CHANGELOG.md, PLAN.md and decisions.json from decisions/."""
    from govbot.git.publish import stale_outputs, write_files
    from govbot.model.config import CONFIG_FILE
    from govbot.model.errors import ConfigError

    if not any((repo / name).exists() or (repo / name).is_symlink()
               for name in (CONFIG_FILE, "decisions")):
        raise ConfigError(f"neither {CONFIG_FILE} nor decisions/ in {repo}, so there is "
                          "nothing to render; run govbot in a governance repository or pass "
                          "--repo")
    stale = stale_outputs(repo)
    if check:
        for name in stale:
            click.echo(f"{name}: out of date; run `govbot render` and commit the result")
        if stale:
            click.get_current_context().exit(1)
        return
    write_files(repo, stale)
    for name in stale:
        click.echo(f"wrote {name}")


@main.command("site", short_help="Build the static site: plan, decisions, changelog, feed.")
@repo_option()
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The folder to write the site to: created, or emptied when an earlier "
              "`govbot site` wrote it; any other non-empty folder is refused.")
@click.option("--base-url", default="", help="The site's public URL, for the Atom feed's links "
              "and ids (e.g. https://org.github.io/governance/; default: governance.yml's "
              "site_url).")
@handle_errors
def site_command(repo: Path, out: Path, base_url: str) -> None:
    """Build the static site: the plan, every decision, the changelog and an Atom feed."""
    from govbot.git.repo import read_worktree
    from govbot.git.sitedir import write_site
    from govbot.git.workspace import require_config
    from govbot.model.config import config_or_none
    from govbot.render.site import build_site

    require_config(repo)
    tree = read_worktree(repo)
    pages = build_site(tree.records, config_or_none(tree.config_text), base_url=base_url,
                       repo=repo)
    write_site(out, pages)
    click.echo(f"wrote {len(pages)} files to {out}")


def _date_option(option: str, text: str) -> Any:
    import datetime as dt

    from govbot.model.errors import UsageError

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} {text!r} is not a date; write it as YYYY-MM-DD, e.g. "
                         "2023-12-31") from None


@main.command("report", short_help="Write the board pack for a period (one HTML file).")
@repo_option()
@click.option("--from", "start_text", required=True, metavar="DATE",
              help="The first day of the period (YYYY-MM-DD).")
@click.option("--to", "end_text", required=True, metavar="DATE",
              help="The last day of the period (YYYY-MM-DD); the plan is shown as it stood "
              "then.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The HTML file to write (one self-contained file; print it to PDF from a "
              "browser).")
@handle_errors
def report_command(repo: Path, start_text: str, end_text: str, out: Path) -> None:
    """Write the board pack for a period: the plan with its progress, every decision with
    its vote, the plan changes, recusals, participation and what is due next."""
    from govbot.git.repo import read_worktree
    from govbot.git.workspace import require_config
    from govbot.model.config import config_or_none
    from govbot.model.errors import UsageError
    from govbot.render.report import build_report

    start, end = _date_option("--from", start_text), _date_option("--to", end_text)
    if end < start:
        raise UsageError(f"--to {end} is before --from {start}; give the period's first day "
                         "then its last")
    require_config(repo)
    tree = read_worktree(repo)
    html = build_report(tree.records, config_or_none(tree.config_text), start, end, repo=repo)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    click.echo(f"wrote the board pack for {start} – {end} to {out}")


@main.command("publish", short_help="Record merged decisions and regenerate the outputs.")
@repo_option(strict=False)
@click.option("--local", is_flag=True, help="Publish in a local checkout and commit with git "
              "(no GitHub API).")
@click.option("--pr", "pr", type=int, default=None, envvar="GOVBOT_PR",
              help="A merged pull request to record besides those the history names "
              "(default: $GOVBOT_PR); with --local, the pull request HEAD merged.")
@click.option("--snapshot", "snapshot", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="With --local: the merged PR's snapshot (`govbot snapshot`) "
              "to take the votes from.")
@handle_errors
def publish_command(repo: Path, local: bool, pr: int | None, snapshot: Path | None) -> None:
    """Record every merged decision left proposed (stamp, supersede, renumber) and every
    decided record changed without a vote, and regenerate the outputs, in one commit on the
    default branch. Reads the records and their history from the checkout in --repo."""
    from govbot.git.publish import publish_local
    from govbot.github.publish import publish_actions
    from govbot.publish.reconcile import finish

    result = (publish_local(repo, pr=pr, snapshot=snapshot) if local
              else publish_actions(repo, pr))
    click.echo(finish(result))


@main.command("check", short_help="Validate records and governance.yml; exit 1 on findings.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@repo_option()
@click.option("--base", "base_ref", metavar="REF",
              help="Judge the working tree as a change to this git ref (lifecycle rules).")
@click.option("--default-branch", "default_branch", is_flag=True,
              help="The working tree is the default branch after publishing: a proposed "
              "record there was merged but not stamped (run the govbot-publish workflow).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default=None,
              help="Output format [default: github under GitHub Actions, else text].")
@handle_errors
def check_command(paths: tuple[Path, ...], repo: Path, base_ref: str | None,
                  default_branch: bool, fmt: str | None) -> None:
    """Validate decision records and governance.yml; exit 1 when there are findings."""
    from govbot.git.workspace import check_repository
    from govbot.model.errors import EXIT_FINDINGS
    from govbot.model.findings import REPORTERS, errors

    tree, changed, findings = check_repository(repo, paths, base_ref,
                                               default_branch=default_branch)
    if fmt is None:
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    click.echo(REPORTERS[fmt](findings), nl=False)
    problems = errors(findings)  # notices (a renumbering at merge) need nothing done
    if fmt != "json":
        summary = (f"{len(problems)} problem(s) found" if problems else "no problems found")
        if len(findings) > len(problems):
            summary += f", {len(findings) - len(problems)} notice(s)"
        click.echo(f"govbot: checked {_what_was_checked(tree, changed)}: {summary}", err=True)
    if problems:
        click.get_current_context().exit(EXIT_FINDINGS)


def _what_was_checked(tree: Any, changed: set[str] | None) -> str:
    """`governance.yml and 12 record(s)`, or `3 changed file(s)` when judging a change."""
    from govbot.model.config import CONFIG_FILE

    if changed is not None:
        return f"{len(changed)} changed file(s)"
    records = {r.path for r in tree.records} | {
        f.path for f in tree.findings if f.path.startswith("decisions/")}
    counted = f"{len(records)} record(s)"
    return f"{CONFIG_FILE} and {counted}" if tree.config_text is not None else counted


@main.command("new", short_help="Write the next decision record (status proposed).")
@click.argument("title")
@click.option("--kind", type=click.Choice(["plan", "policy", "governance", "review"]),
              default="plan", show_default=True)
@click.option("--author", "authors", multiple=True, metavar="LOGIN",
              help="GitHub login of a proposer (repeat for several) "
                   "[default: git config github.user, else $GITHUB_ACTOR].")
@click.option("--base", "base_ref", metavar="REF",
              help="Also avoid ids used on this ref [default: origin/HEAD when it exists].")
@repo_option()
@handle_errors
def new_command(title: str, kind: str, authors: tuple[str, ...], base_ref: str | None,
                repo: Path) -> None:
    """Write decisions/NNNN-slug.md (status proposed) with the next free id; print its path."""
    import datetime as dt

    from govbot.git.workspace import new_record, require_config

    require_config(repo)
    rel = new_record(repo, title, kind, authors, base_ref, dt.datetime.now(dt.UTC).date())
    # where you are: `0002-x.md` inside decisions/, else the repository's own path
    written, here = Path(os.path.abspath(repo / rel)), Path.cwd()
    click.echo(written.relative_to(here).as_posix() if written.is_relative_to(here) else rel)


IMPORT_FORMATS = ("adr-tools", "madr", "log4brains")  # model.adrlog.FORMATS (test-checked)


@main.command("import", short_help="Turn an existing decision log into records.")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--from", "fmt", type=click.Choice(IMPORT_FORMATS), required=True,
              help="The log's format: adr-tools (Nygard), madr (MADR 2–4) or log4brains.")
@click.option("--kind", type=click.Choice(["policy", "governance", "review"]),
              default="policy", show_default=True,
              help="The kind of every imported record (plan records change the plan, which "
                   "an imported log cannot).")
@click.option("--author", metavar="LOGIN",
              help="The GitHub login for records whose author neither git nor the file names "
                   "[default: git config github.user, else $GITHUB_ACTOR].")
@click.option("--dry-run", is_flag=True, help="Print the report; write nothing.")
@repo_option()
@handle_errors
def import_command(path: Path, fmt: str, kind: str, author: str | None, dry_run: bool,
                   repo: Path) -> None:
    """Turn an existing decision log (adr-tools, MADR or log4brains) at PATH into records
    under decisions/: ids, file names, statuses, dates and authors (from the files or git),
    links rewritten, each marked `imported`; then report what could not be carried over.
    Commit the result straight to the default branch, once."""
    import datetime as dt

    from govbot.git.workspace import import_log, require_config

    require_config(repo)
    result, log = import_log(repo, path, fmt, kind=kind, author=author, dry_run=dry_run,
                             today=dt.datetime.now(dt.UTC).date())
    verb = "would import" if dry_run else "imported"
    click.echo(f"{verb} {len(result.rows)} record(s) from {log.prefix} ({fmt}):")
    for row in result.rows:
        click.echo(f"  {row.source} → {row.path} ({row.status})")
    if result.notes:
        click.echo("not carried over as it was (read these before you commit):")
        click.echo("".join(f"  {note}\n" for note in result.notes), nl=False)
    if log.skipped:
        click.echo("skipped:")
        click.echo("".join(f"  {log.prefix}{line}\n" for line in log.skipped), nl=False)
    if dry_run:
        click.echo("nothing written (--dry-run)")
    else:
        click.echo("next: govbot check, then commit decisions/ straight to the default branch "
                   "(imported decisions are not voted on again) and run govbot render")


@main.command("schema", short_help="Print the JSON Schema of records or governance.yml.")
@click.option("--config", "config", is_flag=True,
              help="Print the schema of governance.yml instead of the record front matter.")
@handle_errors
def schema_command(config: bool) -> None:
    """Print the JSON Schema of decision-record front matter (or of governance.yml)."""
    from importlib.resources import files

    name = "governance.schema.json" if config else "record.schema.json"
    click.echo(files("govbot").joinpath("schema", name).read_text(encoding="utf-8"), nl=False)


@main.command("tally", short_help="Judge a pull request offline from its snapshot.")
@click.option("--snapshot", "snapshot_file", required=True,
              type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="A PR snapshot (JSON, schema govbot.snapshot/1).")
@repo_option()
@click.option("--now", "now_text", default=None,
              help="Tally as of this time (ISO 8601, e.g. 2026-12-01T14:00:00Z); "
                   "default: when the snapshot was taken.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]),
              default="text", show_default=True)
@handle_errors
def tally_command(snapshot_file: Path, repo: Path, now_text: str | None, fmt: str) -> None:
    """Judge a pull request offline as `govbot run` does: the snapshot's records checked
    against the repo's decisions/, and the vote tallied under its governance.yml."""
    from govbot.git.workspace import tally_offline
    from govbot.github.botstate import comment_body
    from govbot.render.comment import format_tally

    result, snapshot = tally_offline(snapshot_file, repo, now_text)
    text = format_tally(result, snapshot, fmt, repo_dir=repo)
    click.echo(comment_body(text) if fmt == "markdown" else text, nl=False)


def _stdin_is_tty() -> bool:
    """Whether a person is typing (prompts are only shown then)."""
    return sys.stdin.isatty()


def _answer(check: Callable[[str], str]) -> Callable[[str], str]:
    """A click `value_proc`: a bad answer is said (never naming a flag) and asked again."""
    def proc(value: str) -> str:
        try:
            return check(value)
        except GovbotError as exc:
            raise click.BadParameter(exc.message) from None
    return proc


def _ask_init(directory: Path, org: str | None, plan_title: str | None, goals: tuple[str, ...],
              chair: str | None, members: tuple[str, ...]) -> dict[str, Any]:
    """Prompt for what the flags did not give (only when a person is at the terminal). Each
    answer is checked as it is given, and asked again until it is right: nothing typed is
    lost to a mistake in a later answer."""
    import datetime as dt

    from govbot.cli.scaffold import (
        default_plan_title,
        login_answer,
        logins_answer,
        one_line,
        parse_goal,
    )
    from govbot.model.config import PLACEHOLDER_LOGIN
    from govbot.model.errors import UsageError

    def named(what: str) -> Callable[[str], str]:
        def check(value: str) -> str:
            if not one_line(value):
                raise UsageError(f"give the {what}")
            return one_line(value)
        return check

    org = org or click.prompt("Organisation name", default=directory.resolve().name,
                              value_proc=_answer(named("organisation's name")))
    plan_title = plan_title or click.prompt(
        "Plan title", default=default_plan_title(dt.datetime.now(dt.UTC).date()),
        value_proc=_answer(named("plan's title")))
    chair = chair or click.prompt("Chair's GitHub login", default=PLACEHOLDER_LOGIN,
                                  value_proc=_answer(login_answer))
    if not members:
        listed = click.prompt("Other members' GitHub logins (space-separated)", default="",
                              show_default=False, value_proc=_answer(logins_answer))
        members = tuple(listed.split())
    if not goals:
        click.echo('Goals, one per line as "Title: why it matters" (empty line to finish):')
        collected: list[str] = []
        while entry := click.prompt(f"  G{len(collected) + 1}", default="",
                                    show_default=False).strip():
            try:
                parse_goal(entry, flag=False)
            except GovbotError as exc:
                click.echo(f"  {exc.message}", err=True)
                continue
            collected.append(entry)
        goals = tuple(collected)
    return {"org": org, "plan_title": plan_title, "goals": goals, "chair": chair,
            "members": members}


@main.command("init", short_help="Scaffold a governance repository and its workflows.")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--org", help="The organisation's name (default: the directory's name).")
@click.option("--plan-title", help="The plan's title, e.g. \"Strategic Plan 2026–2029\".")
@click.option("--goal", "goals", multiple=True, metavar='"TITLE: RATIONALE"',
              help="A goal of the plan (repeatable).")
@click.option("--chair", help="The chair's GitHub login.")
@click.option("--member", "members", multiple=True, metavar="LOGIN",
              help="Another committee member's GitHub login (repeatable).")
@click.option("--action", metavar="OWNER/REPO@SHA",
              help="Pin the workflows to this govbot action commit (full 40-character SHA). "
                   "Without it they carry a placeholder pin that govbot check flags.")
@click.option("--default-branch", metavar="BRANCH",
              help="The repository's default branch, which the publish workflow runs on "
                   "[default: origin/HEAD, else the branch checked out, else git's "
                   "init.defaultBranch, else main].")
@click.option("--templates", is_flag=True, help="Also copy the default templates to edit.")
@click.option("--repository", metavar="OWNER/NAME", help="The repository on GitHub, for "
              "absolute links in the changelog and the site's address (governance.yml).")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@click.option("--no-input", is_flag=True, help="Never prompt; use the flags and defaults.")
@handle_errors
def init_command(directory: Path, org: str | None, plan_title: str | None,
                 goals: tuple[str, ...], chair: str | None, members: tuple[str, ...],
                 action: str | None, default_branch: str | None, templates: bool,
                 repository: str | None, force: bool, no_input: bool) -> None:
    """Scaffold a governance repository: governance.yml, the adoption record, workflows."""
    import datetime as dt

    from govbot.cli.scaffold import (
        adoption_record,
        checklist,
        default_answers,
        init_state,
        packaged_templates,
        scaffold,
        write_files,
    )
    from govbot.git.workspace import detect_default_branch

    today = dt.datetime.now(dt.UTC).date()
    branch, found_in = ((default_branch, "given with --default-branch") if default_branch
                        else detect_default_branch(directory))
    given: dict[str, Any] = {"org": org, "plan_title": plan_title, "goals": goals,
                             "chair": chair, "members": members}
    flags: dict[str, Any] = {"action": action, "templates": templates,
                             "repository": repository, "default_branch": branch}
    # the flags are checked before any question, so a bad one never costs typed answers
    default_answers(directory, today=today, **given, **flags)
    if not no_input and _stdin_is_tty():
        given = _ask_init(directory, org, plan_title, goals, chair, members)
    answers = default_answers(directory, today=today, **given, **flags)
    files = scaffold(answers, packaged_templates() if templates else None)
    written, skipped = write_files(directory, files, force=force)
    for path in written:
        click.echo(f"created  {directory / path}")
    for path in skipped:
        click.echo(f"skipped  {directory / path} (it exists; --force overwrites it)")
    publish = ".github/workflows/govbot-publish.yml"
    if publish in written:
        click.echo(f"\n{publish} publishes what is pushed to {branch} ({found_in}; "
                   "--default-branch BRANCH changes it).")
    record = adoption_record(answers)[0]
    existing = sorted((directory / "decisions").glob("0001-*.md"))
    state = init_state(directory, record=existing[0].relative_to(directory).as_posix()
                       if existing else record, first_run="governance.yml" in written,
                       branch=branch)
    click.echo("")
    click.echo(checklist(state), nl=False)


@main.command("demo", short_help="Walk through a whole decision, offline.")
@click.option("--keep", "keep", type=click.Path(file_okay=False, path_type=Path), default=None,
              metavar="DIR", help="Build the demo repository in DIR (new or empty) and keep it.")
@handle_errors
def demo_command(keep: Path | None) -> None:
    """Walk through a whole decision, offline: propose, check, vote, merge, publish."""
    import tempfile

    from govbot.cli.demo import run_demo

    def say(text: str) -> None:
        click.echo(text, nl=False)

    if keep is not None:
        run_demo(keep, say)
        click.echo(f"\nThe demo repository is in {keep}. Its workflows keep the placeholder "
                   "pin govbot init writes, so govbot check there reports them: a real "
                   "repository pins the govbot release it audited.")
        return
    with tempfile.TemporaryDirectory(prefix="govbot-demo-") as tmp:
        run_demo(Path(tmp) / "governance", say)


@main.command("run", short_help="The bot in GitHub Actions: handle this run's event.")
@repo_option(strict=False)
@click.option("--dry-run", is_flag=True, help="Decide and report, but write nothing to GitHub.")
@click.option("--now", "now_text", default=None, hidden=True,
              help="Judge as of this time (ISO 8601); for replays and tests.")
@handle_errors
def run_command(repo: Path, dry_run: bool, now_text: str | None) -> None:
    """Handle the GitHub Actions event of this run (the bot's entry point in workflows)."""
    from govbot.github.router import run
    from govbot.model.errors import EXIT_FINDINGS
    from govbot.model.vocab import parse_time_option

    now = parse_time_option("--now", now_text) if now_text else None
    result = run(os.environ, repo, dry_run=dry_run, now=now, echo=click.echo)
    if result.env.event_name == "pull_request" and "invalid" in result.outcomes.values():
        click.get_current_context().exit(EXIT_FINDINGS)


SNAPSHOT_REPO_DEPRECATED = (
    "govbot: warning: `govbot snapshot --repo OWNER/NAME` is deprecated and goes away in the "
    "next release; write --repository OWNER/NAME (everywhere else --repo is the governance "
    "repository's folder)")


@main.command("snapshot", short_help="Save a live pull request's snapshot (JSON).")
@click.option("--pr", "number", type=int, required=True, help="The pull request number.")
@click.option("--repository", "repository", default=None, metavar="OWNER/NAME",
              help="The repository on GitHub [default: $GITHUB_REPOSITORY].")
@click.option("--repo", "old_repository", default=None, metavar="OWNER/NAME", hidden=True,
              help="Deprecated spelling of --repository (removed in the next release).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the snapshot here instead of standard output.")
@handle_errors
def snapshot_command(number: int, repository: str | None, old_repository: str | None,
                     out: Path | None) -> None:
    """Take a live PR snapshot (JSON) for debugging and offline `govbot tally`."""
    import datetime as dt
    import json

    from govbot.github.client import GitHubClient
    from govbot.model.errors import UsageError

    if old_repository is not None:
        click.echo(SNAPSHOT_REPO_DEPRECATED, err=True)
        if repository is not None and repository != old_repository:
            raise UsageError(f"--repo {old_repository} and --repository {repository} disagree; "
                             "pass only --repository OWNER/NAME")
        repository = old_repository
    repository = repository or os.environ.get("GITHUB_REPOSITORY")
    if not repository or repository.count("/") != 1:
        raise UsageError("which repository? pass --repository OWNER/NAME (or set "
                         "GITHUB_REPOSITORY)")
    client = GitHubClient.from_env(repository, os.environ)
    # Approvals go stale when decision records or protected paths change: take the protected
    # paths from the governance.yml here (a checkout of the default branch), else the defaults.
    from govbot.git.repo import worktree_config_text
    from govbot.git.workspace import locate_repository
    from govbot.model.config import Config, config_or_none

    local = config_or_none(worktree_config_text(locate_repository(None, strict=False))[0])
    settings = local or Config(committee=(), rules={})
    data = client.snapshot(number, now=dt.datetime.now(dt.UTC),
                           protected=settings.protected_patterns())
    # the votes govbot recorded when it counted them: a replay judges edits as the bot does
    from govbot.github.botstate import recorded_votes

    data["recorded_votes"] = recorded_votes(data["comments"], settings.bot)
    text = json.dumps(data, indent=2, sort_keys=True) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"govbot: wrote the snapshot of #{number} to {out}", err=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
