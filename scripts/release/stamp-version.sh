#!/usr/bin/env bash
# Writes Sources/breakglass/Support/BuildInfo.swift for a release build: what `breakglass --version` prints.
#   scripts/release/stamp-version.sh VERSION COMMIT [FILE]
# Used by scripts/release.sh (in its copy of the source) and by the Dockerfile (in the build stage).
set -euo pipefail
version=${1:?VERSION}
commit=${2:?COMMIT}
file=${3:-Sources/breakglass/Support/BuildInfo.swift}
semver='^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$'
[[ "$version" =~ $semver ]] || { echo "stamp-version: version '$version' is not X.Y.Z[-pre][+build]" >&2; exit 2; }
[[ "$commit" =~ ^[0-9a-f]{7,64}$ ]] || { echo "stamp-version: commit '$commit' is not a hexadecimal commit id" >&2; exit 2; }
cat > "$file" <<SWIFT
// Written by scripts/release/stamp-version.sh for the release build of $version.
enum BuildInfo {
    static let version = "$version"
    static let commit: String? = "$commit"

    static var versionLine: String { commit.map { "\(version) (commit \(\$0))" } ?? version }
}
SWIFT
