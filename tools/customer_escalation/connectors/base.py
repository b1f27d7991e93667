"""What every connector shares: the category interfaces, the error vocabulary and one HTTP helper.

A connector speaks one external system's documented API. It is read-only unless it also
implements a write interface (`IssueWriter`, `ChatWriter`); write methods are reached only
through the lifecycle module, which enforces the write setting.

Error messages raised from here are *trusted text*: they are composed by this package,
never copied from a response body or a request, so they cannot carry tokens or
instructions planted by whoever controls the remote system.
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import logging
import random
import ssl
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, ClassVar, Literal, Protocol, TypedDict, runtime_checkable

import httpx2

from ..models import Account, SearchQuery, SourceCategory, SourceState

log = logging.getLogger("customer_escalation.connectors")
# httpcore's DEBUG trace logs raw response headers (cookies, tokens a server echoes back in a Location or an error
# header): never below INFO, even when an application turns DEBUG on for everything.
logging.getLogger("httpcore2").setLevel(max(logging.getLogger("httpcore2").level, logging.INFO))

ErrorKind = Literal[
    "auth_failed", "rate_limited", "timed_out", "not_found", "error", "misconfigured", "unreachable", "invalid_request"
]


class ConnectorError(Exception):
    """A failure talking to an external system. `message` is trusted text (see module doc)."""

    def __init__(
        self,
        source: str,
        kind: ErrorKind,
        message: str,
        *,
        status_code: int | None = None,
        retry_after: float | None = None,
        fix: str | None = None,
        valid_values: Mapping[str, list[str]] | None = None,
    ):
        self.source = source
        self.kind = kind
        self.message = message
        self.status_code = status_code
        self.retry_after = retry_after
        self.fix = fix
        self.valid_values = dict(valid_values or {})
        super().__init__(f"{source}: {message}")

    @property
    def state(self) -> SourceState:
        return "error" if self.kind == "invalid_request" else self.kind


@dataclass
class Page:
    """A page of results plus whether the connector stopped before the end (cap reached)."""

    items: list[Any]
    truncated: bool = False


# --- category interfaces ------------------------------------------------------------------------


@runtime_checkable
class Connector(Protocol):
    name: ClassVar[str]  # e.g. "zendesk"
    category: ClassVar[SourceCategory]

    async def check(self) -> None:
        """One cheap authenticated call; raises ConnectorError when it fails."""

    async def aclose(self) -> None: ...


class SupportPlatform(Connector, Protocol):
    async def find_accounts(self, name_or_domain: str) -> list[Account]: ...

    async def search_tickets(self, query: SearchQuery) -> Page: ...  # Page[Ticket]


class CRM(Connector, Protocol):
    async def find_accounts(self, name_or_domain: str) -> list[Account]: ...


class Chat(Connector, Protocol):
    async def search_messages(self, query: SearchQuery) -> Page: ...  # Page[ChatThread]


class Tracker(Connector, Protocol):
    async def search_items(self, query: SearchQuery) -> Page: ...  # Page[TrackerItem]


class KnowledgeBase(Connector, Protocol):
    async def search_articles(self, query: SearchQuery) -> Page: ...  # Page[KBArticle]


@dataclass
class CreatedItem:
    id: str
    url: str | None
    system: str


class IssueWriter(Protocol):
    """A tracker that can file an escalation as an issue."""

    async def find_by_marker(self, marker: str) -> CreatedItem | None:
        """Find an issue previously created with this idempotency marker in its body/labels."""

    async def create_issue(
        self, *, title: str, body_markdown: str, marker: str, project: str | None, labels: list[str], priority: str | None
    ) -> CreatedItem: ...


class ChatWriter(Protocol):
    async def find_by_marker(self, channel: str, marker: str) -> CreatedItem | None: ...

    async def post_message(self, *, channel: str, text: str, blocks: list[dict] | None, marker: str) -> CreatedItem: ...


# --- HTTP helper ---------------------------------------------------------------------------------

_RETRY_STATUSES = {429, 500, 502, 503, 504}


@dataclass
class HttpSettings:
    timeout: float = 10.0  # per request
    max_retries: int = 2
    retry_after_cap: float = 5.0  # never sleep longer than this on a Retry-After
    backoff_base: float = 0.25
    max_pages: int = 5
    user_agent: str = "customer-escalation"


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now_ts = time.time() if now is None else now
    return max(0.0, when.timestamp() - now_ts)


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The TLS settings every client shares. Building them loads the CA bundle, about 40 ms of CPU: once per process,
    not once per source per gather_context call (eight sources would spend a third of a second on it)."""
    return httpx2.create_ssl_context()


@dataclass
class HttpSource:
    """An async HTTP client for one system: auth headers, retries with Retry-After, trusted errors.

    Subclasses set `name` and pass `base_url` and `headers` (or `auth`), and may name the fix for an HTTP status in
    their system's own settings (`fixes`). Never log headers.
    """

    fixes: ClassVar[Mapping[int, str]] = {}  # HTTP status -> the fix an error with it gives, in the system's settings

    name: str
    base_url: str
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    auth: tuple[str, str] | None = field(default=None, repr=False)
    settings: HttpSettings = field(default_factory=HttpSettings)
    transport: httpx2.AsyncBaseTransport | None = field(default=None, repr=False)
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    _client: httpx2.AsyncClient | None = field(default=None, init=False, repr=False)

    def __repr__(self) -> str:  # keep credentials out of any repr or traceback
        return f"HttpSource(name={self.name!r}, base_url={self.base_url!r})"

    def client(self) -> httpx2.AsyncClient:
        if self._client is None:
            self._client = httpx2.AsyncClient(
                base_url=self.base_url.rstrip("/") + "/",
                headers={"User-Agent": self.settings.user_agent, "Accept": "application/json", **self.headers},
                auth=self.auth,
                timeout=self.settings.timeout,
                transport=self.transport,
                verify=tls_context(),
                follow_redirects=False,
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        retry: bool | None = None,
        ok_statuses: tuple[int, ...] = (),
    ) -> httpx2.Response:
        """Send a request; retry 429/5xx (reads by default) honouring Retry-After up to a cap.

        Returns the response for 2xx (and any status listed in ok_statuses); raises
        ConnectorError otherwise. `path` is relative to base_url unless absolute.
        """
        if retry is None:
            retry = method.upper() in {"GET", "HEAD"}
        attempts = 1 + (self.settings.max_retries if retry else 0)
        url = path if path.startswith(("http://", "https://")) else path.lstrip("/")
        last_error: ConnectorError | None = None
        for attempt in range(attempts):
            try:
                response = await self.client().request(method, url, params=params, json=json, headers=headers)
            except httpx2.TimeoutException:
                last_error = ConnectorError(self.name, "timed_out", f"no answer within {self.settings.timeout:g}s")
            except (httpx2.ConnectError, httpx2.RemoteProtocolError, httpx2.ReadError, httpx2.WriteError) as exc:
                last_error = ConnectorError(
                    self.name,
                    "unreachable",
                    f"could not reach {self._host()} ({type(exc).__name__})",
                    fix=f"check the base URL for {self.name} and that the host is reachable",
                )
            except httpx2.HTTPError as exc:
                last_error = ConnectorError(self.name, "error", f"HTTP failure ({type(exc).__name__})")
            else:
                if response.is_success or response.status_code in ok_statuses:
                    return response
                last_error = self.error_for(response)
                if response.status_code not in _RETRY_STATUSES:
                    raise last_error
            if attempt + 1 < attempts and last_error.kind in {"rate_limited", "error", "timed_out", "unreachable"}:
                await self.sleep(self._backoff(attempt, last_error.retry_after))
                continue
            break
        assert last_error is not None
        raise last_error

    async def get_json(self, path: str, **kwargs: Any) -> Any:
        return self.decode(await self.request("GET", path, **kwargs))

    async def get_object(self, path: str, *, shape_error: str, fix: str | None = None, **kwargs: Any) -> dict[str, Any]:
        """A JSON object from GET `path`; any other answer is an error saying `shape_error`."""
        body = await self.get_json(path, **kwargs)
        if not isinstance(body, dict):
            raise ConnectorError(self.name, "error", shape_error, fix=fix)
        return body

    def decode(self, response: httpx2.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise ConnectorError(self.name, "error", f"malformed JSON in the answer (HTTP {response.status_code})") from None

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.settings.retry_after_cap)
        base = self.settings.backoff_base * (2**attempt)
        return min(base + random.uniform(0, base / 2), self.settings.retry_after_cap)

    def _host(self) -> str:
        try:
            return httpx2.URL(self.base_url).host or self.base_url
        except Exception:
            return "the configured host"

    def error_for(self, response: httpx2.Response) -> ConnectorError:
        """Map an HTTP error status to a ConnectorError with a trusted message and a fix (the system's own, in `fixes`)."""
        error = self._status_error(response)
        fix = self.fixes.get(response.status_code)
        if fix is None:
            return error
        return ConnectorError(error.source, error.kind, error.message, status_code=error.status_code,
                              retry_after=error.retry_after, fix=fix, valid_values=error.valid_values)

    def _status_error(self, response: httpx2.Response) -> ConnectorError:
        status = response.status_code
        if status == 401:
            return ConnectorError(
                self.name, "auth_failed", "credentials were rejected (HTTP 401)", status_code=status,
                fix=f"check the {self.name} token/credentials in your environment",
            )
        if status == 403:
            return ConnectorError(
                self.name, "auth_failed", "access denied (HTTP 403): the token lacks a permission or scope",
                status_code=status, fix=f"grant the {self.name} token read access to the data it searches",
            )
        if status == 404:
            return ConnectorError(
                self.name, "not_found", "not found (HTTP 404)", status_code=status,
                fix=f"check the {self.name} base URL, project or space settings",
            )
        if status == 429:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            wait = f"; retry after {retry_after:g}s" if retry_after is not None else ""
            return ConnectorError(
                self.name, "rate_limited", f"rate limited (HTTP 429){wait}", status_code=status, retry_after=retry_after
            )
        if status in (400, 409, 422):
            return ConnectorError(self.name, "invalid_request", f"request rejected (HTTP {status})", status_code=status)
        if status >= 500:
            return ConnectorError(
                self.name, "error", f"server error (HTTP {status})", status_code=status,
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
            )
        return ConnectorError(self.name, "error", f"unexpected answer (HTTP {status})", status_code=status)

    async def paginate(
        self,
        fetch_page: Callable[[Any], Awaitable[tuple[list[Any], Any]]],
        *,
        limit: int,
        max_pages: int | None = None,
    ) -> Page:
        """Follow a cursor: `fetch_page(cursor)` returns (items, next_cursor or None).

        Stops at `limit` items or `max_pages` pages and reports truncation when more remained.
        """
        max_pages = max_pages or self.settings.max_pages
        items: list[Any] = []
        cursor: Any = None
        for _ in range(max_pages):
            page, cursor = await fetch_page(cursor)
            items.extend(page)
            if len(items) >= limit:
                return Page(items[:limit], truncated=len(items) > limit or cursor is not None)
            if not cursor:
                return Page(items, truncated=False)
        return Page(items, truncated=cursor is not None)


def answer_json(response: httpx2.Response) -> Any:
    """The JSON of an answer, or None when it holds none: where a system's error_for reads its error codes."""
    try:
        return response.json()
    except ValueError:
        return None


class HttpOptions(TypedDict, total=False):
    """How a connector talks HTTP: every connector takes these keyword arguments (tests pass a recording `sleep`)."""

    settings: HttpSettings | None
    transport: httpx2.AsyncBaseTransport | None
    sleep: Callable[[float], Awaitable[None]] | None


class HttpConnector:
    """The shape the connectors share: a name and a category, one HttpSource (`http`) for the system at `base_url`,
    closed by `aclose`, and a repr that shows where it points and never a credential."""

    name: ClassVar[str]
    category: ClassVar[str]
    base_url: str
    http: HttpSource

    def connect(self, http: type[HttpSource], base_url: str, options: HttpOptions, **credentials: Any) -> None:
        """The client for the system at `base_url` (opened at its first request); `credentials` are the HttpSource's
        `headers` or `auth`."""
        sleep = options.get("sleep")
        extra: dict[str, Any] = {"sleep": sleep} if sleep is not None else {}  # else the HttpSource's own (asyncio.sleep)
        self.base_url = base_url
        self.http = http(self.name, base_url, settings=options.get("settings") or HttpSettings(),
                         transport=options.get("transport"), **extra, **credentials)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    async def aclose(self) -> None:
        await self.http.aclose()


def parse_time(value: Any) -> datetime | None:
    """Parse the timestamp shapes the APIs use (ISO 8601, Z suffix, epoch seconds or ms, Slack 'ts')."""
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.replace(".", "", 1).isdigit()):
        number = float(value)
        if number > 1e12:
            number /= 1000.0
        return datetime.fromtimestamp(number, tz=timezone.utc)
    text = str(value).strip().replace("Z", "+00:00")
    # Salesforce/Jira style offsets without a colon: +0000
    if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit() and ":" not in text[-5:]:
        text = text[:-2] + ":" + text[-2:]
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


