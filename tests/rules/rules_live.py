#!/usr/bin/env python3
"""The shipped rules on a real Prometheus scraping a real vitals_exporter.

Starts vitals_exporter (a process group and two ports configured: one listening,
one not) and Prometheus (1 s scrape and evaluation interval, rules/*.yml) on
loopback, then checks that every rule evaluates without error, that each recorded
series the dashboards and alerts use has data, and that Watchdog fires and
VitalsPortDown is pending for the closed port. Standard library only.
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness  # noqa: E402

RECORDED = [
    "instance:node_num_cpu:sum",
    "instance:node_cpu_utilisation:rate5m",
    "instance:node_memory_utilisation:ratio",
    "instance:node_memory_utilisation:avg5m",
    "instance_mountpoint:node_filesystem_used:ratio",
    "instance:node_network_receive_bytes_excluding_lo:rate5m",
    "instance:node_network_transmit_bytes_excluding_lo:rate5m",
    "instance_device:node_network_receive_bytes:rate5m",
    "instance_groupname:namedprocess_namegroup_cpu_cores:rate5m",
    "instance_groupname:namedprocess_namegroup_cpu_utilisation:rate5m",
    "instance_groupname:namedprocess_namegroup_memory_utilisation:ratio",
    "instance_groupname:namedprocess_namegroup_memory_utilisation:avg5m",
    "vitals:threshold:default",
    "instance:vitals_threshold_cpu:effective",
    "instance:vitals_threshold_memory:effective",
    "instance_mountpoint:vitals_threshold_filesystem:effective",
    "instance_groupname:vitals_threshold_process_cpu:effective",
    "instance_groupname:vitals_threshold_process_memory:effective",
    "instance:node_cpu_utilisation:avg36h",
    "instance:node_memory_utilisation:avg36h",
    "instance_mountpoint:node_filesystem_used:avg36h",
    "instance_groupname:namedprocess_namegroup_cpu_utilisation:avg36h",
    "instance_groupname:namedprocess_namegroup_memory_utilisation:avg36h",
    # PSI (this host has /proc/pressure; irq is not published, systemd is off by
    # default: their rules must only evaluate without error)
    "instance:node_pressure_cpu_waiting:rate5m",
    "instance:node_pressure_memory_waiting:rate5m",
    "instance:node_pressure_memory_stalled:rate5m",
    "instance:node_pressure_io_waiting:rate5m",
    "instance:node_pressure_io_stalled:rate5m",
]


def get_json(url):
    with urllib.request.urlopen(url, timeout=5) as r:
        return json.load(r)


def query(base, expr):
    return get_json(base + "/api/v1/query?" + urllib.parse.urlencode({"query": expr}))["data"]["result"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--exporter", required=True)
    parser.add_argument("--repo", required=True)
    parser.add_argument("--prometheus", default=shutil.which("prometheus") or "prometheus")
    args = parser.parse_args()
    repo = os.path.abspath(args.repo)
    failures = harness.Failures("rules_live")

    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen()
    open_port = listening.getsockname()[1]
    closed_port = harness.free_port()

    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "vitals.yml")
        with open(config, "w") as f:
            f.write("processes:\n  groups:\n    - name: python\n      comm: [python3]\n"
                    "ports:\n  - {port: %d, name: open, address: 127.0.0.1}\n"
                    "  - {port: %d, name: closed, address: 127.0.0.1}\n" % (open_port, closed_port))
        exporter = harness.Exporter(args.exporter, ["--config.file=" + config]).start()
        prom = None
        try:
            prom_port = harness.free_port()
            # The 36h-average group runs every 5m in production; here, like the
            # others, at the 1 s global interval (a copy without its interval:).
            recording = os.path.join(tmp, "recording.yml")
            with open(os.path.join(repo, "rules", "recording.yml")) as src, open(recording, "w") as dst:
                dst.writelines(line for line in src if line.strip() != "interval: 5m")
            prom_config = os.path.join(tmp, "prometheus.yml")
            with open(prom_config, "w") as f:
                f.write("global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
                        "rule_files: [%s, %s]\n"
                        "scrape_configs:\n  - job_name: vitals\n    static_configs:\n"
                        "      - targets: ['%s']\n"
                        % (json.dumps(recording),
                           json.dumps(os.path.join(repo, "rules", "alerts.yml")),
                           exporter.addresses[0]))
            log = open(os.path.join(tmp, "prometheus.log"), "w")
            prom = subprocess.Popen(
                [args.prometheus, "--config.file=" + prom_config,
                 "--storage.tsdb.path=" + os.path.join(tmp, "data"),
                 "--web.listen-address=127.0.0.1:%d" % prom_port],
                stdout=log, stderr=subprocess.STDOUT)
            base = "http://127.0.0.1:%d" % prom_port

            deadline = time.monotonic() + 60
            missing = RECORDED
            while time.monotonic() < deadline:
                try:
                    missing = [m for m in RECORDED if not query(base, m)]
                except OSError:
                    pass
                if not missing:
                    break
                if prom.poll() is not None:
                    break
                time.sleep(1)
            failures.check(prom.poll() is None, "prometheus exited: " + open(log.name).read()[-2000:])
            failures.check(not missing, "recorded series without data: %s" % missing)

            for group in get_json(base + "/api/v1/rules")["data"]["groups"]:
                for rule in group["rules"]:
                    name = rule.get("name")
                    failures.check(rule.get("health") == "ok",
                                   "rule %s in %s: health %s %s" % (name, group["name"], rule.get("health"),
                                                                   rule.get("lastError", "")))
            alerts = get_json(base + "/api/v1/alerts")["data"]["alerts"]
            states = {(a["labels"]["alertname"], a["labels"].get("name", "")): a["state"] for a in alerts}
            failures.check(states.get(("Watchdog", "")) == "firing", "Watchdog not firing: %s" % states)
            failures.check(states.get(("VitalsPortDown", "closed")) == "pending",
                           "VitalsPortDown not pending for the closed port: %s" % states)
            failures.check(("VitalsPortDown", "open") not in states,
                           "VitalsPortDown for the listening port: %s" % states)
        finally:
            if prom is not None:
                prom.terminate()
                try:
                    prom.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    prom.kill()
            exporter.stop()
            listening.close()
    return failures.exit()


if __name__ == "__main__":
    sys.exit(main())
