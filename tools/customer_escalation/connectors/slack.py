"""Slack: internal discussion of an issue (chat), and where filed escalations are announced.

Reading
    search.messages (needs a *user* token with `search:read`) finds messages across the
    workspace, newest first; hits are grouped by channel and thread into ChatThreads, each
    linked to the thread's permalink. With only a bot token, the channels listed in
    SLACK_SEARCH_CHANNELS are read with conversations.history (`channels:history`,
    `groups:history` for private channels) and filtered locally.
Writing (ChatWriter)
    post_message sends chat.postMessage with the bot token (`chat:write`), carrying the
    idempotency marker as message metadata (event type `customer_escalation_filed`);
    find_by_marker looks for that metadata in the channel's recent history. A post is never
    retried automatically: a lost answer is resolved by find_by_marker, not by posting twice.
    The channel is an ID (C0123ABCD) or a #name, resolved once with conversations.list
    (`channels:read`, `groups:read` for private channels).

Slack reports most failures as HTTP 200 with {"ok": false, "error": "<code>"}; the code (and
the `needed` scope for missing_scope) is a closed vocabulary, shown only after validation.

Environment: SLACK_BOT_TOKEN, SLACK_USER_TOKEN, SLACK_BASE_URL (default https://slack.com/api),
SLACK_SEARCH_CHANNELS (comma-separated channel IDs for a bot-only setup).
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import Mapping
from typing import Any, Unpack
from urllib.parse import parse_qs, urlsplit

import httpx2

from ..models import ChatMessage, ChatThread, SearchQuery
from . import _fields
from ._fields import mapping
from .base import ConnectorError, CreatedItem, HttpConnector, HttpOptions, HttpSettings, HttpSource, Page, answer_json, parse_retry_after, parse_time

SYSTEM = "slack"
CATEGORY = "chat"
ENV_VARS = ("SLACK_BOT_TOKEN", "SLACK_USER_TOKEN", "SLACK_BASE_URL", "SLACK_SEARCH_CHANNELS")
DEFAULT_BASE_URL = "https://slack.com/api"
EVENT_TYPE = "customer_escalation_filed"

log = logging.getLogger("customer_escalation.connectors.slack")

BOT = "SLACK_BOT_TOKEN"
USER = "SLACK_USER_TOKEN"

_CODE = re.compile(r"^[a-z_:.]+$")
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,30}$")
_CHANNEL_NAME = re.compile(r"^#?([^\W][\w.-]{0,79})$", re.UNICODE)
_TS = re.compile(r"^\d{1,12}(?:\.\d{1,8})?$")
_TERM = re.compile(r"[^\W_][\w.'-]*", re.UNICODE)
_MARKUP = re.compile(r"<([^<>\n]{1,500})>")

_AUTH_CODES = {
    "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "no_permission",
    "org_login_required", "two_factor_setup_required", "missing_auth",
}
_DENIED_CODES = {
    "access_denied", "ekm_access_denied", "team_access_not_granted", "restricted_action",
    "restricted_action_read_only_channel", "restricted_action_thread_only_channel",
    "restricted_action_non_threadable_channel", "posting_to_general_channel_denied", "enterprise_is_restricted",
}
_INVALID_CODES = {
    "invalid_arguments", "invalid_arg_name", "invalid_array_arg", "invalid_charset", "invalid_form_data",
    "invalid_post_type", "missing_post_type", "invalid_cursor", "invalid_ts_latest", "invalid_ts_oldest",
    "no_query", "no_text", "msg_too_long", "too_many_attachments", "invalid_blocks", "invalid_blocks_format",
    "too_many_blocks", "invalid_metadata_format", "invalid_metadata_schema", "metadata_too_large",
    "metadata_must_be_sent_from_app", "message_not_found", "invalid_json", "json_not_object", "is_archived",
    "channel_is_archived", "cannot_reply_to_message", "duplicate_message_not_found",
}
_SERVER_CODES = {"fatal_error", "internal_error", "service_unavailable", "request_timeout"}

_SCOPES_FOR = {
    "search.messages": "search:read",
    "conversations.history": "channels:history (groups:history for private channels)",
    "chat.postMessage": "chat:write",
    "chat.getPermalink": "chat:write",
    "conversations.list": "channels:read (groups:read for private channels)",
}


def _code(value: Any) -> str | None:
    """A Slack error code, only if it has the closed-vocabulary shape (safe to show)."""
    if isinstance(value, str) and 0 < len(value) <= 80 and _CODE.match(value):
        return value
    return None


def _scopes(value: Any) -> list[str]:
    if not isinstance(value, str):
        return []
    return [s for s in (p.strip() for p in value.split(",")[:8]) if _code(s)]


class SlackHttp(HttpSource):
    """HttpSource with Slack's HTTP-level error bodies ({"ok": false, "error": ...}) read safely."""

    def error_for(self, response: httpx2.Response) -> ConnectorError:
        error = super().error_for(response)
        body = answer_json(response)
        code = _code(body.get("error")) if isinstance(body, dict) else None
        if not code or error.kind == "rate_limited":
            return error
        return ConnectorError(error.source, error.kind, f"{error.message}: {code}", status_code=error.status_code,
                              retry_after=error.retry_after, fix=error.fix)


def _slack_error(body: Mapping[str, Any], method: str, token_var: str, headers: Mapping[str, str]) -> ConnectorError:
    """Map an {"ok": false} answer to a ConnectorError with trusted text and a fix."""
    code = _code(body.get("error"))
    shown = code or "no error code"
    if code in _AUTH_CODES:
        return ConnectorError(SYSTEM, "auth_failed", f"{method}: the token was rejected ({shown})",
                              fix=f"check {token_var}: a valid, current Slack token for this workspace")
    if code == "missing_scope":
        needed = _scopes(body.get("needed")) or [_SCOPES_FOR.get(method, "the scope this method needs")]
        scopes = ", ".join(needed)
        kind = "user" if token_var == USER else "bot"
        return ConnectorError(SYSTEM, "auth_failed", f"{method}: the token lacks a scope (missing_scope; needs {scopes})",
                              fix=f"add {scopes} to the Slack app's {kind} token scopes, reinstall the app, "
                                  f"then update {token_var}")
    if code == "not_allowed_token_type":
        fix = ("message search needs a user token (xoxp-) with search:read in SLACK_USER_TOKEN"
               if method == "search.messages" else f"use a bot token (xoxb-) in {token_var}")
        return ConnectorError(SYSTEM, "auth_failed", f"{method} does not accept this kind of token (not_allowed_token_type)",
                              fix=fix)
    if code == "not_in_channel":
        return ConnectorError(SYSTEM, "auth_failed", f"{method}: the app is not a member of the channel (not_in_channel)",
                              fix="invite the app to the channel (in Slack: /invite @your-app in that channel)")
    if code == "channel_not_found":
        return ConnectorError(SYSTEM, "not_found", f"{method}: channel not found (channel_not_found)",
                              fix="check the channel ID (policy chat_channel or SLACK_SEARCH_CHANNELS); "
                                  "for a private channel, invite the app first")
    if code in ("ratelimited", "rate_limited"):
        retry_after = parse_retry_after(headers.get("Retry-After"))
        wait = f"; retry after {retry_after:g}s" if retry_after is not None else ""
        return ConnectorError(SYSTEM, "rate_limited", f"{method}: rate limited ({code}){wait}", retry_after=retry_after)
    if code in _DENIED_CODES:
        return ConnectorError(SYSTEM, "auth_failed", f"{method}: not allowed in this workspace or channel ({code})",
                              fix="check the channel's posting permissions and the Slack app's access")
    if code in _INVALID_CODES:
        invalid_fix = "unarchive the channel or choose another one" if code in ("is_archived", "channel_is_archived") else None
        return ConnectorError(SYSTEM, "invalid_request", f"{method}: request rejected ({code})", fix=invalid_fix)
    if code in _SERVER_CODES:
        return ConnectorError(SYSTEM, "error", f"{method}: Slack could not answer ({code})",
                              fix="try again shortly; see status.slack.com")
    return ConnectorError(SYSTEM, "error", f"{method} failed ({shown})")


def _plain(text: Any) -> str:
    """Slack mrkdwn to plain text: <@U1|name> -> @name, <url|label> -> label, entities unescaped."""
    if not isinstance(text, str):
        return ""

    def one(match: re.Match) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return "@" + (label or target[1:])
        if target.startswith("#"):
            return "#" + (label or target[1:])
        if target.startswith("!"):
            if label:
                return label
            return "@" + target[1:].split("^")[0]
        return label or target

    return html.unescape(_MARKUP.sub(one, text)).strip()


def _topic(text: str) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if len(first) <= 120 else first[:119].rstrip() + "…"


def _search_terms(query: SearchQuery) -> list[str]:
    """Search words as Slack keeps them whole: dots too (v2.3, acme.com)."""
    return _fields.distinct_terms(query.keywords or _TERM.findall(query.text), _TERM, ".'-")[:6]


def _permalink_ts(url: Any) -> str | None:
    """The thread_ts in a reply's permalink (…/p123?thread_ts=123.456&cid=C1)."""
    if not isinstance(url, str):
        return None
    try:
        values = parse_qs(urlsplit(url).query).get("thread_ts")
    except ValueError:
        return None
    if values and _TS.match(values[0]):
        return values[0]
    return None


class _Threads:
    """Messages grouped by channel and thread, in the order threads were last active."""

    def __init__(self) -> None:
        self.groups: dict[tuple[str, str], dict[str, Any]] = {}

    def add(self, channel_id: str, channel: str, thread_ts: str, ts: str, author: str, text: str,
            permalink: str | None) -> None:
        key = (channel_id, thread_ts)
        group = self.groups.setdefault(key, {"channel": channel, "messages": {}, "root_url": None, "any_url": None})
        created = parse_time(ts)
        if created is None:
            return
        group["messages"][ts] = ChatMessage(author=author or "unknown", created_at=created, text=text)
        if permalink:
            if ts == thread_ts:
                group["root_url"] = permalink
            group["any_url"] = group["any_url"] or permalink

    def __len__(self) -> int:
        return len(self.groups)

    def threads(self) -> list[ChatThread]:
        out: list[ChatThread] = []
        for (channel_id, thread_ts), group in self.groups.items():
            messages = [group["messages"][ts] for ts in sorted(group["messages"], key=float)]
            if not messages:
                continue
            root = group["messages"].get(thread_ts)
            out.append(ChatThread(
                id=f"{channel_id}/{thread_ts}",
                channel=group["channel"],
                topic=_topic((root or messages[0]).text),
                messages=messages,
                url=group["root_url"] or group["any_url"],
                created_at=parse_time(thread_ts) or messages[0].created_at,
                source=SYSTEM,
            ))
        out.sort(key=lambda t: t.messages[-1].created_at, reverse=True)
        return out


class SlackConnector(HttpConnector):
    """Slack Web API: chat search (user token or channel history) and escalation posts (bot token)."""

    name = SYSTEM
    category = CATEGORY
    marker_scan_pages: int = 3  # find_by_marker reads this many pages (100 messages each) of history
    max_search_channels: int = 10
    channel_list_pages: int = 10  # conversations.list pages (200 channels each) read to resolve a channel name

    def __init__(self, base_url: str = DEFAULT_BASE_URL, *, bot_token: str | None = None, user_token: str | None = None,
                 search_channels: tuple[str, ...] | list[str] = (), **options: Unpack[HttpOptions]):
        if not bot_token and not user_token:
            raise ConnectorError(SYSTEM, "misconfigured", "no Slack token given",
                                 fix="set SLACK_USER_TOKEN (search) and/or SLACK_BOT_TOKEN (posting)")
        self._tokens = {BOT: bot_token or None, USER: user_token or None}
        self.search_channels = tuple(search_channels)
        self.connect(SlackHttp, base_url, options)
        self._workspace_url: str | None = None
        self._channel_ids: dict[str, str] = {}

    # --- plumbing ------------------------------------------------------------------------------
    async def _call(self, method: str, token_var: str, *, params: Mapping[str, Any] | None = None,
                    json: Any = None, retry: bool | None = None) -> dict[str, Any]:
        token = self._tokens.get(token_var)
        if not token:
            raise ConnectorError(SYSTEM, "misconfigured", f"{method} needs {token_var}", fix=f"set {token_var}")
        headers = {"Authorization": f"Bearer {token}"}
        if json is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
            response = await self.http.request("POST", method, json=json, headers=headers, retry=retry)
        else:
            response = await self.http.request("GET", method, params=params, headers=headers, retry=retry)
        body = self.http.decode(response)
        if not isinstance(body, dict):
            raise ConnectorError(SYSTEM, "error", f"{method}: unexpected answer shape (not an object)")
        if body.get("ok") is not True:
            raise _slack_error(body, method, token_var, response.headers)
        return body

    def _reader(self) -> str:
        return BOT if self._tokens[BOT] else USER

    async def check(self) -> None:
        """auth.test with each configured token; a bot token in SLACK_USER_TOKEN is reported."""
        if self._tokens[USER]:
            body = await self._call("auth.test", USER)
            if body.get("bot_id"):
                raise ConnectorError(SYSTEM, "misconfigured", "SLACK_USER_TOKEN is a bot token; message search needs a user token",
                                     fix="put a user token (xoxp-) with search:read in SLACK_USER_TOKEN")
        if self._tokens[BOT]:
            await self._call("auth.test", BOT)

    # --- reading -------------------------------------------------------------------------------
    async def search_messages(self, query: SearchQuery) -> Page:
        """Threads discussing the query, newest first, at most query.limit."""
        terms = _search_terms(query)
        if not terms:
            return Page([])
        if self._tokens[USER]:
            attempts = [terms[:4]]
            if len(terms) > 2:
                attempts.append(terms[:2])  # fewer terms when all of them together match nothing
            for attempt in attempts:
                page = await self._search(" ".join(attempt), query.limit)
                if page.items:
                    return page
            return Page([])
        if self.search_channels:
            return await self._scan_history(terms, query.limit)
        raise ConnectorError(SYSTEM, "misconfigured",
                             "message search needs a user token, or channels for the bot to read",
                             fix="set SLACK_USER_TOKEN (a user token with search:read), or SLACK_SEARCH_CHANNELS "
                                 "(comma-separated IDs of channels the bot is in, with channels:history)")

    async def _search(self, text: str, limit: int) -> Page:
        threads = _Threads()
        count = min(100, max(20, limit))
        page_no, read, more = 1, 0, False
        while True:
            body = await self._call("search.messages", USER, params={
                "query": text, "sort": "timestamp", "sort_dir": "desc", "count": count, "page": page_no})
            messages = body.get("messages")
            if not isinstance(messages, dict):
                raise ConnectorError(SYSTEM, "error", "search.messages: unexpected answer shape (no messages)")
            matches = messages.get("matches") or []
            if not isinstance(matches, list):
                raise ConnectorError(SYSTEM, "error", "search.messages: unexpected answer shape (matches)")
            for match in matches:
                self._add_match(threads, match)
            read += 1
            paging = mapping(messages.get("paging"))
            pagination = mapping(messages.get("pagination"))
            current = _int(paging.get("page")) or _int(pagination.get("page")) or page_no
            pages = _int(paging.get("pages")) or _int(pagination.get("page_count")) or current
            more = current < pages and bool(matches)
            if len(threads) >= limit or not more or read >= self.http.settings.max_pages:
                break
            page_no = current + 1
        items = threads.threads()
        return Page(items[:limit], truncated=more or len(items) > limit)

    @staticmethod
    def _add_match(threads: _Threads, match: Any) -> None:
        if not isinstance(match, dict):
            return
        ts = match.get("ts")
        channel = mapping(match.get("channel"))
        channel_id = channel.get("id")
        if not isinstance(ts, str) or not _TS.match(ts) or not isinstance(channel_id, str) or not channel_id:
            return
        name = channel.get("name")
        direct = channel.get("is_im") or channel.get("is_mpim")
        label = f"#{name}" if isinstance(name, str) and name and not direct else channel_id
        permalink = _fields.web_url(match.get("permalink"))
        thread_ts = str(match["thread_ts"]) if isinstance(match.get("thread_ts"), str) and _TS.match(match["thread_ts"]) \
            else (_permalink_ts(permalink) or ts)
        author = match.get("username") or match.get("user") or ""
        threads.add(channel_id, label, thread_ts, ts, str(author), _plain(match.get("text")), permalink)

    async def _scan_history(self, terms: list[str], limit: int) -> Page:
        """Bot-only setup: read the configured channels' recent history and keep matching threads."""
        needed = 1 if len(terms) <= 2 else 2
        channels = self.search_channels[: self.max_search_channels]
        results = await asyncio.gather(*(self._scan_channel(c, terms, needed) for c in channels), return_exceptions=True)
        threads = _Threads()
        failures: list[ConnectorError] = []
        truncated = len(self.search_channels) > len(channels)
        for channel, result in zip(channels, results):
            if isinstance(result, ConnectorError):
                failures.append(result)
                log.warning("slack history for %s failed: %s", channel, result.kind)
                continue
            if isinstance(result, BaseException):
                raise result
            hits, more = result
            truncated = truncated or more
            for ts, thread_ts, author, text in hits:
                threads.add(channel, channel, thread_ts, ts, author, text, None)
        if failures and not threads.groups and len(failures) == len(channels):
            raise failures[0]
        if failures:
            truncated = True  # some channels could not be read
        items = threads.threads()
        if items:
            base = await self._workspace()
            if base:
                for item in items:
                    channel_id, _, thread_ts = item.id.partition("/")
                    item.url = f"{base}archives/{channel_id}/p{thread_ts.replace('.', '')}"
        return Page(items[:limit], truncated=truncated or len(items) > limit)

    async def _scan_channel(self, channel: str, terms: list[str], needed: int) -> tuple[list[tuple[str, str, str, str]], bool]:
        hits: list[tuple[str, str, str, str]] = []
        cursor: str | None = None
        for _ in range(self.http.settings.max_pages):
            params: dict[str, Any] = {"channel": channel, "limit": 100}
            if cursor:
                params["cursor"] = cursor
            body = await self._call("conversations.history", self._reader(), params=params)
            for message in body.get("messages") or []:
                if not isinstance(message, dict) or message.get("subtype") in ("channel_join", "channel_leave"):
                    continue
                ts = message.get("ts")
                if not isinstance(ts, str) or not _TS.match(ts):
                    continue
                text = _plain(message.get("text"))
                lowered = text.lower()
                if sum(1 for term in terms if term in lowered) < needed:
                    continue
                thread_ts = str(message["thread_ts"]) if isinstance(message.get("thread_ts"), str) else ts
                author = message.get("username") or message.get("user") or message.get("bot_id") or ""
                hits.append((ts, thread_ts if _TS.match(thread_ts) else ts, str(author), text))
            cursor = _next_cursor(body)
            if not cursor:
                return hits, False
        return hits, True

    async def _workspace(self) -> str | None:
        """The workspace's web address (auth.test `url`), for message links; None if unknown."""
        if self._workspace_url is None:
            try:
                body = await self._call("auth.test", self._reader())
            except ConnectorError:
                return None
            url = _fields.web_url(body.get("url"))
            self._workspace_url = (url.rstrip("/") + "/") if url else ""
        return self._workspace_url or None

    # --- writing (ChatWriter) ------------------------------------------------------------------
    async def _writable(self, channel: str) -> str:
        """The channel ID to write to: an ID as given, or a #name resolved with conversations.list."""
        if not self._tokens[BOT]:
            raise ConnectorError(SYSTEM, "misconfigured", "posting to Slack needs a bot token",
                                 fix="set SLACK_BOT_TOKEN (a bot token with chat:write and channels:history)")
        if isinstance(channel, str) and _CHANNEL_ID.match(channel):
            return channel
        name = _CHANNEL_NAME.match(channel) if isinstance(channel, str) else None
        if not name:
            raise ConnectorError(SYSTEM, "invalid_request", "the channel must be a Slack channel ID (C0123ABCD) or #name",
                                 fix="set the team's chat_channel in the policy to the channel ID "
                                     "(channel details > About, at the bottom) or its #name")
        wanted = name.group(1).lower()
        if wanted not in self._channel_ids:
            cursor: str | None = None
            for _ in range(self.channel_list_pages):
                params: dict[str, Any] = {"types": "public_channel,private_channel", "exclude_archived": "true",
                                          "limit": 200}
                if cursor:
                    params["cursor"] = cursor
                body = await self._call("conversations.list", BOT, params=params)
                for item in body.get("channels") or []:
                    if isinstance(item, dict) and isinstance(item.get("id"), str) and _CHANNEL_ID.match(item["id"]) \
                            and isinstance(item.get("name"), str):
                        self._channel_ids.setdefault(item["name"].lower(), item["id"])
                cursor = _next_cursor(body)
                if wanted in self._channel_ids or not cursor:
                    break
        if wanted not in self._channel_ids:
            raise ConnectorError(SYSTEM, "not_found", "no channel with that name is visible to the app",
                                 fix="check the channel name; for a private channel, invite the app; "
                                     "or use the channel ID in the policy's chat_channel")
        return self._channel_ids[wanted]

    async def post_message(self, *, channel: str, text: str, blocks: list[dict] | None, marker: str) -> CreatedItem:
        """Post once (never retried automatically); the marker travels in the message metadata."""
        channel = await self._writable(channel)
        payload: dict[str, Any] = {
            "channel": channel,
            "text": text,
            "parse": "none",
            "link_names": False,
            "unfurl_links": False,
            "unfurl_media": False,
            "metadata": {"event_type": EVENT_TYPE, "event_payload": {"key": marker}},
        }
        if blocks:
            payload["blocks"] = blocks
        body = await self._call("chat.postMessage", BOT, json=payload, retry=False)
        ts = body.get("ts")
        if not isinstance(ts, str) or not _TS.match(ts):
            raise ConnectorError(SYSTEM, "error", "chat.postMessage: the answer carried no message timestamp",
                                 fix="check the channel before posting again: the message may have been posted")
        posted_in = str(body["channel"]) if isinstance(body.get("channel"), str) and _CHANNEL_ID.match(body["channel"]) else channel
        return CreatedItem(id=ts, url=await self._permalink(posted_in, ts), system=SYSTEM)

    async def _permalink(self, channel: str, ts: str) -> str | None:
        try:
            body = await self._call("chat.getPermalink", BOT, params={"channel": channel, "message_ts": ts})
        except ConnectorError as exc:  # the message exists; a missing link must not look like a failed post
            log.warning("slack permalink lookup failed: %s", exc.kind)
            return None
        return _fields.web_url(body.get("permalink"))

    async def find_by_marker(self, channel: str, marker: str) -> CreatedItem | None:
        """The message posted earlier with this marker, among the channel's recent messages."""
        channel = await self._writable(channel)
        cursor: str | None = None
        for _ in range(self.marker_scan_pages):
            params: dict[str, Any] = {"channel": channel, "limit": 100, "include_all_metadata": "true"}
            if cursor:
                params["cursor"] = cursor
            body = await self._call("conversations.history", BOT, params=params)
            for message in body.get("messages") or []:
                if not isinstance(message, dict):
                    continue
                metadata = message.get("metadata")
                if not isinstance(metadata, dict) or metadata.get("event_type") != EVENT_TYPE:
                    continue
                payload = metadata.get("event_payload")
                ts = message.get("ts")
                if isinstance(payload, dict) and payload.get("key") == marker and isinstance(ts, str) and _TS.match(ts):
                    return CreatedItem(id=ts, url=await self._permalink(channel, ts), system=SYSTEM)
            cursor = _next_cursor(body)
            if not cursor:
                break
        return None


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _next_cursor(body: Mapping[str, Any]) -> str | None:
    meta = body.get("response_metadata")
    cursor = meta.get("next_cursor") if isinstance(meta, dict) else None
    return cursor if isinstance(cursor, str) and cursor else None


def _base_url(value: str | None, var: str, default: str) -> str:
    return _fields.base_url(SYSTEM, value, var, default=default, fix=f"set {var} to the API address, e.g. {default}")


def from_env(env: Mapping[str, str], settings: HttpSettings) -> SlackConnector | None:
    bot = (env.get(BOT) or "").strip()
    user = (env.get(USER) or "").strip()
    raw_channels = (env.get("SLACK_SEARCH_CHANNELS") or "").strip()
    if not bot and not user:
        if raw_channels:
            raise ConnectorError(SYSTEM, "misconfigured", "SLACK_SEARCH_CHANNELS is set but SLACK_BOT_TOKEN is missing",
                                 fix="set SLACK_BOT_TOKEN (a bot token with channels:history, invited to those channels)")
        return None
    if user.startswith("xoxb-"):
        raise ConnectorError(SYSTEM, "misconfigured", "SLACK_USER_TOKEN holds a bot token (xoxb-)",
                             fix="message search needs a user token (xoxp-) with search:read; "
                                 "put the bot token in SLACK_BOT_TOKEN")
    if bot.startswith("xoxp-"):
        raise ConnectorError(SYSTEM, "misconfigured", "SLACK_BOT_TOKEN holds a user token (xoxp-)",
                             fix="put the bot token (xoxb-) in SLACK_BOT_TOKEN and the user token in SLACK_USER_TOKEN")
    channels = [c.strip() for c in raw_channels.split(",") if c.strip()]
    if any(not _CHANNEL_ID.match(c) for c in channels):
        raise ConnectorError(SYSTEM, "misconfigured", "SLACK_SEARCH_CHANNELS must list channel IDs (like C0123ABCD)",
                             fix="use comma-separated channel IDs, not names (channel details > About, at the bottom)")
    return SlackConnector(
        _base_url(env.get("SLACK_BASE_URL"), "SLACK_BASE_URL", DEFAULT_BASE_URL),
        bot_token=bot or None,
        user_token=user or None,
        search_channels=tuple(channels),
        settings=settings,
    )
