#!/usr/bin/env python3
"""The "Hardware Misc" panels of the community dashboard "Node Exporter Full" on a
real Prometheus scraping vitals and node_exporter 1.5 on the same fixture tree.

This machine has no sensors, fans, power supplies or cooling devices, so
tests/fixtures/sys (hwmon chips built from the kernel's hwmon sysfs-interface
documentation, prometheus/procfs's thermal and power_supply fixtures; origins in
tests/fixtures/README.md) stands in for the hardware. Both exporters read it with only
the hwmon, thermal_zone and powersupplyclass collectors on; one Prometheus scrapes
both (jobs "vitals" and "node", 1 s). Each query of HARDWARE_MISC, with the
dashboard's $job and $node variables set to one job's target, must return data on
vitals, and exactly the series node_exporter's job returns: the same label sets
(instance and job aside) and the same values (relative 1e-12: vitals prints 16
significant digits, node_exporter 17, so a scaled reading can be 1 ulp apart).

The dashboard is not in Debian and cannot be fetched here: the queries below are
written after its "Hardware Misc" row (temperatures joined to chip names, cooling
devices, power supply online) plus the fan speeds the same join gives (not a panel of
that row, but the issue asks for fans). Python 3 standard library only; every wait is
bounded.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness  # noqa: E402
import node_exporter_common as common  # noqa: E402

CHIP_JOIN = ' * on(chip) group_left(chip_name) node_hwmon_chip_names{instance="$node",job="$job"}'
SELECTOR = '{instance="$node",job="$job"}'
HARDWARE_MISC = {
    "temperature": "node_hwmon_temp_celsius" + SELECTOR + CHIP_JOIN,
    "temperature critical alarm": "node_hwmon_temp_crit_alarm_celsius" + SELECTOR + CHIP_JOIN,
    "temperature critical": "node_hwmon_temp_crit_celsius" + SELECTOR + CHIP_JOIN,
    "temperature critical hysteresis": "node_hwmon_temp_crit_hyst_celsius" + SELECTOR + CHIP_JOIN,
    "temperature max": "node_hwmon_temp_max_celsius" + SELECTOR + CHIP_JOIN,
    "cooling device current state": "node_cooling_device_cur_state" + SELECTOR,
    "cooling device max state": "node_cooling_device_max_state" + SELECTOR,
    "power supply online": "node_power_supply_online" + SELECTOR,
    "fan speed": "node_hwmon_fan_rpm" + SELECTOR + CHIP_JOIN,
}
COLLECTORS = ("hwmon", "thermal_zone", "powersupplyclass")
DATA_DEADLINE_S = 60
RELATIVE = 1e-12


def query(base, expr):
    url = base + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    response = harness.http_request(url, timeout=10)
    if response.status != 200:
        raise RuntimeError("%s: HTTP %d %s" % (expr, response.status, response.body[:300]))
    body = json.loads(response.body)
    return {frozenset((k, v) for k, v in r["metric"].items() if k not in ("instance", "job")):
            float(r["value"][1]) for r in body["data"]["result"]}


def substitute(expr, job, instance):
    return expr.replace("$job", job).replace("$node", instance)


def same_value(a, b):
    return a == b or (math.isnan(a) and math.isnan(b)) or \
        abs(a - b) <= RELATIVE * max(abs(a), abs(b))


def differences(vitals, node):
    out = []
    for labels in sorted(set(vitals) | set(node), key=sorted):
        a, b = vitals.get(labels), node.get(labels)
        if a is None or b is None or not same_value(a, b):
            out.append("%s: vitals %s, node_exporter %s" % (dict(sorted(labels)), a, b))
    return out


def write_prometheus_config(tmp, targets):
    path = os.path.join(tmp, "prometheus.yml")
    with open(path, "w") as f:
        f.write("global: {scrape_interval: 1s}\nscrape_configs:\n")
        for job, target in targets.items():
            f.write("  - job_name: %s\n    static_configs: [{targets: ['%s']}]\n" % (job, target))
    return path


def wait_for_data(base, targets, deadline):
    """Both jobs' first scrape landed (`up` 1), or the deadline passed."""
    while time.monotonic() < deadline:
        if query(base, "count(up == 1)").get(frozenset()) == len(targets):
            return True
        time.sleep(0.5)
    return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exporter", required=True)
    parser.add_argument("--repo", required=True)
    parser.add_argument("--node-exporter", default="prometheus-node-exporter")
    parser.add_argument("--prometheus", default="prometheus")
    args = parser.parse_args()
    repo = os.path.abspath(args.repo)
    failures = harness.Failures("dashboards_hardware_fixture")
    fixtures = os.path.join(repo, "tests", "fixtures")
    switches = ["--collector.disable-defaults"] + ["--collector." + c for c in COLLECTORS]
    vitals = node = prom = None
    with tempfile.TemporaryDirectory() as tmp:
        try:
            vitals = harness.Exporter(args.exporter, harness.fixture_args(repo) + switches).start()
            node = common.NodeExporter(args.node_exporter, switches + [
                "--path.procfs=" + os.path.join(fixtures, "proc"),
                "--path.sysfs=" + os.path.join(fixtures, "sys"),
                "--path.rootfs=" + os.path.join(fixtures, "rootfs"),
                "--web.disable-exporter-metrics"]).start()
            targets = {"vitals": vitals.addresses[0], "node": "%s:%d" % (harness.LOOPBACK, node.port)}
            port = harness.free_port()
            base = "http://%s:%d" % (harness.LOOPBACK, port)
            log = open(os.path.join(tmp, "prometheus.log"), "w")
            prom = subprocess.Popen(
                [args.prometheus, "--config.file=" + write_prometheus_config(tmp, targets),
                 "--storage.tsdb.path=" + os.path.join(tmp, "data"),
                 "--web.listen-address=%s:%d" % (harness.LOOPBACK, port)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
            if not failures.check(harness.wait_http_ok(base + "/-/ready", 30, prom),
                                  "prometheus not ready: " + open(log.name).read()[-2000:]):
                return failures.exit()
            deadline = time.monotonic() + DATA_DEADLINE_S
            if not failures.check(wait_for_data(base, targets, deadline),
                                  "both targets not up within %d s" % DATA_DEADLINE_S):
                return failures.exit()
            for title, expr in HARDWARE_MISC.items():
                on_vitals = query(base, substitute(expr, "vitals", targets["vitals"]))
                on_node = query(base, substitute(expr, "node", targets["node"]))
                failures.check(on_vitals, "%s: no data on vitals: %s" % (title, expr))
                failures.check(on_node, "%s: no data on node_exporter (the fixture lost "
                               "its hardware?): %s" % (title, expr))
                for line in differences(on_vitals, on_node):
                    failures.fail("%s: %s" % (title, line))
                print("%-32s %3d series on vitals, %3d on node_exporter" %
                      (title, len(on_vitals), len(on_node)))
        finally:
            if prom is not None and prom.poll() is None:
                prom.terminate()
                try:
                    prom.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    prom.kill()
                    prom.wait(timeout=10)
            if node is not None:
                node.stop()
            if vitals is not None:
                vitals.stop()
    return failures.exit()


if __name__ == "__main__":
    sys.exit(main())
