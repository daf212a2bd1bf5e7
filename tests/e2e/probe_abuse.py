#!/usr/bin/env python3
"""Issue 12: /probe abuse through redirects, against two HTTP servers on 127.0.0.1.

  allowed     with allowed_targets set, an allowed URL that redirects to a disallowed
              one fails without the disallowed server seeing a request; a redirect that
              stays inside allowed_targets is still followed.
  loop        a target that redirects to the exporter's own /probe (naming itself as the
              target) is probed once: the exporter's nested request carries
              X-Vitals-Probe and /probe refuses it (508), so the target sees one
              request, not one per worker; /metrics still answers at once. /probe asked
              with X-Vitals-Probe by anyone is refused the same way.
  headers     a module's headers reach the target's own host (and a redirect on that
              host), never a redirect to another host:port; curl's own Authorization
              is not forwarded either.
  timeout     a module timeout over 1m is a one-line config error (exit 2).
Loopback only; every server thread and exporter is stopped at the end.
"""

import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


class Server:
    """Records (path, headers) of every request; /to?url=X redirects to X, /ok is 200."""

    def __init__(self):
        self.requests = []
        self.lock = threading.Lock()
        self.loop_location = None  # Where /loop redirects.
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802
                with outer.lock:
                    outer.requests.append((self.path, dict(self.headers.items())))
                path, _, query = self.path.partition("?")
                if path in ("/to", "/loop"):
                    location = (outer.loop_location if path == "/loop"
                                else urllib.parse.parse_qs(query).get("url", ["/"])[0])
                    self.send_response(302)
                    self.send_header("Location", location)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = b"ok\n" if path == "/ok" else b"no\n"
                self.send_response(200 if path == "/ok" else 404)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        http.server.ThreadingHTTPServer.request_queue_size = 64
        self.httpd = http.server.ThreadingHTTPServer((harness.LOOPBACK, 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.handle_error = lambda *args: None
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def seen(self, prefix=""):
        with self.lock:
            return [r for r in self.requests if r[0].startswith(prefix)]

    def clear(self):
        with self.lock:
            self.requests.clear()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def redirect(server, to):
    return server.url("/to?url=" + urllib.parse.quote(to, safe=""))


def probe(exporter, target, module, headers=None):
    query = urllib.parse.urlencode({"target": target, "module": module})
    return exporter.get("/probe?" + query, headers=headers, timeout=15)


def probe_success(response):
    if response.status != 200:
        return None
    return harness.parse(response.text()).get("probe_success")


def write_config(tmp, name, text):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def scene_allowed(failures, binary, tmp, a, b):
    allowed = "http://127\\.0\\.0\\.1:%d/.*" % a.port
    config = write_config(tmp, "allowed.yml", (
        "probes:\n"
        "  modules:\n"
        "    plain: {prober: http, timeout: 2s}\n"
        "  allowed_targets: ['%s']\n" % allowed))
    with harness.Exporter(binary, ["--config.file=" + config, "--log.level=debug"]) as exporter:
        a.clear()
        b.clear()
        refused = probe(exporter, b.url("/ok"), "plain")
        failures.check(refused.status == 403, "direct disallowed target: HTTP %d" % refused.status)
        response = probe(exporter, redirect(a, b.url("/ok")), "plain")
        failures.check(response.status == 200, "allowed target: HTTP %d" % response.status)
        failures.check(probe_success(response) == 0,
                       "redirect to a disallowed target: probe_success %s, want 0"
                       % probe_success(response))
        failures.check(not b.seen(), "the disallowed server got %d request(s): %s"
                       % (len(b.seen()), [p for p, _ in b.seen()]))
        inside = probe(exporter, redirect(a, a.url("/ok")), "plain")
        failures.check(probe_success(inside) == 1,
                       "redirect inside allowed_targets: probe_success %s, want 1"
                       % probe_success(inside))


def scene_loop(failures, binary, tmp, a, b):
    config = write_config(tmp, "loop.yml", (
        "probes:\n"
        "  modules:\n"
        "    plain: {prober: http, timeout: 3s}\n"))
    with harness.Exporter(binary, ["--config.file=" + config, "--web.max-requests=8"]) as exporter:
        a.clear()
        # A's /loop sends the exporter to its own /probe of A's /loop, and so on.
        a.loop_location = exporter.url("/probe?" + urllib.parse.urlencode(
            {"target": a.url("/loop"), "module": "plain"}))
        started = time.monotonic()
        response = probe(exporter, a.url("/loop"), "plain")
        elapsed = time.monotonic() - started
        failures.check(response.status == 200, "loop probe: HTTP %d" % response.status)
        failures.check(probe_success(response) == 0,
                       "a redirect to the exporter's own /probe: probe_success %s, want 0"
                       % probe_success(response))
        hits = len(a.seen("/loop"))
        failures.check(hits == 1, "the looping target got %d requests, want 1" % hits)
        failures.check(elapsed < 2.5, "the loop probe took %.2f s" % elapsed)
        started = time.monotonic()
        metrics = exporter.get("/metrics", timeout=5)
        failures.check(metrics.status == 200 and time.monotonic() - started < 2,
                       "/metrics after the loop: HTTP %d in %.2f s"
                       % (metrics.status, time.monotonic() - started))
        marked = probe(exporter, a.url("/ok"), "plain", headers={"X-Vitals-Probe": "1"})
        failures.check(marked.status == 508,
                       "/probe with X-Vitals-Probe: HTTP %d, want 508" % marked.status)
        # A direct target naming the exporter itself: one nested request, refused.
        a.clear()
        direct = probe(exporter, exporter.url("/probe?" + urllib.parse.urlencode(
            {"target": a.url("/ok"), "module": "plain"})), "plain")
        failures.check(probe_success(direct) == 0,
                       "probing the exporter's own /probe: probe_success %s, want 0"
                       % probe_success(direct))
        failures.check(not a.seen(), "the self-probe's target was reached %d time(s)"
                       % len(a.seen()))


def scene_headers(failures, binary, tmp, a, b):
    config = write_config(tmp, "headers.yml", (
        "probes:\n"
        "  modules:\n"
        "    secret:\n"
        "      prober: http\n"
        "      timeout: 2s\n"
        "      http: {headers: {X-Secret: s3cr3t, Authorization: 'Bearer t0k3n'}}\n"))
    with harness.Exporter(binary, ["--config.file=" + config]) as exporter:
        a.clear()
        b.clear()
        response = probe(exporter, redirect(a, b.url("/ok")), "secret")
        failures.check(probe_success(response) == 1,
                       "cross-host redirect: probe_success %s, want 1" % probe_success(response))
        first = a.seen("/to")
        failures.check(len(first) == 1 and first[0][1].get("X-Secret") == "s3cr3t",
                       "the target's own host did not get X-Secret: %s" % first)
        landed = b.seen("/ok")
        failures.check(len(landed) == 1, "the redirect's host got %d requests" % len(landed))
        for _, headers in landed:
            leaked = [h for h in headers if h.lower() in ("x-secret", "authorization")]
            failures.check(not leaked, "headers sent across a redirect to another host:port: %s"
                           % leaked)
        a.clear()
        same = probe(exporter, redirect(a, a.url("/ok")), "secret")
        failures.check(probe_success(same) == 1, "same-host redirect: probe_success %s"
                       % probe_success(same))
        kept = a.seen("/ok")
        failures.check(len(kept) == 1 and kept[0][1].get("X-Secret") == "s3cr3t",
                       "a redirect on the target's own host lost X-Secret: %s" % kept)


def scene_timeout(failures, binary, tmp, a, b):
    config = write_config(tmp, "timeout.yml", (
        "probes:\n"
        "  modules:\n"
        "    slow: {prober: http, timeout: 3000000h}\n"))
    result = harness.run_exporter(binary, ["--config.file=" + config, "--config.check"])
    failures.check(result.returncode == 2, "timeout 3000000h: exit %d, want 2; stderr: %s"
                   % (result.returncode, result.stderr))
    column = "    slow: {prober: http, timeout: 3000000h}".index("3000000h") + 1
    failures.check("timeout.yml:3:%d: probes.modules.slow.timeout must be at most 1m" % column
                   in result.stderr, "timeout 3000000h: stderr %r" % result.stderr)


def main():
    parser = harness.common_argparser(__doc__.splitlines()[0])
    args = parser.parse_args()
    failures = harness.Failures("probe_abuse")
    started = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="vitals-probe-abuse-")
    a, b = Server(), Server()
    try:
        for scene in (scene_allowed, scene_loop, scene_headers, scene_timeout):
            print("== " + scene.__name__)
            try:
                scene(failures, args.exporter, tmp, a, b)
            except (RuntimeError, harness.ExporterError, harness.ParseError, OSError,
                    subprocess.SubprocessError) as e:
                failures.fail("%s: %s: %s" % (scene.__name__, type(e).__name__, e))
    finally:
        a.stop()
        b.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print("probe_abuse: %.1f s" % (time.monotonic() - started))
    failures.exit()


if __name__ == "__main__":
    main()
