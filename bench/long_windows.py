#!/usr/bin/env python3
"""Evaluation cost of the 36-hour means (group vitals-long-window.rules), before and
after they average a 5-minute step series instead of the ratio itself.

  bench/long_windows.py [--hosts 20] [--groups 10] [--mounts 3] [--evaluations 8]

For each evaluation interval the ratios could be recorded at (1m, the shipped
stack's; 15s, a common choice), it writes 36 h 10 m of recorded ratio series for
`--hosts` simulated hosts (CPU, memory, `--mounts` filesystems, `--groups` process
groups' CPU and memory: the five thresholded ratios), plus the 5-minute step
series the shipped rules record, as OpenMetrics; turns them into TSDB blocks with
`promtool tsdb create-blocks-from openmetrics`; then runs Prometheus 2.42 on that
TSDB twice, once with the old rules (avg_over_time of the ratio over 36h) and once
with the shipped group (rules/recording.yml; its step rules record under another
name here, so the means read only the backfilled 5-minute points), each evaluated
every 10 s, and reads
`prometheus_rule_group_last_duration_seconds` after each evaluation. Both give the
same means (checked within 1 %). Prints a Markdown table; one run on a noisy 2-core
VM: ratios, not promises.

Python 3 standard library only, plus Debian's prometheus (prometheus, promtool).
"""
import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e"))
import harness  # noqa: E402

WINDOW_S = 36 * 3600 + 600  # 36 h plus the first 5-minute window
STEP_S = 300
EVAL_S = 10  # how often the benchmark evaluates the group (the rules keep [36h])
RATIOS = [  # (series name, label of the per-host instances, instances per host)
    ("instance:node_cpu_utilisation:rate5m", None),
    ("instance:node_memory_utilisation:ratio", None),
    ("instance_mountpoint:node_filesystem_used:ratio", "mountpoint"),
    ("instance_groupname:namedprocess_namegroup_cpu_utilisation:rate5m", "groupname"),
    ("instance_groupname:namedprocess_namegroup_memory_utilisation:ratio", "groupname"),
]


def step_name(ratio):
    level, metric, _ = ratio.split(":")
    return "%s:%s:avg5m_step5m" % (level, metric)


def avg_name(ratio):
    level, metric, _ = ratio.split(":")
    return "%s:%s:avg36h" % (level, metric)


def label_sets(args):
    """(ratio, labels text) of every simulated series."""
    for host in range(args.hosts):
        for ratio, key in RATIOS:
            count = 1 if key is None else (args.mounts if key == "mountpoint" else args.groups)
            for i in range(count):
                labels = 'instance="host-%03d",job="vitals"' % host
                if key:
                    labels += ',%s="%s-%d"' % (key, key, i)
                yield ratio, labels


def value(series_index, t):
    """A deterministic ratio in 0..1 that wanders (compression is not flattered)."""
    return 0.5 + 0.4 * math.sin(t / 3600.0 + series_index) * math.cos(t / 517.0 + series_index)


def write_openmetrics(path, args, interval_s, end):
    """Ratios every `interval_s`, steps every 5 minutes (their 5-minute means), up to
    `end`. OpenMetrics wants each family's samples together and in time order."""
    start = end - WINDOW_S
    series = list(label_sets(args))
    with open(path, "w") as f:
        for name_of in (lambda r: r, step_name):
            families = {}
            for index, (ratio, labels) in enumerate(series):
                families.setdefault(name_of(ratio), []).append((index, labels))
            for name, members in families.items():
                f.write("# TYPE %s gauge\n" % name)
                for index, labels in members:
                    if name_of is step_name:
                        for t in range(start + STEP_S, end + 1, STEP_S):
                            points = [value(index, u) for u in range(t - STEP_S + interval_s, t + 1,
                                                                     interval_s)]
                            f.write("%s{%s} %.6f %d\n" % (name, labels, sum(points) / len(points), t))
                    else:
                        for t in range(start, end + 1, interval_s):
                            f.write("%s{%s} %.6f %d\n" % (name, labels, value(index, t), t))
        f.write("# EOF\n")
    return len(series)


def rule_file(path, variant):
    """The shipped long-window group (after) or the old one (before), every EVAL_S."""
    lines = ["groups:", "  - name: long-window", "    interval: %ds" % EVAL_S, "    rules:"]
    if variant == "after":
        text = open(os.path.join(HERE, "..", "rules", "recording.yml")).read()
        group = text.split("  - name: vitals-long-window.rules\n", 1)[1].split("\n\n", 1)[0]
        # Every EVAL_S, the step rules would add a point every 10 s to the series the
        # means read (and tilt them): here they record under another name, so their
        # cost is measured and the means read only the 5-minute points.
        lines += [line + "_bench" if "record:" in line and "avg5m_step5m" in line else line
                  for line in group.splitlines()
                  if not line.strip().startswith(("interval:", "rules:"))]
    else:
        for ratio, _ in RATIOS:
            lines += ["      - record: %s" % avg_name(ratio),
                      "        expr: avg_over_time(%s[36h])" % ratio]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def get(url, path, params=None):
    query = "?" + urllib.parse.urlencode(params) if params else ""
    with urllib.request.urlopen(url + path + query, timeout=30) as response:
        return response.read().decode()


def group_durations(url):
    text = get(url, "/metrics")
    found = re.search(r'^prometheus_rule_group_last_duration_seconds\{[^}]*rule_group="[^"]*;'
                      r'long-window"\} (\S+)$', text, re.M)
    return float(found.group(1)) if found else None


def run_prometheus(tsdb, rules, evaluations):
    """Durations of `evaluations` evaluations (after a first, warming one) and the
    36-hour means at the end."""
    port = harness.free_port()
    url = "http://127.0.0.1:%d" % port
    with open(os.path.join(os.path.dirname(rules), "prometheus.yml"), "w") as f:
        f.write("global:\n  evaluation_interval: %ds\nrule_files:\n  - %s\n" % (EVAL_S, rules))
    prom = subprocess.Popen(
        ["prometheus", "--config.file=" + os.path.join(os.path.dirname(rules), "prometheus.yml"),
         "--storage.tsdb.path=" + tsdb, "--web.listen-address=127.0.0.1:%d" % port,
         "--storage.tsdb.retention.time=30d"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not harness.wait_http_ok(url + "/-/ready", 120, prom):
            raise RuntimeError("prometheus never got ready")
        durations, last = [], None
        deadline = time.monotonic() + EVAL_S * (evaluations + 3) + 60
        while len(durations) <= evaluations and time.monotonic() < deadline:
            time.sleep(1)
            duration = group_durations(url)
            if duration is not None and duration != last:
                durations.append(duration)
                last = duration
        means = {}
        for ratio, _ in RATIOS:
            result = json.loads(get(url, "/api/v1/query", {"query": avg_name(ratio)}))
            for item in result["data"]["result"]:
                key = (avg_name(ratio), tuple(sorted(item["metric"].items())))
                means[key] = float(item["value"][1])
        return durations[1:], means
    finally:
        prom.terminate()
        prom.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--groups", type=int, default=10)
    parser.add_argument("--mounts", type=int, default=3)
    parser.add_argument("--evaluations", type=int, default=8)
    parser.add_argument("--intervals", default="60,15",
                        help="evaluation intervals (s) the ratios are recorded at")
    args = parser.parse_args()
    for tool in ("prometheus", "promtool"):
        if shutil.which(tool) is None:
            sys.exit("%s not found: scripts/install-deps.sh fleet installs it" % tool)
    end = int(time.time()) - 60
    rows = []
    with tempfile.TemporaryDirectory(prefix="vitals-long-windows-") as tmp:
        for interval_s in (int(x) for x in args.intervals.split(",")):
            text = os.path.join(tmp, "data.om")
            series = write_openmetrics(text, args, interval_s, end)
            blocks = os.path.join(tmp, "blocks-%d" % interval_s)
            subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics", "-q",
                            text, blocks], check=True)
            os.remove(text)
            results = {}
            for variant in ("before", "after"):
                work = os.path.join(tmp, "%s-%d" % (variant, interval_s))
                shutil.copytree(blocks, os.path.join(work, "tsdb"))
                rules = os.path.join(work, "rules.yml")
                rule_file(rules, variant)
                results[variant] = run_prometheus(os.path.join(work, "tsdb"), rules,
                                                  args.evaluations)
                shutil.rmtree(work)
            shutil.rmtree(blocks)
            before, after = results["before"], results["after"]
            off = [k for k in before[1] if k not in after[1] or
                   abs(before[1][k] - after[1][k]) > 0.01 * max(abs(before[1][k]), 1e-9)]
            if len(before[1]) != series or off:
                sys.exit("the 36-hour means differ (%d of %d series; first: %s)"
                         % (len(off), series, off[:1]))
            rows.append((interval_s, series, statistics.median(before[0]),
                         statistics.median(after[0])))
    print("| ratios recorded every | series | points per 36h mean before / after | "
          "group evaluation before | after | per host before | after | saving |")
    print("|---|---|---|---|---|---|---|---|")
    for interval_s, series, before, after in rows:
        print("| %d s | %d | %d / %d | %.1f ms | %.1f ms | %.3f ms | %.3f ms | %.1fx |" % (
            interval_s, series, 36 * 3600 // interval_s, 36 * 3600 // STEP_S, before * 1e3,
            after * 1e3, before * 1e3 / args.hosts, after * 1e3 / args.hosts, before / after))
    print("\n%d hosts x (1 CPU + 1 memory + %d filesystems + %d process groups x 2) series; "
          "median of %d evaluations each; Prometheus %s." % (
              args.hosts, args.mounts, args.groups, args.evaluations,
              subprocess.run(["prometheus", "--version"], capture_output=True, text=True)
              .stdout.split("\n")[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
