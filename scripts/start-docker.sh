#!/usr/bin/env bash
# Installs (Debian packages) and starts what the real-engine tests and the
# Docker demo need: dockerd, docker-compose v1, a static busybox for the local
# images, tmux for the end-to-end terminal tests. Idempotent; needs root.
# The engine runs without the default bridge and without iptables rules:
# nothing of ours needs a network (every service uses network_mode: none).
set -euo pipefail

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
dpkg -s busybox-static >/dev/null 2>&1 || missing+=(busybox-static)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if docker info >/dev/null 2>&1; then
  echo "docker engine: answering"
else
  log=${DOCKERD_LOG:-/var/log/lem-tui-dockerd.log}
  echo "starting dockerd (log: $log)"
  nohup dockerd --bridge=none --iptables=false --ip6tables=false >"$log" 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    echo "dockerd did not answer within 60 s; its log:" >&2
    tail -n 40 "$log" >&2 || true
    exit 1
  fi
  echo "docker engine: started"
fi
