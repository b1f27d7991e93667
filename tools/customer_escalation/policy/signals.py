"""Reading an issue description when no language model extracted the facts.

Pure functions of the text (and the policy's extra keywords). Each detected signal keeps
the words that triggered it as evidence, so a decision can show why. Precision matters as
much as recall: a how-to question about SSO is not an outage, so question and configuration
phrasing is detected too and outage/data signals require their own wording.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .concepts import BUG_CONCEPTS, INTEGRITY_CONCEPTS, SECURITY_CONCEPTS, lookalikes, plain, read_concepts

SIGNAL_NAMES = (
    "competing", "tried",
    "outage", "production_down", "blocked", "degraded", "data_loss", "security", "churn", "legal_or_pr", "public",
    "executive", "policy_exception", "feature_gap", "question", "configuration", "workaround", "sla_breach",
    "sla_risk", "recurrence", "confirmed", "bug", "intermittent", "beyond_support", "custom_implementation",
    "long_wait", "rising", "integrity", "competitive", "partial",
)

_P = {
    "outage": [
        r"\b(?:is|are|went|goes|was|been)\s+down\b", r"\bdown\s+for\b", r"\boutage\b", r"\b5\d\d\b(?:\s*(?:errors?|responses?|status))?",
        r"\b5xx\b", r"internal server error", r"bad gateway", r"service unavailable", r"gateway time-?out",
        r"\b(?:can(?:no|')t|unable to|not able to|cannot)\s+(?:log\s?in|sign\s?in|access|load|connect|reach|use)\b",
        r"\blog\s?in loop\b", r"\bredirect loop\b", r"\bnot loading\b", r"\bunavailable\b", r"\bcrash(?:es|ing|ed)?\b",
        r"\btimes? out\b", r"\btiming out\b", r"\btime-?outs\b", r"\btimed out\b", r"\bstopped (?:working|firing|sending|syncing|loading|responding|running|processing|delivering|arriving)\b", r"\bnot (?:working|responding)\b", r"\bbroken\b", r"\bfail(?:s|ing|ed|ure)\b",
    ],
    "production_down": [
        r"\bproduction (?:is )?down\b", r"\bprod(?:uction)? outage\b", r"\bcomplete(?:ly)? down\b", r"\bentire(?:ly)? down\b",
        r"\b(?:whole|entire) (?:platform|site|app|service|product)\b.*\b(?:down|unavailable)\b", r"\bsite(?:wide)? outage\b",
        # "nobody can sign in"; "nobody can tell them why" is an unanswered question, not an outage
        r"\b(?:nobody|no one) can\b(?! (?:tell|explain|say|figure|find|work out|answer|help|understand|reproduce|see why|confirm|give))", r"\ball (?:\w+ )?(?:customers|users) (?:can(?:no|')t|are unable)\b",
        r"\b(?:platform|service|api|app) is down\b", r"\bhard down\b",
        r"\b(?:everything|all services|the whole (?:app|site|platform|product)|the (?:website|site|app|platform)|our instance) (?:is|are|went|has gone) (?:completely )?down\b",
        r"\b(?:total|complete|full|global|major) outage\b",
        # every one of the customer's own users fails at the core task: their production is down
        r"\b(?:customers|shoppers|buyers|patients|students|members|guests|riders|passengers) (?:can'?t|cannot|are unable to|can no longer) (?:check ?out|pay|buy|order|book|log ?in|sign ?in)\b",
    ],
    "blocked": [
        r"\bblock(?:ed|ing|er)\b", r"\b(?:can(?:no|')t|unable to|not able to|cannot|no longer)\s+(?:export|download|upload|save|send|create|open|import|sync|print|generate|submit|pay|invite|edit|delete|update|run|schedule|share)\b", r"\b(?:can(?:no|')t|cannot|unable to|not able to)\b", r"\bstopped working\b",
        r"\bdown\b", r"\bhalted\b", r"\bstuck\b", r"\blog\s?in loop\b",
    ],
    "degraded": [r"\bslow(?:er|ness|ly)?\b", r"\bintermittent(?:ly)?\b", r"\bdelay(?:ed|s)?\b", r"\blag(?:gy|ging)?\b", r"\bsometimes\b", r"\bsporadic\b", r"\boccasional(?:ly)?\b"],
    "data_loss": [
        r"\bmissing (?:rows|records|data|entries|events|transactions|fields|values)\b", r"\bdata (?:loss|lost|missing|corrupt\w*)\b",
        r"\blost (?:data|records|rows|work|changes)\b", r"\b(?:was|were|got|been) (?:deleted|wiped|erased|overwritten)\b",
        r"\bcorrupt(?:ed|ion)?\b", r"\bwrong (?:totals|numbers|values|amounts|data|figures)\b", r"\bincorrect (?:totals|data|values|amounts|numbers)\b",
        r"\bdata (?:integrity|mismatch|discrepanc\w+)\b", r"\bduplicate(?:d)? (?:records|rows|entries)\b", r"\brows? (?:are|is) missing\b",
        r"\b(?:records|rows|data) (?:disappeared|vanished)\b", r"\b(?:text|work|notes?|changes|edits|entries|data|content|drafts?|answers?|submissions?) (?:is |was |were |are )?(?:gone|lost|wiped|erased)\b",
        r"\blost (?:another|an?|the|their|all|his|her) (?:\w+ )?(?:addend\w+|notes?|drafts?|entries|records?|submissions?|orders?|files?|documents?|work|answers?|edits?)\b",
        r"\b(?:deleted|wiped|erased|overwrote|overwritten|purged|dropped|lost|removed)\s+(?:\d[\d,]*\s+|all\s+|some\s+|many\s+|most\s+|our\s+|their\s+|the\s+|its\s+)*(?:contacts|records|rows|data|files|entries|events|transactions|orders|invoices|reports|dashboards|history)\b",
    ],
    "security": [
        r"\bsecurity (?:issue|incident|concern|problem|hole|bug|breach|vulnerability|risk|report)\b", r"\bexpos(?:ed|ure|ing)\b", r"\bleak(?:ed|s|ing|age)?\b", r"\bunauthori[sz]ed\b", r"\bbreach(?:ed)?\b(?! of (?:the )?sla)",
        r"\b(?:another|other|different|someone else'?s?|somebody else'?s?)\s+(?:\w+\s+){0,2}(?:customer|company|companies|tenant|organi[sz]ation|org|account|user)'?s?\b.{0,40}\b(?:data|dashboards?|reports?|invoices?|records|files|information|details)\b",
        r"\b(?:see|view|access|seeing|viewing|accessing|saw)\b.{0,30}\b(?:someone|somebody|another|other)\b.{0,15}\b(?:else'?s|customer|company|tenant|user)'?s?\b",
        r"\bvulnerab\w*\b", r"\bcve-\d", r"\bexploit\w*\b", r"\bxss\b", r"\bcross[- ]site\b", r"\bsql injection\b", r"\bcsrf\b",
        r"\b(?:api keys?|credentials?|passwords?|secrets?|tokens?|private keys?)\b.{0,40}\b(?:public|posted|pasted|committed|leaked|exposed|shared|github|pastebin|plain ?text)\b",
        r"\b(?:public|posted|pasted|committed|leaked|exposed)\b.{0,40}\b(?:api keys?|credentials?|passwords?|secrets?|tokens?)\b",
        r"\bstill (?:has|have|had) access\b", r"\b(?:left|departed|former|ex-?employee|offboarded|terminated|fired)\b.{0,50}\b(?:can|could) still (?:log ?in|sign ?in|access|use|see)\b",
        r"\b(?:former|ex-?)\s?(?:employee|user|admin|staff|contractor)s?\b.{0,40}\b(?:log ?in|access|sign ?in)\b", r"\baccess after (?:being )?(?:removed|deleted|deprovisioned|offboarded|terminated)\b",
        r"\bprivilege escalation\b", r"\bphishing\b", r"\bmalware\b", r"\bhack(?:ed|er|ing)?\b", r"\bcompromised?\b",
        r"\b(?:gdpr|hipaa|soc ?2|pci|compliance|data protection|personal data|pii)\b.{0,60}\b(?:violat\w*|breach\w*|non-?complian\w*|concern\w*|finding|fail\w*|incident|expos\w*|leak\w*|deletion request|right to be forgotten|erasure)\b",
        r"\b(?:violat\w*|breach\w*|non-?complian\w*|expos\w*|leak\w*)\b.{0,60}\b(?:gdpr|hipaa|soc ?2|pci|compliance|personal data|pii)\b",
        r"\bpen(?:etration)? ?test(?:er|ers|ing|s)?\b", r"\bbug bounty\b",
        r"\b(?:rows|records|data|reports?|dashboards?|invoices?|files|information|details|emails?|entries)\b.{0,30}\b(?:from|of|belonging to|for) (?:a |an )?(?:different|another|other|someone else'?s?) (?:customer|company|tenant|organi[sz]ation|account|workspace|client)",
        r"\b(?:open|see|view|access|read|download)\w*\b.{0,25}\b(?:other|another|different)\s+(?:\w+\s+){0,1}(?:workspaces?|tenants?|organi[sz]ations?|customers?|accounts?)'?s?\b",
        r"\bchang\w+ the (?:\w+ )?id in (?:the |a )?(?:\w+ )?url\b", r"\bidor\b",
        r"\b(?:shows?|showing|shown|displays?|displaying|sees?|seeing|saw|exposes?|returns?|returned|leaks?|emails?|sent)\b.{0,20}\b(?:another|other|a different|someone else'?s?|somebody else'?s?)\s+(?:user|customer|tenant|company|account|person|patient|member|client)s?'?s?\b",
        r"\b(?:another|other|a different)\s+(?:user|customer|person|member|client)'?s?\s+(?:credit card|card|payment|address|email|phone|password|personal|medical|health|ssn|bank)",
        r"\blog ?ins?\b.{0,60}\bfrom (?:a |an )?(?:country|location|ip|region|device)s? (?:they|we|that|which)\b", r"\b(?:unrecogni[sz]ed|unknown|unfamiliar|foreign) (?:logins?|devices?|ip(?: address)?e?s?|locations?|countr(?:y|ies))\b",
        r"\bdata residency\b", r"\b(?:stored|hosted|processed|kept|replicated)\b.{0,30}\b(?:us|eu|uk|non-eu) region\b", r"\b(?:eu|us|uk)[- ]only\b.{0,40}\bcontract\b", r"\bcontract\b.{0,40}\b(?:eu|us|uk)[- ]only\b", r"\bsuspicious (?:login|activity|access)\b", r"\bimpersonat\w+\b",
        r"\bcross[- ]tenant\b", r"\bmfa bypass\b", r"\b2fa\b.{0,20}\bbypass\w*\b", r"\bwithout (?:a )?password\b",
    ],
    "churn": [
        r"\bchurn\w*\b", r"\bcancel(?:l?ing|l?ed)? (?:our |the |their |its )?(?:contract|subscription|account|plan)\b", r"\bnot (?:going to )?renew\w*\b",
        r"\bwon'?t renew\b", r"\b(?:switch|move|moving|switching|migrat\w+) to (?:a |another )?(?:competitor|\w+ instead)\b", r"\bcompetitor\b",
        r"\bleav(?:e|ing) (?:us|the platform|for)\b", r"\b(?:will|would|going to|plan(?:s|ning)? to|threaten\w* to) (?:leave|cancel|churn|walk(?: away)?|not renew)\b",
        r"\bleave at (?:the )?renewal\b", r"\b(?:pick|choose|go with|sign with|move to|switch to|select) [A-Z]\w+ (?:at|before|for|instead)\b", r"\bnot to renew\b", r"\bthreaten\w* to (?:leave|cancel|churn|walk)\b", r"\bevaluating alternatives\b", r"\bterminate (?:the|our) contract\b",
        r"\b(?:sign|go|going|move|moving|switch|switching|signing)\w* (?:with|to) (?:the |a |an )?(?:other|another|rival|competing|different|new) (?:vendor|provider|platform|supplier|tool|solution|company|product|system)\b",
        r"\b(?:getting|get|got|requesting|collecting|taking) (?:proposals|quotes|bids|demos|pitches|offers) from (?:other|another|rival|competing) (?:[\w-]+ )?(?:vendors?|providers?|platforms?|suppliers?|tools?|companies)\b",
    ],
    # a threat or exposure; a legal team asking a question is not one
    "legal_or_pr": [r"\blegal (?:action|threat|proceedings|claim|notice|letter|exposure|risk|liability)\b", r"\b(?:involv\w*|get\w*|bring\w*|escalat\w*|threaten\w*)\b.{0,20}\b(?:legal|lawyers?|attorneys?|counsel)\b",
                    # a lawyer brought into it; an attorney who is the customer ("solo attorney locked out") is not a threat
                    r"\b(?:call\w*|contact\w*|hir\w+|retain\w*|talk\w* to|spoke to|speak\w* (?:to|with)|consult\w*|engag\w+|brought in|bring\w* in|loop\w* in|cc'?d|copied|forward\w* (?:it |this )?to)"
                    r" (?:in )?(?:their|his|her|our|a|the|its|an) (?:\w+ )?(?:lawyers?|attorneys?|solicitors?)\b",
                    r"\b(?:their|his|her|its) (?:\w+ )?(?:lawyers?|attorneys?|solicitors?)\b(?! (?:asks?|asking|want to know|wants to know|needs?|requests?))",
                    r"\b(?:lawyers?|attorneys?|solicitors?) (?:have |has )?(?:sent|wrote|written|drafted|threaten\w*|demand\w*|(?:is|are) (?:involved|reviewing|looking into))\b",
                    r"\blawsuit\b", r"\bsue\b", r"\bregulator\w*\b(?! (?:asks?|asking))",
                    r"\b(?:general|legal|outside) counsel\b(?:\W+\w+){0,4}?\W+(?:sent|wrote|writes|letter|notice|demand\w*|wants to (?:talk|speak|meet))\b",
                    r"\b(?:demand|formal|legal|cease and desist) letter\b|\bletter from (?:their|a|the|its) (?:lawyers?|attorneys?|solicitors?|counsel)\b",
                    r"\b(?:health|consumer protection|trading standards|data protection|labou?r) (?:department|authority|board|agency|commissioner|office)\b(?:\W+\w+){0,4}?\W+(?:is |are )?(?:asking|investigat\w+|looking into|involved|inquir\w+)\b"],
    "public": [
        r"\btwitter\b", r"\btweet\w*\b", r"\bsocial media\b", r"\blinkedin\b", r"\breddit\b", r"\bpress\b", r"\bjournalist\b",
        r"\bpublic(?:ly)? (?:post|complain|review|blog)\w*\b", r"\bgo(?:ing)? public\b", r"\bbad review\b", r"\bg2\b", r"\b(?:in the|local|national|trade) news\b", r"\bnews (?:outlet|article|story|coverage|site)s?\b",
        r"\b(?:trustpilot|yelp|capterra|app store review|glassdoor)\b", r"\b(?:posted|left|wrote|published|gave us|giving us|threaten\w* (?:to post|a))\b[^.]{0,30}\b(?:\d|one|two)[- ]star review\b", r"\breporters?\b", r"\bwriting (?:a|an) (?:piece|story|article|post) (?:about|on)\b",
        r"\b(?:tv|television|radio|newspaper|local paper|paper|podcast|news) (?:\w+ ){0,2}?(?:segment|story|piece|report|crew|interview|coverage|show|programme|program)\b",
        r"\bon (?:camera|air|the news|television|tv)\b", r"\b(?:asking|asked|wants?) (?:them |us |her |him )?for (?:a )?comment\b",
    ],
    "executive": [
        # an executive asking for involvement; an executive asking a question ("the CFO asks how credits work") is not that
        r"\b(?:ceo|cto|cio|cfo|coo|ciso|vp|vice president|c-level|executive|exec|head of \w+|founder|president|provost|dean|chancellor|superintendent|director)\b"
        r".{0,40}\b(?:call|meeting|speak|talk|involv\w*|escalat\w*|email\w* (?:our|their|the|your) (?:ceo|csm|account|exec|leadership|vp|management)|hear from|response from|sit down|visit|on the phone)\b",
        r"\b(?:call|meeting|speak|talk|escalate) (?:with|to) (?:our|your|the) (?:ceo|cto|cfo|vp|vice president|executive|exec|leadership|management|founder)\b", r"\bexecutive (?:involvement|sponsor|escalation|call)\b",
        r"\bescalate to (?:your )?(?:management|leadership)\b",
        r"\b(?:ceo|cto|cio|cfo|coo|vp|founder|president|director|managing partner)\b(?:\W+\w+){0,5}?\W+(?:who is|who's|who will be|someone) (?:accountable|responsible|in charge)\b",
        r"\b(?:cc'?d|copied|looped in|added) (?:in )?(?:their|our|the|its) (?:ceo|cto|cio|cfo|coo|ciso|vp|founder|president|general counsel)\b",
        r"\bsomeone (?:with (?:authority|decision-making power)|senior|in charge)\b(?:\W+\w+){0,4}?\W+(?:to )?(?:call|contact|speak|talk|meet|respond)\b", r"\bspeak (?:to|with) (?:a |your )?(?:manager|leadership|management)\b",
    ],
    # the customer asks us for something outside policy; a refund as a product action ("how do I refund a shopper") is not that
    "policy_exception": [
        # "wants a service credit", "asks for a 40% discount": something for themselves ("wants refunds for cancelled events to go out
        # automatically" is a product behaviour they want, not an exception)
        r"\b(?:wants?|asks? for|asking for|asked for|requests?|requesting|requested|demands?|demanding|expects?|expecting|owed|deserves?|insists? on|push\w* for)\b"
        r"(?:\W+\w+){0,3}?\W+(?:a|an|the|their|our|its|full|partial|some|\$[\d,.]+[km]?|\d+%)\s+(?:[\w%$.,-]+\s+){0,2}?"
        r"(?:refund|credit|waiver|discount|extension|exception|compensation|reimbursement)s?\b(?! (?:a |the )?(?:shopper|customer|buyer|patient|student|client|guest))",
        r"\b(?:refund|credit|reimburse)\w* (?:us|them|their|our) (?:for|the)\b", r"\bwaive (?:the |their |our )?(?:fees?|charges?|penalt\w+|minimum|overage)\b", r"\bwaiver\b",
        r"\bcredits? beyond\b", r"\b(?:fees?|charges?|penalt\w+|minimums?|invoices?|bills?|overages?)\s+(?:[\w-]+\s+){0,5}?(?:waived|written off|refunded|credited)\b",
        r"\bmonth-to-month\b", r"\boutside (?:of )?(?:anything |what )?(?:we )?(?:normally |usually |would )?(?:allow|offer|permit|agree to)\b", r"\boutside (?:of )?(?:our |the )?(?:[\w-]+ )?(?:policy|standard terms)\b",
        r"\b(?:asks?|asking|asked|wants?|requests?|demands?)(?: again)? for (?:\w+ ){0,2}?(?:months?|weeks?|days?)'?s?'? (?:of )?(?:free |service )?(?:credits?|refunds?|fees? back)\b",
        r"\b(?:subscription|month'?s?|months'?|fees?|invoices?|bills?)\s+(?:\S+\s+){0,5}?(?:waived|written off|refunded|credited)\b",
        r"\b(?:\d+|a few|several) months early\b", r"\b(?:still |and )?keep (?:the |their |its )?(?:\d+% )?(?:[\w-]+ )?discount\b", r"\b(?:full|partial) refund of (?:their|the|our) (?:subscription|contract|fees|invoice|licen[cs]e)\b",
        r"\bextend (?:the|our|their) (?:trial|contract|deadline|term)\b", r"\b(?:\d+|\d+%) discount\b", r"\bdiscount (?:or|to|on the renewal)\b",
        r"\b(?:switch|change|move)\w* (?:\w+ ){0,3}from (?:annual|monthly|quarterly|yearly|upfront)\w* (?:\w+ ){0,3}to\b",
        r"\b(?:switch|change|move)\w* to (?:monthly|quarterly) (?:billing|payments?|invoic\w+)\b(?:.{0,40}\b(?:annual|contract|term))?",
        r"\b(?:drop|reduce|cut|lower)\w* (?:from )?\d[\d,]* (?:to \d[\d,]* )?(?:seats|licen[cs]es|users|agents|units)\b",
        r"\b(?:cut|reduce|lower|drop|waive)\w* (?:their |the |our )?(?:minimum|committed|commitment|volume commitment|floor)\b",
        r"\b(?:pro-?rated|early) (?:refund|termination|cancellation|exit)\b", r"\bend (?:[\w-]+ ){0,4}(?:contract|agreement|subscription|term) early\b",
        r"\bterminat\w+ (?:\w+ ){0,3}(?:contract|agreement) (?:\w+ )?early\b", r"\bout of (?:the|their|our) contract\b",
        r"\b(?:\d+|one|two|three|six|nine)[- ]month (?:renewal|term|contract|commitment)\b", r"\b(?:shorter|longer|custom|special|non-?standard|different) (?:term|contract|billing|pricing|payment terms)\b",
        r"\b(?:wants?|asks? for|asking for|asked for|requests?|requesting|demands?|demanding|claims?|claiming|invok\w+)\b(?:\W+\w+){0,5}?\W+(?:service credits?|sla credits?|contract(?:ual)? remed(?:y|ies)|(?:the )?remedy|penalt(?:y|ies) (?:clause|payment)|months? of (?:free |service )?(?:credit|service))\b",
        # "asks us to credit three months of subscription fees" (for themselves; "wants to refund a shopper" is a product action)
        r"\b(?:asks?|asking|asked|wants?|wanted|requests?|requesting) (?:us |them )?to (?:credit|refund|waive|reimburse|comp) (?:them|us|their|its|our|the (?:fees?|subscription|invoice|charges?|bill)|(?:[\w-]+ ){0,2}?(?:months?|weeks?|fees?|subscriptions?))\b",
        r"\bdowngrades? mid-?term\b|\b(?:drop|downgrade|move|switch)\w* (?:down )?to (?:the |a )?(?:[\w-]+ )?(?:plan|tier)\b[^.]{0,80}\b(?:contract|mid-?term|pay less)\b",
        r"\bpayment plan\b", r"\bdefer(?:red|ring)? (?:the )?(?:payment|invoice|renewal|billing)\b", r"\bpause (?:the |their |our )?(?:subscription|contract|billing)\b",
    ],
    "feature_gap": [
        r"\bfeature (?:request|gap|parity)\b", r"\bmissing (?:the |an? )?(?!rows|records|data|entries|events|transactions|fields|values)(?:[\w-]+ ){1,3}(?:feature|capability|functionality|support|option|integration)\b",
        r"\b(?:lack|absence|no) of (?:an? )?(?:[\w-]+ ){0,3}(?:feature|capability|functionality|integration)\b",
        r"\bmissing feature\b", r"\b(?:does(?:n't| not)|do(?:n't| not)|can't|cannot) (?:support|offer|have|provide)\b", r"\bno (?:way|option|ability) to\b",
        r"\black(?:s|ing)? (?:of )?(?:a |an )?\w+\b", r"\bwould (?:like|love)\b", r"\bwish(?:es)?\b", r"\bneed(?:s)? (?:a |an )?\w+ (?:feature|capability|option)\b",
        r"\bnot (?:yet )?(?:supported|available)\b", r"\broadmap\b", r"\b(?:add|adding) support for\b",
        r"\b(?:keep|kept|keeps) asking for\b", r"\basking for (?:an? |the )?(?!help|a refund|refund|an update|update|access)\w+", r"\brequest(?:s|ed|ing)? (?:for )?(?:an? |the )?(?:new |native )?\w+ (?:feature|export|integration|option|setting|report|view)\b",
        r"\b(?:several|many|multiple|\d+|two|three|four|five|six|a few|some|more) (?:\w+ ){0,2}?(?:customers|clients|accounts|districts|schools|clinics|practices|merchants|stores|shippers|carriers|companies|tenants|teams|users|restaurants|hotels|brokers|agencies|firms|fleets|venues|sites|buyers|sellers) (?:\w+ ){0,2}?(?:want|asked for|ask for|are asking for|keep asking for|request(?:ed)?|need|asked to|ask to|are asking to|asked (?:us )?(?:whether|if) they could)\b(?! to know)",
        r"\b(?:it'?s|it is|that'?s|that is|works?|working) (?:by design|as designed|as intended)\b|\bby design\b",
        # the workflow is not what customers expect: "the latest firm surprised that ... they expected one step"
        r"\b(?:surprised|confused|caught out) (?:that|when|by how)\b[^.]{0,120}\b(?:expected|keeps? coming up|every time)\b|\blatest (?:\w+ )?(?:firm|customer|client|account|practice|school|clinic|merchant) (?:to be )?(?:surprised|confused|asking)\b",
        r"\b(?:right now|currently|at the moment|today) (?:it'?s|it is|there'?s|there is|we have|it has|it only|we only|you can only|they can only) (?:only )?(?:one|a single|no|just one)\b",
        r"\bonly (?:lets|allows|let|allow) (?:them|you|us|users|customers|admins|people) (?:to )?\w+ (?:all|everything|one|a single)\b",
        # what the product does today, said as a limit: "the planner only allows one window per stop"
        r"\bonly (?:allows|supports|lets|offers|handles|accepts|permits) (?:one|a single|\d+|daily|weekly|monthly)\b", r"\b(?:is|are) (?:one|a single) [\w-]+ (?:\w+ )?(?:setting|option|value) today\b",
        r"\bonly an? [\w-]+ (?:\w+ )?exists\b", r"\bleaves? an? (?:[\w-]+ )?gap\b", r"\btoday (?:it|we|the product|the app) only\b",
        r"\b(?:customers?|merchants?|clients?|accounts?|shippers?|clinics?|schools?|districts?|practices?|companies|teams?|users?|hotels?|restaurants?|firms?|agencies|brokers?|stores?|venues?|properties|charities|nonprofits?|members?) (?:\w+ ){0,3}?asked (?:\w+ ){0,3}?(?:whether|if) (?:they|we) (?:can|could)\b",
        r"\bno (?:setting|option|toggle|switch|way|control) to (?:turn|switch|disable|stop|change|hide|remove|control|opt)\b", r"\bcan'?t (?:turn|switch) (?:it |this |that )?off\b",
        r"\basking again (?:if|whether|for)\b", r"\btoday (?:it'?s|it is|there'?s|there is|they can'?t|we can'?t|you can'?t|it can'?t) (?:one|a single|only|no)?\b",
        r"\basks? when (?:\w+ ){0,6}?(?:will|'ll) (?:be able to|get|have|support)\b", r"\bwhen will (?:we|they|you|it) (?:be able to|support|have|get)\b",
        r"\b(?:competitors?|rivals?) (?:that|which|who) (?:can|do|does|offer|have|support|allow)\b",
        r"\b(?:all |they all |each )?expected (?:it|this|that) to (?:be|work|happen)\b|\b(?:should|would) be the default\b", r"\b(?:we|it|the (?:product|platform|app)) only (?:do|does|support|supports|offer|offers|ha(?:s|ve)|work|works) (?:in )?[\w-]+(?: \w+)? today\b", r"\bwithout (?:\w+ ){1,8}(?:they'?ll|they will|they would|we'?ll lose|they'?d)\b", r"\b(?:wants?|would like|asks? for|asking for) (?:a way |the ability |an option )?to (?:cap|limit|restrict|split|combine|merge|book|schedule|group|bundle|set|assign|route|customi[sz]e)\b",
        r"\bunless (?:we|you) (?:add|build|support|ship|offer|provide)\b", r"\bunless (?:we |you )?(?:commit|committed)\b|\bunless (?:[\w-]+ ){1,5}(?:is|are|gets?|get) (?:committed|on the roadmap|delivered|shipped|built)\b",
        r"\bmust[- ]have\b", r"\b(?:another|other|a different) (?:provider|vendor|platform|tool|supplier) (?:that|which|who) (?:does|offers|has|supports|can)\b", r"\b(?:if|unless) (?:we|you) (?:can'?t|cannot|don'?t|do not|won'?t|will not) (?:yet )?(?:do|support|offer|provide|add|build|handle|have|allow)\b", r"\b(?:renew|stay)\w* (?:\w+ ){0,3}without (?:an? |the )?\w+", r"\bexpect\w* (?:\w+ ){1,4}to (?:persist|stay|remain|be saved|be kept|support)\b",
        r"\bover (?:the )?(?:missing|lack of|absence of) (?:an? )?\w+", r"\b(?:build|add|create|develop) (?:us |them )?(?:a |an )?(?:custom |new |native |dedicated )?[\w-]+ (?:connector|integration|feature|plugin|report|export|api)\b",
        r"\b(?:need|needs|want|wants|requesting|requested|asked for|asking for) (?:an? |the )?(?:native |built-in )?(?:[\w-]+ ){0,2}(?:integration|connector|plugin|feature|capability|add-?on)\b", r"\bwants? (?:an? |the )?(?:native|built-in|new) \w+",
    ],
    "question": [
        r"^\s*(?:how|what|where|when|which|why|can i|can we|is (?:it|there)|are there|do (?:i|we|you)|does)\b", r"\bhow (?:do|can|should|to)\b",
        r"\bis there a way\b", r"\bwhere (?:can|do) (?:i|we)\b", r"\bdocumentation\b", r"\bguidance\b", r"\btraining\b", r"\bwalk(?:through| me through)\b",
        r"\bbest practice\b", r"\bquestion\b", r"\?\s*$", r"\basks? (?:if|whether|how|what|where|which|who|when|why|about|for (?:guidance|help|instructions|documentation))\b",
        r"\bwants? to know\b", r"\bwonder(?:s|ing)\b", r"\bwhat (?:do|does|should|must) (?:they|we|i|you|he|she) (?:need to |have to )?do\b", r"\bcan(?:no|')t (?:find|figure out) (?:how|where)\b",
        r"\basking (?:if|whether|how|what|where|which|why|about)\b", r"\bwould like (?:a |an )?(?:walk-?through|demo|training|overview|session)\b",
        r"\b(?:wants?|asks? for|asking for|requests?|requesting|needs?) (?:a |an |the )?(?:written |formal |full )?(?:explanation|rca|post-?mortem|incident report|write-?up|root cause analysis)\b",
    ],
    "configuration": [
        # a change on the customer's side the failure began with ("since their dev moved the receiver to a new server")
        r"\b(?:since|after) (?:their|the customer'?s?|the merchant'?s?|the client'?s?) (?:[\w-]+ ){0,2}(?:moved|changed|rotated|switched|updated|migrated|replaced|renamed|reset)\b",
        r"\bconfigur\w+\b", r"\bsettings?\b", r"\bset ?up\b", r"\bmisconfigur\w+\b", r"\bpermissions?\b", r"\brole(?:s)? (?:assignment|setting)\b",
        r"\bafter (?:a |the )?(?:plan )?downgrade\b", r"\b(?:haven't|hasn't|have not|has not|didn't|did not|forgot to|never) (?:yet )?(?:upload|configur|set up|set|add|enable|update|install|renew|verif)\w*\b", r"\b(?:quota|limit) (?:on|for) (?:their|the|our) plan\b", r"\bwrong (?:url|endpoint|setting|region)\b",
    ],
    "workaround": [r"\bworkaround\b", r"\bwork around\b", r"\btemporary fix\b", r"\bworks if\b", r"\bworks when\b",
                   # a stopgap that keeps them going: "re-filing by hand for now", "emailed in instead, which is ok for now"
                   r"\b(?:by hand|manually|instead|meanwhile|in the meantime|from the (?:\w+ )?(?:statement|report|export|spreadsheet)|over e-?mail|by e-?mail|by phone)\b[^.;]{0,40}\bfor now\b",
                   r"\b(?:ok|okay|fine|workable|manageable|good enough|livable) for now\b",
                   r"\b(?:gives?|gets?|got|shows?) the (?:right|correct) (?:number|total|amount|result|figure|value)s?\b"],
    "sla_breach": [r"\bsla (?:breach\w*|missed|violat\w+|blown)\b", r"\b(?:blown|blew|broken|broke|breached|violated|exceeded|blown through|gone past|way past|well past) (?:the |our |their |its )?(?:\w+ )?sla\b",
                   r"\bopen (?:for )?(?:over |more than )?\d+ (?:hours?|hrs|h|days?) (?:against|vs\.?|versus|past|over|on|with) (?:a |an |the |their |its )?\d+[- ]?(?:hours?|hrs?|h|days?)\b",
                   r"\b(?:open|waiting|unresolved|unanswered|sitting|stuck)\b (?:for |since )?(?:almost |nearly |over |more than )?(?:\w+ )?(?:days?|weeks?|monday|tuesday|wednesday|thursday|friday|saturday|sunday|last week)\b"
                   r"(?:\W+\w+){0,20}?\W+(?:contract|sla|agreement|msa)\w*\b(?:\W+\w+){0,5}?\W+\d+[- ]?(?:hours?|hrs?|h)\b", r"\bfirst (?:reply|response) took (?:over |more than )?(?:\d+|two|three|four|five|several) (?:days|weeks)\b",
                   r"\btook (?:over |more than )?(?:\d+|two|three|four|five|several) (?:days|weeks) to (?:reply|respond|answer|get back)\b", r"\b(?:breach\w*|miss\w*|violat\w+) (?:of )?(?:the |our |their )?sla\b", r"\bpast (?:the |its |their )?sla\b", r"\bover (?:the )?sla\b", r"\bout of sla\b"],
    "sla_risk": [r"\bsla\b.{0,25}\brisk\b", r"\bclose to (?:the )?sla\b", r"\bsla (?:deadline|clock)\b", r"\bnear(?:ing)? (?:the )?sla\b"],
    "recurrence": [
        r"\bagain\b", r"\brecurr\w+\b", r"\bcame back\b", r"\bcoming back\b", r"\bregress\w*\b", r"\bwas (?:supposed to be |already |marked )?fixed\b",
        r"\breappear\w*\b", r"\bback again\b", r"\bre-?opened\b", r"\bthought (?:it|this) was fixed\b",
        r"\bdidn'?t (?:we|you) fix\b", r"\bthought (?:we|you) (?:had )?fixed\b", r"\b(?:we|you) fixed (?:this|that|it)\b", r"\b(?:third|fourth|fifth|\d+(?:rd|th)) time\b",
        r"\b(?:another|yet another) (?:one|case|occurrence|instance)\b",
    ],
    "confirmed": [r"\bconfirmed\b", r"\breproduc(?:ed|ible)\b", r"\bcan reproduce\b", r"\bverified\b", r"\bconsistently\b"],
    "bug": [r"\bbug\b", r"\b(?:can(?:no|')t|unable to|not able to|cannot|no longer)\s+(?:export|download|upload|save|send|create|open|import|sync|print|generate|submit|pay|invite|edit|delete|update|run|schedule|share|"
            r"check ?out|order|book|ship|deploy|build|publish|scan|pull|push|load|connect|enroll|register|complete|finish|process|charge|refund|receive|get past|access|"
            r"play|stream|watch|dial|call|text|print|sign|log ?in|record|join|post|approve|submit)\b",
            r"\b(?:none of|no one|nobody|not one of|no)\b(?: \w+){0,3} can (?:\w+)\b", r"\b(?:isn't|is not|aren't|are not|not) (?:yet )?fixed\b", r"\bunless (?:you|we|it) (?:fix|get fixed)\b", r"\bstopped \w+ing\b", r"\bblank\b", r"\b(?:arriv\w+|delivered|running|coming) (?:\d+[-–]?\d* )?(?:minutes?|hours?|days?)? ?late\b", r"\btakes? (?:over|more than|about|nearly|almost) (?:a|an|\d+) (?:minute|hour)s?\b", r"\btakes? (?:\d+(?:-\d+)?|several|many) (?:seconds|minutes|hours)\b",
            r"\b(?:an? |one |\d+ )?hours? off\b", r"\boff by\b", r"\bdoubled\b", r"\bnot (?:showing|saving|syncing|sending|updating|loading)\b", r"\b(?:doesn't|does not|don't|won't) (?:work|load|sync|save|send|open)\b", r"\berror\w*\b", r"\bexception\b", r"\bstack ?trace\b", r"\bregress\w*\b", r"\bglitch\b", r"\bdefect\b", r"\bfail(?:s|ed|ing|ures?)?\b(?! to (?:see|understand|mention|notice))", r"\bstopped (?:working|after|since|on|yesterday|last|overnight|this)\b", r"\bwrong\b", r"\bincorrect\b", r"\bmissing rows\b", r"\bduplicate\b"],
    "intermittent": [r"\b(?:every )?now and (?:then|again)\b", r"\bfrom time to time\b", r"\bevery so often\b", r"\bon and off\b", r"\bintermittent(?:ly)?\b", r"\bsporadic(?:ally)?\b", r"\bsometimes\b", r"\boccasional(?:ly)?\b", r"\bflaky\b", r"\brandom(?:ly)?\b"],
    "beyond_support": [r"\bstuck on (?:why|the cause|what)\b", r"\bcan(?:no|')t (?:diagnose|figure out|find the cause|tell whether|tell if|tell which|tell why|see why|work out (?:why|which|what)|pin (?:it )?down)\b",
                       r"\b(?:can(?:no|')t|couldn'?t|could not|cannot) (?:see|find|spot) (?:a |any )?(?:pattern|cause|reason)\b", r"\bno (?:clear |obvious )?pattern\b",
                       r"\b(?:our |my )?test (?:cards?|accounts?|orders?|users?|payments?|devices?|students?|patients?|shipments?) (?:go through|work|pass|succeed|are fine|look fine)\b",
                       r"\b(?:re-?ran|reran|retried|re-?tried|re-?imported|re-?synced|re-?sent) (?:it|them|the \w+)?,? (?:and )?(?:got )?(?:the )?same (?:result|error|thing)\b",
                       r"\b(?:we|support|frontline|i) (?:can(?:no|')t|cannot|don'?t|do not) (?:see|access|read|get to|have access to) (?:the |their |its )?(?:\w+ )?(?:logs?|raw|responses?|config\w*|connector|infrastructure|database|server|backend|payloads?|traces?)\b",
                       r"\bno (?:access|visibility) (?:to|into) (?:the |their )?(?:\w+ )?(?:logs?|connector|infrastructure|database|server|backend|raw)\b", r"\b(?:couldn't|could not|can't|cannot|unable to) reproduce\b", r"\bfrontline (?:couldn't|could not|can't|cannot)\b", r"\bneeds? (?:deeper|specialist|advanced) (?:investigation|troubleshooting|knowledge)\b", r"\broot cause unknown\b", r"\bneed (?:backend|database|server|log) access\b", r"\bbeyond (?:our|support)\b", r"\bno idea why\b", r"\bout of ideas\b"],
    "custom_implementation": [r"\bcustom (?:implementation|integration|build|deployment|code|connector|theme|script|middleware)\b",
                              r"\b(?:custom|bespoke|custom-built|hand-built) (?:[\w-]+ ){1,3}(?:feed|integration|interface|connector|script|export|import|sync|middleware|bridge)\b", r"\bself-?hosted\b",
                              r"\bprivate ?link\b", r"\b(?:heavily |hand-?)?edit(?:ed)? (?:their |the )?(?:theme|checkout|template)(?:'s)?(?: (?:theme|checkout|template))? code\b", r"\b(?:their|a) (?:own )?developer (?:heavily |has )?(?:edited|changed|customi[sz]ed|wrote)\b", r"\bon-?prem\w*\b", r"\bbespoke\b", r"\bprofessional services\b"],
    "long_wait": [r"\b(?:hasn't|haven't|has not|have not|hadn't) (?:heard|had (?:a |an |any |a single |one )?(?:reply|answer|response|update))\b",
                  r"\b(?:without|with no|no) (?:a (?:single )?)?(?:reply|answer|response) (?:for|in|since)\b", r"\bno (?:real |proper |useful |meaningful |substantive |actual )?(?:reply|answer|response|update) (?:in|for) (?:over |more than )?(?:\d+|a|two|three|four|five|several) (?:days|weeks)\b",
                  r"\b(?:open|waiting|unresolved|unanswered) (?:for )?(?:almost |nearly |over |more than )?(?:\d+|two|three|four|five|six|seven|several) (?:days|weeks)\b[^.]{0,80}\b\d+[- ]hours? (?:resolution|response|sla|fix)\b",r"\bwaiting (?:for )?(?:over |more than )?(?:\d+|a|two|three|several) (?:days|weeks|months)\b", r"\bno (?:response|answer|reply|update)\b", r"\bstill waiting\b", r"\bignored\b", r"\bweeks? (?:now|already)\b", r"\bfollowed up (?:\d+|several|multiple) times\b"],
    "competing": [r"\bwants?\b.{0,100}\b(?:while|whereas|but)\b.{0,100}\b(?:wants?|insists?|requires?|demands?|needs?)\b(?! to know)", r"\bwant opposite things\b|\bopposite (?:needs|requests|requirements)\b",
                  r"\bone (?:wants?|needs?)\b.{0,120}\b(?:the other|others?|another) (?:wants?|needs?)\b", r"\bwants?\b(?! to know)[^.;]{0,100}[,;]\s*(?:\w+\W+){1,5}wants?\b(?! to know)", r"\bcompeting (?:needs|requests|requirements|priorities)\b", r"\bconflicting (?:needs|requests|requirements)\b"],
    "tried": [r"\b(?:mappings?|settings?|config\w*|permissions?|setup|rules?|fields?|dns|records?|codes?|ids?)\s+(?:\w+\s+){0,2}?(?:checked|verified|reviewed|confirmed)\b",
              r"\b(?:all|everything|they all|it all|both|each)\s+checks? out\b|\bchecks? out against\b", r"\b(?:already|we(?: have| already)?|support(?: has)?|they(?: have| already)?|(?:the )?customer(?: has)?) (?:tried|followed|applied|regenerated|re-?synced|cleared|reset|restarted|reinstalled|re-?uploaded|checked|verified|ruled out|re-?added|re-?installed|re-?configured)\b",
              r"\b(?:the )?kb (?:steps|article|fix)\b.{0,40}\b(?:didn'?t|did not|don'?t|doesn'?t) (?:help|work)\b",
              r"\balready (?:set|applied|configured|done|enabled|checked)\b.{0,30}\b(?:per|following|as in|according to) (?:the )?(?:kb|article|docs?|documentation|guide)\b",
              r"\b(?:cleared|tried|checked|restarted|reinstalled|re-?installed|rebooted|reset|re-?synced|re-?ran|verified)\b.{0,60}\b(?:same|no change|still (?:\w+ )?(?:fails?|happens|broken)|didn'?t help|(?:all|everything) looks? (?:right|fine|correct|ok))\b",
              r"\b(?:all|everything) (?:looks?|seems?) (?:right|fine|correct|ok)\b",
              r"\b(?:neither|none of the|no) (?:\w+ )?(?:kb )?workarounds? (?:works?|helps?|appl(?:y|ies)|fits?)\b", r"\bworkarounds? (?:don'?t|doesn'?t|didn'?t|won'?t) (?:work|help|apply|fit)\b",
              r"\b(?:didn't|did not|doesn't|does not) help\b", r"\bno luck\b", r"\b(?:re-?pushed|re-?sent|re-?mapped|re-?imported|re-?uploaded|re-?saved|re-?connected) (?:it |them )?(?:\w+ )?(?:twice|again|several times|\d+ times)\b",
              r"\b(?:twice|again|several times|\d+ times),? (?:with )?no (?:change|difference|effect|luck)\b", r"\bstill (?:fails|failing|broken|blank|happening|not working)\b",
              r"\b(?:is|are) (?:already )?set\b.{0,40}\b(?:and|but)\b"],
    "partial": [r"\bother (?:[\w-]+ ){0,2}?(?:are |is |look |looks |seem |seems |work |works )?(?:fine|ok|okay|normal)\b", r"\b(?:only (?:in |on |for |at )?(?:some|a few|certain|one|two|three|\d+)\b|(?:in|on|for|at) (?:[\w,]+ ){0,8}?only\b)", r"\b\d+ (?:in|out of) \d+\b",
                r"\b(?:some|a few|certain|a handful of) (?:of (?:the|their) )?(?:users|students|patients|orders|courses|stores|locations|sites|devices|pages|reports|shipments)\b",
                r"\bone (?:campus|site|store|location|course|class|clinic|warehouse|branch|region)\b", r"\b(?:everyone|everything) else (?:is|works|seems) fine\b",
                r"\bother (?:\w+ )?(?:are|is|work|works|seem) fine\b"],
    "rising": [r"\bgetting worse\b", r"\bmore and more\b", r"\bincreasing(?:ly)?\b", r"\bspreading\b", r"\bgrowing\b", r"\bescalating\b"],
}

_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a dozen": 12, "dozens of": 24, "hundreds of": 200, "several": 3, "multiple": 2, "many": 5}
_COUNT = re.compile(
    r"\b(\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|a dozen|dozens of|hundreds of|several|multiple|many)\s+"
    r"(?:\w+\s+){0,2}?(customers?|accounts?|clients?|tenants?|companies|organi[sz]ations|orgs|users?|seats?|people|employees|agents|"
    r"districts?|schools?|universit(?:y|ies)|colleges?|clinics?|practices?|hospitals?|merchants?|stores?|shops?|sellers?|carriers?|shippers?|"
    r"brands?|firms?|institutions?|dealers?|restaurants?|hotels?|students|patients|drivers)\b",
    re.IGNORECASE,
)
_ALL = re.compile(r"\b(?:all|every|each)\s+(?:of\s+(?:our|the)\s+)?(?:(\w+)\s+)?(customers?|accounts?|tenants?|users?|clients?)\b|\b(everyone|everybody|all regions|every region|globally)\b", re.IGNORECASE)
_MONEY = re.compile(r"\$\s?(\d[\d,]*(?:\.\d+)?)\s*(k|m|mm|million|thousand)?\b(?:\s*(arr|acv|mrr|contract|deal|renewal|pipeline|a year|per year|annually))?", re.IGNORECASE)
_MONEY_SUFFIX = re.compile(r"\b(\d[\d,]*(?:\.\d+)?)\s*(k|m|million)\s*(arr|acv|deal|contract)\b", re.IGNORECASE)
_DURATION = re.compile(r"\b(?:for|since|over|past|last|about|almost|nearly)\s+(?:the\s+)?(?:past\s+|last\s+)?(\d+|a|an|one|two|three|four|five|six|seven|several)\s+(minutes?|hours?|days?|weeks?|months?)\b", re.IGNORECASE)
_SINCE_DAY = re.compile(r"\bsince\s+(yesterday|last week|monday|tuesday|wednesday|thursday|friday|saturday|sunday|this morning|last night)\b", re.IGNORECASE)
_WAIT = re.compile(r"\b(?:heard|reply|replies|response|answer|update|contact)\w*\b.{0,30}?\b(?:in|for|over) (?:the )?(?:last |past )?(\d+|a|an|one|two|three|four|five|six|seven|several) (hours?|days?|weeks?)\b", re.IGNORECASE)
_ISO_DATE = re.compile(r"\b(20\d\d-\d\d-\d\d)\b")
_UNIT_HOURS = {"minute": 1 / 60, "hour": 1, "day": 24, "week": 168, "month": 720}
_SMALL = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "several": 3}


@dataclass
class TextSignals:
    found: dict[str, str] = field(default_factory=dict)  # signal -> the words that triggered it
    customer_count: int = 0
    user_count: int = 0
    count_evidence: str = ""
    segment: str = ""  # e.g. "Enterprise" from "all Enterprise customers"; "*" for all customers
    arr_mentioned: float = 0
    deal_mentioned: float = 0
    money_evidence: str = ""
    duration_hours: float = 0
    duration_evidence: str = ""
    wait_hours: float = 0  # how long the text says the customer has waited for an answer
    plans: list[str] = field(default_factory=list)
    concepts: dict[str, str] = field(default_factory=dict)  # concept -> the words it rests on (concepts.py)
    lookalikes: list[str] = field(default_factory=list)  # "SLA breach credits": an incident's name, no incident

    def has(self, name: str) -> bool:
        return name in self.found

    def concept(self, *names: str) -> str:
        """The evidence of the first of these concepts the text shows, or ''."""
        return next((self.concepts[n] for n in names if n in self.concepts), "")


def _compile(policy_keywords: dict[str, list[str]] | None) -> dict[str, list[re.Pattern]]:
    compiled = {name: [re.compile(p, re.IGNORECASE) for p in pats] for name, pats in _P.items()}
    for name, phrases in (policy_keywords or {}).items():
        compiled.setdefault(name, []).extend(re.compile(r"\b" + re.escape(p) + r"\b", re.IGNORECASE) for p in phrases)
    return compiled


@functools.cache
def _default() -> dict[str, list[re.Pattern]]:
    """The built-in patterns, compiled at the first issue read rather than at import (~30 ms the server's start skips)."""
    return _compile(None)


def read_signals(text: str, plans: list[str] | None = None, extra_keywords: dict[str, list[str]] | None = None) -> TextSignals:
    """Detect the signals in an issue description."""
    patterns = _compile(extra_keywords) if extra_keywords else _default()
    sig = TextSignals()
    flat = plain(text)
    sig.lookalikes = lookalikes(flat)
    # security words inside a look-alike ("SLA breach credits", "security questionnaire") are not an incident
    masked = _mask(flat, sig.lookalikes)
    for name, pats in patterns.items():
        for pat in pats:
            m = pat.search(masked if name == "security" else flat)
            if m:
                sig.found[name] = m.group(0).strip()
                break
    sig.concepts = {f.concept: f.evidence for f in read_concepts(flat)}
    _from_concepts(sig)
    _disambiguate(sig, flat)
    _counts(sig, flat)
    _money(sig, flat)
    _duration(sig, flat)
    m = _WAIT.search(flat)
    if m:
        raw = m.group(1).lower()
        sig.wait_hours = (_SMALL.get(raw) or (int(raw) if raw.isdigit() else 0)) * _UNIT_HOURS[m.group(2).lower().rstrip("s")]
    for plan in plans or []:
        if re.search(r"\b" + re.escape(plan) + r"\b", flat, re.IGNORECASE):
            sig.plans.append(plan)
    return sig


def _mask(text: str, phrases: list[str]) -> str:
    for phrase in phrases:
        text = text.replace(phrase, "·" * len(phrase))
    return text


def _from_concepts(sig: TextSignals) -> None:
    """What happened, read as concepts, feeds the signals the rules use."""
    c = sig.concept
    if ev := c(*SECURITY_CONCEPTS):
        sig.found.setdefault("security", ev)
    if ev := c(*INTEGRITY_CONCEPTS):
        sig.found.setdefault("integrity", ev)
    if ev := c(*BUG_CONCEPTS) or c("error_code"):
        sig.found.setdefault("bug", ev)
    if ev := c("stuck", "crash", "empty_result"):
        sig.found.setdefault("blocked", ev)
    if ev := c("churn"):
        sig.found.setdefault("churn", ev)
    if ev := c("competitive"):
        sig.found.setdefault("competitive", ev)
    if ev := c("legal_threat"):
        sig.found.setdefault("legal_or_pr", ev)
    if (ev := c("region")) and not sig.segment and "everyone" not in sig.concepts:
        sig.segment = ev
        sig.found.setdefault("breadth_all", ev)
        sig.count_evidence = sig.count_evidence or ev
    reset = next((x for x in sig.lookalikes if "reset" in x.lower()), None)
    if reset and not sig.has("breadth_all") and sig.customer_count < 2 and "after_change" not in sig.concepts:
        # "the password reset email never arrives", for one user: the classic how-to (spam folder, allowlist), not a
        # delivery failure; for everyone, or since a release, it stays a failure
        for name in ("not_delivered", "stuck"):
            said = sig.concepts.get(name)
            if said and re.search(r"arriv|receiv|\bget\b|\bgot\b|\bcame\b|\bcome\b|show", said, re.IGNORECASE):
                sig.concepts.pop(name)
                for signal in ("bug", "blocked"):
                    if sig.found.get(signal) == said:
                        sig.found.pop(signal)
                sig.found.setdefault("question", reset)
    if (ev := c("everyone")) and "breadth_all" not in sig.found:
        sig.found["breadth_all"] = ev
        sig.segment = sig.segment or "*"
        sig.count_evidence = sig.count_evidence or ev


def _quoted(text: str, words: str) -> bool:
    """The words stand inside a quotation: a message as the screen shows it."""
    return any(words.lower() in q.lower() for q in re.findall(r"(?:^|(?<=[\s:(\[]))[\"'“‘]([^\"'”’\n]{3,120})[\"'”’]", text))


# an event that is over, named by when it happened: "during the October 8 outage", "when their dashboards went blank for a while"
_PAST_EVENT = re.compile(r"\b(?:asks?|asking|wants? to know|wondering) (?:whether|if) (?:[\w-]+ ){0,10}?(?:were|was|got) (?:lost|affected|dropped|missed|duplicated|saved|processed|charged)\b|\b(?:during|in|from|after|by|on|through) (?:the|that|last \w+'s|yesterday's) (?:[\w-]+ ){0,3}?(?:outage|incident|downtime|disruption|interruption|maintenance)\b|"
                         r"\bwhen (?:\w+ ){0,4}?(?:went|was|were) (?:down|blank|offline|unavailable|dark)(?: for a (?:while|bit|few \w+|short time))?\b", re.IGNORECASE)


def _disambiguate(sig: TextSignals, text: str) -> None:
    """Remove signals the wording shows to be something else."""
    lower = text.lower()
    if sig.found.get("recurrence", "").lower() == "again" and re.search(r"\b(?:could|can|might|may|will|would|won'?t|to|never) happen again\b", lower):
        sig.found.pop("recurrence", None)  # "whether it could happen again" asks; nothing came back
    if (sig.has("question") or re.search(r"\b(?:wants?|asks? for|asking for|requests?|needs?) (?:a |an |the )?(?:written |formal |full )?"
                                          r"(?:explanation|rca|post-?mortem|incident report|write-?up|root cause analysis)\b", lower)) and re.search(r"\bwhat happened (?:with|to|during|on|in)\b|\b(?:what|who) caused\b|\bwhy (?:did|was|were)\b|"
                                         r"\broot cause (?:of|for)\b|\b(?:rca|post-?mortem|incident report|write-?up)\b|\bwhether it'?s (?:fully |really )?(?:fixed|resolved)\b|"
                                         r"\bexplanation of\b|\bconfirm(?:ation)? that nothing (?:was|got) lost\b|"
                                         r"\bexplanation (?:of|for) (?:why|what|how)\b", lower):
        # a question about a past event ("what happened with the outage on Oct 14"): nothing is failing now
        for name in ("outage", "blocked", "bug", "production_down", "degraded"):
            sig.found.pop(name, None)
    if sig.has("question") and _PAST_EVENT.search(lower):
        # "asks whether any card sales were lost in the Nov 3 outage": a question about an event that is over
        for name in ("outage", "blocked", "bug", "production_down", "degraded", "data_loss", "integrity"):
            sig.found.pop(name, None)
        for name in ("not_delivered", "stuck", "blank_page", "after_change"):
            sig.concepts.pop(name, None)
    asking = sig.has("question") and not sig.has("production_down")
    if asking and re.match(r"^\s*(?:how|where|what|is there|can i|can we|do i|do we)\b", lower):
        # "How do I configure SSO so users can't log in without MFA" asks for guidance, not an outage
        for name in ("outage", "blocked", "degraded", "bug", "data_loss", "intermittent", "integrity"):
            sig.found.pop(name, None)
    if sig.has("security") and re.search(r"\bsecurity (?:settings?|page|tab|section|questionnaire|review form)\b", lower) and not re.search(
        r"expos|leak|unauthori|breach|vulnerab|another|someone else|compromis|hack", lower
    ):
        sig.found.pop("security", None)  # a question about where the security settings are
        sig.found.setdefault("question", "security settings")
    if sig.has("sla_breach") and (asking or sig.has("question")) and re.search(
            r"\bsla breach\w* credits?\b|\b(?:how|what|whether|if|about|explain\w*)\b[^.?]{0,40}\bsla breach", lower):
        sig.found.pop("sla_breach", None)  # a question about SLA terms, not a breach that happened
    if re.search(r"\bnothing(?:'s| is| was| seems| looks)? (?:broken|wrong|down|failing)\b|\b(?:there(?:'s| is| was) )?no (?:incident|outage|downtime)\b(?! (?:page|report|write-?up))", lower):
        # "Nothing's wrong, they're reviewing terms", "No incident, they're putting their renewal pack together"
        for name in ("outage", "blocked", "bug", "degraded", "production_down"):
            sig.found.pop(name, None)
    if sig.has("policy_exception") and sig.has("question") and re.search(
            r"\b(?:how|what|whether|explain\w*|wants? to know|asking)\b[^.?]{0,60}\b(?:credits?|refunds?|discounts?|terms?)\b[^.?]{0,40}\b(?:calculated|worked out|computed|determined|apply|applied|work)\b", lower):
        sig.found.pop("policy_exception", None)  # how credits are worked out: a question about terms, not a request for one
    if sig.has("legal_or_pr") and sig.has("question") and re.fullmatch(r"(?:lawyers?|attorneys?)", sig.found["legal_or_pr"].lower()) and not re.search(
            r"\b(?:threat\w*|sue|suing|lawsuit|legal action|court|unless|complaint with|regulators?|ombudsman|(?:calling|call|called|contacting|contacted|getting|involving) (?:her|his|their|our|a|the) (?:lawyers?|attorneys?|solicitors?))\b", lower):
        sig.found.pop("legal_or_pr", None)  # "the patient's lawyer wants the records": a routine request, not a threat
    if sig.has("configuration") and re.search(r"\b(?:settings?|config\w*|roles?|permissions?|setup)\s+(?:all\s+)?(?:look|looks|are|is|seem|seems)\s+(?:right|fine|correct|ok)\b", lower):
        sig.found.pop("configuration", None)  # "roles look right in settings": the setting was checked; it is not the cause
        sig.found.setdefault("tried", "settings checked")
    if sig.has("configuration") and re.search(r"\b(?:went through|followed|did|completed|checked|tried) (?:every|each|all (?:of )?(?:the )?)?(?:steps?|instructions)\b|"
                                              r"\b(?:is|are|was|were) (?:already |all )?(?:verified|configured|set up|enabled)\b", lower):
        sig.found.pop("configuration", None)  # "the domain is verified and we followed every step of the setup article"
        sig.found.setdefault("tried", "setup steps followed")
    if sig.has("question") and re.search(r"\basking why (?:nobody|no one|it (?:hasn'?t|has not|isn'?t)|this (?:hasn'?t|isn'?t)|we (?:haven'?t|have not))\b", lower):
        sig.found.pop("question", None)  # "asking why nobody has fixed it": a complaint, not a how-to
    if sig.has("configuration") and re.search(r"\bno (?:setting|option|toggle|switch|way|control) to\b|\bcan'?t (?:turn|switch) (?:it |this |that )?off\b", lower):
        sig.found.pop("configuration", None)  # "there's no setting to turn it off": a missing control, not a setting to fix
    if sig.lookalikes and not sig.has("outage") and not sig.has("bug") and any(
            re.search(r"questionnaire|report|summar|letter|attestation|certificat|document|docs|agreement|addendum|form|results|review|audit",
                      x, re.IGNORECASE) for x in sig.lookalikes):
        sig.found.pop("feature_gap", None)  # asking for a SOC 2 report or a questionnaire is a document request
        sig.found.setdefault("question", sig.lookalikes[0])
    if sig.has("feature_gap") and sig.has("question") and re.search(r"\b(?:would like|wants?|asks? for|asking for|needs?) (?:a |an )?(?:walk-?through|demo|training|overview|session)\b", lower):
        sig.found.pop("feature_gap", None)  # "would like a walkthrough of promoting builds": guidance, not a missing feature
    if sig.has("feature_gap") and _quoted(text, sig.found["feature_gap"]):
        sig.found.pop("feature_gap", None)  # "they all get 'Course not yet available'": a message on screen, not a request
    if sig.has("bug") and sig.found["bug"].lower() == "wrong" and re.search(r"\bdoing (?:it|something|this|that|anything) wrong\b", lower):
        sig.found.pop("bug", None)  # "is she doing it wrong?": a how-to question about use
        sig.found.setdefault("question", "doing it wrong")
    if sig.has("feature_gap") and sig.has("data_loss"):
        sig.found.pop("feature_gap", None)  # "missing rows" is data, not a missing feature
    if sig.has("policy_exception") and sig.found["policy_exception"].lower() == "exception" and sig.has("bug"):
        sig.found.pop("policy_exception", None)  # "NullPointerException" is an error, not a policy exception
    if sig.has("outage") and re.fullmatch(r"fail(?:s|ing|ed|ure)", sig.found["outage"].lower()) and asking:
        sig.found.pop("outage", None)


def _counts(sig: TextSignals, text: str) -> None:
    for m in _COUNT.finditer(text):
        raw, noun = m.group(1).lower(), m.group(2).lower()
        if re.match(r"\s+(?:a|per|each|every) (?:day|week|month|hour|year)\b", text[m.end():m.end() + 16], re.IGNORECASE):
            continue  # "phoning 80 customers a day": a rate of work, not how many customers are affected
        n = _NUMBER_WORDS.get(raw)
        if n is None:
            try:
                n = int(raw.replace(",", ""))
            except ValueError:
                continue
        if noun.startswith(("user", "seat", "people", "employee", "agent", "student", "patient", "driver")):
            sig.user_count = max(sig.user_count, n)
        else:
            if n > sig.customer_count:
                sig.customer_count = n
                sig.count_evidence = m.group(0)
    every = _ALL.search(text)
    if every:
        qualifier = "" if every.group(3) else (every.group(1) or "").strip()
        sig.segment = qualifier if qualifier and qualifier.lower() not in {"our", "the", "of", "my"} else "*"
        sig.count_evidence = sig.count_evidence or every.group(0)
        if not sig.found.get("breadth_all"):
            sig.found["breadth_all"] = every.group(0)


def _money(sig: TextSignals, text: str) -> None:
    for m in list(_MONEY.finditer(text)) + list(_MONEY_SUFFIX.finditer(text)):
        value = float(m.group(1).replace(",", ""))
        unit = (m.group(2) or "").lower()
        value *= 1_000 if unit in {"k", "thousand"} else 1_000_000 if unit in {"m", "mm", "million"} else 1
        kind = (m.group(3) or "").lower()
        if kind in {"deal", "pipeline"}:
            sig.deal_mentioned = max(sig.deal_mentioned, value)
        else:
            sig.arr_mentioned = max(sig.arr_mentioned, value)
        sig.money_evidence = sig.money_evidence or m.group(0)


def _duration(sig: TextSignals, text: str) -> None:
    best = 0.0
    for m in _DURATION.finditer(text):
        raw, unit = m.group(1).lower(), m.group(2).lower().rstrip("s")
        n = _SMALL.get(raw) or (int(raw) if raw.isdigit() else 0)
        hours = n * _UNIT_HOURS[unit]
        if hours > best:
            best, sig.duration_evidence = hours, m.group(0)
    since = _SINCE_DAY.search(text)
    if since and not best:
        word = since.group(1).lower()
        best = {"yesterday": 24, "last week": 168, "this morning": 4, "last night": 12}.get(word, 72)
        sig.duration_evidence = since.group(0)
    sig.duration_hours = best


def started_from_text(text: str, now: datetime) -> datetime | None:
    """An explicit ISO date in the text, or now minus a stated duration."""
    m = _ISO_DATE.search(text)
    if m:
        try:
            d = date.fromisoformat(m.group(1))
            return datetime(d.year, d.month, d.day, tzinfo=now.tzinfo)
        except ValueError:
            pass
    sig = TextSignals()
    _duration(sig, " ".join(text.split()))
    return now - timedelta(hours=sig.duration_hours) if sig.duration_hours else None
