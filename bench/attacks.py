"""The outside security review's attacks, rerun against a running site (bench/attacks starts
one): nested bodies through the live preview while /healthz is probed, two 250 KB revisions
compared, six large images uploaded at once with the server's memory read before and after, a
burst of parallel sign-ins, a JPEG with a trailer, variants of cached addresses, clients that
never read. Prints one line per attack with what it measured; exits 1 if any defence failed.

Usage: attacks.py BASE_URL SERVER_PID EDITOR_EMAIL PASSWORD MEDIA_FILE_URL
"""
import concurrent.futures
import http.cookiejar
import re
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib

base, pid, email, password, big_file = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
failures = []


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def browser():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)


def fetch(opener, path, form=None, data=None, headers=None, timeout=120):
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
    request = urllib.request.Request(base + path, data=data, headers=headers or {})
    try:
        with opener.open(request, timeout=timeout) as answer:
            return answer.status, answer.read().decode(errors="replace")
    except urllib.error.HTTPError as answer:
        return answer.code, answer.read().decode(errors="replace")


def field(html, name):
    found = re.search(r'name="%s" value="([^"]*)"' % name, html)
    return found.group(1) if found else ""


def sign_in(opener):
    _, form = fetch(opener, "/redaction/connexion")
    status, _ = fetch(opener, "/redaction/connexion",
                      {"email": email, "password": password, "csrf": field(form, "csrf")})
    if status != 303:
        sys.exit(f"cannot sign in: {status}")
    _, page = fetch(opener, "/redaction/")
    return field(page, "csrf")


def resident_mb():
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return 0


def report(name, ok, detail):
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}")
    if not ok:
        failures.append(name)


editor = browser()
token = sign_in(editor)

# 1. Nested bodies through the preview, two at a time, while /healthz is probed.
def preview(body):
    started = time.monotonic()
    status, _ = fetch(editor, "/redaction/apercu", {"csrf": token, "body": body})
    return status, time.monotonic() - started


def probe_health(stop_after):
    slowest, started = 0.0, time.monotonic()
    while time.monotonic() - started < stop_after:
        asked = time.monotonic()
        status, _ = fetch(browser(), "/healthz", timeout=5)
        slowest = max(slowest, time.monotonic() - asked)
        if status != 200:
            return None
        time.sleep(0.05)
    return slowest


bodies = {"'>' x 40000": ">" * 40000, "'<div>' x 100000": "<div>" * 100000,
          "'>' x 200000": ">" * 200000}
with concurrent.futures.ThreadPoolExecutor(4) as pool:
    health = pool.submit(probe_health, 3.0)
    for name, body in bodies.items():
        first, second = pool.submit(preview, body), pool.submit(preview, body)
        (status, took), (status2, took2) = first.result(), second.result()
        report(f"nesting {name}", status == status2 == 422 and max(took, took2) < 1.0,
               f"{status}, {max(took, took2) * 1000:.0f} ms (two at once)")
    slowest = health.result()
    report("health while previewing", slowest is not None and slowest < 1.0,
           "no answer" if slowest is None else f"slowest probe {slowest * 1000:.0f} ms")

# 2. Two 250 KB revisions sharing little, compared on the history page.
def text(seed):
    return " ".join(f"m{(n * 7919 + seed) % 10007}" for n in range(50000))


status, _ = fetch(editor, "/redaction/articles", {
    "csrf": token, "headline": "Deux versions", "body": text(1), "section": "France",
    "kind": "news", "intent": "save"})
_, dashboard = fetch(editor, "/redaction/?q=Deux+versions")
story = re.search(r'href="(/redaction/articles/\d+)"', dashboard).group(1)
_, page = fetch(editor, story)
fetch(editor, story, {"csrf": token, "base_revision": field(page, "base_revision"),
                      "headline": "Deux versions", "body": text(2), "section": "France",
                      "kind": "news", "intent": "save"})
started = time.monotonic()
status, _ = fetch(editor, f"{story}/historique")
took = time.monotonic() - started
report("diff of two 250 KB revisions", status == 200 and took < 2.0, f"{status}, {took * 1000:.0f} ms")

# 3. Six large RGBA PNGs (8940 x 8940 from a few hundred KB) uploaded at once.
def huge_png(side):
    row = b"\x00" + b"\x00" * (side * 4)
    raw = zlib.compress(row * side, 9)
    chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", side, side, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


boundary = "----rotative-attack"


def upload(png, n):
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"grand{n}.png\"\r\n"
            f"Content-Type: image/png\r\n\r\n").encode() + png + f"\r\n--{boundary}--\r\n".encode()
    return fetch(editor, "/redaction/medias", data=body, headers={
        "content-type": f"multipart/form-data; boundary={boundary}",
        "accept": "application/json"})[0]


# Over the per-image limit (8940 x 8940 RGBA: 320 MB decoded), then under it (6000 x 6000:
# 144 MB each, decoded for real, six at once sharing the decode budget).
for side, expected in ((8940, (422,)), (6000, (200,))):
    png = huge_png(side)
    before = resident_mb()
    peak = before
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        uploads = [pool.submit(upload, png, n) for n in range(6)]
        while not all(u.done() for u in uploads):
            peak = max(peak, resident_mb())
            time.sleep(0.02)
    statuses = sorted(u.result() for u in uploads)
    # The resized copies are made in the background right after: memory is read once they are.
    settled = time.monotonic()
    while time.monotonic() - settled < 60:
        peak = max(peak, resident_mb())
        time.sleep(0.2)
    after = resident_mb()
    report(f"six {side} x {side} RGBA PNGs at once",
           peak - before < 900 and all(s in expected for s in statuses),
           f"{len(png) // 1024} KB each, answers {statuses}, "
           f"resident {before} MB -> peak {peak} MB (copies included) -> {after} MB a minute after")

# 4. Forty sign-ins at once with wrong passwords but the last: at most five are evaluated.
def attempt(guess):
    opener = browser()
    _, form = fetch(opener, "/redaction/connexion")
    return fetch(opener, "/redaction/connexion", {
        "email": "victime@exemple.fr", "password": guess, "csrf": field(form, "csrf")})[0]


with concurrent.futures.ThreadPoolExecutor(40) as pool:
    statuses = list(pool.map(attempt, ["mauvais"] * 39 + [password]))
evaluated = sum(1 for s in statuses if s != 429)
report("forty parallel sign-ins", evaluated <= 5, f"{evaluated} evaluated, {statuses.count(429)} refused")

# 5. Variants of cached addresses.
variants = ["/%66rance/", "/fr%61nce/", "/sitemaps/articles-01.xml", "/sitemaps/articles-+1.xml",
            "/sitemaps/articles-1152921504606846977.xml"]
answers = [fetch(browser(), v)[0] for v in variants]
report("address variants", all(a == 404 for a in answers), f"{dict(zip(variants, answers))}")

# 6. Twenty clients ask for a large file and never read it: the server's side of each
# connection (as `ss` lists it) must be gone within 35 s.
host, port = urllib.parse.urlparse(base).hostname, urllib.parse.urlparse(base).port


def established():
    listing = subprocess.run(["ss", "-Htn", "state", "established", f"( sport = :{port} )"],
                             capture_output=True, text=True, check=True).stdout
    return len(listing.strip().splitlines())


readers = []
for _ in range(20):
    s = socket.create_connection((host, port))
    s.sendall(f"GET {urllib.parse.urlparse(big_file).path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    readers.append(s)
time.sleep(1)
held = established()
time.sleep(34)
left = established()
for s in readers:
    s.close()
report("clients that never read", held >= 20 and left == 0,
       f"{held} connections held after 1 s, {left} left after 35 s")

print(f"ATTACKS {len(failures)} failed")
sys.exit(1 if failures else 0)
