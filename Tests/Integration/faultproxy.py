"""A small HTTP fault proxy on 127.0.0.1 between the gateway and Synapse. Each request is
passed on unchanged unless the plan says otherwise for requests whose path matches:
answer 500, answer 429 with Retry-After, drop the connection without an answer, pass it on
and cut the answer's body short, or pass it on after a delay. `down()` makes it drop
everything (the homeserver unreachable) until `up()`. It counts what it did, by fault."""

import http.client
import http.server
import re
import threading
import time
from collections import Counter
from urllib.parse import urlparse

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


class FaultProxy:
    def __init__(self, target):
        url = urlparse(target)
        self.target = (url.hostname, url.port)
        self.rules = []          # (compiled path pattern, list of faults, index)
        self.lock = threading.Lock()
        self.done = Counter()
        self.unreachable = False
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *arguments):
                pass

            def handle_any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                fault = proxy.next_fault(self.command, self.path)
                if fault == "drop":
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if fault in ("500", "429"):
                    payload = b'{"errcode": "M_UNKNOWN", "error": "injected"}' if fault == "500" else \
                        b'{"errcode": "M_LIMIT_EXCEEDED", "error": "injected", "retry_after_ms": 500}'
                    self.send_response(int(fault))
                    if fault == "429":
                        self.send_header("Retry-After", "1")
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                if fault == "delay":
                    time.sleep(2)
                status, headers, answer = proxy.forward(self.command, self.path, self.headers, body)
                self.send_response(status)
                for name, value in headers:
                    if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                if fault == "truncate":
                    self.wfile.write(answer[: len(answer) // 2])
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self.wfile.write(answer)

            do_GET = do_POST = do_PUT = do_DELETE = handle_any

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # a client gone mid-answer (the gateway stopped, or a cut answer) is expected

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def plan(self, method, pattern, faults):
        """Requests of `method` whose path matches `pattern` get these faults in turn, then pass."""
        with self.lock:
            self.rules.append([method, re.compile(pattern), list(faults)])

    def down(self):
        self.unreachable = True

    def up(self):
        self.unreachable = False

    def next_fault(self, method, path):
        with self.lock:
            if self.unreachable:
                self.done["unreachable"] += 1
                return "drop"
            for rule in self.rules:
                if rule[0] == method and rule[1].search(path) and rule[2]:
                    fault = rule[2].pop(0)
                    if fault != "pass":
                        self.done[fault] += 1
                    return fault
        return "pass"

    def forward(self, method, path, headers, body):
        connection = http.client.HTTPConnection(*self.target, timeout=120)
        try:
            forwarded = {name: value for name, value in headers.items()
                         if name.lower() not in HOP_BY_HOP and name.lower() != "host"}
            connection.request(method, path, body=body or None, headers=forwarded)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class TCPFaultProxy:
    """A byte-level fault proxy on 127.0.0.1 for the mail servers (SMTP, IMAP). Each new
    connection takes the next fault of the plan (then "pass"):
      "refuse"          close at once, before the server's greeting;
      "greet:TEXT"      answer TEXT as the server would (SMTP "421 …", IMAP "* BYE …"), close;
      "delay"           wait 2 s before connecting on;
      "cut:BYTES"       pass on until the client sends BYTES (e.g. b"DATA"), then close both;
      "truncate:BYTES"  pass on until the server sends BYTES (e.g. b"FETCH"), pass half of
                        what follows them in that piece, close both.
    A cut or truncate whose bytes never come on its connection goes back to the front of the
    plan for the next one. `done` counts the faults carried out, by kind, and `connections`
    the connections taken. With `close_after`, every connection is closed once the server has
    sent those bytes (after they are passed on), as a server that ends each session after one
    mail: a client that keeps its connection must notice and open a new one."""

    def __init__(self, target, close_after=None):
        import socket
        url = urlparse(target)
        self.target = (url.hostname, url.port)
        self.scheme = url.scheme
        self.plan_ = []
        self.lock = threading.Lock()
        self.done = Counter()
        self.connections = 0
        self.close_after = close_after
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"{url.scheme}://127.0.0.1:{self.listener.getsockname()[1]}"
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def plan(self, faults):
        with self.lock:
            self.plan_.extend(faults)

    def remaining(self):
        with self.lock:
            return [fault for fault in self.plan_ if fault != "pass"]

    def _next(self):
        with self.lock:
            return self.plan_.pop(0) if self.plan_ else "pass"

    def _give_back(self, fault):
        with self.lock:
            self.plan_.insert(0, fault)

    def _count(self, fault):
        with self.lock:
            self.done[fault.split(":")[0]] += 1

    def _accept(self):
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client):
        import socket
        with self.lock:
            self.connections += 1
        fault = self._next()
        kind, _, argument = fault.partition(":")
        argument = argument.encode().decode("unicode_escape").encode("latin-1")
        try:
            if kind == "refuse":
                self._count(fault)
                client.close()
                return
            if kind == "greet":
                self._count(fault)
                client.sendall(argument)
                client.close()
                return
            if kind == "delay":
                self._count(fault)
                time.sleep(2)
            server = socket.create_connection(self.target)
        except OSError:
            client.close()
            return
        applied = threading.Event()
        finished = threading.Event()

        def pump(source, sink, watch, closing=None):
            try:
                while True:
                    data = source.recv(65536)
                    if not data:
                        break
                    if closing and closing in data:
                        sink.sendall(data)
                        break
                    if watch and not applied.is_set() and argument in data:
                        applied.set()
                        self._count(fault)
                        if kind == "truncate":
                            # Half of what follows the bytes: mid-line, mid-literal.
                            after = data.index(argument) + len(argument)
                            sink.sendall(data[: after + (len(data) - after) // 2])
                        break
                    sink.sendall(data)
            except OSError:
                pass
            finished.set()

        threading.Thread(target=pump, args=(client, server, kind == "cut"), daemon=True).start()
        threading.Thread(target=pump, args=(server, client, kind == "truncate", self.close_after), daemon=True).start()
        finished.wait()
        for end in (client, server):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            end.close()
        if kind in ("cut", "truncate") and not applied.is_set():
            self._give_back(fault)

    def close(self):
        self.closed = True
        self.listener.close()
