#!/usr/bin/env bash
# Installs (Debian packages) and starts what the real-engine tests and the
# Docker demo need: dockerd, docker-compose v1 and compose v2 (the docker CLI
# plugin, below), a static busybox for the local images, tmux for the
# end-to-end terminal tests. Idempotent; needs root.
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

# Compose v2: bookworm has only v1; Debian's next release (trixie) ships v2
# (docker-compose 2.x) as one static plugin binary. Its suite is added from
# this machine's own Debian mirror, pinned below bookworm so that nothing
# else is ever upgraded from it, and only that package's plugin binary is
# unpacked: v1 stays `docker-compose`, v2 becomes `docker compose`.
PLUGIN=/usr/libexec/docker/cli-plugins/docker-compose
if ! docker compose version >/dev/null 2>&1; then
  echo "installing compose v2 (docker-compose from Debian trixie) as the docker CLI plugin"
  mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | grep -v security | head -n1 || true)
  [[ -n "$mirror" ]] || mirror=$(awk '$1 == "deb" && $3 == "bookworm" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [[ -n "$mirror" ]] || mirror=http://deb.debian.org/debian
  printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$mirror" >/etc/apt/sources.list.d/lem-tui-trixie.sources
  printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' >/etc/apt/preferences.d/lem-tui-trixie
  apt-get update -qq
  work=$(mktemp -d)
  # Root downloads into a private temp dir: no _apt sandbox user (it could not write there).
  (cd "$work" && apt-get download -qq -o APT::Sandbox::User=root docker-compose/trixie)
  dpkg-deb -x "$work"/docker-compose_*.deb "$work/root"
  install -D -m 0755 "$work/root$PLUGIN" "$PLUGIN"
  rm -rf "$work"
  docker compose version
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
