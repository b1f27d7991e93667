import json, datetime as D, re
NOW = "2026-11-10T09:00:00Z"
def P(s): return D.datetime.strptime(s, "%Y-%m-%d %H:%M")
def iso(d): return d.strftime("%Y-%m-%dT%H:%M:%SZ")

ACC = {}
def A(key, name, dom, plan, arr, ren, tier, fr, rh, owner, contacts, ref, seg, notes):
    ACC[key] = dict(id="acc-"+key, name=name, domains=[dom], plan=plan, arr=arr, renewal_date=ren, sla_tier=tier,
        sla_first_response_hours=fr, sla_resolution_hours=rh, owner=owner,
        key_contacts=[dict(name=n, email=n.lower().replace("dr. ","").replace(" ",".")+"@"+dom, role=r) for n,r in contacts],
        reference_customer=ref, segment=seg, notes=notes, url="https://keelson.crm.example/accounts/acc-"+key)

A("halvorsen","Halvorsen Freight Systems","halvorsen.example","Enterprise",960000,"2026-12-15","Premium",1,8,"Dana Whitlock",
  [("Ingrid Halvorsen","CTO"),("Marcus Oyelaran","Director of Platform Engineering"),("Priscilla Tan","Procurement Lead")],True,"Logistics",
  "Largest account by ARR: ~1,100 engineers, 2,400 projects, about 9M build minutes a month. Reference customer (KeelsonConf 2026 keynote, public case study). Renewal 15 Dec 2026, not yet signed: the CTO has a competing CI/CD proposal that includes real-time audit log streaming to their SIEM. Renewal-risk items go to #cs-renewals.")
A("lumenfield","Lumenfield Health","lumenfield.example","Enterprise",610000,"2027-06-30","Premium",1,8,"Rahul Menon",
  [("Beatrix Almeida","CISO"),("Tom Feeney","Head of DevOps"),("Grace Olsen","Platform Engineer")],True,"Healthcare",
  "HIPAA BAA signed. Their SOC pulls Keelson audit events into Splunk with a nightly script against the Audit Log API. Strict change management: every production deploy must be traceable to an approved change. New platform team formed in October.")
A("ridgeway","Ridgeway Insurance Group","ridgeway-ins.example","Enterprise",720000,"2027-04-30","Premium",1,8,"Dana Whitlock",
  [("Oluwaseun Adebayo","VP Engineering"),("Carmen Velasco","Platform Lead"),("Derek Shaw","Vendor Risk Manager")],True,"Insurance",
  "Self-hosted runners inside their AWS VPC, connected through the Keelson Private Link connector, a custom implementation built by Keelson Professional Services (PS-2026-007). Frontline support has no access to the connector control plane or its logs; the PS team and the L2 platform specialists do. Vendor risk review runs every year before renewal paperwork.")
A("tessellate","Tessellate Payments","tessellate.example","Enterprise",480000,"2027-02-28","Premium",1,8,"Rahul Menon",
  [("Hannah Kowalczyk","CFO"),("Jorge Ibarra","Director of Engineering"),("Mei Lin","Compliance Manager")],False,"Fintech",
  "PCI DSS: production deploys need recorded change approval. Prepaid commitment of 20M build minutes/year at the committed rate, overage at on-demand rate. Contract: 1h first response on urgent tickets, service credits for missed SLAs. Earlier SLA credit dispute (ESC-115).")
A("cobaltline","Cobaltline Analytics","cobaltline.example","Enterprise",350000,"2027-08-01","Premium",1,8,"Sofia Marchetti",
  [("Lukas Wendt","CTO"),("Anja Petrov","Platform Engineer")],False,"Analytics (EU)",
  "All workloads pinned to eu-central (Frankfurt) for data residency; the contract forbids moving customer data outside the EU. Deploys 40-60 times a day.")
A("kestrel","Kestrel Mobility","kestrelmobility.example","Enterprise",420000,"2027-09-30","Premium",1,8,"Sofia Marchetti",
  [("Ayesha Raza","VP Engineering"),("Ben Carver","Security Engineer"),("Hugo Lindgren","Release Engineer")],True,"Mobility",
  "Open-source SDK repositories build on Keelson with public build logs. Heavy Windows and macOS runner usage. Multi-line secret shown in a public log in September (ESC-112), handled with their security team.")
A("sablecrest","Sablecrest Energy","sablecrest.example","Enterprise",280000,"2027-01-31","Priority",2,12,"Tomasz Nowak",
  [("Grace Mbeki","Head of Platform"),("Ivan Sokolov","Security Lead")],False,"Energy",
  "Works with contractors from two agencies; each contractor gets a personal access token limited to specific projects. Renewal 31 Jan 2027.")
A("nimbletide","Nimbletide Games","nimbletide.example","Business",210000,"2027-01-20","Standard",4,24,"Tomasz Nowak",
  [("Ravi Chandran","Build Engineering Lead"),("Elise Moreau","Finance Director"),("Kai Brennan","CEO")],False,"Gaming",
  "Game studio with a very large build volume; re-runs flaky jobs a lot. Has asked for arm64 runners since August. Renewal 20 Jan 2027; finance reviews every vendor invoice line by line.")
A("orchard","Orchard Lane Media","orchardlane.example","Business",145000,"2026-11-30","Standard",4,24,"Sofia Marchetti",
  [("Nadia Fortescue","Head of Digital"),("Colm Byrne","Lead Developer")],False,"Media",
  "Publisher running 30+ news sites on *.orchardlane.example (wildcard certificate), hosted in eu-central. Wildcard certificate expiry in October (ESC-108). Renewal 30 Nov 2026, not yet signed; usually pays about $12k a month.")
A("juniper","Juniper Row Software","juniperrow.example","Business",130000,"2027-05-10","Standard",4,24,"Rahul Menon",
  [("Femi Adeyemi","Engineering Manager"),("Lotte Jansen","DevOps Engineer")],False,"B2B SaaS",
  "Mix of hosted (Linux and Windows) and self-hosted runners; deploys to eu-central and us-east. Planning a move of backend services to Graviton (arm64) in 2027.")
A("pinecrest","Pinecrest Robotics","pinecrest-robotics.example","Business",92000,"2027-03-15","Standard",4,24,"Tomasz Nowak",
  [("Owen Whitaker","CTO"),("Yuki Sato","Firmware CI Lead")],False,"Robotics",
  "Three-year order form signed March 2025 with a 22% multi-year discount; no early termination or mid-term reduction under the order form. Firmware portal deployed to eu-central.")
A("tamarack","Tamarack Outdoor Co.","tamarack.example","Business",76000,"2026-12-01","Standard",4,24,"Sofia Marchetti",
  [("Jess Llewellyn","E-commerce Director"),("Arjun Pillai","Web Lead"),("Dana Frost","Finance Manager")],False,"Retail / e-commerce",
  "Storefront shop.tamarack.example plus regional sites on *.tamarack.example (wildcard certificate). Black Friday (27 Nov) is their biggest day; change freeze from 20 Nov. Renewal 1 Dec 2026.")
A("ashgrove","Ashgrove Dental Cloud","ashgrovedental.example","Business",58000,"2027-07-01","Standard",4,24,"Rahul Menon",
  [("Dr. Miriam Okonkwo","Founder & CEO"),("Pete Sandoval","Lead Engineer")],False,"Healthcare SaaS",
  "Practice-management SaaS. Moved their API app to the autoscaling web service in late October.")
A("fernhollow","Fernhollow Education Trust","fernhollow.example","Team",24000,"2027-08-31","Basic",8,72,"Kim Adair (pooled CSM)",
  [("Harriet Lowe","IT Director"),("Sam Odu","Developer")],False,"Education",
  "Runs student coding-club projects; build artifacts contain student names and work. Members managed by SCIM from their identity provider.")
A("driftwood","Driftwood Commerce","driftwoodcommerce.example","Team",15000,"2027-02-14","Basic",8,72,"Kim Adair (pooled CSM)",
  [("Marta Hartmann","CTO")],False,"E-commerce",
  "Nightly scheduled deploy pipeline at 01:30 America/New_York that runs database migrations.")
A("quarryvale","Quarry & Vale Digital","quarryvale.example","Team",18000,"2027-04-01","Basic",8,72,"Kim Adair (pooled CSM)",
  [("Toby Quarry","Founder"),("Rosa Vale","Producer")],False,"Agency",
  "Agency: one Keelson project per client, heavy use of preview environments. Price-sensitive, bills clients a fixed hosting fee.")
A("wrenfield","Wrenfield Labs","wrenfield.example","Team",12000,"2027-06-15","Basic",8,72,"Kim Adair (pooled CSM)",
  [("Ines Duarte","Staff Engineer")],False,"Biotech software",
  "Small team; deploys to their own AWS account from Keelson pipelines.")
A("moraine","Moraine Civic Tech","moraine.example","Team",9600,"2027-03-01","Basic",8,72,"Kim Adair (pooled CSM)",
  [("Abe Mulligan","Volunteer Coordinator"),("Chidi Nwosu","Volunteer Developer")],False,"Nonprofit",
  "Nonprofit (40% discount). Volunteer developers change often and mostly contribute from forks.")
A("umberfield","Umberfield Studios","umberfield.example","Team",7200,"2027-05-20","Basic",8,72,"Kim Adair (pooled CSM)",
  [("Noor Haddad","Tech Lead")],False,"Creative studio",
  "SAML SSO through their self-hosted Keycloak. Windows runners for a Unity project.")
A("saltmarsh","Saltmarsh Studio","saltmarshstudio.example","Starter",4800,"2027-02-01","Basic",8,72,None,
  [("Pia Marsh","Owner")],False,"Freelance / small business",
  "Two-person design studio; monthly budget is tight.")
A("velvetleaf","Velvetleaf Apps","velvetleaf.example","Starter",3600,"2027-01-10","Basic",8,72,None,
  [("Caleb Stone","Founder")],False,"Indie developer",
  "Solo developer, one project, Starter plan.")

AGENTS = ["Maya Delacroix","Jonas Berg","Lucía Ferrer","Tariq Hassan","Elin Sandvik"]
TK = []
def T(key, acc, created, status, prio, tags, subject, msgs, who=0, agent=None):
    TK.append(dict(key=key, acc=acc, created=created, status=status, prio=prio, tags=tags, subject=subject, msgs=msgs, who=who, agent=agent))

# ---------------- August ----------------
T("t_velvet_domain","velvetleaf","2026-08-16 10:05","solved","low",["domains"],"Connect my GoDaddy domain",[
 ("c",0,"How do I point velvetleaf.example at my Keelson app? GoDaddy won't let me add a CNAME on the root."),
 ("a",3,"For the apex use the A record 203.0.113.10 and a CNAME for www to velvetleaf.keelson.app, then add the TXT verification record (KB-301)."),
 ("c",20,"Verified and the cert came through, cheers.")])
T("t_yaml_anchor","pinecrest","2026-08-11 09:20","solved","low",["pipelines","yaml"],"Do pipelines support YAML anchors?",[
 ("c",0,"Our keelson.yml uses YAML merge keys (<<: *defaults) and the validator says 'unknown key <<'."),
 ("a",2,"Merge keys aren't supported by the pipeline parser. Use `extends:` templates instead (Pipelines > Reusing configuration)."),
 ("c",26,"Switched to extends, validator is happy.")],who=1)
T("t_cert_caa_saltmarsh","saltmarsh","2026-08-12 14:30","solved","normal",["domains","tls"],"SSL certificate stuck on Pending validation",[
 ("c",0,"I added saltmarshstudio.example as a custom domain two days ago and the certificate still says 'Pending validation'. The CNAME is right, the domain even loads over http."),
 ("a",4,"Your DNS has a CAA record that only allows sectigo.com, so our certificate authority can't issue. Add CAA 0 issue \"letsencrypt.org\" next to it (KB-302) and click Retry under Domains."),
 ("c",6,"Issued within ten minutes. Thank you!")])
T("t_health_ashgrove","ashgrove","2026-08-13 11:00","solved","normal",["deployments"],"Deploy failed: health check timed out",[
 ("c",0,"Deploy of ashgrove-api fails after 300s with 'Health check timed out'. Works fine locally."),
 ("a",1.5,"Your app listens on 3000 but the service routes to $PORT (8080). Bind to process.env.PORT or set the port in Service > Networking (KB-306)."),
 ("c",3,"Binding to PORT fixed it.")],who=1)
T("t_trunc_orchard","orchard","2026-08-14 16:10","solved","low",["builds","logs"],"Build log cut off",[
 ("c",0,"The log viewer just stops partway through our e2e run, so we can't see which test failed at the end."),
 ("a",2,"The web viewer renders at most 10,000 lines. Use 'Download raw log' on the job page or the jobs log API to get the full output (KB-313)."),
 ("c",5,"Got it from the raw log, thanks.")],who=1)
T("t_invite_moraine","moraine","2026-08-15 18:40","solved","low",["members"],"Invite email not arriving",[
 ("c",0,"I invited a new volunteer three times and she never got the email."),
 ("a",14,"Her provider rejected our email as bulk. Copy the invite link from Settings > Members > Pending invites and send it to her directly."),
 ("c",20,"That worked.")])
T("t_lumen_baa","lumenfield","2026-08-17 13:00","solved","low",["compliance"],"Copy of our BAA for records",[
 ("c",0,"Can you send the countersigned BAA again? Our compliance folder is missing it."),
 ("a",3,"Your account manager has re-sent the countersigned copy from the contract system."),
 ("c",5,"Received.")],who=0)
T("t_fork_moraine","moraine","2026-08-18 17:20","solved","normal",["previews","forks"],"No preview deploy for pull requests from forks",[
 ("c",0,"PRs our volunteers open from their forks don't get a preview URL. PRs from branches in our repo do."),
 ("a",5,"That's by design: fork PRs don't get secrets or automatic previews (KB-304). A maintainer can add the label keelson:preview-approved, or click 'Approve and deploy preview' on the PR check."),
 ("c",9,"The label works, thanks. We'll add it to our review checklist.")],who=1)
T("t_usage_umber","umberfield","2026-08-19 09:45","solved","low",["billing","usage"],"Dashboard minutes differ from invoice",[
 ("c",0,"The usage page says 6,910 build minutes for July, the invoice says 7,002. Which one is right?"),
 ("a",3,"Both: the usage page uses your browser's timezone, invoices use UTC calendar months. Switch the usage page to UTC (KB-307) and they'll match."),
 ("c",4,"In UTC it's 7,002. Makes sense.")])
T("t_secret_scope_juniper","juniper","2026-08-20 10:15","solved","normal",["secrets","previews"],"Env secret undefined in preview builds",[
 ("c",0,"DATABASE_URL is undefined in builds for PR previews but fine in production deploys."),
 ("a",1,"The secret is scoped to Production only. Edit it and tick the Preview scope, or add a separate preview value, then redeploy (KB-303)."),
 ("c",2,"Fixed, previews build now.")],who=1)
T("t_tess_deploy_windows","tessellate","2026-08-20 15:30","solved","low",["deployments","environments"],"Block production deploys on Fridays",[
 ("c",0,"Can we stop anyone deploying to production on Fridays after noon?"),
 ("a",2,"Yes: Environments > production > Deploy windows. Add a blocked window Fri 12:00-Mon 06:00 in your timezone."),
 ("c",3,"Done.")],who=1)
T("t_concurrency_saltmarsh","saltmarsh","2026-08-21 08:50","solved","low",["builds","queue"],"Second build just waits",[
 ("c",0,"If I push twice quickly, the second build sits in Queued until the first one is done. Is something broken?"),
 ("a",3,"Starter includes one concurrent job, so the second waits in 'Queued (concurrency limit)'. Turn on 'Auto-cancel superseded builds' in Project > Pipelines, cancel old runs, or upgrade for more concurrency (KB-317)."),
 ("c",5,"Auto-cancel is perfect for me.")])
T("t_disk_nimble","nimbletide","2026-08-22 12:00","solved","normal",["runners"],"No space left on device on hosted runner",[
 ("c",0,"Unreal builds fail with 'No space left on device' on linux-standard runners."),
 ("a",2,"Standard runners have 60 GB. Use the linux-large-disk class (250 GB) for those jobs: runner: linux-large-disk."),
 ("c",6,"Switched, builds pass.")])
T("t_runner_scale_ridge","ridgeway","2026-08-24 13:10","solved","low",["runners","self-hosted"],"Autoscaling self-hosted runners",[
 ("c",0,"Is there a recommended way to autoscale our self-hosted runners on EC2?"),
 ("a",3,"Yes, the runner autoscaler Helm chart or the EC2 Auto Scaling template in the docs (Runners > Self-hosted > Autoscaling). Your PS engineer can review the sizing."),
 ("c",24,"Thanks, we'll use the template.")],who=1)
T("t_arm_nimble","nimbletide","2026-08-25 15:00","solved","normal",["runners","feature-request","arm64"],"Arm64 hosted runners?",[
 ("c",0,"Do you have arm64 Linux hosted runners? We need native builds for our console dev-kit tooling and Android native libs. Emulating under QEMU takes 4x longer."),
 ("a",3,"Not today: hosted runners are x86_64 only, and the self-hosted agent doesn't support arm64 yet. I've added your request to PROD-81."),
 ("c",5,"Please keep us posted, this matters a lot for us next year.")])
T("t_sso_loop_drift","driftwood","2026-08-26 09:10","solved","normal",["sso","login"],"Login loops back to sign-in page in Safari",[
 ("c",0,"With SSO, Safari just bounces between Okta and your login page. Chrome works."),
 ("a",4,"Known Safari issue with 'Prevent cross-site tracking' (ENG-2150). Start login from the Keelson tile in Okta (IdP-initiated), or turn that Safari setting off for our domain."),
 ("c",6,"The Okta tile works. Thanks.")])
T("t_vat_sablecrest","sablecrest","2026-08-27 11:25","solved","low",["billing"],"Add our tax ID to invoices",[
 ("c",0,"Finance needs our tax ID on Keelson invoices."),
 ("a",2,"Billing > Details > Tax ID. It applies to future invoices; I've regenerated the July invoice with it."),
 ("c",4,"Perfect.")])
T("t_groups_halvorsen","halvorsen","2026-08-28 14:00","solved","normal",["sso","members","roles"],"Map Okta groups to Keelson teams",[
 ("c",0,"We want Okta groups to decide Keelson team membership instead of inviting people by hand."),
 ("a",1,"Settings > SSO > Group mappings: map each Okta group to a team and role. With SCIM on, membership updates within a few minutes."),
 ("c",20,"Configured for 40 groups, working.")],who=1)
T("t_pwreset_wren","wrenfield","2026-08-29 08:30","solved","low",["login","password"],"Password reset email never arrives",[
 ("c",0,"I asked for a password reset three times and nothing arrives, not even in spam."),
 ("a",3,"Your user signs in with GitHub, so there is no Keelson password to reset. Use 'Continue with GitHub' on the login page; to change credentials do it at GitHub (KB-309)."),
 ("c",4,"Ah, of course. In now.")])
T("t_macos_queue_nimble","nimbletide","2026-08-31 16:45","solved","normal",["runners","macos"],"macOS jobs waiting 30+ minutes",[
 ("c",0,"Our macOS jobs wait 30-40 minutes before starting during US mornings."),
 ("a",2,"macOS capacity is tight 14:00-18:00 UTC. We've added hosts on 2 Sep; for guaranteed capacity there's the reserved macOS add-on."),
 ("c",60,"Much better this week.")])

# ---------------- September ----------------
T("t_health_moraine","moraine","2026-09-02 19:00","solved","low",["deployments"],"health check timed out after 300s",[
 ("c",0,"our flask app deploy keeps failing 'health check timed out after 300s'. no idea why"),
 ("a",12,"The app binds to 127.0.0.1, so the health checker can't reach it. Bind to 0.0.0.0 and $PORT (KB-306)."),
 ("c",15,"yep that was it")],who=1)
T("t_pat_scope_pinecrest","pinecrest","2026-09-03 10:00","solved","low",["api-tokens"],"Deploy token for just one project",[
 ("c",0,"How do I make a token that can only deploy the firmware-portal project?"),
 ("a",1,"Create a project deploy token in firmware-portal > Settings > Tokens; it can't touch other projects (KB-312)."),
 ("c",2,"Got it.")],who=1)
T("t_matrix_wren","wrenfield","2026-09-04 14:20","solved","low",["pipelines"],"Exclude combinations in a matrix build",[
 ("c",0,"We want python 3.10-3.12 x ubuntu/windows but skip 3.10 on windows."),
 ("a",4,"Add an exclude: list under matrix with {python: '3.10', os: windows}."),
 ("c",5,"Works.")])
T("t_ipallow_sable","sablecrest","2026-09-05 09:30","solved","normal",["runners","network"],"Fixed egress IPs for hosted runners",[
 ("c",0,"Our firewall team wants fixed IPs for hosted runners calling our internal APIs."),
 ("a",2,"The Static Egress add-on gives you two fixed IPs per region. I've asked your account manager to send a quote."),
 ("c",30,"Add-on enabled, thanks.")])
T("t_usagecsv_nimble","nimbletide","2026-09-05 13:00","solved","low",["billing","usage"],"Where to download usage CSV",[
 ("c",0,"Finance wants a per-job usage export for August."),
 ("a",1,"Billing > Usage > Export CSV, pick the month; it lists every job with minutes and runner class."),
 ("c",2,"Found it.")],who=1)
T("t_2fa_lost_velvet","velvetleaf","2026-09-10 07:15","solved","normal",["login","2fa"],"Lost my phone with the 2FA app",[
 ("c",0,"New phone, old one is gone, can't get past 2FA."),
 ("a",4,"Use one of the recovery codes you saved when you enabled 2FA (KB-309), then re-enrol the new phone."),
 ("c",5,"Found the codes in my password manager. Back in.")])
T("t_cert_caa_umber","umberfield","2026-09-08 10:30","solved","normal",["domains","tls"],"SSL stuck pending",[
 ("c",0,"studio.umberfield.example has shown 'Pending validation' for 3 days, site works on http only."),
 ("a",5,"Your zone has CAA 0 issue \"digicert.com\" only. Add letsencrypt.org as allowed issuer (KB-302) and hit Retry."),
 ("c",8,"Issued. Thanks.")])
T("t_saml_case_umber","umberfield","2026-09-09 12:00","solved","normal",["sso","saml"],"One user can't log in via SAML",[
 ("c",0,"Everyone logs in fine except Noor, who gets 'No account for this identity'."),
 ("a",3,"Keycloak sends her email as Noor.Haddad@... and her Keelson member has it in lower case. Set the NameID mapper to lowercase the email."),
 ("c",4,"Fixed.")])
T("t_timeout_cobalt","cobaltline","2026-09-10 08:00","solved","low",["pipelines"],"Increase pipeline timeout beyond 60 minutes",[
 ("c",0,"Our nightly data-quality job needs about 90 minutes; it gets killed at 60."),
 ("a",0.5,"Set timeout_minutes on the job; Enterprise allows up to 360."),
 ("c",2,"Thanks.")],who=1)
T("t_secret_leak_kestrel","kestrel","2026-09-12 06:40","solved","urgent",["secrets","logs","public-project"],"Private key printed in our public build log",[
 ("c",0,"Our Android signing key (multi-line PEM stored as secret SIGNING_KEY) is readable in plain text in the public log of kestrel-sdk-android job 640118. Other secrets show as ***."),
 ("a",0.5,"Confirmed: masking didn't handle multi-line values. We've purged the log and engineering is working on it (ENG-2175). Please rotate the key now."),
 ("a",1,"Raised to our security team as ESC-112.",False),
 ("a",170,"The fix shipped on 18 Sep: multi-line secrets are now masked line by line. Logs of public projects from the affected window were purged."),
 ("c",172,"Thanks, key rotated and we've checked the other repos.")],who=1)
T("t_cron_lumen","lumenfield","2026-09-14 15:00","solved","low",["pipelines","schedules"],"Schedules in local time?",[
 ("c",0,"Can scheduled pipelines follow Chicago time instead of UTC?"),
 ("a",1,"Yes, add timezone: America/Chicago to the schedule."),
 ("c",2,"Great.")],who=2)
T("t_txt_wren","wrenfield","2026-09-15 09:00","solved","low",["domains"],"Domain verification TXT not found",[
 ("c",0,"Keelson says the TXT record for app.wrenfield.example isn't found, but I added it an hour ago."),
 ("a",2,"Your DNS provider appended the zone, so the record is at _keelson.app.wrenfield.example.wrenfield.example. Enter only _keelson.app as the host (KB-301)."),
 ("c",3,"Verified now.")])
T("t_payment_saltmarsh","saltmarsh","2026-09-16 11:00","solved","low",["billing"],"Card declined, how do I update my card",[
 ("c",0,"Got an email that my card was declined. How do I change it?"),
 ("a",2,"Billing > Payment method > Replace card. The failed invoice retries automatically within an hour."),
 ("c",3,"Done, paid.")])
T("t_cdn_drift","driftwood","2026-09-17 20:10","solved","normal",["deployments","cdn"],"Deploy succeeded but old site still shows",[
 ("c",0,"The deploy is green but customers still see yesterday's homepage."),
 ("a",10,"Your index.html is served with Cache-Control max-age=86400, so the edge keeps it for a day. Use Project > Edge > Purge cache and set no-cache on HTML."),
 ("c",12,"Purged and headers fixed.")])
T("t_build_slow_orchard","orchard","2026-09-18 10:30","solved","low",["builds","cache"],"Builds slower since last week",[
 ("c",0,"Our builds went from 4 to 11 minutes, no code changes."),
 ("a",2,"Your pipeline change on 9/11 removed the cache: block, so node_modules is installed from scratch. Put the cache step back."),
 ("c",4,"Oops. Back to 4 minutes.")],who=1)
T("t_artifact_ret_kestrel","kestrel","2026-09-20 12:00","solved","low",["artifacts"],"How long are artifacts kept?",[
 ("c",0,"How long do you keep build artifacts? We want 90 days for release builds."),
 ("a",2,"Default 30 days; set retention_days: 90 on the artifact step."),
 ("c",3,"Thanks.")],who=2)
T("t_moraine_cost","moraine","2026-09-21 16:00","solved","low",["billing","previews"],"Why did preview environments cost so much",[
 ("c",0,"Our bill jumped because of 'preview compute'. We're a nonprofit, what happened?"),
 ("a",8,"About 60 preview environments stayed up for weeks. Set Project > Previews > Auto-delete to 3 days and they'll stop costing when idle."),
 ("c",10,"Set to 3 days, thanks.")])
T("t_audit_stream_lumen","lumenfield","2026-09-22 14:00","solved","normal",["audit-log","feature-request"],"Stream audit log to Splunk in real time?",[
 ("c",0,"Our SOC wants Keelson audit events in Splunk within minutes. Today our script pulls the Audit Log API nightly."),
 ("a",2,"There is no push or streaming delivery today; the API export is the supported way. I've logged this as feature request PROD-77."),
 ("c",4,"Nightly leaves us blind for up to 24 hours on production changes. Please prioritise.")])
T("t_rollback_juniper","juniper","2026-09-23 09:40","solved","low",["deployments","roles"],"Rollback button greyed out",[
 ("c",0,"Lotte can't click Rollback on production, it's greyed out."),
 ("a",1,"Her role is Developer; production rollback needs Maintainer, or enable 'Developers can roll back' on the production environment."),
 ("c",2,"Gave her Maintainer.")],who=1)
T("t_2fa_tess","tessellate","2026-09-24 10:00","solved","low",["security-settings"],"Enforce 2FA for all members",[
 ("c",0,"Compliance wants 2FA mandatory for everyone in our org."),
 ("a",1,"Settings > Security > Require two-factor authentication. Members without it are asked to enrol at next login."),
 ("c",2,"Enabled.")],who=2)
T("t_runner_reboot_ridgeway","ridgeway","2026-09-25 07:30","solved","high",["runners","self-hosted"],"Self-hosted runners offline after OS patching",[
 ("c",0,"After patching and rebooting our runner hosts, all 12 runners show Offline. The agent log says RUNNER_AUTH_EXPIRED."),
 ("a",0.5,"Known issue in agent 4.12 (KB-305): run `keelson-runner register --renew` on each host, or upgrade to 4.12.3 which refreshes the credential at start."),
 ("c",1.5,"Renewed on all hosts, all online. We'll upgrade next window.")],who=1)
T("t_yaml_quarry","quarryvale","2026-09-26 13:30","solved","low",["pipelines","yaml"],"Pipeline YAML error 'unexpected key runs-on'",[
 ("c",0,"I copied a workflow from GitHub Actions and Keelson says unexpected key runs-on."),
 ("a",4,"Keelson uses runner: instead of runs-on:, and steps use run: the same way. See Migrating from GitHub Actions."),
 ("c",6,"Got it working.")])
T("t_ashgrove_logs","ashgrove","2026-09-27 10:00","solved","low",["logs","runtime"],"Send runtime logs to Papertrail",[
 ("c",0,"Can we ship our app's runtime logs to Papertrail?"),
 ("a",2,"Yes: Project > Log drains > Add syslog drain."),
 ("c",3,"Done.")])
T("t_preview_ttl_quarry","quarryvale","2026-09-28 09:00","solved","low",["previews"],"Preview environment disappeared after a week",[
 ("c",0,"A client was reviewing a preview and the link died after a week."),
 ("a",3,"Previews auto-delete after 7 days by default. Change it in Project > Previews > Auto-delete (up to 30 days)."),
 ("c",4,"Set 30 days for that client.")],who=1)
T("t_pull_backoff_nimble","nimbletide","2026-09-29 17:00","solved","normal",["deployments"],"Deploy failed DEPLOY_IMAGE_PULL_BACKOFF",[
 ("c",0,"Deploys of the matchmaking service fail with DEPLOY_IMAGE_PULL_BACKOFF."),
 ("a",1,"The registry credentials in the REGISTRY_AUTH secret expired yesterday. Update the secret and redeploy."),
 ("c",2,"That was it.")],who=1)
T("t_spend_quarry","quarryvale","2026-09-30 15:00","solved","low",["billing","feature-request"],"Hard limit on monthly spend?",[
 ("c",0,"Our clients pay us a fixed hosting fee. Can we stop Keelson charging us beyond $500 a month?"),
 ("a",5,"There's no hard cap today (KB-318). Set a budget with alerts at 50/80/100% and turn on 'Pause previews at budget'; the usage webhook can also disable pipelines through the API. I've added you to PROD-84."),
 ("c",7,"OK, alerts plus pausing previews will do for now.")])
T("t_cobalt_slow_deploy","cobaltline","2026-09-30 09:30","solved","low",["deployments"],"Deploys spend 6 minutes in Uploading",[
 ("c",0,"Deploys to eu-central spend ~6 minutes in 'Uploading'."),
 ("a",1,"The artifact is 2.3 GB because test fixtures are included. Add them to .keelsonignore."),
 ("c",3,"Now 40 seconds.")],who=1)

# ---------------- October ----------------
T("t_retention_cobalt","cobaltline","2026-10-01 10:00","solved","normal",["audit-log"],"Audit log only goes back 90 days",[
 ("c",0,"Our auditor needs 12 months of audit events, the audit log only shows 90 days."),
 ("a",1,"Retention is 90 days (KB-308). Configure the daily export to your S3 bucket in Settings > Audit log > Export and keep it as long as you need; the API can backfill the last 90 days."),
 ("c",5,"Export configured and backfilled.")],who=1)
T("t_cache_branch_juniper","juniper","2026-10-02 11:00","solved","low",["builds","cache"],"Cache not reused by feature branches",[
 ("c",0,"Every new feature branch starts with a cold cache."),
 ("a",2,"Caches are per branch; add cache.fallback: main so new branches restore main's cache."),
 ("c",3,"Works.")],who=1)
T("t_nonprofit_moraine","moraine","2026-10-03 12:00","solved","low",["billing"],"Nonprofit discount missing on invoice",[
 ("c",0,"September invoice doesn't show our 40% nonprofit discount."),
 ("a",20,"The discount expired with your annual verification; billing re-applied it and issued a corrected invoice."),
 ("c",22,"Thank you!")])
T("t_invoice_rounding_umber","umberfield","2026-10-04 09:00","solved","low",["billing"],"Invoice total doesn't add up",[
 ("c",0,"If I add the line items myself I get $600.41, the invoice says $600.44."),
 ("a",4,"Minutes are rounded up per job and each line is rounded to the cent; the differences add up to a few cents (KB-307)."),
 ("c",5,"Fine, thanks for explaining.")])
T("t_pl_subnet_ridge","ridgeway","2026-10-05 09:00","solved","normal",["private-link","runners"],"Add a second subnet to the Private Link connector",[
 ("c",0,"We need runners in a second subnet to use the Private Link connector."),
 ("a",1,"Frontline can't change the connector; I've passed this to the Professional Services team who built it.",True),
 ("a",30,"PS added subnet-b to the connector config this morning."),
 ("c",31,"Confirmed working.")],who=1)
T("t_mac_sign_kestrel","kestrel","2026-10-06 14:00","solved","normal",["runners","macos"],"macOS keychain prompt blocks codesign",[
 ("c",0,"codesign hangs on hosted macOS waiting for a keychain prompt."),
 ("a",2,"Use the keelson-keychain helper step to create an unlocked temporary keychain before signing."),
 ("c",4,"Signing works.")],who=2)
T("t_po_tess","tessellate","2026-10-07 10:00","solved","low",["billing"],"Add PO number to invoices",[
 ("c",0,"Please add PO 7781 to our invoices."),
 ("a",1,"Added under Billing > Details > PO number; future invoices will show it."),
 ("c",2,"Thanks.")],who=0)
T("t_bulk_roles_halv","halvorsen","2026-10-08 13:00","solved","low",["members","api"],"Change roles in bulk via API",[
 ("c",0,"We need to move 300 members from Developer to Viewer."),
 ("a",1,"PATCH /v2/orgs/{org}/members accepts a list; example script in the API docs."),
 ("c",3,"Done in one call.")],who=1)
T("t_secret_scope_wren","wrenfield","2026-10-08 16:00","solved","normal",["secrets","previews"],"STRIPE_KEY undefined in preview deploy",[
 ("c",0,"Our preview deploys crash because STRIPE_KEY is undefined. Production has it."),
 ("a",3,"STRIPE_KEY is scoped to Production only. Add a Preview-scoped value (use a test key) and redeploy (KB-303)."),
 ("c",4,"Works now.")])
T("t_usage_juniper","juniper","2026-10-09 08:30","solved","low",["billing","usage"],"Usage numbers different between dashboard and invoice",[
 ("c",0,"September: usage page 41,880 minutes, invoice 42,305. Our finance person is asking."),
 ("a",2,"The usage page is in your browser's timezone (CEST), invoices use UTC months. Switch the page to UTC (KB-307)."),
 ("c",3,"Matches in UTC.")],who=1)
T("t_ashgrove_scale","ashgrove","2026-10-09 15:00","solved","normal",["hosting","autoscaling"],"How to configure autoscaling",[
 ("c",0,"We want the API to scale between 2 and 10 instances on CPU."),
 ("a",1,"Service > Scaling > Autoscale: min 2, max 10, target CPU 65%."),
 ("c",2,"Configured.")],who=1)
T("t_waiting_approval_orchard","orchard","2026-10-10 07:50","solved","normal",["deployments","environments"],"Deploy stuck in Waiting for approval",[
 ("c",0,"Our production deploy has said 'Waiting for approval' for two hours."),
 ("a",1,"Production has a protection rule with Colm as the only approver, and he's on leave. An Admin can approve, or add more approvers in Environments > production."),
 ("c",1.5,"Nadia approved it. Added a second approver.")],who=0)
T("t_rename_moraine","moraine","2026-10-11 10:00","solved","low",["projects"],"Rename a project without breaking URLs",[
 ("c",0,"Can we rename a project without breaking the existing keelson.app URL?"),
 ("a",6,"Renaming keeps the old URL as a redirect for 90 days; custom domains are unaffected."),
 ("c",8,"Great.")],who=1)
T("t_runner_reboot_sable","sablecrest","2026-10-12 06:50","solved","normal",["runners","self-hosted"],"RUNNER_AUTH_EXPIRED after host restart",[
 ("c",0,"Three self-hosted runners stopped picking up jobs after a host restart, log shows RUNNER_AUTH_EXPIRED."),
 ("a",1,"That's KB-305 (agent 4.12): run keelson-runner register --renew, or upgrade to 4.12.3."),
 ("c",2,"Renewed, back online.")],who=1)
T("t_arm_pine","pinecrest","2026-10-13 10:00","solved","normal",["runners","feature-request","arm64"],"Native arm64 runners for firmware toolchain",[
 ("c",0,"Our robot controllers are arm64. Any plan for arm64 hosted runners, or can the self-hosted agent run on our Jetson boxes?"),
 ("a",2,"Neither is available yet: hosted runners are x86_64 and the agent doesn't support arm64. Added to PROD-81."),
 ("c",3,"We'll keep cross-compiling then, but it's slow.")],who=1)
T("t_fork_quarry","quarryvale","2026-10-14 11:00","solved","low",["previews","forks"],"Preview not built for contributor PR",[
 ("c",0,"A freelancer's PR from her fork didn't get a preview link."),
 ("a",4,"Fork PRs need approval before a preview (KB-304): add the keelson:preview-approved label."),
 ("c",5,"Worked.")])
T("t_bw_juniper","juniper","2026-10-15 09:00","solved","low",["billing","bandwidth"],"How is bandwidth measured?",[
 ("c",0,"Our bandwidth line doubled. How exactly is it measured?"),
 ("a",2,"Bandwidth is egress from the edge to visitors, including API responses (KB-307). Your new image endpoints account for most of it."),
 ("c",3,"Clear, thanks.")],who=2)
T("t_cache_win_kestrel","kestrel","2026-10-16 08:00","solved","normal",["builds","cache","windows"],"Windows jobs fail restoring cache",[
 ("c",0,"About 1 in 10 Windows jobs fail in the 'Restore cache' step with CACHE_KEY_MISMATCH. The key hasn't changed. A retry passes."),
 ("a",3,"We couldn't reproduce it on a test project. Retrying gets you through for now; send us job IDs if it keeps happening."),
 ("c",5,"OK, we'll live with retries for now.")],who=2)
T("t_trunc_pine","pinecrest","2026-10-17 14:00","solved","low",["builds","logs"],"Build log stops at 10,000 lines",[
 ("c",0,"The log viewer stops at line 10,000 and our HIL test summary is after that."),
 ("a",1,"The viewer's limit is 10,000 lines; use 'Download raw log' or publish the test report as an artifact (KB-313)."),
 ("c",2,"Using the artifact now.")],who=1)
T("t_concurrency_velvet","velvetleaf","2026-10-18 21:00","solved","low",["builds","queue"],"Builds stuck in queued",[
 ("c",0,"build is stuck queued, the other one from 10 min ago is still running though"),
 ("a",10,"On Starter only one job runs at a time; the next one waits in 'Queued (concurrency limit)'. Cancel the old one or enable auto-cancel of superseded builds (KB-317)."),
 ("c",12,"ok makes sense")])
T("t_lumen_token_policy","lumenfield","2026-10-19 10:00","solved","low",["api-tokens"],"Enforce a max token lifetime",[
 ("c",0,"Can we force all personal access tokens to expire within 90 days?"),
 ("a",1,"Yes: Settings > Security > Token policy > Maximum lifetime 90 days (KB-312). Existing tokens get the limit at their next use."),
 ("c",2,"Enabled.")],who=2)
T("t_quarry_transfer","quarryvale","2026-10-19 12:00","solved","normal",["projects"],"Transfer a project to our client's org",[
 ("c",0,"A client wants to own their project now. How do we move it to their org?"),
 ("a",3,"Project > Settings > Transfer; the receiving org's owner accepts. Secrets and domains move with it."),
 ("c",30,"Transferred.")])
T("t_wild_orchard","orchard","2026-10-20 05:10","solved","urgent",["domains","tls","wildcard"],"All our *.orchardlane.example sites show certificate expired",[
 ("c",0,"Every one of our news sites on *.orchardlane.example shows 'certificate expired' in browsers since about 1am. Readers are getting warnings, traffic has collapsed."),
 ("a",0.4,"Reproduced. Your wildcard certificate wasn't renewed. Engineering is on it."),
 ("a",0.5,"Looks like wildcard certs weren't picked up by the new cert manager after the 14 Oct migration. Filed ENG-2188, raised ESC-108.",False),
 ("a",2,"Engineering reissued your wildcard certificate manually; sites are serving a valid certificate again."),
 ("a",191,"Update: the fix for wildcard auto-renewal shipped today (ENG-2188). All wildcard certificates will renew automatically again."),
 ("c",192,"Thanks. Please make sure this never happens again, we renew with you next month.")],who=1)
T("t_domain_redirect_drift","driftwood","2026-10-20 13:00","solved","low",["domains"],"Redirect www to apex",[
 ("c",0,"How do we redirect www to driftwoodcommerce.example?"),
 ("a",3,"Domains > www > Redirect to > apex (301)."),
 ("c",4,"Done.")])
T("t_inc_halv","halvorsen","2026-10-21 14:10","solved","urgent",["runners","incident"],"All jobs queued for 40+ minutes",[
 ("c",0,"Since about 14:00 UTC none of our jobs on hosted runners start; hundreds are queued."),
 ("a",0.2,"We have an incident affecting hosted runners in us-east (status page). Engineering is working on it."),
 ("a",3.3,"Resolved at 17:20 UTC; queued jobs have run. Root cause write-up to follow (KB-310)."),
 ("c",4,"Confirmed, queue drained.")],who=1)
T("t_inc_kestrel","kestrel","2026-10-21 14:25","solved","high",["runners","incident"],"Builds not starting",[
 ("c",0,"Jobs sit at 'Waiting for runner' forever. Is something down?"),
 ("a",0.1,"Yes, an incident on us-east hosted runners; updates on the status page."),
 ("a",3,"Resolved at 17:20 UTC."),
 ("c",3.5,"All good now.")],who=2)
T("t_inc_tess","tessellate","2026-10-21 14:40","solved","high",["runners","incident"],"Runners unavailable?",[
 ("c",0,"Our release pipeline is stuck waiting for runners, we have a change window closing at 17:00 UTC."),
 ("a",0.1,"There's an ongoing incident with hosted runners in us-east. We'll update you as soon as it's resolved."),
 ("a",2.8,"Resolved at 17:20 UTC; your pipeline started at 17:22."),
 ("c",3,"We'll reschedule the window. Thanks for the updates.")],who=1)
T("t_tls_custom_quarry","quarryvale","2026-10-22 10:00","solved","low",["domains","tls"],"Can we upload our own certificate?",[
 ("c",0,"A client insists on their own EV certificate. Can we upload it?"),
 ("a",3,"Custom certificate upload is available on Business and Enterprise; on Team we issue managed certificates only."),
 ("c",5,"OK, we'll discuss with the client.")])
T("t_cobalt_region","cobaltline","2026-10-22 12:00","solved","low",["data-residency"],"Confirm build artifacts stay in the EU",[
 ("c",0,"Our DPO asks whether build artifacts and logs for eu-central projects are stored in the EU."),
 ("a",2,"Yes, artifacts, logs and caches for eu-central projects are stored in Frankfurt and replicated to Amsterdam only."),
 ("c",3,"Thanks.")],who=1)
T("t_preview_404_orchard","orchard","2026-10-23 09:30","solved","low",["previews"],"Preview URL 404 after merge",[
 ("c",0,"Editors complain the preview link 404s after the PR is merged."),
 ("a",2,"Previews are deleted when the PR merges or closes; use the production URL after merge."),
 ("c",3,"Understood.")],who=0)
T("t_audit_dd_tess","tessellate","2026-10-24 11:00","solved","normal",["audit-log","feature-request"],"Send audit events to Datadog?",[
 ("c",0,"Can Keelson push audit events to Datadog as they happen? Our PCI assessor wants deploy approvals in the SIEM."),
 ("a",2,"Not today, only the Audit Log API and the daily export. Added you to PROD-77."),
 ("c",3,"Please add our vote.")],who=2)
T("t_ratelimit_moraine","moraine","2026-10-25 14:00","solved","low",["api"],"API 429 Too Many Requests",[
 ("c",0,"our sync script gets 429s"),
 ("a",6,"The limit is 1,000 requests per hour per token; honour the Retry-After header or spread the calls."),
 ("c",8,"added backoff")])
T("t_env_prodDB_tamarack","tamarack","2026-10-26 10:00","solved","normal",["secrets","previews"],"Preview environment using our production database",[
 ("c",0,"A preview deploy wrote test orders into our production database!"),
 ("a",1,"DATABASE_URL is set for all environments with the production value. Give the Preview scope its own staging value (KB-303)."),
 ("c",2,"Done, and we cleaned up the test orders.")],who=1)
T("t_siem_ridge","ridgeway","2026-10-27 15:00","solved","normal",["audit-log","feature-request"],"SIEM integration for audit log",[
 ("c",0,"Our SOC wants Keelson audit events in our SIEM in near real time. Is there a connector?"),
 ("a",2,"No streaming connector yet; Audit Log API or the daily export. Logged on PROD-77."),
 ("c",3,"Noted; this will come up in our vendor review.")],who=1)
T("t_juniper_eu_slow","juniper","2026-10-27 10:00","solved","low",["deployments"],"Deploys to eu-central slower than us-east",[
 ("c",0,"Same app takes 90s to deploy in us-east and 150s in eu-central. Why?"),
 ("a",3,"eu-central replicates artifacts to a second EU zone before going live; about a minute extra is expected."),
 ("c",4,"Fine.")],who=2)
T("t_sso_safari_kestrel","kestrel","2026-10-28 09:00","solved","low",["sso","login"],"Safari login keeps bouncing back",[
 ("c",0,"A few people on Safari can't log in, it bounces back to the login page."),
 ("a",1,"Known Safari issue (ENG-2150): use IdP-initiated login from your Okta dashboard or disable 'Prevent cross-site tracking' for our domain."),
 ("c",2,"Told them, works.")],who=2)
T("t_cache_win_nimble","nimbletide","2026-10-29 13:00","pending","normal",["builds","cache","windows"],"Random cache errors on windows-2022 runners",[
 ("c",0,"The cache step on windows-2022 sometimes says the key doesn't match, even though nothing changed. Maybe 5% of jobs."),
 ("a",3,"Can you send a few job IDs?"),
 ("c",20,"Jobs 812004, 812377 and 813120. All 'CACHE_KEY_MISMATCH' in Restore cache."),
 ("a",24,"Thanks, passing these on. Re-running usually gets past it.")],who=0)
T("t_label_sable","sablecrest","2026-10-29 09:00","solved","low",["runners"],"Route jobs to runners by label",[
 ("c",0,"How do we send GPU jobs only to our GPU self-hosted runners?"),
 ("a",1,"Give those runners the label gpu and use runner: {labels: [gpu]} in the job."),
 ("c",2,"Works.")],who=1)
T("t_arm_kestrel","kestrel","2026-10-30 10:00","solved","low",["runners","feature-request","arm64"],"arm64 Linux runners for emulator images",[
 ("c",0,"We'd like native arm64 Linux runners to build our Android emulator images. On the roadmap?"),
 ("a",2,"Not available yet; added your vote to PROD-81."),
 ("c",3,"Thanks.")],who=2)
T("t_apex_umber","umberfield","2026-10-30 12:00","solved","low",["domains"],"Apex domain can't use CNAME",[
 ("c",0,"My DNS host won't allow a CNAME on umberfield.example."),
 ("a",3,"Use the A record 203.0.113.10 or an ALIAS record if your provider supports it (KB-301)."),
 ("c",4,"A record works.")])

# ---------------- November ----------------
T("t_spend_velvet","velvetleaf","2026-11-01 18:00","solved","low",["billing","feature-request"],"Can I set a hard spending limit?",[
 ("c",0,"Can I make sure I never pay more than $50 in a month?"),
 ("a",12,"No hard cap yet (KB-318). Set a budget with alerts and enable 'Pause previews at budget'. Added your vote to PROD-84."),
 ("c",14,"OK.")])
T("t_tamarack_domain","tamarack","2026-11-01 10:00","solved","low",["domains","tls"],"Add fr.tamarack.example",[
 ("c",0,"We're launching a French site. Does fr.tamarack.example need its own certificate?"),
 ("a",2,"No, it's covered by your *.tamarack.example wildcard; just add the domain to the project."),
 ("c",3,"Live, thanks.")],who=1)
T("t_dst_drift","driftwood","2026-11-02 14:00","open","high",["pipelines","schedules"],"Nightly deploy ran twice on Sunday",[
 ("c",0,"Our 01:30 America/New_York nightly pipeline ran twice on Nov 1, at 01:30 EDT and again at 01:30 EST. The migration step ran both times and inserted duplicate rows into our orders table."),
 ("a",20,"Reproduced: schedules in timezones with DST fire twice in the repeated hour when clocks go back. Filed ENG-2240."),
 ("c",140,"We've cleaned some of it by hand but there are still about 3,100 duplicate order rows and our accountant found double-counted revenue. We need the root cause for our incident report and to know it won't happen at the next change.")])
T("t_tess_twoapprovers","tessellate","2026-11-02 10:00","pending","normal",["deployments","environments","feature-request"],"Require two approvers for production deploys",[
 ("c",0,"For PCI our assessor wants every production deploy approved by two different people, and never by the person who started it. Environments only let us require one approval."),
 ("a",3,"Correct, protection rules support one required approver today and don't block self-approval. I've filed PROD-90."),
 ("c",30,"Our assessment is in February. We need to know if this is coming.")],who=2)
T("t_dst_kestrel","kestrel","2026-11-03 09:00","solved","normal",["pipelines","schedules"],"Scheduled nightly build ran twice on Sunday",[
 ("c",0,"Our nightly macOS build ran twice on Nov 1. Nothing broken, just two hours of extra macOS minutes."),
 ("a",2,"Known bug with schedules in the DST repeated hour (ENG-2240). We'll credit the duplicated minutes."),
 ("c",3,"Fine, thanks.")],who=2)
T("t_bill2_nimble","nimbletide","2026-11-03 11:00","open","high",["billing","usage"],"October invoice: re-run jobs charged twice",[
 ("c",0,"Our October invoice shows 412,000 build minutes; our own tracking says about 350,000. Every job we hit 'Re-run' on appears twice in the usage export with the same job ID."),
 ("a",4,"Confirmed with billing engineering: since the 1 Oct metering change, re-run jobs are counted twice. Tracked as BILL-412."),
 ("c",26,"That's roughly $6,200 overcharged. We need a corrected invoice before we pay on the 20th.")],who=1)
T("t_ridge_soc2","ridgeway","2026-11-03 15:00","open","normal",["compliance","vendor-review"],"SOC 2 report and security questionnaire for renewal",[
 ("c",0,"For our annual vendor review we need your latest SOC 2 Type II report and our 200-question security questionnaire completed. Nothing is wrong, it's the standard renewal paperwork."),
 ("a",3,"Thanks Derek, I'll get these to you.")],who=2)
T("t_bill2_quarry","quarryvale","2026-11-04 09:00","pending","low",["billing","usage"],"Billed for more minutes than we used?",[
 ("c",0,"The usage export lists the same job twice for jobs we retried. Only about $140 on our side but wanted to flag it."),
 ("a",6,"Confirmed, this is the re-run double count (BILL-412). We'll credit you once billing corrects it."),
 ("c",7,"No rush.")])
T("t_tess_commit","tessellate","2026-11-04 07:30","new","urgent",["billing","commitment"],"Prepaid minutes not applied to October invoice",[
 ("c",0,"Our October invoice bills all 1.9M build minutes at the on-demand rate. We have a prepaid commitment of 20M minutes per year at the committed rate. Please correct before our AP run."),
 ("c",50,"Following up. No response yet."),
 ("c",145,"This is Hannah Kowalczyk, CFO. Our contract promises a 1-hour first response on urgent tickets. It has been six days with no reply at all. I expect an explanation and a corrected invoice.")],who=0)
T("t_runner_reboot_pine","pinecrest","2026-11-04 08:00","solved","normal",["runners","self-hosted"],"Self-hosted runners offline since the weekend",[
 ("c",0,"Two of our self-hosted runners show Offline since the data centre maintenance this weekend."),
 ("a",1,"Their log will show RUNNER_AUTH_EXPIRED (KB-305). Run keelson-runner register --renew or upgrade to 4.12.3."),
 ("c",2,"Both back.")],who=1)
T("t_trunc_sable","sablecrest","2026-11-04 16:00","open","low",["builds","logs"],"Can't see the end of our test output",[
 ("c",0,"The log for job 90211 ends halfway through our integration tests in the browser. The failing test summary is at the end and we can't see it."),
 ("a",5,"Looking into it.")],who=0)
T("t_fin_cobalt","cobaltline","2026-11-05 07:40","open","urgent",["deployments","eu-central"],"Deployments stuck in Finalizing - DEPLOY_FINALIZE_TIMEOUT",[
 ("c",0,"Since yesterday evening about a third of our production deploys in eu-central hang in 'Finalizing' and after 45 minutes show DEPLOY_FINALIZE_TIMEOUT. The Cancel button does nothing and the next deploy queues behind it."),
 ("a",0.8,"Reproduced on an internal eu-central project. Engineering is tracking it as ENG-2210 and can release stuck deploys by hand in the meantime."),
 ("c",50,"Still happening, and now it's blocking a hotfix for a customer-facing bug."),
 ("c",98,"Five days now. Our contract says 8 hours to resolve urgent issues. Please escalate this properly."),
 ("a",99,"Understood. Engineering is testing a fix; I'll update you by end of day.")],who=1)
T("t_halv_audit_renewal","halvorsen","2026-11-05 16:00","open","high",["audit-log","feature-request","renewal"],"Audit log streaming - condition of renewal",[
 ("c",0,"Our security organisation requires real-time streaming of audit events into our SIEM by Q1. The competing proposal we received includes it out of the box. Unless Keelson commits to audit log streaming with a date, we will not renew on 15 December."),
 ("a",1,"Thank you Ingrid. I've shared this with your account team and will come back to you with next steps.")],who=0)
T("t_cache_win_umber","umberfield","2026-11-05 10:00","open","normal",["builds","cache","windows"],"Windows pipeline flaky at cache restore",[
 ("c",0,"Unity builds on Windows runners fail at cache restore with CACHE_KEY_MISMATCH a couple of times a day. Disabling the cache makes every build 12 minutes slower."),
 ("a",5,"Thanks, collecting details. For now a retry should pass.")])
T("t_kestrel_inc_q","kestrel","2026-11-06 09:00","open","low",["incident","question"],"What caused the Oct 21 queue delays?",[
 ("c",0,"Our leadership asks what caused the queued jobs on 21 October and whether we should change anything on our side."),
 ("a",2,"Happy to help, I'll send you the write-up.")],who=0)
T("t_fin_juniper","juniper","2026-11-06 08:20","pending","high",["deployments","eu-central"],"Deploy spinning for hours",[
 ("c",0,"Our deploy to eu-central has been spinning for 3 hours, can't cancel it, and the next deploy is waiting behind it."),
 ("a",0.5,"Known issue with deploys in eu-central since the 4 Nov release (ENG-2210). Engineering has released your deploy; please retry."),
 ("c",1.5,"Retry went through. Please tell us when it's fixed.")],who=1)
T("t_orchard_overage","orchard","2026-11-06 10:00","open","high",["billing","bandwidth","credit"],"$38,400 bandwidth overage",[
 ("c",0,"Our October invoice has a $38,400 bandwidth overage. It was a scraper bot hammering our archive pages for nine days; we blocked it as soon as we noticed. We normally pay about $12k a month. We want the overage waived in full. We renew on 30 November and this will weigh on that decision."),
 ("a",3,"I understand. Our billing policy only credits usage caused by a platform fault, so I've raised it with your account manager."),
 ("a",3.2,"Billing policy BP-4: bot traffic is billable; support can give at most $500 goodwill credit. Anything above needs a leadership decision.",False),
 ("c",48,"We need an answer this week.")],who=0)
T("t_lumen_training","lumenfield","2026-11-06 14:00","new","low",["training"],"Walkthrough for our new platform team",[
 ("c",0,"We have a new platform team of six. Could someone walk them through promoting builds from staging to production with approvals?")],who=1)
T("t_pine_contract","pinecrest","2026-11-06 11:00","open","normal",["contract","billing"],"Reduce our commitment after layoffs",[
 ("c",0,"We've had layoffs and our CI usage will roughly halve. We'd like to cut our three-year term to end next March and keep the 22% multi-year discount until then."),
 ("a",4,"Thanks Owen, I'll check with your account manager what's possible.")],who=0)
T("t_secret_scope_quarry","quarryvale","2026-11-06 15:00","new","normal",["secrets","previews"],"API keys empty in preview builds",[
 ("c",0,"For one client project the CMS_TOKEN secret is empty in every PR preview build, so the build fails. Production deploys are fine. We added the secret last week.")],who=1)
T("t_fin_pine","pinecrest","2026-11-07 06:30","pending","high",["deployments","eu-central"],"Firmware portal deploy hung - won't cancel",[
 ("c",0,"The firmware portal deploy shows 'Finalizing' since 6am and Cancel returns 'Deployment is locked'."),
 ("a",1,"Engineering released the lock; this is the eu-central issue ENG-2210."),
 ("c",2,"Deployed now, thanks.")],who=1)
T("t_fern_usage","fernhollow","2026-11-07 09:00","new","low",["billing","usage"],"Usage page doesn't match October invoice",[
 ("c",0,"The usage page says 18,240 build minutes for October, the invoice says 18,655. We didn't re-run anything. Which is right?")],who=1)
T("t_fern_scim","fernhollow","2026-11-07 10:30","new","normal",["members","scim","artifacts"],"Removed teacher still downloading artifacts",[
 ("c",0,"A teacher who left us in October was removed from our identity provider and SCIM shows the user as deprovisioned. Yesterday our Keelson audit log shows that account downloading build artifacts from the year9-projects project. Those artifacts contain student names and work.")],who=0)
T("t_saltmarsh_cap","saltmarsh","2026-11-07 12:00","new","low",["billing"],"Can we cap our monthly bill?",[
 ("c",0,"Is there a way to make sure our Keelson bill never goes over $400 in a month? We got a surprise last month.")])
T("t_bill2_wren","wrenfield","2026-11-08 10:00","new","normal",["billing","usage"],"Minutes doubled on restarted builds",[
 ("c",0,"When we restart a failed build, its minutes seem to be counted twice on the usage page. Restarted job 88123 shows two rows with the same ID.")])
T("t_sable_token","sablecrest","2026-11-08 08:00","open","urgent",["api-tokens","audit-log"],"Revoked token still deploying?",[
 ("c",0,"We revoked the personal access token 'ci-contractor-rk' of a contractor on Nov 3 at 16:00 UTC when the agency engagement ended. Our audit log shows that token triggered three production deploys of billing-api on Nov 6. The contractor says they ran nothing."),
 ("a",1,"Thank you, looking into this now."),
 ("a",1.5,"Token list shows ci-contractor-rk as revoked on Nov 3. The Nov 6 audit events show auth method 'pat' with that token's ID. Not yet explained.",False)],who=1)
T("t_velvet_queue","velvetleaf","2026-11-08 20:00","new","normal",["builds","queue"],"Builds sitting in Queued",[
 ("c",0,"Every time I push, the new build just says Queued and sits there until the previous one finishes, sometimes 25 minutes.")])
T("t_moraine_fork","moraine","2026-11-08 11:00","new","low",["previews","forks"],"Volunteer PRs don't get preview links",[
 ("c",0,"New volunteers' pull requests (from their forks) don't get preview links. Our own branches do. Did something change?")],who=1)
T("t_saml_sess_umber","umberfield","2026-11-08 09:00","open","high",["sso","saml","sessions"],"SSO users signed out every few minutes",[
 ("c",0,"Since Friday everyone who logs in through our Keycloak SSO is signed out of Keelson after 5-10 minutes. Session length in Keelson is 12 hours. Same in Chrome, Firefox and Safari."),
 ("a",4,"Checked: org session length 12h, SAML config unchanged since September, Keycloak certificate valid. Asked for a HAR file."),
 ("c",24,"HAR attached. We're logging in 30 times a day.")])
T("t_ashgrove_504","ashgrove","2026-11-09 14:00","open","high",["hosting","autoscaling"],"Intermittent 504s on api.ashgrovedental.example",[
 ("c",0,"Since we enabled autoscaling, a few percent of API requests return 504 after 30s. Health checks pass, our app logs show nothing for those requests."),
 ("a",2,"We raised the request timeout to 60s and checked health checks and instance metrics; 504s continue at the same rate. No errors in runtime logs."),
 ("c",4,"Clinics are noticing failed saves. What next?")],who=1)
T("t_saltmarsh_cert","saltmarsh","2026-11-09 09:00","new","normal",["domains","tls"],"New domain certificate still pending after 2 days",[
 ("c",0,"I added shop.saltmarshstudio.example on Friday and the certificate has said 'Pending validation' ever since. The CNAME is right. (We moved DNS to a new provider last month.)")])
T("t_halv_contractor","halvorsen","2026-11-09 10:00","new","low",["members","roles"],"Read-only access to one project for an auditor",[
 ("c",0,"An external auditor needs to look at builds and deploy history of the dispatch-api project only, read-only. How do we set that up?")],who=1)
T("t_pine_badge","pinecrest","2026-11-09 11:00","open","normal",["pipelines","badges"],"Status badge says passing although main is red",[
 ("c",0,"The build status badge in our README shows 'passing' while the latest run on main failed."),
 ("a",3,"Reproduced on our test project: if the failed run is a re-run of an earlier passing run, the badge keeps the old status. Passing it on."),
 ("c",4,"Our release checklist relies on that badge. We'll look at the runs page for now.")],who=1)
T("t_wren_oidc","wrenfield","2026-11-09 13:00","open","normal",["deployments","oidc","aws"],"ERR_OIDC_CLAIM when assuming AWS role",[
 ("c",0,"Our deploy job fails at the AWS login step with ERR_OIDC_CLAIM: sub claim rejected. Worked until Thursday."),
 ("a",3,"Compared your IAM trust policy with the docs; audience and issuer look correct. Asked for the token claims from a debug run.")])
T("t_juniper_runner","juniper","2026-11-09 07:30","new","normal",["runners","self-hosted"],"Two self-hosted runners offline after reboot",[
 ("c",0,"Two of our self-hosted runners show Offline after we rebooted the hosts last night. Agent log: RUNNER_AUTH_EXPIRED. Agent version 4.12.1.")],who=1)
T("t_cache_win_juniper","juniper","2026-11-09 12:00","new","normal",["builds","cache","windows"],"Windows builds randomly fail restoring cache",[
 ("c",0,"Our Windows builds randomly fail at 'Restore cache' (CACHE_KEY_MISMATCH). A retry always gets them through, but it's wasting time.")],who=1)
T("t_kestrel_secret2","kestrel","2026-11-09 17:00","open","urgent",["secrets","logs","public-project"],"Secret visible in public build log again",[
 ("c",0,"Our AWS secret access key appeared in plain text in the public build log of kestrel-sdk-ios job 771204 yesterday. It's a normal single-line secret, stored as AWS_SECRET_ACCESS_KEY. This is the second time after the September problem."),
 ("a",0.5,"Thank you Ben. I've hidden the job log from public view. Please rotate the key.")],who=1)
T("t_lumen_audit","lumenfield","2026-11-09 15:00","open","normal",["audit-log","feature-request"],"Real-time audit streaming - CISO request",[
 ("c",0,"Our CISO asks again for audit events streamed to Splunk in real time. The nightly export leaves a 24-hour gap on production changes, which our HIPAA auditor flagged."),
 ("a",2,"Thanks Beatrix, I'll bring this to the product team.")],who=0)
T("t_nimble_arm_renewal","nimbletide","2026-11-09 16:00","open","high",["runners","feature-request","arm64","renewal"],"Arm64 runners - decision needed before renewal",[
 ("c",0,"We've asked for arm64 runners since August. If they're not on your roadmap with a date by our January renewal, we'll move our console builds to another CI provider that has them."),
 ("a",1,"Understood Kai, I'll bring this to our product team and your account manager.")],who=2)
T("t_juniper_arm","juniper","2026-11-08 09:00","new","low",["runners","arm64"],"arm64 hosted runners?",[
 ("c",0,"We're moving backend services to Graviton next year. Can we build arm64 images natively on your hosted runners?")],who=0)
T("t_tamarack_billing","tamarack","2026-11-09 18:00","new","high",["billing"],"Invoices going to an address we don't know",[
 ("c",0,"Our October invoice and usage report were emailed to billing@tamarack-outdoor-pay.example, which isn't ours, and there's a new card ending 4417 on file that nobody here added. Jess is listed as having changed it on Nov 2, but she was on holiday with no laptop.")],who=2)
T("t_lumen_507","lumenfield","2026-11-10 06:30","open","urgent",["deployments","artifacts"],"Every production deploy fails ERR_ARTIFACT_UPLOAD 507",[
 ("c",0,"Since about 06:00 UTC every deploy to production fails at 'Uploading' with ERR_ARTIFACT_UPLOAD: 507 Insufficient Storage. Nothing changed on our side and we have a release scheduled."),
 ("a",0.3,"Acknowledged, checking. Your artifact sizes and project quotas look normal.")],who=1)
T("t_tamarack_cert","tamarack","2026-11-10 07:40","new","urgent",["domains","tls","wildcard"],"Shop showing 'Your connection is not private'",[
 ("c",0,"Since around 2am UTC shop.tamarack.example and all our regional sites (uk., de., fr.) show NET::ERR_CERT_DATE_INVALID. We didn't change anything. Customers can't check out."),
 ("a",0.5,"Cert for *.tamarack.example expired 2026-11-10 00:00 UTC; the renewal job shows 'skipped'. Looks like the October wildcard problem again.",False)],who=1)
T("t_halv_route","halvorsen","2026-11-10 08:25","new","urgent",["deployments"],"Production deploys failing ERR_ROUTE_CONFLICT",[
 ("c",0,"Since 07:00 UTC every production deploy of dispatch-api fails with ERR_ROUTE_CONFLICT: route /v2/* already bound. Other services deploy fine. We can't release a fix our drivers' app is waiting for.")],who=1)
T("t_cobalt_othervars","cobaltline","2026-11-10 08:20","new","urgent",["secrets","environment"],"We see variables that aren't ours",[
 ("c",0,"In Project > Environment for our reporting-api project, Anja sees 14 variables that aren't ours, like TMK_SHOP_ADMIN_TOKEN and TMK_PAYMENTS_KEY, with values visible. They look like another company's settings.")],who=1)
T("t_fin_orchard","orchard","2026-11-10 08:45","new","urgent",["deployments"],"Deploys hanging, cancel does nothing",[
 ("c",0,"Our deploys have been spinning for hours and cancel does nothing. We need to push a fix to the breaking-news template.")],who=1)
T("t_ridge_pl","ridgeway","2026-11-10 02:10","open","urgent",["runners","self-hosted","private-link"],"Runners can't reach internal registry through Private Link",[
 ("c",0,"Since about 01:30 UTC our self-hosted runners can't pull images from registry.int.ridgeway-ins.example through the Private Link connector: 'dial tcp 10.40.2.15:443: i/o timeout'. Nothing changed on our side. All release pipelines are blocked."),
 ("a",0.5,"We checked the runners (online, agent 4.12.4) and your pipeline config; the timeouts happen on the way through the connector. Frontline can't see the connector logs, so I'm bringing in the specialists."),
 ("c",5,"Any news? We have a release window at 11:00 UTC.")],who=1)
T("t_quarry_cert_q","quarryvale","2026-11-05 12:00","solved","low",["domains","tls"],"Do certificates renew automatically?",[
 ("c",0,"Do we need to do anything to renew client certificates?"),
 ("a",3,"No, managed certificates renew automatically 30 days before expiry."),
 ("c",4,"Great.")])
T("t_drift_hook","driftwood","2026-11-05 14:00","solved","low",["pipelines","webhooks"],"Trigger a pipeline from an external webhook",[
 ("c",0,"Can our CMS trigger a rebuild when content is published?"),
 ("a",4,"Create a build hook in Project > Pipelines > Build hooks and POST to its URL."),
 ("c",5,"Working.")])
T("t_fern_preview_pw","fernhollow","2026-11-03 11:00","solved","low",["previews"],"Password-protect preview links",[
 ("c",0,"Can preview links be password protected? Students share them."),
 ("a",5,"Yes: Project > Previews > Protection > Password."),
 ("c",6,"Done.")])
T("t_tamarack_freeze","tamarack","2026-11-03 13:00","solved","low",["deployments","environments"],"Schedule a deploy freeze for Black Friday",[
 ("c",0,"We want to block production deploys 20-30 Nov except for emergencies."),
 ("a",2,"Environments > production > Deploy windows: add a blocked window; Admins can override for emergencies."),
 ("c",3,"Set.")],who=1)
T("t_orch_domain_add","orchard","2026-11-02 10:00","solved","low",["domains"],"Add a new news site subdomain",[
 ("c",0,"Launching weather.orchardlane.example, anything special?"),
 ("a",2,"Covered by your wildcard; add it to the project and it's live."),
 ("c",3,"Live.")],who=1)
T("t_cobalt_member_remove","cobaltline","2026-11-04 09:00","solved","low",["members"],"Remove a departed engineer",[
 ("c",0,"How do we remove an engineer who left and make sure his tokens stop working?"),
 ("a",1,"Settings > Members > Remove; removing a member revokes their personal access tokens immediately (KB-312). Project deploy tokens they created keep working; rotate those."),
 ("c",2,"Done, rotated two deploy tokens.")],who=1)
T("t_pine_oidc_q","pinecrest","2026-09-18 09:00","solved","low",["deployments","oidc"],"Use OIDC instead of AWS keys",[
 ("c",0,"Can our pipelines get AWS credentials without storing keys?"),
 ("a",2,"Yes, Keelson OIDC federation: add our issuer to IAM and use the aws-oidc step. Guide under Deployments > Cloud credentials."),
 ("c",20,"Set up, keys deleted.")],who=1)
T("t_nimble_concurrency","nimbletide","2026-10-10 15:00","solved","normal",["builds","queue"],"Raise concurrency for crunch week",[
 ("c",0,"Can we get 40 concurrent jobs instead of 20 for two weeks?"),
 ("a",2,"Yes, temporary concurrency boost applied until 24 Oct; it's billed per extra slot-day."),
 ("c",3,"Thanks.")],who=0)
T("t_ridge_questionnaire_old","ridgeway","2025-11-20 10:00","closed","normal",["compliance","vendor-review"],"Vendor review documents 2025",[
 ("c",0,"Please send the SOC 2 report and complete our questionnaire for the 2025 review."),
 ("a",2,"Your CSM has requested the Trust Center NDA access and routed the questionnaire to our trust team (KB-315)."),
 ("c",400,"Received everything, thanks.")],who=2)

keys = [t["key"] for t in TK]
assert len(keys) == len(set(keys)), [k for k in keys if keys.count(k) > 1]
TK.sort(key=lambda t: P(t["created"]))
IDS = {}
for i, t in enumerate(TK):
    IDS[t["key"]] = "KS-%d" % (4101 + i)

def sub(s):
    return re.sub(r"<<(\w+)>>", lambda m: IDS[m.group(1)], s)

tickets = []
for n, t in enumerate(TK):
    acc = ACC[t["acc"]]
    c = acc["key_contacts"][min(t["who"], len(acc["key_contacts"]) - 1)]
    agent = t["agent"] or AGENTS[n % len(AGENTS)]
    start = P(t["created"])
    msgs = []
    for m in t["msgs"]:
        role, off, body = m[0], m[1], m[2]
        pub = m[3] if len(m) > 3 else True
        at = start + D.timedelta(hours=off)
        assert iso(at) <= NOW, (t["key"], iso(at))
        msgs.append(dict(author=c["name"] if role == "c" else agent, author_role="customer" if role == "c" else "agent",
                         created_at=iso(at), body=sub(body), public=pub))
    tid = IDS[t["key"]]
    tickets.append(dict(id=tid, account_id=acc["id"], subject=t["subject"], description=sub(t["msgs"][0][2]), status=t["status"],
        priority=t["prio"], created_at=iso(start), updated_at=msgs[-1]["created_at"], requester=c["email"], tags=t["tags"],
        messages=msgs, url="https://keelson.zendesk.example/agent/tickets/" + tid))

def TI(id, kind, title, desc, status, cat, prio, team, created, updated, links):
    return dict(id=id, kind=kind, title=title, description=desc, status=status, status_category=cat, priority=prio, team=team,
        url="https://keelson.linear.example/issue/" + id, created_at=iso(P(created)), updated_at=iso(P(updated)),
        linked_ticket_ids=[IDS[k] for k in links])
tracker = [
 TI("ENG-2210","bug","Deploys hang in 'Finalizing' in eu-central (DEPLOY_FINALIZE_TIMEOUT) since 2026.11.2",
    "Since release 2026.11.2 (4 Nov), a share of deploys in eu-central never leave 'Finalizing': the routing switch waits on a replica lock that the new artifact replication step doesn't release. After 45 min the deploy shows DEPLOY_FINALIZE_TIMEOUT; Cancel fails with 'Deployment is locked' and later deploys of the project queue behind it. Engineering can release the lock by hand per deployment; no customer-side workaround. Reported by Cobaltline Analytics, Juniper Row Software, Pinecrest Robotics.",
    "In Progress","in_progress","P1","Deploy Platform","2026-11-05 08:30","2026-11-09 18:00",["t_fin_cobalt","t_fin_juniper","t_fin_pine"]),
 TI("ENG-2188","bug","Wildcard certificates not auto-renewed after cert-manager migration",
    "After the cert-manager migration on 14 Oct, wildcard certificates (*.domain) were not included in the renewal schedule. Orchard Lane Media's wildcard expired on 20 Oct. Fix: wildcard certificates added to the renewal scheduler; all wildcard certs re-scanned. Released 28 Oct.",
    "Done","done","P1","Edge & TLS","2026-10-20 05:40","2026-10-28 12:00",["t_wild_orchard"]),
 TI("BILL-412","bug","Re-run jobs counted twice in usage metering since 1 Oct",
    "Since the metering change of 1 Oct, a job started with 'Re-run' is written twice to the usage ledger with the same job ID, so its minutes are billed twice on October invoices. Fix needs a code change and a re-rating of October invoices; until then billing ops can issue manual credits. Confirmed for Nimbletide Games and Quarry & Vale Digital.",
    "Triaged","todo","P2","Billing Engineering","2026-11-03 15:00","2026-11-06 10:00",["t_bill2_nimble","t_bill2_quarry"]),
 TI("ENG-2175","bug","Multi-line secret values not masked in build logs",
    "Secrets containing newlines (PEM keys) were printed unmasked. Fix masks each line of multi-line secrets; public logs from the affected window purged. Released 18 Sep.",
    "Done","done","P0","Pipelines","2026-09-12 07:20","2026-09-18 16:00",["t_secret_leak_kestrel"]),
 TI("ENG-2240","bug","Scheduled pipelines fire twice in the repeated hour when DST ends",
    "Schedules with a timezone that observes DST fire twice during the repeated hour when clocks go back (seen 1 Nov for America/New_York). Needs a scheduler fix before the next transitions; the next fall-back is in 2027, but southern-hemisphere zones change in April.",
    "Todo","todo","P2","Pipelines","2026-11-03 10:00","2026-11-03 10:00",["t_dst_drift","t_dst_kestrel"]),
 TI("ENG-2199","bug","Runner agent 4.12 doesn't refresh its credential after host reboot (RUNNER_AUTH_EXPIRED)",
    "Agent 4.12.0-4.12.2 keep an expired credential after reboot; runner shows Offline with RUNNER_AUTH_EXPIRED. Fixed in agent 4.12.3 (released 2 Oct). Workaround for older agents in KB-305.",
    "Done","done","P2","Runners","2026-09-25 09:00","2026-10-02 12:00",["t_runner_reboot_ridgeway","t_runner_reboot_sable"]),
 TI("ENG-2150","bug","SSO login loop in Safari with 'Prevent cross-site tracking'",
    "SP-initiated SAML/OIDC login loops in Safari because the state cookie is blocked. Workaround: IdP-initiated login. Backlog.",
    "Backlog","todo","P3","Identity","2026-08-26 12:00","2026-10-28 10:00",["t_sso_loop_drift","t_sso_safari_kestrel"]),
 TI("PROD-77","feature_request","Real-time audit log streaming to SIEM (Splunk, Datadog, Sentinel)",
    "Customers want audit events pushed to their SIEM within minutes rather than pulling the API or the daily export. Requested by Lumenfield Health, Tessellate Payments, Ridgeway Insurance Group, Halvorsen Freight Systems. Not scheduled.",
    "Backlog","todo",None,"Platform Product","2026-09-22 16:00","2026-11-09 16:00",["t_audit_stream_lumen","t_audit_dd_tess","t_siem_ridge","t_halv_audit_renewal","t_lumen_audit"]),
 TI("PROD-81","feature_request","Arm64 hosted runners (and arm64 self-hosted agent)",
    "Native arm64 builds. Hosted runners are x86_64 only and the self-hosted agent has no arm64 build, so there is no supported way to build natively on arm64 today (QEMU emulation only). Requested by Nimbletide Games, Pinecrest Robotics, Kestrel Mobility.",
    "Under consideration","todo",None,"Runners Product","2026-08-25 18:00","2026-11-09 17:00",["t_arm_nimble","t_arm_pine","t_arm_kestrel"]),
 TI("PROD-84","feature_request","Hard spending cap on usage",
    "Stop all billable usage at a fixed monthly amount. Today: budgets with alerts, 'Pause previews at budget' and usage webhooks (KB-318). Requested by Quarry & Vale Digital, Velvetleaf Apps.",
    "Backlog","todo",None,"Billing Product","2026-09-30 20:00","2026-11-02 06:00",["t_spend_quarry","t_spend_velvet"]),
 TI("PROD-90","feature_request","Two-person approval for protected environments (no self-approval)",
    "Require N distinct approvers and block the deploy initiator from approving. Requested by Tessellate Payments (PCI).",
    "New","todo",None,"Deploy Product","2026-11-02 13:00","2026-11-03 16:00",["t_tess_twoapprovers"]),
 TI("INC-58","incident","Hosted runner queue delays in us-east, 21 Oct 2026",
    "14:02-17:20 UTC: an autoscaler configuration change capped the us-east hosted runner pool; jobs queued up to 3h. Rolled back, guard added. Write-up KB-310.",
    "Resolved","done","SEV-2","Runners","2026-10-21 14:05","2026-10-23 10:00",["t_inc_halv","t_inc_kestrel","t_inc_tess"]),
]

def CH(id, ch, topic, msgs):
    return dict(id=id, channel=ch, topic=topic, messages=[dict(author=a, created_at=iso(P(t)), text=sub(x)) for a, t, x in msgs],
                url="https://keelson.slack.example/archives/" + ch.strip("#") + "/" + id.lower(), created_at=iso(P(msgs[0][1])))
chats = [
 CH("CH-501","#deploy-incidents","Deploys hanging in Finalizing, eu-central (ENG-2210)",[
  ("Jonas Berg","2026-11-05 08:10","Cobaltline: a third of their eu-central deploys hang in Finalizing, then DEPLOY_FINALIZE_TIMEOUT. Cancel does nothing. Anything in 2026.11.2?"),
  ("Rui Tanaka","2026-11-05 08:35","2026.11.2 added artifact replication in eu-central. Looks like finalize waits on a replica lock that never frees. Filed ENG-2210 (P1)."),
  ("Rui Tanaka","2026-11-05 12:00","I can release stuck deploys by hand, one at a time. No customer-side workaround."),
  ("Lucía Ferrer","2026-11-06 08:50","Juniper Row now: 'spinning for 3 hours'. Same thing (<<t_fin_juniper>>)."),
  ("Tariq Hassan","2026-11-07 07:00","Pinecrest firmware portal, 'Deployment is locked' on cancel (<<t_fin_pine>>)."),
  ("Rui Tanaka","2026-11-09 18:00","Fix in review, target release 2026.11.4 on 12 Nov. Until then manual releases only."),
  ("Jonas Berg","2026-11-09 18:20","Cobaltline's ticket is five days old on a Premium 8h resolution SLA. Their CTO is copied now.")]),
 CH("CH-502","#billing-ops","Re-run jobs double counted (BILL-412)",[
  ("Lucía Ferrer","2026-11-03 14:00","Nimbletide: every re-run job appears twice in the October usage export, same job ID. ~62k extra minutes."),
  ("Sven Aalto","2026-11-03 15:00","Confirmed, the 1 Oct metering change writes re-runs twice. BILL-412. Needs a fix plus re-rating of October invoices."),
  ("Elin Sandvik","2026-11-04 15:30","Quarry & Vale has it too, small amount."),
  ("Sven Aalto","2026-11-06 10:00","Fix not started yet, other priorities. Billing ops can do manual credits meanwhile; we don't know yet how many orgs re-ran jobs in October.")]),
 CH("CH-503","#cs-renewals","Renewals at risk: November-January",[
  ("Dana Whitlock","2026-11-05 17:00","Halvorsen ($960k, renews 15 Dec): Ingrid put it in writing, no renewal without a committed date for audit log streaming (PROD-77). The competitor offers it today. Need a product + exec decision."),
  ("Sofia Marchetti","2026-11-06 13:00","Orchard Lane ($145k, renews 30 Nov) wants a $38.4k bot-traffic overage waived in full. Above BP-4 limits; needs leadership sign-off."),
  ("Tomasz Nowak","2026-11-09 17:30","Nimbletide ($210k, renews 20 Jan) says arm64 on the roadmap with a date or they move console builds. Also waiting on the BILL-412 credit."),
  ("Ruth Abernathy","2026-11-09 18:00","Please bring each of these to Thursday's renewal review with an ask and a number.")]),
 CH("CH-504","#support-tls","Wildcard certificate renewals (ENG-2188)",[
  ("Tariq Hassan","2026-10-20 05:35","Orchard Lane's *.orchardlane.example cert expired overnight. Auto-renew never ran."),
  ("Noemi Clarke","2026-10-20 06:10","Wildcards weren't migrated to the new cert manager's schedule. Reissuing manually. ENG-2188."),
  ("Noemi Clarke","2026-10-28 12:10","ENG-2188 fix released. Wildcards back in the renewal scheduler; I re-scanned all of them."),
  ("Tariq Hassan","2026-10-28 12:15","Closing ESC-108. Shout if any wildcard cert expires again.")]),
 CH("CH-505","#security-triage","Kestrel: multi-line secret shown in public log (ESC-112)",[
  ("Lucía Ferrer","2026-09-12 07:00","Kestrel's signing key visible in a public job log (multi-line PEM). Log hidden, customer rotating."),
  ("Petra Holm","2026-09-12 07:30","Taking it. Purging public logs with unmasked multi-line values, ENG-2175 for the fix."),
  ("Petra Holm","2026-09-18 17:00","ENG-2175 shipped. Purge finished, 4 public projects affected, all notified. Closing ESC-112.")]),
 CH("CH-506","#support-l2","Ridgeway Private Link connector",[
  ("Jonas Berg","2026-10-05 10:00","Ridgeway wants a second subnet on their Private Link connector. We can't see or change that config, passing to PS."),
  ("Arvid Lund","2026-10-06 15:00","Done. Reminder: connector logs and control plane are PS/L2 only, frontline has no access.")]),
 CH("CH-507","#product-feedback","arm64 runner asks",[
  ("Elin Sandvik","2026-08-25 18:10","Nimbletide asking for arm64 hosted runners; added to PROD-81."),
  ("Tariq Hassan","2026-10-13 12:00","Pinecrest too, for robot controllers. Also asked about the agent on arm64, which we don't ship."),
  ("Elin Sandvik","2026-10-30 12:30","Kestrel for Android emulator images. That's three."),
  ("Ilse Varga","2026-10-31 09:00","Thanks. Not in H1 plan yet; arm64 capacity needs a hardware decision.")]),
]

def KB(id, kind, title, body, wa, updated):
    return dict(id=id, title=title, body=body, kind=kind, workaround=wa,
                url="https://help.keelson.example/articles/" + id.lower(), updated_at=iso(P(updated)))
kbs = [
 KB("KB-301","how_to","Connect a custom domain",
  "Subdomains: CNAME to <project>.keelson.app. Apex domains: A record 203.0.113.10 or ALIAS/ANAME. Verify ownership with a TXT record at _keelson.<host>; many DNS panels append the zone automatically, so enter only the host part. A managed certificate is issued once the domain is verified.",None,"2026-07-01 10:00"),
 KB("KB-302","workaround","Certificate stuck in 'Pending validation' because of CAA records",
  "If your DNS zone has CAA records that don't list our certificate authority, issuance can't complete and the certificate stays in 'Pending validation' indefinitely. Common after moving DNS providers or when a CAA record was added for another CA. This article is about first issuance; it doesn't apply to certificates that were valid and then expired.",
  "Add CAA 0 issue \"letsencrypt.org\" (and 0 issuewild \"letsencrypt.org\" for wildcards) next to your existing CAA records, wait for DNS to update, then click Retry under Project > Domains. Issuance usually completes within 15 minutes.","2026-09-08 16:00"),
 KB("KB-303","how_to","Environment secrets are empty in preview builds",
  "Secrets have scopes: Production, Preview, Development. A secret scoped only to Production is undefined in preview builds and deploys, and a secret set for all scopes uses the same value everywhere. Edit the secret to tick Preview, or add a separate Preview value (recommended for databases and payment keys), then redeploy: running builds don't pick up changes.",None,"2026-10-26 12:00"),
 KB("KB-304","limitation","Pull requests from forks don't get secrets or automatic preview deploys",
  "For safety, builds of pull requests opened from forks run without secrets and don't create a preview environment automatically.",
  "A maintainer adds the label keelson:preview-approved to the PR, or clicks 'Approve and deploy preview' on the Keelson check. The preview then builds with Preview-scoped secrets.","2026-08-18 20:00"),
 KB("KB-305","known_issue","Self-hosted runner Offline after reboot: RUNNER_AUTH_EXPIRED (agent 4.12.0-4.12.2)",
  "Agents 4.12.0 to 4.12.2 don't refresh their credential after a host reboot; the runner shows Offline and the agent log says RUNNER_AUTH_EXPIRED. Fixed in 4.12.3 (ENG-2199).",
  "Run keelson-runner register --renew on the host (no new token needed), or upgrade the agent to 4.12.3 or later.","2026-10-02 12:00"),
 KB("KB-306","how_to","Deploy fails with 'Health check timed out'",
  "The platform routes traffic to the port in $PORT and checks the health path (default /) within 300s. Bind to 0.0.0.0 (not 127.0.0.1) and to $PORT, or set the port and health path in Service > Networking. Slow-starting apps can raise the grace period.",None,"2026-08-13 14:00"),
 KB("KB-307","doc","How usage is measured and billed",
  "Build minutes: per job, rounded up to the whole minute; a re-run is a new job billed once for its own minutes. Bandwidth: egress from the edge to visitors, API responses included. Preview compute: hours each preview environment runs. Billing periods are UTC calendar months; the usage page shows your browser's timezone by default, so totals near month boundaries differ from the invoice until you switch the page to UTC. Line items are rounded to the cent.",None,"2026-10-04 12:00"),
 KB("KB-308","limitation","Audit log retention is 90 days",
  "The audit log keeps 90 days of events in the UI and API.",
  "Configure the daily export (Settings > Audit log > Export) to your S3, GCS or Azure bucket and keep the files as long as you need; the API can backfill the last 90 days.","2026-10-01 12:00"),
 KB("KB-309","how_to","Reset your password or recover two-factor authentication",
  "Use 'Forgot password' on the login page; the email comes from no-reply@keelson.example within minutes (check spam). If you sign in with GitHub, Google or company SSO there is no Keelson password: reset it with that provider. Lost 2FA device: use a recovery code, then re-enrol. Support resets 2FA only after the organisation owner confirms the request from their verified address.",None,"2026-09-10 12:00"),
 KB("KB-310","doc","Incident report: hosted runner queue delays in us-east, 21 Oct 2026 (resolved)",
  "Between 14:02 and 17:20 UTC jobs on us-east hosted runners waited up to 3 hours to start. Cause: an autoscaler configuration change capped the pool size. We rolled it back and added a guard that blocks pool caps below observed demand. All queued jobs ran; no data was lost. No action is needed from customers. Enterprise SLA credits for the affected window are applied automatically on the November invoice (INC-58).",None,"2026-10-23 10:00"),
 KB("KB-312","how_to","API tokens: types, scopes and rotation",
  "Personal access tokens act as the member and can be limited to projects; project deploy tokens only deploy one project. An org policy can cap token lifetime. Revoking a token or removing a member takes effect immediately and later requests get 401 token_revoked. After rotating, update the token stored in your CI variables; 401s right after rotation mean the old value is still in use.",None,"2026-10-19 12:00"),
 KB("KB-313","limitation","Build log viewer shows at most 10,000 lines",
  "The web log viewer renders up to 10,000 lines of a job's log; longer logs look cut off in the browser. The full log is stored.",
  "Click 'Download raw log' on the job page or call GET /v2/jobs/{id}/log; for test output, publish the report (JUnit XML) as an artifact so it shows in the Tests tab.","2026-08-14 18:00"),
 KB("KB-315","doc","Security and compliance documents (SOC 2, ISO 27001, DPA, questionnaires)",
  "The SOC 2 Type II report and ISO 27001 certificate are in the Trust Center (trust.keelson.example) after accepting the NDA. The DPA and subprocessor list are public. Customer security questionnaires: the CSM sends them to the trust team, turnaround 10 business days; standard CAIQ answers are in the Trust Center.",None,"2026-06-15 12:00"),
 KB("KB-317","how_to","Builds waiting in 'Queued (concurrency limit)'",
  "Each plan runs a set number of jobs at once (Starter 1, Team 4, Business 20, Enterprise by contract). Further jobs wait in 'Queued (concurrency limit)' until a slot frees. Turn on 'Auto-cancel superseded builds' in Project > Pipelines, cancel runs you don't need, or upgrade for more concurrency. This is not the 'Waiting for runner' state seen during runner incidents.",None,"2026-08-21 12:00"),
 KB("KB-318","limitation","No hard spending cap on usage",
  "Keelson can't stop all billable usage at a fixed amount (PROD-84).",
  "Create a budget in Billing > Budgets with alerts at 50/80/100%, turn on 'Pause preview environments at budget', and use the usage.threshold webhook with the API to disable pipelines when you reach your limit.","2026-10-01 09:00"),
 KB("KB-319","how_to","Give someone access to a single project (outside collaborators)",
  "Settings > Members > Invite outside collaborator, choose the project and a role. Viewer can see builds, logs and deploy history but not secrets or settings, and can't trigger deploys. Access can be time-limited and removed at any time; outside collaborators don't count as paid seats.",None,"2026-07-20 12:00"),
]

def ES(id, acc, summary, target, sev, status, created, resolved, outcome):
    return dict(id=id, account_id="acc-" + acc, summary=summary, target=target, severity=sev, status=status,
                created_at=iso(P(created)), resolved_at=iso(P(resolved)) if resolved else None, outcome=outcome,
                url="https://keelson.linear.example/escalations/" + id)
escs = [
 ES("ESC-108","orchard","Orchard Lane: all wildcard news sites serving an expired certificate","engineering","critical","resolved","2026-10-20 05:40","2026-10-28 12:15","Certificate reissued by hand within 2h; ENG-2188 fix released 28 Oct."),
 ES("ESC-112","kestrel","Kestrel: multi-line signing key visible in public build log","security","critical","resolved","2026-09-12 07:10","2026-09-18 17:00","Logs purged, key rotated by customer, ENG-2175 released 18 Sep."),
 ES("ESC-115","tessellate","Tessellate disputes SLA credit for July runner outage","leadership","medium","resolved","2026-08-05 10:00","2026-08-19 16:00","Credit approved per contract schedule; no exception granted."),
 ES("ESC-117","halvorsen","Halvorsen: all hosted jobs queued during us-east runner incident","engineering","critical","resolved","2026-10-21 14:20","2026-10-21 17:30","Part of INC-58; autoscaler change rolled back."),
 ES("ESC-121","cobaltline","Cobaltline: eu-central deploys hang in Finalizing","engineering","high","open","2026-11-06 09:00",None,"ENG-2210 in progress; manual lock releases meanwhile."),
]

ws = dict(format_version=1, company="Keelson", generated_at=NOW, accounts=list(ACC.values()), tickets=tickets,
          tracker_items=tracker, chat_threads=chats, kb_articles=kbs, escalations=escs)
json.dump(ws, open("/work/main/evals/blind/dev/workspace.json", "w"), indent=1, ensure_ascii=False)
json.dump(IDS, open("/work/main/evals/blind/dev/_ids.json", "w"), indent=1)
print(len(ACC), len(tickets), len(tracker), len(chats), len(kbs), len(escs))
