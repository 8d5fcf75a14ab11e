"""The http-mode server around function/handler.py, on the standard library only.

The watchdog starts this once and proxies every request to it on 127.0.0.1:$PORT.
"""
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qs

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from function import handler  # noqa: E402


class Event:
    def __init__(self, method, path, query, headers, body):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body


class Context:
    def __init__(self):
        self.secrets_dir = os.environ.get("FAAS_SECRETS_DIR", "/var/openfaas/secrets")

    def secret(self, name):
        with open(os.path.join(self.secrets_dir, name), encoding="utf-8") as f:
            return f.read().strip()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in separate writes: with Nagle on, each keep-alive request waited ~40 ms for the
    # client's delayed ACK (0.24 ms per request without, measured on loopback).
    disable_nagle_algorithm = True

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self):
        body = self._read_body()
        url = urlsplit(self.path)
        event = Event(self.command, url.path, parse_qs(url.query), dict(self.headers), body)
        try:
            result = handler.handle(event, Context())
        except Exception as error:  # the function's failure is the response, not a crash
            result = {"statusCode": 500, "body": f"handler failed: {error}\n"}
        if not isinstance(result, dict):
            result = {"statusCode": 200, "body": result}
        payload = result.get("body", b"")
        if isinstance(payload, str):
            payload = payload.encode("utf-8")
        self.send_response(int(result.get("statusCode", 200)))
        for name, value in (result.get("headers") or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def log_message(self, format, *args):
        pass


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "5000"))
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
