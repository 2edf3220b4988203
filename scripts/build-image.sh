#!/usr/bin/env bash
# Builds the breakglass container image with docker (BuildKit) or podman (README "Container").
#
#   scripts/build-image.sh [--tag NAME] [--binary FILE] [--swift-image IMAGE] [--runtime-image IMAGE] [--check]
#
#   --tag            image name (default breakglass:VERSION and breakglass:latest)
#   --binary FILE    package this executable (e.g. dist/breakglass-VERSION-linux-x86_64 from scripts/release.sh)
#                    instead of compiling in the image; it must run on the runtime image's C library
#   --swift-image, --runtime-image   base images (default swift:6.3-noble and ubuntu:24.04; a mirror's names)
#   --check          after building, run the image's checks: --version, audit --demo as the non-root user on a
#                    read-only root file system, and the health check against a server the check starts
#   --engine NAME    docker or podman (default: the first that answers)
#   --can-build      only say whether a build can start here: an engine answers and has or can pull the base
#                    images (exit 0), or why not (exit 3). .ci/run builds the image when this passes.
#
# The version is stamped as scripts/release.sh does: the tag at HEAD, else the development version plus the commit.
set -euo pipefail

root=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
tags=()
binary=""
swift_image=""
runtime_image=""
check=false
can_build=false
engine=""
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tags+=("$2"); shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    --swift-image) swift_image=$2; shift 2 ;;
    --runtime-image) runtime_image=$2; shift 2 ;;
    --engine) engine=$2; shift 2 ;;
    --check) check=true; shift ;;
    --can-build) can_build=true; shift ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-image.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

if [ -z "$engine" ]; then
  for candidate in docker podman; do
    if command -v "$candidate" >/dev/null && "$candidate" info >/dev/null 2>&1; then engine=$candidate; break; fi
  done
fi
[ -n "$engine" ] || { echo "build-image.sh: no container engine answers (docker info, podman info)" >&2; exit 3; }

if $can_build; then
  bases=("${runtime_image:-ubuntu:24.04}")
  [ -n "$binary" ] || bases+=("${swift_image:-swift:6.3-noble}")
  for base in "${bases[@]}"; do
    if ! "$engine" image inspect "$base" >/dev/null 2>&1 && ! "$engine" pull -q "$base" >/dev/null 2>&1; then
      echo "build-image.sh: $engine has no $base and cannot pull it" >&2
      exit 3
    fi
  done
  echo "$engine can build the image" >&2
  exit 0
fi

cd "$root"
commit=$(git rev-parse HEAD)
if tag=$(git describe --tags --exact-match --match 'v[0-9]*' HEAD 2>/dev/null); then
  version=${tag#v}
else
  dev=$(sed -n 's/^ *static let version = "\(.*\)"$/\1/p' Sources/breakglass/Support/BuildInfo.swift)
  version="${dev:-0.0.0-dev}+${commit:0:12}"
fi
[ "${#tags[@]}" -gt 0 ] || tags=("breakglass:${version//+/-}" "breakglass:latest")

args=(build --file "$root/Dockerfile" --build-arg "BREAKGLASS_VERSION=$version" --build-arg "BREAKGLASS_COMMIT=$commit")
[ -z "$swift_image" ] || args+=(--build-arg "SWIFT_IMAGE=$swift_image")
[ -z "$runtime_image" ] || args+=(--build-arg "RUNTIME_IMAGE=$runtime_image")
for name in "${tags[@]}"; do args+=(--tag "$name"); done
if [ "$engine" = podman ]; then
  # Podman builds the same Dockerfile; chroot isolation works where nested cgroups do not.
  args+=(--format docker --isolation "${BUILDAH_ISOLATION:-chroot}")
fi

context=$root
if [ -n "$binary" ]; then
  [ -x "$binary" ] || { echo "build-image.sh: $binary is not an executable" >&2; exit 2; }
  context=$(mktemp -d)
  trap 'rm -rf "$context"' EXIT
  cp "$binary" "$context/breakglass"
  args+=(--build-arg BINARY_FROM=prebuilt)
fi
echo "Building ${tags[*]} ($version, commit $commit) with $engine" >&2
DOCKER_BUILDKIT=1 "$engine" "${args[@]}" "$context"

if $check; then
  image=${tags[0]}
  run=("$engine" run --rm --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges)
  echo "check: --version" >&2
  "${run[@]}" "$image" --version
  echo "check: runs as a non-root user" >&2
  uid=$("${run[@]}" --entrypoint /usr/bin/id "$image" -u)
  [ "$uid" != 0 ] || { echo "build-image.sh: the image runs as root" >&2; exit 1; }
  echo "check: audit --demo on a read-only root file system" >&2
  status=0
  "${run[@]}" "$image" audit --demo --format json > /dev/null || status=$?
  [ "$status" -le 1 ] || { echo "build-image.sh: audit --demo exited $status in the image" >&2; exit 1; }
  echo "check: writes go to the volume (a snapshot into /var/lib/breakglass)" >&2
  "${run[@]}" --volume breakglass-image-check:/var/lib/breakglass "$image" snapshot --demo --out /var/lib/breakglass/check-snapshot >/dev/null
  "$engine" volume rm -f breakglass-image-check >/dev/null
  echo "check: the health check command probes a server (the Graph emulator stands in for watch)" >&2
  name="breakglass-image-check-$$"
  "$engine" run -d --name "$name" --read-only --tmpfs /tmp --entrypoint /bin/sh "$image" -c \
    'breakglass snapshot --demo --out /tmp/demo >/dev/null && exec breakglass emulate --snapshot /tmp/demo --port 8080' >/dev/null
  trap '"$engine" rm -f "$name" >/dev/null 2>&1 || true; [ -z "${context:-}" ] || [ "$context" = "$root" ] || rm -rf "$context"' EXIT
  probe=1
  for _ in $(seq 1 30); do
    # The emulator answers 400 to a GET outside Graph: the probe reaches it and reports unhealthy (exit 1), as it
    # would for a watch service whose database is down; a refused connection is also 1, so read the status line.
    out=$("$engine" exec "$name" breakglass healthcheck --url http://127.0.0.1:8080/healthz --timeout 2 2>&1 || true)
    case "$out" in 4[0-9][0-9]*) probe=0; break ;; esac
    sleep 1
  done
  [ "$probe" -eq 0 ] || { echo "build-image.sh: healthcheck never reached the server in the container: $out" >&2; exit 1; }
  echo "checks passed: $image" >&2
fi
