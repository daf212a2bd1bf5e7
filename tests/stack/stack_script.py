#!/usr/bin/env python3
"""scripts/stack.sh runs the stack without containers, and stops it.

1. `stack.sh --check` (free loopback ports, 1 s intervals, data in a temporary
   directory) exits 0 once ready and leaves nothing listening.
2. `stack.sh` without --check: once it prints its URLs, this test checks on its own
   that Prometheus has the exporter target up, every rule group of rules/*.yml
   loaded and healthy, the Alertmanager discovered, and that Alertmanager is ready;
   then SIGINT (Ctrl-C) must stop the script and the three servers.

Python 3 standard library only; every wait is bounded.
"""
import argparse
import glob
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness  # noqa: E402

READY_TIMEOUT_S = 30


def get_json(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


def listening(port):
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((harness.LOOPBACK, port)) == 0


def wait_closed(ports, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(listening(p) for p in ports):
            return True
        time.sleep(0.2)
    return False


def stack_env(tmp, name):
    ports = {"VITALS_PORT": harness.free_port(), "PROMETHEUS_PORT": harness.free_port(),
             "ALERTMANAGER_PORT": harness.free_port()}
    env = dict(os.environ, STACK_DIR=os.path.join(tmp, name), SCRAPE_INTERVAL="1s",
               EVALUATION_INTERVAL="1s", STACK_TIMEOUT=str(READY_TIMEOUT_S))
    env.update({k: str(v) for k, v in ports.items()})
    return env, ports


def rule_groups(repo):
    groups = set()
    for path in glob.glob(os.path.join(repo, "rules", "*.yml")):
        with open(path) as f:
            groups.update(re.findall(r"^  - name: *(\S+)", f.read(), re.M))
    return groups


def check_mode(failures, script, exporter, tmp):
    env, ports = stack_env(tmp, "check")
    result = subprocess.run([script, "--check", "--no-install", "--exporter", exporter],
                            env=env, capture_output=True, text=True, timeout=READY_TIMEOUT_S + 30)
    failures.check(result.returncode == 0, "stack.sh --check: rc %d\n%s%s"
                   % (result.returncode, result.stdout, result.stderr))
    failures.check("http://127.0.0.1:%d" % ports["PROMETHEUS_PORT"] in result.stdout,
                   "stack.sh --check did not print the Prometheus URL: " + result.stdout)
    failures.check(wait_closed(ports.values(), 10), "stack.sh --check left a server running")
    failures.check(os.path.isdir(os.path.join(env["STACK_DIR"], "prometheus")),
                   "no Prometheus data under STACK_DIR")


def run_mode(failures, script, exporter, repo, tmp):
    env, ports = stack_env(tmp, "run")
    log_path = os.path.join(tmp, "stack.out")
    log = open(log_path, "w")
    proc = subprocess.Popen([script, "--no-install", "--exporter", exporter], env=env,
                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + READY_TIMEOUT_S + 10
        while time.monotonic() < deadline and proc.poll() is None:
            if "Ctrl-C stops" in open(log_path).read():
                break
            time.sleep(0.2)
        output = open(log_path).read()
        if not failures.check(proc.poll() is None and "Ctrl-C stops" in output,
                              "stack.sh did not become ready: " + output[-3000:]):
            return
        prometheus = "http://127.0.0.1:%d" % ports["PROMETHEUS_PORT"]
        targets = get_json(prometheus + "/api/v1/targets")["data"]["activeTargets"]
        exporter_target = "127.0.0.1:%d" % ports["VITALS_PORT"]
        failures.check(any(t["labels"].get("instance") == exporter_target and t["health"] == "up"
                           for t in targets), "exporter target not up: %s" % targets)
        loaded = get_json(prometheus + "/api/v1/rules")["data"]["groups"]
        names = {g["name"] for g in loaded}
        wanted = rule_groups(repo)
        failures.check(wanted and wanted <= names, "rule groups not loaded: %s" % (wanted - names))
        for group in loaded:
            for rule in group["rules"]:
                failures.check(rule.get("health") in ("ok", "unknown"),
                               "rule %s: %s %s" % (rule.get("name"), rule.get("health"),
                                                  rule.get("lastError")))
        managers = get_json(prometheus + "/api/v1/alertmanagers")["data"]["activeAlertmanagers"]
        failures.check(any(":%d/" % ports["ALERTMANAGER_PORT"] in m["url"] for m in managers),
                       "Prometheus did not find the Alertmanager: %s" % managers)
        alertmanager = "http://127.0.0.1:%d" % ports["ALERTMANAGER_PORT"]
        failures.check(harness.http_request(alertmanager + "/-/ready").status == 200,
                       "Alertmanager not ready")
        status = get_json(alertmanager + "/api/v2/status")
        failures.check("route:" in status["config"]["original"], "Alertmanager without its config")
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        try:
            rc = proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = None
    failures.check(rc == 0, "stack.sh after Ctrl-C: rc %s" % rc)
    failures.check(wait_closed(ports.values(), 10), "a server still listens after Ctrl-C")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exporter", required=True)
    parser.add_argument("--repo", required=True)
    args = parser.parse_args()
    repo = os.path.abspath(args.repo)
    script = os.path.join(repo, "scripts", "stack.sh")
    exporter = os.path.abspath(args.exporter)
    failures = harness.Failures("stack_script")
    with tempfile.TemporaryDirectory() as tmp:
        check_mode(failures, script, exporter, tmp)
        run_mode(failures, script, exporter, repo, tmp)
    return failures.exit()


if __name__ == "__main__":
    sys.exit(main())
