"""The authorization matrix: every URL pattern of the site × every persona (issue 15).

ONE ENTRY PER URL PATTERN NAME (``namespace:name``; an unnamed pattern by ``namespace:<route>``), in
``PAGES`` (or, for the admin, one per model in ``ADMIN_MODELS``).
tests/platform/test_authorization_matrix.py walks Django's URL resolver and fails, naming the line
to add, when a pattern has no entry here. To add a URL:

    "<namespace>:<name>": Entry("<a concrete path of it>", ok=<who gets the page>),

- ``path``: a concrete URL of the pattern. ``{application}``, ``{certification}``, ``{batch}``,
  ``{village}`` are replaced by an object of 汉滨区 (county_a's county) the test makes; any other id
  may not exist (then ``ok`` is empty: everyone gets 404, and the object-level rule is tested in the
  app's own tests).
- ``ok``: the personas whose GET is answered (2xx, or a 3xx that is not the login page). Every
  other signed-in persona must be refused — 403 or 404, and the refusal is in the security log —
  and the anonymous (and an API key on an HTML page) sent to the login page (API: 401/403).
- ``post``: what a POST with an empty body answers for the personas in ``ok``: ``"refused"`` (the
  default: a 4xx — the form's errors, 405 for a read-only page — or a 3xx to somewhere else when
  the page acts on a bare POST, like logging out), or ``"form"`` for the sign-in pages that answer
  their own form again with 200 as Django's do. Everyone else's POST is refused (4xx, or the login
  page for the anonymous). Never a 5xx, never a silent 200.
- ``api``: an API URL: the API client persona (a 汉滨区 key) is ``"api_client"`` in ``ok``.
- ``methods="POST"``: a URL that takes only POST: every GET is 405 (or a redirect), the POST of the
  personas in ``ok`` is answered (3xx or 4xx for the empty body), everyone else's refused.

A signed-in persona outside ``ok`` may also be sent to a login page that refuses it (the admin
sends a signed-in non-administrator to its login page, which answers 403).
"""

from __future__ import annotations

from dataclasses import dataclass

PERSONAS = ("anonymous", "api_client", "city_admin", "lead_officer", "co_officer", "county_a", "county_b",
            "town_officer", "leader", "auditor", "security_admin", "outsider")
SIGNED_IN = frozenset(PERSONAS) - {"anonymous", "api_client"}
PLAN_READERS = frozenset({"city_admin", "lead_officer", "co_officer", "county_a", "county_b", "town_officer", "leader"})
OFFICE = frozenset({"city_admin", "leader"})  # who sees every county and every department
COUNTY_A = frozenset({"city_admin", "leader", "county_a"})  # 汉滨区's objects and pages
ADMINS = frozenset({"city_admin", "auditor", "security_admin"})  # the admin site's three
API_READERS = PLAN_READERS | {"api_client"}
DEPARTMENTS = frozenset({"city_admin", "leader", "lead_officer", "co_officer"})  # task reporting
COUNTIES = frozenset({"county_a", "county_b"})
OFFICERS = frozenset({"lead_officer", "co_officer"})  # department officers
NOBODY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Entry:
    path: str
    ok: frozenset = NOBODY
    post: str = "refused"  # or "form"
    api: bool = False
    methods: str = "GET POST"
    note: str = ""


def E(path: str, ok=NOBODY, **kwargs) -> Entry:  # noqa: N802  (reads like a table row)
    return Entry(path, frozenset(ok), **kwargs)


PAGES: dict[str, Entry] = {
    # ---- the platform, sign-in
    "healthz": E("/healthz", ok=set(PERSONAS)),
    "set_language": E("/i18n/setlang/", ok=set(PERSONAS)),
    "accounts:login": E("/accounts/login/", ok=set(PERSONAS), post="form", note="a signed-in user is sent on (3xx)"),
    "accounts:logout": E("/accounts/logout/", ok=set(PERSONAS), methods="POST"),
    "accounts:password-change": E("/accounts/password/", ok=SIGNED_IN, post="form"),
    "accounts:otp-setup": E("/accounts/otp/setup/", ok=SIGNED_IN, post="form"),
    "accounts:otp-verify": E("/accounts/otp/verify/", ok=SIGNED_IN, post="form"),
    "accounts:session": E("/accounts/session/", ok=SIGNED_IN, post="form",
                          note="the idle warning: GET the seconds left, POST stay signed in (200 JSON)"),
    # ---- the plan, targets
    "plan:plan-current": E("/", ok=PLAN_READERS | {"auditor", "security_admin"},
                           note="the auditor is sent to the audit trail, the security administrator to the admin"),
    "plan:plan-detail": E("/plans/ankang-2022/", ok=PLAN_READERS),
    "plan:task-detail": E("/plans/ankang-2022/tasks/1/", ok=PLAN_READERS),
    "targets:target-list": E("/targets/", ok=PLAN_READERS),
    "targets:plan-target-list": E("/targets/ankang-2022/", ok=PLAN_READERS),
    "targets:target-detail": E("/targets/ankang-2022/registered_unemployment_rate/?basis=all", ok=PLAN_READERS),
    "targets:snapshot-sources": E("/targets/ankang-2022/registered_unemployment_rate/sources/610902000000/2024Q1/"),
    # ---- divisions, the registry
    "divisions:region-list": E("/regions/", ok=PLAN_READERS),
    "divisions:region-detail": E("/regions/610902000000/", ok=PLAN_READERS),
    "registry:list": E("/communities/", ok=PLAN_READERS),
    "registry:applications": E("/communities/applications/", ok=PLAN_READERS),
    "registry:application-new": E("/communities/applications/new/", ok={"city_admin", "county_a", "county_b"}),
    "registry:application": E("/communities/applications/{application}/", ok=COUNTY_A | {"town_officer"}),
    "registry:application-evidence": E("/communities/applications/evidence/999999/"),
    "registry:certification": E("/communities/certifications/{certification}/", ok=PLAN_READERS),
    "registry:progress": E("/communities/progress/", ok=PLAN_READERS),
    "registry:criteria": E("/communities/criteria/", ok=PLAN_READERS),
    "registry:community": E("/communities/{village}/", ok=PLAN_READERS),
    # ---- labour brands (task 11): every reader sees them; a county records its own
    "brands:list": E("/brands/", ok=PLAN_READERS, note="POST: a county officer or the city administrator"),
    "brands:brand": E("/brands/999999/", note="an existing brand: every reader; edited by its county"),
    # ---- the audit trail
    "audit:event-list": E("/audit/", ok={"auditor"}),
    # ---- reporting
    "my_work:home": E("/reports/my/", ok=SIGNED_IN - {"outsider"}, note="the security administrator is sent to the admin"),
    "reports:inbox": E("/reports/", ok={"city_admin", "leader", "county_a", "county_b"}),
    "reports:county-return": E("/reports/returns/610902000000/2024Q3/", ok=COUNTY_A),
    "reports:county-return-autosave": E("/reports/returns/610902000000/2024Q3/autosave/", ok={"county_a"},
                                         methods="POST", note="only the county's own officer saves its return"),
    "reports:task-board": E("/reports/tasks/", ok=DEPARTMENTS),
    "reports:timeliness": E("/reports/timeliness/", ok=PLAN_READERS - {"town_officer"}),
    "reports:notifications": E("/reports/notifications/", ok=SIGNED_IN),
    "reports:notification-settings": E("/reports/notifications/settings/", ok=SIGNED_IN),
    "reports:deliveries": E("/reports/deliveries/", ok={"city_admin"}),
    "reports:extensions": E("/reports/extensions/", ok={"city_admin", "lead_officer", "co_officer", "county_a",
                                                       "county_b"}),
    "reports:evidence": E("/reports/evidence/999999/"),
    "reports:instructions": E("/reports/instructions/", ok={"city_admin", "leader", "lead_officer", "co_officer",
                                                           "county_a", "county_b"}),
    "reports:instruction": E("/reports/instructions/999999/", note="per instruction: tests/reports/test_instruction_loop.py"),
    "reports:task-report": E("/reports/tasks/1/2024Q3/", ok=DEPARTMENTS),
    "reports:task-report-autosave": E("/reports/tasks/1/2024Q3/autosave/", ok=OFFICERS, methods="POST",
                                      note="the lead saves its report, a co-responsible unit its part"),
    # ---- imports
    "imports:communities": E("/imports/communities/", ok=COUNTIES | {"city_admin"}, note="each county its own"),
    "imports:brands": E("/imports/brands/", ok=COUNTIES, note="each county its own labour brands"),
    "imports:return": E("/imports/returns/610902000000/2024Q3/", ok={"county_a"}),
    "imports:applications": E("/imports/applications/municipal/", ok=COUNTIES, note="each county its own"),
    "imports:task-reports": E("/imports/task-reports/2024Q3/", ok=OFFICERS, note="each department its own"),
    "imports:return-template": E("/imports/templates/returns/610902000000/2024Q3/", ok={"county_a"}),
    "imports:task-report-template": E("/imports/templates/task-reports/2024Q3/", ok=OFFICERS),
    "imports:task-report-template-one": E("/imports/templates/task-reports/2024Q3/1/", ok=OFFICERS),
    "imports:batch": E("/imports/{batch}/", ok={"city_admin", "county_a"}),
    "imports:confirm": E("/imports/{batch}/confirm/", ok={"county_a"}, methods="POST",
                         note="a failed batch: the POST is answered with the batch page again (3xx)"),
    "imports:progress": E("/imports/{batch}/progress.json", ok={"city_admin", "county_a"}),
    "imports:file": E("/imports/{batch}/file/", note="the batch keeps no file: 404 for all; kept files in tests/imports"),
    "imports:sample": E("/imports/samples/no-such-sample/"),
    "imports:plan": E("/imports/plan/", ok={"city_admin"}),
    "imports:plan-template": E("/imports/templates/plan/", ok={"city_admin"}),
    # ---- dashboards, packs
    "dashboards:overview": E("/dashboards/", ok=PLAN_READERS),
    "dashboards:target": E("/dashboards/targets/registered_unemployment_rate/", ok=PLAN_READERS),
    "dashboards:county": E("/dashboards/counties/610902000000/", ok=PLAN_READERS - {"county_b", "town_officer"}),
    "dashboards:tasks": E("/dashboards/tasks/", ok=DEPARTMENTS),
    "dashboards:certification": E("/dashboards/certification/", ok=PLAN_READERS),
    "dashboards:rankings": E("/dashboards/rankings/", ok=PLAN_READERS),
    "dashboards:behind": E("/dashboards/behind/", ok=OFFICE),
    "packs:list": E("/packs/", ok=OFFICE),
    "assessments:page": E("/plans/ankang-2022/assessment/", ok=OFFICE),
    "assessments:version": E("/plans/ankang-2022/assessment/v999/", note="no such version: 404 for all; "
                             "tests/assessments for an issued one"),
    "assessments:download": E("/plans/ankang-2022/assessment/v999/docx/"),
    "annual:list": E("/assessments/annual/", ok=OFFICE),
    "annual:template": E("/assessments/annual/template/", note="no template uploaded: 404 for all; the office's "
                         "upload and download in tests/assessments/test_annual_assessment.py"),
    "annual:assessment": E("/assessments/annual/2025/", ok=OFFICE),
    "annual:version": E("/assessments/annual/2025/v999/", note="no such version: 404 for all; "
                        "tests/assessments/test_annual_assessment.py for one"),
    "annual:download": E("/assessments/annual/2025/v999/docx/"),
    "annual:scheme": E("/assessments/annual/2025/schemes/counties/", ok=OFFICE),
    "packs:download": E("/packs/999999/download/"),
    "packs:summary": E("/packs/999999/"),
    # ---- the API
    "v1:plan-list": E("/api/v1/plans/", ok=API_READERS, api=True),
    "v1:plan-detail": E("/api/v1/plans/ankang-2022/", ok=API_READERS, api=True),
    "v1:task-list": E("/api/v1/tasks/", ok=API_READERS, api=True),
    "v1:department-list": E("/api/v1/departments/", ok=API_READERS, api=True),
    "v1:region-list": E("/api/v1/regions/", ok=API_READERS, api=True),
    "v1:region-detail": E("/api/v1/regions/610902000000/", ok=API_READERS, api=True),
    "v1:indicator-list": E("/api/v1/indicators/", ok=API_READERS, api=True),
    "v1:target-list": E("/api/v1/targets/", ok=API_READERS, api=True),
    "v1:period-list": E("/api/v1/periods/", ok=API_READERS, api=True),
    "v1:snapshot-list": E("/api/v1/snapshots/", ok=API_READERS, api=True),
    "v1:task-report-list": E("/api/v1/task-reports/", ok=API_READERS, api=True),
    "v1:task-measure-list": E("/api/v1/task-measures/", ok=API_READERS, api=True),
    "v1:task-measure-figure-list": E("/api/v1/task-measure-figures/", ok=API_READERS, api=True),
    "v1:certification-list": E("/api/v1/certifications/", ok=API_READERS, api=True),
    "v1:return-list": E("/api/v1/returns/", ok=API_READERS, api=True),
    "v1:return-values": E("/api/v1/returns/2024Q3/values/", ok={"api_client"}, api=True, methods="POST"),
    "v1:return-submit": E("/api/v1/returns/2024Q3/submit/", ok={"api_client"}, api=True, methods="POST"),
    "v1:return-values-backfill": E("/api/v1/returns/values/", ok={"api_client"}, api=True, methods="POST"),
    "v1:value-list": E("/api/v1/values/", ok=API_READERS, api=True),
    # a department system's writes: the persona's key is a county's (refused); sessions need CSRF
    "v1:task-report-save": E("/api/v1/task-reports/2024Q3/1/", api=True, methods="POST",
                             note="department clients: tests/api/test_department_clients.py"),
    "v1:task-report-submit": E("/api/v1/task-reports/2024Q3/1/submit/", api=True, methods="POST"),
    "v1:task-part-save": E("/api/v1/task-report-parts/2024Q3/1/", api=True, methods="POST"),
    "v1:task-part-submit": E("/api/v1/task-report-parts/2024Q3/1/submit/", api=True, methods="POST"),
    # the schema and docs need a session or a key (API_DOCS_PUBLIC), whoever's: they hold no data
    "api:schema": E("/api/schema/", ok=SIGNED_IN | {"api_client"}, api=True),
    "api:docs": E("/api/docs/", ok=SIGNED_IN | {"api_client"}, api=True),
    "api:redoc": E("/api/redoc/", ok=SIGNED_IN | {"api_client"}, api=True),
    # ---- the admin site's own pages (its models are in ADMIN_MODELS)
    # (Django's admin answers a POST to its index, an app's list and its password form with the page)
    "admin:index": E("/admin/", ok=ADMINS, post="form"),
    "admin:login": E("/admin/login/", note="sends the anonymous to the platform's login, refuses the signed-in"),
    "admin:logout": E("/admin/logout/", ok=set(PERSONAS), methods="POST"),
    "admin:password_change": E("/admin/password_change/", ok=ADMINS, post="form"),
    "admin:password_change_done": E("/admin/password_change/done/", ok=ADMINS),
    "admin:autocomplete": E("/admin/autocomplete/", ok=NOBODY),
    "admin:jsi18n": E("/admin/jsi18n/", ok=ADMINS),
    "admin:view_on_site": E("/admin/r/1/1/", ok=NOBODY),
    "admin:<admin/(?P<url>.*)$>": E("/admin/no-such-page/", note="the admin's catch-all: 404, or its login"),
    "admin:app_list": E("/admin/accounts/", ok={"city_admin", "security_admin"}, post="form"),
}

# The admin: one entry per registered model (``app_label.model``), its changelist and its add page;
# every other URL of the model's admin (change, delete, history, password…) follows its entry.
# ``view``: who opens the list; ``add``: who opens the add page.
CITY_ADMIN = frozenset({"city_admin"})
EDITED = {"view": CITY_ADMIN, "add": CITY_ADMIN}  # plan data and reference data: the city administrator's
READ_ONLY = {"view": CITY_ADMIN, "add": NOBODY}  # records that change only through their workflow
SECURITY = {"view": frozenset({"security_admin"}), "add": NOBODY}  # lockouts, second-factor devices
ADMIN_MODELS: dict[str, dict[str, frozenset]] = {
    "accounts.user": {"view": frozenset({"city_admin", "security_admin"}), "add": CITY_ADMIN},
    "api.apiclient": EDITED,
    "api.webhook": EDITED,
    "api.webhookdelivery": READ_ONLY,
    "assessments.finalassessment": READ_ONLY,
    "assessments.annualassessment": READ_ONLY,
    "assessments.assessmentscheme": READ_ONLY,
    "assessments.documenttemplate": READ_ONLY,
    "brands.labourbrand": EDITED,
    "audit.auditevent": {"view": frozenset({"auditor"}), "add": NOBODY},
    "axes.accessattempt": SECURITY,
    "otp_totp.totpdevice": SECURITY,
    "communities.application": READ_ONLY,
    "communities.certification": READ_ONLY,
    "communities.criterion": EDITED,
    "communities.tier": EDITED,
    "divisions.communityprofile": EDITED,
    "divisions.region": EDITED,
    "imports.importbatch": READ_ONLY,
    "outbox.outboxmessage": READ_ONLY,
    "packs.reportpack": READ_ONLY,
    "reports.correction": READ_ONLY,
    "reports.countyreturn": READ_ONLY,
    "reports.evidence": READ_ONLY,
    "reports.extensionrequest": READ_ONLY,
    "reports.instruction": READ_ONLY,
    "reports.instructionunit": READ_ONLY,
    "reports.notification": READ_ONLY,
    "reports.notificationdelivery": READ_ONLY,
    "reports.notificationpreference": READ_ONLY,
    "reports.periodexception": EDITED,
    "reports.reportingperiod": EDITED,
    "reports.taskreport": READ_ONLY,
    "reports.taskreportpart": READ_ONLY,
    "targets.indicator": EDITED,
    "targets.indicatorvalue": READ_ONLY,
    "targets.quotaset": EDITED,
    "targets.rolluprun": READ_ONLY,
    "targets.snapshot": READ_ONLY,
    "targets.target": EDITED,
    "targets.yearlyallocation": EDITED,
    "tasks.department": EDITED,
    "tasks.departmentalias": EDITED,
    "tasks.plan": EDITED,
    "tasks.responsibility": EDITED,
    "tasks.section": EDITED,
    "tasks.task": EDITED,
    "tasks.taskmeasure": EDITED,
}
