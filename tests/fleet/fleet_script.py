#!/usr/bin/env python3
"""`scripts/fleet.sh --check` gets ready in both modes with the shipped rules, and
leaves nothing running.

- ha: both replicas load every group of rules/*.yml healthy, find the three
  Alertmanagers, and remote-write the exporter's `up` to VictoriaMetrics as one
  series (fleet.sh's own readiness check, which this test relies on: exit 0).
- central: Prometheus agents forward, vmalert evaluates rules/*.yml against
  VictoriaMetrics with no rule in error.
Then no port of the fleet is listening any more.

Python 3 standard library only; every wait is bounded.
"""
import os
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness  # noqa: E402
from fleet_faults import free_port_block  # noqa: E402

PORTS = 11


def listening(port):
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((harness.LOOPBACK, port)) == 0


def main():
    args = harness.common_argparser(__doc__).parse_args()
    failures = harness.Failures("fleet_script")
    for mode in ("ha", "central"):
        with tempfile.TemporaryDirectory() as tmp:
            base = free_port_block(PORTS)
            env = dict(os.environ, FLEET_DIR=tmp, FLEET_PORT_BASE=str(base),
                       SCRAPE_INTERVAL="1s", EVALUATION_INTERVAL="1s", FLEET_TIMEOUT="90")
            started = time.monotonic()
            result = subprocess.run(
                [os.path.join(args.repo, "scripts", "fleet.sh"), "--mode", mode, "--check",
                 "--no-install", "--exporter", args.exporter],
                env=env, capture_output=True, text=True, timeout=180)
            print("%s: exit %d in %.0f s" % (mode, result.returncode, time.monotonic() - started))
            failures.check(result.returncode == 0 and "fleet ready" in result.stdout,
                           "fleet.sh --mode %s --check: exit %d\n%s%s" % (
                               mode, result.returncode, result.stdout[-1500:],
                               result.stderr[-3000:]))
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and any(
                    listening(p) for p in range(base, base + PORTS)):
                time.sleep(0.5)
            left = [p for p in range(base, base + PORTS) if listening(p)]
            failures.check(not left, "%s: still listening after --check: %s" % (mode, left))
    failures.exit()


if __name__ == "__main__":
    main()
