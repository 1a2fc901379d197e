#!/usr/bin/env bash
# The real-engine tests (test/integration/, one file at a time), once per
# compose flavour: v2 (`docker compose`, what Docker users have had since
# 2023) and v1 (`docker-compose`). LEM_TEST_COMPOSE picks one flavour only.
# A flavour that is not installed is skipped with a loud message, except
# with CI=true, where that is a failure (as a missing engine is).
# Then the Slurm tests (test/slurm/, on the cluster of scripts/start-slurm.sh)
# once: they use no compose. Without a cluster they skip loudly (fail with CI=true).
set -uo pipefail
cd "$(dirname "$0")/.."

if [[ -n "${LEM_TEST_COMPOSE:-}" ]]; then
  flavours=("$LEM_TEST_COMPOSE")
else
  flavours=("docker compose" "docker-compose")
fi

status=0
for flavour in "${flavours[@]}"; do
  # shellcheck disable=SC2086 # the flavour is a command line, split on purpose
  if ! $flavour version >/dev/null 2>&1; then
    if [[ "${CI:-}" == "true" ]]; then
      echo "test-integration: \`$flavour\` does not answer, and CI=true: failing (scripts/start-docker.sh installs it)" >&2
      status=1
      continue
    fi
    echo "" >&2
    echo "!!! test-integration: \`$flavour\` does not answer: its real-engine tests are SKIPPED (scripts/start-docker.sh installs it)" >&2
    echo "" >&2
    continue
  fi
  echo "── real-engine tests with \`$flavour\` ──"
  LEM_TEST_COMPOSE="$flavour" npx vitest run test/integration --no-file-parallelism || status=1
done
echo "── Slurm tests (scripts/start-slurm.sh's cluster) ──"
npx vitest run test/slurm --no-file-parallelism || status=1
exit $status
