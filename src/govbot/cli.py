"""Command line: parse options, call the core, print. Nothing else lives here."""

from __future__ import annotations

import functools
import json
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import EXIT_UNEXPECTED, GovbotError

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Turn GovbotError into its exit code and a clear message; anything else into exit 3."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        verbose = bool(ctx.find_root().params.get("verbose"))
        try:
            return func(*args, **kwargs)
        except GovbotError as exc:
            click.echo(f"govbot: error: {exc.diagnostics()}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # the one place that catches everything
            click.echo(f"govbot: unexpected error: {type(exc).__name__}: {exc}", err=True)
            if verbose:
                traceback.print_exc()
            else:
                click.echo("(run again with --verbose for the traceback)", err=True)
            ctx.exit(EXIT_UNEXPECTED)

    return wrapper  # type: ignore[return-value]


repo_option = click.option(
    "--repo", "repo", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
    show_default=True, help="The governance repository (holds governance.yml and decisions/).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="govbot")
@click.option("--verbose", is_flag=True, help="Show tracebacks for unexpected errors.")
def main(verbose: bool) -> None:
    """govbot: decision records, committee votes and the published plan, on GitHub."""


@main.command("plan")
@repo_option
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown",
              show_default=True)
@handle_errors
def plan_command(repo: Path, fmt: str) -> None:
    """Print the current plan: the fold of every decided plan record."""
    from .gitrepo import read_worktree
    from .plan import fold, plan_to_dict
    from .render import render_plan_markdown

    tree = read_worktree(repo)
    plan, findings = fold(tree.records)
    for finding in [*tree.findings, *findings]:
        click.echo(f"govbot: warning: {finding}", err=True)
    if fmt == "json":
        click.echo(json.dumps(plan_to_dict(plan), indent=2, sort_keys=True))
    else:
        click.echo(render_plan_markdown(plan, tree.records), nl=False)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
