#!/usr/bin/env python3
"""Slow clients (slowloris) must not starve Prometheus.

Opens 100 connections to the exporter that send their request headers one byte per
second and never finish them, then checks that a normal GET /metrics still answers
within 2 s while they are connected, several times over more than one header timeout,
and again after they are gone. Also checks that the server drops a connection whose
headers are not complete within the header timeout, and reports the exporter's RSS
before, during and after (ps -o rss).
"""

import os
import socket
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

SLOW_CLIENTS = 100
BOUND_S = 2.0
HOLD_S = 14.0  # Longer than the header timeout, so slots are freed and refilled.
HEADER = b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 4096


def rss_kib(pid):
    out = subprocess.run(["ps", "-o", "rss=", "-p", str(pid)], capture_output=True, text=True)
    return int(out.stdout.strip() or 0)


class SlowClients:
    """Connections that each send one more header byte per second, and reconnect when
    the server drops them (as a slowloris attack does), until stop()."""

    def __init__(self, port, count):
        self.port = port
        self.socks = [None] * count
        self.sent = [0] * count
        self.dropped = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _connect(self, i):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(0.5)
        s.connect((harness.LOOPBACK, self.port))
        s.setblocking(False)
        self.socks[i] = s
        self.sent[i] = 0

    def start(self):
        for i in range(len(self.socks)):
            self._connect(i)
        self.thread.start()
        return self

    def _run(self):
        while not self.stopping.wait(1.0):
            for i, s in enumerate(self.socks):
                try:
                    s.send(HEADER[self.sent[i]:self.sent[i] + 1])
                    self.sent[i] += 1
                except OSError:  # The server closed it: count and come back.
                    self.dropped += 1
                    s.close()
                    try:
                        self._connect(i)
                    except OSError:
                        pass

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=5)
        for s in self.socks:
            s.close()


def timed_get(exporter):
    start = time.monotonic()
    try:
        response = exporter.get("/metrics", timeout=10.0)
        status = response.status
        ok = status == 200 and b"node_load1 " in response.body
    except OSError as e:
        status, ok = repr(e), False
    return ok, status, time.monotonic() - start


def main():
    args = harness.common_argparser(__doc__).parse_args()
    f = harness.Failures("slow_clients")
    exporter = harness.Exporter(args.exporter, harness.fixture_args(args.repo)).start()
    try:
        ok, status, elapsed = timed_get(exporter)
        f.check(ok and elapsed < BOUND_S, "GET /metrics before: %s in %.2f s" % (status, elapsed))
        rss_before = rss_kib(exporter.proc.pid)

        print("== %d slow clients, one header byte per second, for %.0f s"
              % (SLOW_CLIENTS, HOLD_S))
        slow = SlowClients(exporter.ports[0], SLOW_CLIENTS).start()
        worst = 0.0
        start = time.monotonic()
        rss_during = 0
        while time.monotonic() - start < HOLD_S:
            time.sleep(1.0)
            ok, status, elapsed = timed_get(exporter)
            worst = max(worst, elapsed)
            at = time.monotonic() - start
            f.check(ok and elapsed < BOUND_S,
                    "GET /metrics at %.1f s with slow clients: %s in %.2f s (bound %.1f s)"
                    % (at, status, elapsed, BOUND_S))
            rss_during = max(rss_during, rss_kib(exporter.proc.pid))
        dropped = slow.dropped
        slow.stop()
        print("worst GET /metrics while connected: %.2f s; slow connections dropped by the "
              "server: %d" % (worst, dropped))
        # Every slow connection outlives the header timeout, so the server must have
        # dropped each at least once.
        f.check(dropped >= SLOW_CLIENTS,
                "the server dropped only %d of %d never-ending requests within %.0f s"
                % (dropped, SLOW_CLIENTS, HOLD_S))

        time.sleep(0.5)
        ok, status, elapsed = timed_get(exporter)
        f.check(ok and elapsed < BOUND_S, "GET /metrics after: %s in %.2f s" % (status, elapsed))
        rss_after = rss_kib(exporter.proc.pid)
        print("RSS (KiB): before %d, max during %d, after %d" % (rss_before, rss_during,
                                                                rss_after))
    finally:
        exporter.stop()
    f.exit()


if __name__ == "__main__":
    main()
