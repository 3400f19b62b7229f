#!/usr/bin/env bash
# Builds the container image and runs it on a fixture: --version, then
# simulate on fixtures/broken-triggers mounted read-only (it must fail the
# gate with exit 1 and report LC001), then a clean fixture (exit 0).
# Without a usable Docker daemon it says so and exits 0, unless
# REQUIRE_DOCKER=1 (then 1).
set -euo pipefail

cd "$(dirname "$0")/.."
image=${IMAGE:-lambdacheck:smoke}

if ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
  echo "docker-smoke: no usable Docker daemon; skipped" >&2
  [[ "${REQUIRE_DOCKER:-0}" == 1 ]] && exit 1
  exit 0
fi

docker build --build-arg VERSION="${VERSION:-smoke}" -t "$image" .

run() { docker run --rm --read-only -v "$PWD/fixtures:/src/fixtures:ro" "$image" "$@"; }

run --version | grep -q '^lambdacheck ' || { echo "docker-smoke: --version printed nothing" >&2; exit 1; }

user=$(docker image inspect -f '{{.Config.User}}' "$image")
[[ "$user" != "" && "$user" != root && "$user" != 0 ]] || { echo "docker-smoke: image runs as root" >&2; exit 1; }

set +e
out=$(run simulate fixtures/broken-triggers --view findings)
code=$?
set -e
if [[ $code -ne 1 ]] || ! grep -q LC001 <<<"$out"; then
  echo "docker-smoke: simulate fixtures/broken-triggers: exit $code, want 1 with LC001" >&2
  echo "$out" >&2
  exit 1
fi

run simulate fixtures/stream-analytics --quiet >/dev/null
echo "docker-smoke: ok ($image)"
