"""Adversarial text bound for Slack, Jira, Linear and GitHub: nothing pages, pings or hides a link target."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from customer_escalation.neutralise import neutralise

SYSTEMS = ["slack", "github", "jira", "linear"]

# a broadcast or a mention still live in the output
BROADCAST = re.compile(r"(?<![\w-])@(channel|here|everyone|all)\b", re.I)
MENTION = re.compile(r"(?<![\w@.+-])@[A-Za-z0-9_]")
SLACK_CONTROL = re.compile(r"<[!@#]|<\w+:[^>]*\|")
HIDDEN = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\U000e0000-\U000e007f]")

BROADCASTS = [
    "<!channel>", "<!here>", "<!everyone>", "<!here|here>", "<!channel|@channel>", "@channel", "@here", "@everyone",
    "@Channel", "@HERE", "＠channel", "@\u200bchannel", "<\u200b!channel>", "<!chan\u200dnel>", "@\u2060here",
    "\u202e<!channel>\u202c", "<!subteam^S0614TZR7>", "<!subteam^S0614TZR7|@oncall>", "<@U024BE7LH>", "<@U024BE7LH|bob>",
    "<@W123ABC>", "@oncall-team", "@acme/security", "@bob", "cc @dana.li please",
]


@pytest.mark.parametrize("system", SYSTEMS)
@pytest.mark.parametrize("text", BROADCASTS)
def test_no_broadcast_or_mention_survives(system, text):
    out = neutralise(f"please look {text} now", system)
    assert not BROADCAST.search(out), out
    assert not MENTION.search(out), out
    assert not HIDDEN.search(out)
    if system == "slack":
        assert "<" not in out and ">" not in out  # no Slack control sequence can remain
    # the reader still sees that someone was named
    assert "@-" in out or "#" in out


LINKS = [
    # (input, the real target that must be visible)
    ("<https://evil.example/login|https://help.acme.example>", "https://evil.example/login"),
    ("<https://evil.example|Acme help centre>", "https://evil.example"),
    ("<mailto:attacker@evil.example|support@acme.example>", "mailto:attacker@evil.example"),
    ("[https://help.acme.example](https://evil.example/x)", "https://evil.example/x"),
    ("[Acme docs](https://evil.example/phish \"Acme\")", "https://evil.example/phish"),
    ("![status](https://evil.example/pixel.png)", "https://evil.example/pixel.png"),
    ("[Reset password][1]\n\n[1]: https://evil.example/reset", "https://evil.example/reset"),
    ("<a href=\"https://evil.example/a\">https://acme.example</a>", "https://evil.example/a"),
    ("[click](javascript:alert(document.cookie))", "javascript:alert(document.cookie)"),
    ("[docs](<https://evil.example/with space>)", "https://evil.example/with"),
]


@pytest.mark.parametrize("system", SYSTEMS)
@pytest.mark.parametrize("text, target", LINKS)
def test_link_text_never_hides_a_different_target(system, text, target):
    out = neutralise(text, system)
    assert target in out.replace("&amp;", "&"), out
    # no link syntax remains that a renderer would turn into a clickable label
    assert not re.search(r"\]\(", out) and "|" not in out.replace("||", "")
    if system in ("slack", "github"):
        assert "<a " not in out and not re.search(r"<(https?|mailto):", out)


@pytest.mark.parametrize("system", SYSTEMS)
def test_ordinary_text_keeps_its_meaning(system):
    text = "Bob (bob@acme.example) says export stops at 10,000 rows; see https://status.acme.example and ENG-101 #eng-data"
    out = neutralise(text, system)
    for kept in ("bob@acme.example", "10,000 rows", "https://status.acme.example", "ENG-101", "#eng-data"):
        assert kept in out


def test_github_raw_html_is_shown_not_rendered():
    out = neutralise("<img src=x onerror=alert(1)> <details open><summary>@here</summary></details> <script>x</script>", "github")
    assert "<img" not in out and "<script" not in out and "<details" not in out
    assert not BROADCAST.search(out)


def test_slack_escapes_leave_no_control_sequence_even_when_nested_or_broken():
    for text in ("<<!channel>|x>", "<!channel|<!here>>", "<!chan\nnel>", "< !channel >", "<@U1|<!here>>", "&lt;!channel&gt;",
                 "<https://a|<https://b|c>>", "<!date^1392734382^{date}|Feb 18>"):
        out = neutralise(text, "slack")
        assert "<" not in out and ">" not in out, (text, out)
        assert not BROADCAST.search(out) and not MENTION.search(out), (text, out)


FRAGMENTS = st.sampled_from(BROADCASTS + [t for t, _ in LINKS] + [
    "plain", " ", "\n", "@", "<", ">", "|", "[", "]", "(", ")", "!", "^", "&", "subteam", "here", "channel", "http://x.example",
    "\u200b", "\u202e", "\ufeff", "＠", "`", "*bold*", "_it_", "~s~",
])


@settings(max_examples=150, deadline=None)
@given(parts=st.lists(FRAGMENTS, max_size=12), system=st.sampled_from(SYSTEMS))
def test_generated_mixtures_never_page_ping_or_hide(parts, system):
    out = neutralise("".join(parts), system)
    assert not BROADCAST.search(out) and not MENTION.search(out), out
    assert not HIDDEN.search(out)
    if system == "slack":
        assert "<" not in out and ">" not in out
    if system == "github":
        assert "<" not in out


@settings(max_examples=80, deadline=None)
@given(text=st.text(max_size=200), system=st.sampled_from(SYSTEMS))
def test_any_text_is_neutralised_without_error_and_idempotently_safe(text, system):
    once = neutralise(text, system)
    assert not BROADCAST.search(once) and not MENTION.search(once)
    twice = neutralise(once, system)
    assert not BROADCAST.search(twice) and not MENTION.search(twice)
