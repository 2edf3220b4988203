/// What `--version` prints and reports carry as `tool.version`.
///
/// A development build says `-dev` and names no commit. `scripts/release.sh` writes this file anew in the copy of the
/// source it builds from (the version from the git tag, the commit it was built from); the working tree keeps this one.
enum BuildInfo {
    static let version = "0.1.0-dev"
    static let commit: String? = nil

    /// `0.2.0 (commit 4f1c…)` for a release, `0.1.0-dev` for a development build.
    static var versionLine: String { commit.map { "\(version) (commit \($0))" } ?? version }
}
