"""An editor at work for bench/publish-under-load: every second, publishes a new story or
corrects one already published, through the newsroom's forms as a browser sends them, then
checks that readers see it (the story at its address and on the home page; the correction on
the story's page). Prints one line at the end: "PUBLISHER publishes corrections failures slowest_ms";
each failure is described on a line of its own first.

Usage: publisher.py BASE_URL EMAIL PASSWORD SECONDS
"""
import http.cookiejar
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

base, email, password, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
# Readers must see a change within this long (the page cache follows the change log).
VISIBLE_WITHIN = 2.0


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


jar = http.cookiejar.CookieJar()
browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)


def fetch(path, form=None):
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    try:
        with browser.open(base + path, data=data, timeout=10) as answer:
            return answer.status, answer.headers, answer.read().decode()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers, answer.read().decode()


def field(html, name):
    found = re.search(r'name="%s" value="([^"]*)"' % name, html)
    return found.group(1) if found else ""


def visible(path, text):
    """Seconds until `text` is on the page at `path`, or None if it never is in time."""
    started = time.monotonic()
    while time.monotonic() - started < VISIBLE_WITHIN:
        status, _, html = fetch(path)
        if status == 200 and text in html:
            return time.monotonic() - started
        time.sleep(0.05)
    return None


failures = []
_, _, form = fetch("/redaction/connexion")
status, _, _ = fetch("/redaction/connexion",
                     {"email": email, "password": password, "csrf": field(form, "csrf")})
if status != 303:
    sys.exit(f"cannot sign in: {status}")

published = []  # (newsroom address, public path)
publishes = corrections = 0
slowest = 0.0
started = time.monotonic()
tick = 0
while time.monotonic() - started < seconds:
    tick_started = time.monotonic()
    tick += 1
    _, _, dashboard = fetch("/redaction/")
    csrf = field(dashboard, "csrf")
    if tick % 3 == 0 and published:
        story, path = published[-1]
        note = f"Correction numéro {tick} : un chiffre était faux."
        status, _, _ = fetch(f"{story}/corrections",
                             {"csrf": csrf, "kind": "correction", "note": note})
        if status != 303:
            failures.append(f"correction {tick}: answered {status}")
        else:
            corrections += 1
            delay = visible(path, f"Correction numéro {tick}")
            if delay is None:
                failures.append(f"correction {tick} not on {path} within {VISIBLE_WITHIN}s")
            slowest = max(slowest, delay or 0)
    else:
        headline = f"Dépêche numéro {tick} sous la charge"
        status, headers, _ = fetch("/redaction/articles", {
            "csrf": csrf, "headline": headline, "standfirst": "Un chapeau.",
            "body": f"Le texte de la dépêche {tick}.", "section": "Monde",
            "tags": "Charge", "kind": "news", "intent": "save"})
        if status != 303:
            failures.append(f"story {tick}: saving answered {status}")
            continue
        story = headers["location"].split("?")[0]
        status, _, _ = fetch(f"{story}/action", {"csrf": csrf, "action": "publish",
                                                 "scheduled_at": ""})
        if status != 303:
            failures.append(f"story {tick}: publishing answered {status}")
            continue
        publishes += 1
        _, _, editor = fetch(story)
        path = re.search(r'<a href="([^"]+)">voir l’article en ligne', editor)
        if not path:
            failures.append(f"story {tick}: no public address after publishing")
            continue
        path = path.group(1)
        published.append((story, path))
        for page in (path, "/"):
            delay = visible(page, f"Dépêche numéro {tick} sous la charge")
            if delay is None:
                failures.append(f"story {tick} not on {page} within {VISIBLE_WITHIN}s")
            slowest = max(slowest, delay or 0)
    time.sleep(max(0.0, 1.0 - (time.monotonic() - tick_started)))

for failure in failures:
    print("FAILURE", failure)
print(f"PUBLISHER {publishes} {corrections} {len(failures)} {slowest * 1000:.0f}")
