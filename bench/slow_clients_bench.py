#!/usr/bin/env python3
"""How long Prometheus waits for its scrape while the exporter is under pressure.

Starts each exporter binary given (e.g. before and after a change) on the fixture tree
with one probe target on loopback that answers after 2 s (so one scrape takes 2 s),
and measures, for one "Prometheus" GET /metrics per second with
X-Prometheus-Scrape-Timeout-Seconds: 10:
  * slowloris: 0, 300 and 600 connections sending one header byte per second and
    reconnecting when dropped (tests/e2e/slow_clients.py's clients);
  * crowd: 10 other clients scraping /metrics in a loop at the same time.
Prints one table row per binary and scenario: median and worst latency, failures.

  bench/slow_clients_bench.py --repo . build-rel/vitals_exporter [/path/to/old/vitals_exporter]

Python 3 standard library only. Not a test: figures for docs/performance.md.
"""

import argparse
import http.server
import os
import resource
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.request

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e"))
import harness  # noqa: E402
import slow_clients  # noqa: E402

ROUNDS_S = 15
SLOW_TARGET_S = 2.0


class SlowHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        time.sleep(SLOW_TARGET_S)
        body = b"ok\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass  # The exporter stopped mid-probe (end of a scenario).

    def log_message(self, *args):
        pass


def start_slow_target():
    server = http.server.ThreadingHTTPServer((harness.LOOPBACK, 0), SlowHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def prometheus_scrape(port):
    request = urllib.request.Request(
        "http://%s:%d/metrics" % (harness.LOOPBACK, port),
        headers={"X-Prometheus-Scrape-Timeout-Seconds": "10"})
    start = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            ok = response.status == 200 and b"\nprobe_success{" in response.read()
    except OSError:
        ok = False
    return ok, time.monotonic() - start


class Crowd:
    """`count` clients scraping /metrics back to back until stop()."""

    def __init__(self, port, count):
        self.port, self.stopping = port, threading.Event()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(count)]

    def _run(self):
        while not self.stopping.is_set():
            prometheus_scrape(self.port)

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            t.join(timeout=35)


class Slowloris(slow_clients.SlowClients):
    """The test's slow clients, but a connection the server does not accept in time
    (its backlog full) is retried on the next round instead of failing the start."""

    def _connect(self, i):
        try:
            super()._connect(i)
        except OSError:
            self.socks[i] = socket.socket()  # Not connected: the next send fails, reconnects.


def measure(port, pressure):
    latencies, failures = [], 0
    start = time.monotonic()
    while time.monotonic() - start < ROUNDS_S:
        ok, elapsed = prometheus_scrape(port)
        latencies.append(elapsed)
        failures += not ok
        time.sleep(max(0.0, 1.0 - elapsed))
    pressure.stop()
    return statistics.median(latencies), max(latencies), failures, len(latencies)


class Nothing:
    def stop(self):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", default=".")
    parser.add_argument("binaries", nargs="+")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    target = start_slow_target()
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "vitals.yml")
        with open(config, "w", encoding="utf-8") as f:
            f.write("probes:\n  modules:\n    slow: {prober: http, timeout: 5s}\n"
                    "  targets:\n    - {target: 'http://%s:%d/', module: slow}\n"
                    % (harness.LOOPBACK, target.server_address[1]))
        print("| binary | pressure | Prometheus scrapes | median | worst | failed |")
        print("|---|---|---|---|---|---|")
        for binary in args.binaries:
            for name, make in (
                    ("none", lambda port: Nothing()),
                    ("300 slowloris", lambda port: Slowloris(port, 300).start()),
                    ("600 slowloris", lambda port: Slowloris(port, 600).start()),
                    ("10 concurrent scrapers", lambda port: Crowd(port, 10).start())):
                exporter = harness.Exporter(
                    binary, harness.fixture_args(args.repo) + ["--config.file", config]).start()
                try:
                    port = exporter.ports[0]
                    prometheus_scrape(port)  # Warm.
                    median, worst, failed, count = measure(port, make(port))
                finally:
                    exporter.stop()
                print("| %s | %s | %d | %.2f s | %.2f s | %d |"
                      % (binary, name, count, median, worst, failed), flush=True)
    target.shutdown()


if __name__ == "__main__":
    main()
