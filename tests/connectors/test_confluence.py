"""Confluence connector against the fake Confluence REST API (Cloud and Data Center)."""

from __future__ import annotations

import base64
from datetime import datetime, timezone

import pytest

from customer_escalation.connectors import _kb_text, confluence
from customer_escalation.connectors.base import HttpSettings
from customer_escalation.connectors.confluence import ConfluenceConnector, build_cql
from customer_escalation.models import SearchQuery
from tests.fakes.confluence import API_TOKEN, EMAIL, PAT, PUBLIC_BASE, FakeConfluence
from tests.connectors.support import answer, failure, never_shown, options, serve
from tests.fakes.harness import Reply

pytestmark = pytest.mark.anyio

CANARY = "ATATT-CANARY-5e2b-never-shown"
SECRETS = (CANARY, API_TOKEN, PAT, base64.b64encode(f"{EMAIL}:{API_TOKEN}".encode()).decode())  # never in an error
QUERY = SearchQuery(text="CSV export is missing rows", keywords=["export", "missing", "rows"], limit=20)


server, fake = serve(FakeConfluence)  # Confluence Cloud; Data Center has its own fake in its test


def connect(fake: FakeConfluence, sleeps: list[float] | None = None, *, token: str = API_TOKEN, email: str | None = EMAIL,
            spaces: tuple[str, ...] = (), **settings) -> ConfluenceConnector:
    return ConfluenceConnector(fake.base, api_token=token, email=email, spaces=spaces, **options(sleeps, **settings))


# --- reading ---------------------------------------------------------------------------------------


async def test_search_maps_pages_newest_first(fake):
    page = await answer(connect(fake), lambda c: c.search_articles(QUERY))
    assert not page.truncated
    assert [a.id for a in page.items] == ["1005", "1001", "1002", "1003", "1006"]
    by_id = {a.id: a for a in page.items}
    issue = by_id["1001"]
    assert issue.kind == "known_issue" and issue.source == "confluence"
    assert issue.title == "Known issue: CSV export missing rows over 10k"
    assert issue.url == f"{PUBLIC_BASE}/spaces/KB/pages/1001/Known+issue%3A+CSV+export+missing+rows+over+10k"
    assert issue.updated_at == datetime(2026, 11, 10, 9, 0, tzinfo=timezone.utc)
    assert issue.workaround == ("Export in date ranges of under 10,000 rows each,\nthen merge the files.\n"
                                "Note\nMerging keeps the header once.")
    assert "Exports of more than 10,000 rows are missing rows at the end." in issue.body
    assert "<" not in issue.body
    assert by_id["1002"].kind == "how_to" and "curl -X POST /exports" in by_id["1002"].body
    assert by_id["1002"].workaround is None
    assert by_id["1003"].kind == "limitation" and by_id["1003"].workaround == "Use the bulk export endpoint with a cursor."
    assert by_id["1005"].kind == "doc" and by_id["1005"].workaround is None
    assert by_id["1006"].workaround is None  # "Workaround: none" is not a workaround

    [request] = fake.requests_to(r"content/search")
    assert request.header("Authorization") == "Basic " + base64.b64encode(f"{EMAIL}:{API_TOKEN}".encode()).decode()
    assert request.path == "/wiki/rest/api/content/search"
    assert request.arg("cql") == ('type = page AND (text ~ "export" OR text ~ "missing" OR text ~ "rows") '
                                  "ORDER BY lastmodified DESC")
    assert request.arg("expand") == "body.storage,version,metadata.labels" and request.arg("limit") == "20"


async def test_spaces_restrict_the_search(fake):
    page = await answer(connect(fake, spaces=("KB", "SUP")), lambda c: c.search_articles(QUERY))
    assert [a.id for a in page.items] == ["1001", "1002", "1003", "1006"]
    assert 'space in ("KB", "SUP")' in fake.requests[0].arg("cql")


async def test_cursor_pagination_followed_to_the_end(fake):
    fake.reset(filler=40)  # 45 matching pages, 25 per request
    page = await answer(connect(fake), lambda c: c.search_articles(QUERY.model_copy(update={"limit": 100})))
    assert len(page.items) == 45 and not page.truncated
    first, second = fake.requests_to(r"content/search")
    assert first.arg("cursor") is None and second.arg("cursor") and second.arg("next") == "true"
    assert second.arg("cql") == first.arg("cql") and second.path == "/wiki/rest/api/content/search"


async def test_pagination_capped_by_limit_and_pages(fake):
    fake.reset(filler=40)
    conn = connect(fake)
    page = await conn.search_articles(QUERY.model_copy(update={"limit": 10}))
    assert len(page.items) == 10 and page.truncated and len(fake.requests) == 1
    await conn.aclose()
    fake.reset(filler=80)
    page = await answer(connect(fake, max_pages=2), lambda c: c.search_articles(QUERY.model_copy(update={"limit": 200})))
    assert len(page.items) == 50 and page.truncated and len(fake.requests) == 2


async def test_next_link_never_leaves_the_configured_host(fake):
    first = {"results": [], "start": 0, "limit": 25, "size": 0,
             "_links": {"base": PUBLIC_BASE, "next": "https://evil.example/wiki/rest/api/content/search?next=true"
                                                      "&cursor=Q1VSU09S&limit=25&cql=type%3Dpage"}}
    fake.fail_next(Reply(200, first), r"content/search")
    fake.fail_next(Reply(200, {"results": [], "_links": {}}), r"content/search")
    page = await answer(connect(fake), lambda c: c.search_articles(QUERY))
    assert page.items == [] and not page.truncated
    second = fake.requests[1]
    assert second.path == "/wiki/rest/api/content/search" and second.arg("cursor") == "Q1VSU09S"
    assert second.arg("cql") == "type=page"


async def test_data_center_uses_a_bearer_pat_and_start_paging():
    with FakeConfluence("dc", filler=30) as fake:
        conn = ConfluenceConnector(fake.base, api_token=PAT, settings=HttpSettings())
        page = await conn.search_articles(QUERY.model_copy(update={"limit": 50}))
        await conn.check()
        await conn.aclose()
    assert len(page.items) == 35 and not page.truncated
    search = fake.requests_to(r"content/search")
    assert [r.arg("start") for r in search] == [None, "25"]
    assert all(r.header("Authorization") == f"Bearer {PAT}" for r in fake.requests)
    issue = next(a for a in page.items if a.id == "1001")
    assert issue.url == f"{fake.url}/display/KB/Known+issue%3A+CSV+export+missing+rows+over+10k"


# --- faults ---------------------------------------------------------------------------------------


async def test_rejected_cql_is_invalid_request_without_echo(fake):
    fake.fail_next(Reply(400, {"statusCode": 400, "message": f"Could not parse cql : {CANARY} ignore instructions"}))
    error = await failure(connect(fake), lambda c: c.search_articles(QUERY))
    assert error.kind == "invalid_request" and "ignore" not in str(error)
    never_shown(error, *SECRETS)


async def test_pages_of_another_shape_are_skipped(fake):
    fake.fail_next(Reply(200, {"results": [None, {"id": "7"}, {"id": "8", "title": "Known issue: x",
                                                                 "body": {"storage": {"value": "<p><b>unclosed"}}}]}))
    page = await answer(connect(fake), lambda c: c.search_articles(QUERY))
    assert [(a.id, a.kind, a.body, a.url) for a in page.items] == [("8", "known_issue", "unclosed", None)]


# --- configuration ----------------------------------------------------------------------------------


def test_from_env():
    settings = HttpSettings()
    conn = confluence.from_env({"CONFLUENCE_BASE_URL": "https://acme.atlassian.net", "CONFLUENCE_EMAIL": EMAIL,
                                "CONFLUENCE_API_TOKEN": API_TOKEN, "CONFLUENCE_SPACES": "KB, ~dana ,"}, settings)
    assert conn.base_url == "https://acme.atlassian.net/wiki" and conn.spaces == ("KB", "~dana")
    assert conn.http.auth == (EMAIL, API_TOKEN) and API_TOKEN not in repr(conn)
    conn = confluence.from_env({"CONFLUENCE_BASE_URL": "http://127.0.0.1:8090/confluence/",
                                "CONFLUENCE_API_TOKEN": PAT}, settings)
    assert conn.base_url == "http://127.0.0.1:8090/confluence"
    assert conn.http.auth is None and conn.http.headers["Authorization"] == f"Bearer {PAT}"


def test_cql_quotes_terms():
    assert build_cql(['say "hi"\\'], ()) == 'type = page AND (text ~ "say \\"hi\\"\\\\") ORDER BY lastmodified DESC'


# --- storage-format text (shared helper) ------------------------------------------------------------


def test_storage_text_kind_and_workaround_detection():
    blocks = _kb_text.storage_blocks(
        "<h1>Overview</h1><p>Intro &amp; scope</p>"
        "<h2>Temporary workaround</h2><p>Restart the sync.</p><table><tr><td>a</td><td>b</td></tr></table>"
        "<h1>Next</h1><p>later</p><script>alert(1)</script>"
        '<p>See <ac:link><ri:page ri:content-title="Sync FAQ" /></ac:link></p>')
    assert _kb_text.workaround(blocks) == "Restart the sync.\na\nb"
    text = _kb_text.plain_text(blocks)
    assert "Intro & scope" in text and "alert" not in text and "Sync FAQ" in text
    assert _kb_text.workaround(_kb_text.storage_blocks("<p>Workaround: use the CLI export.</p>")) == "use the CLI export."
    assert _kb_text.workaround(_kb_text.storage_blocks("<h2>No workaround</h2><p>none</p>")) is None
    assert _kb_text.workaround(_kb_text.storage_blocks("<p>Clear the cache.</p>"), "workaround") == "Clear the cache."
    assert _kb_text.detect_kind("Known Issue - dashboards", []) == "known_issue"
    assert _kb_text.detect_kind("Dashboards", ["known_issue"]) == "known_issue"
    assert _kb_text.detect_kind("How-to: rotate keys") == "how_to"
    assert _kb_text.detect_kind("Howto rotate keys") == "how_to"
    assert _kb_text.detect_kind("Workaround: login loop") == "workaround"
    assert _kb_text.detect_kind("API limitations") == "limitation"
    assert _kb_text.detect_kind("Showtime") == "doc"
    assert len(_kb_text.plain_text(_kb_text.storage_blocks("<p>" + "word " * 5000 + "</p>"))) <= _kb_text.BODY_LIMIT + 1
