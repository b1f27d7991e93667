"""Lumen Data, the sample's fictional company: its clock, its systems' addresses, its people and its accounts, and how a
ticket's messages are written."""

from __future__ import annotations

from datetime import datetime, timezone

SEED = 20261120
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
START = datetime(2026, 2, 21, 0, 0, tzinfo=timezone.utc)  # nothing older than this (9 months before NOW)

SUPPORT_URL = "https://support.lumendata.example/agent/tickets/"
TRACKER_URL = "https://lumendata.atlassian.example/browse/"
HELP_URL = "https://help.lumendata.example/articles/"
CHAT_URL = "https://lumendata.slack.example/archives/"
CRM_URL = "https://lumendata.crm.example/accounts/"
ESC_URL = "https://lumendata.atlassian.example/browse/"

# --- people ------------------------------------------------------------------------------------

AGENTS = ["Priya Natarajan", "Marcus Webb", "Elena Sokolova", "Tom Okafor", "Jade Kim", "Luis Ortega"]
L2 = "Hannah Brooks"  # senior/technical support
SUPPORT_LEAD = "Gabriel Moss"  # support manager

# --- accounts ------------------------------------------------------------------------------------

SLA = {
    "Enterprise": ("Premium", 1, 8),
    "Business": ("Business", 4, 24),
    "Growth": ("Standard", 8, 48),
    "Starter": ("Basic", 24, 72),
}


def _account(aid, name, domains, plan, arr, renewal, owner, contacts, segment, reference=False, notes=None):
    tier, first, resolution = SLA[plan]
    return {
        "id": aid,
        "name": name,
        "domains": domains,
        "plan": plan,
        "arr": arr,
        "renewal_date": renewal,
        "sla_tier": tier,
        "sla_first_response_hours": first,
        "sla_resolution_hours": resolution,
        "owner": owner,
        "key_contacts": [
            {"name": n, "email": f"{n.split()[0].lower()}.{n.split()[-1].lower()}@{domains[0]}", "role": r}
            for n, r in contacts
        ],
        "reference_customer": reference,
        "segment": segment,
        "notes": notes,
        "url": CRM_URL + aid,
    }


ACCOUNTS = [
    # Enterprise: Premium SLA 1h first response / 8h resolution
    _account("acc-acme", "Acme Corp", ["acme.example", "acmecorp.example"], "Enterprise", 980000, "2027-01-15", "Dana Li",
             [("Bob Stone", "CTO"), ("Maria Chen", "Director of Data Engineering"), ("Kevin Park", "IT Administrator")],
             "Manufacturing", True,
             "Largest account by ARR. Reference customer (public case study, speaks at our user conference). "
             "Renewal negotiation for the 3-year term starts in December; QBRs with the CTO."),
    _account("acc-stratus", "Stratus Bancorp", ["stratusbancorp.example"], "Enterprise", 640000, "2027-06-30", "Raj Mehta",
             [("Helen Vance", "CIO"), ("Omar Reyes", "IAM Lead")],
             "Financial Services", True,
             "Regulated (SOX). Security reviews every contract year. Uses SSO + SCIM with Okta."),
    _account("acc-orrery", "Orrery Insurance", ["orrery-insurance.example"], "Enterprise", 560000, "2027-09-15", "Raj Mehta",
             [("Priscilla Wong", "Head of Data Platform"), ("Daniel Ibsen", "Security Architect")],
             "Insurance", False, "EU data residency in contract (eu-central-1)."),
    _account("acc-pinecrest", "Pinecrest Health", ["pinecresthealth.example"], "Enterprise", 410000, "2027-02-10", "Sofia Alvarez",
             [("Grace Holloway", "VP Operations"), ("Sam Patel", "Compliance Officer"), ("Lena Ortiz", "Analytics Manager")],
             "Healthcare", False, "HIPAA; BAA signed 2025. Renewal at risk: audit log requirement from their compliance team."),
    _account("acc-kestrel", "Kestrel Aerospace", ["kestrel-aero.example"], "Enterprise", 380000, "2027-03-20", "Dana Li",
             [("Ivan Petrov", "Engineering Manager"), ("Rosa Delgado", "Data Analyst")],
             "Aerospace", True, "Reference customer for the warehouse-sync launch."),
    _account("acc-harborline", "Harborline Logistics", ["harborline.example"], "Enterprise", 290000, "2026-12-31", "Chris Donovan",
             [("Frank Muller", "Head of BI"), ("Tasha Greene", "Operations Analyst")],
             "Logistics", False, "Renewal Dec 31; CSM flagged price sensitivity. Heavy user of CSV exports for carrier audits."),
    _account("acc-vellum", "Vellum Publishing", ["vellum-pub.example"], "Enterprise", 265000, "2027-04-01", "Sofia Alvarez",
             [("Nina Castellano", "Director of Audience Analytics"), ("Jacob Lindqvist", "IT Manager")],
             "Media", False, None),
    # Business: 4h / 24h
    _account("acc-cobalt", "Cobalt Ridge Manufacturing", ["cobaltridge.example"], "Business", 185000, "2027-03-01", "Dana Li",
             [("Greg Thompson", "Plant Analytics Lead"), ("Yuki Sato", "BI Developer")], "Manufacturing"),
    _account("acc-sablewood", "Sablewood Hotels", ["sablewood-hotels.example"], "Business", 160000, "2027-02-28", "Sofia Alvarez",
             [("Claire Dubois", "Revenue Manager"), ("Tomas Ferreira", "Web Lead")], "Hospitality", False,
             "Embeds dashboards in their owners' portal."),
    _account("acc-bluefin", "Bluefin Analytics", ["bluefin-analytics.example"], "Business", 145000, "2027-01-31", "Nora Feld",
             [("Aaron Blake", "CTO"), ("Mei Tanaka", "Data Engineer")], "Technology", False,
             "Builds client reporting on our /v2/query API."),
    _account("acc-larkspur", "Larkspur Education", ["larkspur-edu.example"], "Business", 120000, "2027-08-01", "Chris Donovan",
             [("Ben Okoro", "Data Manager"), ("Fiona Walsh", "IT Director")], "Education", False,
             "BigQuery sync for attendance and grades."),
    _account("acc-juniper", "Juniper Row Realty", ["juniperrow.example"], "Business", 110000, "2027-10-01", "Chris Donovan",
             [("Marcus Hale", "Director of Analytics"), ("Ava Brooks", "Analyst")], "Real Estate"),
    _account("acc-quarry", "Quarry Street Media", ["quarrystreet.example"], "Business", 92000, "2027-05-15", "Nora Feld",
             [("Lucy Adams", "Head of Insights")], "Media"),
    _account("acc-fennel", "Fennel & Co Foods", ["fennelco.example"], "Business", 88000, "2027-07-10", "Nora Feld",
             [("Paula Rinaldi", "Finance Systems Manager")], "Consumer Goods", False,
             "Downgraded from Enterprise to Business in September 2026 (budget cuts)."),
    # Growth: 8h / 48h
    _account("acc-parcelly", "Parcelly", ["parcelly.example"], "Growth", 56000, "2026-12-15", "Alicia Grant",
             [("Noor Haddad", "Platform Engineer"), ("Ethan Cole", "CTO")], "E-commerce", False,
             "Webhooks drive their shipment notifications."),
    _account("acc-mosaic", "Mosaic Labs", ["mosaiclabs.example"], "Growth", 48000, "2027-06-12", "Marco Bellini",
             [("Sara Lindholm", "Head of Data"), ("Ravi Kumar", "Backend Engineer")], "Technology"),
    _account("acc-wrenfinch", "Wren & Finch Legal", ["wrenfinch.example"], "Growth", 41000, "2027-03-15", "Marco Bellini",
             [("Oliver Wren", "Managing Partner"), ("Hattie Lam", "Legal Operations")], "Professional Services", False,
             "Moved from Business to Growth in October 2026."),
    _account("acc-greenlight", "Greenlight Clinics", ["greenlightclinics.example"], "Growth", 38000, "2027-05-01", "Alicia Grant",
             [("Melissa Tran", "Practice Analytics Lead")], "Healthcare"),
    _account("acc-otterly", "Otterly Pet Supplies", ["otterly.example"], "Growth", 32000, "2027-01-05", "Marco Bellini",
             [("Kyle Jensen", "E-commerce Analyst")], "Retail"),
    _account("acc-helix", "Helix Fitness", ["helixfitness.example"], "Growth", 29000, "2027-08-20", "Alicia Grant",
             [("Jordan Pike", "Marketing Operations")], "Fitness"),
    _account("acc-brightpath", "Brightpath Tutoring", ["brightpath.example"], "Growth", 24000, "2027-04-20", "Marco Bellini",
             [("Jenna Moore", "Operations Lead")], "Education"),
    _account("acc-tidewater", "Tidewater Brewing", ["tidewaterbrewing.example"], "Growth", 22000, "2027-09-30", "Alicia Grant",
             [("Dan Ferris", "Operations Manager")], "Food & Beverage"),
    # Starter: 24h / 72h (pooled CSM)
    _account("acc-cinder", "Cinder Apps", ["cinderapps.example"], "Starter", 9600, "2027-03-03", "Alicia Grant",
             [("Leo Marsh", "Lead Developer")], "Software"),
    _account("acc-ridgeback", "Ridgeback Consulting", ["ridgeback.example"], "Starter", 8400, "2027-10-31", "Marco Bellini",
             [("Simone Clarke", "Principal")], "Professional Services", False,
             "Downgraded from Growth to Starter on 2026-10-31."),
    _account("acc-dotwise", "Dotwise", ["dotwise.example"], "Starter", 7200, "2027-02-14", "Alicia Grant",
             [("Felix Braun", "Developer")], "Software"),
    _account("acc-quokka", "Quokka Games", ["quokkagames.example"], "Starter", 6000, "2027-04-11", "Marco Bellini",
             [("Tilly Nguyen", "Producer"), ("Max Ryder", "Developer")], "Gaming"),
    _account("acc-lumberjack", "Lumberjack Coffee", ["lumberjackcoffee.example"], "Starter", 5400, "2027-07-22", "Alicia Grant",
             [("Walt Berg", "Owner")], "Food & Beverage"),
    _account("acc-papercrane", "Papercrane Studio", ["papercrane.example"], "Starter", 4800, "2027-05-05", "Marco Bellini",
             [("Mina Oduya", "Founder")], "Design Agency"),
    _account("acc-littlefern", "Little Fern Bakery", ["littlefern.example"], "Starter", 3600, "2026-12-01", "Alicia Grant",
             [("Rosie Hart", "Owner")], "Food & Beverage"),
    _account("acc-moonbeam", "Moonbeam Yoga", ["moonbeamyoga.example"], "Starter", 3000, "2027-09-09", "Marco Bellini",
             [("Asha Devi", "Studio Manager")], "Wellness"),
]
ACC = {a["id"]: a for a in ACCOUNTS}

FIRST = ["Alex", "Jamie", "Morgan", "Taylor", "Chris", "Sam", "Robin", "Casey", "Jordan", "Drew", "Avery", "Riley",
         "Noah", "Emma", "Liam", "Olivia", "Mateo", "Sofia", "Arjun", "Aisha", "Chen", "Hana", "Ines", "Jonas",
         "Kofi", "Lars", "Mei", "Nadia", "Oscar", "Pia", "Quinn", "Rahul", "Sven", "Tara", "Uma", "Victor"]
LAST = ["Andersen", "Baker", "Carter", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Jansen", "Khan",
        "Lopez", "Morris", "Nakamura", "Olsen", "Perez", "Quist", "Rossi", "Schmidt", "Turner", "Usman", "Vogel",
        "Williams", "Young", "Zhang", "Bauer", "Costa", "Dimitrov", "Eriksen", "Farah"]


def t(s: str) -> datetime:
    """'2026-11-12 10:05' -> aware UTC datetime."""
    return datetime.strptime(s, "%Y-%m-%d %H:%M").replace(tzinfo=timezone.utc)


def iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def email(aid: str, person: str) -> str:
    parts = person.replace(".", "").split()
    return f"{parts[0].lower()}.{parts[-1].lower()}@{ACC[aid]['domains'][0]}"


# --- the underlying problems: tickets written out by hand ---------------------------------------
# Each ticket: key (local name, used for links), account, requester, subject, description, status,
# priority, created, tags, messages [(author, role, at, body, public)]. Role "customer" authors are
# the account's people, "agent" is support (public replies and private notes), "internal" is an
# engineer or CSM writing a private note, "system" is the helpdesk itself.


def C(author, at, body):
    return (author, "customer", at, body, True)


def A(author, at, body):
    return (author, "agent", at, body, True)


def N(author, at, body, role="agent"):
    return (author, role, at, body, False)


def S(at, body):
    return ("Helpdesk", "system", at, body, False)
