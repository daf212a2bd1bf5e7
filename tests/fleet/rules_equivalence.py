#!/usr/bin/env python3
"""The shipped rules give the same answers on Prometheus 2.42 and on vmalert
against VictoriaMetrics, from the same samples.

A real vitals_exporter (a process group, an open and a closed port, thresholds set
so low that the CPU, memory, filesystem and process alerts are active) is scraped
once; a replay target serves that exposition with every counter growing at a fixed
rate and every gauge still, so no value sits near a threshold by chance and a trend
(predict_linear) is exactly flat: live data made the engines disagree on noise, not
on rules. One Prometheus scrapes the replay every second. Prometheus evaluates rules/*.yml itself and
remote-writes the raw samples (not its recorded series or ALERTS) to
VictoriaMetrics, where vmalert evaluates the same files. So both engines see the
very same samples. After both have run for a while:

1. the active alerts (name, labels, pending or firing) are the same on both (a
   difference counts when it shows in each of 4 comparisons 4 s apart),
   and there are enough of them to mean something (the thresholds make at least
   CPU, memory, filesystem, process memory, port and Watchdog alerts active);
2. every recorded series of recording.yml exists on both with the same label
   sets, and the constant ones (threshold defaults and effective thresholds)
   have the same values.

The 36 h group runs at 1 s here like the others (its `interval: 5m` removed), as
in rules_live, and every range selector is 20 s, so that the run fills it. Python 3 standard library only; every wait is bounded.
"""
import http.server
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness  # noqa: E402

RUN_S = 45
RANGE = "20s"  # every range selector of the rules, in this test (see short_windows)
ROUNDS = 4
ROUND_GAP_S = 4
# Labels that only say which engine or group produced an alert.
ENGINE_LABELS = {"alertgroup"}
# Alerts the thresholds below must make active on both engines.
EXPECTED = {"VitalsCpuHigh", "VitalsMemoryHigh", "VitalsFilesystemHigh", "VitalsProcessMemoryHigh",
            "VitalsPortDown", "Watchdog"}

EXPORTER_CONFIG = """processes:
  groups:
    - name: python
      comm: [python3]
ports:
  - {port: %d, name: open, address: 127.0.0.1}
  - {port: %d, name: closed, address: 127.0.0.1}
thresholds:
  cpu: {amber: 0.000001, red: 0.000002}
  memory: {amber: 0.01, red: 0.02}
  filesystem: {amber: 0.000001, red: 0.000002}
  process_memory: {amber: 0.0000001, red: 0.0000002}
"""


class Sink(http.server.ThreadingHTTPServer):
    """vmalert must notify somewhere: a receiver that accepts and drops."""

    def __init__(self):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__((harness.LOOPBACK, 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


class Replay:
    """Serves a captured exposition; counters grow linearly from the start (CPU time:
    idle at half the wall clock, every other mode at a twentieth; every other counter
    one unit a second), gauges keep their captured value."""

    def __init__(self, text):
        counters = set(re.findall(r"^# TYPE (\S+) counter$", text, re.M))
        self.lines = []  # (sample name and labels, value, units per second)
        for line in text.splitlines():
            if not line or line.startswith("#"):
                continue
            key, value = line.rsplit(" ", 1)
            name = re.match(r"[^{ ]+", key).group(0)
            rate = 0.0
            if name in counters:
                rate = 1.0
                if name == "node_cpu_seconds_total":
                    rate = 0.5 if 'mode="idle"' in key else 0.05
            self.lines.append((key, float(value), rate))
        self.start = time.time()
        self.server = harness.TextServer(lambda _: self.text())

    def text(self):
        elapsed = time.time() - self.start
        return "".join("%s %r\n" % (key, value + rate * elapsed)
                       for key, value, rate in self.lines)


def short_windows(line):
    """Every range ([5m], [6h], [36h], ...) shortened to RANGE, which the run fills.
    The engines differ on a series younger than its range: Prometheus's rate divides
    the increase by the whole range (20 s of samples in [5m] give a twentieth of the
    real rate), MetricsQL's by the time the samples span. That is how each engine
    is documented to behave (docs/fleet.md), not a difference in the rules."""
    return re.sub(r"\[\d+[smhd]\]", "[%s]" % RANGE, line)


def get_json(url, params=None):
    if params:
        url += "?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def record_names(path):
    return sorted(set(re.findall(r"^\s+- record: (\S+)", open(path).read(), re.M)))


def alerts(url):
    """{(alertname, labels): state} of an engine's /api/v1/alerts."""
    found = {}
    for alert in get_json(url + "/api/v1/alerts")["data"]["alerts"]:
        labels = {k: v for k, v in alert["labels"].items() if k not in ENGINE_LABELS}
        key = (labels.pop("alertname"), tuple(sorted(labels.items())))
        found[key] = alert["state"]
    return found


def series(url, name):
    """{labels: value} of an instant query for `name`."""
    result = get_json(url + "/api/v1/query", {"query": name})["data"]["result"]
    return {tuple(sorted((k, v) for k, v in r["metric"].items() if k != "__name__")):
            float(r["value"][1]) for r in result}


def start(command, log_path):
    log = open(log_path, "w")
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)


def wait_ready(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except OSError:
            time.sleep(0.5)
    return False


def alert_differences(prometheus, vmalert):
    """What one comparison of the active alerts finds different, and the alert names."""
    on_prometheus, on_vmalert = alerts(prometheus), alerts(vmalert)
    found = ["active on Prometheus only: %s" % (key,)
             for key in set(on_prometheus) - set(on_vmalert)]
    found += ["active on vmalert only: %s" % (key,) for key in set(on_vmalert) - set(on_prometheus)]
    found += ["%s: %s on Prometheus, %s on vmalert" % (key, on_prometheus[key], on_vmalert[key])
              for key in set(on_prometheus) & set(on_vmalert)
              if on_prometheus[key] != on_vmalert[key]]
    return set(found), {name for name, _ in on_prometheus}, len(set(on_prometheus) & set(on_vmalert))


def recorded_differences(repo, prometheus, vm):
    """What one comparison of the recorded series finds different, and how many had data."""
    found, compared = set(), 0
    for name in record_names(os.path.join(repo, "rules", "recording.yml")):
        on_prometheus, on_vm = series(prometheus, name), series(vm, name)
        if not on_prometheus and not on_vm:
            continue  # no input here (GPU, probes): nothing to compare
        compared += 1
        if set(on_prometheus) != set(on_vm):
            found.add("%s: label sets differ: Prometheus only %s, VictoriaMetrics only %s" % (
                name, sorted(set(on_prometheus) - set(on_vm)), sorted(set(on_vm) - set(on_prometheus))))
        if "threshold" in name:  # constants: the same value on both
            found.update("%s%s: %g on Prometheus, %g on VictoriaMetrics" % (
                name, labels, on_prometheus[labels], on_vm[labels])
                for labels in set(on_prometheus) & set(on_vm)
                if abs(on_prometheus[labels] - on_vm[labels]) >= 1e-9)
    return found, compared


def compare(failures, repo, prometheus, vmalert, vm):
    """A difference counts when every round shows it: the engines evaluate a few
    hundred milliseconds apart, so a value near a threshold (the host's own PSI on a
    busy machine, say) can be on either side in one round; a real difference in how
    they read a rule stays."""
    alert_rounds, recorded_rounds = [], []
    for round_number in range(ROUNDS):
        if round_number:
            time.sleep(ROUND_GAP_S)
        differences, names, both = alert_differences(prometheus, vmalert)
        alert_rounds.append(differences)
        differences, compared = recorded_differences(repo, prometheus, vm)
        recorded_rounds.append(differences)
    failures.check(EXPECTED <= names, "Prometheus: alerts %s not active (have %s): the "
                   "test's thresholds no longer trigger them" % (EXPECTED - names, sorted(names)))
    for difference in sorted(set.intersection(*alert_rounds) | set.intersection(*recorded_rounds)):
        failures.fail(difference)
    for difference in sorted(set.union(*alert_rounds, *recorded_rounds) -
                             set.intersection(*alert_rounds) - set.intersection(*recorded_rounds)):
        print("not in every round (ignored): " + difference)
    failures.check(compared >= 15, "only %d recorded series had data" % compared)
    print("alerts active on both: %d (%s); recorded series compared: %d" % (
        both, ", ".join(sorted(names)), compared))


def main():
    args = harness.common_argparser(__doc__).parse_args()
    repo = os.path.abspath(args.repo)
    failures = harness.Failures("rules_equivalence")
    listening = socket.socket()
    listening.bind((harness.LOOPBACK, 0))
    listening.listen()
    sink = Sink()
    processes = []
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "vitals.yml")
        with open(config, "w") as f:
            f.write(EXPORTER_CONFIG % (listening.getsockname()[1], harness.free_port()))
        with harness.Exporter(args.exporter, ["--config.file=" + config]) as exporter:
            exporter.scrape()  # the first scrape primes rates
            replay = Replay(exporter.scrape())
        try:
            rules = os.path.join(tmp, "rules")
            os.makedirs(rules)
            for name in ("recording.yml", "alerts.yml"):
                with open(os.path.join(repo, "rules", name)) as src, \
                        open(os.path.join(rules, name), "w") as dst:
                    dst.writelines(short_windows(line) for line in src
                                   if line.strip() != "interval: 5m")
            vm_port, prom_port, vmalert_port = (harness.free_port() for _ in range(3))
            vm = "http://127.0.0.1:%d" % vm_port
            prometheus = "http://127.0.0.1:%d" % prom_port
            vmalert = "http://127.0.0.1:%d" % vmalert_port
            processes.append(start(
                ["victoria-metrics", "-httpListenAddr=127.0.0.1:%d" % vm_port,
                 "-storageDataPath=" + os.path.join(tmp, "vm"), "-search.latencyOffset=0s"],
                os.path.join(tmp, "vm.log")))
            prom_config = os.path.join(tmp, "prometheus.yml")
            with open(prom_config, "w") as f:
                f.write("global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
                        "rule_files: [%s]\n"
                        "remote_write:\n  - url: %s/api/v1/write\n"
                        "    queue_config: {batch_send_deadline: 1s}\n"
                        "    write_relabel_configs:\n"
                        "      - {source_labels: [__name__], regex: '.*:.*|ALERTS.*',"
                        " action: drop}\n"
                        "scrape_configs:\n  - job_name: vitals\n    static_configs:\n"
                        "      - targets: ['%s']\n"
                        % (json.dumps(os.path.join(rules, "*.yml")), vm,
                           "127.0.0.1:%d" % replay.server.port))
            processes.append(start(
                ["prometheus", "--config.file=" + prom_config,
                 "--storage.tsdb.path=" + os.path.join(tmp, "prometheus"),
                 "--web.listen-address=127.0.0.1:%d" % prom_port],
                os.path.join(tmp, "prometheus.log")))
            processes.append(start(
                ["vmalert", "-httpListenAddr=127.0.0.1:%d" % vmalert_port,
                 "-rule=" + os.path.join(rules, "*.yml"), "-datasource.url=" + vm,
                 "-remoteWrite.url=" + vm, "-remoteRead.url=" + vm, "-evaluationInterval=1s",
                 "-datasource.queryStep=5m",
                 "-notifier.url=http://127.0.0.1:%d" % sink.server_address[1]],
                os.path.join(tmp, "vmalert.log")))
            ready = all(wait_ready(u) for u in (vm + "/health", prometheus + "/-/ready",
                                                vmalert + "/health"))
            if failures.check(ready, "an engine never got ready"):
                time.sleep(RUN_S)
                for process, name in zip(processes, ("victoria-metrics", "prometheus", "vmalert")):
                    failures.check(process.poll() is None, "%s exited: %s" % (
                        name, open(os.path.join(tmp, "%s.log" % {
                            "victoria-metrics": "vm"}.get(name, name))).read()[-1500:]))
                compare(failures, repo, prometheus, vmalert, vm)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    process.kill()
            replay.server.stop()
    failures.exit()


if __name__ == "__main__":
    main()
