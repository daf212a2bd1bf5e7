#!/usr/bin/env python3
"""The probes collector and /probe against an HTTP server this test runs on 127.0.0.1.

  basic        one exporter probing handlers for 200, 301 (followed or not), 304, 404,
               500, HEAD vs GET, a body regex, a handler that accepts but never answers
               (fails at its module's 1 s timeout, not later), an open and a closed TCP
               port: probe_success, probe_http_status_code, durations; consecutive
               failures count up per scrape and reset to 0 on the first success, when
               vitals_probe_last_success_timestamp_seconds appears.
  probe        /probe?target=&module=: the probe's metrics without target labels; an
               unknown module is 400, a target outside allowed_targets 403.
  concurrency  50 targets, 10 of them never answer (2 s timeout): /metrics answers in
               about 2 s, not 10 x 2 s; with X-Prometheus-Scrape-Timeout-Seconds: 1.5 it
               answers in about 1 s (the scrape timeout minus 0.5 s).
  tls          an HTTPS server with a self-signed certificate made by openssl at test
               time: verification fails by default, passes with ca_file or
               tls_insecure_skip_verify (http and tcp with tls: true);
               probe_ssl_earliest_cert_expiry is the certificate's notAfter.
Loopback only; every server thread and exporter is stopped at the end.
"""

import http.server
import ssl
import shutil
import tempfile
import os
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


class State:
    def __init__(self):
        self.release = threading.Event()  # Set at the end: hanging handlers return.
        self.flip_ok = False
        self.methods = []


def make_handler(state):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _send(self, code, body=b"", headers=()):
            self.send_response(code)
            for name, value in headers:
                self.send_header(name, value)
            if code != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD" and code != 304:
                self.wfile.write(body)

        def _route(self):
            state.methods.append((self.command, self.path))
            path = self.path.split("?", 1)[0]
            if path == "/200":
                self._send(200, b"hello, vitals ok\n")
            elif path == "/301":
                self._send(301, headers=[("Location", "/200")])
            elif path == "/304":
                self._send(304)
            elif path == "/404":
                self._send(404, b"no\n")
            elif path == "/500":
                self._send(500, b"broken\n")
            elif path == "/getonly":
                self._send(405 if self.command == "HEAD" else 200, b"get only\n")
            elif path == "/flip":
                self._send(200 if state.flip_ok else 500, b"flip\n")
            elif path == "/hang":
                state.release.wait(30)
                self.close_connection = True
            else:
                self._send(404)

        def do_GET(self):  # noqa: N802
            self._route()

        def do_HEAD(self):  # noqa: N802
            self._route()

    return Handler


class Server:
    def __init__(self, cert=None):
        self.state = State()
        # The default listen backlog (5) drops SYNs under 50 concurrent probes.
        http.server.ThreadingHTTPServer.request_queue_size = 256
        self.httpd = http.server.ThreadingHTTPServer((harness.LOOPBACK, 0),
                                                     make_handler(self.state))
        self.httpd.daemon_threads = True
        self.httpd.handle_error = lambda *args: None  # Probes that hang up are expected.
        self.port = self.httpd.server_address[1]
        self.scheme = "http"
        if cert is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert[0], cert[1])
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            self.scheme = "https"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return "%s://127.0.0.1:%d%s" % (self.scheme, self.port, path)

    def stop(self):
        self.state.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def write_config(tmp, name, text):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(text)
    return path


MODULES = """\
  modules:
    http_2xx: {prober: http, timeout: 2s}
    no_redirect: {prober: http, http: {follow_redirects: false, valid_status_codes: ["3xx"]}}
    ok_304: {prober: http, http: {valid_status_codes: ["2xx", 304]}}
    head: {prober: http, http: {method: HEAD}}
    body_ok: {prober: http, http: {fail_if_body_not_matches_regexp: ["vitals ok$"]}}
    body_bad: {prober: http, http: {fail_if_body_not_matches_regexp: ["vitals ok", "nope"]}}
    hang: {prober: http, timeout: 1s}
    tcp: {prober: tcp, timeout: 1s}
"""


def scene_basic(failures, binary, tmp, server):
    closed = harness.free_port()
    u = server.url
    # (target, module, expected success, expected status code or None for tcp)
    cases = [
        (u("/200"), "http_2xx", 1, 200),
        (u("/301"), "http_2xx", 1, 200),
        (u("/301"), "no_redirect", 1, 301),
        (u("/304"), "http_2xx", 0, 304),
        (u("/304"), "ok_304", 1, 304),
        (u("/404"), "http_2xx", 0, 404),
        (u("/500"), "http_2xx", 0, 500),
        (u("/getonly"), "head", 0, 405),
        (u("/getonly"), "http_2xx", 1, 200),
        (u("/200"), "head", 1, 200),
        (u("/200"), "body_ok", 1, 200),
        (u("/200"), "body_bad", 0, 200),
        (u("/hang"), "hang", 0, 0),
        ("http://127.0.0.1:%d/" % closed, "http_2xx", 0, 0),
        ("127.0.0.1:%d" % server.port, "tcp", 1, None),
        ("127.0.0.1:%d" % closed, "tcp", 0, None),
    ]
    lines = ["probes:", MODULES.rstrip("\n"), "  targets:"]
    for target, module, _, _ in cases:
        lines.append("    - {target: '%s', module: %s, group: g}" % (target, module))
    lines.append("    - {target: '%s', module: http_2xx, labels: {team: web}}" % u("/flip"))
    config = write_config(tmp, "basic.yml", "\n".join(lines) + "\n")
    with harness.Exporter(binary, ["--config.file=" + config, "--log.level=debug"]) as exporter:
        check_basic(failures, exporter, server, cases)


def check_basic(failures, exporter, server, cases):
    u = server.url
    started = time.monotonic()
    first = harness.parse(exporter.scrape())
    elapsed = time.monotonic() - started
    failures.check(elapsed < 2.5, "one scrape took %.2f s (hang timeout is 1 s)" % elapsed)
    for target, module, success, status in cases:
        labels = {"target": target, "module": module, "group": "g"}
        what = "%s %s" % (module, target)
        failures.check(first.get("probe_success", **labels) == success,
                       "%s: probe_success %s, want %s"
                       % (what, first.get("probe_success", **labels), success))
        if status is not None:
            got = first.get("probe_http_status_code", **labels)
            failures.check(got == status, "%s: status %s, want %s" % (what, got, status))
        else:
            failures.check(first.get("probe_http_status_code", **labels) is None,
                           "%s: a tcp probe has no status code" % what)
        failures.check(first.get("vitals_probe_consecutive_failures", **labels) ==
                       (0 if success else 1), "%s: consecutive failures after one scrape"
                       % what)
    hang = {"target": u("/hang"), "module": "hang", "group": "g"}
    duration = first.get("probe_duration_seconds", **hang)
    failures.check(duration is not None and 0.9 <= duration <= 1.6,
                   "hanging probe took %s s, want its 1 s timeout" % duration)
    ok = {"target": u("/200"), "module": "http_2xx", "group": "g"}
    phases = {dict(k)["phase"]: v for k, v in first.find("probe_http_duration_seconds").items()
              if dict(k)["target"] == ok["target"] and dict(k)["module"] == "http_2xx"}
    failures.check(set(phases) == {"resolve", "connect", "tls", "processing", "transfer"},
                   "phases: %s" % sorted(phases))
    failures.check(("HEAD", "/getonly") in server.state.methods,
                   "the head module sent no HEAD request")
    # The flip target: fails twice, then succeeds, then fails again.
    flip = {"target": u("/flip"), "module": "http_2xx", "group": "", "team": "web"}
    failures.check(first.get("vitals_probe_consecutive_failures", **flip) == 1,
                   "flip: 1 failure after the first scrape")
    failures.check(first.get("vitals_probe_last_success_timestamp_seconds", **flip) is None,
                   "flip: no last success before any success")
    second = harness.parse(exporter.scrape())
    failures.check(second.get("vitals_probe_consecutive_failures", **flip) == 2,
                   "flip: 2 failures after the second scrape, got %s"
                   % second.get("vitals_probe_consecutive_failures", **flip))
    server.state.flip_ok = True
    before = time.time()
    third = harness.parse(exporter.scrape())
    failures.check(third.get("vitals_probe_consecutive_failures", **flip) == 0,
                   "flip: reset to 0 on success")
    last = third.get("vitals_probe_last_success_timestamp_seconds", **flip)
    failures.check(last is not None and before - 1 <= last <= time.time() + 1,
                   "flip: last success %s, want about %s" % (last, before))
    server.state.flip_ok = False
    fourth = harness.parse(exporter.scrape())
    failures.check(fourth.get("vitals_probe_consecutive_failures", **flip) == 1,
                   "flip: counts from 1 again after the success")
    failures.check(fourth.get("vitals_probe_last_success_timestamp_seconds", **flip) == last,
                   "flip: last success kept while failing")


def scene_probe(failures, binary, tmp, server):
    config = write_config(
        tmp, "probe.yml",
        "probes:\n" + MODULES + "  allowed_targets: ['http://127\\.0\\.0\\.1:%d/.*', "
        "'127\\.0\\.0\\.1:[0-9]+']\n" % server.port)
    with harness.Exporter(binary, ["--config.file=" + config]) as exporter:
        metrics = harness.parse(exporter.scrape())
        failures.check(not metrics.find("probe_success"),
                       "/metrics probes nothing without targets")
        response = exporter.get("/probe?target=%s&module=http_2xx" % server.url("/200"))
        failures.check(response.status == 200, "/probe: HTTP %d" % response.status)
        probe = harness.parse(response.text())
        failures.check(probe.get("probe_success") == 1, "/probe: success %s"
                       % probe.get("probe_success"))
        failures.check(probe.get("probe_http_status_code") == 200, "/probe: status code")
        failures.check(probe.get("vitals_probe_consecutive_failures") is None,
                       "/probe keeps no per-target state")
        response = exporter.get("/probe?target=%s&module=http_2xx" % server.url("/404"))
        failures.check(harness.parse(response.text()).get("probe_success") == 0,
                       "/probe: 404 is a failure")
        response = exporter.get("/probe?target=127.0.0.1:%d&module=tcp" % server.port)
        failures.check(harness.parse(response.text()).get("probe_success") == 1, "/probe tcp")
        for query, status in [
                ("target=%s&module=nope" % server.url("/200"), 400),
                ("module=http_2xx", 400),
                ("target=%s" % server.url("/200"), 400),
                ("target=http://10.255.255.1/&module=http_2xx", 403),
                ("target=http://127.0.0.1:%d.evil/&module=http_2xx" % server.port, 403)]:
            response = exporter.get("/probe?" + query)
            failures.check(response.status == status, "/probe?%s: HTTP %d, want %d"
                           % (query, response.status, status))


def scene_concurrency(failures, binary, tmp, server):
    lines = ["probes:", "  modules:", "    m: {prober: http, timeout: 2s}", "  targets:"]
    for i in range(50):
        path = "/hang" if i % 5 == 0 else "/200"
        lines.append("    - {target: '%s?%d', module: m}" % (server.url(path), i))
    config = write_config(tmp, "many.yml", "\n".join(lines) + "\n")
    with harness.Exporter(binary, ["--config.file=" + config]) as exporter:
        started = time.monotonic()
        scrape = harness.parse(exporter.scrape())
        elapsed = time.monotonic() - started
        failures.check(1.9 <= elapsed < 3.5, "50 targets, 10 hanging: %.2f s, want about 2 s"
                       % elapsed)
        values = list(scrape.find("probe_success").values())
        failures.check(len(values) == 50 and sum(values) == 40,
                       "successes: %s of %d" % (sum(values), len(values)))
        started = time.monotonic()
        response = exporter.get(headers={"X-Prometheus-Scrape-Timeout-Seconds": "1.5"})
        elapsed = time.monotonic() - started
        failures.check(response.status == 200 and 0.9 <= elapsed < 1.8,
                       "with a 1.5 s scrape timeout: %.2f s, want about 1 s" % elapsed)
        values = list(harness.parse(response.text()).find("probe_success").values())
        failures.check(sum(values) == 40, "with a scrape timeout: %s successes" % sum(values))


def scene_tls(failures, binary, tmp, _server):
    cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True, timeout=60)
    made = time.time()
    tls_server = Server((cert, key))
    try:
        url = tls_server.url("/200")
        hostport = "127.0.0.1:%d" % tls_server.port
        config = write_config(tmp, "tls.yml", """\
probes:
  modules:
    verify: {prober: http, timeout: 2s}
    ca: {prober: http, timeout: 2s, http: {ca_file: '%s'}}
    insecure: {prober: http, timeout: 2s, http: {tls_insecure_skip_verify: true}}
    tcp_verify: {prober: tcp, timeout: 2s, tcp: {tls: true}}
    tcp_ca: {prober: tcp, timeout: 2s, tcp: {tls: true, ca_file: '%s'}}
    tcp_insecure: {prober: tcp, timeout: 2s, tcp: {tls: true, tls_insecure_skip_verify: true}}
  targets:
    - {target: '%s', module: verify}
    - {target: '%s', module: ca}
    - {target: '%s', module: insecure}
    - {target: '%s', module: tcp_verify}
    - {target: '%s', module: tcp_ca}
    - {target: '%s', module: tcp_insecure}
""" % (cert, cert, url, url, url, hostport, hostport, hostport))
        with harness.Exporter(binary, ["--config.file=" + config]) as exporter:
            scrape = harness.parse(exporter.scrape())
            for module, target, success in [
                    ("verify", url, 0), ("ca", url, 1), ("insecure", url, 1),
                    ("tcp_verify", hostport, 0), ("tcp_ca", hostport, 1),
                    ("tcp_insecure", hostport, 1)]:
                labels = {"target": target, "module": module, "group": ""}
                got = scrape.get("probe_success", **labels)
                failures.check(got == success, "tls %s: probe_success %s, want %s"
                               % (module, got, success))
                if success:
                    expiry = scrape.get("probe_ssl_earliest_cert_expiry", **labels)
                    want = made + 30 * 86400
                    failures.check(expiry is not None and abs(expiry - want) < 2 * 86400,
                                   "tls %s: cert expiry %s, want about %.0f"
                                   % (module, expiry, want))
            tls = scrape.get("probe_http_duration_seconds", target=url, module="ca", group="",
                             phase="tls")
            failures.check(tls is not None and tls > 0, "tls phase: %s" % tls)
            failures.check(scrape.get("probe_http_status_code", target=url, module="ca",
                                      group="") == 200, "tls ca: status 200")
    finally:
        tls_server.stop()


def main():
    parser = harness.common_argparser(__doc__.splitlines()[0])
    args = parser.parse_args()
    failures = harness.Failures("probes_live")
    started = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="vitals-probes-")
    server = Server()
    try:
        for scene in (scene_basic, scene_probe, scene_concurrency, scene_tls):
            try:
                scene(failures, args.exporter, tmp, server)
            except (RuntimeError, harness.ExporterError, harness.ParseError, OSError,
                    subprocess.SubprocessError) as e:
                failures.fail("%s: %s: %s" % (scene.__name__, type(e).__name__, e))
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print("probes_live: %.1f s" % (time.monotonic() - started))
    failures.exit()


if __name__ == "__main__":
    main()
