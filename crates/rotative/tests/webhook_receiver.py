"""A webhook receiver for the tests: checks each delivery's Standard Webhooks signature on its
own (Python's hmac, not Rotative's code), fails the first attempts of every message, and reports
what it received.

Usage: webhook_receiver.py FAILURES. Prints its port, then serves until killed.
  POST /_secret  the secret (whsec_…) to check signatures with
  GET  /_report  {"attempts": {id: n}, "delivered": [{id, type, story}], "invalid": n}
  POST anything  a delivery: 500 for the first FAILURES attempts of a message, then 204
"""

import base64
import hashlib
import hmac
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAILURES = int(sys.argv[1])
LOCK = threading.Lock()
STATE = {"secret": None, "attempts": {}, "delivered": [], "invalid": 0}


def signature_ok(secret, msg_id, timestamp, body, header):
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = msg_id.encode() + b"." + timestamp.encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    given = [part.split(",", 1)[1] for part in header.split() if part.startswith("v1,")]
    fresh = abs(time.time() - int(timestamp)) < 300
    return fresh and any(hmac.compare_digest(expected, one) for one in given)


class Receiver(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body=b""):
        self.send_response(status)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        with LOCK:
            report = json.dumps(
                {k: STATE[k] for k in ("attempts", "delivered", "invalid")}
            ).encode()
        self.answer(200, report)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        if self.path == "/_secret":
            with LOCK:
                STATE["secret"] = body.decode()
            return self.answer(204)
        msg_id = self.headers.get("webhook-id", "")
        timestamp = self.headers.get("webhook-timestamp", "0")
        header = self.headers.get("webhook-signature", "")
        with LOCK:
            if not signature_ok(STATE["secret"], msg_id, timestamp, body, header):
                STATE["invalid"] += 1
                return self.answer(400)
            seen = STATE["attempts"].get(msg_id, 0) + 1
            STATE["attempts"][msg_id] = seen
            if seen <= FAILURES:
                return self.answer(500)
            event = json.loads(body)
            STATE["delivered"].append(
                {"id": msg_id, "type": event["type"], "story": event["data"]["id"]}
            )
        self.answer(204)


server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
print(server.server_address[1], flush=True)
server.serve_forever()
