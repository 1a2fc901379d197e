#!/usr/bin/env bash
# Installs the real llenergymeasure 0.7.0 (`llem`) from the Python package
# index into a virtual environment of its own (default .venv-llem, ignored by
# git), for the checks against the real program (fixtures/llem/README.md).
# Light: the package's own dependencies are ~30 wheels (pydantic, typer,
# rich, numpy, pyarrow, …); no PyTorch, no CUDA build. Idempotent: a venv
# whose llem already says v0.7.0 is left alone.
#
#   scripts/install-llem.sh [VENV]      then: VENV/bin/llem --version
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${1:-.venv-llem}"
VERSION=0.7.0

if [[ -x "$VENV/bin/llem" ]] && [[ "$("$VENV/bin/llem" --version 2>/dev/null)" == "llem v$VERSION" ]]; then
  echo "install-llem: $VENV/bin/llem is llem v$VERSION"
  exit 0
fi
command -v python3 >/dev/null 2>&1 || { echo "install-llem: python3 is not on PATH" >&2; exit 1; }
python3 -m venv "$VENV" || { echo "install-llem: python3 -m venv failed (Debian: apt-get install python3-venv)" >&2; exit 1; }
if ! "$VENV/bin/pip" install --quiet --disable-pip-version-check "llenergymeasure==$VERSION"; then
  echo "install-llem: pip could not install llenergymeasure==$VERSION from the package index" >&2
  exit 1
fi
found="$("$VENV/bin/llem" --version)"
[[ "$found" == "llem v$VERSION" ]] || { echo "install-llem: $VENV/bin/llem says '$found', expected 'llem v$VERSION'" >&2; exit 1; }
echo "install-llem: $found in $VENV"
