"""Shared fixtures: no test touches the network; GitHub reference data when it is present."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_GITHUB = ROOT.parent / "shared" / "github"
needs_shared = pytest.mark.skipif(not SHARED_GITHUB.is_dir(),
                                  reason="shared/github not present")


def load_shared(rel: str) -> Any:
    """A JSON file from ../shared/github (call only from tests marked `needs_shared`)."""
    return json.loads((SHARED_GITHUB / rel).read_text(encoding="utf-8"))


_LOOPBACK = ("127.", "::1", "localhost")
_real_connect = socket.socket.connect


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs with connections refused except to this machine (loopback, Unix
    sockets); HTTP to GitHub must be mocked with `responses`."""

    def connect(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else ""
        if self.family == socket.AF_UNIX or str(host).startswith(_LOOPBACK):
            return _real_connect(self, address)
        raise OSError(f"network access to {host!r} is disabled in govbot's tests")

    monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.fixture(autouse=True)
def _outside_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as if outside GitHub Actions even in CI (a test that wants Actions sets the
    variables itself), so nothing is appended to the real job summary or step outputs."""
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT", "GITHUB_ENV"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def repo_root() -> Path:
    """This repository (it governs itself: governance.yml and decisions/ are real data)."""
    return ROOT
