#!/usr/bin/env python3
"""A real HTTP receiver for the e2e tests of webhooks, alerts and downloads.

    http_receiver.py PORT RECORD [--fail N] [--status CODE] [--hang] [--tls CERT KEY]

Every POST is appended to RECORD as one JSON line:
    {"path": ..., "content_type": ..., "authorization": ..., "body": <the body as text>}
and answered 200, except: the first N POSTs (--fail N) get CODE (--status, default 500),
and with --hang every POST is recorded and then never answered (the connection stays
open until the receiver is stopped). GET / answers 200 (readiness); GET /endless sends
an endless document (to test that downloads stop at their limit); GET /files/NAME sends
the file NAME from the RECORD's directory. --tls serves HTTPS with CERT and KEY (PEM).
"""
import http.server
import json
import os
import ssl
import sys
import threading
import time

port = int(sys.argv[1])
record = sys.argv[2]
args = sys.argv[3:]
fail = int(args[args.index("--fail") + 1]) if "--fail" in args else 0
status = int(args[args.index("--status") + 1]) if "--status" in args else 500
hang = "--hang" in args
lock = threading.Lock()
posts = 0


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def answer(self, code, body=b"", content_type="text/plain"):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            chunk = b" " * 65536
            try:
                while True:
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                return
        if self.path.startswith("/files/"):
            name = os.path.basename(self.path[len("/files/"):])
            path = os.path.join(os.path.dirname(os.path.abspath(record)), name)
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    return self.answer(200, f.read(), "application/json")
            return self.answer(404, b"not found")
        self.answer(200, b"ok")

    def do_POST(self):
        global posts
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        with lock:
            posts += 1
            n = posts
            with open(record, "a") as f:
                f.write(json.dumps({"path": self.path,
                                    "content_type": self.headers.get("Content-Type", ""),
                                    "authorization": self.headers.get("Authorization", ""),
                                    "body": body.decode("utf-8", "replace")}) + "\n")
        if hang:
            time.sleep(3600)
            return
        if n <= fail:
            return self.answer(status, b"failing on purpose")
        self.answer(200, b"{}", "application/json")


server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
server.daemon_threads = True
if "--tls" in args:
    i = args.index("--tls")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args[i + 1], args[i + 2])
    server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
