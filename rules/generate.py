#!/usr/bin/env python3
"""Writes rules/recording.yml and rules/alerts.yml (the shipped Prometheus rules).

The five thresholded resources share one red/amber model, so the rules are written
from the table below instead of by hand: edit this file, run it, commit both.
`rules_generated` in CTest fails when the committed files differ from its output,
or when an alert's runbook_url names no section of docs/runbooks.md.

    python3 rules/generate.py            # rewrite the files
    python3 rules/generate.py --check    # exit 1 when they are out of date
    python3 rules/generate.py --test-variant DIR   # short-window copies for tests
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


def step_name(r):
    """The 5-minute mean of a thresholded ratio, one point every 5 minutes."""
    level, metric, _ = r["ratio"].split(":")
    return "%s:%s:avg5m_step5m" % (level, metric)


def avg_rules():
    # The 36-hour means average a series with one point per 5 minutes (432 in 36 h),
    # not the ratio itself (one point per evaluation interval: 2,160 at 1m, 8,640 at
    # 15s), so their cost does not grow with the evaluation or scrape rate. Rules run
    # in order within a group: each mean sees the step recorded just before it.
    out = ["  # 36-hour means of the thresholded ratios, for the long-window alerts:",
           "  # first each ratio's 5-minute mean, one point every 5 minutes, then the",
           "  # 36-hour mean of those points (bench/long_windows.py measures the saving).",
           "  - name: vitals-long-window.rules",
           "    interval: 5m",
           "    rules:"]
    for r in RESOURCES:
        out += ["      - record: %s" % step_name(r),
                "        expr: avg_over_time(%s[5m])" % r["ratio"]]
    for r in RESOURCES:
        out += ["      - record: %s" % r["avg"],
                "        expr: avg_over_time(%s[36h])" % step_name(r)]
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
    lines += probe_threshold_rules()
    lines += gpu_recording()
    lines.append("")
    lines += pressure_recording()
    lines.append("")
    lines += systemd_recording()
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
    lines += probe_alerts()
    lines += gpu_alerts()
    lines.append("")
    lines += pressure_alerts()
    lines.append("")
    lines += systemd_alerts()
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# Probes (the exporter's probes: section): down, network down, slow, certificate.
# Kept apart from the resource model above: the thresholds are seconds and days,
# keyed by (instance, target), with their own defaults.

PROBE_DOWN_AFTER = 3  # consecutive failed probes before VitalsProbeDown
SANDBOX_GROUP = "sandbox"  # the probe group whose targets stand for "the network"

# resource: the `resource` label of vitals_threshold; defaults: amber/red;
# lower_is_worse: red lies below amber (days left on a certificate).
PROBE_RESOURCES = [
    dict(resource="probe_duration_seconds", defaults={"amber": 1, "red": 3}, lower_is_worse=False),
    dict(resource="probe_cert_expiry_days", defaults={"amber": 14, "red": 7}, lower_is_worse=True),
]
PROBE_KEYS = ["instance", "target"]


def probe_thr_name(r):
    return "instance_target:vitals_threshold_%s:effective" % r["resource"]


def probe_threshold_rules():
    """Effective probe thresholds per (instance, target): the target's own
    vitals_threshold, then the host's (no target label), then the default."""
    out = ["  # Probe thresholds (seconds, days) per instance and target; same precedence as",
           "  # above: vitals_threshold{resource, level, target} of that target, then the",
           "  # host's (target label empty), then the default written in the expression.",
           "  - name: vitals-probe-thresholds.rules",
           "    rules:"]
    keys = ", ".join(PROBE_KEYS)
    for r in PROBE_RESOURCES:
        for level, default in r["defaults"].items():
            sel = 'resource="%s", level="%s"' % (r["resource"], level)
            expr = ("max by (%s) (vitals_threshold{%s, target!=\"\"})\n"
                    "or on (%s)\n"
                    "max by (%s) (\n  probe_success * 0\n    + on (instance) group_left\n"
                    "  max by (instance) (vitals_threshold{%s, target=\"\"})\n)\n"
                    "or on (%s)\n"
                    "max by (%s) (probe_success) * 0 + %s"
                    % (keys, sel, keys, keys, sel, keys, keys, default))
            out += ["      - record: %s" % probe_thr_name(r),
                    "        expr: |"]
            out += ["          " + line for line in expr.split("\n")]
            out += ["        labels:", "          level: %s" % level]
    return out


def probe_alerts():
    on = "on (%s) group_left" % ", ".join(PROBE_KEYS)
    what = "{{ $labels.target }} (module {{ $labels.module }}, group {{ $labels.group }}) from {{ $labels.instance }}"
    out = ["  - name: vitals-probes.alerts", "    rules:"]
    out += alert("VitalsProbeDown",
                 "vitals_probe_consecutive_failures >= %d" % PROBE_DOWN_AFTER, "critical", None,
                 "A probe target has failed %d probes in a row." % PROBE_DOWN_AFTER,
                 "The probe of %s has failed {{ $value }} times in a row." % what)
    failing = "vitals_probe_consecutive_failures{group=\"%s\"} >= %d" % (SANDBOX_GROUP, PROBE_DOWN_AFTER)
    out += alert("VitalsNetworkDown",
                 "count by (instance) (%s)\n  == count by (instance) (vitals_probe_consecutive_failures{group=\"%s\"})"
                 % (failing, SANDBOX_GROUP), "critical", None,
                 "Every sandbox probe target of a host fails (its network is down).",
                 "All {{ $value }} probe targets of group %s from {{ $labels.instance }} have failed %d probes "
                 "in a row: the host's network (or DNS) is down, not the targets. Its other probe alerts are inhibited."
                 % (SANDBOX_GROUP, PROBE_DOWN_AFTER))
    # Latency of successful probes only: a failed probe is VitalsProbeDown's business.
    slow = "(probe_duration_seconds and probe_success == 1)"
    dur = PROBE_RESOURCES[0]
    red = '%s{level="red"}' % probe_thr_name(dur)
    amber = '%s{level="amber"}' % probe_thr_name(dur)
    out += alert("VitalsProbeSlow", "%s\n  > %s\n%s" % (slow, on, red), "critical", "10m",
                 "A probe target answers slower than the red threshold.",
                 "The probe of %s took {{ $value | humanizeDuration }}, above its red threshold, for 10 minutes." % what)
    out += alert("VitalsProbeSlow", "(\n  %s\n    > %s\n  %s\n)\n  <= %s\n%s" % (slow, on, amber, on, red),
                 "warning", "10m",
                 "A probe target answers slower than the amber threshold.",
                 "The probe of %s took {{ $value | humanizeDuration }}, between its amber and red thresholds, "
                 "for 10 minutes." % what)
    cert = PROBE_RESOURCES[1]
    days = "(probe_ssl_earliest_cert_expiry - time()) / 86400"
    red = '%s{level="red"}' % probe_thr_name(cert)
    amber = '%s{level="amber"}' % probe_thr_name(cert)
    out += alert("VitalsProbeCertExpiry", "%s\n  < %s\n%s" % (days, on, red), "critical", "5m",
                 "A certificate expires within the red threshold.",
                 "The certificate of %s expires in {{ $value | humanize }} days (red threshold)." % what)
    out += alert("VitalsProbeCertExpiry", "(\n  %s\n    < %s\n  %s\n)\n  >= %s\n%s" % (days, on, amber, on, red),
                 "warning", "5m",
                 "A certificate expires within the amber threshold.",
                 "The certificate of %s expires in {{ $value | humanize }} days (amber threshold)." % what)
    return out


# --------------------------------------------------------------------------- pressure
# Host pressure stall information (PSI; node_pressure_* from the pressure collector).
# rate() of a *_seconds_total counter is the fraction of wall time (0..1) that some
# task waited ("waiting", PSI's `some`) or that every non-idle task was stalled at
# once ("stalled", `full`). The thresholds are fixed here (not vitals_threshold
# resources): edit PRESSURE and regenerate. irq is published by newer
# node_exporters only (not 1.5, not vitals): its series is recorded where present
# and alerted on nowhere.
PRESSURE_SERIES = [
    ("cpu", "waiting"), ("memory", "waiting"), ("memory", "stalled"),
    ("io", "waiting"), ("io", "stalled"), ("irq", "stalled"),
]


def pressure_name(resource, kind):
    return "instance:node_pressure_%s_%s:rate5m" % (resource, kind)


# levels: {level: (threshold ratio, for:)}; red is optional (amber-only alerts).
PRESSURE = [
    dict(alert="VitalsMemoryPressureHigh", ratio=pressure_name("memory", "stalled"),
         what="Memory stall",
         meaning="every non-idle task waited for memory (PSI full)",
         levels={"red": (0.1, "5m"), "amber": (0.02, "30m")}),
    dict(alert="VitalsIoPressureHigh", ratio=pressure_name("io", "stalled"),
         what="I/O stall",
         meaning="every non-idle task waited for I/O (PSI full)",
         levels={"amber": (0.1, "30m")}),
    dict(alert="VitalsCpuPressureHigh", ratio=pressure_name("cpu", "waiting"),
         what="CPU wait",
         meaning="runnable tasks waited for a CPU (PSI some)",
         levels={"amber": (0.5, "30m")}),
]

# A unit's own PSI (vitals_systemd_unit_pressure_*, systemd collector with
# enable-cgroup-metrics): the same series per service cgroup. A service that hits its
# MemoryMax= stalls in reclaim while the host is fine: that is what this catches.
UNIT_PRESSURE_SERIES = [s for s in PRESSURE_SERIES if s[0] != "irq"]


def unit_pressure_name(resource, kind):
    return "instance_name:vitals_systemd_unit_pressure_%s_%s:rate5m" % (resource, kind)


UNIT_PRESSURE = [
    dict(alert="VitalsSystemdUnitMemoryPressure", ratio=unit_pressure_name("memory", "stalled"),
         what="Memory stall", where="in unit {{ $labels.name }} on {{ $labels.instance }}",
         meaning="every non-idle task of the unit waited for memory (PSI full)",
         levels={"red": (0.1, "5m"), "amber": (0.02, "30m")}),
]


def pressure_recording():
    out = ["  # Pressure stall information: the share of time (0..1, 5-minute mean) tasks",
           "  # waited (PSI some) or were all stalled (PSI full) on CPU, memory, I/O; irq",
           "  # only where the exporter publishes it (node_exporter 1.6 and later).",
           "  - name: vitals-pressure.rules",
           "    rules:"]
    for resource, kind in PRESSURE_SERIES:
        out += ["      - record: %s" % pressure_name(resource, kind),
                "        expr: rate(node_pressure_%s_%s_seconds_total[5m])" % (resource, kind)]
    return out


def _pct(v):
    return "%g%%" % (v * 100)


def pressure_alerts():
    return ["  - name: vitals-pressure.alerts", "    rules:"] + pressure_alert_rules(PRESSURE)


def pressure_alert_rules(table):
    out = []
    for p in table:
        where = p.get("where", "on {{ $labels.instance }}")
        for level in ("red", "amber"):
            if level not in p["levels"]:
                continue
            value, for_ = p["levels"][level]
            expr = "%s > %s" % (p["ratio"], value)
            band = "above %s" % _pct(value)
            if level == "amber" and "red" in p["levels"]:
                red = p["levels"]["red"][0]
                expr = "%s > %s <= %s" % (p["ratio"], value, red)
                band = "between %s and %s" % (_pct(value), _pct(red))
            out += alert(p["alert"], expr, "critical" if level == "red" else "warning", for_,
                         "%s above the %s threshold." % (p["what"], level),
                         "%s %s: %s {{ $value | humanizePercentage }} of the time, %s, for %s."
                         % (p["what"], where, p["meaning"], band, for_))
    return out


# --------------------------------------------------------------------------- systemd
# Units of the systemd collector (node_systemd_*; restarts with
# --collector.systemd.enable-restarts-metrics, the vitals_systemd_unit_* families
# with enable-cgroup-metrics). A crash loop is CRASH_LOOP_RESTARTS or more
# automatic restarts (Service.NRestarts) in 15 minutes: red when the unit has
# also given up (state failed, e.g. its start limit hit), amber while it keeps
# restarting. A manual start resets NRestarts: increase() counts that as a
# counter reset, not as restarts.
CRASH_LOOP_RESTARTS = 3
RESTARTS = "instance_name:node_systemd_service_restarts:increase15m"
UNIT_FAILED = 'node_systemd_unit_state{state="failed"} == 1'


def systemd_recording():
    return ["  # systemd units: automatic restarts in the last 15 minutes; CPU (cores) and",
            "  # memory (share of host RAM) of each service's cgroup.",
            "  - name: vitals-systemd.rules",
            "    rules:",
            "      - record: %s" % RESTARTS,
            "        expr: increase(node_systemd_service_restart_total[15m])",
            "      - record: instance_name:vitals_systemd_unit_cpu_cores:rate5m",
            "        expr: sum without (mode) (rate(vitals_systemd_unit_cpu_seconds_total[5m]))",
            "      - record: instance_name:vitals_systemd_unit_memory_utilisation:ratio",
            "        expr: |",
            "          vitals_systemd_unit_memory_bytes",
            "            / on (instance) group_left",
            "          max by (instance) (node_memory_MemTotal_bytes)",
            "      # The unit's own pressure stall information (share of time, 0..1).",
            ] + ["      - record: %s\n        expr: rate(vitals_systemd_unit_pressure_%s_%s_seconds_total[5m])"
                 % (unit_pressure_name(r, k), r, k) for r, k in UNIT_PRESSURE_SERIES]


def systemd_alerts():
    loop = "%s >= %d" % (RESTARTS, CRASH_LOOP_RESTARTS)
    on = "on (instance, name)"
    times = '{{ printf "%.0f" $value }}'
    out = ["  - name: vitals-systemd.alerts", "    rules:"]
    out += alert("VitalsSystemdUnitCrashLoop", "%s\n  and %s\n%s" % (loop, on, UNIT_FAILED),
                 "critical", "5m",
                 "A systemd service crash-looped and has given up (failed).",
                 "Service {{ $labels.name }} on {{ $labels.instance }} was restarted %s times "
                 "in 15 minutes and is now in state failed." % times)
    out += alert("VitalsSystemdUnitCrashLoop", "%s\n  unless %s\n%s" % (loop, on, UNIT_FAILED),
                 "warning", "15m",
                 "A systemd service keeps restarting.",
                 "Service {{ $labels.name }} on {{ $labels.instance }} was restarted %s times "
                 "in the last 15 minutes, for 15 minutes now; it has not failed, systemd keeps "
                 "restarting it." % times)
    out += alert("VitalsSystemdUnitFailed", UNIT_FAILED, "warning", "10m",
                 "A systemd unit is in state failed.",
                 "Unit {{ $labels.name }} on {{ $labels.instance }} has been in state failed "
                 "for 10 minutes.")
    return out + pressure_alert_rules(UNIT_PRESSURE)


def check_exporter_defaults():
    """The exporter validates thresholds against the same defaults (its kKinds table)."""
    path = os.path.join(HERE, "..", "exporter", "collectors", "thresholds_collector.cc")
    if not os.path.exists(path):
        return []
    want = {r["resource"]: (DEFAULTS["amber"], DEFAULTS["red"]) for r in RESOURCES}
    want.update({r["resource"]: (r["defaults"]["amber"], r["defaults"]["red"]) for r in PROBE_RESOURCES})
    want.update({r["resource"]: (GPU_TEMPERATURE_DEFAULTS["amber"], GPU_TEMPERATURE_DEFAULTS["red"])
                 if r["default"] == GPU_CELSIUS_DEFAULT else (DEFAULTS["amber"], DEFAULTS["red"])
                 for r in GPU_RESOURCES})
    got = {m.group(1): (float(m.group(2)), float(m.group(3))) for m in re.finditer(
        r'\{"(\w+)", "\w*", "\w*", ThresholdUnit::k\w+, ([\d.]+), ([\d.]+)', open(path).read())}
    return ["%s: exporter %s, rules %s" % (k, got.get(k), v) for k, v in sorted(want.items())
            if got.get(k) != tuple(float(x) for x in v)]


# ---------------------------------------------------------------------------
# Test variant: the same rules with windows a test can wait for.

TEST_FOR = "2s"  # every for: window
TEST_RATE = "10s"  # every [5m] range (rate5m, avg5m), so a stopped process clears fast


def test_variant(text):
    """The rule file `text` with every `for:` set to TEST_FOR, every [5m] range to
    TEST_RATE and no per-group `interval:` (all groups at the global interval). The
    expressions are otherwise the shipped ones: the end-to-end alert path test
    (tests/rules/alert_path.py) runs them with 1 s scrape and evaluation intervals."""
    text = re.sub(r"^(\s+)for: \S+$", r"\g<1>for: " + TEST_FOR, text, flags=re.M)
    text = re.sub(r"^\s+interval: \S+\n", "", text, flags=re.M)
    return text.replace("[5m]", "[%s]" % TEST_RATE)


def main():
    files = {"recording.yml": recording(), "alerts.yml": alerts()}
    if "--test-variant" in sys.argv[1:]:
        out = sys.argv[sys.argv.index("--test-variant") + 1]
        for name, text in files.items():
            with open(os.path.join(out, name), "w") as f:
                f.write(test_variant(text))
        return 0
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
    drift = check_exporter_defaults()
    if drift:
        print("default thresholds differ from exporter/collectors/thresholds_collector.cc: "
              + "; ".join(drift), file=sys.stderr)
        return 1
    if stale:
        print("out of date (run python3 rules/generate.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
