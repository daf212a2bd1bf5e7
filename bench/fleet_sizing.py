#!/usr/bin/env python3
"""Sizing figures for docs/fleet.md: series per host, and what Prometheus and
VictoriaMetrics spend per host, measured here and extrapolated.

  bench/fleet_sizing.py --exporter build/vitals_exporter [--hosts 200] [--minutes 5]

1. Series per host: the real exporter's /metrics with its defaults, with 50
   process groups, with 20 HTTP probes (to a local server), counted.
2. A simulated fleet: `--hosts` scrape targets on 127.0.0.1, each serving a copy of
   the exporter's real default exposition (its own `instance` label through
   file_sd; counters grow at a per-series rate, gauges wander, so compression is
   not flattered), scraped by one Prometheus 2.42 every 15 s that remote-writes
   everything to VictoriaMetrics 1.79. After `--minutes`: CPU seconds and RSS of
   both, Prometheus's bytes per sample in its head and WAL, VictoriaMetrics's
   bytes per sample on disk after a forced merge.
3. On-disk bytes per sample after compaction: 2 h of the same simulated data for
   a few hosts, written as OpenMetrics and turned into a TSDB block by
   `promtool tsdb create-blocks-from openmetrics` (Prometheus's own block format).

Prints a Markdown table; one run, a noisy 2-core VM: figures, not promises.
Python 3 standard library only (plus the Debian packages install-deps.sh fleet
installs, and promtool).
"""
import argparse
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
import harness  # noqa: E402

SCRAPE_S = 15
SAMPLE_LINE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{.*\})?) (\S+)$")


def exposition(exporter, config_text=None):
    with tempfile.TemporaryDirectory() as tmp:
        args = []
        if config_text:
            path = os.path.join(tmp, "vitals.yml")
            with open(path, "w") as f:
                f.write(config_text)
            args.append("--config.file=" + path)
        with harness.Exporter(exporter, args).start() as running:
            running.get("/metrics")  # the first scrape primes rates and caches
            return running.get("/metrics").text()


def count_series(text):
    return sum(1 for line in text.splitlines() if line and not line.startswith("#"))


def series_per_host(exporter):
    site = harness.TextServer(lambda _: "ok", content_type="text/plain")
    groups = "processes:\n  groups:\n" + "".join(
        "    - name: group%d\n      comm: [%s]\n" % (i, "python3" if i == 0 else "nomatch%d" % i)
        for i in range(50))
    probes = ("probes:\n  modules:\n    http_2xx: {prober: http, timeout: 2s}\n  targets:\n" +
              "".join("    - {target: \"http://127.0.0.1:%d/%d\", module: http_2xx}\n"
                      % (site.port, i) for i in range(20)))
    counts = {"defaults": count_series(exposition(exporter)),
              "defaults + 50 process groups": count_series(exposition(exporter, groups)),
              "defaults + 20 probes": count_series(exposition(exporter, probes))}
    site.stop()
    return counts


class Series:
    """One sample line of the template, made to move like a real one: counters grow
    by whole units at their own rate; most gauges hold still (sizes, limits, info),
    the others drift smoothly (memory, temperatures, queue lengths)."""

    def __init__(self, name_and_labels, value, is_counter, rng):
        self.key = name_and_labels
        self.base = value
        self.counter = is_counter
        self.rate = rng.lognormvariate(0, 3) if is_counter else 0.0
        self.still = not is_counter and rng.random() < 0.6
        self.scale = abs(value) * 0.02 + 1.0
        self.phase = rng.uniform(0, 6.3)

    def value(self, t):
        if self.counter:
            return self.base + int(self.rate * t)
        if self.still:
            return self.base
        return self.base + round(self.scale * math.sin(t / 600.0 + self.phase))


def template(text):
    counters = set(re.findall(r"^# TYPE (\S+) counter$", text, re.M))
    rng = random.Random(1)
    found = []
    for line in text.splitlines():
        match = SAMPLE_LINE.match(line)
        if not match or line.startswith("#"):
            continue
        name = re.match(r"[^{ ]+", line).group(0)
        try:
            value = float(match.group(2))
        except ValueError:
            continue
        found.append(Series(match.group(1), value if value == value else 0.0,
                            name in counters or name.endswith("_total"), rng))
    return found


def fleet_targets(series):
    """Every simulated host on one port: /host/N/metrics."""
    def body(path):
        t = time.time() + int(path.split("/")[2]) * 97
        return "".join("%s %.15g\n" % (s.key, s.value(t)) for s in series)
    return harness.TextServer(body)


def cpu_seconds_and_rss(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    with open("/proc/%d/status" % pid) as f:
        rss = int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) * 1024
    return cpu, rss


def metric(url, name, labels=""):
    text = urllib.request.urlopen(url + "/metrics", timeout=10).read().decode()
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name) and (line[len(name)] in " {") and labels in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


def dir_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path)
               for f in files)


def wait_ready(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return True
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("not ready: " + url)


def live_fleet(series, hosts, minutes, tmp):
    targets = fleet_targets(series)
    port = targets.port
    os.makedirs(os.path.join(tmp, "targets"))
    with open(os.path.join(tmp, "targets", "fleet.json"), "w") as f:
        json.dump([{"targets": ["127.0.0.1:%d" % port],
                    "labels": {"instance": "host-%04d" % i, "__metrics_path__": "/host/%d/metrics" % i}}
                   for i in range(hosts)], f)
    vm_port, prom_port = harness.free_port(), harness.free_port()
    vm_url, prom_url = "http://127.0.0.1:%d" % vm_port, "http://127.0.0.1:%d" % prom_port
    vm = subprocess.Popen(["victoria-metrics", "-httpListenAddr=127.0.0.1:%d" % vm_port,
                           "-storageDataPath=" + os.path.join(tmp, "vm"),
                           "-dedup.minScrapeInterval=%ds" % SCRAPE_S],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(os.path.join(tmp, "prometheus.yml"), "w") as f:
        f.write("global: {scrape_interval: %ds, scrape_timeout: 10s}\n"
                "remote_write:\n  - url: %s/api/v1/write\n"
                "scrape_configs:\n  - job_name: vitals\n    file_sd_configs:\n"
                "      - files: [%s]\n" % (SCRAPE_S, vm_url,
                                            json.dumps(os.path.join(tmp, "targets", "*.json"))))
    prom = subprocess.Popen(["prometheus", "--config.file=" + os.path.join(tmp, "prometheus.yml"),
                             "--storage.tsdb.path=" + os.path.join(tmp, "prom"),
                             "--web.listen-address=127.0.0.1:%d" % prom_port],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(vm_url + "/health")
        wait_ready(prom_url + "/-/ready")
        start = {p.pid: cpu_seconds_and_rss(p.pid)[0] for p in (prom, vm)}
        began = time.monotonic()
        time.sleep(minutes * 60)
        elapsed = time.monotonic() - began
        usage = {p.pid: cpu_seconds_and_rss(p.pid) for p in (prom, vm)}
        appended = metric(prom_url, "prometheus_tsdb_head_samples_appended_total")
        head_series = metric(prom_url, "prometheus_tsdb_head_series")
        urllib.request.urlopen(vm_url + "/internal/force_flush", timeout=60).close()
        urllib.request.urlopen(vm_url + "/internal/force_merge", timeout=60).close()
        time.sleep(10)
        vm_rows = metric(vm_url, "vm_rows", 'type="storage/')
        vm_bytes = metric(vm_url, "vm_data_size_bytes", 'type="storage/')
        return {
            "hosts": hosts, "minutes": minutes, "elapsed_s": elapsed,
            "series": head_series, "appended": appended,
            "prometheus_cpu_s": usage[prom.pid][0] - start[prom.pid],
            "prometheus_rss": usage[prom.pid][1],
            "prometheus_disk": dir_bytes(os.path.join(tmp, "prom")),
            "vm_cpu_s": usage[vm.pid][0] - start[vm.pid], "vm_rss": usage[vm.pid][1],
            "vm_rows": vm_rows, "vm_bytes": vm_bytes,
        }
    finally:
        for process in (prom, vm):
            process.terminate()
            process.wait(30)
        targets.stop()


def block_bytes_per_sample(series, hosts, tmp):
    """2 h of `hosts` simulated hosts at 15 s through promtool into one TSDB block."""
    path = os.path.join(tmp, "fleet.om")
    end = int(time.time()) // 7200 * 7200 - 7200
    start = end - 7200
    with open(path, "w") as f:
        # OpenMetrics wants each series' samples together, in time order.
        for host in range(hosts):
            for s in series:
                key = s.key
                label = 'instance="host-%04d"' % host
                key = key[:-1] + "," + label + "}" if key.endswith("}") else key + "{" + label + "}"
                if "_bucket{" in key or key.startswith(("# ",)):
                    continue
                for t in range(start, end, SCRAPE_S):
                    f.write("%s %.15g %d\n" % (key, s.value(t + host * 97), t))
        f.write("# EOF\n")
    out = os.path.join(tmp, "blocks")
    subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics", path, out],
                   check=True, capture_output=True, timeout=1800)
    samples = size = 0
    for block in os.listdir(out):
        meta = os.path.join(out, block, "meta.json")
        if os.path.isfile(meta):
            samples += json.load(open(meta))["stats"]["numSamples"]
            size += dir_bytes(os.path.join(out, block))
    return size / max(samples, 1), samples


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--exporter", required=True)
    parser.add_argument("--hosts", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--block-hosts", type=int, default=4)
    args = parser.parse_args()

    counts = series_per_host(args.exporter)
    print("## Series per host (this VM: %d CPUs)\n" % os.cpu_count())
    print("| exporter configuration | series | samples/s at 15 s |\n|---|---|---|")
    for what, n in counts.items():
        print("| %s | %d | %.1f |" % (what, n, n / SCRAPE_S))

    series = template(exposition(args.exporter))
    with tempfile.TemporaryDirectory() as tmp:
        live = live_fleet(series, args.hosts, args.minutes, tmp)
        per_block, block_samples = block_bytes_per_sample(series, args.block_hosts, tmp)
    mib = 1024 * 1024
    samples_s = live["series"] / SCRAPE_S
    print("\n## Simulated fleet: %d hosts x %d series, scraped every %d s, %.1f min\n" % (
        args.hosts, len(series), SCRAPE_S, live["elapsed_s"] / 60))
    print("| | Prometheus 2.42 | VictoriaMetrics 1.79 |\n|---|---|---|")
    print("| active series | %d | |" % live["series"])
    print("| samples/s ingested | %.0f | %.0f (remote write) |" % (samples_s, samples_s))
    print("| CPU, cores (average) | %.3f | %.3f |" % (live["prometheus_cpu_s"] / live["elapsed_s"],
                                                    live["vm_cpu_s"] / live["elapsed_s"]))
    print("| CPU per 1000 samples/s, cores | %.4f | %.4f |" % (
        live["prometheus_cpu_s"] / live["elapsed_s"] / samples_s * 1000,
        live["vm_cpu_s"] / live["elapsed_s"] / samples_s * 1000))
    print("| RSS | %.0f MiB | %.0f MiB |" % (live["prometheus_rss"] / mib, live["vm_rss"] / mib))
    print("| RSS per active series | %.1f KiB | %.1f KiB |" % (
        live["prometheus_rss"] / live["series"] / 1024, live["vm_rss"] / live["series"] / 1024))
    print("| disk so far (WAL + head / parts) | %.1f MiB | %.1f MiB |" % (
        live["prometheus_disk"] / mib, live["vm_bytes"] / mib))
    print("| bytes per sample on disk | %.2f (2 h block, promtool, %d samples) | %.2f (after "
          "merge, %d rows) |" % (per_block, block_samples,
                                 live["vm_bytes"] / max(live["vm_rows"], 1), live["vm_rows"]))
    json.dump({"counts": counts, "live": live, "block_bytes_per_sample": per_block},
              open(os.environ.get("FLEET_SIZING_JSON", os.devnull), "w"))


if __name__ == "__main__":
    main()
