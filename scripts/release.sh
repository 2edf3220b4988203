#!/usr/bin/env bash
# A release build of breakglass that anyone can reproduce (Linux; README "Release builds").
#
#   scripts/release.sh [--out DIR] [--version X.Y.Z] [--resolved Package.resolved]
#
# Builds the committed tree at HEAD (never uncommitted changes): `git archive HEAD` is unpacked into a fixed build
# folder (BREAKGLASS_BUILD_ROOT, default /tmp/breakglass-release: the path is compiled into the binary through
# #filePath, so the same folder gives the same bytes), BuildInfo.swift there is stamped with the version and the
# commit, and `swift build -c release --static-swift-stdlib` builds it. The working tree is not touched.
#
# The version is the tag at HEAD (v1.2.3 → 1.2.3), else the development version of BuildInfo.swift plus the commit
# (0.1.0-dev+4f1c2a3b5d6e); --version overrides both. Dependencies are resolved afresh, or pinned to a release's
# Package.resolved with --resolved (to rebuild that release). Writes to DIR (default ./dist):
#   breakglass-VERSION-linux-ARCH            the executable
#   breakglass-VERSION-linux-ARCH.tar.gz     the executable, README.md, shell completions (bash, zsh, fish)
#   breakglass-VERSION.cdx.json              CycloneDX 1.6 SBOM of the Swift packages, from Package.resolved
#   breakglass-VERSION.Package.resolved      the exact dependency versions built
#   SHA256SUMS                               sha256sum -c SHA256SUMS checks all of the above
set -euo pipefail

root=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
out="$root/dist"
version=""
resolved=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    --resolved) resolved=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "release.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

for tool in git swift python3 tar gzip sha256sum; do
  command -v "$tool" >/dev/null || { echo "release.sh: $tool is required" >&2; exit 2; }
done
[ "$(uname -s)" = Linux ] || { echo "release.sh: release builds are made on Linux (--static-swift-stdlib)" >&2; exit 2; }

cd "$root"
commit=$(git rev-parse HEAD)
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  echo "note: the working tree has uncommitted changes; the release is built from commit $commit only" >&2
fi
if [ -z "$version" ]; then
  if tag=$(git describe --tags --exact-match --match 'v[0-9]*' HEAD 2>/dev/null); then
    version=${tag#v}
  else
    dev=$(sed -n 's/^ *static let version = "\(.*\)"$/\1/p' Sources/breakglass/Support/BuildInfo.swift)
    version="${dev:-0.0.0-dev}+${commit:0:12}"
  fi
fi
semver='^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$'
[[ "$version" =~ $semver ]] || { echo "release.sh: version '$version' is not X.Y.Z[-pre][+build]" >&2; exit 2; }

# Everything time-dependent (the archive's dates, the SBOM's timestamp) takes the commit's time.
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct HEAD)
export SOURCE_DATE_EPOCH TZ=UTC LC_ALL=C
arch=$(uname -m)
name="breakglass-$version-linux-$arch"

build_root=${BREAKGLASS_BUILD_ROOT:-/tmp/breakglass-release}
case "$build_root" in /|"$root"|"$root"/*) echo "release.sh: BREAKGLASS_BUILD_ROOT must be outside the repository" >&2; exit 2 ;; esac
# Emptied, not removed: the folder may be a mount point (a container's volume, a bind mount).
mkdir -p "$build_root"
find "$build_root" -mindepth 1 -delete
mkdir -p "$build_root/src"
git archive --format=tar HEAD | tar -x -C "$build_root/src"
"$root/scripts/release/stamp-version.sh" "$version" "$commit" "$build_root/src/Sources/breakglass/Support/BuildInfo.swift"

echo "Building breakglass $version (commit $commit) in $build_root/src: the first release build takes 15-30 minutes" >&2
cd "$build_root/src"
[ -z "$resolved" ] || cp "$resolved" Package.resolved
swift package resolve
swift build -c release --product breakglass --static-swift-stdlib
binary="$build_root/src/.build/release/breakglass"

# The binary must say what it is and run from an empty folder (the demo tenant is compiled in).
expected="$version (commit $commit)"
actual=$("$binary" --version)
[ "$actual" = "$expected" ] || { echo "release.sh: --version printed '$actual', expected '$expected'" >&2; exit 1; }
scratch=$(mktemp -d)
cp "$binary" "$scratch/breakglass"
status=0
(cd "$scratch" && ./breakglass audit --demo --format json > report.json) || status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
  echo "release.sh: breakglass audit --demo exited $status from an empty folder" >&2
  exit 1
fi
rm -rf "$scratch"

stage="$build_root/stage/$name"
mkdir -p "$stage/completions"
cp "$binary" "$stage/breakglass"
cp "$build_root/src/README.md" "$stage/"
"$binary" --generate-completion-script bash > "$stage/completions/breakglass.bash"
"$binary" --generate-completion-script zsh > "$stage/completions/_breakglass"
"$binary" --generate-completion-script fish > "$stage/completions/breakglass.fish"

mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out/$name" "$out/$name.tar.gz" "$out/breakglass-$version.cdx.json" "$out/breakglass-$version.Package.resolved" \
  "$out/SHA256SUMS"
cp "$binary" "$out/$name"
# A reproducible archive: sorted names, the commit's time, no owner names, gzip without a timestamp.
(cd "$build_root/stage" && tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner --format=gnu -cf - "$name") \
  | gzip -9 -n > "$out/$name.tar.gz"

swift package show-dependencies --format json > "$build_root/dependencies.json"
swift package dump-package > "$build_root/manifest.json"
cp Package.resolved "$out/breakglass-$version.Package.resolved"
swift_version=$(swift --version 2>/dev/null | sed -n 's/.*Swift version \([0-9][0-9.]*\).*/\1/p' | head -1)
python3 "$root/scripts/release/sbom.py" --resolved Package.resolved --dependencies "$build_root/dependencies.json" \
  --manifest "$build_root/manifest.json" --version "$version" --commit "$commit" --timestamp "$SOURCE_DATE_EPOCH" \
  --swift-version "$swift_version" > "$out/breakglass-$version.cdx.json"
if python3 -c 'import cyclonedx.validation.json' 2>/dev/null; then
  python3 - "$out/breakglass-$version.cdx.json" <<'PY'
import sys
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(open(sys.argv[1], encoding="utf-8").read())
sys.exit(f"SBOM does not validate against CycloneDX 1.6: {error}" if error else 0)
PY
  echo "SBOM validates against the CycloneDX 1.6 schema" >&2
else
  echo "note: cyclonedx-python-lib is not installed; the SBOM was not validated against the schema" >&2
fi

(cd "$out" && sha256sum "$name" "$name.tar.gz" "breakglass-$version.cdx.json" "breakglass-$version.Package.resolved" \
  > SHA256SUMS)
echo "breakglass $version (commit $commit) in $out:" >&2
(cd "$out" && cat SHA256SUMS)
