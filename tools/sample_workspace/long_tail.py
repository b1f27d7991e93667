"""The long tail: one-off how-to and configuration tickets support resolved, drawn from templates with a seeded random."""

from __future__ import annotations

import random
from datetime import timedelta

from .company import ACCOUNTS, AGENTS, FIRST, LAST, NOW, START, A, C, N

# --- the long tail: one-off how-to and configuration tickets support resolved -------------------
# Each topic: variants (subject lines, the customer's text, support's answer; {placeholders} filled at random), the
# plans it applies to (None = all), and tags. The generator keeps every topic to at most two accounts
# in the last 30 days, so that no how-to question looks like a pattern of reports.

DASHBOARDS = ["Weekly KPIs", "Sales pipeline", "Marketing funnel", "Ops overview", "Churn cohort", "Revenue by region",
              "Inventory health", "Support SLA", "Product usage", "Executive summary", "Finance close", "Campaign ROI"]
IDPS = ["Okta", "Azure AD", "Google Workspace", "OneLogin", "JumpCloud"]
WAREHOUSES = ["Snowflake", "BigQuery", "Redshift", "Postgres", "Databricks"]


def V(subjects, body, answer):
    """One way a how-to question is asked: subject lines, the customer's text, support's answer."""
    return dict(s=subjects, b=body, a=answer)


TOPICS = [
    dict(key="invite", tags=["how-to", "users"], variants=[
        V(["How do I invite new users?", "Adding {n} colleagues to our workspace"],
          "We have {n} new people joining the analytics team. What's the quickest way to give them access?",
          "Go to Settings > Members > Invite, paste the email addresses and pick a role. Viewers can see dashboards but not edit them. Guide: 'Inviting users and assigning roles'."),
        V(["Bulk invite users from a CSV?", "Invite a list of users at once"],
          "Can I invite a list of {n} users at once instead of one by one?",
          "Yes: Settings > Members > Invite > Upload CSV (columns: email, role). Invitations expire after 7 days and can be resent from the same page."),
        V(["Invite a teammate as viewer only", "Give a colleague read-only access"],
          "How do I add a colleague so she can see the {dash} dashboard but not edit it?",
          "Invite her from Settings > Members > Invite with the 'Viewer' role; viewers are free and can't edit."),
    ]),
    dict(key="password", tags=["how-to", "login"], variants=[
        V(["Password reset email never arrives", "Reset email missing"],
          "I clicked 'Forgot password' three times and got nothing. Checked spam.",
          "Reset emails come from no-reply@lumendata.example; please allowlist it. If your workspace requires SSO, password reset is disabled and you sign in through your identity provider. See 'Password reset emails not arriving'."),
        V(["Forgot password link not working", "Reset link says expired"],
          "The reset link says expired as soon as I click it.",
          "Reset links expire after 30 minutes and only the newest one works. I've sent a fresh one; please use it within 30 minutes."),
    ]),
    dict(key="owner", tags=["how-to", "admin"], variants=[
        V(["Change the workspace owner", "Transfer ownership before admin leaves"],
          "Our admin is leaving on Friday; how do we make someone else the owner?",
          "The current owner can transfer ownership in Settings > Workspace > Owner before leaving."),
        V(["Our admin left the company", "Workspace owner no longer works here"],
          "The person who created our workspace left. How do we transfer ownership?",
          "Reply from a company address with written approval from another admin and we'll transfer it. Done for you now after verification; dashboards owned by the former admin were reassigned too."),
    ]),
    dict(key="apikey", tags=["how-to", "api-keys"], variants=[
        V(["How to rotate our API key without downtime", "API key rotation best practice"],
          "Our security policy requires rotating API keys every 90 days. How do we do it without breaking the nightly job?",
          "Create a second key (Settings > API keys > New key), deploy it, then revoke the old one; both work in between. Guide: 'Rotating API keys without downtime'."),
        V(["Create a read-only API key", "API key that can't change dashboards"],
          "Is it possible to create a key that can only read data, not change dashboards?",
          "Yes: when creating a key in Settings > API keys choose the 'read' scope."),
        V(["Can we have more than one API key?", "Separate keys for staging and production"],
          "We'd like separate keys for staging and production.",
          "You can have up to 10 keys per workspace, each with its own scope (read, write, admin). Create them under Settings > API keys."),
    ]),
    dict(key="schedule", tags=["how-to", "reports"], variants=[
        V(["Schedule a weekly report email", "Send the {dash} dashboard every Monday"],
          "How can I have the {dash} dashboard emailed every Monday at 8am to {n} people?",
          "Open the dashboard > Share > Schedule, pick the day, time and timezone, and add recipients. Guide: 'Scheduling reports and changing recipients'."),
        V(["How to change recipients of a scheduled report", "Add people to a scheduled report"],
          "We need to add two people to the recipients of our scheduled {dash} report.",
          "Recipients are edited under Share > Schedules on the dashboard; click the schedule and add them."),
        V(["Scheduled report in a different timezone"],
          "Can a schedule run in Europe/Berlin time while the workspace is in UTC?",
          "Yes: each schedule has its own timezone setting under Share > Schedules."),
    ]),
    dict(key="spam", tags=["configuration", "email", "reports"], variants=[
        V(["Scheduled report emails going to spam", "Our report emails land in junk"],
          "Our scheduled {dash} report ends up in everyone's junk folder since last week.",
          "Please ask your IT team to allowlist reports@lumendata.example (SPF/DKIM details in 'Scheduled report emails going to spam'), then use 'Send now' to test."),
        V(["Reports not arriving in Outlook", "Scheduled reports quarantined"],
          "Recipients at our company don't get the scheduled reports; IT says they are quarantined.",
          "Your mail gateway quarantined them as bulk mail. Allowlisting reports@lumendata.example fixes it; steps are in 'Scheduled report emails going to spam'."),
    ]),
    dict(key="embed", tags=["configuration", "embedding"], variants=[
        V(["Embedded dashboard says 'refused to connect'", "Can't embed dashboard in our intranet"],
          "We put the embed code on our intranet and the frame says 'app.lumendata.example refused to connect'.",
          "Add your site's domain under Settings > Embedding > Allowed domains; frames are refused from domains not on the list. Guide: 'Embedding dashboards: allowed domains and signed links'."),
        V(["Embedding on our customer portal", "Embed without a Lumen login"],
          "How do we embed the {dash} dashboard in our portal so users don't need a Lumen login?",
          "Use a signed embed link (Share > Embed > Signed) and add your portal's domain to Settings > Embedding > Allowed domains."),
    ]),
    dict(key="sso-setup", tags=["how-to", "sso"], plans=["Enterprise"], variants=[
        V(["Configure SAML SSO with {idp}", "SSO setup: which ACS URL?"],
          "We're moving to {idp}. What values do we need for the SAML app (ACS URL, entity ID)?",
          "ACS URL: https://app.lumendata.example/sso/saml/acs, Entity ID: https://app.lumendata.example/sso/{ws}. Upload the IdP metadata under Settings > Security > SSO, test with one user, then turn on 'Require SSO'."),
        V(["Enforce SSO for all users", "Make SSO mandatory"],
          "How do we make SSO mandatory for everyone except one break-glass admin?",
          "Turn on Settings > Security > SSO > Require SSO; owners keep a password login for break-glass access."),
    ]),
    dict(key="scim-setup", tags=["how-to", "scim"], plans=["Enterprise"], variants=[
        V(["SCIM provisioning with {idp}", "Auto-provision users from our IdP"],
          "We'd like users created and removed automatically from {idp}. Do you support SCIM?",
          "Yes: generate a SCIM token in Settings > Security > SCIM and add it to the Lumen app in your IdP. Guide: 'Setting up SCIM provisioning'."),
        V(["Group push to Lumen roles", "Map IdP groups to roles"],
          "How do we map {idp} groups to Lumen roles?",
          "Group mapping is in Settings > Security > SCIM > Group mapping; each IdP group maps to one Lumen role."),
    ]),
    dict(key="roles", tags=["how-to", "permissions"], variants=[
        V(["Custom role that can edit but not delete"],
          "We want analysts to edit dashboards but never delete them. Possible?",
          "Business and Enterprise plans have custom roles (Settings > Roles > New role) where you can untick 'Delete dashboards'."),
        V(["Restrict a user to one dashboard folder", "Contractor access to one folder"],
          "Can a contractor see only the {dash} folder?",
          "Folder-level permissions do this: share the folder with the contractor as Viewer and nothing else. Guide: 'Custom roles and folder permissions'."),
    ]),
    dict(key="warehouse", tags=["how-to", "integrations"], variants=[
        V(["Connect {wh} to Lumen", "Which permissions does the {wh} user need?"],
          "We're connecting {wh}. Which grants does the Lumen service user need, and which IPs should we allowlist?",
          "The service user needs USAGE on the schema and SELECT on the tables you sync; our egress IPs are listed in 'Connecting a data warehouse'."),
        V(["{wh} connection test fails", "permission denied on {wh} connection"],
          "The {wh} connection test says 'permission denied for schema analytics'.",
          "That error means the service user lacks USAGE on the schema. Once your DBA grants it, click Test connection again."),
    ]),
    dict(key="calc", tags=["how-to", "dashboards"], variants=[
        V(["Add a calculated field", "How to compute margin % in a chart"],
          "How do I add a field that is revenue minus cost divided by revenue?",
          "In the report builder use Fields > New calculated field, e.g. (revenue - cost) / revenue, formatted as %."),
        V(["Year-over-year comparison in a chart"],
          "Can a chart show this month versus the same month last year?",
          "Yes: on the chart choose Compare > Previous year."),
    ]),
    dict(key="billing-details", tags=["billing", "how-to"], variants=[
        V(["Update billing email", "Need invoices sent to AP"],
          "Please send invoices to ap@{domain} from now on.",
          "Done: billing contact updated; future invoices go to ap@{domain}. Admins can also change it in Settings > Billing."),
        V(["Add our VAT number to invoices"],
          "Our VAT ID is missing on the invoices; can you add it and reissue last month's?",
          "VAT ID added and last month's invoice reissued; it's in Settings > Billing > Invoices."),
    ]),
    dict(key="invoice-pdf", tags=["billing"], variants=[
        V(["Where can I download invoices?", "Copies of this year's invoices"],
          "Our accountant needs PDF copies of all invoices this year.",
          "All invoices are under Settings > Billing > Invoices (download as PDF)."),
        V(["Need a copy of the {month} invoice", "Receipt for our last payment"],
          "Can you send the {month} invoice again?",
          "Attached; it's also under Settings > Billing > Invoices."),
    ]),
    dict(key="seats", tags=["billing", "plans"], variants=[
        V(["Add {n} seats", "More editor seats"],
          "We need {n} more editor seats this quarter. How do we add them?",
          "Admins can add seats in Settings > Billing > Seats; it's prorated on the next invoice."),
        V(["Upgrade to the next plan", "How is pricing calculated for viewers?"],
          "What would it cost to move to the next plan, and do viewers count as seats?",
          "Your CSM will send a quote; viewers never count as seats."),
    ]),
    dict(key="remove-user", tags=["how-to", "users"], variants=[
        V(["Remove a user who left", "Deactivate a former employee"],
          "An employee left; how do we remove them and keep their dashboards?",
          "Settings > Members > ... > Remove. You'll be asked who should take over their dashboards and schedules; their personal API keys are revoked at the same time."),
        V(["What happens to schedules when a user is removed?"],
          "If we deactivate a user, do their scheduled reports stop?",
          "Schedules owned by a removed user move to the person you choose when removing them."),
    ]),
    dict(key="workspace-settings", tags=["how-to", "settings"], variants=[
        V(["Fiscal year starting in April"],
          "How do we set our fiscal year to start in April so quarters line up?",
          "Settings > Workspace > Region > Fiscal year start. Changes apply to all dashboards after a reload."),
        V(["Week starts on Monday?", "Change the first day of the week"],
          "Can the week start on Monday in date filters?",
          "Yes: Settings > Workspace > Region > Week starts on."),
    ]),
    dict(key="webhook-setup", tags=["how-to", "webhooks"], variants=[
        V(["How to verify webhook signatures", "Is this webhook really from Lumen?"],
          "How do we verify that a webhook really came from Lumen?",
          "Each delivery has an X-Lumen-Signature header: an HMAC-SHA256 of the raw body with your webhook secret. See 'Webhook delivery and retries'."),
        V(["Set up a webhook for report.completed", "Which webhook events exist?"],
          "Which events can we subscribe to, and how do retries work?",
          "Events: report.completed, export.ready, alert.triggered, sync.failed (Settings > Webhooks). Failed deliveries are retried with backoff for 24 hours."),
    ]),
    dict(key="sheets", tags=["how-to", "integrations"], variants=[
        V(["Send data to Google Sheets", "Sync a report to a spreadsheet"],
          "Can the {dash} table be pushed to a Google Sheet every morning?",
          "Use Share > Destinations > Google Sheets; it refreshes on the schedule you set."),
        V(["Google Sheets destination stopped updating"],
          "Our Google Sheets sync stopped updating after the person who connected it left.",
          "Reconnect the destination with a shared service account; I've walked your admin through it and the sheet updates again."),
    ]),
    dict(key="alerts", tags=["how-to", "alerts"], variants=[
        V(["Set up an alert when a metric drops", "Alert to Slack when orders fall"],
          "We'd like a Slack message if daily orders drop below {n}00.",
          "On any chart: ... > Create alert, set the condition and pick Slack or email. Alerts are checked on each data refresh."),
        V(["Threshold alert not firing"],
          "Our alert on the {dash} dashboard didn't fire yesterday although the value crossed the threshold.",
          "The alert was set to 'compare to previous day' rather than an absolute threshold; after switching it fires as expected."),
    ]),
    dict(key="guest", tags=["how-to", "sharing"], variants=[
        V(["Share a dashboard with an external partner", "Guest access for an agency"],
          "We want our agency to see the {dash} dashboard without giving them a full account.",
          "Use Share > Signed link (valid 30 days, renewable) or invite them as a free Viewer. Permanent public links aren't available; see 'Public dashboards without login'."),
        V(["Share link expired"],
          "A share link we sent a partner last month stopped working.",
          "Signed links expire after 30 days; I renewed it for another 30."),
    ]),
    dict(key="pagination", tags=["how-to", "api"], variants=[
        V(["API pagination for large results", "How to page through /v2/query results"],
          "Our query returns more than 50,000 rows. How do we page through them with the API?",
          "Pass the next_cursor from each response as the cursor parameter of the next call; pages hold up to 10,000 rows. See 'API pagination'."),
        V(["Max page size on the query API"],
          "What's the maximum page size on the query API?",
          "page_size can be up to 10,000; use cursors to continue."),
    ]),
    dict(key="twofa", tags=["how-to", "login"], variants=[
        V(["Lost my phone - 2FA reset", "New phone, no 2FA codes"],
          "I got a new phone and can't get my 2FA codes anymore.",
          "After verifying your identity with your workspace admin, I've reset your 2FA; you'll be asked to enrol again at next login."),
        V(["Enforce two-factor authentication"],
          "Can admins require 2FA for everyone?",
          "Yes: Settings > Security > Require two-factor authentication."),
    ]),
    dict(key="import-csv", tags=["how-to", "data"], variants=[
        V(["Upload a large CSV", "CSV upload fails over 100 MB"],
          "Our CSV is 240 MB and the upload fails. Is there a limit?",
          "File uploads are limited to 100 MB; load larger files into your warehouse or split them and append (Data > Upload > Append)."),
        V(["Import spreadsheet as a dataset"],
          "How do I turn an Excel file into a dataset?",
          "Upload it under Data > Upload (CSV or XLSX)."),
    ]),
    dict(key="refresh", tags=["how-to", "data"], variants=[
        V(["How often does data refresh?", "Manual refresh of a dataset"],
          "How often do dashboards pick up new data from our warehouse?",
          "Sync frequency is per connection (Data > Connections > Schedule); 'Sync now' refreshes on demand."),
        V(["Change sync frequency to every 15 minutes"],
          "Can we sync every 15 minutes instead of hourly?",
          "Every 15 minutes is available on Business and Enterprise; Starter and Growth sync hourly."),
    ]),
    dict(key="branding", tags=["how-to", "dashboards"], variants=[
        V(["Use our brand colours in charts", "Custom logo on shared dashboards"],
          "Can we set our brand palette and logo as the default for all charts?",
          "Settings > Workspace > Theme lets you set a custom palette and logo."),
        V(["Dark mode for dashboards?", "TV display mode"],
          "Is there a dark theme for the TV in our office?",
          "Yes: View > TV mode uses a dark theme and auto-refreshes."),
    ]),
    dict(key="soc2", tags=["compliance", "how-to"], variants=[
        V(["Request for SOC 2 report", "SOC 2 Type II report for vendor review"],
          "Our procurement team needs your SOC 2 Type II report for the vendor review.",
          "Our SOC 2 Type II report is in the Trust Portal (trust.lumendata.example) after accepting the NDA there. See 'Requesting Lumen's SOC 2 report'."),
        V(["Vendor questionnaire", "Do you have ISO 27001?"],
          "Please fill in our vendor questionnaire, and do you have ISO 27001?",
          "Yes, we're ISO 27001 certified. I've granted you Trust Portal access; the certificate and our CAIQ answers are there."),
    ]),
    dict(key="gdpr", tags=["how-to", "privacy"], variants=[
        V(["Delete a person's data (GDPR request)"],
          "We received a deletion request from one of our customers. How do we remove their rows from Lumen?",
          "Lumen stores what you sync; delete the rows at the source and run 'Sync now' with 'Remove deleted rows' enabled."),
        V(["Where is our data hosted?"],
          "Which region is our workspace hosted in?",
          "Your workspace region is shown in Settings > Workspace; it's fixed at creation."),
    ]),
]

FOLLOW_UPS = [
    ("Does that need an admin to do it?", "Yes, only admins can change that setting."),
    ("Can I undo it later?", "Yes, it can be reverted in the same place."),
    ("Tried it, but one user still doesn't see the change.", "They needed to log out and back in; it works now."),
    ("Does that work on our plan?", "Yes, that's available on your plan."),
    ("Is there a help article I can forward to my team?", "Yes, I've linked it above; it has screenshots."),
]


def build_long_tail(rng: random.Random, count: int) -> list[dict]:
    extra_people: dict[str, list[str]] = {}
    for a in ACCOUNTS:
        people = [c["name"] for c in a["key_contacts"]]
        for _ in range(rng.randint(2, 4)):
            people.append(f"{rng.choice(FIRST)} {rng.choice(LAST)}")
        extra_people[a["id"]] = people
    weights = {"Enterprise": 5, "Business": 4, "Growth": 3, "Starter": 2}
    recent_cut = NOW - timedelta(days=30)
    recent_accounts: dict[str, set[str]] = {}
    tickets = []
    span = (NOW - timedelta(days=1) - START).total_seconds()
    for i in range(count):
        topic = TOPICS[i % len(TOPICS)]
        pool = [a for a in ACCOUNTS if not topic.get("plans") or a["plan"] in topic["plans"]]
        acct = rng.choices(pool, weights=[weights[a["plan"]] for a in pool])[0]
        created = START + timedelta(seconds=rng.random() * span)
        created = created.replace(second=0, microsecond=0)
        if 8 > created.hour or created.hour > 19:  # most tickets arrive in working hours
            created = created.replace(hour=rng.randint(8, 18))
        if created >= recent_cut:
            seen = recent_accounts.setdefault(topic["key"], set())
            if acct["id"] not in seen and len(seen) >= 2:
                created -= timedelta(days=rng.randint(31, 120))  # keep how-to questions from looking like a pattern
                created = max(created, START + timedelta(days=rng.randint(1, 20), hours=9))
            else:
                seen.add(acct["id"])
        requester = rng.choice(extra_people[acct["id"]])
        fill = dict(n=rng.choice([3, 4, 5, 6, 8, 10, 12, 15]), dash=rng.choice(DASHBOARDS), idp=rng.choice(IDPS),
                    wh=rng.choice(WAREHOUSES), domain=acct["domains"][0], ws=acct["id"].removeprefix("acc-"),
                    month=created.strftime("%B"))
        variant = rng.choice(topic["variants"])
        subject = rng.choice(variant["s"]).format(**fill)
        body = variant["b"].format(**fill)
        agent = rng.choice(AGENTS)
        first_h = acct["sla_first_response_hours"]
        t1 = created + timedelta(minutes=rng.randint(10, int(first_h * 60 * 0.9) + 10))
        shape = rng.random()
        if shape < 0.06:  # the customer answered their own question
            body += " Edit: never mind, found it in the docs."
        msgs = [C(requester, created, body)]
        if shape < 0.06:
            status, updated = "closed", created
        else:
            msgs.append(A(agent, t1, variant["a"].format(**fill)))
            last = t1
            if shape < 0.35:
                last = t1 + timedelta(hours=rng.randint(1, 20))
                msgs.append(N(agent, t1 + timedelta(minutes=2), f"Macro: {topic['key']}. Linked help article sent."))
                msgs.append(C(requester, last, rng.choice(["Thanks, that worked!", "Perfect, all sorted.",
                                                            "Got it, thank you.", "That did the trick."])))
            elif shape < 0.60:
                q_at = t1 + timedelta(hours=rng.randint(1, 30))
                question, answer = rng.choice(FOLLOW_UPS)
                msgs.append(C(requester, q_at, question))
                last = q_at + timedelta(hours=rng.randint(1, int(acct["sla_first_response_hours"]) + 2))
                msgs.append(A(agent, last, answer))
                if rng.random() < 0.5:
                    last += timedelta(hours=rng.randint(1, 12))
                    msgs.append(C(requester, last, "Great, thanks for the help."))
            age = NOW - last
            if age < timedelta(days=4):
                status = "pending" if msgs[-1][1] == "agent" else "solved"
            else:
                status = "closed" if age > timedelta(days=30) else "solved"
            updated = last
        if updated > NOW - timedelta(hours=2):
            continue
        tickets.append(dict(key=f"lt-{i}", account=acct["id"], requester=requester, subject=subject, description=body,
                            status=status, priority=rng.choices(["low", "normal", "high"], weights=[5, 8, 1])[0],
                            created=created, tags=list(topic["tags"]), messages=msgs))
    return tickets
