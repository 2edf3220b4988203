#!/usr/bin/env bash
# The GitHub Action's install step (action.yml): puts breakglass on PATH and names it in the `binary` output.
#   BREAKGLASS_BIN set          use that executable (a self-hosted runner's, or a test's)
#   BREAKGLASS_VERSION=X.Y.Z    download the release of BREAKGLASS_REPOSITORY (owner/name; default: from the
#                               action's path, .../_actions/OWNER/NAME/REF) from GITHUB_SERVER_URL,
#                               check the archive against the release's SHA256SUMS (and BREAKGLASS_SHA256 if set)
#   otherwise                   build from the action's own source (GITHUB_ACTION_PATH) with the runner's Swift
set -euo pipefail

dest=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/breakglass-install
mkdir -p "$dest"

if [ -n "${BREAKGLASS_BIN:-}" ]; then
  binary=$BREAKGLASS_BIN
elif [ -n "${BREAKGLASS_VERSION:-}" ]; then
  version=${BREAKGLASS_VERSION#v}
  [ "$(uname -s)" = Linux ] || { echo "::error title=breakglass::releases are built for Linux; leave version empty to build from source"; exit 2; }
  repository=${BREAKGLASS_REPOSITORY:-}
  if [ -z "$repository" ] && [[ "${GITHUB_ACTION_PATH:-}" =~ /_actions/([^/]+)/([^/]+)/[^/]+/?$ ]]; then
    repository="${BASH_REMATCH[1]}/${BASH_REMATCH[2]}"
  fi
  [ -n "$repository" ] || { echo "::error title=breakglass::set the repository input (owner/name) to download a release"; exit 2; }
  : "${GITHUB_SERVER_URL:?the server to download from}"
  # Plain http only to loopback (a test's server); anything else must be https.
  case "$GITHUB_SERVER_URL" in
    http://127.0.0.1:*|http://localhost:*) proto='=https,http' ;;
    *) proto='=https' ;;
  esac
  archive="breakglass-$version-linux-$(uname -m).tar.gz"
  base="$GITHUB_SERVER_URL/$repository/releases/download/v$version"
  rm -rf "${dest:?}/$version"
  mkdir -p "$dest/$version"
  cd "$dest/$version"
  curl -fsSL --retry 3 --proto "$proto" -o "$archive" "$base/$archive"
  curl -fsSL --retry 3 --proto "$proto" -o SHA256SUMS "$base/SHA256SUMS"
  # The archive must be listed, and match; a missing line is a failure, not a skipped check.
  grep -E "^[0-9a-f]{64}  $archive\$" SHA256SUMS > archive.sha256 \
    || { echo "::error title=breakglass::$archive is not listed in the release's SHA256SUMS"; exit 3; }
  sha256sum --check --strict archive.sha256 \
    || { echo "::error title=breakglass::$archive does not match the release's SHA256SUMS"; exit 3; }
  if [ -n "${BREAKGLASS_SHA256:-}" ]; then
    echo "$BREAKGLASS_SHA256  $archive" | sha256sum --check --strict - \
      || { echo "::error title=breakglass::$archive does not match the sha256 input"; exit 3; }
  fi
  tar -xzf "$archive"
  binary="$dest/$version/${archive%.tar.gz}/breakglass"
else
  source=${GITHUB_ACTION_PATH:?the folder of the action source}
  command -v swift >/dev/null || { echo "::error title=breakglass::no Swift toolchain on this runner: set the version input to download a release"; exit 2; }
  echo "Building breakglass from $source (release configuration; the first build takes several minutes)"
  swift build --package-path "$source" -c release --product breakglass
  binary="$(swift build --package-path "$source" -c release --show-bin-path)/breakglass"
fi

"$binary" --version
[ -z "${GITHUB_PATH:-}" ] || dirname "$binary" >> "$GITHUB_PATH"
[ -z "${GITHUB_OUTPUT:-}" ] || echo "binary=$binary" >> "$GITHUB_OUTPUT"
