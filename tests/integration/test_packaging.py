"""What a user installs: the wheel and the sdist ship the licence, the version is the one
`govbot --version` prints, and the release notes name it."""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from govbot import __version__
from govbot.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", name="wheel")
def wheel_fixture(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    """The wheel `pip wheel .` builds from this source tree (offline: no index, no isolation)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--no-index", "--wheel-dir", str(out), str(ROOT)],
                   check=True, capture_output=True)
    (built,) = out.glob("govbot-*.whl")
    return zipfile.ZipFile(built)


def test_the_repository_has_the_mit_licence() -> None:
    """LICENSE is the MIT licence, as pyproject.toml declares."""
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text
    assert re.search(r'^license = "MIT"$', (ROOT / "pyproject.toml").read_text(), re.M)


def test_the_wheel_ships_the_licence(wheel: zipfile.ZipFile) -> None:
    """The wheel carries LICENSE byte for byte and names it in its metadata."""
    dist_info = f"govbot-{__version__}.dist-info"
    assert wheel.read(f"{dist_info}/licenses/LICENSE") == (ROOT / "LICENSE").read_bytes()
    metadata = wheel.read(f"{dist_info}/METADATA").decode()
    assert "License-Expression: MIT\n" in metadata
    assert "License-File: LICENSE\n" in metadata


def test_the_wheel_ships_the_default_templates(wheel: zipfile.ZipFile) -> None:
    """The templates `govbot render` falls back on are inside the package."""
    assert "govbot/templates/plan.md.j2" in wheel.namelist()


def test_the_sdist_ships_the_licence(tmp_path: Path) -> None:
    """The source archive carries LICENSE and the release notes too."""
    from hatchling.builders.sdist import SdistBuilder

    (built,) = SdistBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"])
    with tarfile.open(built) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames()}
    assert {"LICENSE", "RELEASES.md"} <= names


def test_version_option_prints_the_package_version() -> None:
    """`govbot --version` prints the version the package (and the wheel) carries."""
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"govbot, version {__version__}\n"


def test_release_notes_describe_this_version() -> None:
    """RELEASES.md (not CHANGELOG.md, which is the plan's changelog) has a section for the
    version being built, dated or still `unreleased`, so no version goes without notes."""
    notes = (ROOT / "RELEASES.md").read_text(encoding="utf-8")
    heading = rf"^## v{re.escape(__version__)} — (\d{{4}}-\d{{2}}-\d{{2}}|unreleased)$"
    assert re.search(heading, notes, re.M)


def _release_notes() -> Any:
    spec = importlib.util.spec_from_file_location("release_notes",
                                                  ROOT / "scripts" / "release_notes.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


NOTES = ("# notes\n\n## v1.1.0 — unreleased\n\n- next\n\n"
         "## v1.0.0 — 2026-12-01\n\n- one\n- two\n\n## v0.9.0 — 2026-01-01\n\n- old\n")


@pytest.mark.parametrize(("tag", "version", "expected"), [
    ("v1.0.0", "1.0.0", "- one\n- two\n"),
    ("v0.9.0", "0.9.0", "- old\n"),
])
def test_release_notes_of_a_tag(tag: str, version: str, expected: str) -> None:
    """The release workflow publishes exactly the tag's section of RELEASES.md."""
    assert _release_notes().section(NOTES, tag, version) == expected


@pytest.mark.parametrize(("tag", "version", "message"), [
    ("v1.0.1", "1.0.0", "the tag v1.0.1 does not match the package version 1.0.0"),
    ("v1.1.0", "1.1.0", "must carry the release date (YYYY-MM-DD)"),
    ("v2.0.0", "2.0.0", "RELEASES.md has no section `## v2.0.0 — YYYY-MM-DD`"),
])
def test_release_notes_refuse_a_bad_tag(tag: str, version: str, message: str) -> None:
    """A tag that does not match the version, or whose notes are undated or missing, is
    refused before anything is published."""
    with pytest.raises(ValueError, match=re.escape(message)):
        _release_notes().section(NOTES, tag, version)


def test_release_notes_script_refuses_this_undated_version(capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    """Run as the workflow runs it: exit 1 and say why while the section is `unreleased`;
    exit 2 without a tag."""
    module = _release_notes()
    notes = (ROOT / "RELEASES.md").read_text(encoding="utf-8")
    dated = f"## v{__version__} — unreleased" not in notes
    assert module.main(["release_notes.py", f"v{__version__}"]) == (0 if dated else 1)
    assert module.main(["release_notes.py"]) == 2
    assert "usage: release_notes.py vX.Y.Z" in capsys.readouterr().err


def _name(requirement: str) -> str:
    """The normalised distribution name of a requirement line (`PyYAML>=6.0` → `pyyaml`)."""
    return re.split(r"[<>=!~;\[ ]", requirement.strip(), maxsplit=1)[0].lower().replace(
        "_", "-")


def _runtime_dependencies() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_name(r) for r in project["dependencies"]}


def test_runtime_dependencies_are_exactly_what_the_package_imports() -> None:
    """Every third-party module govbot imports is a runtime dependency, and every runtime
    dependency is imported by some module (jsonschema, used only by tests, is a test
    dependency)."""
    imported: set[str] = set()
    for path in (ROOT / "src" / "govbot").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    distributions = importlib.metadata.packages_distributions()
    third_party = {_name(distributions[m][0]) for m in imported
                   if m in distributions and m != "govbot"}
    # markupsafe is Jinja2's own dependency (its Markup type), always installed with it
    assert third_party - {"markupsafe"} == _runtime_dependencies()
    assert "jsonschema" not in _runtime_dependencies()


def test_the_action_installs_every_runtime_dependency() -> None:
    """requirements/action.in (what the composite action installs, hash-pinned, before
    govbot itself with --no-deps) names exactly the runtime dependencies and the build
    backend, and action.txt pins each of them: a dependency missing there would make
    `govbot site` or `govbot new` fail only in Actions."""
    lines = (ROOT / "requirements" / "action.in").read_text(encoding="utf-8").splitlines()
    named = {_name(line) for line in lines if line.strip() and not line.startswith("#")}
    assert named == _runtime_dependencies() | {"hatchling"}
    pinned = set(re.findall(r"^([a-z0-9_.-]+)==", (ROOT / "requirements" / "action.txt")
                            .read_text(encoding="utf-8"), re.M))
    assert named <= pinned


def test_the_wheel_requires_no_jsonschema(wheel: zipfile.ZipFile) -> None:
    """The wheel's metadata does not pull jsonschema into a user's installation."""
    metadata = wheel.read(f"govbot-{__version__}.dist-info/METADATA").decode()
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")
                and "extra ==" not in line]
    assert not any("jsonschema" in line for line in requires)
    assert "Requires-Dist: anyascii>=0.3" in requires
