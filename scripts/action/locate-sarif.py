#!/usr/bin/env python3
"""Give every result of a breakglass SARIF file a file in the repository, as GitHub code scanning requires.

breakglass locates results logically (an account, a policy, a group, a scenario: there is no source file), but code
scanning needs physicalLocation.artifactLocation.uri on each result. A result about a policy points at the policy
file that defines it (the line of its id); any other result points at breakglass.yml (the line naming the subject,
else line 1), where the emergency accounts are declared. Paths are relative to the current folder (the repository's
root in a workflow). The file is rewritten in place.

usage: locate-sarif.py SARIF CONFIG [POLICY_FILE_OR_FOLDER ...]
"""
import json
import os
import sys


def policy_files(paths):
    for path in paths:
        if os.path.isdir(path):
            for name in sorted(os.listdir(path)):
                if name.lower().endswith(".json"):
                    yield os.path.join(path, name)
        elif os.path.isfile(path):
            yield path


def read_text(path):
    data = open(path, "rb").read()
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return ""


def line_of(text, needle):
    if not needle:
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        if needle.lower() in line.lower():
            return number
    return None


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sarif_path, config, policies = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(sarif_path, encoding="utf-8") as file:
        sarif = json.load(file)

    # policy id → (file, line of the id)
    policy_sites = {}
    for path in policy_files(policies):
        text = read_text(path)
        try:
            document = json.loads(text)
        except ValueError:
            continue
        items = document.get("value", [document]) if isinstance(document, dict) else document
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                policy_sites.setdefault(item["id"].lower(), (path, line_of(text, item["id"]) or 1))
    config_text = read_text(config) if os.path.isfile(config) else ""

    def relative(path):
        return os.path.relpath(path).replace(os.sep, "/")

    for run in sarif.get("runs", []):
        for result in run.get("results", []):
            site = None
            logical = [entry for location in result.get("locations", []) for entry in location.get("logicalLocations", [])]
            for entry in logical:
                kind, _, identifier = entry.get("fullyQualifiedName", "").partition("/")
                if kind == "policy" and identifier.lower() in policy_sites:
                    site = policy_sites[identifier.lower()]
                    break
            if site is None:
                line = None
                for entry in logical:
                    _, _, identifier = entry.get("fullyQualifiedName", "").partition("/")
                    line = line_of(config_text, identifier) or line_of(config_text, entry.get("name"))
                    if line:
                        break
                site = (config, line or 1)
            physical = {"artifactLocation": {"uri": relative(site[0])}, "region": {"startLine": site[1]}}
            locations = result.setdefault("locations", [{}])
            if not locations:
                locations.append({})
            locations[0]["physicalLocation"] = physical

    temporary = sarif_path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as file:
        json.dump(sarif, file, indent=2, sort_keys=True)
        file.write("\n")
    os.replace(temporary, sarif_path)


if __name__ == "__main__":
    main()
