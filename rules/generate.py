#!/usr/bin/env python3
"""Writes rules/recording.yml and rules/alerts.yml (the shipped Prometheus rules).

The five thresholded resources share one red/amber model, so the rules are written
from the table below instead of by hand: edit this file, run it, commit both.
`rules_generated` in CTest fails when the committed files differ from its output,
or when an alert's runbook_url names no section of docs/runbooks.md.

    python3 rules/generate.py            # rewrite the files
    python3 rules/generate.py --check    # exit 1 when they are out of date
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RUNBOOK = "docs/runbooks.md#"  # relative to the repository; prefix a base URL when publishing

# Default thresholds (ratios 0..1): the only place they are written.
DEFAULTS = {"red": 0.9, "amber": 0.8}

# resource: the `resource` label of vitals_threshold; keys: the labels one
# threshold applies to (the first is always instance); ratio: the recorded 0..1
# series alerted on; for_now: how long above red before the red alert fires;
# horizon: how far ahead predict_linear looks (over the last 6h).
RESOURCES = [
    dict(resource="cpu", alert="VitalsCpu", keys=["instance"],
         ratio="instance:node_cpu_utilisation:rate5m",
         avg="instance:node_cpu_utilisation:avg36h",
         what="CPU utilisation", where="on {{ $labels.instance }}",
         for_now="15m", horizon="6h"),
    dict(resource="memory", alert="VitalsMemory", keys=["instance"],
         ratio="instance:node_memory_utilisation:ratio",
         avg="instance:node_memory_utilisation:avg36h",
         what="Memory utilisation", where="on {{ $labels.instance }}",
         for_now="15m", horizon="6h"),
    dict(resource="filesystem", alert="VitalsFilesystem", keys=["instance", "mountpoint"],
         ratio="instance_mountpoint:node_filesystem_used:ratio",
         avg="instance_mountpoint:node_filesystem_used:avg36h",
         what="Filesystem usage",
         where="of {{ $labels.mountpoint }} on {{ $labels.instance }}",
         for_now="5m", horizon="24h"),
    dict(resource="process_cpu", alert="VitalsProcessCpu", keys=["instance", "groupname"],
         ratio="instance_groupname:namedprocess_namegroup_cpu_utilisation:rate5m",
         avg="instance_groupname:namedprocess_namegroup_cpu_utilisation:avg36h",
         what="CPU share of the host",
         where="of process group {{ $labels.groupname }} on {{ $labels.instance }}",
         for_now="15m", horizon="6h"),
    dict(resource="process_memory", alert="VitalsProcessMemory", keys=["instance", "groupname"],
         ratio="instance_groupname:namedprocess_namegroup_memory_utilisation:ratio",
         avg="instance_groupname:namedprocess_namegroup_memory_utilisation:avg36h",
         what="Resident memory share of host RAM",
         where="of process group {{ $labels.groupname }} on {{ $labels.instance }}",
         for_now="15m", horizon="6h"),
]

HOST_RULES = """\
  # Host metrics (node_exporter names, published by vitals_exporter).
  - name: vitals-host.rules
    rules:
      - record: instance:node_num_cpu:sum
        expr: count without (cpu, mode) (node_cpu_seconds_total{mode="idle"})
      # Busy fraction of all CPUs, 5-minute mean (node-mixin definition).
      - record: instance:node_cpu_utilisation:rate5m
        expr: |
          1 - avg without (cpu) (
            sum without (mode) (rate(node_cpu_seconds_total{mode=~"idle|iowait|steal"}[5m]))
          )
      - record: instance:node_memory_utilisation:ratio
        expr: 1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes
      - record: instance:node_memory_utilisation:avg5m
        expr: avg_over_time(instance:node_memory_utilisation:ratio[5m])
      # Used fraction (by what unprivileged users can still write) of each
      # writable real filesystem.
      - record: instance_mountpoint:node_filesystem_used:ratio
        expr: |
          (
            1 - node_filesystem_avail_bytes{fstype!="", mountpoint!=""}
                / (node_filesystem_size_bytes{fstype!="", mountpoint!=""} > 0)
          )
          and on (instance, device, mountpoint) (node_filesystem_readonly == 0)
      - record: instance:node_network_receive_bytes_excluding_lo:rate5m
        expr: sum without (device) (rate(node_network_receive_bytes_total{device!="lo"}[5m]))
      - record: instance:node_network_transmit_bytes_excluding_lo:rate5m
        expr: sum without (device) (rate(node_network_transmit_bytes_total{device!="lo"}[5m]))
      - record: instance_device:node_network_receive_bytes:rate5m
        expr: rate(node_network_receive_bytes_total[5m])
      - record: instance_device:node_network_transmit_bytes:rate5m
        expr: rate(node_network_transmit_bytes_total[5m])

  # Process groups (process-exporter names). CPU as a fraction of one core
  # (1 = one full core) and of the whole host (0..1); resident memory as a
  # fraction of host RAM. The rate5m/avg5m series are the 5-minute means.
  - name: vitals-processes.rules
    rules:
      - record: instance_groupname:namedprocess_namegroup_cpu_cores:rate5m
        expr: sum without (mode) (rate(namedprocess_namegroup_cpu_seconds_total[5m]))
      - record: instance_groupname:namedprocess_namegroup_cpu_utilisation:rate5m
        expr: |
          sum without (mode) (rate(namedprocess_namegroup_cpu_seconds_total[5m]))
            / on (instance) group_left
          count by (instance) (node_cpu_seconds_total{mode="idle"})
      - record: instance_groupname:namedprocess_namegroup_memory_utilisation:ratio
        expr: |
          sum without (memtype) (namedprocess_namegroup_memory_bytes{memtype="resident"})
            / on (instance) group_left
          max by (instance) (node_memory_MemTotal_bytes)
      - record: instance_groupname:namedprocess_namegroup_memory_utilisation:avg5m
        expr: avg_over_time(instance_groupname:namedprocess_namegroup_memory_utilisation:ratio[5m])
"""


def thr_name(r):
    return "%s:vitals_threshold_%s:effective" % ("_".join(r["keys"]), r["resource"])


# --------------------------------------------------------------------------- GPUs
# Per-GPU red/amber rules on the gpu collector's vitals_gpu_* series, kept apart
# from the resources above: own recording group (vitals-gpu.rules) and alert group
# (vitals-gpu.alerts). Thresholds work as above with keys (instance, gpu): a
# vitals_threshold{resource="gpu_utilization"|"gpu_memory"|"gpu_temperature",
# level, instance, gpu} gauge overrides one GPU, gpu="" the whole host. The two
# ratios use DEFAULTS; temperature is in degrees Celsius and has its own defaults.
GPU_TEMPERATURE_DEFAULTS = {"red": 90, "amber": 80}
GPU_CELSIUS_DEFAULT = "vitals:threshold_celsius:default"

# value: the recorded series alerted on (source: its expression); for_: how long
# above a threshold before the alert fires; show: how the description prints it.
GPU_RESOURCES = [
    dict(resource="gpu_utilization", alert="VitalsGpuUtilizationHigh", keys=["instance", "gpu"],
         ratio="instance_gpu:vitals_gpu_utilization:avg5m",
         source="avg_over_time(vitals_gpu_utilization_ratio[5m])",
         default="vitals:threshold:default", for_="30m", what="GPU utilisation",
         show="{{ $value | humanizePercentage }}"),
    dict(resource="gpu_memory", alert="VitalsGpuMemoryHigh", keys=["instance", "gpu"],
         ratio="instance_gpu:vitals_gpu_memory_used:ratio",
         source="vitals_gpu_memory_used_bytes / (vitals_gpu_memory_total_bytes > 0)",
         default="vitals:threshold:default", for_="15m", what="GPU memory usage",
         show="{{ $value | humanizePercentage }}"),
    dict(resource="gpu_temperature", alert="VitalsGpuTemperatureHigh", keys=["instance", "gpu"],
         ratio="instance_gpu:vitals_gpu_temperature_celsius:avg5m",
         source="avg_over_time(vitals_gpu_temperature_celsius[5m])",
         default=GPU_CELSIUS_DEFAULT, for_="5m", what="GPU temperature",
         show='{{ printf "%.0f" $value }}°C'),
]


def gpu_recording():
    out = ["  # GPUs (vitals_gpu_* from the gpu collector), one series per GPU with its",
           "  # gpu, uuid and name labels: 5-minute means of utilisation and temperature,",
           "  # used share of GPU memory, then the per-GPU :effective thresholds.",
           "  - name: vitals-gpu.rules",
           "    rules:"]
    for r in GPU_RESOURCES:
        out += ["      - record: %s" % r["ratio"],
                "        expr: %s" % r["source"]]
    for level, v in GPU_TEMPERATURE_DEFAULTS.items():
        out += ["      - record: %s" % GPU_CELSIUS_DEFAULT,
                "        expr: vector(%s)" % v,
                "        labels:",
                "          level: %s" % level]
    for r in GPU_RESOURCES:
        for level in DEFAULTS:
            out += threshold_rule(r, level, r["default"])
    return out


def gpu_alerts():
    out = ["  - name: vitals-gpu.alerts", "    rules:"]
    for r in GPU_RESOURCES:
        thr = thr_name(r)
        on = "on (%s) group_left" % ", ".join(r["keys"])
        where = "of GPU {{ $labels.gpu }} ({{ $labels.name }}) on {{ $labels.instance }}"
        out += alert(r["alert"], "%s\n  > %s\n%s{level=\"red\"}" % (r["ratio"], on, thr),
                     "critical", r["for_"], "%s above the red threshold." % r["what"],
                     "%s %s is %s, above its red threshold for %s."
                     % (r["what"], where, r["show"], r["for_"]))
        out += alert(r["alert"],
                     "(\n  %s\n    > %s\n  %s{level=\"amber\"}\n)\n  <= %s\n%s{level=\"red\"}"
                     % (r["ratio"], on, thr, on, thr),
                     "warning", r["for_"], "%s above the amber threshold." % r["what"],
                     "%s %s is %s, between its amber and red thresholds for %s."
                     % (r["what"], where, r["show"], r["for_"]))
    return out


def threshold_rules():
    out = ["  # Thresholds (ratios 0..1). The defaults are the two series below; a host,",
           "  # mount point or process group overrides them with a",
           "  # vitals_threshold{resource, level, instance[, mountpoint|groupname]} gauge.",
           "  # Most specific wins: that mount point / group, then the host (the key label",
           "  # empty), then the default. Alerts compare against the :effective series.",
           "  - name: vitals-thresholds.rules",
           "    rules:"]
    for level, v in DEFAULTS.items():
        out += ["      - record: vitals:threshold:default",
                "        expr: vector(%s)" % v,
                "        labels:",
                "          level: %s" % level]
    for r in RESOURCES:
        for level in DEFAULTS:
            out += threshold_rule(r, level, "vitals:threshold:default")
    return out


def threshold_rule(r, level, default):
    """The :effective threshold of resource `r` at `level`: the most specific
    vitals_threshold, else the `default` series (a vector with a level label)."""
    keys = ", ".join(r["keys"])
    sel = 'resource="%s", level="%s"' % (r["resource"], level)
    branches = []
    if len(r["keys"]) > 1:
        k = r["keys"][1]
        branches.append("max by (%s) (vitals_threshold{%s, %s!=\"\"})" % (keys, sel, k))
        branches.append(
            "max by (%s) (\n  %s * 0\n    + on (instance) group_left\n"
            "  max by (instance) (vitals_threshold{%s, %s=\"\"})\n)" % (keys, r["ratio"], sel, k))
    else:
        branches.append("max by (%s) (vitals_threshold{%s})" % (keys, sel))
    branches.append("max by (%s) (%s) * 0\n  + "
                    "scalar(%s{level=\"%s\"})" % (keys, r["ratio"], default, level))
    expr = ("\nor on (%s)\n" % keys).join(branches)
    out = ["      - record: %s" % thr_name(r),
           "        expr: |"]
    out += ["          " + line for line in expr.split("\n")]
    out += ["        labels:", "          level: %s" % level]
    return out


def avg_rules():
    out = ["  # 36-hour means of the thresholded ratios, for the long-window alerts.",
           "  - name: vitals-long-window.rules",
           "    interval: 5m",
           "    rules:"]
    for r in RESOURCES:
        out += ["      - record: %s" % r["avg"],
                "        expr: avg_over_time(%s[36h])" % r["ratio"]]
    return out


def recording():
    lines = ["# Generated by rules/generate.py: edit that file, not this one.",
             "# Recording rules, node-mixin level:metric:operation naming.",
             "groups:"]
    lines += HOST_RULES.rstrip("\n").split("\n")
    lines.append("")
    lines += threshold_rules()
    lines.append("")
    lines += avg_rules()
    lines.append("")
    lines += gpu_recording()
    return "\n".join(lines) + "\n"


def alert(name, expr, severity, for_, summary, description, extra_labels=None):
    out = ["      - alert: %s" % name,
           "        expr: |"]
    out += ["          " + line for line in expr.strip("\n").split("\n")]
    if for_:
        out.append("        for: %s" % for_)
    out += ["        labels:", "          severity: %s" % severity]
    for k, v in (extra_labels or {}).items():
        out.append("          %s: %s" % (k, v))
    out += ["        annotations:",
            "          summary: %s" % summary,
            "          description: >-",
            "            %s" % description,
            "          runbook_url: %s%s" % (RUNBOOK, name.lower())]
    return out


def resource_alerts(r):
    keys = ", ".join(r["keys"])
    thr = thr_name(r)
    on = "on (%s) group_left" % keys
    red = '%s{level="red"}' % thr
    amber = '%s{level="amber"}' % thr
    high = r["alert"] + "High"
    avg = r["alert"] + "HighAverage36h"
    pred = r["alert"] + "HighPredicted"
    out = []
    out += alert(high, "%s\n  > %s\n%s" % (r["ratio"], on, red), "critical", r["for_now"],
                 "%s above the red threshold." % r["what"],
                 "%s %s is {{ $value | humanizePercentage }}, above its red threshold for %s."
                 % (r["what"], r["where"], r["for_now"]))
    out += alert(avg, "%s\n  > %s\n%s" % (r["avg"], on, red), "critical", "30m",
                 "%s 36-hour average above the red threshold." % r["what"],
                 "The 36-hour average %s %s is {{ $value | humanizePercentage }}, above its red threshold."
                 % (_lc(r["what"]), r["where"]))
    out += alert(avg, "(\n  %s\n    > %s\n  %s\n)\n  <= %s\n%s" % (r["avg"], on, amber, on, red),
                 "warning", "30m",
                 "%s 36-hour average above the amber threshold." % r["what"],
                 "The 36-hour average %s %s is {{ $value | humanizePercentage }}, between its amber and red thresholds."
                 % (_lc(r["what"]), r["where"]))
    p = "predict_linear(%s[6h], %s)" % (r["ratio"], _secs(r["horizon"]))
    expr = ("%s\n  > %s\n%s\n"
            "# hysteresis: once firing, it clears only when the prediction drops below amber\n"
            "or\n"
            "(\n  %s\n    > %s\n  %s\n)\n"
            "  and on (%s)\n"
            "ALERTS{alertname=\"%s\", alertstate=\"firing\", severity=\"warning\"}"
            % (p, on, red, p, on, amber, keys, pred))
    out += alert(pred, expr, "warning", "30m",
                 "%s predicted to cross the red threshold within %s." % (r["what"], r["horizon"]),
                 "%s %s is predicted to reach {{ $value | humanizePercentage }} within %s (linear trend of the last 6h)."
                 % (r["what"], r["where"], r["horizon"]))
    return out


def _lc(s):
    """Lower-cases the first letter, except in an acronym (CPU)."""
    return s if s[:2].isupper() else s[0].lower() + s[1:]


def _secs(d):
    n, unit = int(d[:-1]), d[-1]
    return str(n * {"m": 60, "h": 3600}[unit])


def alerts():
    lines = ["# Generated by rules/generate.py: edit that file, not this one.",
             "# Red = severity critical, amber = severity warning. See docs/alerting.md.",
             "groups:",
             "  - name: vitals-resources.alerts",
             "    rules:"]
    for r in RESOURCES:
        lines += resource_alerts(r)
    lines += ["", "  - name: vitals-availability.alerts", "    rules:"]
    lines += alert("VitalsPortDown", "vitals_port_listening == 0", "critical", "1m",
                   "A configured port is not listening.",
                   "{{ $labels.protocol }} port {{ $labels.port }} ({{ $labels.name }}) on {{ $labels.instance }} "
                   "is not listening (vitals_port_listening = {{ $value }}).")
    lines += alert("VitalsExporterDown", "up == 0", "critical", "5m",
                   "An exporter cannot be scraped.",
                   "Target {{ $labels.instance }} of job {{ $labels.job }} has been down "
                   "(up = {{ $value }}) for 5 minutes; its alerts cannot fire.")
    lines += alert("VitalsCollectorFailing", "vitals_scrape_collector_success == 0", "warning", "10m",
                   "A vitals collector is failing.",
                   "Collector {{ $labels.collector }} on {{ $labels.instance }} has failed every scrape "
                   "for 10 minutes (success = {{ $value }}); its metrics are missing or partial.")
    lines += alert("Watchdog", "vector(1)", "none", None,
                   "Alerting pipeline heartbeat (always firing).",
                   "This alert always fires (value {{ $value }}). If it stops arriving at the receiver, "
                   "Prometheus, its rules or Alertmanager are broken.")
    lines.append("")
    lines += gpu_alerts()
    return "\n".join(lines) + "\n"


def main():
    files = {"recording.yml": recording(), "alerts.yml": alerts()}
    check = "--check" in sys.argv[1:]
    stale = []
    for name, text in files.items():
        path = os.path.join(HERE, name)
        old = open(path).read() if os.path.exists(path) else None
        if old != text:
            if check:
                stale.append(name)
            else:
                with open(path, "w") as f:
                    f.write(text)
    # every runbook_url must point at a section of docs/runbooks.md
    runbooks = os.path.join(HERE, "..", "docs", "runbooks.md")
    anchors = set()
    if os.path.exists(runbooks):
        for line in open(runbooks):
            if line.startswith("## "):
                anchors.add(line[3:].strip().lower())

    missing = sorted(set(re.findall(r"runbooks\.md#(\S+)", files["alerts.yml"])) - anchors)
    if missing:
        print("docs/runbooks.md lacks sections for: " + ", ".join(missing), file=sys.stderr)
        return 1
    if stale:
        print("out of date (run python3 rules/generate.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
