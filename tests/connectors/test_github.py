"""GitHub connector against the fake GitHub REST API (github.com and Enterprise Server): reading and filing."""

from __future__ import annotations

import time

import pytest

from customer_escalation.connectors import github
from customer_escalation.connectors.base import ConnectorError, HttpSettings
from customer_escalation.connectors.github import GitHubConnector, build_query
from customer_escalation.models import SearchQuery
from tests.fakes.github import REPO, TOKEN, FakeGitHub
from tests.connectors.support import MARKER, answer, create_issue, never_shown, recorder, search_check_file_find, serve
from tests.fakes.harness import Reply

pytestmark = pytest.mark.anyio

CANARY = "ghp_CANARY7c1dNeverShown0000000000000000000"
SECRETS = (CANARY, TOKEN)  # never in an error
QUERY = SearchQuery(text="CSV export is missing rows", keywords=["export", "missing", "rows"], limit=20)
BODY = "# Export drops rows\n\n**Severity:** High.\n\n_Escalation ESC-12, filed by customer-escalation._\n"


server, fake = serve(FakeGitHub)


def connect(fake: FakeGitHub, sleeps: list[float] | None = None, *, token: str = TOKEN, repository: str = REPO,
            **settings) -> GitHubConnector:
    return GitHubConnector(fake.api, token=token, repository=repository, settings=HttpSettings(**settings), sleep=recorder(sleeps))


# --- reading ---------------------------------------------------------------------------------------


async def test_search_asks_the_repositorys_issues_newest_first(fake):
    await answer(connect(fake), lambda c: c.search_items(QUERY))

    [request] = fake.requests
    assert request.path == "/search/issues"
    assert request.arg("q") == "repo:acme/app is:issue export OR missing OR rows"
    assert (request.arg("sort"), request.arg("order"), request.arg("per_page")) == ("updated", "desc", "20")
    assert request.header("Authorization") == f"Bearer {TOKEN}"
    assert request.header("Accept") == "application/vnd.github+json"
    assert request.header("X-GitHub-Api-Version") == "2022-11-28"


async def test_next_link_never_leaves_the_configured_host(fake):
    items = {"total_count": 1, "incomplete_results": False, "items": []}
    fake.fail_next(Reply(200, items, headers={"Link": '<https://evil.example/search/issues?page=2>; rel="next"'}))
    conn = connect(fake)
    page = await conn.search_items(QUERY)
    assert page.items == [] and len(fake.requests) == 1
    await conn.aclose()


async def test_github_com_uses_the_boolean_search_with_the_terms_grouped(fake):
    fake.reset(filler=60)
    conn = GitHubConnector(fake.api, token=TOKEN, repository=REPO, settings=HttpSettings(), advanced_search=True)
    page = await conn.search_items(QUERY.model_copy(update={"limit": 100}))
    assert len(page.items) == 64 and all(i.id.startswith("acme/app#") for i in page.items)
    first, second = fake.requests
    assert first.arg("q") == "repo:acme/app is:issue (export OR missing OR rows)"
    assert first.arg("advanced_search") == "true" and second.arg("advanced_search") == "true"
    # why the terms are grouped: ungrouped, the boolean syntax lets the last term match in any repository
    leaked = await conn._search(build_query(REPO, ["export", "missing", "rows"]), limit=100)
    assert "acme/other#12" in {item.id for _, item in leaked.items}
    created = await create_issue(conn, BODY)
    fake.index()
    assert await conn.find_by_marker(MARKER) == created
    assert fake.requests_to(r"/search/issues$")[-1].arg("advanced_search") == "true"
    await conn.aclose()


def test_advanced_search_by_host():
    settings = HttpSettings()
    env = {"GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": REPO}
    assert github.from_env(env, settings).advanced_search is True
    assert github.from_env({**env, "GITHUB_API_URL": "https://api.acme.ghe.com"}, settings).advanced_search is True
    assert github.from_env({**env, "GITHUB_API_URL": "https://github.acme.example/api/v3"}, settings).advanced_search is False


async def test_enterprise_server_under_api_v3():
    with FakeGitHub("ghes", filler=60) as fake:
        conn = github.from_env({"GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": REPO, "GITHUB_API_URL": fake.api + "/"},
                               HttpSettings())
        assert conn.base_url == fake.url + "/api/v3"
        page, created, found = await search_check_file_find(conn, QUERY.model_copy(update={"limit": 100}), BODY)
    assert len(page.items) == 64 and not page.truncated
    assert all(r.path.startswith("/api/v3/") for r in fake.requests)
    assert page.items[0].url == f"{fake.url}/acme/app/issues/41"
    assert found == created and created.url == f"{fake.url}/acme/app/issues/{created.id.split('#')[1]}"


async def test_check_reads_the_repository(fake):
    conn = connect(fake)
    await conn.check()
    fake.has_issues = False
    with pytest.raises(ConnectorError) as err:
        await conn.check()
    await conn.aclose()
    assert err.value.kind == "misconfigured" and "disabled" in err.value.message
    assert fake.requests[0].path == "/repos/acme/app"


# --- writing ---------------------------------------------------------------------------------------


async def test_create_then_find_by_marker_through_search_and_listing(fake):
    conn = connect(fake)
    assert await conn.find_by_marker(MARKER) is None
    created = await create_issue(conn, BODY)
    [post] = fake.requests_to(r"/repos/acme/app/issues$", "POST")
    assert post.json() == {"title": "[High] CSV export drops rows", "labels": ["customer-escalation", "severity-high"],
                           "body": BODY.rstrip() + f"\n\nEscalation-Key: {MARKER}\n"}
    number = fake.created()[0]["number"]
    assert created.id == f"acme/app#{number}" and created.url == f"https://github.com/acme/app/issues/{number}"
    fake.requests.clear()
    found = await conn.find_by_marker(MARKER)  # not indexed yet: found in the recent issues
    assert found == created
    search, listing = fake.requests
    assert search.arg("q") == f'repo:acme/app is:issue "{MARKER}" in:body'
    assert listing.path == "/repos/acme/app/issues" and listing.arg("state") == "all" and listing.arg("per_page") == "100"
    fake.index()
    fake.requests.clear()
    assert await conn.find_by_marker(MARKER) == created and len(fake.requests) == 1  # search has it now
    await conn.aclose()


async def test_project_names_another_repository(fake):
    conn = connect(fake)
    created = await create_issue(conn, BODY, project="acme/other")
    assert created.id.startswith("acme/other#")
    found = await conn.find_by_marker(MARKER)
    await conn.aclose()
    assert found == created
    with pytest.raises(ConnectorError) as err:
        await create_issue(connect(fake), BODY, project="not a repo")
    assert err.value.kind == "invalid_request"


async def test_marker_search_rate_limited_falls_back_to_listing(fake):
    conn = connect(fake)
    created = await create_issue(conn, BODY)
    fake.index()
    fake.fail_next(Reply(403, {"message": "API rate limit exceeded"},
                         headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(time.time()) + 30)}),
                   r"/search/issues")
    assert await conn.find_by_marker(MARKER) == created
    await conn.aclose()


async def test_create_errors(fake):
    conn = connect(fake)
    fake.fail_next(Reply(422, {"message": f"Validation Failed {CANARY}", "errors": [
        {"resource": "Issue", "code": "missing_field", "field": "title"},
        {"resource": "Issue", "code": "custom", "field": f"x {CANARY}", "message": CANARY}]}), r"/issues$")
    with pytest.raises(ConnectorError) as err:
        await create_issue(conn, BODY)
    assert err.value.kind == "invalid_request" and "title (missing_field)" in err.value.message
    never_shown(err.value, *SECRETS)
    fake.has_issues = False
    with pytest.raises(ConnectorError) as err:
        await create_issue(conn, BODY)
    assert err.value.kind == "misconfigured" and "issues are disabled on this repository" in err.value.message
    fake.has_issues = True
    fake.fail_next(Reply(403, {"message": "Resource not accessible by personal access token"}), r"/issues$")
    with pytest.raises(ConnectorError) as err:
        await create_issue(conn, BODY)
    assert err.value.kind == "auth_failed" and "Issues: write" in err.value.fix
    with pytest.raises(ConnectorError) as err:
        await create_issue(conn, BODY, project="acme/missing")
    assert err.value.kind == "not_found" and "GITHUB_REPOSITORY" in err.value.fix
    await conn.aclose()
    assert fake.created() == []


# --- faults ---------------------------------------------------------------------------------------


async def test_403_rate_limit_is_not_a_permission_error(fake):
    conn = connect(fake)
    reset = int(time.time()) + 40
    fake.fail_next(Reply(403, {"message": "API rate limit exceeded for user"},
                           headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)}))
    with pytest.raises(ConnectorError) as err:
        await conn.search_items(QUERY)
    assert err.value.kind == "rate_limited" and 30 < err.value.retry_after <= 40
    fake.fail_next(Reply(403, {"message": "You have exceeded a secondary rate limit"}, headers={"retry-after": "60"}))
    with pytest.raises(ConnectorError) as err:
        await conn.search_items(QUERY)
    assert err.value.kind == "rate_limited" and err.value.retry_after == 60
    fake.fail_next(Reply(403, {"message": "Resource not accessible by integration"}, headers={"x-ratelimit-remaining": "4999"}))
    with pytest.raises(ConnectorError) as err:
        await conn.search_items(QUERY)
    await conn.aclose()
    assert err.value.kind == "auth_failed" and "GITHUB_REPOSITORY" in err.value.fix


async def test_issues_of_another_shape_are_skipped(fake):
    fake.fail_next(Reply(200, {"items": [None, {"number": "7"}, {"number": 8, "html_url": "javascript:x"},
                                         {"number": 9, "pull_request": {}}]}))
    page = await answer(connect(fake), lambda c: c.search_items(QUERY))
    assert [(i.id, i.title, i.url) for i in page.items] == [("acme/app#8", "#8", None)]


# --- configuration ----------------------------------------------------------------------------------


def test_from_env():
    settings = HttpSettings()
    conn = github.from_env({"GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": REPO}, settings)
    assert conn.base_url == "https://api.github.com" and conn.repository == REPO
    assert conn.http.headers["Authorization"] == f"Bearer {TOKEN}" and TOKEN not in repr(conn)
    conn = github.from_env({"GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": REPO,
                            "GITHUB_API_URL": "https://github.example.com/api/v3/"}, settings)
    assert conn.base_url == "https://github.example.com/api/v3"


def test_query_caps_terms():
    assert build_query("a/b", [f"t{n}" for n in range(9)]) == "repo:a/b is:issue t0 OR t1 OR t2 OR t3 OR t4 OR t5"
    assert build_query("a/b", ["x", "y"], advanced=True) == "repo:a/b is:issue (x OR y)"
