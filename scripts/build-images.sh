#!/usr/bin/env bash
# Build the local images the tests and the demo run in, from files on this
# machine (no image registry is reachable): a busybox-static root filesystem
# plus our harness script, imported with `docker import`.
#
#   scripts/build-images.sh            build when missing or out of date
#   scripts/build-images.sh --force    rebuild anyway
#
# Idempotent: each image carries a label with a hash of its inputs; an image
# whose label matches is left alone.
set -euo pipefail

# llenergymeasure:<backend> stand in for the published images (fixtures/llenergymeasure).
IMAGES=(lem-tui-test:latest lem-tui-demo:latest llenergymeasure:pytorch llenergymeasure:vllm llenergymeasure:tensorrt)
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HARNESS="$ROOT/fixtures/harness/lem"
BUSYBOX="${BUSYBOX:-/bin/busybox}"
DOCKER="${DOCKER:-docker}"
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1

die() { echo "build-images: $*" >&2; exit 1; }

command -v "$DOCKER" >/dev/null 2>&1 || die "the docker CLI is not on PATH"
"$DOCKER" info >/dev/null 2>&1 || die "the Docker engine does not answer (is dockerd running? may you use its socket?)"
[[ -x "$BUSYBOX" ]] || die "$BUSYBOX not found: install busybox-static (apt-get install busybox-static)"
if ! file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked'; then
  # A dynamically linked busybox would not run in an empty root filesystem.
  command -v file >/dev/null 2>&1 && die "$BUSYBOX is not statically linked: install busybox-static"
fi

# Applets the harness and the tests use; every other applet is linked too.
REQUIRED=(sh sleep cat echo date awk sed mkdir rm kill printf env head tail seq od tr wc ls id true false yes)

# The version of this recipe is part of the hash: bump it when the layout changes.
RECIPE=3
hash_inputs() {
  {
    echo "recipe $RECIPE"
    sha256sum "$BUSYBOX" | cut -d' ' -f1
    if [[ -f "$HARNESS" ]]; then sha256sum "$HARNESS" | cut -d' ' -f1; else echo "no harness"; fi
  } | sha256sum | cut -c1-16
}
HASH="$(hash_inputs)"

up_to_date() {
  local label
  label="$("$DOCKER" image inspect --format '{{ index .Config.Labels "lem-tui.content" }}' "$1" 2>/dev/null || true)"
  [[ "$label" == "$HASH" ]]
}

todo=()
for image in "${IMAGES[@]}"; do
  if [[ $FORCE == 1 ]] || ! up_to_date "$image"; then todo+=("$image"); fi
done
if [[ ${#todo[@]} == 0 ]]; then
  echo "build-images: ${IMAGES[*]} up to date ($HASH)"
  exit 0
fi

ROOTFS="$(mktemp -d)"
trap 'rm -rf "$ROOTFS"' EXIT
mkdir -p "$ROOTFS"/{bin,usr/local/bin,tmp,etc,app/configs,app/results,root}
chmod 1777 "$ROOTFS/tmp"
chmod 0777 "$ROOTFS/app/configs" "$ROOTFS/app/results"
cp "$BUSYBOX" "$ROOTFS/bin/busybox"
for applet in $("$BUSYBOX" --list) "${REQUIRED[@]}"; do
  [[ "$applet" == busybox ]] && continue
  ln -sf busybox "$ROOTFS/bin/$applet"
done
for applet in "${REQUIRED[@]}"; do
  [[ -e "$ROOTFS/bin/$applet" ]] || die "busybox lacks the applet '$applet'"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$ROOTFS/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$ROOTFS/etc/group"
if [[ -f "$HARNESS" ]]; then
  cp "$HARNESS" "$ROOTFS/usr/local/bin/lem"
  chmod 0755 "$ROOTFS/usr/local/bin/lem"
else
  echo "build-images: warning: $HARNESS not found; the image has no 'lem'" >&2
fi

# One import, tagged under every name (same content).
old_ids=()
for image in "${todo[@]}"; do
  id="$("$DOCKER" image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)"
  [[ -n "$id" ]] && old_ids+=("$id")
done
first="${todo[0]}"
# Like the published images, the default command exits at once.
tar -C "$ROOTFS" --numeric-owner --owner=0 --group=0 -c . | "$DOCKER" import \
  -c 'CMD ["lem","--help"]' \
  -c 'WORKDIR /app' \
  -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
  -c "LABEL lem-tui.content=$HASH" \
  - "$first" >/dev/null
# The real test that busybox is static: it must run in an otherwise empty root.
if ! "$DOCKER" run --rm --network none "$first" sh -c 'true' >/dev/null 2>&1; then
  "$DOCKER" rmi -f "$first" >/dev/null 2>&1 || true
  die "$first does not run /bin/sh: is $BUSYBOX statically linked? (install busybox-static)"
fi
for image in "${todo[@]:1}"; do "$DOCKER" tag "$first" "$image"; done
# Drop the images these names pointed to before (unless a container still uses them).
for id in "${old_ids[@]}"; do
  "$DOCKER" rmi "$id" >/dev/null 2>&1 || true
done
echo "build-images: built ${todo[*]} ($HASH)"
