#!/usr/bin/env python3
"""CycloneDX 1.6 JSON SBOM of breakglass's Swift dependencies, from SwiftPM's own records.

Inputs (all written by SwiftPM in the release build's copy of the source):
  --resolved      Package.resolved (pins: identity, location, version, revision)
  --dependencies  `swift package show-dependencies --format json` (the package graph)
  --manifest      `swift package dump-package` (which packages the breakglass executable links; the others,
                  used only by tests, are listed with scope "excluded")

The output is a function of the inputs only: the serial number is derived from the version and commit, the
timestamp is SOURCE_DATE_EPOCH (the commit's time), and lists are sorted, so two builds of one commit give the
same bytes.
"""
import argparse
import datetime
import json
import re
import sys
import uuid

PRODUCT_TARGET = "breakglass"


def purl_for(location, version, revision):
    """pkg:swift/github.com/apple/swift-nio@2.101.3 (the purl spec's swift type: namespace is host/owner)."""
    match = re.match(r"^(?:https?://|git@)([^/:]+)[/:](.+?)(?:\.git)?/?$", location)
    if not match:
        return None
    host, path = match.group(1), match.group(2)
    namespace, _, name = path.rpartition("/")
    return f"pkg:swift/{host}/{namespace}/{name}@{version or revision}"


def linked_packages(manifest):
    """Identities of the packages whose products the executable target reaches through the package's own targets."""
    targets = {target["name"]: target for target in manifest.get("targets", [])}
    seen, packages, pending = set(), set(), [PRODUCT_TARGET]
    while pending:
        name = pending.pop()
        if name in seen or name not in targets:
            continue
        seen.add(name)
        for dependency in targets[name].get("dependencies", []):
            if "product" in dependency:
                package = dependency["product"][1]
                if package:
                    packages.add(package.lower())
            elif "byName" in dependency:
                pending.append(dependency["byName"][0])
            elif "target" in dependency:
                pending.append(dependency["target"][0])
    return packages


def graph(node, edges, nodes):
    identity = node["identity"].lower()
    nodes[identity] = node
    children = sorted({child["identity"].lower() for child in node.get("dependencies", [])})
    edges.setdefault(identity, set()).update(children)
    for child in node.get("dependencies", []):
        graph(child, edges, nodes)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--resolved", required=True)
    parser.add_argument("--dependencies", required=True)
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--commit", required=True)
    parser.add_argument("--timestamp", type=int, required=True, help="seconds since 1970 (SOURCE_DATE_EPOCH)")
    parser.add_argument("--swift-version", default="", help="the toolchain whose runtime is linked statically")
    args = parser.parse_args()

    with open(args.resolved, encoding="utf-8") as file:
        resolved = json.load(file)
    with open(args.dependencies, encoding="utf-8") as file:
        root = json.load(file)
    with open(args.manifest, encoding="utf-8") as file:
        manifest = json.load(file)

    pins = {pin["identity"].lower(): pin for pin in resolved.get("pins", resolved.get("object", {}).get("pins", []))}
    if not pins:
        sys.exit(f"{args.resolved}: no pins")

    edges, nodes = {}, {}
    graph(root, edges, nodes)
    root_identity = root["identity"].lower()

    # Everything reachable from the packages the executable links is linked; the rest is for tests only.
    required, pending = set(), list(linked_packages(manifest))
    while pending:
        identity = pending.pop()
        if identity in required:
            continue
        required.add(identity)
        pending.extend(edges.get(identity, ()))

    root_ref = f"breakglass@{args.version}"
    refs, components = {}, []
    for identity in sorted(pins):
        pin = pins[identity]
        state = pin.get("state", {})
        version, revision = state.get("version"), state.get("revision")
        location = pin.get("location") or pin.get("repositoryURL", "")
        purl = purl_for(location, version, revision)
        ref = purl or f"swift:{identity}@{version or revision}"
        refs[identity] = ref
        component = {
            "type": "library",
            "bom-ref": ref,
            "name": nodes.get(identity, {}).get("name", identity),
            "version": version or revision,
            "scope": "required" if identity in required else "excluded",
        }
        if purl:
            component["purl"] = purl
        if location:
            component["externalReferences"] = [{"type": "vcs", "url": location}]
        if revision:
            component["properties"] = [{"name": "swiftpm:revision", "value": revision}]
        components.append(component)

    missing = sorted(set(nodes) - set(pins) - {root_identity})
    if missing:
        sys.exit(f"{args.resolved}: no pin for {', '.join(missing)}")

    if args.swift_version:
        components.append({
            "type": "framework",
            "bom-ref": f"swift-runtime@{args.swift_version}",
            "name": "Swift runtime (standard library, Foundation, Dispatch), linked statically",
            "version": args.swift_version,
            "scope": "required",
        })

    dependencies = [{"ref": root_ref, "dependsOn": sorted(refs[i] for i in edges.get(root_identity, ()) if i in refs)}]
    for identity in sorted(pins):
        dependencies.append({"ref": refs[identity], "dependsOn": sorted(refs[i] for i in edges.get(identity, ()) if i in refs)})

    timestamp = datetime.datetime.fromtimestamp(args.timestamp, tz=datetime.timezone.utc)
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": uuid.uuid5(uuid.NAMESPACE_URL, f"breakglass/{args.version}/{args.commit}").urn,
        "version": 1,
        "metadata": {
            "timestamp": timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tools": {"components": [{"type": "application", "name": "breakglass scripts/release/sbom.py"}]},
            "component": {
                "type": "application",
                "bom-ref": root_ref,
                "name": "breakglass",
                "version": args.version,
                "properties": [{"name": "git:commit", "value": args.commit}],
            },
        },
        "components": components,
        "dependencies": dependencies,
    }
    json.dump(bom, sys.stdout, indent=2, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
