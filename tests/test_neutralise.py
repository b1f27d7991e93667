"""Text bound for Slack, Jira, Linear and GitHub: broadcasts, mentions and disguised links become plain visible text."""

from __future__ import annotations

import pytest

from customer_escalation.neutralise import neutralise, slack_escape


@pytest.mark.parametrize("system", ["slack", "github", "jira", "linear"])
@pytest.mark.parametrize("text, shown", [
    ("<!channel> export is down", "@-channel export is down"),
    ("<!here|here> please", "@-here please"),
    ("<!everyone>", "@-everyone"),
    ("ping <@U024BE7LH> and <@U9|bob>", "ping @-U024BE7LH and @-bob"),
    ("<!subteam^S0614TZR7|@oncall> now", "@-oncall now"),
    ("@channel @here @everyone", "@-channel @-here @-everyone"),
    ("cc @octocat and @acme/security", "cc @-octocat and @-acme/security"),
    ("see <#C0123|eng-data>", "see #eng-data"),
])
def test_broadcasts_and_mentions_become_visible_inert_text(system, text, shown):
    assert neutralise(text, system) == shown


@pytest.mark.parametrize("system", ["slack", "github", "jira", "linear"])
@pytest.mark.parametrize("text, shown", [
    ("<http://evil.example|http://good.example>", "http://good.example (http://evil.example)"),
    ("[good.example](http://evil.example)", "good.example (http://evil.example)"),
    ("[good](evil)", "good (evil)"),
    ("![logo](http://evil.example/pixel.png)", "logo (http://evil.example/pixel.png)"),
    ('<a href="http://evil.example">http://good.example</a>', "http://good.example (http://evil.example)"),
    ("[Reset][1]\n[1]: http://evil.example/reset", "Reset (http://evil.example/reset)\n1: http://evil.example/reset"),
    ("[http://same.example](http://same.example)", "http://same.example"),
])
def test_a_link_always_shows_where_it_goes(system, text, shown):
    assert neutralise(text, system) == (slack_escape(shown) if system == "slack" else shown)


def test_email_addresses_urls_ids_and_channels_named_in_text_are_kept():
    text = "Bob (bob@acme.example) reports ENG-101, see https://status.acme.example #eng-data"
    for system in ("github", "jira", "linear"):
        assert neutralise(text, system) == text
    assert neutralise(text, "slack") == text


def test_slack_escapes_its_control_characters_and_github_its_html():
    assert neutralise("a < b & c > d", "slack") == "a &lt; b &amp; c &gt; d"
    assert neutralise("<script>x</script> & <img src=x>", "github") == "&lt;script>x&lt;/script> & &lt;img src=x>"
    assert neutralise("a < b", "jira") == "a < b"  # the Jira connector turns Markdown into ADF: nothing is HTML there


def test_control_and_bidi_characters_cannot_smuggle_a_mention():
    assert neutralise("@\u200bchannel \u202e<!here>", "slack") == "@-channel @-here"
    assert neutralise("＠channel", "github") == "@-channel"  # full-width @ normalised first
