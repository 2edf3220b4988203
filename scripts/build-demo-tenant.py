#!/usr/bin/env python3
"""Writes the embedded demo tenant "Contoso Ltd" (DemoTenant/) as Microsoft Graph v1.0 responses.

The JSON files in DemoTenant/ are the source of truth that the tool reads; this script is how they were made,
kept so the story can be changed in one place and the files regenerated consistently. It is deterministic:
every id is a name-based (version 5) UUID under a fixed namespace, every time is fixed relative to the capture
time, so running it twice gives the same bytes. After running it, run scripts/check-demo-tenant.py and
scripts/embed-demo-tenant.sh.

    python3 scripts/build-demo-tenant.py [OUTPUT_DIR]        # default: DemoTenant/ next to scripts/

The story (which mistake trips which check) is in DemoTenant/README.md.
"""
import base64
import datetime as dt
import hashlib
import json
import os
import random
import shutil
import sys
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "DemoTenant")

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "contoso.demo.breakglass.invalid")
CAPTURED = dt.datetime(2026, 11, 20, 9, 0, 0, tzinfo=dt.timezone.utc)
GRAPH = "https://graph.microsoft.com/v1.0/$metadata#"
rng = random.Random(20261120)


def gid(key):
    """A deterministic, valid GUID for a named object of the demo tenant."""
    return str(uuid.uuid5(NAMESPACE, key))


def t(text, fraction=False):
    """An ISO time 'YYYY-MM-DDTHH:MM:SS' as Graph writes it (optionally with Graph's 7 fractional digits)."""
    if fraction:
        digits = int(hashlib.sha256(text.encode()).hexdigest(), 16) % 10_000_000
        return f"{text}.{digits:07d}Z"
    return text + "Z"


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def ago(days=0, hours=0, minutes=0, seconds=0):
    return iso(CAPTURED - dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds))


def b64guid(guid):
    return base64.urlsafe_b64encode(uuid.UUID(guid).bytes_le).decode().rstrip("=")


def assignment_id(role, principal):
    """Role assignment ids are the role and principal GUIDs, base64url-encoded, plus '-1'."""
    return b64guid(role) + b64guid(principal) + "-1"


def immutable_id(key):
    return base64.b64encode(uuid.UUID(gid("ad/" + key)).bytes_le).decode()


def write(path, body):
    full = os.path.join(OUT, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8", newline="\n") as f:
        json.dump(body, f, indent=2, ensure_ascii=False)
        f.write("\n")


def listing(context, items):
    return {"@odata.context": GRAPH + context, "value": items}


# ---------------------------------------------------------------------------------------------------------------
# Tenant, domains, licences
TENANT = gid("tenant")
SUBSCRIPTION = gid("azure/subscription/security")
WORKSPACE = (f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-security-ops/providers/"
             "Microsoft.OperationalInsights/workspaces/law-contoso-sentinel")
INITIAL, DEFAULT, FEDERATED = "contoso.onmicrosoft.com", "contoso.com", "fed.contoso.com"

SPE_E5 = "06ebc4ee-1bb5-47dd-8120-11324bc54e06"
SPE_E3 = "05e9a617-0261-4cee-bb44-138d3ef5d965"
EXCHANGE_STANDARD = "4b9405b0-7788-4568-add1-99614e613b69"
YAMMER = "7547a3fe-08ee-4ccb-b430-5077c5041653"

# Roles (template ids of the built-in roles)
R = {
    "GA": ("62e90394-69f5-4237-9190-012177145e10", "Global Administrator",
           "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.",
           ["microsoft.directory/*/allProperties/allTasks", "microsoft.azure.serviceHealth/allEntities/allTasks",
            "microsoft.office365.exchange/allEntities/allProperties/allTasks"]),
    "PRA": ("e8611ab8-c189-46e8-94e1-60213ab1f814", "Privileged Role Administrator",
            "Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management.",
            ["microsoft.directory/roleAssignments/allProperties/allTasks",
             "microsoft.directory/privilegedIdentityManagement/allProperties/allTasks",
             "microsoft.directory/conditionalAccessPolicies/allProperties/allTasks"]),
    "PAA": ("7be44c8a-adaf-4e2a-84d6-ab2649e08a13", "Privileged Authentication Administrator",
            "Can access to view, set and reset authentication method information for any user (admin or non-admin).",
            ["microsoft.directory/users/authenticationMethods/create", "microsoft.directory/users/password/update",
             "microsoft.directory/users/invalidateAllRefreshTokens"]),
    "SecAdmin": ("194ae4cb-b126-40b2-bd5b-6091b380977d", "Security Administrator",
                 "Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365.",
                 ["microsoft.directory/conditionalAccessPolicies/basic/update",
                  "microsoft.directory/identityProtection/allProperties/allTasks",
                  "microsoft.directory/namedLocations/create"]),
    "SecReader": ("5d6b6bb7-de71-4623-b4af-96380a352509", "Security Reader",
                  "Can read security information and reports in Microsoft Entra ID and Office 365.",
                  ["microsoft.directory/auditLogs/allProperties/read", "microsoft.directory/signInReports/allProperties/read"]),
    "GlobalReader": ("f2ef992c-3afb-46b9-b7cf-a126ee74c451", "Global Reader",
                     "Can read everything that a Global Administrator can, but not update anything.",
                     ["microsoft.directory/users/allProperties/read", "microsoft.directory/groups/allProperties/read",
                      "microsoft.directory/conditionalAccessPolicies/allProperties/read"]),
    "Exchange": ("29232cdf-9323-42fd-ade2-1d097af3e4de", "Exchange Administrator",
                 "Can manage all aspects of the Exchange product.",
                 ["microsoft.office365.exchange/allEntities/basic/allTasks",
                  "microsoft.directory/groups.unified/basic/update"]),
    "SharePoint": ("f28a1f50-f6e7-4571-818b-6a12f2af6b6c", "SharePoint Administrator",
                   "Can manage all aspects of the SharePoint service.",
                   ["microsoft.office365.sharePoint/allEntities/allTasks"]),
    "UserAdmin": ("fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator",
                  "Can manage all aspects of users and groups, including resetting passwords for limited admins.",
                  ["microsoft.directory/users/create", "microsoft.directory/users/delete",
                   "microsoft.directory/groups/members/update"]),
    "Helpdesk": ("729827e3-9c14-49f7-bb1b-9608f156bbb8", "Helpdesk Administrator",
                 "Can reset passwords for non-administrators and Helpdesk Administrators.",
                 ["microsoft.directory/users/password/update", "microsoft.directory/users/invalidateAllRefreshTokens"]),
    "CAAdmin": ("b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", "Conditional Access Administrator",
                "Can manage Conditional Access capabilities.",
                ["microsoft.directory/conditionalAccessPolicies/create",
                 "microsoft.directory/conditionalAccessPolicies/basic/update",
                 "microsoft.directory/namedLocations/create"]),
    "AuthAdmin": ("c4e39bd9-1100-46d3-8c65-fb160da0071f", "Authentication Administrator",
                  "Can access to view, set and reset authentication method information for any non-admin user.",
                  ["microsoft.directory/users/authenticationMethods/create"]),
    "Intune": ("3a2c62db-5318-420d-8d74-23affee5d9d5", "Intune Administrator",
               "Can manage all aspects of the Intune product.",
               ["microsoft.intune/allEntities/allTasks", "microsoft.directory/devices/basic/update"]),
    "Billing": ("b0f54661-2d74-4c50-afa3-1ec803f12efe", "Billing Administrator",
                "Can perform common billing related tasks like updating payment information.",
                ["microsoft.commerce.billing/allEntities/allProperties/allTasks"]),
    "AppAdmin": ("9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Application Administrator",
                 "Can create and manage all aspects of app registrations and enterprise apps.",
                 ["microsoft.directory/applications/create", "microsoft.directory/servicePrincipals/create"]),
    "Teams": ("69091246-20e8-4a56-aa4d-066075b2a7a8", "Teams Administrator",
              "Can manage the Microsoft Teams service.",
              ["microsoft.teams/allEntities/allProperties/allTasks"]),
    "DirSync": ("d29b2b05-8046-44ba-8758-1e26182fcf32", "Directory Synchronization Accounts",
                "Only used by Microsoft Entra Connect service.",
                ["microsoft.directory/organization/dirSync/update", "microsoft.directory/users/create"]),
    "DirReaders": ("88d8e3e3-8f55-4a1e-953a-9b9898b8876b", "Directory Readers",
                   "Can read basic directory information. Commonly used to grant directory read access to applications and guests.",
                   ["microsoft.directory/users/standard/read", "microsoft.directory/groups/standard/read"]),
}
PRIVILEGED = {"GA", "PRA", "PAA", "SecAdmin", "Exchange", "SharePoint", "UserAdmin", "Helpdesk", "CAAdmin",
              "AuthAdmin", "Intune", "AppAdmin", "DirSync"}


def role(key):
    return R[key][0]


# ---------------------------------------------------------------------------------------------------------------
# Users
USERS = []          # Graph user objects
U = {}              # key -> id
UPN = {}            # key -> UPN


def add_user(key, name, upn, *, created, user_type="Member", enabled=True, synced=False, policies=None,
             password=None, last_sign_in=None, non_interactive=None, successful=None, licences=()):
    uid = gid("user/" + key)
    U[key], UPN[key] = uid, upn
    activity = None
    if last_sign_in or non_interactive:
        successful = successful if successful is not None else last_sign_in
        activity = {
            "lastSignInDateTime": last_sign_in,
            "lastSignInRequestId": gid(f"request/{key}/interactive") if last_sign_in else None,
            "lastNonInteractiveSignInDateTime": non_interactive,
            "lastNonInteractiveSignInRequestId": gid(f"request/{key}/noninteractive") if non_interactive else None,
            "lastSuccessfulSignInDateTime": successful,
            "lastSuccessfulSignInRequestId": gid(f"request/{key}/successful") if successful else None,
        }
    USERS.append({
        "id": uid,
        "displayName": name,
        "userPrincipalName": upn,
        "userType": user_type,
        "accountEnabled": enabled,
        "onPremisesSyncEnabled": True if synced else None,
        "onPremisesImmutableId": immutable_id(key) if synced else None,
        "passwordPolicies": policies,
        "lastPasswordChangeDateTime": password or created,
        "createdDateTime": created,
        "signInActivity": activity,
        "assignedLicenses": [{"disabledPlans": list(disabled), "skuId": sku} for sku, disabled in licences],
    })
    return uid


E5, E3 = [(SPE_E5, [])], [(SPE_E3, [])]
E3_NO_YAMMER = [(SPE_E3, [YAMMER])]


def routine(key, days_back_max, created, licences, *, upn_domain=DEFAULT, policies=None, synced=False,
            enabled=True, name=None, alias=None, password_days=None):
    """An ordinary employee: signed in within the last days, password younger than the domain's 90 days."""
    last = CAPTURED - dt.timedelta(days=rng.uniform(0.1, days_back_max))
    last = last.replace(microsecond=0)
    non_interactive = last + dt.timedelta(minutes=rng.randint(3, 600))
    non_interactive = min(non_interactive, CAPTURED - dt.timedelta(minutes=rng.randint(4, 50)))
    pwd = CAPTURED - dt.timedelta(days=password_days if password_days is not None else rng.uniform(3, 85),
                                  seconds=rng.randint(0, 80000))
    return add_user(key, name, f"{alias}@{upn_domain}", created=created, policies=policies, synced=synced,
                    enabled=enabled, password=iso(pwd.replace(microsecond=0)), last_sign_in=iso(last),
                    non_interactive=iso(non_interactive), licences=licences)


# Emergency access accounts.
# bg-01: the original account (2024). Never-expiring password by policy; last drilled and rotated in August, so the
#        password is 108 days old (BG061) and the last drill is older than 90 days (BG062).
BG01 = add_user("bg-01", "Emergency Access 01", f"bg-01@{INITIAL}", created=t("2024-03-18T10:12:44"),
                policies="DisablePasswordExpiration", password=t("2026-08-04T13:20:07"),
                last_sign_in=t("2026-08-04T08:47:12"), non_interactive=t("2026-08-04T08:48:03"))
# bg-02: created in 2025 by a different admin: no DisablePasswordExpiration (the onmicrosoft.com domain's passwords
#        never expire, so BG014 passes by domain), an E5 licence (BG015), drilled on 29 October, then used as a
#        day-to-day admin account in November (BG063); the password was reset after the last use (BG060 passes).
BG02 = add_user("bg-02", "Emergency Access 02", f"bg-02@{INITIAL}", created=t("2025-02-11T15:30:02"),
                policies=None, password=t("2026-11-16T17:42:10"),
                last_sign_in=t("2026-11-16T16:55:20"), non_interactive=t("2026-11-16T17:05:44"), licences=E5)
# A disabled leftover from 2017 that the discovery heuristics will notice but that is not an emergency account.
add_user("breakglass-old", "Break Glass (old - do not use)", f"breakglass@{INITIAL}",
         created=t("2017-06-02T09:41:18"), enabled=False, policies="DisablePasswordExpiration",
         password=t("2019-01-14T16:02:51"))

# Administrators
routine("lidia", 1, t("2019-04-22T14:03:11"), E5, name="Lidia Holloway", alias="lidiah")
routine("alex", 0.2, t("2019-04-22T14:05:37"), E5, name="Alex Wilber", alias="alexw")
routine("isaiah", 2, t("2020-01-13T08:30:12"), E5, name="Isaiah Langer", alias="isaiahl")
routine("megan", 1, t("2019-04-22T14:07:02"), E5, name="Megan Bowen", alias="meganb")
routine("nestor", 3, t("2018-09-03T07:15:44"), E3, name="Nestor Wilke", alias="nestorw", upn_domain=FEDERATED,
        synced=True, policies="DisablePasswordExpiration")
routine("grady", 1, t("2020-06-29T12:44:09"), E5, name="Grady Archie", alias="gradya")
routine("patti", 2, t("2019-11-04T10:20:31"), E5, name="Patti Fernandez", alias="pattif")
routine("diego", 4, t("2021-02-15T09:12:54"), E5, name="Diego Siciliani", alias="diegos")
routine("henrietta", 2, t("2021-08-09T13:37:25"), E5, name="Henrietta Mueller", alias="henriettam")
routine("johanna", 6, t("2020-03-02T11:08:16"), E3, name="Johanna Lorenz", alias="johannal")
routine("lee", 1, t("2022-05-16T08:01:47"), E3, name="Lee Gu", alias="leeg")
routine("joni", 1, t("2022-09-12T08:22:30"), E3, name="Joni Sherman", alias="jonis")
routine("miriam", 3, t("2019-10-07T15:45:02"), E3, name="Miriam Graham", alias="miriamg")

# Employees
for key, name, alias, created, lic in [
    ("adele", "Adele Vance", "adelev", "2019-04-22T14:10:21", E3),
    ("allan", "Allan Deyoung", "alland", "2019-07-01T09:00:13", E3),
    ("christie", "Christie Cline", "christiec", "2020-02-17T10:31:40", E3_NO_YAMMER),
    ("debra", "Debra Berger", "debrab", "2019-04-22T14:12:56", E3),
    ("emily", "Emily Braun", "emilyb", "2021-01-11T08:45:09", E3),
    ("enrico", "Enrico Cattaneo", "enricoc", "2020-10-05T09:17:33", E3_NO_YAMMER),
    ("irvin", "Irvin Sayers", "irvins", "2022-03-21T07:58:02", E3),
    ("lynne", "Lynne Robbins", "lynner", "2019-08-19T13:26:48", E3),
    ("pradeep", "Pradeep Gupta", "pradeepg", "2021-06-14T09:40:27", E3),
    ("raul", "Raul Razo", "raulr", "2023-01-09T08:05:51", E3),
    ("cameron", "Cameron White", "cameronw", "2023-04-03T08:32:14", E3),
    ("brian", "Brian Johnson", "brianj", "2022-11-28T09:14:06", E3),
    ("sanjay", "Sanjay Patel", "sanjayp", "2024-02-05T08:50:39", E3),
    ("camille", "Camille Dubois", "camilled", "2024-09-16T07:45:12", E3),
    ("karin", "Karin Berg", "karinb", "2025-05-05T06:59:58", E3),
]:
    routine(key, 12, t(created), lic, name=name, alias=alias)
# A new hire who has not signed in yet.
add_user("jordan", "Jordan Miller", f"jordanm@{DEFAULT}", created=t("2026-11-18T15:22:41"), licences=E3)

# Synchronized from on-premises Active Directory (plant staff on the federated domain)
routine("tomas", 5, t("2018-09-03T07:16:02"), E3, name="Tomás Herrera", alias="tomash", upn_domain=FEDERATED,
        synced=True, policies="DisablePasswordExpiration")
routine("olga", 5, t("2018-09-03T07:16:05"), E3, name="Olga Petrova", alias="olgap", upn_domain=FEDERATED,
        synced=True, policies="DisablePasswordExpiration")
add_user("marcus", "Marcus Reid", f"marcusr@{FEDERATED}", created=t("2018-09-03T07:16:09"), enabled=False,
         synced=True, policies="DisablePasswordExpiration", password=t("2026-04-30T16:11:20"),
         last_sign_in=t("2026-07-30T15:48:02"), non_interactive=t("2026-07-31T06:12:40"), licences=())

# Service accounts
add_user("svc-mfp-scan", "Scan to Email (MFP Building 2)", f"svc-mfp-scan@{DEFAULT}",
         created=t("2021-03-08T11:20:45"), policies="DisablePasswordExpiration", password=t("2023-05-17T09:02:13"),
         last_sign_in=None, non_interactive=ago(minutes=37), successful=ago(minutes=37),
         licences=[(EXCHANGE_STANDARD, [])])
add_user("svc-backup", "M365 Backup Service", f"svc-backup@{DEFAULT}", created=t("2022-01-24T14:03:58"),
         policies="DisablePasswordExpiration", password=t("2025-09-02T10:40:31"),
         last_sign_in=None, non_interactive=ago(hours=5, minutes=12), successful=ago(hours=5, minutes=12))
add_user("svc-erp", "ERP Integration (Dynamics)", f"svc-erp@{DEFAULT}", created=t("2023-06-12T16:27:19"),
         policies="DisablePasswordExpiration", password=t("2026-02-09T08:15:00"),
         last_sign_in=None, non_interactive=ago(minutes=11), successful=ago(minutes=11))
add_user("sync", "On-Premises Directory Synchronization Service Account",
         f"Sync_CONTOSO-DC01_3f9a2c1b7e54@{INITIAL}", created=t("2018-09-03T06:58:30"),
         policies="DisablePasswordExpiration", password=t("2018-09-03T06:58:30"),
         last_sign_in=None, non_interactive=ago(minutes=19), successful=ago(minutes=19))

# Guests
add_user("kai", "Kai Carter (Fabrikam)", f"kai.carter_fabrikam.com#EXT#@{INITIAL}", user_type="Guest",
         created=t("2026-09-14T13:05:27"), last_sign_in=ago(days=2, hours=3, minutes=14),
         non_interactive=ago(days=2, hours=1, minutes=2))
add_user("rosa", "Rosa Diaz (Northwind Traders)", f"rosa.diaz_northwindtraders.com#EXT#@{INITIAL}",
         user_type="Guest", created=t("2025-03-27T10:44:10"), last_sign_in=ago(days=9, hours=6),
         non_interactive=ago(days=9, hours=5, minutes=21))
add_user("wei", "Wei Chen (Tailspin Toys)", f"wei.chen_tailspintoys.com#EXT#@{INITIAL}", user_type="Guest",
         created=t("2026-11-06T16:31:03"))

# ---------------------------------------------------------------------------------------------------------------
# Groups
GROUPS, MEMBERS, G = [], {}, {}


def add_group(key, name, *, types=(), rule=None, assignable=False, security=True, synced=False, members=None):
    group_id = gid("group/" + key)
    G[key] = group_id
    GROUPS.append({
        "id": group_id,
        "displayName": name,
        "groupTypes": list(types),
        "membershipRule": rule,
        "membershipRuleProcessingState": "On" if rule else None,
        "isAssignableToRole": True if assignable else None,
        "securityEnabled": security,
        "onPremisesSyncEnabled": True if synced else None,
    })
    if members is not None:
        MEMBERS[key] = members
    return group_id


def user_member(key):
    return {"@odata.type": "#microsoft.graph.user", "id": U[key]}


def group_member(key):
    return {"@odata.type": "#microsoft.graph.group", "id": G[key]}


# The emergency-access exclusion group: role-assignable, assigned, cloud-only (BG032 passes). bg-02 was never added
# (BG030 on CA008, the one policy that relies on the group alone), and the MFP scanner's service account was added
# so that SMTP AUTH would get past the legacy-authentication block (BG033).
add_group("excl", "CA-Exclude-EmergencyAccess", assignable=True,
          members=[user_member("bg-01"), user_member("svc-mfp-scan")])
add_group("svc", "SG-ServiceAccounts",
          members=[user_member("svc-mfp-scan"), user_member("svc-backup"), user_member("svc-erp")])
add_group("helpdesk", "SG-Helpdesk-Admins", assignable=True, members=[user_member("lee"), user_member("joni")])
add_group("itadmins", "SG-IT-Admins", members=[
    user_member("lidia"), user_member("alex"), user_member("isaiah"), user_member("megan"), user_member("grady"),
    user_member("patti"), user_member("diego"), user_member("henrietta"), group_member("helpdesk")])
add_group("all-employees", "All Employees", types=["DynamicMembership"],
          rule='(user.userType -eq "Member") -and (user.accountEnabled -eq true) -and (user.userPrincipalName -notContains "svc-")')
add_group("sales", "Sales", types=["DynamicMembership", "Unified"], rule='(user.department -eq "Sales")',
          security=False)
add_group("finance", "Finance", types=["Unified"], security=False)
add_group("marketing", "Marketing", types=["Unified"], security=False)
add_group("hr", "Human Resources", types=["Unified"], security=False)
add_group("exec", "Executives", members=[user_member("debra"), user_member("lidia"), user_member("enrico")])
add_group("licence-e5", "LIC-Microsoft365-E5", members=[group_member("exec"), group_member("itadmins")])
add_group("plant", "GG-Plant-Redmond-Operators", synced=True,
          members=[user_member("tomas"), user_member("olga"), user_member("nestor")])
add_group("partners", "SG-Partner-Guests", members=[user_member("kai"), user_member("rosa"), user_member("wei")])
add_group("intune-pilot", "SG-Intune-Windows-Pilot",
          members=[user_member("diego"), user_member("sanjay"), user_member("cameron"), user_member("alex")])
add_group("teams-all", "Contoso Everyone", types=["Unified"], security=False)
add_group("saw", "SG-PAW-Devices-Owners", members=[user_member("lidia"), user_member("megan")])

# ---------------------------------------------------------------------------------------------------------------
# Roles: definitions, active assignments (permanent, group-based, time-bound, PIM-activated) and eligibility
role_definitions = []
for key, (template, name, description, actions) in R.items():
    role_definitions.append({
        "id": template,
        "description": description,
        "displayName": name,
        "isBuiltIn": True,
        "isEnabled": True,
        "isPrivileged": key in PRIVILEGED,
        "resourceScopes": ["/"],
        "templateId": template,
        "version": "1",
        "rolePermissions": [{"allowedResourceActions": actions, "condition": None}],
        "inheritsPermissionsFrom@odata.context":
            f"{GRAPH}roleManagement/directory/roleDefinitions('{template}')/inheritsPermissionsFrom",
        "inheritsPermissionsFrom": [],
    })

ACTIVATION_START, ACTIVATION_END = t("2026-11-20T07:32:15"), t("2026-11-20T15:32:15")
KAI_END = t("2026-12-31T23:59:59")
# (principal, role, start, end, assignment type)
ACTIVE = [
    (U["bg-01"], "GA", t("2024-03-18T10:20:03"), None, "Assigned"),
    (U["bg-02"], "GA", t("2025-02-11T15:36:40"), None, "Assigned"),
    (U["lidia"], "GA", t("2019-04-22T14:20:00"), None, "Assigned"),
    (U["alex"], "GA", ACTIVATION_START, ACTIVATION_END, "Activated"),
    (U["alex"], "GlobalReader", t("2023-02-06T09:12:44"), None, "Assigned"),
    (U["megan"], "SecAdmin", t("2020-05-11T10:03:29"), None, "Assigned"),
    (U["nestor"], "SecReader", t("2021-03-15T08:44:12"), None, "Assigned"),
    (U["grady"], "Exchange", t("2020-06-29T13:02:51"), None, "Assigned"),
    (U["patti"], "UserAdmin", t("2021-01-18T09:55:07"), None, "Assigned"),
    (U["diego"], "Intune", t("2022-10-03T11:30:40"), None, "Assigned"),
    (U["henrietta"], "CAAdmin", t("2023-09-25T14:16:22"), None, "Assigned"),
    (U["johanna"], "Billing", t("2020-03-02T11:30:55"), None, "Assigned"),
    (G["helpdesk"], "Helpdesk", t("2022-05-16T09:10:31"), None, "Assigned"),
    (U["kai"], "Exchange", t("2026-09-15T08:00:00"), KAI_END, "Assigned"),
    (U["sync"], "DirSync", t("2018-09-03T06:58:45"), None, "Assigned"),
]
role_assignments, schedule_instances = [], []
for principal, key, start, end, kind in ACTIVE:
    assignment = assignment_id(role(key), principal)
    role_assignments.append({
        "id": assignment,
        "principalId": principal,
        "directoryScopeId": "/",
        "roleDefinitionId": role(key),
    })
    through_pim = kind == "Activated" or end is not None
    schedule = gid(f"pim/assignment-schedule/{principal}/{key}") if through_pim else assignment
    schedule_instances.append({
        "id": assignment + "-e" if not through_pim else gid(f"pim/instance/{principal}/{key}"),
        "principalId": principal,
        "roleDefinitionId": role(key),
        "directoryScopeId": "/",
        "appScopeId": None,
        "startDateTime": start,
        "endDateTime": end,
        "assignmentType": kind,
        "memberType": "Direct",
        "roleAssignmentOriginId": gid(f"pim/eligibility/{principal}/{key}") if kind == "Activated" else schedule,
        "roleAssignmentScheduleId": schedule,
    })

ELIGIBLE = [  # (user, role, created, end)
    ("alex", "GA", t("2023-02-06T09:15:02"), None),
    ("isaiah", "PRA", t("2025-10-01T10:00:00"), t("2027-03-31T23:59:59")),
    ("isaiah", "GA", t("2025-10-01T10:00:00"), t("2027-03-31T23:59:59")),
    ("nestor", "SecAdmin", t("2024-06-03T12:41:19"), None),
    ("miriam", "Teams", t("2026-07-15T08:30:00"), t("2027-01-15T08:30:00")),
    ("patti", "AuthAdmin", t("2024-01-22T10:05:48"), None),
]
eligibility = []
for key, role_key, created, end in ELIGIBLE:
    eligibility.append({
        "id": gid(f"pim/eligibility/{U[key]}/{role_key}"),
        "principalId": U[key],
        "roleDefinitionId": role(role_key),
        "directoryScopeId": "/",
        "appScopeId": None,
        "createdUsing": gid(f"pim/eligibility-request/{U[key]}/{role_key}"),
        "createdDateTime": created,
        "modifiedDateTime": None,
        "status": "Provisioned",
        "memberType": "Direct",
        "scheduleInfo": {
            "startDateTime": created,
            "recurrence": None,
            "expiration": {"type": "afterDateTime" if end else "noExpiration", "endDateTime": end, "duration": None},
        },
    })

# ---------------------------------------------------------------------------------------------------------------
# Named locations and authentication strengths
L = {k: gid("location/" + k) for k in ["hq", "munich", "vpn", "blocked-countries"]}
named_locations = [
    {"@odata.type": "#microsoft.graph.ipNamedLocation", "id": L["hq"], "displayName": "Contoso HQ - Redmond",
     "modifiedDateTime": t("2025-04-02T16:20:11", True), "createdDateTime": t("2019-05-06T10:02:37", True),
     "isTrusted": True,
     "ipRanges": [{"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": "203.0.113.0/24"},
                  {"@odata.type": "#microsoft.graph.iPv6CidrRange", "cidrAddress": "2001:db8:c0:1::/64"}]},
    {"@odata.type": "#microsoft.graph.ipNamedLocation", "id": L["munich"], "displayName": "Contoso Branch - Munich",
     "modifiedDateTime": None, "createdDateTime": t("2025-05-05T07:10:49", True), "isTrusted": True,
     "ipRanges": [{"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": "198.51.100.0/25"}]},
    {"@odata.type": "#microsoft.graph.ipNamedLocation", "id": L["vpn"], "displayName": "Azure VPN gateway egress",
     "modifiedDateTime": None, "createdDateTime": t("2023-08-14T13:45:02", True), "isTrusted": False,
     "ipRanges": [{"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": "192.0.2.16/28"},
                  {"@odata.type": "#microsoft.graph.iPv6CidrRange", "cidrAddress": "2001:db8:c0:ff00::/56"}]},
    {"@odata.type": "#microsoft.graph.countryNamedLocation", "id": L["blocked-countries"],
     "displayName": "Blocked countries", "modifiedDateTime": t("2026-03-09T11:12:45", True),
     "createdDateTime": t("2022-03-01T09:30:18", True),
     "countriesAndRegions": ["BY", "CU", "IR", "KP", "RU", "SY"], "includeUnknownCountriesAndRegions": False,
     "countryLookupMethod": "clientIpAddress"},
]

PHISHING_RESISTANT = ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"]
PASSWORDLESS = PHISHING_RESISTANT + ["deviceBasedPush"]
SECOND = ["microsoftAuthenticatorPush", "softwareOath", "hardwareOath", "sms", "voice"]
MULTIFACTOR = (PASSWORDLESS + ["temporaryAccessPassOneTime", "temporaryAccessPassMultiUse"]
               + [f"password,{x}" for x in ["microsoftAuthenticatorPush", "softwareOath", "hardwareOath",
                                             "x509CertificateSingleFactor", "x509CertificateMultiFactor", "sms",
                                             "voice"]]
               + ["federatedMultiFactor"] + [f"{x},federatedSingleFactor" for x in SECOND])
BUILTIN_TIME = t("2021-12-01T00:00:00")
YUBIKEY_5_SERIES = "cb69481e-8ff7-4039-93ec-0a2729a154a8"
YUBIKEY_5_NFC = "ee882879-721c-4913-9775-3dfcce97072a"
STRENGTH_CUSTOM = gid("authentication-strength/tap-or-phishing-resistant")


def strength(sid, name, description, kind, combinations, configurations=(), created=BUILTIN_TIME,
             modified=BUILTIN_TIME):
    return {
        "id": sid,
        "createdDateTime": created,
        "modifiedDateTime": modified,
        "displayName": name,
        "description": description,
        "policyType": kind,
        "requirementsSatisfied": "mfa",
        "allowedCombinations": combinations,
        "combinationConfigurations@odata.context":
            f"{GRAPH}policies/authenticationStrengthPolicies('{sid}')/combinationConfigurations",
        "combinationConfigurations": list(configurations),
    }


STRENGTHS = {
    "mfa": strength("00000000-0000-0000-0000-000000000002", "Multifactor authentication",
                    "Combinations of methods that satisfy strong authentication, such as a password + SMS",
                    "builtIn", MULTIFACTOR),
    "passwordless": strength("00000000-0000-0000-0000-000000000003", "Passwordless MFA",
                             "Passwordless methods that satisfy strong authentication, such as Passwordless sign-in "
                             "with the Microsoft Authenticator", "builtIn", PASSWORDLESS),
    "phishing-resistant": strength("00000000-0000-0000-0000-000000000004", "Phishing-resistant MFA",
                                   "Phishing-resistant, Passwordless methods for the strongest authentication, such "
                                   "as a FIDO2 security key", "builtIn", PHISHING_RESISTANT),
    "custom": strength(STRENGTH_CUSTOM, "Contoso - TAP or phishing-resistant",
                       "Registering security info away from the office: a one-time Temporary Access Pass, or a "
                       "phishing-resistant method (Contoso-issued YubiKeys only)", "custom",
                       ["temporaryAccessPassOneTime", "windowsHelloForBusiness", "fido2",
                        "x509CertificateMultiFactor"],
                       [{"@odata.type": "#microsoft.graph.fido2CombinationConfiguration",
                         "id": gid("authentication-strength/tap-or-phishing-resistant/fido2"),
                         "appliesToCombinations": ["fido2"],
                         "allowedAAGUIDs": [YUBIKEY_5_SERIES, YUBIKEY_5_NFC]}],
                       created=t("2025-06-10T08:42:19", True), modified=t("2025-06-10T08:42:19", True)),
}

# ---------------------------------------------------------------------------------------------------------------
# Conditional Access policies
POLICIES, P = [], {}
BG = [U["bg-01"], U["bg-02"]]
EXCL = [G["excl"]]
ADMIN_ROLES = [role(k) for k in ["GA", "SecAdmin", "SharePoint", "Exchange", "CAAdmin", "Helpdesk", "Billing",
                                 "UserAdmin", "AuthAdmin", "AppAdmin", "PAA", "PRA", "Intune"]]
TOP_ROLES = [role(k) for k in ["GA", "PRA", "PAA", "SecAdmin", "CAAdmin", "Exchange", "SharePoint", "UserAdmin"]]


def users(include_users=(), exclude_users=(), include_groups=(), exclude_groups=(), include_roles=(),
          exclude_roles=(), include_guests=None, exclude_guests=None):
    return {"includeUsers": list(include_users), "excludeUsers": list(exclude_users),
            "includeGroups": list(include_groups), "excludeGroups": list(exclude_groups),
            "includeRoles": list(include_roles), "excludeRoles": list(exclude_roles),
            "includeGuestsOrExternalUsers": include_guests, "excludeGuestsOrExternalUsers": exclude_guests}


def apps(include=("All",), exclude=(), actions=()):
    return {"includeApplications": list(include), "excludeApplications": list(exclude),
            "includeUserActions": list(actions), "includeAuthenticationContextClassReferences": [],
            "applicationFilter": None}


def grant(pid, controls=(), operator="OR", terms=(), strength_key=None):
    return {"operator": operator, "builtInControls": list(controls), "customAuthenticationFactors": [],
            "termsOfUse": list(terms),
            "authenticationStrength@odata.context":
                f"{GRAPH}identity/conditionalAccess/policies('{pid}')/grantControls/authenticationStrength/$entity",
            "authenticationStrength": STRENGTHS[strength_key] if strength_key else None}


def session(frequency=None, persistent=None):
    return {"disableResilienceDefaults": None, "applicationEnforcedRestrictions": None, "cloudAppSecurity": None,
            "persistentBrowser": persistent, "signInFrequency": frequency}


EVERY_TIME = {"value": None, "type": None, "authenticationType": "primaryAndSecondaryAuthentication",
              "frequencyInterval": "everyTime", "isEnabled": True}


def policy(key, name, state, created, modified, user_condition, *, applications=None, client_app_types=("all",),
           platforms=None, locations=None, devices=None, user_risk=(), sign_in_risk=(), grant_controls=None,
           session_controls=None):
    pid = gid("policy/" + key)
    P[key] = pid
    POLICIES.append({
        "id": pid,
        "templateId": None,
        "displayName": name,
        "createdDateTime": t(created, True),
        "modifiedDateTime": t(modified, True) if modified else None,
        "state": state,
        "sessionControls": session_controls,
        "conditions": {
            "userRiskLevels": list(user_risk),
            "signInRiskLevels": list(sign_in_risk),
            "clientAppTypes": list(client_app_types),
            "servicePrincipalRiskLevels": [],
            "insiderRiskLevels": None,
            "platforms": platforms,
            "locations": locations,
            "devices": devices,
            "clientApplications": None,
            "authenticationFlows": None,
            "applications": applications or apps(),
            "users": user_condition,
        },
        "grantControls": grant_controls(pid) if callable(grant_controls) else grant_controls,
    })


ALL_GUEST_TYPES = ("internalGuest,b2bCollaborationGuest,b2bCollaborationMember,b2bDirectConnectUser,"
                   "otherExternalUser,serviceProvider")
ALL_EXTERNAL_TENANTS = {"@odata.type": "#microsoft.graph.conditionalAccessAllExternalTenants", "membershipKind": "all"}
TERMS_OF_USE = gid("terms-of-use/guest-acceptable-use")

# CA001: MFA for admins by role. Diego Siciliani was excluded "for a week" while his phone was replaced in
# September and never put back: an undeclared exclusion on a policy that applies to administrators (BG036).
policy("CA001", "CA001 - Admins - Require MFA", "enabled", "2019-05-06T10:30:12", "2026-09-08T16:04:51",
       users(include_roles=ADMIN_ROLES, exclude_users=BG + [U["diego"]], exclude_groups=EXCL),
       grant_controls=lambda pid: grant(pid, ["mfa"]))
# CA002: MFA for all users; service accounts (covered by CA011) and the sync account's role are excluded, both
# declared in breakglass.yml's allowedExclusions.
policy("CA002", "CA002 - All users - Require MFA", "enabled", "2020-02-03T09:12:40", "2025-02-11T15:44:02",
       users(include_users=["All"], exclude_users=BG, exclude_groups=EXCL + [G["svc"]],
             exclude_roles=[role("DirSync")]),
       grant_controls=lambda pid: grant(pid, ["mfa"]))
policy("CA003", "CA003 - All users - Block legacy authentication", "enabled", "2020-02-03T09:20:05",
       "2025-02-11T15:44:37",
       users(include_users=["All"], exclude_users=BG, exclude_groups=EXCL),
       client_app_types=["exchangeActiveSync", "other"], grant_controls=lambda pid: grant(pid, ["block"]))
policy("CA004", "CA004 - Guests - Require MFA", "enabled", "2021-04-12T13:40:22", "2025-02-11T15:45:10",
       users(exclude_users=BG, exclude_groups=EXCL,
             include_guests={"guestOrExternalUserTypes": ALL_GUEST_TYPES, "externalTenants": ALL_EXTERNAL_TENANTS}),
       grant_controls=lambda pid: grant(pid, ["mfa"]))
policy("CA005", "CA005 - All users - Require MFA for medium and high sign-in risk", "enabled",
       "2021-09-20T08:55:31", "2025-02-11T15:45:49",
       users(include_users=["All"], exclude_users=BG, exclude_groups=EXCL),
       sign_in_risk=["high", "medium"], grant_controls=lambda pid: grant(pid, ["mfa"]),
       session_controls=session(EVERY_TIME))
policy("CA006", "CA006 - All users - Require secure password change for high user risk", "enabled",
       "2021-09-20T09:02:14", "2025-02-11T15:46:20",
       users(include_users=["All"], exclude_users=BG, exclude_groups=EXCL),
       user_risk=["high"], grant_controls=lambda pid: grant(pid, ["mfa", "passwordChange"], operator="AND"),
       session_controls=session(EVERY_TIME))
policy("CA007", "CA007 - All users - Block access from blocked countries", "enabled", "2022-03-01T09:41:55",
       "2026-03-09T11:15:02",
       users(include_users=["All"], exclude_users=BG, exclude_groups=EXCL),
       locations={"includeLocations": [L["blocked-countries"]], "excludeLocations": []},
       grant_controls=lambda pid: grant(pid, ["block"]))
# CA008: the newer device policy. It relies on the exclusion group alone, and bg-02 is not in the group: bg-02 is
# included, and has no compliant or hybrid-joined device of its own (BG030, critical). Its drill on 29 October was
# run from a compliant laptop, so the drill passed and nobody noticed.
policy("CA008", "CA008 - All users - Require compliant or hybrid joined device", "enabled", "2026-09-30T14:22:08",
       "2026-10-06T09:03:47",
       users(include_users=["All"], exclude_groups=EXCL),
       grant_controls=lambda pid: grant(pid, ["compliantDevice", "domainJoinedDevice"]))
policy("CA009", "CA009 - Admins - Require phishing-resistant MFA", "enabled", "2024-04-15T10:18:33",
       "2025-02-11T15:47:01",
       users(include_roles=TOP_ROLES, exclude_users=BG, exclude_groups=EXCL),
       grant_controls=lambda pid: grant(pid, strength_key="phishing-resistant"))
policy("CA010", "CA010 - Admins - Sign-in frequency 4 hours, no persistent browser", "enabled",
       "2023-01-16T11:05:27", "2025-02-11T15:47:33",
       users(include_roles=ADMIN_ROLES, include_groups=[G["itadmins"]], exclude_users=BG, exclude_groups=EXCL),
       applications=apps(["MicrosoftAdminPortals"]),
       session_controls=session({"value": 4, "type": "hours",
                                 "authenticationType": "primaryAndSecondaryAuthentication",
                                 "frequencyInterval": "timeBased", "isEnabled": True},
                                {"mode": "never", "isEnabled": True}))
policy("CA011", "CA011 - Service accounts - Block access from outside Contoso networks", "enabled",
       "2022-01-24T14:30:49", "2025-05-05T07:20:13",
       users(include_groups=[G["svc"]], exclude_users=BG, exclude_groups=EXCL),
       locations={"includeLocations": ["All"], "excludeLocations": [L["hq"], L["munich"]]},
       grant_controls=lambda pid: grant(pid, ["block"]))
policy("CA012", "CA012 - Admins - Require privileged access workstation for admin portals", "enabled",
       "2025-08-18T09:35:16", "2025-08-25T12:01:44",
       users(include_roles=[role(k) for k in ["GA", "PRA", "PAA", "SecAdmin", "CAAdmin"]], exclude_users=BG,
             exclude_groups=EXCL),
       applications=apps(["MicrosoftAdminPortals"]),
       devices={"deviceFilter": {"mode": "include", "rule": 'device.extensionAttribute1 -ne "SAW"'}},
       grant_controls=lambda pid: grant(pid, ["block"]))
policy("CA013", "CA013 - Guests - Accept the partner terms of use", "enabled", "2023-05-22T15:12:09",
       "2025-02-11T15:48:16",
       users(include_users=["GuestsOrExternalUsers"], exclude_users=BG, exclude_groups=EXCL),
       applications=apps(["Office365"]),
       grant_controls=lambda pid: grant(pid, terms=[TERMS_OF_USE]))
# CA014: a report-only pilot created on 12 November without any exclusion: it applies to both emergency accounts
# (BG031); switched on, it would block them outside the office, exactly when they are needed.
policy("CA014", "CA014 - Admins - Block access from outside trusted locations (report-only pilot)",
       "enabledForReportingButNotEnforced", "2026-11-12T10:14:37", None,
       users(include_roles=TOP_ROLES),
       locations={"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]},
       grant_controls=lambda pid: grant(pid, ["block"]))
policy("CA015", "CA015 - All users - Register security info with TAP or phishing-resistant MFA off-site",
       "enabled", "2025-06-10T08:55:02", None,
       users(include_users=["All"], exclude_users=BG, exclude_groups=EXCL),
       applications=apps([], actions=["urn:user:registersecurityinfo"]),
       locations={"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]},
       grant_controls=lambda pid: grant(pid, strength_key="custom"))
# CA099: retired, disabled, never had exclusions: a disabled policy applies to nobody.
policy("CA099", "CA099 - Legacy - Require MFA outside trusted locations (retired, replaced by CA002)", "disabled",
       "2018-10-01T08:00:41", "2020-02-03T09:25:17",
       users(include_users=["All"]),
       locations={"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]},
       grant_controls=lambda pid: grant(pid, ["mfa"]))

# ---------------------------------------------------------------------------------------------------------------
# Authentication methods (both emergency accounts and a few administrators)
PASSWORD_METHOD = "28c10230-6103-485e-b985-444c60001490"


def credential_id(key):
    return base64.urlsafe_b64encode(hashlib.sha256(("fido2/" + key).encode()).digest()[:16]).decode().rstrip("=")


def thumbprint(key):
    return hashlib.sha1(("attestation/" + key).encode()).hexdigest()


def password(changed):
    return {"@odata.type": "#microsoft.graph.passwordAuthenticationMethod", "id": PASSWORD_METHOD,
            "password": None, "createdDateTime": changed}


def fido2(key, name, created, aaguid=YUBIKEY_5_NFC, model="YubiKey 5 NFC"):
    return {"@odata.type": "#microsoft.graph.fido2AuthenticationMethod", "id": credential_id(key),
            "displayName": name, "createdDateTime": created, "aaGuid": aaguid, "model": model,
            "attestationCertificates": [thumbprint(key)], "attestationLevel": "attested"}


def phone(number, kind="mobile"):
    ids = {"mobile": "3179e48a-750b-4051-897c-87b9720928f7", "alternateMobile": "b6332ec1-7057-4abe-9331-3d72feddfe41",
           "office": "e37fc753-ff3b-4958-9484-eaa9425c82bc"}
    return {"@odata.type": "#microsoft.graph.phoneAuthenticationMethod", "id": ids[kind], "phoneNumber": number,
            "phoneType": kind, "smsSignInState": "notAllowedByPolicy"}


def authenticator(key, device, created, version="6.8.17"):
    return {"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod", "id": gid("authenticator/" + key),
            "displayName": device, "deviceTag": "SoftwareTokenActivated", "phoneAppVersion": version,
            "createdDateTime": created}


def hello(key, device, created):
    return {"@odata.type": "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod",
            "id": gid("whfb/" + key), "displayName": device, "createdDateTime": created, "keyStrength": "normal"}


user_by_key = {k: next(u for u in USERS if u["id"] == v) for k, v in U.items()}
METHODS = {
    # Two keys, kept in two safes; nothing personal.
    "bg-01": [password(user_by_key["bg-01"]["lastPasswordChangeDateTime"]),
              fido2("bg-01/a", "bg-01 key A (safe 1, Redmond)", t("2024-03-18T10:31:52"), YUBIKEY_5_SERIES,
                    "YubiKey 5 Series with NFC"),
              fido2("bg-01/b", "bg-01 key B (safe 2, Munich)", t("2024-03-18T10:36:09"), YUBIKEY_5_SERIES,
                    "YubiKey 5 Series with NFC")],
    # One key, and the mobile number of the admin who used the account day to day (BG041).
    "bg-02": [password(user_by_key["bg-02"]["lastPasswordChangeDateTime"]),
              fido2("bg-02/a", "bg-02 key A (safe 1, Redmond)", t("2025-02-11T15:52:26")),
              phone("+1 4255550187")],
    "lidia": [password(user_by_key["lidia"]["lastPasswordChangeDateTime"]),
              authenticator("lidia", "iPhone 15 Pro", t("2023-03-02T08:14:37")),
              fido2("lidia/a", "YubiKey (desk)", t("2024-04-16T09:21:05")),
              hello("lidia", "CONTOSO-SAW-01", t("2025-08-19T07:55:12")),
              phone("+1 4255550111")],
    "alex": [password(user_by_key["alex"]["lastPasswordChangeDateTime"]),
             authenticator("alex", "Pixel 8", t("2022-11-07T10:02:48"), "6.2410.7184"),
             hello("alex", "CONTOSO-LT-0142", t("2025-01-20T08:40:33"))],
    "megan": [password(user_by_key["megan"]["lastPasswordChangeDateTime"]),
              authenticator("megan", "iPhone 14", t("2022-09-26T13:11:20")),
              fido2("megan/a", "YubiKey 5C NFC", t("2024-04-17T11:46:58")),
              hello("megan", "CONTOSO-SAW-02", t("2025-08-19T08:12:40"))],
    "grady": [password(user_by_key["grady"]["lastPasswordChangeDateTime"]),
              authenticator("grady", "Galaxy S23", t("2023-07-10T09:30:02"), "6.2410.7184"),
              phone("+1 4255550187")],
}

# ---------------------------------------------------------------------------------------------------------------
# Sign-ins (retention 30 days): bg-02's drill on 29 October, then four routine sign-ins and a mistyped password.
HQ_LOCATION = {"city": "Redmond", "state": "Washington", "countryOrRegion": "US",
               "geoCoordinates": {"altitude": None, "latitude": 47.67399, "longitude": -122.12151}}
AZURE_PORTAL = ("c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Azure Portal",
                "797f4846-ba00-4fd7-ba43-dac1f8f63013", "Windows Azure Service Management API")
M365_ADMIN = ("00000006-0000-0ff1-ce00-000000000000", "Microsoft Office 365 Portal",
              "00000006-0000-0ff1-ce00-000000000000", "Microsoft Office 365 Portal")
ENTRA_ADMIN = ("c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Azure Portal",
               "00000003-0000-0000-c000-000000000000", "Microsoft Graph")


def applied_policies(trusted_location=True):
    """CA results as Graph lists them for a bg-02 sign-in from a compliant laptop in the office."""
    results = []
    for p in POLICIES:
        result, enforced = "notApplied", []
        if p["state"] == "disabled":
            result = "notEnabled"
        elif p["state"] == "enabledForReportingButNotEnforced":
            result = "reportOnlyNotApplied" if trusted_location else "reportOnlyFailure"
        elif p["id"] == P["CA008"]:
            result, enforced = "success", ["RequireCompliantDevice", "RequireDomainJoinedDevice"]
        results.append({"id": p["id"], "displayName": p["displayName"], "enforcedGrantControls": enforced,
                        "enforcedSessionControls": [], "result": result})
    return results


def sign_in(key, when, app, ip, device, *, error=0):
    app_id, app_name, resource_id, resource_name = app
    ok = error == 0
    return {
        "id": gid(f"sign-in/{key}"),
        "createdDateTime": when,
        "userDisplayName": "Emergency Access 02",
        "userPrincipalName": UPN["bg-02"],
        "userId": U["bg-02"],
        "appId": app_id,
        "appDisplayName": app_name,
        "ipAddress": ip,
        "clientAppUsed": "Browser",
        "correlationId": gid(f"sign-in/{key}/correlation"),
        "conditionalAccessStatus": "success" if ok else "notApplied",
        "isInteractive": True,
        "riskDetail": "none",
        "riskLevelAggregated": "none",
        "riskLevelDuringSignIn": "none",
        "riskState": "none",
        "riskEventTypes": [],
        "riskEventTypes_v2": [],
        "resourceDisplayName": resource_name,
        "resourceId": resource_id,
        "status": ({"errorCode": 0, "failureReason": "Other.", "additionalDetails": None} if ok else
                   {"errorCode": error,
                    "failureReason": "Error validating credentials due to invalid username or password.",
                    "additionalDetails": "The user didn't enter the right credentials. It's expected to see some "
                                         "number of these errors in your logs due to users making mistakes."}),
        "deviceDetail": device,
        "location": HQ_LOCATION,
        "appliedConditionalAccessPolicies": applied_policies() if ok else [],
    }


def laptop(name, key):
    return {"deviceId": gid("device/" + key), "displayName": name, "operatingSystem": "Windows10",
            "browser": "Edge 142.0.0", "isCompliant": True, "isManaged": True, "trustType": "Azure AD joined"}


DRILL_LAPTOP = laptop("CONTOSO-LT-0117", "lidia-laptop")
GRADY_LAPTOP = laptop("CONTOSO-LT-0231", "grady-laptop")
sign_ins = sorted([
    sign_in("bg-02/drill-2026-10-29", t("2026-10-29T10:02:31"), AZURE_PORTAL, "203.0.113.10", DRILL_LAPTOP),
    sign_in("bg-02/2026-11-03", t("2026-11-03T08:14:55"), M365_ADMIN, "203.0.113.45", GRADY_LAPTOP),
    sign_in("bg-02/2026-11-05-failed", t("2026-11-05T07:58:10"), AZURE_PORTAL, "203.0.113.45", GRADY_LAPTOP,
            error=50126),
    sign_in("bg-02/2026-11-05", t("2026-11-05T07:58:52"), AZURE_PORTAL, "203.0.113.45", GRADY_LAPTOP),
    sign_in("bg-02/2026-11-10", t("2026-11-10T13:31:07"), ENTRA_ADMIN, "203.0.113.45", GRADY_LAPTOP),
    sign_in("bg-02/2026-11-16", t("2026-11-16T16:55:20"), AZURE_PORTAL, "203.0.113.45", GRADY_LAPTOP),
], key=lambda s: s["createdDateTime"], reverse=True)

# ---------------------------------------------------------------------------------------------------------------
# Directory audits (retention 30 days), filtered to the emergency accounts, their group and the policies


def actor(key, ip):
    return {"app": None, "user": {"id": U[key], "displayName": None, "userPrincipalName": UPN[key],
                                  "ipAddress": ip, "userType": None, "homeTenantId": None, "homeTenantName": None}}


def target_user(key, modified=()):
    return {"id": U[key], "displayName": None, "type": "User", "userPrincipalName": UPN[key],
            "groupType": None, "modifiedProperties": list(modified)}


def prop(name, old, new):
    return {"displayName": name, "oldValue": old, "newValue": new}


def audit(key, when, category, activity, service, operation, initiated, targets, details=(), reason=""):
    return {"id": f"Directory_{gid('audit/' + key).upper()}_{hashlib.md5(key.encode()).hexdigest()[:8].upper()}",
            "category": category, "correlationId": gid(f"audit/{key}/correlation"), "result": "success",
            "resultReason": reason, "activityDisplayName": activity, "activityDateTime": t(when, True),
            "loggedByService": service, "operationType": operation, "initiatedBy": initiated,
            "targetResources": targets, "additionalDetails": list(details)}


def group_target(key):
    return {"id": G[key], "displayName": None, "type": "Group", "userPrincipalName": None,
            "groupType": "azureAD", "modifiedProperties": []}


def policy_target(key, old, new):
    name = next(p["displayName"] for p in POLICIES if p["id"] == P[key])
    return {"id": P[key], "displayName": name, "type": "Policy", "userPrincipalName": None, "groupType": None,
            "modifiedProperties": [prop("ConditionalAccessPolicy", old, new)]}


user_agent = {"key": "User-Agent", "value": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                                             "(KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0"}
excl_name = "CA-Exclude-EmergencyAccess"
audits = sorted([
    audit("excl-add-scanner", "2026-10-22T15:41:09", "GroupManagement", "Add member to group", "Core Directory",
          "Assign", actor("alex", "203.0.113.52"),
          [target_user("svc-mfp-scan", [prop("Group.ObjectID", None, f'"{G["excl"]}"'),
                                        prop("Group.DisplayName", None, f'"{excl_name}"')]),
           group_target("excl")]),
    audit("bg-02-reset-after-drill", "2026-10-29T14:05:22", "UserManagement", "Reset password (by admin)",
          "Core Directory", "Update", actor("lidia", "203.0.113.10"), [target_user("bg-02")],
          [user_agent]),
    audit("bg-02-license", "2026-11-03T08:27:40", "UserManagement", "Change user license", "Core Directory",
          "Update", actor("bg-02", "203.0.113.45"), [target_user("bg-02", [
              prop("AssignedLicense", "[]", f'["[SkuName=SPE_E5, AccountId={TENANT}, SkuId={SPE_E5}, DisabledPlans=[]]"]')])]),
    audit("bg-02-register-phone", "2026-11-03T08:31:16", "UserManagement", "User registered security info",
          "Authentication Methods", "Add", actor("bg-02", "203.0.113.45"), [target_user("bg-02")],
          reason="User registered Mobile Phone SMS"),
    audit("ca014-add", "2026-11-12T10:14:37", "Policy", "Add conditional access policy", "Conditional Access",
          "Add", actor("henrietta", "203.0.113.61"),
          [policy_target("CA014", None, json.dumps({"displayName": next(p["displayName"] for p in POLICIES if p["id"] == P["CA014"]),
                                                     "state": "enabledForReportingButNotEnforced"}))]),
    audit("bg-02-reset-after-use", "2026-11-16T17:42:10", "UserManagement", "Reset password (by admin)",
          "Core Directory", "Update", actor("lidia", "203.0.113.10"), [target_user("bg-02")], [user_agent]),
], key=lambda a: a["activityDateTime"], reverse=True)

# ---------------------------------------------------------------------------------------------------------------
# Azure Monitor: diagnostic settings and alert rules (ARM shapes)
CATEGORIES = ["AuditLogs", "SignInLogs", "NonInteractiveUserSignInLogs", "ServicePrincipalSignInLogs",
              "ManagedIdentitySignInLogs", "ProvisioningLogs", "ADFSSignInLogs", "RiskyUsers", "UserRiskEvents"]


def logs(enabled):
    return [{"category": c, "categoryGroup": None, "enabled": c in enabled,
             "retentionPolicy": {"days": 0, "enabled": False}} for c in CATEGORIES]


STORAGE = (f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-security-ops/providers/Microsoft.Storage/"
           "storageAccounts/stcontosoauditarchive")
diagnostic_settings = {"value": [
    # To the Sentinel workspace: interactive sign-ins and audit logs, but not the non-interactive sign-ins (BG050).
    {"id": "/providers/microsoft.aadiam/diagnosticSettings/Sentinel", "type": None, "name": "Sentinel",
     "location": None, "kind": None, "tags": None, "identity": None,
     "properties": {"storageAccountId": None, "serviceBusRuleId": None, "workspaceId": WORKSPACE,
                    "eventHubAuthorizationRuleId": None, "eventHubName": None, "metrics": [],
                    "logs": logs({"AuditLogs", "SignInLogs", "RiskyUsers", "UserRiskEvents"})}},
    # Everything to an archive storage account, which no alert can query.
    {"id": "/providers/microsoft.aadiam/diagnosticSettings/archive-365d", "type": None, "name": "archive-365d",
     "location": None, "kind": None, "tags": None, "identity": None,
     "properties": {"storageAccountId": STORAGE, "serviceBusRuleId": None, "workspaceId": None,
                    "eventHubAuthorizationRuleId": None, "eventHubName": None, "metrics": [],
                    "logs": logs(set(CATEGORIES) - {"ADFSSignInLogs"})}},
]}

ACTION_GROUP = (f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-security-ops/providers/microsoft.insights/"
                "actiongroups/ag-secops-oncall")


def alert_rule(name, display, description, enabled, severity, query, created, modified):
    return {
        "id": f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-security-ops/providers/microsoft.insights/"
              f"scheduledqueryrules/{name}",
        "name": name, "type": "microsoft.insights/scheduledqueryrules", "location": "westus2", "tags": {},
        "kind": "LogAlert",
        "systemData": {"createdBy": UPN["megan"], "createdByType": "User", "createdAt": created,
                       "lastModifiedBy": UPN["megan"], "lastModifiedByType": "User", "lastModifiedAt": modified},
        "properties": {
            "createdWithApiVersion": "2023-12-01", "displayName": display, "description": description,
            "severity": severity, "enabled": enabled, "evaluationFrequency": "PT5M", "scopes": [WORKSPACE],
            "windowSize": "PT5M",
            "criteria": {"allOf": [{"query": query, "timeAggregation": "Count", "dimensions": [],
                                    "operator": "GreaterThan", "threshold": 0,
                                    "failingPeriods": {"numberOfEvaluationPeriods": 1, "minFailingPeriodsToAlert": 1}}]},
            "autoMitigate": False,
            "actions": {"actionGroups": [ACTION_GROUP], "customProperties": {}, "actionProperties": {}},
            "isWorkspaceAlertsStorageConfigured": False, "checkWorkspaceAlertsStorageConfigured": False,
            "skipQueryValidation": False,
        },
    }


alert_rules = {"value": [
    # Learn's UPN variant, written for bg-01 in 2024 and never extended to bg-02 (BG051: warn for bg-01, fail for bg-02).
    alert_rule("bg-01-signin", "Break glass account sign-in (bg-01)",
               "Alert on every sign-in of the emergency access account bg-01.", True, 0,
               "SigninLogs\n| project UserPrincipalName\n| where UserPrincipalName == \"bg-01@contoso.onmicrosoft.com\"",
               "2024-03-19T09:12:44.2210391Z", "2024-03-19T09:12:44.2210391Z"),
    # The better rule, by object id and including non-interactive sign-ins, was disabled in September as "noisy"
    # during the CA008 rollout, and never re-enabled: a disabled rule watches nothing.
    alert_rule("emergency-access-signin", "Emergency access accounts - any sign-in",
               "Every interactive or non-interactive sign-in of bg-01 or bg-02, matched by object id.", False, 0,
               "union isfuzzy=true SigninLogs, AADNonInteractiveUserSignInLogs\n"
               f"| where UserId in (\"{U['bg-01']}\", \"{U['bg-02']}\")\n"
               "| project TimeGenerated, Id, CorrelationId, UserId, UserPrincipalName, ResultType, "
               "ResultDescription, IPAddress, AppDisplayName",
               "2025-02-12T10:04:31.5520914Z", "2026-09-30T16:47:02.0931274Z"),
    alert_rule("ca-policy-changed", "Conditional Access policy changed",
               "A Conditional Access policy was added, updated or deleted.", True, 2,
               "AuditLogs\n| where OperationName in (\"Add conditional access policy\", "
               "\"Update conditional access policy\", \"Delete conditional access policy\")\n"
               "| project TimeGenerated, OperationName, InitiatedBy, TargetResources",
               "2023-01-16T11:30:09.7415520Z", "2023-01-16T11:30:09.7415520Z"),
]}

# ---------------------------------------------------------------------------------------------------------------
# Organization, domains, security defaults, manifest
organization = listing("organization", [{
    "id": TENANT, "deletedDateTime": None, "businessPhones": ["+1 425 555 0100"], "city": "Redmond",
    "country": None, "countryLetterCode": "US", "createdDateTime": "2017-06-02T09:35:12Z",
    "defaultUsageLocation": None, "displayName": "Contoso Ltd", "isMultipleDataLocationsForServicesEnabled": None,
    "marketingNotificationEmails": [], "onPremisesLastSyncDateTime": "2026-11-20T08:41:17Z",
    "onPremisesSyncEnabled": True, "partnerTenantType": None, "postalCode": "98052", "preferredLanguage": "en",
    "securityComplianceNotificationMails": ["secops@contoso.com"], "securityComplianceNotificationPhones": [],
    "state": "WA", "street": "One Contoso Way", "technicalNotificationMails": ["it-ops@contoso.com"],
    "tenantType": "AAD", "directorySizeQuota": {"used": 2184, "total": 300000}, "privacyProfile": None,
    "assignedPlans": [
        {"assignedDateTime": "2019-04-22T14:00:00Z", "capabilityStatus": "Enabled", "service": "exchange",
         "servicePlanId": "efb87545-963c-4e0d-99df-69c6916d9eb0"},
        {"assignedDateTime": "2019-04-22T14:00:00Z", "capabilityStatus": "Enabled", "service": "SharePoint",
         "servicePlanId": "5dbe027f-2339-4123-9542-606e4d348a72"},
        {"assignedDateTime": "2019-04-22T14:00:00Z", "capabilityStatus": "Enabled",
         "service": "MicrosoftCommunicationsOnline", "servicePlanId": "0feaeb32-d00e-4d66-bd5a-43b5b83db82c"},
        {"assignedDateTime": "2019-04-22T14:00:00Z", "capabilityStatus": "Enabled", "service": "AADPremiumService",
         "servicePlanId": "41781fb2-bc02-4b7c-bd55-b576c07bb09d"},
        {"assignedDateTime": "2021-09-20T08:00:00Z", "capabilityStatus": "Enabled", "service": "AADPremiumService",
         "servicePlanId": "eec0eb4f-6444-4f95-aba0-50c24d67f998"},
        {"assignedDateTime": "2019-04-22T14:00:00Z", "capabilityStatus": "Enabled", "service": "SCO",
         "servicePlanId": "c1ec4a95-1f05-45b3-a911-aa3fa01094f5"},
    ],
    "provisionedPlans": [
        {"capabilityStatus": "Enabled", "provisioningStatus": "Success", "service": "exchange"},
        {"capabilityStatus": "Enabled", "provisioningStatus": "Success", "service": "SharePoint"},
    ],
    "verifiedDomains": [
        {"capabilities": "Email, OfficeCommunicationsOnline", "isDefault": False, "isInitial": True,
         "name": INITIAL, "type": "Managed"},
        {"capabilities": "Email, OfficeCommunicationsOnline, Intune", "isDefault": True, "isInitial": False,
         "name": DEFAULT, "type": "Managed"},
        {"capabilities": "None", "isDefault": False, "isInitial": False, "name": FEDERATED, "type": "Federated"},
    ],
}])


def domain(name, auth, default, initial, root, services, validity):
    return {"authenticationType": auth, "availabilityStatus": None, "id": name, "isAdminManaged": True,
            "isDefault": default, "isInitial": initial, "isRoot": root, "isVerified": True,
            "supportedServices": services, "passwordNotificationWindowInDays": 14,
            "passwordValidityPeriodInDays": validity, "state": None}


domains = listing("domains", [
    domain(INITIAL, "Managed", False, True, True, ["Email", "OfficeCommunicationsOnline"], 2147483647),
    domain(DEFAULT, "Managed", True, False, True, ["Email", "OfficeCommunicationsOnline", "Intune"], 90),
    domain(FEDERATED, "Federated", False, False, False, [], 90),
])

security_defaults = {
    "@odata.context": GRAPH + "policies/identitySecurityDefaultsEnforcementPolicy/$entity",
    "id": "00000000-0000-0000-0000-000000000005",
    "displayName": "Security Defaults",
    "description": "Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When "
                   "enabled, these recommendations will be automatically enforced in your organization. "
                   "Administrators and users will be better protected from common identity related attacks.",
    "isEnabled": False,
}

# ---------------------------------------------------------------------------------------------------------------
# Who can take over or lock out the emergency accounts (issue 15): applications and their Microsoft Graph
# permissions, owners, administrative units, the authentication methods policy.
MICROSOFT_TENANT = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"
GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"
GRAPH_ROLES = {  # Microsoft Graph application permissions (app role ids as Microsoft publishes them)
    "RoleManagement.ReadWrite.Directory": "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8",
    "AppRoleAssignment.ReadWrite.All": "06b708a9-e830-4db3-a914-8e69da51d44f",
    "Application.ReadWrite.All": "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9",
    "UserAuthenticationMethod.ReadWrite.All": "50483e42-d915-4231-9639-7fdb7fd190e5",
    "Directory.ReadWrite.All": "19dbc75e-c2e2-444c-a770-ec69d8559fc7",
    "Group.ReadWrite.All": "62a82d76-70ea-41e2-9197-370581804d09",
    "GroupMember.ReadWrite.All": "dbaae8cf-10b5-4b86-a4a1-f871c94c6695",
    "Policy.ReadWrite.ConditionalAccess": "01c0a623-fc9b-48e9-b794-0756f8e8f067",
    "Policy.ReadWrite.AuthenticationMethod": "29c18626-4985-4dcd-85c0-193eef327366",
    "User.Read.All": "df021288-bdef-4463-88db-98f22de89214",
    "Application.Read.All": "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30",
}
SP, APP, APP_ID = {}, {}, {}


def service_principal(key, name, *, app_id=None, owner=TENANT, kind="Application", enabled=True, created=None):
    SP[key] = gid("sp/" + key)
    APP_ID[key] = app_id or gid("appId/" + key)
    return {"id": SP[key], "appId": APP_ID[key], "displayName": name, "servicePrincipalType": kind,
            "accountEnabled": enabled, "appOwnerOrganizationId": owner}


graph_service_principal = dict(service_principal("graph", "Microsoft Graph", app_id=GRAPH_APP_ID, owner=MICROSOFT_TENANT))
graph_service_principal["appRoles"] = [
    {"allowedMemberTypes": ["Application"], "description": f"Application permission {name}.", "displayName": name,
     "id": role_id, "isEnabled": True, "origin": "Application", "value": name}
    for name, role_id in GRAPH_ROLES.items()]
SERVICE_PRINCIPALS = [
    {k: v for k, v in graph_service_principal.items() if k != "appRoles"},
    service_principal("exchange", "Office 365 Exchange Online", app_id="00000002-0000-0ff1-ce00-000000000000",
                      owner=MICROSOFT_TENANT),
    # Provisions role assignments for the joiner/mover/leaver process: declared in breakglass.yml, owned by Lidia (GA).
    service_principal("identity-governance", "Contoso Identity Governance"),
    # A deployment pipeline's app, granted Application.ReadWrite.All "to create app registrations", owned by Diego
    # (Intune Administrator): whoever holds it adds a secret to Identity Governance and assigns itself any role.
    service_principal("ops-automation", "Contoso Ops Automation"),
    # A Conditional Access backup tool that can also restore (write) policies: a lock-out path.
    service_principal("ca-backup", "CA Policy Backup"),
    service_principal("hr-connector", "Contoso HR Connector"),
    service_principal("sentinel-mi", "mi-sentinel-playbooks", kind="ManagedIdentity", owner=None),
]
APPLICATIONS = []
for key, name in [("identity-governance", "Contoso Identity Governance"), ("ops-automation", "Contoso Ops Automation"),
                  ("ca-backup", "CA Policy Backup"), ("hr-connector", "Contoso HR Connector")]:
    APP[key] = gid("app/" + key)
    APPLICATIONS.append({"id": APP[key], "appId": APP_ID[key], "displayName": name})
GRANTS = [("identity-governance", "RoleManagement.ReadWrite.Directory", "2024-05-13T10:41:07"),
          ("ops-automation", "Application.ReadWrite.All", "2025-11-03T15:02:44"),
          ("ops-automation", "User.Read.All", "2025-11-03T15:02:44"),
          ("ca-backup", "Policy.ReadWrite.ConditionalAccess", "2023-10-02T08:12:19"),
          ("hr-connector", "User.Read.All", "2022-02-21T09:30:55")]
app_role_assignments = [
    {"id": b64guid(gid(f"grant/{key}/{perm}")) + "-grant", "appRoleId": GRAPH_ROLES[perm], "createdDateTime": t(when),
     "deletedDateTime": None, "principalDisplayName": next(s["displayName"] for s in SERVICE_PRINCIPALS if s["id"] == SP[key]),
     "principalId": SP[key], "principalType": "ServicePrincipal", "resourceDisplayName": "Microsoft Graph",
     "resourceId": SP["graph"]}
    for key, perm, when in GRANTS]
# Owners of what `breakglass snapshot` reads owners of: the service principals holding a Graph write permission and
# their registrations, the exclusion group and the groups policies exclude or roles are assigned to.
SP_OWNERS = {"identity-governance": [], "ops-automation": [user_member("diego")], "ca-backup": []}
APP_OWNERS = {"identity-governance": [user_member("lidia")], "ops-automation": [user_member("diego")],
              "ca-backup": [user_member("megan")]}
GROUP_OWNERS = {"excl": [user_member("henrietta")], "svc": [user_member("grady")], "helpdesk": [user_member("lidia")]}
# bg-01 was put in a restricted-management administrative unit in 2024; bg-02 never was (BG016).
AU = {"ea": gid("au/emergency-access"), "plant": gid("au/redmond-plant")}
administrative_units = [
    {"id": AU["ea"], "displayName": "Emergency access (restricted)", "description": "Break-glass accounts",
     "isMemberManagementRestricted": True, "membershipRule": None, "membershipRuleProcessingState": None,
     "membershipType": None, "visibility": "HiddenMembership"},
    {"id": AU["plant"], "displayName": "Redmond plant", "description": None, "isMemberManagementRestricted": None,
     "membershipRule": None, "membershipRuleProcessingState": None, "membershipType": None, "visibility": None},
]
AU_MEMBERS = {"ea": [user_member("bg-01")]}
authentication_methods_policy = {
    "@odata.context": GRAPH + "authenticationMethodsPolicy",
    "id": "authenticationMethodsPolicy", "displayName": "Authentication Methods Policy",
    "description": "The tenant-wide policy that controls which authentication methods are allowed in the tenant, "
                   "authentication method registration requirements, and self-service password reset settings",
    "lastModifiedDateTime": t("2026-06-02T11:20:37", True), "policyVersion": "1.5",
    "authenticationMethodConfigurations": [
        {"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", "id": "Fido2", "state": "enabled",
         "isSelfServiceRegistrationAllowed": True, "isAttestationEnforced": True,
         "keyRestrictions": {"isEnforced": False, "enforcementType": "block", "aaGuids": []},
         "includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": False}],
         "excludeTargets": []},
        {"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
         "id": "MicrosoftAuthenticator", "state": "enabled", "excludeTargets": [],
         "includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": False,
                             "authenticationMode": "any"}]},
        {"@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration", "id": "Sms", "state": "enabled",
         "excludeTargets": [], "includeTargets": [{"targetType": "group", "id": "all_users",
                                                   "isRegistrationRequired": False, "isUsableForSignIn": False}]},
        {"@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration",
         "id": "TemporaryAccessPass", "state": "enabled", "defaultLifetimeInMinutes": 60, "defaultLength": 8,
         "minimumLifetimeInMinutes": 60, "maximumLifetimeInMinutes": 480, "isUsableOnce": True,
         "excludeTargets": [], "includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": False}]},
        {"@odata.type": "#microsoft.graph.x509CertificateAuthenticationMethodConfiguration", "id": "X509Certificate",
         "state": "disabled", "excludeTargets": [], "includeTargets": [{"targetType": "group", "id": "all_users"}]},
        {"@odata.type": "#microsoft.graph.emailAuthenticationMethodConfiguration", "id": "Email", "state": "disabled",
         "allowExternalIdToUseEmailOtp": "default", "excludeTargets": [], "includeTargets": []},
    ]}

FILES = ["organization.json", "domains.json", "users.json", "groups.json", "group-members",
         "role-definitions.json", "role-assignments.json", "role-assignment-schedule-instances.json",
         "role-eligibility-schedules.json", "conditional-access-policies.json", "named-locations.json",
         "authentication-strengths.json", "security-defaults.json", "authentication-methods", "sign-ins.json",
         "directory-audits.json", "diagnostic-settings.json", "alert-rules.json", "service-principals.json",
         "graph-service-principal.json", "graph-app-role-assignments.json", "applications.json",
         "service-principal-owners", "application-owners", "group-owners", "administrative-units.json",
         "administrative-unit-members", "authentication-methods-policy.json"]
manifest = {"tenantId": TENANT, "cloud": "global", "capturedAt": iso(CAPTURED), "capturedBy": "breakglass demo",
            "files": {name: {"status": "ok"} for name in FILES}}

# ---------------------------------------------------------------------------------------------------------------
# Write
for sub in ["group-members", "authentication-methods", "group-owners", "service-principal-owners", "application-owners",
            "administrative-unit-members"]:
    shutil.rmtree(os.path.join(OUT, sub), ignore_errors=True)
write("manifest.json", manifest)
write("organization.json", organization)
write("domains.json", domains)
SELECT_USERS = ("id,displayName,userPrincipalName,userType,accountEnabled,onPremisesSyncEnabled,"
                "onPremisesImmutableId,passwordPolicies,lastPasswordChangeDateTime,createdDateTime,signInActivity,"
                "assignedLicenses")
write("users.json", listing(f"users({SELECT_USERS})", USERS))
SELECT_GROUPS = ("id,displayName,groupTypes,membershipRule,membershipRuleProcessingState,isAssignableToRole,"
                 "securityEnabled,onPremisesSyncEnabled")
write("groups.json", listing(f"groups({SELECT_GROUPS})", GROUPS))
for key, members in MEMBERS.items():
    write(f"group-members/{G[key]}.json", listing("directoryObjects(id)", members))
write("role-definitions.json", listing("roleManagement/directory/roleDefinitions", role_definitions))
write("role-assignments.json", listing("roleManagement/directory/roleAssignments", role_assignments))
write("role-assignment-schedule-instances.json",
      listing("roleManagement/directory/roleAssignmentScheduleInstances", schedule_instances))
write("role-eligibility-schedules.json", listing("roleManagement/directory/roleEligibilitySchedules", eligibility))
write("conditional-access-policies.json", listing("identity/conditionalAccess/policies", POLICIES))
write("named-locations.json", listing("identity/conditionalAccess/namedLocations", named_locations))
write("authentication-strengths.json", listing("policies/authenticationStrengthPolicies", list(STRENGTHS.values())))
write("security-defaults.json", security_defaults)
for key, methods in METHODS.items():
    write(f"authentication-methods/{U[key]}.json", listing(f"users('{U[key]}')/authentication/methods", methods))
write("sign-ins.json", listing("auditLogs/signIns", sign_ins))
write("directory-audits.json", listing("auditLogs/directoryAudits", audits))
write("diagnostic-settings.json", diagnostic_settings)
write("alert-rules.json", alert_rules)
SELECT_SPS = "id,appId,displayName,servicePrincipalType,accountEnabled,appOwnerOrganizationId"
write("service-principals.json", listing(f"servicePrincipals({SELECT_SPS})", SERVICE_PRINCIPALS))
write("graph-service-principal.json", dict({"@odata.context": GRAPH + "servicePrincipals(id,appId,displayName,appRoles)/$entity"},
                                          **graph_service_principal))
write("graph-app-role-assignments.json", listing(f"servicePrincipals('{SP['graph']}')/appRoleAssignedTo",
                                                 app_role_assignments))
write("applications.json", listing("applications(id,appId,displayName)", APPLICATIONS))
for key, owners in SP_OWNERS.items():
    write(f"service-principal-owners/{SP[key]}.json", listing("directoryObjects(id)", owners))
for key, owners in APP_OWNERS.items():
    write(f"application-owners/{APP[key]}.json", listing("directoryObjects(id)", owners))
owned_groups = {G["excl"], G["helpdesk"]} | {g for p in POLICIES for g in p["conditions"]["users"]["excludeGroups"]}
for group_id in sorted(owned_groups):
    key = next(k for k, v in G.items() if v == group_id)
    write(f"group-owners/{group_id}.json", listing("directoryObjects(id)", GROUP_OWNERS.get(key, [])))
write("administrative-units.json", listing("directory/administrativeUnits(id,displayName,isMemberManagementRestricted,membershipType)",
                                           administrative_units))
for key, members in AU_MEMBERS.items():
    write(f"administrative-unit-members/{AU[key]}.json", listing("directoryObjects(id)", members))
write("authentication-methods-policy.json", authentication_methods_policy)

# The ids a reader of breakglass.yml and README.md needs.
print(f"tenant            {TENANT}")
for key in ["bg-01", "bg-02", "diego", "svc-mfp-scan"]:
    print(f"user {key:<12} {U[key]}")
for key in ["excl", "svc", "itadmins", "helpdesk"]:
    print(f"group {key:<11} {G[key]}")
for key in ["identity-governance", "ops-automation", "ca-backup"]:
    print(f"appId {key:<19} {APP_ID[key]}")
for key, pid in P.items():
    print(f"policy {key:<10} {pid}")
