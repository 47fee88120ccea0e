"""Checks that Slack's official Python SDK (slack_sdk) works against the Switchyard sandbox.

Usage: python slack.py <sandbox base url> <bot token>

Run by tests/slack.rs (`slack_sdk_works_against_the_sandbox`, ignored unless
SANDBOX_SDK_PYTHON names a python with slack_sdk installed). Exits non-zero on the
first failed check and prints what it did.
"""

import json
import sys
import time
import urllib.request

import slack_sdk
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler


def control(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"{base}/__sandbox/{path}", data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as res:
        text = res.read().decode()
        return json.loads(text) if text else None


def stat(base, route, status):
    rows = control(base, "GET", "stats")["rows"]
    return sum(r["count"] for r in rows if r["route"] == route and r["status"] == status)


def check(condition, what):
    if not condition:
        print(f"FAILED: {what}")
        sys.exit(1)
    print(f"ok: {what}")


def main():
    base, token = sys.argv[1], sys.argv[2]
    print(f"slack_sdk {slack_sdk.version.__version__} against {base}")
    client = WebClient(token=token, base_url=f"{base}/api/")
    retry = RateLimitErrorRetryHandler(max_retry_count=2)
    client.retry_handlers.append(retry)

    me = client.auth_test()
    check(me["ok"] and me["team_id"].startswith("T") and me["bot_id"].startswith("B"), f"auth_test: team {me['team_id']}, bot {me['bot_id']}")

    channels, pages = [], 0
    for page in client.conversations_list(limit=4, exclude_archived=True):
        pages += 1
        channels.extend(page["channels"])
    names = [c["name"] for c in channels]
    check(pages > 1 and len(names) == len(set(names)), f"conversations_list paginated: {len(names)} channels over {pages} pages")
    check({"general", "sales-ops", "alerts"} <= set(names), "general, sales-ops and alerts listed")
    check(all(not c["is_archived"] for c in channels), "exclude_archived honoured")

    members = []
    for page in client.users_list(limit=50):
        members.extend(page["members"])
    check(len(members) > 100 and any(not m["real_name"].isascii() for m in members), f"users_list paginated: {len(members)} members, non-ASCII names intact")

    general = next(c for c in channels if c["name"] == "general")
    posted = client.chat_postMessage(channel=general["id"], text="Hello from slack_sdk — ✅", blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "*Hello* from slack_sdk"}}])
    check(posted["ok"] and posted["channel"] == general["id"] and posted["message"]["bot_id"] == me["bot_id"], f"chat_postMessage ts {posted['ts']}")
    history = client.conversations_history(channel=general["id"], limit=1)
    check(history["messages"][0]["ts"] == posted["ts"], "conversations_history reads the post back")

    try:
        client.chat_postMessage(channel="alerts", text="not a member")
        check(False, "not_in_channel raised")
    except SlackApiError as e:
        check(e.response.status_code == 200 and e.response["error"] == "not_in_channel", "SlackApiError not_in_channel (HTTP 200)")

    # An injected 429 (Retry-After: 1): the retry handler waits and repeats the call.
    control(base, "DELETE", "stats")
    control(base, "POST", "faults", {"kind": "rate_limited", "path": "/api/users.list", "next": 1})
    started = time.monotonic()
    again = client.users_list(limit=5)
    waited = time.monotonic() - started
    check(again["ok"] and stat(base, "/api/users.list", 429) == 1 and stat(base, "/api/users.list", 200) == 1, f"RateLimitErrorRetryHandler retried an injected 429 after {waited:.1f}s")

    # The simulator's own limit: a burst of 3 per channel, then 1 message/s.
    control(base, "DELETE", "stats")
    started = time.monotonic()
    for i in range(5):
        client.chat_postMessage(channel=general["id"], text=f"burst {i}")
    waited = time.monotonic() - started
    limited = stat(base, "/api/chat.postMessage", 429)
    check(limited >= 1 and stat(base, "/api/chat.postMessage", 200) == 5, f"5 posts in a burst: {limited} x 429 retried, all 5 posted in {waited:.1f}s")

    print("ALL SDK CHECKS PASSED")


if __name__ == "__main__":
    main()
