"""The other systems' records about the problems: tracker items, chat threads, KB articles and past escalations."""

from __future__ import annotations

# --- project tracker ------------------------------------------------------------------------------
# (id, kind, title, description, status, status_category, priority, team, created, updated, linked ticket keys)

TRACKER = [
    ("ENG-2291", "bug", "Intermittent HTTP 500 on POST /v2/query under concurrent load",
     "Since query engine 2.14 (deployed 2026-11-09), ~2-6% of /v2/query calls return 500 Internal Server Error when a "
     "workspace runs 15+ concurrent queries. Logs: 'query planner timeout: pool exhausted'. Reproduced on ws_qa_17 with "
     "20 concurrent grouped queries. Reported by Acme Corp, Bluefin Analytics, Parcelly, Mosaic Labs.",
     "In Progress", "in_progress", "P1", "API Platform", "2026-11-12 14:05", "2026-11-19 17:30",
     ["api500-acme", "api500-acme-2", "api500-bluefin", "api500-parcelly", "api500-mosaic"]),
    ("ENG-2268", "task", "Resize query engine connection pool per workspace",
     "Follow-up from 2.14 rollout: connection pool is shared per node, not per workspace.",
     "In Progress", "in_progress", "P2", "API Platform", "2026-11-10 09:00", "2026-11-18 12:00", []),
    ("INC-88", "incident", "SSO login loop for SAML customers after auth-service 4.3",
     "Started 2026-11-18 13:30 UTC after auth-service 4.3. SAML assertions signed with a rotated IdP certificate fail "
     "with 'SAML response signature invalid' and users are redirected back to the IdP in a loop. All Enterprise "
     "workspaces with SSO whose IdP rotated its signing certificate (or publishes two) are affected. Rollback blocked by "
     "a schema migration; forward fix in ENG-2310. Admin break-glass password login works.",
     "Mitigating", "in_progress", "Sev1", "Identity", "2026-11-18 14:30", "2026-11-20 09:00",
     ["sso-acme", "sso-acme-2", "sso-stratus", "sso-pinecrest", "sso-orrery", "sso-kestrel", "sso-vellum"]),
    ("ENG-2310", "bug", "SAML validator only checks the first signing certificate in IdP metadata",
     "auth-service 4.3 replaced the metadata parser; it keeps only the first <KeyDescriptor use=\"signing\">. IdPs that "
     "publish old + new certificates during rollover, or whose uploaded certificate is second, fail validation.",
     "In Review", "in_progress", "P0", "Identity", "2026-11-18 17:00", "2026-11-20 10:15", ["sso-stratus"]),
    ("ENG-2302", "bug", "CSV export truncates at 10,000 rows",
     "Since the export-service migration on 2026-11-10, CSV exports stop at exactly 10,000 rows without an error: the "
     "new service doesn't follow the pagination cursor. Dashboards show the right totals. Not yet prioritised.",
     "To Do", "todo", "P2", "Data Platform", "2026-11-13 09:40", "2026-11-18 16:00",
     ["export-quarry", "export-harborline", "export-larkspur", "export-otterly"]),
    ("ENG-2284", "bug", "Webhook delivery latency p95 > 20 minutes",
     "Webhook dispatcher backlog since the queue migration on 2026-11-05: deliveries sit in 'queued' for 20-45 min. "
     "Scaling consumers helps only briefly.",
     "In Progress", "in_progress", "P2", "Integrations", "2026-11-06 12:00", "2026-11-19 15:00",
     ["webhook-parcelly", "webhook-cobalt", "webhook-helix", "webhook-sablewood", "webhook-quokka"]),
    ("ENG-1980", "bug", "'Browser default' timezone uses a stale offset after DST change",
     "Dashboards in workspaces with timezone 'Browser default' show times one hour off for a few weeks after a DST change. "
     "Workaround documented (set the workspace timezone explicitly).",
     "Backlog", "todo", "P4", "Dashboards", "2026-03-11 10:00", "2026-11-18 16:00",
     ["dst-tidewater", "dst-juniper", "dst-brightpath", "dst-dotwise"]),
    ("BILL-298", "feature_request", "Show card authorisation holds on the billing page",
     "Customers read authorisation holds as duplicate charges. Show pending holds next to captured payments.",
     "Backlog", "todo", "P3", "Billing", "2026-06-05 10:00", "2026-10-03 09:00",
     ["dup-mosaic", "dup-cinder"]),
    ("BILL-305", "bug", "Gateway timeout can capture a payment twice",
     "A timeout from the payment gateway followed by a retry captured twice (Greenlight, Tidewater). Support refunds "
     "the duplicate from the billing console; idempotency key fix scheduled.",
     "To Do", "todo", "P3", "Billing", "2026-08-05 09:00", "2026-10-03 09:30", ["dup-greenlight", "dup-tidewater"]),
    ("PROD-412", "feature_request", "Audit log: admin, permission and data-access events with export/API",
     "Enterprise customers need an audit log (who viewed, changed, shared; permission changes; logins) retained 12+ "
     "months, exportable and available via API. Requested by Stratus Bancorp (SOX), Orrery Insurance (ISO 27001), "
     "Pinecrest Health (HIPAA, renewal at risk), Acme Corp, Kestrel Aerospace. Not on the committed roadmap.",
     "Discovery", "todo", "High", "Product - Platform", "2026-08-20 16:00", "2026-11-18 10:00",
     ["audit-stratus", "audit-orrery", "audit-pinecrest", "audit-pinecrest-churn", "audit-acme", "audit-kestrel"]),
    ("SEC-77", "incident", "Reports served with another workspace's data",
     "Two customers (Vellum Publishing, Juniper Row Realty) saw report content belonging to another workspace when opening "
     "report links on 2026-11-19. Suspected CDN cache key change on 2026-11-19 14:00 (cache key no longer includes "
     "workspace id for /r/ report links). Under investigation.",
     "Investigating", "in_progress", "Sev1", "Security", "2026-11-19 17:00", "2026-11-20 08:30",
     ["xtenant-vellum", "xtenant-juniper"]),
    ("SEC-80", "task", "Personal API tokens survive SCIM deprovisioning",
     "Reported by Stratus Bancorp: a user deprovisioned via SCIM kept a working personal API token. Needs triage.",
     "Triage", "todo", "High", "Security", "2026-11-19 12:00", "2026-11-19 12:00", ["scim-stratus"]),
    ("SEC-71", "task", "Q3 penetration test remediation", "All findings of the Q3 external pen test closed.",
     "Done", "done", "P2", "Security", "2026-07-15 09:00", "2026-09-30 17:00", []),
    ("ENG-2250", "bug", "Report builder takes 40-70 s to open reports with 30+ widgets",
     "Builder loads every widget's query metadata serially. Viewing is unaffected.",
     "To Do", "todo", "P3", "Dashboards", "2026-10-22 12:00", "2026-11-11 15:10",
     ["slow-cobalt", "slow-sablewood", "slow-bluefin"]),
    ("ENG-2105", "bug", "Warehouse incremental sync fails with 'cursor out of range' after schema change",
     "Adding a column resets the cursor type. Fixed in release 2026.09.3.",
     "Done", "done", "P1", "Data Integrations", "2026-09-08 11:00", "2026-09-22 14:00",
     ["sync-larkspur-sep", "sync-quarry-sep", "sync-bluefin-sep"]),
    ("ENG-2318", "bug", "Regression: 'cursor out of range' sync failures are back for partitioned tables",
     "Same symptom as ENG-2105 since 2026-11-14 for tables with a new partition or column. Not yet triaged.",
     "Triage", "todo", "P2", "Data Integrations", "2026-11-19 10:30", "2026-11-19 10:30",
     ["sync-larkspur-nov", "sync-kestrel", "sync-juniper"]),
    ("ENG-2315", "bug", "PDF export renders charts blank when a custom colour palette is set",
     "Confirmed: PDF renderer ignores custom palettes and draws charts with transparent strokes. Repro: set a custom "
     "palette in Settings > Workspace > Theme, export any line chart dashboard to PDF. PNG export is unaffected.",
     "To Do", "todo", "P3", "Dashboards", "2026-11-16 15:00", "2026-11-20 07:50", ["pdf-papercrane", "pdf-acme"]),
    ("PROD-398", "feature_request", "Native Excel (.xlsx) export with formatting",
     "Requested by Quarry Street Media, Mosaic Labs (threatens to leave at renewal) and others.",
     "Backlog", "todo", "Medium", "Product - Analytics", "2026-07-14 11:00", "2026-11-09 12:10", ["excel-quarry", "excel-mosaic"]),
    ("PROD-405", "feature_request", "Public dashboards without login",
     "Several customers want permanent public links. Today: signed links (30 days) and signed embeds.",
     "Backlog", "todo", "Low", "Product - Analytics", "2026-05-20 10:00", "2026-10-14 13:10", ["sharing-quarry"]),
    ("PROD-406", "feature_request", "Enforce login on all shared links (workspace policy)",
     "Requested by Stratus Bancorp; conflicts with PROD-405.",
     "Backlog", "todo", "Medium", "Product - Analytics", "2026-10-02 12:10", "2026-10-02 12:10", ["sharing-stratus"]),
    ("PROD-407", "feature_request", "Remember dashboard filters per user between sessions",
     "Customers expect filters to persist and report the reset as a bug.",
     "Backlog", "todo", "Medium", "Product - Dashboards", "2026-08-11 11:10", "2026-10-20 10:10",
     ["filters-helix", "filters-juniper", "filters-brightpath"]),
    ("PROD-377", "feature_request", "Bulk invite users via CSV", "Shipped in 2026.05.", "Done", "done", "Medium",
     "Product - Platform", "2026-03-02 10:00", "2026-05-14 10:00", []),
    ("ENG-2199", "bug", "Webhook signature header casing breaks some verifiers", "Fixed in 2026.07.2.",
     "Done", "done", "P3", "Integrations", "2026-06-30 10:00", "2026-07-09 16:00", []),
    ("ENG-2240", "bug", "Scheduled reports sent twice on the last day of the month", "Fixed in 2026.10.1.",
     "Done", "done", "P3", "Dashboards", "2026-09-30 16:00", "2026-10-08 11:00", []),
    ("OPS-512", "task", "Rotate DKIM key for reports@lumendata.example", "Done; SPF/DKIM records in KB updated.",
     "Done", "done", "P3", "Infrastructure", "2026-04-01 09:00", "2026-04-03 12:00", []),
]

# --- chat ------------------------------------------------------------------------------------------
# (id, channel, topic, [(author, at, text)])

CHAT = [
    ("CH-1001", "#incidents", "INC-88 SSO login loop (SAML) after auth-service 4.3", [
        ("Luis Ortega", "2026-11-18 14:25", "Three Enterprise tickets in 10 minutes: SSO login loop, 'SAML response signature invalid'. Acme, Stratus, Pinecrest. Anything deployed?"),
        ("Wei Zhang", "2026-11-18 14:31", "auth-service 4.3 went out at 13:30. Declaring INC-88 Sev1. Looking."),
        ("Wei Zhang", "2026-11-18 16:50", "Root cause: new metadata parser keeps only the first signing cert. Anyone whose IdP rotated (or lists two certs) loops. Rollback blocked by a migration; forward fix ENG-2310."),
        ("Gabriel Moss", "2026-11-19 09:00", "Support: 7 tickets from 6 Enterprise accounts so far. Customer updates every 2h please. Acme's CTO and Stratus' CIO are asking for ETAs."),
        ("Wei Zhang", "2026-11-20 09:00", "Fix in review, canary this afternoon. Break-glass admin password login works as a stopgap."),
    ]),
    ("CH-1002", "#eng-api", "500s on /v2/query since 2.14", [
        ("Priya Natarajan", "2026-11-12 14:15", "Acme seeing ~3% HTTP 500 on POST /v2/query under concurrency. Repro on ws_qa_17 with 20 parallel queries. Filed ENG-2291."),
        ("Kenji Ito", "2026-11-12 16:40", "Planner pool exhausted ('query planner timeout: pool exhausted'). Started with 2.14. Working on per-workspace pools (ENG-2268)."),
        ("Tom Okafor", "2026-11-17 11:45", "Bluefin, Parcelly and Mosaic reporting the same now. 4 customers."),
        ("Kenji Ito", "2026-11-19 17:30", "Fix needs the pool refactor, ETA next week at the earliest."),
    ]),
    ("CH-1003", "#support-escalations", "Acme Corp: API 500s blocking month-end close", [
        ("Priya Natarajan", "2026-11-18 08:10", "Acme says retries no longer help, 6% failing, month-end close blocked. Open 6 days. Premium SLA is 8h resolution."),
        ("Dana Li", "2026-11-18 08:30", "Renewal kickoff with Bob Stone is 1 Dec ($980k). I need a fix date before then."),
        ("Gabriel Moss", "2026-11-18 09:00", "Let's put a proper brief together for engineering today."),
    ]),
    ("CH-1004", "#eng-data", "CSV export stops at 10k rows", [
        ("Elena Sokolova", "2026-11-13 09:35", "Quarry Street's CSV export has exactly 10,000 rows, dashboard says 48k. Since the export-service migration?"),
        ("Ana Costa", "2026-11-13 11:00", "Yep, new service doesn't follow the cursor. ENG-2302. Not scheduled yet; sprint is full."),
        ("Tom Okafor", "2026-11-18 16:40", "Harborline, Larkspur and Otterly this week too. Harborline needs it for a carrier audit by 1 Dec and renews 31 Dec."),
    ]),
    ("CH-1005", "#eng-platform", "Webhook dispatcher backlog", [
        ("Jade Kim", "2026-11-06 11:40", "Parcelly: webhooks 30-45 min late since yesterday."),
        ("Marta Vogel", "2026-11-06 13:00", "Queue migration yesterday; consumers can't keep up. Scaling out. ENG-2284."),
        ("Marta Vogel", "2026-11-15 10:00", "Scaling helped for a day. Needs a partitioned dispatcher; in progress."),
    ]),
    ("CH-1006", "#security-incidents", "SEC-77 report links showing another workspace's data", [
        ("Luis Ortega", "2026-11-19 16:57", "Vellum Publishing saw another company's report ('Occupancy & RevPAR - Q4') when opening their report link. Screenshot in the ticket. Paging security."),
        ("Irene Novak", "2026-11-19 17:05", "Ack. SEC-77 opened. Suspect the CDN cache-key change at 14:00. Purging /r/ cache now."),
        ("Jade Kim", "2026-11-19 18:33", "Second report: Juniper Row saw hotel occupancy numbers. Likely Sablewood's data."),
        ("Irene Novak", "2026-11-20 08:30", "Cache rule reverted 18:50 yesterday. Scoping who saw what from CDN logs; legal informed. No customer notification until scope is known."),
    ]),
    ("CH-1007", "#product-feedback", "Audit log requests (PROD-412)", [
        ("Marcus Webb", "2026-10-28 14:05", "Acme wants a year of dashboard change history for auditors. Adding to PROD-412 (Stratus, Orrery, Pinecrest already on it)."),
        ("Yara Haddad", "2026-10-29 10:00", "Audit log is in discovery, not committed for H1. Activity feed (30 days) is the current answer."),
        ("Sofia Alvarez", "2026-11-12 18:05", "Pinecrest says they won't renew on 10 Feb ($410k) without audit logs. They have a competitor lined up."),
    ]),
    ("CH-1008", "#cs-leadership", "Q4/Q1 renewals at risk", [
        ("Dana Li", "2026-11-16 09:00", "Acme ($980k, 15 Jan): healthy but watching the API 500s."),
        ("Chris Donovan", "2026-11-16 09:10", "Harborline ($290k, 31 Dec): price-sensitive; export bug is hurting."),
        ("Sofia Alvarez", "2026-11-16 09:20", "Pinecrest ($410k, 10 Feb): red; audit log requirement."),
    ]),
    ("CH-1009", "#support", "DST again: dashboards one hour off", [
        ("Jade Kim", "2026-11-03 11:05", "Brightpath reporting times one hour off after the clocks changed. Same as March?"),
        ("Priya Natarajan", "2026-11-03 11:10", "Yes, KB 'Dashboard times off by one hour after a daylight saving change': set the workspace timezone explicitly. Fixes it every time."),
    ]),
    ("CH-1010", "#billing", "Duplicate charges", [
        ("Priya Natarajan", "2026-08-04 15:10", "Greenlight's duplicate was a real double capture after a gateway timeout; refunded from the console. BILL-305."),
        ("Leah Brandt", "2026-08-04 15:30", "Most 'charged twice' reports are authorisation holds that drop off. If both captured, refund from the console; no need to involve billing engineering."),
    ]),
    ("CH-1011", "#eng-data", "cursor out of range is back", [
        ("Elena Sokolova", "2026-11-15 10:35", "Larkspur: 'SyncError: cursor out of range' again. ENG-2105 was closed in September (2026.09.3)."),
        ("Marcus Webb", "2026-11-18 11:05", "Kestrel too, partitioned table."),
        ("Luis Ortega", "2026-11-19 10:10", "Juniper Row as well. That's three. Opened ENG-2318."),
    ]),
    ("CH-1012", "#support", "Safari: embedded dashboards blank (Sablewood)", [
        ("Elena Sokolova", "2026-11-18 10:10", "Sablewood's embeds are blank only in Safari. Allowed domains are set, regenerated the secret, can't repro on our portal. Anyone know the embed cookie flow?"),
        ("Tom Okafor", "2026-11-18 10:30", "No idea, sorry. Hannah might."),
    ]),
    ("CH-1013", "#eng-dashboards", "PDF export blank charts", [
        ("Jade Kim", "2026-11-16 14:10", "PDF export draws blank line charts when a custom palette is set. Papercrane. ENG-2315."),
        ("Oskar Lind", "2026-11-16 15:20", "Confirmed in the renderer. Not scheduled yet."),
        ("Priya Natarajan", "2026-11-20 07:50", "Acme has it now on their board pack, due Monday."),
    ]),
    ("CH-1014", "#support", "429s after downgrades", [
        ("Marcus Webb", "2026-09-12 11:45", "Fennel's 429s: entitlements were stale after the plan change. Re-sync in the admin console fixed it."),
        ("Elena Sokolova", "2026-11-10 16:35", "Same for Wren & Finch. Added the re-sync step to 'API rate limits by plan'."),
    ]),
    ("CH-1015", "#security-incidents", "Removed user with working API token (Stratus)", [
        ("Luis Ortega", "2026-11-19 11:40", "Stratus: SCIM-deprovisioned contractor's personal API token still worked this morning. Token revoked. SEC-80."),
        ("Irene Novak", "2026-11-19 12:10", "Checking whether deprovisioning revokes tokens for every customer. Keep Stratus updated via their CSM."),
    ]),
]

# --- knowledge base ---------------------------------------------------------------------------------
# (id, kind, title, body, workaround, updated)

KB = [
    ("KB-101", "known_issue", "Dashboard times off by one hour after a daylight saving change",
     "Symptom: after clocks change (March/November), dashboards and hourly charts show times one hour off; affects workspaces "
     "whose timezone is set to 'Browser default'. Tracked in ENG-1980.",
     "Set the workspace timezone explicitly in Settings > Workspace > Region (e.g. America/New_York instead of 'Browser "
     "default'), then reload the dashboard. Scheduled reports pick it up on the next run.", "2026-11-03 11:00"),
    ("KB-102", "how_to", "Configuring SAML SSO with Okta",
     "Create a SAML app in Okta with ACS URL https://app.lumendata.example/sso/saml/acs and the entity ID shown in "
     "Settings > Security > SSO; upload the Okta metadata; test with one user; then enable 'Require SSO'. Enterprise plan.",
     None, "2026-05-02 10:00"),
    ("KB-103", "how_to", "Configuring SAML SSO with Azure AD (Entra ID)",
     "Add Lumen as an enterprise application, set identifier and reply URL, download the Federation Metadata XML and "
     "upload it in Settings > Security > SSO. Map the email claim to NameID.", None, "2026-05-02 10:00"),
    ("KB-104", "how_to", "Rotating your identity provider's signing certificate",
     "When your IdP rotates its SAML signing certificate, upload the new certificate (or re-import the metadata URL) in "
     "Settings > Security > SSO before the IdP switches. If users see 'SAML response signature invalid', the certificate "
     "on file doesn't match the one your IdP signs with.",
     "Upload the new IdP certificate or re-import the metadata URL under Settings > Security > SSO, then retry the login.",
     "2026-06-11 09:00"),
    ("KB-105", "how_to", "Inviting users and assigning roles",
     "Settings > Members > Invite: paste email addresses or upload a CSV (email, role). Roles: Owner, Admin, Editor, "
     "Analyst, Viewer. Viewers are free. Invitations expire after 7 days.", None, "2026-05-14 10:00"),
    ("KB-106", "how_to", "Rotating API keys without downtime",
     "Create a new key in Settings > API keys, deploy it, then revoke the old key; both keys work until revoked. Keys can be "
     "scoped to read, write or admin. If a key is exposed, revoke it immediately and contact support.", None,
     "2026-04-20 10:00"),
    ("KB-107", "doc", "API rate limits by plan",
     "Requests per minute per API key: Starter 10, Growth 30, Business 60, Enterprise 300. Exceeding the limit returns "
     "HTTP 429 Too Many Requests with a Retry-After header. After a plan change, limits follow the new plan.",
     "Honour Retry-After and batch small queries with POST /v2/query/batch (up to 20 queries per call). If 429s persist "
     "after a plan change, support re-syncs the plan entitlements (Admin console > Accounts > Re-sync plan). The API "
     "rate-limit add-on raises the limit on any plan.", "2026-11-10 16:40"),
    ("KB-108", "known_issue", "Duplicate charge on a card statement",
     "Customers sometimes see two charges for one invoice. Usually the second is a temporary authorisation hold; rarely "
     "a gateway timeout captures twice (BILL-305).",
     "Check Billing console > Payments. If only one payment is captured, tell the customer the hold is released by the "
     "bank within 5-7 business days. If two were captured, refund the duplicate from Billing console > Payments > Refund "
     "(arrives in 5-10 business days).", "2026-08-05 10:00"),
    ("KB-109", "limitation", "Audit logs are not available",
     "Lumen does not yet provide an audit log of logins, permission changes or data access (feature request PROD-412). "
     "The Activity feed records dashboard and report edits for 30 days.",
     "Use the Activity feed (Settings > Activity) for dashboard and report edits in the last 30 days; export it weekly via "
     "GET /v2/activity to keep a longer history. Login events are available from your identity provider.",
     "2026-10-29 10:30"),
    ("KB-110", "limitation", "Public dashboards without login",
     "Dashboards cannot be published publicly without authentication (PROD-405).",
     "Use a signed link (Share > Signed link, valid 30 days, renewable) or a signed embed on your own site, which shows "
     "the dashboard to anyone who can open that page without a Lumen login.", "2026-05-21 10:00"),
    ("KB-111", "how_to", "Embedding dashboards: allowed domains and signed links",
     "Frames are refused ('refused to connect') unless the embedding site's domain is listed under Settings > Embedding > "
     "Allowed domains. Signed embed links let portal users view without a Lumen account.",
     "Add the embedding site's domain (e.g. intranet.example.com) under Settings > Embedding > Allowed domains and reload "
     "the page.", "2026-07-01 10:00"),
    ("KB-112", "how_to", "Scheduled report emails going to spam",
     "Scheduled reports are sent from reports@lumendata.example with SPF and DKIM for lumendata.example (DKIM rotated "
     "April 2026, OPS-512).",
     "Ask the recipient's IT team to allowlist reports@lumendata.example (or the lumendata.example domain) in their mail "
     "gateway, then use 'Send now' on the schedule to test.", "2026-04-03 12:30"),
    ("KB-113", "limitation", "Export size limit: 1,000,000 rows per file",
     "A single CSV or XLSX export is capped at 1,000,000 rows (100 MB).",
     "For larger extracts use a scheduled warehouse export (Data > Destinations) or page through the API with cursors "
     "(up to 10,000 rows per page).", "2026-03-15 10:00"),
    ("KB-114", "doc", "Webhook delivery and retries",
     "Events: report.completed, export.ready, alert.triggered, sync.failed. Each delivery is signed (X-Lumen-Signature, "
     "HMAC-SHA256). Non-2xx responses are retried with exponential backoff for 24 hours. The delivery log is under "
     "Settings > Webhooks.", None, "2026-07-09 16:30"),
    ("KB-115", "doc", "Warehouse sync troubleshooting",
     "Common errors: 'permission denied for schema' (grant USAGE), 'connection timed out' (allowlist our IPs), "
     "'SyncError: cursor out of range' (bug after schema changes, fixed in 2026.09.3; contact support if you see it).",
     None, "2026-09-23 09:00"),
    ("KB-116", "how_to", "Requesting Lumen's SOC 2 report and security documentation",
     "Our SOC 2 Type II report, ISO 27001 certificate, pen test summary and standard questionnaires (CAIQ, SIG Lite) are "
     "in the Trust Portal at trust.lumendata.example after accepting the NDA.",
     "Send the customer the Trust Portal link; grant access from the portal admin if they can't request it themselves.",
     "2026-08-01 10:00"),
    ("KB-117", "how_to", "Password reset emails not arriving",
     "Reset emails come from no-reply@lumendata.example and links expire after 30 minutes. Workspaces that require SSO "
     "don't send password resets.",
     "Allowlist no-reply@lumendata.example; send a fresh link and use only the newest one; for SSO workspaces, sign in "
     "through the identity provider.", "2026-06-01 10:00"),
    ("KB-118", "how_to", "Setting up SCIM provisioning",
     "Generate a SCIM token in Settings > Security > SCIM and add it to the Lumen app in your IdP. Deprovisioning a user "
     "removes their workspace access and transfers their dashboards.", None, "2026-05-10 10:00"),
    ("KB-119", "doc", "API error codes",
     "400 invalid request, 401 bad or revoked key, 403 scope, 404 unknown dataset, 429 rate limit (see 'API rate limits "
     "by plan'), 500 Internal Server Error (unexpected error on our side; retry with backoff and send support the "
     "request_id if it persists).", None, "2026-04-20 10:00"),
    ("KB-120", "how_to", "Scheduling reports and changing recipients",
     "Dashboard > Share > Schedule: day, time, timezone, recipients, format (PDF, PNG, CSV).", None, "2026-03-20 10:00"),
    ("KB-121", "how_to", "Custom roles and folder permissions",
     "Business and Enterprise: Settings > Roles > New role. Folder permissions restrict users to specific folders.",
     None, "2026-04-02 10:00"),
]

# --- past escalations ---------------------------------------------------------------------------------
# (id, account, summary, target, severity, status, created, resolved, outcome)

ESCALATIONS = [
    ("ESC-101", "acc-acme", "API latency spike during Acme Corp quarter close", "engineering", "high", "resolved",
     "2026-03-31 08:00", "2026-04-01 18:00", "Query cache eviction bug fixed in 2026.04.1; Acme sent an RCA."),
    ("ESC-108", "acc-acme", "Acme Corp asked for a renewal price exception after the March outage", "leadership", "medium",
     "resolved", "2026-04-06 10:00", "2026-04-14 12:00", "VP Sales approved one month of service credit."),
    ("ESC-114", "acc-stratus", "SSO outage for Stratus Bancorp after their Okta migration", "engineering", "critical",
     "resolved", "2026-05-12 07:30", "2026-05-12 15:00", "Clock-skew tolerance raised; RCA shared with their CIO."),
    ("ESC-119", "acc-pinecrest", "Pinecrest Health questioned PHI in exported CSVs (BAA scope)", "security", "medium",
     "de_escalated", "2026-06-18 09:00", "2026-06-19 11:00", "Security confirmed no PHI leaves the workspace; answered from the BAA."),
    ("ESC-124", "acc-harborline", "Export timeouts on large shipment reports", "engineering", "high", "resolved",
     "2026-07-07 09:00", "2026-07-10 16:00", "Export worker memory raised; fixed."),
    ("ESC-131", "acc-larkspur", "Warehouse sync 'cursor out of range' for three customers", "engineering", "high", "resolved",
     "2026-09-11 10:00", "2026-09-22 15:00", "Fixed in 2026.09.3 (ENG-2105)."),
    ("ESC-137", "acc-vellum", "Slow dashboards at Vellum Publishing", "l2_support", "medium", "de_escalated",
     "2026-09-24 11:00", "2026-09-25 10:00", "A 220-widget dashboard; support split it into tabs. No bug."),
    ("ESC-142", "acc-orrery", "Orrery Insurance requested audit logs; churn risk flagged by CSM", "product", "medium",
     "de_escalated", "2026-10-01 09:00", "2026-10-08 10:00", "Added to PROD-412; customer accepted the Activity feed export for now."),
]
