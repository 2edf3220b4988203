#!/usr/bin/env python3
"""Checks the demo tenant (DemoTenant/): every file parses, every id it refers to exists, the manifest lists what
is there, and the planted mistakes of DemoTenant/README.md are still in place. Python 3 standard library only.

    python3 scripts/check-demo-tenant.py [DEMO_DIR]
Exit code 0 when everything holds; otherwise the problems are printed and the exit code is 1.
"""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIR = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "DemoTenant")
problems = []


def problem(text):
    problems.append(text)


def load(path):
    with open(os.path.join(DIR, path), encoding="utf-8") as f:
        return json.load(f)


def values(path):
    return load(path)["value"]


# 1. Everything parses; list files carry @odata.context (Graph) or are ARM lists.
ARM = {"diagnostic-settings.json", "alert-rules.json"}
NOT_LISTS = {"manifest.json", "security-defaults.json", "graph-service-principal.json", "authentication-methods-policy.json"}
for folder, _, names in os.walk(DIR):
    for name in names:
        if not name.endswith(".json"):
            continue
        rel = os.path.relpath(os.path.join(folder, name), DIR)
        try:
            body = load(rel)
        except ValueError as error:
            problem(f"{rel}: not valid JSON: {error}")
            continue
        if rel in NOT_LISTS:
            continue
        if not isinstance(body.get("value"), list):
            problem(f"{rel}: no value list")
        if rel not in ARM and "@odata.context" not in body:
            problem(f"{rel}: no @odata.context")

users = {u["id"]: u for u in values("users.json")}
groups = {g["id"]: g for g in values("groups.json")}
roles = {r["templateId"]: r for r in values("role-definitions.json")}
policies = {p["id"]: p for p in values("conditional-access-policies.json")}
locations = {l["id"]: l for l in values("named-locations.json")}
strengths = {s["id"]: s for s in values("authentication-strengths.json")}
members = {name[:-5]: values(f"group-members/{name}") for name in os.listdir(os.path.join(DIR, "group-members"))}
methods = {name[:-5]: values(f"authentication-methods/{name}")
           for name in os.listdir(os.path.join(DIR, "authentication-methods"))}
upns = {u["userPrincipalName"].lower(): u["id"] for u in users.values()}
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")

# 2. Ids are unique, valid GUIDs.
for kind, table in [("user", users), ("group", groups), ("policy", policies), ("location", locations)]:
    for key in table:
        if not GUID.match(key):
            problem(f"{kind} id {key} is not a lower-case RFC 4122 GUID")
if len(set(users) | set(groups)) != len(users) + len(groups):
    problem("a user and a group share an id")

# 3. Group members: known groups, known members of the declared type.
for group_id, items in members.items():
    if group_id not in groups:
        problem(f"group-members/{group_id}.json: no such group")
    for item in items:
        kind = item.get("@odata.type")
        if kind == "#microsoft.graph.user" and item["id"] not in users:
            problem(f"group {group_id}: member user {item['id']} does not exist")
        elif kind == "#microsoft.graph.group" and item["id"] not in groups:
            problem(f"group {group_id}: member group {item['id']} does not exist")
        elif kind not in ("#microsoft.graph.user", "#microsoft.graph.group"):
            problem(f"group {group_id}: member {item['id']} has type {kind}")
        if kind == "#microsoft.graph.group" and item["id"] not in members:
            problem(f"group {group_id}: nested group {item['id']} has no members file")


def transitive_users(group_id, seen=None):
    seen = seen if seen is not None else set()
    if group_id in seen:
        return set()
    seen.add(group_id)
    result = set()
    for item in members.get(group_id, []):
        if item["@odata.type"] == "#microsoft.graph.group":
            result |= transitive_users(item["id"], seen)
        else:
            result.add(item["id"])
    return result


# 4. Roles: assignments, instances and eligibility name known principals and role definitions.
for path in ["role-assignments.json", "role-assignment-schedule-instances.json", "role-eligibility-schedules.json"]:
    for item in values(path):
        principal = item["principalId"]
        if principal not in users and principal not in groups:
            problem(f"{path}: principal {principal} does not exist")
        if principal in groups:
            if not groups[principal].get("isAssignableToRole"):
                problem(f"{path}: group {principal} holds a role but is not role-assignable")
            if principal not in members:
                problem(f"{path}: group {principal} holds a role but has no members file")
        if item["roleDefinitionId"] not in roles:
            problem(f"{path}: role {item['roleDefinitionId']} is not in role-definitions.json")
assignments = {(a["principalId"], a["roleDefinitionId"]) for a in values("role-assignments.json")}
for item in values("role-assignment-schedule-instances.json"):
    if (item["principalId"], item["roleDefinitionId"]) not in assignments:
        problem(f"instance {item['id']} has no matching role assignment")

# 5. Policies: users, groups, roles, locations and authentication strengths exist.
SPECIAL_USERS = {"All", "None", "GuestsOrExternalUsers"}
for policy in policies.values():
    name, c = policy["displayName"], policy["conditions"]
    u = c["users"]
    for field in ["includeUsers", "excludeUsers"]:
        for item in u[field]:
            if item not in SPECIAL_USERS and item not in users:
                problem(f"{name}: {field} {item} does not exist")
    for field in ["includeGroups", "excludeGroups"]:
        for item in u[field]:
            if item not in groups:
                problem(f"{name}: {field} {item} does not exist")
            elif item not in members:
                problem(f"{name}: {field} {item} has no group-members file")
    for field in ["includeRoles", "excludeRoles"]:
        for item in u[field]:
            if item not in roles:
                problem(f"{name}: {field} {item} is not in role-definitions.json")
    for field in ["includeLocations", "excludeLocations"]:
        for item in (c["locations"] or {}).get(field, []):
            if item not in ("All", "AllTrusted") and item not in locations:
                problem(f"{name}: {field} {item} is not a named location")
    strength = (policy["grantControls"] or {}).get("authenticationStrength")
    if strength:
        if strength["id"] not in strengths:
            problem(f"{name}: authentication strength {strength['id']} is not in authentication-strengths.json")
        elif strengths[strength["id"]] != strength:
            problem(f"{name}: the embedded authentication strength differs from the listed one")
    if policy["state"] not in ("enabled", "disabled", "enabledForReportingButNotEnforced"):
        problem(f"{name}: state {policy['state']}")

# 6. Methods, sign-ins, audits, alert rules name known objects.
for user_id in methods:
    if user_id not in users:
        problem(f"authentication-methods/{user_id}.json: no such user")
for item in values("sign-ins.json"):
    if item["userId"] not in users or upns.get(item["userPrincipalName"].lower()) != item["userId"]:
        problem(f"sign-in {item['id']}: user {item['userId']} / {item['userPrincipalName']} does not match")
    for applied in item["appliedConditionalAccessPolicies"]:
        if applied["id"] not in policies or policies[applied["id"]]["displayName"] != applied["displayName"]:
            problem(f"sign-in {item['id']}: applied policy {applied['id']} does not match")
for item in values("directory-audits.json"):
    actor = (item["initiatedBy"].get("user") or {}).get("id")
    if actor and actor not in users:
        problem(f"audit {item['id']}: initiator {actor} does not exist")
    for target in item["targetResources"]:
        table = {"User": users, "Group": groups, "Policy": policies}.get(target["type"])
        if table is None or target["id"] not in table:
            problem(f"audit {item['id']}: target {target['type']} {target['id']} does not exist")
for rule in values("alert-rules.json"):
    for condition in rule["properties"]["criteria"]["allOf"]:
        for guid in re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", condition["query"]):
            if guid not in users:
                problem(f"alert rule {rule['name']}: user {guid} does not exist")
        for upn in re.findall(r'"([^"@\s]+@[^"\s]+)"', condition["query"]):
            if upn.lower() not in upns:
                problem(f"alert rule {rule['name']}: user {upn} does not exist")

# 7. The manifest lists exactly the files and folders present.
manifest = load("manifest.json")
present = {n for n in os.listdir(DIR) if n.endswith(".json") and n != "manifest.json"}
present |= {n for n in os.listdir(DIR) if os.path.isdir(os.path.join(DIR, n))}
if set(manifest["files"]) != present:
    problem(f"manifest.json lists {sorted(set(manifest['files']) ^ present)} differently from the folder")
if any(entry["status"] != "ok" for entry in manifest["files"].values()):
    problem("manifest.json: a file is not ok")
organization = values("organization.json")[0]
if manifest["tenantId"] != organization["id"]:
    problem("manifest tenantId differs from the organization id")

# 8. breakglass.yml names existing objects.
with open(os.path.join(DIR, "breakglass.yml"), encoding="utf-8") as f:
    config = f.read()
declared = re.findall(r"^\s*- id:\s*([0-9a-f-]{36})", config, re.M)
exclusion_group = re.search(r"^exclusionGroup:\s*([0-9a-f-]{36})", config, re.M).group(1)
allowed = re.findall(r"^\s*- ([0-9a-f-]{36})", re.search(r"allowedExclusions:\n((?:\s+- .*\n)*)", config).group(1), re.M)
for item in declared:
    if item not in users:
        problem(f"breakglass.yml: emergency account {item} does not exist")
if exclusion_group not in groups or exclusion_group not in members:
    problem(f"breakglass.yml: exclusion group {exclusion_group} does not exist or has no members file")
for item in allowed:
    if item not in users and item not in groups and item not in roles:
        problem(f"breakglass.yml: allowed exclusion {item} does not exist")
for item in declared:
    if item not in methods:
        problem(f"emergency account {item} has no authentication-methods file")

# 9. The planted mistakes (DemoTenant/README.md) are still there, and the rest holds.
bg01, bg02 = declared
excl_users = transitive_users(exclusion_group)
capture = manifest["capturedAt"]


def expect(condition, text):
    if not condition:
        problem("story: " + text)


expect(bg01 in excl_users and bg02 not in excl_users, "bg-01 in the exclusion group, bg-02 not (BG030 on CA008)")
expect(excl_users - {bg01, bg02}, "a non-emergency member in the exclusion group (BG033)")
by_name = {p["displayName"][:5]: p for p in policies.values()}
ca008 = by_name["CA008"]["conditions"]["users"]
expect(ca008["includeUsers"] == ["All"] and ca008["excludeUsers"] == [] and ca008["excludeGroups"] == [exclusion_group],
       "CA008 includes All users and excludes only the exclusion group")
for policy in policies.values():
    u = policy["conditions"]["users"]
    if policy["state"] == "enabled" and policy["displayName"][:5] != "CA008":
        expect(bg01 in u["excludeUsers"] and bg02 in u["excludeUsers"] and exclusion_group in u["excludeGroups"],
               f"{policy['displayName']} excludes both accounts and the group")
report_only = [p for p in policies.values() if p["state"] == "enabledForReportingButNotEnforced"]
expect(report_only and not report_only[0]["conditions"]["users"]["excludeUsers"]
       and not report_only[0]["conditions"]["users"]["excludeGroups"], "a report-only policy without exclusions (BG031)")
kinds = {user: {m["@odata.type"] for m in methods[user]} for user in (bg01, bg02)}
expect("#microsoft.graph.phoneAuthenticationMethod" in kinds[bg02]
       and "#microsoft.graph.phoneAuthenticationMethod" not in kinds[bg01], "bg-02 has a phone method (BG041)")
expect(all("#microsoft.graph.fido2AuthenticationMethod" in k for k in kinds.values()), "both have FIDO2 (BG040)")
expect("DisablePasswordExpiration" in (users[bg01]["passwordPolicies"] or "")
       and not users[bg02]["passwordPolicies"], "bg-02 lacks DisablePasswordExpiration (BG014 by domain)")
expect(users[bg01]["lastPasswordChangeDateTime"] < "2026-08-22", "bg-01's password older than 90 days (BG061)")
routine = [s for s in values("sign-ins.json") if s["userId"] == bg02 and s["status"]["errorCode"] == 0]
expect(len(routine) >= 4, "bg-02 has routine sign-ins (BG063)")
expect(all(s["userId"] == bg02 for s in values("sign-ins.json")), "sign-ins are bg-02's")
expect(max(s["createdDateTime"] for s in routine) < users[bg02]["lastPasswordChangeDateTime"] < capture,
       "bg-02's password was reset after its last sign-in (BG060 passes)")
setting = [s for s in values("diagnostic-settings.json") if s["properties"]["workspaceId"]]
sent = {l["category"] for s in setting for l in s["properties"]["logs"] if l["enabled"]}
expect({"SignInLogs", "AuditLogs"} <= sent and "NonInteractiveUserSignInLogs" not in sent, "BG050 fails")
enabled_rules = [c["query"] for r in values("alert-rules.json") if r["properties"]["enabled"]
                 for c in r["properties"]["criteria"]["allOf"]]
expect(any("bg-01@" in q for q in enabled_rules) and not any(bg01 in q or bg02 in q or "bg-02@" in q
                                                             for q in enabled_rules), "BG051: bg-01 by UPN only")
expect(load("security-defaults.json")["isEnabled"] is False, "security defaults off")
ga = roles["62e90394-69f5-4237-9190-012177145e10"]["id"]
for account in (bg01, bg02):
    expect((account, ga) in assignments, f"{account} holds Global Administrator")
    expect(not [e for e in values("role-eligibility-schedules.json") if e["principalId"] == account],
           f"{account} is not under PIM")
expect(len(users) >= 35 and len(policies) >= 12, "enough users and policies")

# Tier 0 (issue 15): owners, applications, administrative units, the authentication methods policy.
sps = {s["id"]: s for s in values("service-principals.json")}
graph_sp = load("graph-service-principal.json")
role_names = {r["id"]: r["value"] for r in graph_sp["appRoles"]}
grants = values("graph-app-role-assignments.json")
for grant in grants:
    if grant["principalId"] not in sps or grant["appRoleId"] not in role_names or grant["resourceId"] != graph_sp["id"]:
        problem(f"graph-app-role-assignments.json: {grant['id']} refers to an unknown principal, role or resource")
apps_by_app_id = {a["appId"]: a for a in values("applications.json")}
for folder, table in [("service-principal-owners", sps), ("application-owners", {a["id"]: a for a in apps_by_app_id.values()}),
                      ("group-owners", groups)]:
    for name in os.listdir(os.path.join(DIR, folder)):
        if name[:-5] not in table:
            problem(f"{folder}/{name}: no such object")
        for owner in values(f"{folder}/{name}"):
            if owner["id"] not in users and owner["id"] not in sps:
                problem(f"{folder}/{name}: owner {owner['id']} does not exist")
excl_owners = {o["id"] for o in values(f"group-owners/{exclusion_group}.json")}
expect(excl_owners and not excl_owners & {bg01, bg02}, "the exclusion group is owned by someone else (BG037)")
units = {u["id"]: u for u in values("administrative-units.json")}
restricted = [u for u in units.values() if u["isMemberManagementRestricted"]]
in_unit = {m["id"] for u in restricted for m in values(f"administrative-unit-members/{u['id']}.json")}
expect(bg01 in in_unit and bg02 not in in_unit, "bg-01 in a restricted-management unit, bg-02 not (BG016)")
held = {(g["principalId"], role_names[g["appRoleId"]]) for g in grants}
expect(any(p == "Application.ReadWrite.All" for _, p in held), "an app holds Application.ReadWrite.All (BG023)")
expect(any(p == "Policy.ReadWrite.ConditionalAccess" for _, p in held), "an app can write CA policies (lock-out path)")
fido2 = [c for c in load("authentication-methods-policy.json")["authenticationMethodConfigurations"] if c["id"] == "Fido2"]
expect(fido2 and fido2[0]["state"] == "enabled", "FIDO2 is enabled for the accounts (BG043)")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"DemoTenant OK: {len(users)} users, {len(groups)} groups, {len(policies)} policies, "
      f"{len(members)} member lists, {len(methods)} method lists")
