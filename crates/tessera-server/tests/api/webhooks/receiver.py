"""A webhook receiver for the tests, written apart from Tessera: it checks each delivery's
signature with Python's own hmac (HMAC-SHA256 over "<t>.<body>" with the endpoint's
secret, compared in constant time) and appends what it got to a log, one JSON line a
delivery. While the file DIR/down exists it answers 503 and logs nothing, as a receiver
that is down would.

    python3 receiver.py DIR

It writes its port to DIR/port once it listens, reads the secret from DIR/secret, appends
to DIR/log.
"""

import hashlib
import hmac
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DIR = sys.argv[1]


def verified(header, body):
    with open(os.path.join(DIR, "secret"), "rb") as f:
        secret = f.read().strip()
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    expected = hmac.new(secret, parts.get("t", "").encode() + b"." + body, hashlib.sha256)
    return hmac.compare_digest(expected.hexdigest(), parts.get("v1", ""))


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        if os.path.exists(os.path.join(DIR, "down")):
            self.send_response(503)
            self.end_headers()
            return
        event = json.loads(body)
        line = {
            "id": event["id"],
            "event": event["event"],
            "subject": event["subject"]["type"] + ":" + event["subject"]["id"],
            "header_id": self.headers.get("tessera-event-id"),
            "valid": verified(self.headers.get("tessera-signature", ""), body),
        }
        with open(os.path.join(DIR, "log"), "a") as log:
            log.write(json.dumps(line) + "\n")
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
with open(os.path.join(DIR, "port.tmp"), "w") as f:
    f.write(str(server.server_address[1]))
os.replace(os.path.join(DIR, "port.tmp"), os.path.join(DIR, "port"))
server.serve_forever()
