"""A fake Slack Web API (https://docs.slack.dev/reference/methods), served on 127.0.0.1.

Documented behaviour it reproduces:
- every method at /api/<method>, GET or POST; arguments from the query string, a form body or a
  JSON body; the token as `Authorization: Bearer` (or a `token` argument);
- errors as HTTP 200 {"ok": false, "error": code} (not_authed, invalid_auth, missing_scope with
  `needed`/`provided`, not_allowed_token_type, channel_not_found, not_in_channel, no_text,
  invalid_cursor, message_not_found, invalid_metadata_format...);
- search.messages (user tokens only): all query words must appear; sort score|timestamp,
  sort_dir, count (max 100), page; answer `messages.matches`, `messages.paging`
  {count,total,page,pages} and `messages.pagination` {total_count,page,per_page,page_count,first,last};
  a reply's permalink carries ?thread_ts=...&cid=...;
- conversations.history: top-level messages newest first, `limit`, opaque `cursor`,
  `has_more`, `response_metadata.next_cursor`; metadata only with include_all_metadata;
  the bot must be a member of the channel;
- conversations.list: `types`, `exclude_archived`, `limit`, `cursor`; private channels only
  when the caller is a member;
- chat.postMessage (bot token, chat:write) stores the message with its metadata and returns
  {channel, ts, message}; chat.getPermalink returns the message's permalink.
"""

from __future__ import annotations

import base64
import itertools
import json
import math
import uuid
from typing import Any
from urllib.parse import parse_qs

from .harness import FakeService, Reply, Request

BOT_TOKEN = "xoxb-0000-fake-bot-token"
USER_TOKEN = "xoxp-0000-fake-user-token"
TEAM_URL = "https://acme-support.slack.com/"

BOT_SCOPES = {"chat:write", "channels:history", "groups:history", "channels:read"}
USER_SCOPES = {"search:read", "channels:history", "groups:history", "channels:read"}
NEEDS = {
    "search.messages": "search:read",
    "conversations.history": "channels:history",
    "chat.postMessage": "chat:write",
    "chat.getPermalink": None,
    "conversations.list": "channels:read",
    "auth.test": None,
}

BASE_TS = 1795000000  # 2026-11-18


def ts(offset: float) -> str:
    return f"{BASE_TS + offset:.6f}"


class FakeSlack(FakeService):
    def __init__(self, filler: int = 0, filler_replies: int = 0):
        super().__init__("slack")
        self._seq = itertools.count(1)
        for method in ("auth.test", "search.messages", "conversations.history", "conversations.list", "chat.postMessage",
                       "chat.getPermalink"):
            for verb in ("GET", "POST"):
                self.route(verb, "/api/" + method.replace(".", r"\."))(self._method(method))
        self.reset(filler, filler_replies)

    def reset(self, filler: int = 0, filler_replies: int = 0) -> FakeSlack:
        """Back to the seeded workspace, with no recorded requests or queued faults."""
        self.clear()
        self.tokens: dict[str, dict[str, Any]] = {
            BOT_TOKEN: {"kind": "bot", "scopes": set(BOT_SCOPES), "user_id": "U0BOT", "bot_id": "B0BOT"},
            USER_TOKEN: {"kind": "user", "scopes": set(USER_SCOPES), "user_id": "U0AGENT"},
        }
        self.channels: dict[str, dict[str, Any]] = {
            "C0ENGDATA": {"name": "eng-data", "is_private": False, "bot_member": True},
            "C0ESCAL": {"name": "support-escalations", "is_private": False, "bot_member": True},
            "G0PRIVATE": {"name": "security-private", "is_private": True, "bot_member": False},
        }
        self.users = {"U0ENG": "dana.eng", "U0SUP": "sam.support", "U0PM": "priya.pm", "U0BOT": "escalation-bot"}
        self.messages: dict[str, list[dict[str, Any]]] = {c: [] for c in self.channels}
        self.seed(filler, filler_replies)
        return self

    # --- data ----------------------------------------------------------------------------------
    def add(self, channel: str, offset: float, user: str, text: str, thread: str | None = None, **extra: Any) -> str:
        stamp = ts(offset)
        message = {"type": "message", "user": user, "text": text, "ts": stamp, **extra}
        if thread:
            message["thread_ts"] = thread
            message["parent_user_id"] = "U0SUP"
            root = next(m for m in self.messages[channel] if m["ts"] == thread)
            root["thread_ts"] = thread
            root["reply_count"] = root.get("reply_count", 0) + 1
        self.messages[channel].append(message)
        return stamp

    def seed(self, filler: int, filler_replies: int = 0) -> None:
        """The seeded workspace; `filler` adds separate matching messages, `filler_replies`
        matching replies in the export thread."""
        root = self.add("C0ENGDATA", 0, "U0SUP", "Customers report the CSV export is missing rows since 3.2 <@U0ENG>")
        self.add("C0ENGDATA", 60, "U0ENG", "Export pagination bug confirmed; rows after 10k are missing. Fix in progress", root)
        self.add("C0ENGDATA", 120, "U0ENG", "Workaround: export in smaller date ranges &amp; merge <https://kb.example.com/x|KB-12>", root)
        self.add("C0ESCAL", 3600, "U0SUP", "Acme says the export is missing rows again, 3 customers now")
        self.add("C0ESCAL", 7200, "U0PM", "SSO login loop for Enterprise customers after the IdP change")
        self.add("G0PRIVATE", 9000, "U0SUP", "export missing rows in the audit log too?")
        for i in range(filler):
            self.add("C0ENGDATA", 10000 + i * 10, "U0ENG", f"export job {i} finished with missing rows warning")
        for i in range(filler_replies):
            self.add("C0ENGDATA", 300 + i, "U0SUP", f"+1 another customer with export missing rows ({i})", root)

    def all_messages(self) -> list[tuple[str, dict[str, Any]]]:
        return [(c, m) for c, ms in self.messages.items() for m in ms]

    def permalink(self, channel: str, message: dict[str, Any]) -> str:
        link = f"{TEAM_URL}archives/{channel}/p{message['ts'].replace('.', '')}"
        if message.get("thread_ts") and message["thread_ts"] != message["ts"]:
            link += f"?thread_ts={message['thread_ts']}&cid={channel}"
        return link

    # --- plumbing ------------------------------------------------------------------------------
    @staticmethod
    def args(request: Request) -> dict[str, Any]:
        args: dict[str, Any] = {k: v[0] for k, v in request.query.items()}
        ctype = (request.header("Content-Type") or "").lower()
        if request.body:
            if ctype.startswith("application/json"):
                body = json.loads(request.body)
                if isinstance(body, dict):
                    args.update(body)
            else:
                args.update({k: v[0] for k, v in parse_qs(request.body.decode()).items()})
        return args

    @staticmethod
    def error(code: str, **extra: Any) -> Reply:
        return Reply(200, {"ok": False, "error": code, **extra})

    def _method(self, method: str):
        def handle(request: Request) -> Reply:
            try:
                args = self.args(request)
            except ValueError:
                return self.error("invalid_json")
            auth = request.header("Authorization") or ""
            token = auth[7:] if auth.startswith("Bearer ") else args.get("token")
            if not token:
                return self.error("not_authed")
            who = self.tokens.get(token)
            if who is None:
                return self.error("invalid_auth")
            scope = NEEDS.get(method)
            if scope and scope not in who["scopes"]:
                return self.error("missing_scope", needed=scope, provided=",".join(sorted(who["scopes"])))
            return getattr(self, "m_" + method.replace(".", "_"))(args, who)

        return handle

    # --- methods -------------------------------------------------------------------------------
    def m_auth_test(self, args: dict, who: dict) -> Reply:
        body = {"ok": True, "url": TEAM_URL, "team": "Acme Support", "user": self.users.get(who["user_id"], "agent"),
                "team_id": "T0FAKE", "user_id": who["user_id"]}
        if who["kind"] == "bot":
            body["bot_id"] = who["bot_id"]
        return Reply(200, body)

    def m_search_messages(self, args: dict, who: dict) -> Reply:
        if who["kind"] != "user":
            return self.error("not_allowed_token_type")
        query = str(args.get("query") or "").strip()
        if not query:
            return self.error("no_query")
        words = query.lower().split()
        # the searching user is in no private channel here
        hits = [(c, m) for c, m in self.all_messages()
                if all(w in m["text"].lower() for w in words) and not self.channels[c]["is_private"]]
        reverse = str(args.get("sort_dir") or "desc") == "desc"
        if str(args.get("sort") or "score") == "timestamp":
            hits.sort(key=lambda cm: float(cm[1]["ts"]), reverse=reverse)
        try:
            count = max(1, min(100, int(args.get("count") or 20)))
            page = max(1, int(args.get("page") or 1))
        except ValueError:
            return self.error("invalid_arguments")
        total = len(hits)
        pages = max(1, math.ceil(total / count))
        chunk = hits[(page - 1) * count: page * count]
        matches = []
        for channel, m in chunk:
            info = self.channels[channel]
            matches.append({
                "iid": str(uuid.uuid4()), "team": "T0FAKE", "type": "message", "user": m["user"],
                "username": self.users.get(m["user"], ""), "ts": m["ts"], "text": m["text"],
                "channel": {"id": channel, "name": info["name"], "is_channel": not info["is_private"],
                            "is_private": info["is_private"], "is_im": False, "is_mpim": False, "is_shared": False},
                "permalink": self.permalink(channel, m), "score": 0,
            })
        first = (page - 1) * count + 1 if chunk else 0
        return Reply(200, {"ok": True, "query": query, "messages": {
            "total": total, "matches": matches,
            "paging": {"count": count, "total": total, "page": page, "pages": pages},
            "pagination": {"total_count": total, "page": page, "per_page": count, "page_count": pages,
                           "first": first, "last": first + len(chunk) - 1 if chunk else 0},
        }})

    def _channel(self, args: dict, who: dict) -> tuple[str | None, Reply | None]:
        channel = str(args.get("channel") or "")
        info = self.channels.get(channel)
        if info is None:
            return None, self.error("channel_not_found")
        if who["kind"] == "bot" and not info["bot_member"]:
            return None, self.error("not_in_channel")
        return channel, None

    def m_conversations_history(self, args: dict, who: dict) -> Reply:
        channel, err = self._channel(args, who)
        if err:
            return err
        try:
            limit = max(1, min(999, int(args.get("limit") or 100)))
        except ValueError:
            return self.error("invalid_arguments")
        offset = 0
        if args.get("cursor"):
            try:
                offset = int(base64.b64decode(str(args["cursor"])).decode().split(":", 1)[1])
            except Exception:
                return self.error("invalid_cursor")
        top = [m for m in self.messages[channel] if m.get("thread_ts") in (None, m["ts"])]
        top.sort(key=lambda m: float(m["ts"]), reverse=True)
        chunk = top[offset: offset + limit]
        with_metadata = str(args.get("include_all_metadata") or "").lower() in ("true", "1")
        out = []
        for m in chunk:
            item = {k: v for k, v in m.items() if k != "metadata" or with_metadata}
            out.append(item)
        more = offset + limit < len(top)
        body: dict[str, Any] = {"ok": True, "messages": out, "has_more": more, "pin_count": 0}
        body["response_metadata"] = {"next_cursor": base64.b64encode(f"next_ts:{offset + limit}".encode()).decode() if more else ""}
        return Reply(200, body)

    def m_conversations_list(self, args: dict, who: dict) -> Reply:
        types = set(str(args.get("types") or "public_channel").split(","))
        try:
            limit = max(1, min(1000, int(args.get("limit") or 100)))
            offset = int(base64.b64decode(str(args["cursor"])).decode().split(":", 1)[1]) if args.get("cursor") else 0
        except Exception:
            return self.error("invalid_cursor")
        visible = []
        for channel_id, info in self.channels.items():
            kind = "private_channel" if info["is_private"] else "public_channel"
            if kind not in types or (info["is_private"] and not (who["kind"] == "bot" and info["bot_member"])):
                continue
            visible.append({"id": channel_id, "name": info["name"], "is_channel": not info["is_private"],
                            "is_group": info["is_private"], "is_private": info["is_private"], "is_archived": False,
                            "is_member": info["bot_member"] if who["kind"] == "bot" else True,
                            "name_normalized": info["name"], "created": BASE_TS - 86400})
        chunk = visible[offset: offset + limit]
        more = offset + limit < len(visible)
        cursor = base64.b64encode(f"dGVhbTpD:{offset + limit}".encode()).decode() if more else ""
        return Reply(200, {"ok": True, "channels": chunk, "response_metadata": {"next_cursor": cursor}})

    def m_chat_postMessage(self, args: dict, who: dict) -> Reply:
        channel, err = self._channel(args, who)
        if err:
            return err
        text = args.get("text")
        blocks = args.get("blocks")
        if not text and not blocks:
            return self.error("no_text")
        metadata = args.get("metadata")
        if isinstance(metadata, str):
            try:
                metadata = json.loads(metadata)
            except ValueError:
                return self.error("invalid_metadata_format")
        if metadata is not None and (not isinstance(metadata, dict) or "event_type" not in metadata
                                     or not isinstance(metadata.get("event_payload"), dict)):
            return self.error("invalid_metadata_format")
        stamp = ts(20000 + next(self._seq))
        message = {"type": "message", "text": text or "", "ts": stamp, "bot_id": who.get("bot_id"),
                   "app_id": "A0APP", "user": who["user_id"]}
        if blocks:
            message["blocks"] = blocks
        if metadata is not None:
            message["metadata"] = metadata
        self.messages[channel].append(message)
        return Reply(200, {"ok": True, "channel": channel, "ts": stamp,
                           "message": {k: v for k, v in message.items() if k != "metadata"}})

    def m_chat_getPermalink(self, args: dict, who: dict) -> Reply:
        channel = str(args.get("channel") or "")
        if channel not in self.channels:
            return self.error("channel_not_found")
        message = next((m for m in self.messages[channel] if m["ts"] == args.get("message_ts")), None)
        if message is None:
            return self.error("message_not_found")
        return Reply(200, {"ok": True, "channel": channel, "permalink": self.permalink(channel, message)})

    def posted(self, channel: str) -> list[dict[str, Any]]:
        return [m for m in self.messages[channel] if m.get("bot_id")]
