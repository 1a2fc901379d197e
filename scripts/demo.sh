#!/usr/bin/env bash
# The README's main command: run the demo campaign (fixtures/demo). In Docker
# when an engine answers and the demo image can be built from local files,
# else on this host with the stand-in harness; it says which. Extra flags are
# passed to lem-tui (e.g. --container-strategy persistent, --no-tui).
set -uo pipefail
cd "$(dirname "$0")/.."
[[ -f dist/cli.js ]] || npm run build >/dev/null

campaign=fixtures/demo/campaign.yaml
if docker info >/dev/null 2>&1; then
  if build_log=$(bash scripts/build-images.sh 2>&1); then
    echo "demo: a Docker engine answers; running in Docker (image lem-tui-demo:latest)"
    exec dist/cli.js "$campaign" --dispatch docker --no-resume "$@"
  fi
  echo "demo: the demo image could not be built, running on this host instead:"
  echo "$build_log" | tail -n 3 | sed 's/^/  /'
else
  echo "demo: no Docker engine answers; running on this host with the stand-in harness"
fi
exec dist/cli.js "$campaign" --dispatch local --lem-command "$PWD/fixtures/harness/lem" --no-resume "$@"
