"""Reading what happened, not which words were used.

The signal patterns in `signals.py` know the vocabulary of incidents ("outage", "500 errors"). Engineers at
other companies describe the same events in their own product's words: "a nurse saw a colleague's pay stub",
"the deactivated HR manager signed in and exported the census", "payouts went to a bank account the merchant
never added". This module reads those as concepts built from parts that carry across products:

- who acted or saw (the customer, another customer, a former user, an unknown party, someone posing as someone);
- on what (records, data, money, access, a job, a message) and whose (theirs, someone else's);
- with what effect (seen, changed, sent elsewhere, stuck, duplicated, wrong).

Each concept keeps the words it rests on as evidence. Negated statements ("no one else can see it") and
look-alikes that name an event without it happening ("SLA breach credits", "breach of contract",
"a security questionnaire") are read as such. Pure functions of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- building blocks -------------------------------------------------------------------------------------------
# Words for records and personal or business data, across kinds of product (a pay stub, a chart, a grade, an order).
_RECORD = (
    r"(?:records?|data|details|information|info|files?|documents?|reports?|dashboards?|accounts?|profiles?|history|"
    r"invoices?|orders?|receipts?|statements?|stubs?|pay ?stubs?|payslips?|salar(?:y|ies)|wages?|ssns?|social security numbers?|"
    r"charts?|notes?|results?|prescriptions?|appointments?|messages?|emails?|grades?|transcripts?|submissions?|"
    r"addresses?|phone numbers?|card (?:numbers?|details)|bank (?:details|digits|accounts?)|balances?|transactions?|routes?|stops?|"
    r"manifests?|deliveries|bookings?|claims?|payslips?|labels?|signatures?|gate codes?|"
    r"customers?|contacts?|leads?|shipments?|payouts?|exports?|census|roster|photos?|ids?|licen[cs]es?|tax forms?|w-?2s?|names?|tax ids?|"
    r"w-?8\w*|w-?9s?|1099s?|passports?|dates? of birth|birthdays?|recordings?|voicemails?|transcripts?|calls?|"
    r"essays?|papers?|assignments?|scans?|videos?|mrns?|dobs?|work orders?|screenings?|policies|quotes?|itinerar(?:y|ies)|reservations?)")
# Somebody who is not the person looking: another user, patient, student, company, tenant...
_PARTY = (
    r"(?:users?|customers?|clients?|patients?|students?|parents?|employees?|members?|merchants?|sellers?|buyers?|shoppers?|"
    r"drivers?|carriers?|shippers?|staff|colleagues?|co-?workers?|teammates?|persons?|people|tenants?|organi[sz]ations?|orgs?|"
    r"companies|company|accounts?|workspaces?|clinics?|practices?|schools?|districts?|stores?|shops?|teams?|families|family|"
    r"households?|candidates?|learners?|teachers?|doctors?|providers?|businesses|business|vendors?|partners?|importers?|exporters?|"
    r"consignees?|brokers?|suppliers?|agencies|agency|firms?|guests?|riders?|passengers?|subscribers?|applicants?|borrowers?|"
    r"policyholders?|residents?|dispatchers?|technicians?|contractors?|clients?|hauliers?|haulers?|fleets?|branches|branch|sites?|locations?|"
    r"landlords?|owners?|colleges?|universit(?:y|ies)|campus(?:es)?|hospitals?|children|child|kids?|boys?|girls?|sons?|daughters?|"
    r"classmates?|groups?|firms?|brands?|restaurants?|hotels?|insurers?|claimants?|travell?ers?|reps?|agents?|franchisees?|franchises?|donors?|"
    r"signers?|recipients?|subscribers?|properties|property|venues?|gyms?|chapters?|affiliates?)")
_OTHER = (r"(?:another|other|a different|different|someone else'?s?|somebody else'?s?|other people'?s?|a stranger'?s?|strangers'?|"
          r"the wrong|an unrelated|unrelated|a colleague'?s?|colleagues'?|a co-?worker'?s?|a classmate'?s?|classmates'?)")
_SEE = (r"(?:s[ae]e[ns]?|saw|seeing|views?|viewed|viewing|shown|shows?|showing|displays?|displayed|displaying|visible|"
        r"opens?|opened|opening|access(?:ed|es|ing)?|reads?|download(?:s|ed|ing)?|export(?:s|ed|ing)?|received|receives?|showed|surfaced|surfaces|brought up|came up|"
        r"got|gets|pull(?:s|ed|ing)?|appears?|appeared|appearing|returns?|returned|returning|lists?|listed|listing|"
        r"browse[ds]?|browsing|load(?:s|ed|ing)?|pops? up|popped up|show up|showed up|showing up|turns? up|turned up|"
        r"emailed|sent|texted|mailed|printed|get|getting|delivered|includ(?:es|ed|ing)|contains?|containing|went out|going out|attached)")
_GONE = (r"(?:former|departed|ex-?|deactivated|de-?activated|disabled|deleted|removed|revoked|terminated|offboarded|off-boarded|"
         r"suspended|deprovisioned|de-?provisioned|fired|laid off|let go|let (?:him|her|them) go|resigned|rolled|regenerated|retired|replaced|reset|quit|uninstalled|disconnected|unlinked|"
         r"closed|shut down|decommissioned|erased|purged|anonymi[sz]ed|took (?:[\w-]+ ){1,3}?off|taken off|"
         r"left the (?:company|firm|practice|school|district|team|org\w*)|"
         r"who left|that left|who quit|no longer (?:works?|employed|with|at|on|a member)|rotated|expired|cancell?ed)")
_ACT = (r"(?:open(?:s|ed|ing)?|sign(?:s|ed|ing)? (?:in|on)|log(?:s|ged|ging)? ?(?:in|on)|access(?:ed|es|ing)?|works?|worked|working|"
        r"export(?:s|ed|ing)?|download(?:s|ed|ing)?|view(?:s|ed|ing)?|s[ae]e[ns]?|saw|read(?:s|ing)?|pull(?:s|ed|ing)?|"
        r"call(?:s|ed|ing)?|use[sd]?|using|authenticat\w+|return(?:s|ed|ing)? data|accepted|opened|edit(?:s|ed|ing)?|"
        r"chang(?:e|es|ed|ing)|approv(?:e|es|ed|ing)|push(?:es|ed|ing)?|deploy(?:s|ed|ing)?|deploys|play(?:s|ed|ing)?|listen(?:s|ed|ing)?|"
        r"kick(?:s|ed|ing)? off|trigger(?:s|ed|ing)?|ran|runs?)")
_MONEY = (r"(?:payouts?|payments?|pay ?checks?|pay|paid|deposits?|direct deposits?|funds?|money|transfers?|refunds?|settlements?|"
          r"wages?|salar(?:y|ies)|remittances?|disbursements?|bank (?:accounts?|details|information|info)|routing (?:numbers?|details)|"
          r"iban|account numbers?|funding account|payout (?:account|method|details|destination)|payment (?:method|details)|"
          r"invoices?|billing (?:e-?mails?|contacts?|address(?:es)?)|cards? on file|(?:credit |debit )?cards?)")
_ELSEWHERE = (r"(?:never (?:added|set up|entered|created|authori[sz]ed|approved|requested|saw|recogni[sz]ed)|"
              r"(?:didn'?t|did not|don'?t|do not|doesn'?t|does not) (?:add(?! up)|set up|enter|create|authori[sz]e|approve|request|recogni[sz]e|own|know|make)|"
              r"(?:they|we|he|she|nobody|no one) (?:don'?t|doesn'?t|didn'?t|never) recogni[sz]e|unrecogni[sz]ed|unknown|unfamiliar|"
              r"not (?:theirs|ours|his|hers|their own|on file)|someone else'?s|a stranger'?s|without (?:their|anyone'?s|our|his|her|the owner'?s) "
              r"(?:action|knowledge|consent|approval|permission|request)|nobody (?:changed|touched|requested)|"
              r"no one (?:changed|touched|requested)|none of them (?:changed|touched|requested|made|added)|"
              r"(?:nobody|no one|none of (?:them|us))(?: \w+){0,4} (?:added|set up|entered|created|authori[sz]ed|requested|changed|made|recogni[sz]es?|owns?)|"
              r"(?:we|they|he|she|i) (?:didn'?t|did not|never) (?:do|make|request|authori[sz]e|approve|ask for) (?:this|that|it|the change|any change)|"
              r"(?:wasn'?t|weren'?t|was not|were not) (?:made|changed|requested|done) by (?:them|anyone|the (?:owner|customer|merchant|user)))")
_SECRET = (r"(?:api[ -]?keys?|secret(?: keys?)?|(?:access|auth|bearer|api|personal access|deploy|service account|oauth) tokens?|tokens?|credentials?|"
           r"passwords?|private keys?|signing (?:keys?|secrets?)|webhook secrets?|client secrets?|ssh keys?|live keys?|sk_live\w*)")
_PUBLIC_PLACE = (r"(?:public(?:ly)?|github|gitlab|bitbucket|pastebin|gist|(?:a |an |the )?forum|stack ?overflow|reddit|"
                 r"discord|twitter|social media|screenshot|youtube|video|blog|npm package|docker (?:hub|image)|app bundle|"
                 r"(?:javascript|js) bundle|page source|front-?end code|client-?side|open (?:repo|repository|bucket)|"
                 r"world-?readable|anyone can (?:read|see|download)|(?:posted|pasted|committed|pushed|published|shared) (?:it |them )?(?:on|to|in))")
_POSE = (r"(?:pos(?:ing|ed|es) as|pretend(?:ing|ed|s)? to be|claim(?:ing|ed|s)? to be|impersonat\w+|masquerad\w+|"
         r"(?:emailing|writing|calling|phoning|texting|messaging) (?:in )?as (?:their|the|our|its|a|an) (?:\w+ )?(?:ceo|cfo|cmo|cto|coo|owner|admin|administrator|director|manager|founder|president|principal|partner)\b|"
         r"passing (?:themselves|himself|herself) off as|fake (?:admin|owner|ceo|cfo|director|support|customer|account)|"
         r"spoof(?:ed|ing)?|look-?alike domain|social[- ]engineer\w*|phish\w*|the real (?:\w+ ){0,3}(?:called|emailed|wrote|says?|said|confirmed)|"
         r"the actual (?:\w+ ){0,3}(?:called|emailed|wrote|says?|said|confirmed)|(?:says?|said) (?:they|she|he) never (?:asked|requested|called|emailed))")

_IDENTIFIER = re.compile(r"\b(?:invoice|order|ticket|case|po|purchase order|account|id|number|no\.?|ref(?:erence)?|booking|shipment|"
                         r"tracking|awb|claim|batch|contract|sku|plate|flight|room|unit|item|part)\s*(?:#|no\.?|number)?\s*$", re.IGNORECASE)
# the word before a bare "twice" that makes it someone's tries rather than the product's doing
_OUR_TRIES = re.compile(r"(?:\b(?:re-\w+|re(?:pushed|sent|synced|ran|tried|started|booted|loaded|imported|uploaded|mapped|saved|connected|submitted|queued|processed|installed)|tried|asked|called|emailed|e-?mailed|checked|restarted|contacted|pinged|followed up|chased|wrote|phoned)\s+(?:[\w-]+\s+){0,3}?|"
                        r"\b(?:happened|occurred|seen|had|been|done|we|i|they|she|he)\s+(?:it\s+|them\s+)?)$",
                        re.IGNORECASE)
_WISH = re.compile(r"\b(?:wants?|wanted|would like|would rather|'d rather|'d like|prefers?|asks?|asking|expects?|should|need)\b[^.;]{0,40}$", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:no|not|never|nobody|no one|none|nothing|without|cannot|can'?t|couldn'?t|didn'?t|doesn'?t|don'?t|isn'?t|aren'?t|wasn'?t|weren'?t|neither|nor)\b",
                       re.IGNORECASE)
_CONTRAST = re.compile(r"\b(?:but|however|although|though|yet)\b|[.;!?]", re.IGNORECASE)

# Phrases that name an event without it happening to anyone: masked before the security concepts are read.
_LOOKALIKES = [
    r"\bsla (?:breach|violation)\w*(?: credits?)?\b", r"\bbreach(?:es|ed)? (?:of )?(?:the |our |their )?(?:sla|contract|agreement|terms|msa)\b",
    r"\b(?:security|vendor[- ]risk|compliance|privacy|infosec|due[- ]diligence) (?:questionnaires?|reviews?|assessments?|forms?|teams?|audits?|documentation|docs|packets?|surveys?)\b",
    r"\b(?:soc ?2|soc ?1|iso ?27001|hipaa|pci|gdpr|dpa|baa|pen(?:etration)?[- ]?test) (?:type (?:i|ii|1|2) )?(?:reports?|summar(?:y|ies)|letters?|attestations?|certificates?|certifications?|documents?|docs|agreements?|addendum|forms?|results)\b",
    r"\bsecurity deposits?\b", r"\bsecurity (?:settings?|page|tab|section|options?|features?)\b",
    r"\b(?:reset|change|update|forgot|forgotten) (?:(?:their|his|her|my|a|the|an) )?(?:\w+ )?passwords?\b",
    r"\b(?:password )?reset (?:e-?mails?|links?|messages?|codes?)\b",
    # a breach of something other than data: a lease, a contract's terms, a policy condition
    r"\b(?:lease|contract|contractual|policy|warranty|covenant|terms|agreement|condition)s? breach\w*\b|"
    r"\bbreach(?:es|ed)? of (?:the |a |an |our |their |its )?(?:\w+ )?(?:lease|contract|terms|agreement|policy|condition|warranty|covenant|duty|trust|sla)\b|"
    r"\bnotice of (?:\w+ )?breach\b|\b(?:temperature|threshold|limit|budget|geofence|sla) breach\w*\b",
    # a breach of a service level: "if we breach the 99.9% uptime commitment"
    r"\bbreach(?:es|ed|ing)? (?:of )?(?:the |our |their |a |its )?(?:\d+(?:\.\d+)?% )?(?:uptime|availability|service[- ]level|response[- ]time|resolution[- ]time)\b(?: (?:commitment|guarantee|target|sla|terms))?|"
    r"\b(?:uptime|availability|service[- ]level) (?:commitment|guarantee|target|sla) breach\w*\b",
]
_LOOKALIKE = re.compile("|".join(_LOOKALIKES), re.IGNORECASE)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# --- the concepts ----------------------------------------------------------------------------------------------
# (name, pattern, negation): False, a negation never undoes it (it is part of the concept: "never added");
# True, a negation shortly before it does ("no one else can see"); "span", also one inside it ("the departed admin
# can no longer sign in"). Security concepts first, then behaviour, business and breadth.
_CONCEPTS: list[tuple[str, re.Pattern[str], bool | str]] = [
    # a person sees or receives another person's or organisation's records
    ("others_data", _rx(rf"\b{_SEE}\b(?:\W+\w+){{0,6}}?\W+{_OTHER}\s+(?:\w+\s+){{0,2}}?(?:{_PARTY}|{_RECORD})\b"), True),
    ("others_data", _rx(rf"\b{_OTHER}\s+(?:\w+\s+){{0,2}}?{_PARTY}'?s?\s+(?:\w+\s+){{0,3}}?{_RECORD}\b(?:\W+\w+){{0,8}}?\W+{_SEE}\b"), True),
    ("others_data", _rx(rf"\b{_RECORD}\s+(?:of|from|for|belonging to)\s+{_OTHER}\s+(?:\w+\s+){{0,2}}?{_PARTY}\b"), True),
    ("others_data", _rx(rf"\b(?:into|in|on|to|under)\s+(?:the\s+)?(?:wrong|another|a different|someone else'?s|other)\s+(?:\w+\s+){{0,2}}?(?:{_PARTY}'?s?\s+)?(?:accounts?|portals?|inbox(?:es)?|dashboards?|profiles?|orgs?|workspaces?|tenants?|queues?|folders?|{_RECORD})\b"), True),
    ("others_data", _rx(rf"\b{_OTHER}\s+(?:{_PARTY}'?s?\s+)?(?:\w+\s+){{0,2}}?{_RECORD}\b.{{0,40}}\b(?:in|on|inside|within)\s+(?:their|his|her|our|its|the)\s+(?:own\s+)?(?:\w+\s+){{0,2}}?(?:accounts?|portals?|apps?|dashboards?|views?|inbox(?:es)?|exports?|reports?|screens?)\b"), True),
    ("others_data", _rx(rf"\b{_SEE}\b(?:\W+\w+){{0,6}}?\W+(?:of|from|belonging to|meant for|addressed to)\s+(?:a colleague|a classmate|a co-?worker|a stranger|someone else|somebody else|another (?:\w+ )?{_PARTY}|a different (?:\w+ )?{_PARTY})\b"), "span"),
    ("others_data", _rx(rf"\b{_SEE}\b(?:\W+\w+){{0,10}}?\W+(?:belonging to|(?:that|which) belongs? to|(?:that|which) belonged to|meant for|intended for|addressed to) (?!(?:them|him|her|us|their|his|our|its|itself|themselves)\b)"), "span"),
    ("others_data", _rx(rf"\b{_RECORD}\b(?:\W+\w+){{0,6}}?\W+(?:that |which |who )?(?:isn'?t|aren'?t|is not|are not|wasn'?t|weren'?t|not) (?:theirs|ours|his|hers|mine|their own|our own)\b"), True),
    ("others_data", _rx(r"\b(?:cross[- ]tenant|cross[- ]account|cross[- ]org\w*|tenant isolation|data isolation|idor)\b"), True),
    ("others_data", _rx(r"\bchang\w+ (?:the |a )?(?:\w+ )?(?:id|number) in (?:the |a )?(?:\w+ )?(?:url|link|address bar)\b"), True),
    # an account, session or key that should no longer work still does
    ("stale_access", _rx(rf"\b{_GONE}\b(?:\W+\w+){{0,16}}?\W+(?:still|again|later|afterwards|after that|since then|on the \d+\w*|the next day|yesterday|last (?:night|week))\b(?:\W+\w+){{0,4}}?\W+{_ACT}\b"), "span"),
    ("stale_access", _rx(rf"\b{_GONE}\b(?:\W+\w+){{0,8}}?\W+(?:is|are|was|were|has|have|had) still\b"), "span"),
    ("stale_access", _rx(rf"\b{_GONE}\b(?:\W+\w+){{0,24}}?\W+still\b(?:\W+\w+){{0,2}}?\W+(?!(?:shows?|showing|appears?|appearing|listed|visible|there|counts?|counted|billed|charged|in)\b)\w+(?:ing|s|ed)\b"), "span"),
    ("stale_access", _rx(rf"\b{_GONE}\b(?:\W+\w+){{0,18}}?\W+(?<!\bwe )(?<!\bi )(?<!\bsupport )(?:signed (?:in|on)|logged ?in|downloaded|exported|viewed|accessed|pulled|created|scanned|edited|approved|opened|used|synced|fetched|read|sent (?:them|us|her|him) (?:a |an |the )?\w+ (?:with|of|containing))\b"), "span"),
    ("stale_access", _rx(rf"\b(?:still|continues? to|kept|keeps) (?:\w+ )?{_ACT}\b(?:\W+\w+){{0,8}}?\W+(?:after|since|despite|though|although|even though) (?:\w+ ){{0,5}}?(?:being |was |were |been |we |they |it was )?{_GONE}\b"), "span"),
    ("stale_access", _rx(rf"\b{_GONE}\s+(?:\w+\s+){{0,3}}?(?:user|employee|admin|member|staff|contractor|manager|key|token|account|session)s?\b(?:\W+\w+){{0,10}}?\W+(?:sign(?:ed|s)? (?:in|on)|log(?:ged|s)? ?in|export(?:ed|s)|download(?:ed|s)|view(?:ed|s)|accessed|pulled|called|returned)\b"), "span"),
    # money, payouts or bank details changed or sent where the owner never set up
    ("diverted", _rx(rf"\b{_MONEY}\b(?:\W+\w+){{0,14}}?\W+{_ELSEWHERE}"), False),
    ("diverted", _rx(rf"\b(?:changed|switched|replaced|updated|redirected|rerouted|diverted|went|sent|paid|deposited|moved|forward\w*|rout\w*|point\w*|ring\w*|going|goes)\b(?:\W+\w+){{0,4}}?\W+(?:to|into)\s+(?:an?\s+)?(?:\w+\s+){{0,2}}?(?:accounts?|banks?|cards?|wallets?|destinations?|domains?|urls?|endpoints?|addresses|address|e-?mails?|numbers?|phones?|servers?|buckets?|webhooks?|mobiles?|cell ?phones?|cells?|lines?|extensions?)\b(?:\W+\w+){{0,6}}?\W+{_ELSEWHERE}"), False),
    ("diverted", _rx(rf"\b(?:diverted|redirected|rerouted|hijacked|intercepted)\b(?:\W+\w+){{0,4}}?\W+{_MONEY}\b|\b{_MONEY}\b(?:\W+\w+){{0,4}}?\W+(?:diverted|redirected|rerouted|hijacked|intercepted|stolen)\b"), True),
    # activity coming from something the customer already closed or removed ("calls from an office they closed")
    ("stale_access", _rx(r"\bfrom (?:a |an |the |their |its )?(?:\w+ ){0,7}?(?:they|we|the customer|the owner)(?: had)? (?:closed|removed|deleted|deactivated|retired|decommissioned|shut down|no longer use|stopped using)\b"), "span"),
    # opened their own item and it was someone else's
    ("others_data", _rx(r"\b(?:in|from) (?:their|her|his|our|its) own (?:\w+ )?(?:library|account|portal|inbox|list|dashboard|folder|queue|workspace|profile|app)\b"
                        r".{0,60}\b(?:it was|turned out to be|was actually|belonged to|belongs to|was for)\b"), "span"),
    # someone posing as a customer or admin
    ("impersonation", _rx(_POSE), True),
    # sent to the wrong person: an email, a text or a document with someone's data delivered elsewhere
    ("others_data", _rx(r"\b(?:went|sent|delivered|emailed|mailed|texted|forwarded|posted|routed|faxed)\b(?:\W+\w+){0,3}?\W+to (?:the )?wrong "
                        r"(?:\w+ )?(?:person|people|recipients?|address(?:es)?|e-?mails?|inbox(?:es)?|numbers?|phones?|customers?|clients?|patients?|parents?|famil(?:y|ies)|tenants?|owners?|accounts?|users?|members?|students?)\b"), True),
    # a role that should not be able to do something did it
    ("permission_bypass", _rx(r"\b(?:viewer|read-?only|limited|restricted|guest|basic|standard|view-?only|non-?admin|junior|trial)\s+(?:\w+\s+)?(?:role|user|account|access|member|staff|seat|level)s?\b"
                              r"(?:\W+\w+){0,10}?\W+(?:can|could|was able to|were able to|is able to|are able to|managed to)\s+(?:still\s+)?(?:delete|edit|export|see|view|access|approve|change|download|create|invite|refund|transfer|issue)\b|"
                              r"\b(?:shouldn'?t|should not|isn'?t supposed to|aren'?t supposed to|is not supposed to|are not supposed to|not allowed to)\s+(?:be able to\s+)?(?:see|view|access|have access to|open|edit|export|download)\b"), "span"),
    # records anyone can reach without signing in
    ("public_data", _rx(r"\b(?:anyone|anybody|the public|strangers)\s+(?:with the link |on the internet |online )?(?:can|could)\s+(?:see|open|view|download|access|read)\b|"
                        r"\b(?:without|no) (?:logging|signing|being logged|being signed) ?(?:in|on)\b.{0,40}\b(?:see|open|view|download|access|read)\w*\b|"
                        r"\b(?:see|open|view|download|access|read)\w*\b.{0,40}\bwithout (?:logging|signing|a login|authentication|a password)\b|"
                        r"\b(?:anyone|anybody|any visitor|any member of the public|the public|strangers)\b(?:\W+(?!(?:in|on|at|within|inside|from|of)\b)\w+){1,5}?\W+(?:can|could|is able to|are able to)\s+(?:\w+\s+)?(?:see|open|view|download|access|read|pull|scrape)\b|"
                        r"\bpublicly (?:accessible|visible|available|readable|exposed)\b|\bindexed by (?:google|bing|search engines?)\b|\bshows? up in (?:google|search results)\b"), "span"),
    # someone else got into the account, or changed who controls it
    ("takeover", _rx(r"\b(?:someone|somebody|an unknown (?:person|user|party|device)|a stranger|a third party)\s+(?:\w+\s+)?(?:logged|signed|got|broke) (?:in|into|on)\b|"
                     r"\b(?:someone|somebody|a stranger|an unknown (?:person|party))(?: else)? (?:\w+ )?(?:changed|reset|updated|replaced|added|removed|moved|switched)\b (?:the |her |his |their |its |my )?"
                     r"(?:[\w-]+ ){0,3}?(?:e-?mail|password|card|bank|phone|payout|login|2fa|mfa|address|owner|admin)|"
                     r"\b(?:password|e-?mail|2fa|2-step|mfa|phone number|recovery (?:email|phone)|admin|owner)s?\s+(?:was |were |has been |had been |got )?(?:changed|reset|added|removed|turned off|disabled|replaced)\b"
                     r"(?:\W+\w+){0,5}?\W+(?:without|by someone|that nobody|nobody|they (?:didn'?t|did not|never)|we (?:didn'?t|did not|never)|no one)\b|"
                     r"\b(?:account takeover|credential stuffing|brute[- ]?forc\w+|card testing|stolen (?:cards?|credentials?|passwords?|identit(?:y|ies)))\b"), True),
    # a secret where it should never be kept: logs, plain text
    ("plaintext_secret", _rx(r"\b(?:passwords?|api[ -]?keys?|tokens?|secrets?|card numbers?|ssns?|social security numbers?|credentials?)\b(?:\W+\w+){0,6}?\W+"
                             r"(?:in (?:plain|clear) ?text|unencrypted|unmasked|in (?:the |our |their )?(?:logs?|log files?|exports?|csv|emails?|urls?|query strings?))\b"), True),
    # a secret found where others can read it
    ("secret_public", _rx(rf"\b{_SECRET}\b(?:\W+\w+){{0,10}}?\W+{_PUBLIC_PLACE}\b"), "span"),
    ("secret_public", _rx(rf"\b{_PUBLIC_PLACE}\b(?:\W+\w+){{0,10}}?\W+{_SECRET}\b"), "span"),
    # a report of a weakness
    ("vulnerability", _rx(r"\b(?:vulnerab\w+|cve-\d+|exploit\w*|xss|cross[- ]site|sql injection|csrf|ssrf|rce|remote code|privilege escalation|"
                          r"bug bounty|responsible disclosure|(?:security )?researcher|bypass(?:es|ed|ing)? (?:the )?(?:login|auth\w*|2fa|mfa|sso|permissions?|paywall))\b"), True),
    ("suspicious_access", _rx(r"\b(?:unrecogni[sz]ed|unknown|unfamiliar|foreign|strange|suspicious) (?:log ?ins?|sign[- ]?ins?|devices?|ip(?: address)?e?s?|locations?|countr(?:y|ies)|sessions?|activity|access)\b|"
                              r"\b(?:log ?ins?|sign[- ]?ins?|sessions?) from (?:a |an )?(?:country|countries|location|ip|region|device)s? (?:they|we|that|which|nobody|no one)\b|"
                              r"\b(?:ip|ips|device|location|country|address)(?:es|s)? (?:that )?(?:they|we|nobody|no one) (?:don'?t|do not|didn'?t|did not|does ?n[o']t) recogni[sz]e\b"), True),
    # --- behaviour that is a bug, whatever the product calls the job ----------------------------------------------
    ("stuck", _rx(r"\b(?:spin(?:s|ning)?|hang(?:s|ing)?|load(?:s|ing)?|buffer(?:s|ing)?|takes?) forever\b|\b(?:just|only|keeps?) (?:spins?|spinning|buffers?|buffering|loads?|loading)\b|\b(?:stuck|sitting|spinning|hanging|hung|frozen|freezes|stalled|sits|sat|stays?|stayed|remains?|remained|left)\b(?:\W+\w+){0,3}?\W+(?:in |at |on )?['\"]?(?:processing|pending|queued|in progress|running|loading|submitting|syncing|sending|publishing|deploying|building|uploading|importing|exporting|generating|scheduled|draft|waiting)\b|"
                  r"\b(?:spinning|hanging|loading|processing|running) (?:for|since) (?:hours|days|\d+|over|more than|yesterday|this morning|last night)\b|"
                  r"\b(?:can'?t|cannot|unable to|won'?t let (?:them|us|me) |not able to) (?:cancel|stop|abort|retry|resubmit|unlock|release)\b|"
                  r"\bnever (?:finish(?:es|ed)?|complete[sd]?|arrive[sd]?|go(?:es)? through|went through)\b|"
                  r"['\"](?:in review|under review|pending(?: review| approval)?|processing|queued|in progress|awaiting [\w ]{3,20}|submitted)['\"] (?:for|since) (?:over |more than |almost |nearly )?"
                  r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|many) (?:business |working )?(?:hours|days|weeks)\b|"
                  r"\bstill (?:say|says|saying|show|shows|showing|read|reads|sit|sits|sitting|listed as|marked as?|display|displays) (?:as |in |at )?['\"]?"
                  r"(?:awaiting|pending|processing|in progress|queued|waiting|draft|scheduled|sending|unsigned|not started|submitted|uploading|in transit)\b|\bwon'?t (?:finish|complete|go through|process)\b"), True),
    ("duplicated", _rx(r"\b(?:twice|double[- ]?(?:charged|billed|booked|posted|sent|paid|counted|deducted|withdrawn|submitted)|charged (?:twice|two times|double)|"
                       r"(?:sent|posted|charged|billed|paid|deducted|taken|withdrawn|recorded|booked|created|imported|synced|submitted|issued|emailed|texted|delivered|processed|shipped|refunded|went out|goes out|go out|fired|ran|printed|generated) "
                       r"(?:\w+ ){0,3}?(?:twice|two times|three times|\d+ times|multiple times|several times|again and again|in duplicate)|"
                       r"duplicate[sd]? (?:\w+ ){0,2}?(?:charges?|payments?|orders?|records?|rows?|entries|emails?|messages?|notifications?|invoices?|shipments?|labels?|appointments?|bookings?|transactions?|deductions?|accounts?|students?|patients?|users?)|"
                       r"\b(?:two|three|\d+) (?:identical|duplicate) \w+)\b"), True),
    ("wrong_numbers", _rx(r"\b(?:(?:don'?t|doesn'?t|do not|does not|no longer|won'?t) (?:add up|match|reconcile|balance|tie out|line up|agree)|"
                          r"(?:totals?|amounts?|balances?|numbers?|figures?|counts?|sums?|grades?|scores?|rates?|taxes|fees|prices?|quantit(?:y|ies)|stock levels?|inventory) "
                          r"(?:\w+ ){0,3}?(?:are|is|were|was|came out|show(?:s|ed)?|look) (?:\w+ )?(?:wrong|incorrect|off|different|inflated|doubled|halved|negative|zero|inaccurate)|"
                          r"(?:wrong|incorrect|inaccurate|inflated|miscalculated) (?:\w+ ){0,2}?(?:totals?|amounts?|balances?|numbers?|figures?|counts?|grades?|scores?|rates?|tax(?:es)?|fees|prices?|pay|wages?|charges?|invoices?|quantit(?:y|ies)|stock|inventory)|"
                          r"(?:haven'?t|hasn'?t|have not|has not|didn'?t|did not|aren'?t|isn'?t|never) (?:been )?(?:add(?:ed|ing)? up|match(?:ed|ing)?|reconcil(?:ed|ing)|balanc(?:ed|ing)|tied out)|"
                          r"(?:\$|£|€)[\d,.]+[km]? (?:variance|discrepancy|difference|gap|shortfall)|variances? of (?:\$|£|€)|"
                          r"(?:says?|shows?|lists?|reports?|displays?|counts?) \$?\d[\d,.]*\b,? (?:but|while|yet|although|even though) (?:\w+ ){0,3}?\$?\d[\d,.]*|"
                          r"shows? (?:a |an )?(?:\$|£|€)?0(?:\.00)? (?:balance|total|amount|value)|"
                          r"(?:is|was|came (?:in|out)|arrived) (?:\$|£|€)[\d,.]+[km]? (?:less|more|lower|higher|short|over) than\b|"
                          r"\b(?:off by (?:\$|£|€|\d+(?:\.\d+)?\s*(?:%|percent|cents?|dollars?|hours?|minutes?|days?|units?|items?))|mismatch(?:es|ed)?|discrepanc(?:y|ies)|out of sync|double[- ]counted|miscalculat\w+|under-?paid|over-?paid|under-?charged|over-?charged)|"
                          r"(?:charged|billed|invoiced|debited) (?:the )?(?:full|wrong|extra|too much|more than)\b.{0,40}\b(?:no|without) (?:credit|refund|proration|discount)|"
                          r"(?:charged|billed|invoiced) (?:the )?wrong|"
                          # two places disagree on a figure: "shows $0 copay ..., the payer portal says $4"
                          r"(?:shows?|lists?|says?|displays?)\s+\$?\d[\d,.]*\b[^.;]{0,90}\b(?:says?|shows?|lists?|displays?|charges?|bills?)\s+\$?\d[\d,.]*)\b"), True),
    ("after_change", _rx(r"\b(?:after|since|following) (?:the |our |their |last (?:week|night)'?s? |yesterday'?s? |this morning'?s? )?(?:\w+ )?(?:migration|upgrade|update|release|deploy(?:ment)?|import|merge|re-?sync|cut-?over|version|rollout|switch-?over)\b"
                         r"(?:\W+\w+){0,10}?\W+(?:wrong|missing|gone|lost|reset|blank|empty|broken|incorrect|duplicated|doubled|zero|disappeared|vanished|no longer|can'?t|cannot|unable to|fails?|failing|stopped|broke|"
                         r"dropped|deleted|removed|wiped|skipped|overwrote|overwritten)\b|"
                         r"\b(?:migrated|upgraded|updated|imported|switched over|rolled out|pushed|deployed|released|installed|cut over|(?:moved|switched|transitioned|converted) (?:\w+ ){0,2}?(?:to|onto))\b(?:\W+\w+){0,10}?\W+(?:and )?(?:now|ever since|since then)\b"
                         r"(?:\W+\w+){0,8}?\W+(?:wrong|missing|gone|lost|reset|blank|empty|broken|incorrect|duplicated|doubled|zero|unknown|disappeared|vanished|fails?|failing|stopped|broke|can'?t|cannot|says? (?:unknown|0|none|nothing))\b|"
                         r"\b(?:migration|upgrade|update|release|rollout|import|cut-?over)\b(?:\W+\w+){0,6}?\W+(?:dropped|deleted|removed|wiped|skipped|lost|overwrote|broke|duplicated|reset)\b|"
                         r"\b(?:since|after|following) (?:the |our |their |last (?:week|night)'?s? |yesterday'?s? |this morning'?s? )?(?:\w+ )?(?:migration|upgrade|update|release|deploy(?:ment)?|rollout)\b(?:\W+\w+){0,10}?\W+(?:show(?:s|ing)?|says?|at) (?:a |an )?(?:\$|£|€)?0(?:\.00)?\b|"
                         r"\b(?:wrong|missing|gone|lost|reset|blank|empty|incorrect|duplicated|doubled|zeroed|disappeared|vanished)\b(?:\W+\w+){0,8}?\W+(?:after|since|following) (?:the |our |their )?(?:\w+ )?(?:migration|upgrade|update|release|deploy(?:ment)?|import|merge|cut-?over|rollout)\b"), True),
    # the right state shown or treated as the wrong one: on-time work flagged late, paid invoices marked overdue
    ("mislabelled", _rx(r"\b(?:on[- ]time|paid|present|submitted|valid|active|delivered|completed|approved|correct|legitimate|in[- ]stock|shipped|"
                        r"received|cancell?ed|refunded|attended|verified|signed)\b(?:\W+\w+){0,6}?\W+(?:are |is |were |was |being |get |gets |got )?"
                        r"(?:flagged|marked|counted|shown|showing|treated|labell?ed|classified|reported|listed|set|charged|billed) (?:as )?"
                        r"(?:late|missing|absent|failed|unpaid|overdue|inactive|expired|invalid|fraud\w*|lost|incomplete|rejected|declined|"
                        r"out of stock|undelivered|pending|not (?:submitted|received|delivered|paid))\b"), True),
    # a sign-in that goes round in circles
    ("login_loop", _rx(r"\b(?:log ?in|sign[- ]?in|sso|saml|auth\w*)\b(?:\W+\w+){0,4}?\W+(?:loop\w*|bounc\w+ back|redirect\w* back|keeps? (?:redirecting|refreshing|asking))\b|"
                       r"\b(?:bounc\w+|sent|redirect\w*|kick\w*) back to the (?:\w+ )?(?:log ?in|sign[- ]?in)\b"), True),
    ("blank_page", _rx(r"\bblank (?:white )?(?:page|screen)s?\b|\bwhite (?:page|screen)s?\b|\bpage (?:is |stays |comes up )?blank\b"), True),
    ("not_delivered", _rx(r"\b(?:no|none of the|not a single|zero|0) (?:\w+ ){0,6}?(?:have|has|had)? ?(?:gone out|been sent|been delivered|arrived|come through|went out|were sent|were delivered)\b|"
                          r"\b(?:0|zero|nothing) (?:delivered|sent|went out)\b|\bno (?:[\w-]+ ){0,4}?(?:coming in|coming through|going out|arriving)\b"), False),
    ("not_delivered", _rx(r"\b(?:webhooks?|sync|syncing|feeds?|emails?|texts?|notifications?|reminders?|imports?|exports?|payouts?|callbacks?|events?|updates?|jobs?|receipts?)"
                          r" (?:have |has )?stopped (?:on |since |for |last |this |yesterday|overnight|at |after |monday|tuesday|wednesday|thursday|friday|saturday|sunday|today)"), True),
    ("not_delivered", _rx(r"\b(?:late|delayed|hours late) or (?:not at all|never)\b|\bor never (?:arrive|show up|come|get there)\b|\bmissed (?:\w+ )?(?:alarms?|alerts?|notifications?|reminders?|pages)\b|\b(?:alarms?|alerts?|notifications?) (?:never|didn'?t|did not|failed to|don'?t|do not) (?:fire|go off|sound|trigger|arrive|come through)\b"), True),
    ("not_delivered", _rx(r"\b(?:never (?:arrived|arrive|got|received|reached|went out|sent|delivered|showed up)|(?:not|aren'?t|isn'?t|weren'?t|wasn'?t|haven'?t|hasn'?t) (?:been )?(?:arriving|delivered|received|sent|going out|reaching|firing|triggering|showing up|coming through|printing|posting|importing|syncing|uploading|exporting|transmitting)|"
                          r"stopped (?:arriving|coming|going out|firing|triggering|posting|printing|generating|updating|syncing|reaching|importing|exporting|"
                          r"running|loading|processing|charging|uploading|downloading|sending|working|showing|appearing|counting|calculating|tracking|scanning))\b"), True),
    # an error code as systems print them (E-CENSUS-22, PAYRUN_LOCK_TIMEOUT): upper case, with a digit or an underscore
    ("error_code", re.compile(r"\b(?=[A-Z0-9_-]*[_0-9])[A-Z][A-Z0-9]*(?:[_-][A-Z0-9]+)+\b|\b[Ee]rror (?:[Cc]ode )?\d{3,}\b"), False),
    # the product does one thing although the facts say another ("lists their wages under Washington although they moved")
    ("unexpected", _rx(r"\b(?:lists?|listed|shows?|showed|shown|displays?|displayed|puts?|says?|reports?|reported|calculates?|calculated|uses?|used|"
                       r"applies|applied|charges?|charged|files?|filed|tax(?:es|ed)|assigns?|assigned|sends?|sent|marks?|marked|keeps?|kept|sets?)\b"
                       r"(?:\W+\w+){1,14}?\W+(?:although|even though|though|despite)\b"), True),
    # one thing happens instead of another ("auto-filed as Correspondence instead of Medical invoice"); not a wish for it
    ("unexplained", _rx(r"(?<!\bwant )(?<!\bwants )(?<!\bprefer )(?<!\brather )(?<!\buse )(?<!\busing )\b(?:\w+(?:ed|s|ing))\b(?:\W+\w+){0,5}?\W+instead of\b(?!\s+(?:us|our|the product|having to|manually|by hand))"), True),
    ("unexplained", _rx(r"(?<!\bto )\b(?!(?:wants?|likes?|needs?|asks?|expects?|expected)\b)\w+(?:ed|s|ing)\b(?:\W+\w+){0,3}?\W+(?:by (?:themselves|itself|himself|herself)|on (?:their|its) own|of (?:their|its) own accord|"
                       r"for no (?:apparent |obvious |clear |good )?reason|at random|randomly)\b"), True),
    # the product passes over what it was told ("optimizer ignoring delivery windows"); a person ignoring it is no bug
    ("unexpected", _rx(r"(?<!\bwe )(?<!\bthey )(?<!\bi )(?<!\bshe )(?<!\bhe )(?<!\busers )\b(?:ignor(?:es|ing|ed)|skip(?:s|ping|ped)|bypass(?:es|ing|ed)|overrid(?:es|ing)|overr(?:ode|idden))\b"
                       r" (?:the |their |our |its |all |any )?(?:[\w-]+ ){0,3}?(?:windows?|rules?|settings?|limits?|preferences?|constraints?|schedules?|filters?|"
                       r"holds?|hours?|time ?zones?|accommodations?|overrides?|blackouts?|exclusions?|caps?|thresholds?|opt-?outs?|unsubscribes?)\b"), True),
    # the product reports success where there is none ("the logger app says the upload succeeded" with no trace attached)
    ("unexpected", _rx(r"\b(?:although|even though|though|despite|while|but)\b (?:[\w-]+ ){0,6}?(?:says?|shows?|reports?|lists?|claims?|displays?|marks?|marked) (?:[\w-]+ ){0,4}?"
                       r"(?:succeeded|successful(?:ly)?|success|completed?|sent|delivered|uploaded|synced|passed|paid|green|ok)\b|"
                       r"\b(?:says?|shows?|reports?|claims?|marked|marks?) (?:[\w-]+ ){0,4}?(?:succeeded|successful(?:ly)?|completed|sent|delivered|uploaded|synced|passed|paid)\b[^.;]{0,40}\b(?:but|yet|although|however)\b"), True),
    # a rate that jumped with no known cause ("declines jumped from about 3% to 19% since Nov 1")
    ("unexplained", _rx(r"\b(?:jumped|spiked|rose|increased|climbed|went up|shot up|dropped|fell|plunged|doubled|tripled)\b (?:from )?(?:about |around |roughly |under |below )?\d+(?:\.\d+)?%"
                        r" to (?:about |around |roughly |over |above )?\d+(?:\.\d+)?%"), True),
    # a control that does nothing ("click 'Pay now' and nothing happens")
    ("dead_control", _rx(r"\b(?:click\w*|tap\w*|press\w*|hit|hits|submit\w*)\b(?:\W+\w+){0,6}?\W+(?:and |but )?nothing (?:happens|happened|loads|occurs)\b|\bnothing happens when\b"), True),
    # a device or app that keeps going down on its own: crashes, reboot loops
    ("crash", _rx(r"\b(?:crash(?:es|ed|ing)?|boot ?loops?|reboot loops?|restart loops?|(?:reboot|restart|reset|disconnect|drop)(?:s|ing)? (?:every|each|constantly|repeatedly|over and over|in a loop|all (?:day|night))|"
                  r"keeps? (?:crashing|rebooting|restarting|freezing|disconnecting|dropping (?:off|out|the connection)|logging (?:them|us|me|users|people) out))\b"), True),
    # a search or report that should return things returns nothing
    ("empty_result", _rx(r"\b(?:returns?|returning|returned|gives?|giving|gave|shows?|showing|showed|comes? back with|came back with|brings? up|brought up) (?:zero|no|0|empty) (?:results|hits|matches|rows|records|availability|options|rates|entries)\b|"
                         r"\b(?:comes?|came|coming) back empty\b"), True),
    # sent, routed or answered at the wrong place ("answered by a dispatch centre in a different county")
    ("unexpected", _rx(r"\b(?:routed|answered|delivered|sent|went|goes|shipped|assigned|posted|charged|billed|rang|connected|forwarded)\b(?:\W+\w+){0,6}?\W+"
                       r"(?:to|by|at|in|from) (?:a|the) (?:different|wrong) (?!(?:person|people|customer|client|patient|tenant|user|account|recipient)s?\b)\w+"), True),
    # one action, two results ("sent one offer and ended up with two contracts")
    ("duplicated", _rx(r"\b(?:one|a single|once)\b(?:\W+\w+){1,6}?\W+(?:ended up with|got|created|made|now (?:has|have|shows?)|there (?:are|were)|produced|left)\b"
                       r"(?:\W+\w+){0,2}?\W+(?:two|three|2|3|duplicate)\b"), True),
    ("wrong_numbers", _rx(r"\b(?:totals?|amounts?|balances?|grades?|scores?|averages?|percentages?|counts?|figures?) (?:[\w-]+ ){0,4}?(?:comes?|came|coming) out (?:too )?(?:high|low|wrong|higher|lower|different)\b|"
                          r"\b(?:shows?|lists?|says?|displays?|gives?|returns?|calculates?|reports?)\s+\$?\d[\d,.]*%?\s+instead of\s+\$?\d"), True),
    # --- business -------------------------------------------------------------------------------------------------
    ("churn", _rx(r"\b(?:mov(?:e|es|ing)|switch(?:es|ing)?|go(?:ing)?|migrat(?:e|es|ing)|tak(?:e|es|ing) (?:their|its|the) business|port(?:ing)?) (?:\w+ ){0,2}?(?:to|over to) (?:another|a different|a new|a competing|a rival|other|one of our competitors|(?:a |an )?\w+ competitor)\b|"
                   r"\b(?:switch|change|replace|drop|leave|dump|ditch)(?:es|s|ing|ed)? (?:\w+ ){0,2}?(?:providers?|vendors?|platforms?|suppliers?|systems?|tools?|us)\b(?! settings)|"
                   r"\b(?:look(?:ing)?|shop(?:ping)?) (?:at|for|around)(?: \w+){0,2}? (?:alternatives?|other (?:vendors?|providers?|options|platforms?|tools?|solutions?))\b|"
                   r"\b(?:in talks|talking) with (?:a )?competitors?\b|\btake (?:their|our) business elsewhere\b|\b(?:not|won'?t|will not) be renewing\b|"
                   r"\b(?:reconsider|rethink)\w* (?:the |their |our )?(?:renewal|contract|partnership|relationship)\b|\bput (?:the |their )?renewal on hold\b|"
                   r"\blet (?:it|the (?:contract|subscription|plan|account|licen[cs]e|renewal)) (?:\w+ )?lapse\b"), True),
    ("competitive", _rx(r"\b(?:like|as|which|that) (?:\w+ ){0,2}?(?:competitors?|competing \w+|rival \w+|other (?:vendors?|providers?|platforms?|tools?|agencies|companies))\b(?:\W+\w+){0,3}?\W*(?:do|does|did|offer|offers|have|has|provide|provides|support|supports)?\b|"
                        r"\b(?:competitors?|competing \w+|rival \w+) (?:\w+ ){0,2}?(?:offer|offers|have|has|provide|provides|support|supports|already)\b"), True),
    # a threat: lawyers brought in, legal action, a regulator; a legal team asking a question is not one
    ("legal_threat", _rx(r"\b(?:(?:involv\w*|get\w*|bring\w*|call\w*|threaten\w*|consult\w*) (?:in )?(?:their |our |the )?(?:lawyers?|attorneys?|legal)|legal action|sue|suing|lawsuit|litigation|"
                         r"take (?:us|this|it) to court|regulators?|ombudsman|(?:file|filing|lodge|lodging) (?:a )?(?:formal )?complaint with|report (?:us|this|it) to (?:the )?\w+)\b"), True),
    # --- breadth -------------------------------------------------------------------------------------------------
    # a whole region: "shoppers on EU storefronts", "all Canadian clinics" (the region is the segment)
    ("region", _rx(r"\b(?:all |every )?(?:(?:the )?eu|us|uk|european|north american|apac|emea|latam|canadian|australian|german|french|british|american|asian|nordic)\b"
                   r"(?:\W+\w+){0,1}?\W+(?:storefronts|stores|customers|merchants|users|tenants|accounts|region|clinics|schools|sites|shoppers|sellers|carriers|shippers|instances|data ?cent(?:er|re)s?|"
                   r"clients|buyers|members|freelancers|patients|students|drivers|riders|agencies|practices|properties|hotels|restaurants|venues|locations|donors|firms|-region customers|region customers)\b"), False),
    ("everyone", _rx(r"\b(?:(?:no|every|any)(?:one|body)? (?:\w+ ){0,2}?(?:at|across|for|in) (?:any|every|all) (?:of )?(?:our )?(?:customers?|accounts?|tenants?|clinics?|schools?|stores?|merchants?|companies|organi[sz]ations)|"
                      r"across (?:all|every) (?:\w+ )?(?:customers?|accounts?|tenants?|regions?|clinics?|schools?|districts?|stores?|merchants?|shippers?|carriers?)|"
                      r"(?:platform|system|site|service|network|company)[- ]wide|for (?:every|all|any) (?:\w+ )?(?:customers?|users?|accounts?|tenants?|merchants?|clinics?|schools?|stores?)|"
                      r"(?:whole|entire|all of (?:the )?) (?:\w+ )?(?:region|country|continent|eu|us|uk|europe|apac|emea|fleet|network|customer base)|"
                      r"every (?:single )?(?:one of our )?(?:customers?|accounts?|tenants?|merchants?|clinics?|schools?|stores?)|all (?:of )?our (?:\w+ )?(?:customers|accounts|tenants|merchants|clinics|schools|stores|shippers|users)|"
                      r"(?:no|none of (?:the|our)|not a single) (?:\w+ )?(?:customers?|clients?|users?|merchants?|sellers?|buyers?|shoppers?|tenants?|members?|accounts?|freelancers?|drivers?|patients?|students?) "
                      r"(?:\w+ ){0,3}?(?:on|across|in) (?:the )?(?:whole |entire )?(?:platform|site|app|service|system|network))\b"), True),
]
# someone whose identity is in doubt asks support to change who controls an account: both parts must be there
_TAKEOVER_ASK = _rx(r"\b(?:switch|change|reset|turn off|disable|remove|bypass|update|transfer|move|add|replace)\b(?:\W+\w+){0,6}?\W+"
                    r"(?:admin|owner|ownership|log ?in|sign[- ]?in|e-?mail|2fa|2-step|two[- ](?:factor|step)|mfa|password|bank|payout|phone|recovery)\b|"
                    r"\b(?:admin|owner|ownership|log ?in|e-?mail|2fa|2-step|two[- ](?:factor|step)|mfa|password|bank|payout|phone|recovery)\b(?:\W+\w+){0,6}?\W+"
                    r"(?:moved|changed|switched|reset|transferred|removed|turned off|disabled|updated|replaced)\b")
_DOUBT = _rx(r"\b(?:(?:says?|saying|said) (?:she|he|they)(?:'s| is| are| was| just| had| has)?|couldn'?t (?:answer|pass|verify|confirm)|failed (?:the )?verification|"
             r"(?:current|real|actual) owner isn'?t|claim(?:s|ed|ing)? to be|can'?t (?:verify|confirm|email from|prove)|could not (?:verify|confirm)|"
             r"isn'?t (?:a |on the )?(?:listed|known|registered|authori[sz]ed)|not (?:a |on the )?(?:listed|known|verified|registered|authori[sz]ed) (?:contact|admin|user)|"
             r"not on file|unverified|personal (?:gmail|e-?mail|address)|non-?(?:company|corporate|work|business) (?:e-?mail )?address|gmail|hotmail|yahoo|free-?mail|web-?mail|outside (?:e-?mail|address)|from an? (?:unknown|new|different) (?:number|e-?mail|address|phone))\b")

SECURITY_CONCEPTS = ("others_data", "stale_access", "diverted", "impersonation", "takeover_request", "secret_public", "vulnerability",
                     "suspicious_access", "permission_bypass", "public_data", "takeover", "plaintext_secret")
# What happened, not what might: these make a security concern critical (a confirmed exposure or diverted money).
EXPOSURE_CONCEPTS = ("others_data", "stale_access", "diverted", "secret_public", "impersonation", "public_data", "takeover")
BUG_CONCEPTS = ("stuck", "duplicated", "wrong_numbers", "after_change", "not_delivered", "unexpected", "mislabelled", "login_loop", "blank_page",
                "crash", "empty_result", "unexplained", "dead_control")
INTEGRITY_CONCEPTS = ("duplicated", "wrong_numbers", "after_change", "mislabelled")


@dataclass(frozen=True)
class Finding:
    concept: str
    evidence: str


def _negated(text: str, start: int) -> bool:
    """A negation in the same clause, shortly before the match ("no one else can see", "not seeing others' data")."""
    window = text[max(0, start - 40):start]
    cut = list(_CONTRAST.finditer(window))
    if cut:
        window = window[cut[-1].end():]
    return bool(_NEGATION.search(window))


_URL = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+", re.IGNORECASE)


def plain(text: str) -> str:
    """The words of a text, single-spaced, without addresses: a link's path ("…/phish") says nothing of what happened."""
    return " ".join(_URL.sub(" ", text).split())


def read_concepts(text: str) -> list[Finding]:
    """Every concept the text shows, with the words it rests on; at most one finding per concept."""
    flat = plain(text)
    masked = _LOOKALIKE.sub(lambda m: "·" * len(m.group(0)), flat)
    found: dict[str, Finding] = {}
    for name, pattern, negatable in _CONCEPTS:
        if name in found:
            continue
        source = masked if name in SECURITY_CONCEPTS else flat
        for m in pattern.finditer(source):
            if negatable and _negated(source, m.start()):
                continue
            if name == "error_code" and _IDENTIFIER.search(source, max(0, m.start() - 24), m.start()):
                continue  # "invoice GH-2291", "order #A-1042": a record's number, not an error
            if name == "unexplained" and _WISH.search(source, max(0, m.start() - 40), m.start()):
                continue  # "they want alerts to close on their own": what they wish for, not what happens
            if name == "duplicated" and m.group(0).lower() == "twice" and _OUR_TRIES.search(source, max(0, m.start() - 30), m.start()):
                continue  # "we re-pushed twice", "they called twice": what someone did, not what the product did
            if negatable == "span" and _NEGATION.search(source, m.start() + 1, m.end()):
                continue
            found[name] = Finding(name, flat[m.start():m.end()].strip(" '\""))
            break
    for name, evidence in _together(masked):
        if name not in found:
            found[name] = Finding(name, evidence)
    if "impersonation" not in found and (ask := _TAKEOVER_ASK.search(masked)) and (doubt := _DOUBT.search(masked)):
        found["takeover_request"] = Finding("takeover_request", f"{ask.group(0)} … {doubt.group(0)}")
    return list(found.values())


# --- the same concepts read from the parts of one sentence, in whatever order the writer put them ----------------
# Whose: a party that is not the one looking ("another boy's", "other tenants'", "a company he never worked for",
# "people who aren't our patients", "every classmate's essay").
_NOT_OWN = _rx(
    rf"\b(?:{_OTHER}|some other|any other)\s+(?:[\w-]+\s+){{0,2}}?(?:{_PARTY}\b|[\w-]+'s\b|[\w-]+s'(?=\W))|"
    r"\b(?:every |each |all (?:the |of the )?(?:other )?)(?:classmates?|students?|users?|tenants?|customers?|patients?|employees?|members?|"
    r"parents?|families|guests?|candidates?|applicants?|clients?|residents?|policyholders?|claimants?|travell?ers?)(?:'s\b|s'(?=\W)|'(?=\W))|"
    r"\b(?:who|that|which) (?:aren'?t|are not|isn'?t|is not|weren'?t|wasn'?t|was not|were not) (?:our|their|his|her|its|my) (?:own )?[\w-]+|"
    rf"\bthe (?:previous|prior|last|next|earlier) {_PARTY}(?:'s\b|s'(?=\W))|"
    r"\b(?:has|have|had|he'?s|she'?s|they'?ve) never (?:worked|dealt|done business) (?:for|with)\b|\bnever worked (?:for|with)\b|"
    r"\b(?:have|has|had|'ve)? ?never heard of\b|\b(?:don'?t|do not|doesn'?t|does not) (?:even )?know (?:that|the|this|who|any) (?:company|person|org\w*|customer|client|business|clinic|school|firm)\b")
# rows or profiles from a party that is named as a stranger ("rows from a grocery chain's freezers", "profiles from a company called ...")
_FOREIGN_ROWS = _rx(r"\b(?:rows?|records?|entries|profiles?|readings?|transactions?|data|details|lines?|files?|documents?|listings?|reservations?|bookings?|members?|contacts?)\s+(?:from|of|belonging to)\s+(?:an?|some|two|three|four|several|\d+)\s+"
                    r"(?:[\w-]+\s+){0,2}?(?:[\w-]+'s\b|(?:company|companies|organi[sz]ations?|business(?:es)?|chains?|groups?|firms?|customers?|clients?|tenants?|brands?|schools?|clinics?|hospitals?|hotels?|restaurants?|stores?|practices?|franchisees?)\b)")
_SEEN = _rx(rf"\b{_SEE}\b")
_ANY_RECORD = _rx(rf"\b{_RECORD}\b|\b[\w-]+'s\b|\b[\w-]+s'(?=\W)")
_SAME_TROUBLE = _rx(r"\b(?:same|similar) (?:error|issue|problem|bug|thing|behaviou?r|symptom|message)s?\b|\b(?:too|as well|also)\b")
# who should be gone, and what they did anyway
_GONE_WHO = _rx(r"\b(?:revoked|deactivated|de-?activated|deprovisioned|de-?provisioned|offboarded|off-boarded|removed|disabled|fired|"
                r"terminated|laid off|let (?:\w+ ){1,3}?go\b|let go|former|departed|ex-?employee|left the (?:company|firm|team|practice|school))\b")
_DID = _rx(r"\b(?:sign(?:s|ed|ing)? (?:in|on)|log(?:s|ged|ging)? ?(?:in|on)|download(?:s|ed|ing)?|export(?:s|ed|ing)?|view(?:s|ed|ing)?|"
           r"access(?:es|ed|ing)?|play(?:s|ed|ing)?|listen(?:s|ed|ing)? to|kick(?:s|ed|ing)? off|trigger(?:s|ed|ing)?|deploy(?:s|ed|ing)?|"
           r"pull(?:s|ed|ing)?|open(?:s|ed|ing)?|still (?:works?|active|has access|able))\b")
_ANYWAY = _rx(r"\b(?:still|yet|but|although|though|anyway|afterwards|later|since then|after)\b")


def _sentences(text: str) -> list[str]:
    return [p for p in re.split(r"(?<=[.!?;])\s+|\n+", text) if p.strip()]


def _together(masked: str) -> list[tuple[str, str]]:
    """Concepts whose parts stand in one sentence in any order: someone sees records of a party not their own;
    a person or key that was removed acts afterwards. A negation before either part, or "the same error" (another
    customer with the same trouble), undoes it."""
    out: list[tuple[str, str]] = []
    for sentence in _sentences(masked):
        other = _NOT_OWN.search(sentence)
        # records must be in it: "getting proposals from other vendors" is shopping around, not an exposure
        if other and not _negated(sentence, other.start()) and not _SAME_TROUBLE.search(sentence) and _ANY_RECORD.search(sentence):
            seen = [m for m in _SEEN.finditer(sentence) if not _negated(sentence, m.start())]
            before = [m for m in seen if m.end() <= other.start()]
            after = [m for m in seen if m.start() >= other.end()]
            # "sees another boy's grades" (verb first), or "another clinic's patients show up" (whose first)
            if before and len(sentence[before[-1].start():other.end()].split()) <= 14:
                out.append(("others_data", sentence[before[-1].start():other.end()].strip()))
            elif after and _rx(rf"^\W*(?:[\w-]+\W+){{0,3}}?{_RECORD}").search(sentence[other.end():]) and len(sentence[other.start():after[0].end()].split()) <= 12:
                out.append(("others_data", sentence[other.start():after[0].end()].strip()))
        foreign = _FOREIGN_ROWS.search(sentence)
        if foreign and not _SAME_TROUBLE.search(sentence) and not _negated(sentence, foreign.start()) and any(
                m.end() <= foreign.start() and not _negated(sentence, m.start()) for m in _SEEN.finditer(sentence)):
            out.append(("others_data", foreign.group(0).strip()))
        gone = _GONE_WHO.search(sentence)
        if gone and not _negated(sentence, gone.start()):
            # "exports on Nov 4 by an adjuster they deactivated": the act done by someone already gone
            done_by = next((m for m in _DID.finditer(sentence) if m.end() < gone.start()
                            and re.search(r"\bby (?:an?|the|their|our|his|her|one of (?:their|our|the))\b", sentence[m.end():gone.start()], re.IGNORECASE)
                            and len(sentence[m.start():gone.end()].split()) <= 18 and not _negated(sentence, m.start())), None)
            if done_by is not None:
                out.append(("stale_access", sentence[done_by.start():gone.end()].strip()))
        if gone and _ANYWAY.search(sentence) and not _negated(sentence, gone.start()):
            acts = [m for m in _DID.finditer(sentence) if m.start() != gone.start() and not _negated(sentence, m.start())]
            if acts and not _NEGATION.search(sentence[min(gone.start(), acts[0].start()):max(gone.end(), acts[0].end())]):
                a, b = sorted((gone, acts[0]), key=lambda m: m.start())
                out.append(("stale_access", sentence[a.start():b.end()].strip()))
    return out


def lookalikes(text: str) -> list[str]:
    """Phrases that name an incident without one happening ("SLA breach credits", "security questionnaire")."""
    return [m.group(0) for m in _LOOKALIKE.finditer(" ".join(text.split()))]


# --- symptoms: how a failure behaves, in whatever words each customer used ---------------------------------------
# Two reports are about the same problem when they share the feature and behave the same way: "stuck in Processing",
# "spinning for hours" and "won't finish" are one behaviour; "Enforce SSO for all users" is no behaviour at all.
_SYMPTOMS: dict[str, re.Pattern[str]] = {
    "loop": _rx(r"\b(?:loops?|looping|redirect(?:s|ed|ing)?|bounc(?:e|es|ed|ing)|keeps? (?:refreshing|reloading|coming back)|endless|"
                r"round and round|back to the (?:login|sign[- ]?in) (?:page|screen))\b"),
    "access": _rx(r"\b(?:can'?t|cannot|unable to|not able to|couldn'?t|no longer|won'?t let \w+) (?:log ?in|sign ?in|sign on|access|get in|authenticate)\b|"
                  r"\blocked out\b|\baccess denied\b|\b(?:login|sign[- ]?in|sso|saml|auth\w*) (?:fails?|failing|failed|failures?|errors?|broken|loop)\b"),
    "stuck": _rx(r"\b(?:stuck|spinning|spins|hung|hangs?|hanging|frozen|freez(?:es|ing)|stall(?:s|ed|ing)?|sitting in|sits in|"
                 r"won'?t (?:finish|complete|go through|process|cancel)|never (?:finish(?:es|ed)?|complete[sd]?)|"
                 r"can'?t (?:cancel|stop|abort)|in ['\"]?processing|still (?:processing|pending|running|queued))\b"),
    "duplicate": _rx(r"\b(?:twice|double[- ]?\w*|duplicat\w*|two times|three times|\d+ times|multiple times|several times|repeated(?:ly)?|"
                     r"(?:two|2|three|3) (?:charges|payments|debits|invoices|emails|messages|orders|copies|entries|bookings|shipments|labels|notifications))\b"),
    "truncated": _rx(r"\b(?:truncat\w*|cut (?:off|short)|stops? (?:at|after) (?:the first )?[\d,]+|only (?:the )?first [\d,]+|"
                     r"(?:rows?|records?|lines?|entries) (?:are |were )?missing|missing (?:rows?|records?|lines?|entries))\b"),
    "missing": _rx(r"\b(?:missing|disappear\w*|vanish\w*|gone|blank|empty|lost|deleted|dropped|omitted|left out|not (?:showing|included|there))\b"),
    "wrong": _rx(r"\b(?:wrong|incorrect|inaccurate|mismatch\w*|discrepanc\w+|(?:don'?t|doesn'?t) (?:add up|match|reconcile|balance)|off by|miscalculat\w+|"
                 r"inflated|under-?paid|over-?paid|over-?charged|under-?charged|doubled)\b"),
    "slow": _rx(r"\b(?:slow(?:er|ness|ly)?|tim(?:e|es|ed|ing) ?out|timeouts?|lag\w*|takes? (?:forever|ages|minutes|hours)|delay(?:s|ed)?|late)\b"),
    "not_delivered": _rx(r"\b(?:not (?:arriving|received|delivered|sent|firing|triggering|going out|coming through|coming in|reaching|showing up)|never (?:arrived|received|sent|delivered|came)|"
                         r"stopped (?:arriving|sending|firing|triggering|coming|going out|syncing|posting)|didn'?t (?:arrive|receive|get|go out))\b"),
    "crash": _rx(r"\b(?:crash\w*|force[- ]?clos\w+|closes (?:itself|immediately)|white screen|blank screen)\b"),
    "server_error": _rx(r"\b(?:5\d\d|5xx|internal server error|bad gateway|service unavailable|gateway time-?out|server error)\b"),
    "rejected": _rx(r"\b(?:declin(?:e|es|ed|ing)|reject(?:s|ed|ing)?|refus(?:es|ed|ing)|denied|invalid|not authori[sz]ed|unauthori[sz]ed|forbidden|40[13])\b"),
}
# One behaviour implies another: a login loop is a failure to get in.
_IMPLIES = {"loop": {"access"}, "stuck": {"slow"}, "truncated": {"missing"}}
# Behaviours specific enough to tell a problem apart; the rest ("missing", "slow") help only together with the feature.
SPECIFIC_SYMPTOMS = frozenset({"loop", "stuck", "duplicate", "wrong", "not_delivered", "crash", "server_error", "access", "rejected", "truncated"})
# a status code only where it is one ("HTTP 500", "500 errors", "a 429"), not any number ("below 500 orders")
_ERROR_CODE = re.compile(r"\b(?=[A-Z0-9_-]*[_0-9])[A-Z][A-Z0-9]*(?:[_-][A-Z0-9]+)+\b|"
                         r"(?<=\b(?:http|HTTP|Http) )[45]\d\d\b|\b[45]\d\d(?=s?\b (?:[Ee]rrors?|[Ss]tatus|[Rr]esponses?|[Ii]nternal|[Bb]ad|[Ss]ervice|[Tt]oo|[Nn]ot [Ff]ound|[Ff]orbidden|[Uu]nauthori))")
# How-to, configuration and request wording: a record that asks how to do something reports no failure.
_ASKS = _rx(r"^\s*(?:how|can (?:we|i|you)|is (?:it|there)|do you|does|where|what|which|why)\b|\b(?:how (?:do|can|to|should)|is there a way|"
            r"asks? (?:who|what|how|whether|if|where|when|which|why|about|for)|wants? to know|"
            r"feature request|would (?:like|love)|please add|wish|roadmap|request(?:ing)? (?:a|an|the)|enforce|make \w+ (?:mandatory|required)|"
            r"set ?up|configure|enable|turn on|documentation|training|walk ?through)\b")


def symptoms(text: str) -> set[str]:
    """The failure behaviours a text describes (see _SYMPTOMS), with what they imply."""
    flat = " ".join(text.split())
    found = {name for name, pattern in _SYMPTOMS.items() if pattern.search(flat)}
    for name in list(found):
        found |= _IMPLIES.get(name, set())
    return found


def error_codes(text: str) -> set[str]:
    """Error codes as systems print them (PAYRUN_LOCK_TIMEOUT, E-CENSUS-22, 502)."""
    return set(_ERROR_CODE.findall(text))


def asks_rather_than_reports(text: str) -> bool:
    """The record asks how to do something, or for something, rather than reporting a failure."""
    flat = " ".join(text.split())
    return bool(_ASKS.search(flat)) and not (symptoms(flat) & SPECIFIC_SYMPTOMS)
