#!/usr/bin/env python3
"""Writes the Grafana dashboards in this directory (dashboards/*.json).

The JSON files are committed and importable as they are (Grafana >= 10,
schemaVersion 38, no __inputs): each has a `datasource` variable (any Prometheus
data source) and an `instance` variable (multi-select, All) from vitals_build_info.
Edit this file, then run it; `generate.py --check` fails when the committed files
differ from what it writes (a ctest runs that). Python 3 standard library only.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DS = {"type": "prometheus", "uid": "${datasource}"}
I = 'instance=~"$instance"'  # The instance filter every query carries.

# Traffic-light colours: amber and red at the shipped default thresholds
# (rules/recording.yml, vitals:threshold:default: 0.8 and 0.9).
RATIO_STEPS = [{"color": "green", "value": None}, {"color": "#FF9830", "value": 0.8},
               {"color": "red", "value": 0.9}]


# --------------------------------------------------------------------------- builders


def target(expr, legend="", instant=False, table=False, ref="A"):
    t = {"datasource": DS, "refId": ref, "expr": expr, "legendFormat": legend or "__auto"}
    if instant:
        t.update({"instant": True, "range": False})
    else:
        t.update({"instant": False, "range": True})
    if table:
        t["format"] = "table"
    return t


def targets(*specs, **common):
    """specs: (expr, legend) pairs; refIds A, B, ..."""
    return [target(expr, legend, ref=chr(ord("A") + n), **common) for n, (expr, legend) in enumerate(specs)]


def field_defaults(unit, minimum=None, maximum=None, steps=None, decimals=None):
    d = {"unit": unit, "color": {"mode": "palette-classic"},
         "thresholds": {"mode": "absolute", "steps": steps or [{"color": "green", "value": None}]}}
    if minimum is not None:
        d["min"] = minimum
    if maximum is not None:
        d["max"] = maximum
    if decimals is not None:
        d["decimals"] = decimals
    return d


def timeseries(title, tgts, unit="short", description="", minimum=None, maximum=None, steps=None,
               stack=False, threshold_lines=False, overrides=None):
    defaults = field_defaults(unit, minimum, maximum, steps)
    defaults["custom"] = {"drawStyle": "line", "lineWidth": 1, "fillOpacity": 10 if stack else 0,
                          "showPoints": "never", "spanNulls": False,
                          "stacking": {"mode": "normal" if stack else "none", "group": "A"},
                          "thresholdsStyle": {"mode": "dashed" if threshold_lines else "off"}}
    return {"type": "timeseries", "title": title, "description": description, "datasource": DS,
            "targets": tgts, "fieldConfig": {"defaults": defaults, "overrides": overrides or []},
            "options": {"legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
                        "tooltip": {"mode": "multi", "sort": "desc"}}}


def bargauge(title, tgts, unit="percentunit", description="", minimum=0, maximum=1, steps=None):
    return {"type": "bargauge", "title": title, "description": description, "datasource": DS,
            "targets": tgts,
            "fieldConfig": {"defaults": field_defaults(unit, minimum, maximum, steps or RATIO_STEPS),
                            "overrides": []},
            "options": {"orientation": "horizontal", "displayMode": "gradient", "showUnfilled": True,
                        "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False}}}


def stat(title, tgts, unit="short", description="", steps=None, color_mode="background"):
    defaults = field_defaults(unit, steps=steps)
    defaults["color"] = {"mode": "thresholds"}
    return {"type": "stat", "title": title, "description": description, "datasource": DS,
            "targets": tgts, "fieldConfig": {"defaults": defaults, "overrides": []},
            "options": {"colorMode": color_mode, "graphMode": "none", "justifyMode": "auto",
                        "textMode": "value_and_name", "orientation": "auto",
                        "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False}}}


def table(title, tgts, description="", overrides=None, hide=(), rename=None, unit="short",
          steps=None, sort=None, merge=True):
    """Instant-query table; `hide` drops columns, `rename` relabels them."""
    exclude = {name: True for name in ("Time", "__name__", "job") + tuple(hide)}
    transformations = [{"id": "merge", "options": {}}] if merge and len(tgts) > 1 else []
    transformations.append({"id": "organize", "options": {"excludeByName": exclude,
                                                          "renameByName": rename or {}}})
    defaults = field_defaults(unit, steps=steps)
    defaults["custom"] = {"align": "auto", "cellOptions": {"type": "auto"}, "filterable": True}
    panel = {"type": "table", "title": title, "description": description, "datasource": DS,
             "targets": tgts, "transformations": transformations,
             "fieldConfig": {"defaults": defaults, "overrides": overrides or []},
             "options": {"showHeader": True, "cellHeight": "sm",
                         "footer": {"show": False, "reducer": ["sum"], "fields": ""}}}
    if sort:
        panel["options"]["sortBy"] = [{"displayName": sort[0], "desc": sort[1]}]
    return panel


def state_timeline(title, tgts, description="", mappings=None, steps=None):
    defaults = field_defaults("short", steps=steps)
    defaults["color"] = {"mode": "thresholds"}
    defaults["custom"] = {"fillOpacity": 80, "lineWidth": 0}
    defaults["mappings"] = mappings or []
    return {"type": "state-timeline", "title": title, "description": description, "datasource": DS,
            "targets": tgts, "fieldConfig": {"defaults": defaults, "overrides": []},
            "options": {"mergeValues": True, "showValue": "never", "alignValue": "left",
                        "rowHeight": 0.9, "legend": {"displayMode": "list", "placement": "bottom",
                                                     "showLegend": True},
                        "tooltip": {"mode": "single", "sort": "none"}}}


def override(column, **props):
    """A byName field override: unit=..., displayName=..., color cells by thresholds."""
    properties = []
    for key, value in props.items():
        if key == "cell":
            properties.append({"id": "custom.cellOptions", "value": {"type": value}})
        elif key == "steps":
            properties.append({"id": "thresholds", "value": {"mode": "absolute", "steps": value}})
        elif key == "mappings":
            properties.append({"id": "mappings", "value": value})
        else:
            properties.append({"id": key, "value": value})
    return {"matcher": {"id": "byName", "options": column}, "properties": properties}


UP_DOWN = [{"type": "value", "options": {"0": {"text": "down", "color": "red", "index": 0},
                                         "1": {"text": "up", "color": "green", "index": 1}}}]
UP_DOWN_STEPS = [{"color": "red", "value": None}, {"color": "green", "value": 1}]


def row(title, collapsed=False, panels=None):
    return {"type": "row", "title": title, "collapsed": collapsed, "panels": panels or []}


def layout(items):
    """Assigns ids and gridPos. items: row dicts and (panel, width, height) tuples; a
    collapsed row takes the tuples after it (up to the next row) as its own panels."""
    out, x, y, next_id = [], 0, 0, 1
    current_row = None
    line_height = 0

    def newline():
        nonlocal x, y, line_height
        if x:
            y += line_height
        x, line_height = 0, 0

    for item in items:
        if isinstance(item, dict):  # a row
            newline()
            item = dict(item)
            item["id"] = next_id
            next_id += 1
            item["gridPos"] = {"h": 1, "w": 24, "x": 0, "y": y}
            y += 1
            out.append(item)
            current_row = item if item["collapsed"] else None
            continue
        panel, width, height = item
        if x + width > 24:
            newline()
        panel = dict(panel)
        panel["id"] = next_id
        next_id += 1
        panel["gridPos"] = {"h": height, "w": width, "x": x, "y": y}
        x += width
        line_height = max(line_height, height)
        (current_row["panels"] if current_row is not None else out).append(panel)
    return out


def query_variable(name, label, query, multi=True, include_all=True):
    return {"type": "query", "name": name, "label": label, "datasource": DS,
            "definition": query, "query": query,
            "refresh": 2, "sort": 1, "multi": multi, "includeAll": include_all,
            "allValue": ".+" if include_all else None, "current": {}, "options": [], "regex": "",
            "hide": 0, "skipUrlSync": False}


def dashboard(uid, title, description, panels, extra_variables=(), time_from="now-6h"):
    variables = [
        {"type": "datasource", "name": "datasource", "label": "Data source", "query": "prometheus",
         "current": {}, "options": [], "refresh": 1, "regex": "", "hide": 0, "skipUrlSync": False},
        query_variable("instance", "Instance", "label_values(vitals_build_info, instance)"),
    ] + list(extra_variables)
    return {
        "uid": uid, "title": title, "description": description,
        "tags": ["vitals"], "timezone": "", "editable": True, "graphTooltip": 1,
        "schemaVersion": 38, "version": 1, "refresh": "1m", "liveNow": False,
        "time": {"from": time_from, "to": "now"}, "timepicker": {}, "fiscalYearStartMonth": 0,
        "weekStart": "",
        "annotations": {"list": [{"builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"},
                                  "enable": True, "hide": True, "iconColor": "rgba(0, 211, 255, 1)",
                                  "name": "Annotations & Alerts", "type": "dashboard"}]},
        "links": [{"type": "dashboards", "tags": ["vitals"], "asDropdown": True, "title": "vitals",
                   "includeVars": True, "keepTime": True, "icon": "external link", "targetBlank": False,
                   "tooltip": "", "url": ""}],
        "templating": {"list": variables},
        "panels": layout(panels),
    }


# --------------------------------------------------------------------------- dashboards


def host_overview():
    fs = 'fstype!="", mountpoint!="", ' + I
    return dashboard(
        "vitals-host", "vitals / Host overview",
        "CPU, memory, filesystems and network of one or many servers (vitals_exporter).",
        [
            row("Now"),
            (bargauge("CPU utilisation", targets(
                ("instance:node_cpu_utilisation:rate5m{%s}" % I, "{{instance}}")),
                description="Busy fraction of all CPUs, 5-minute mean (recording rule)."), 6, 7),
            (bargauge("Memory utilisation", targets(
                ("instance:node_memory_utilisation:ratio{%s}" % I, "{{instance}}")),
                description="1 - MemAvailable / MemTotal."), 6, 7),
            (bargauge("Fullest filesystem", targets(
                ("max by (instance) (instance_mountpoint:node_filesystem_used:ratio{%s})" % I,
                 "{{instance}}")),
                description="Used fraction of the fullest writable filesystem of each host."), 6, 7),
            (table("Hosts", targets(
                ("max by (instance) (instance:node_num_cpu:sum{%s})" % I, ""),
                ("max by (instance) (time() - node_boot_time_seconds{%s})" % I, ""),
                ("max by (instance) (node_load15{%s})" % I, ""),
                ("max by (instance) (node_memory_MemTotal_bytes{%s})" % I, ""),
                instant=True, table=True),
                rename={"Value #A": "CPUs", "Value #B": "Uptime", "Value #C": "Load 15m",
                        "Value #D": "Memory"},
                overrides=[override("Uptime", unit="s"), override("Memory", unit="bytes")]), 6, 7),

            row("CPU"),
            (timeseries("CPU utilisation", targets(
                ("instance:node_cpu_utilisation:rate5m{%s}" % I, "{{instance}}"),
                ("instance:vitals_threshold_cpu:effective{level=\"red\", %s}" % I,
                 "{{instance}} red threshold")),
                unit="percentunit", minimum=0, maximum=1,
                description="5-minute mean; dashed: the host's red threshold (alerts fire above it "
                            "for 15 minutes)."), 12, 8),
            (timeseries("CPU by mode", targets(
                ("sum by (instance, mode) (rate(node_cpu_seconds_total{mode!=\"idle\", %s}[$__rate_interval]))"
                 " / on (instance) group_left instance:node_num_cpu:sum" % I, "{{instance}} {{mode}}")),
                unit="percentunit", minimum=0, stack=True), 6, 8),
            (timeseries("Load average (per CPU)", targets(
                ("node_load1{%s} / on (instance) instance:node_num_cpu:sum" % I, "{{instance}} 1m"),
                ("node_load15{%s} / on (instance) instance:node_num_cpu:sum" % I, "{{instance}} 15m")),
                minimum=0), 6, 8),

            row("Memory"),
            (timeseries("Memory utilisation", targets(
                ("instance:node_memory_utilisation:ratio{%s}" % I, "{{instance}}"),
                ("instance:vitals_threshold_memory:effective{level=\"red\", %s}" % I,
                 "{{instance}} red threshold")),
                unit="percentunit", minimum=0, maximum=1), 12, 8),
            (timeseries("Memory used / total", targets(
                ("node_memory_MemTotal_bytes{%s} - node_memory_MemAvailable_bytes{%s}" % (I, I),
                 "{{instance}} used"),
                ("node_memory_MemTotal_bytes{%s}" % I, "{{instance}} total"),
                ("node_memory_SwapTotal_bytes{%s} - node_memory_SwapFree_bytes{%s}" % (I, I),
                 "{{instance}} swap used")),
                unit="bytes", minimum=0), 12, 8),

            row("Filesystems"),
            (table("Free space per mount point", targets(
                ("max by (instance, mountpoint, device) (node_filesystem_avail_bytes{%s})" % fs, ""),
                ("max by (instance, mountpoint, device) (node_filesystem_size_bytes{%s})" % fs, ""),
                ("max by (instance, mountpoint, device) "
                 "(instance_mountpoint:node_filesystem_used:ratio{%s})" % I, ""),
                instant=True, table=True),
                sort=("Used", True),
                rename={"Value #A": "Free", "Value #B": "Size", "Value #C": "Used"},
                overrides=[override("Free", unit="bytes"), override("Size", unit="bytes"),
                           override("Used", unit="percentunit", min=0, max=1,
                                    cell="color-background", steps=RATIO_STEPS)],
                description="Free = what unprivileged users can still write (f_bavail). Used is "
                            "empty for read-only filesystems."), 12, 9),
            (timeseries("Used per mount point", targets(
                ("instance_mountpoint:node_filesystem_used:ratio{%s}" % I, "{{instance}} {{mountpoint}}")),
                unit="percentunit", minimum=0, maximum=1, steps=RATIO_STEPS, threshold_lines=True),
                12, 9),
            (timeseries("Disk I/O", targets(
                ("sum by (instance) (rate(node_disk_read_bytes_total{%s}[$__rate_interval]))" % I,
                 "{{instance}} read"),
                ("-sum by (instance) (rate(node_disk_written_bytes_total{%s}[$__rate_interval]))" % I,
                 "{{instance}} write")),
                unit="Bps", description="Reads up, writes down."), 12, 8),
            (timeseries("Disk busy", targets(
                ("rate(node_disk_io_time_seconds_total{%s}[$__rate_interval])" % I,
                 "{{instance}} {{device}}")),
                unit="percentunit", minimum=0, maximum=1), 12, 8),

            row("Network"),
            (timeseries("Network traffic (all but lo)", targets(
                ("instance:node_network_receive_bytes_excluding_lo:rate5m{%s}" % I,
                 "{{instance}} receive"),
                ("-instance:node_network_transmit_bytes_excluding_lo:rate5m{%s}" % I,
                 "{{instance}} transmit")),
                unit="Bps", description="5-minute mean; receive up, transmit down."), 12, 8),
            (timeseries("Traffic per interface", targets(
                ("instance_device:node_network_receive_bytes:rate5m{device!=\"lo\", %s}" % I,
                 "{{instance}} {{device}} rx"),
                ("-instance_device:node_network_transmit_bytes:rate5m{device!=\"lo\", %s}" % I,
                 "{{instance}} {{device}} tx")),
                unit="Bps"), 12, 8),
            (timeseries("Network errors and drops", targets(
                ("sum by (instance) (rate(node_network_receive_errs_total{%s}[$__rate_interval])"
                 " + rate(node_network_transmit_errs_total{%s}[$__rate_interval]))" % (I, I),
                 "{{instance}} errors"),
                ("sum by (instance) (rate(node_network_receive_drop_total{%s}[$__rate_interval])"
                 " + rate(node_network_transmit_drop_total{%s}[$__rate_interval]))" % (I, I),
                 "{{instance}} drops")),
                unit="pps", minimum=0), 12, 8),
            (table("Exporter", targets(
                ("max by (instance, version, revision) (vitals_build_info{%s})" % I, ""),
                ("min by (instance) (vitals_scrape_collector_success{%s})" % I, ""),
                instant=True, table=True),
                hide=("Value #A",), rename={"Value #B": "All collectors OK"},
                overrides=[override("All collectors OK", mappings=[
                    {"type": "value", "options": {"0": {"text": "no", "color": "red", "index": 0},
                                                  "1": {"text": "yes", "color": "green", "index": 1}}}],
                    cell="color-background")]), 12, 8),

            # Pressure stall information (PSI, recorded shares of time) and systemd units
            # (the systemd collector: off by default; restarts and the cgroup panels need
            # its enable-restarts-metrics / enable-cgroup-metrics flags). The pressure
            # steps are the alert thresholds (PRESSURE in rules/generate.py).
            row("Pressure and systemd units"),
            (timeseries("CPU pressure", targets(
                ("instance:node_pressure_cpu_waiting:rate5m{%s}" % I, "{{instance}} waiting")),
                unit="percentunit", minimum=0, maximum=1, threshold_lines=True,
                steps=[{"color": "green", "value": None}, {"color": "#FF9830", "value": 0.5}],
                description="Share of time runnable tasks waited for a CPU (PSI some), 5-minute "
                            "mean. Amber alert above 50 % for 30 minutes."), 8, 8),
            (timeseries("Memory pressure", targets(
                ("instance:node_pressure_memory_waiting:rate5m{%s}" % I, "{{instance}} waiting"),
                ("instance:node_pressure_memory_stalled:rate5m{%s}" % I, "{{instance}} stalled")),
                unit="percentunit", minimum=0, threshold_lines=True,
                steps=[{"color": "green", "value": None}, {"color": "#FF9830", "value": 0.02},
                       {"color": "red", "value": 0.1}],
                description="Share of time some task waited for memory (PSI some) and every "
                            "non-idle task was stalled on it (full). Alerts on stalled: amber "
                            "above 2 % for 30 minutes, red above 10 % for 5."), 8, 8),
            (timeseries("I/O pressure", targets(
                ("instance:node_pressure_io_waiting:rate5m{%s}" % I, "{{instance}} waiting"),
                ("instance:node_pressure_io_stalled:rate5m{%s}" % I, "{{instance}} stalled")),
                unit="percentunit", minimum=0, threshold_lines=True,
                steps=[{"color": "green", "value": None}, {"color": "#FF9830", "value": 0.1}],
                description="Share of time some task waited for I/O (PSI some) and every "
                            "non-idle task was stalled on it (full). Amber alert on stalled "
                            "above 10 % for 30 minutes."), 8, 8),
            (stat("Failed units", targets(
                ("sum by (instance) (node_systemd_units{state=\"failed\", %s})" % I, "{{instance}}")),
                steps=[{"color": "green", "value": None}, {"color": "#FF9830", "value": 1}],
                description="Units in state failed (all units, before the collector's unit "
                            "filters). Needs the systemd collector (--collector.systemd)."), 6, 8),
            (table("Failed units now", targets(
                ("max by (instance, name, type) (node_systemd_unit_state{state=\"failed\", %s}) == 1" % I,
                 ""), instant=True, table=True),
                hide=("Value",),
                description="Units in state failed among those the collector watches "
                            "(unit-include / unit-exclude)."), 9, 8),
            (table("Restarting services (last 15 minutes)", targets(
                ("max by (instance, name) "
                 "(instance_name:node_systemd_service_restarts:increase15m{%s}) > 0" % I, ""),
                instant=True, table=True),
                rename={"Value": "Restarts"}, sort=("Restarts", True),
                overrides=[override("Restarts", decimals=0, cell="color-background",
                                    steps=[{"color": "#FF9830", "value": None},
                                           {"color": "red", "value": 3}])],
                description="Automatic restarts (Restart=) per service in the last 15 minutes; "
                            "3 or more is a crash loop. Needs "
                            "--collector.systemd.enable-restarts-metrics."), 9, 8),
            (timeseries("Service restarts (15 minutes)", targets(
                ("instance_name:node_systemd_service_restarts:increase15m{%s} > 0" % I,
                 "{{instance}} {{name}}")),
                minimum=0, threshold_lines=True,
                steps=[{"color": "green", "value": None}, {"color": "red", "value": 3}],
                description="Services with automatic restarts in the last 15 minutes."), 8, 8),
            (timeseries("Service CPU (top 10, cores)", targets(
                ("topk(10, instance_name:vitals_systemd_unit_cpu_cores:rate5m{%s})" % I,
                 "{{instance}} {{name}}")),
                minimum=0, description="CPU of each service's cgroup, 1 = one core, 5-minute "
                                       "mean. Needs --collector.systemd.enable-cgroup-metrics."),
                8, 8),
            (timeseries("Service memory (top 10)", targets(
                ("topk(10, vitals_systemd_unit_memory_bytes{%s})" % I, "{{instance}} {{name}}")),
                unit="bytes", minimum=0,
                description="memory.current of each service's cgroup (page cache included). "
                            "Needs --collector.systemd.enable-cgroup-metrics."), 8, 8),
            (timeseries("Service memory stall (top 10)", targets(
                ("topk(10, instance_name:vitals_systemd_unit_pressure_memory_stalled:rate5m{%s})"
                 % I, "{{instance}} {{name}}")),
                unit="percentunit", minimum=0, threshold_lines=True,
                steps=[{"color": "green", "value": None}, {"color": "#FF9830", "value": 0.02},
                       {"color": "red", "value": 0.1}],
                description="Share of time every non-idle task of the service was stalled on "
                            "memory (the cgroup's own PSI full), usually its MemoryMax= or "
                            "MemoryHigh= cap. Alerts: amber above 2 % for 30 minutes, red above "
                            "10 % for 5. Needs --collector.systemd.enable-cgroup-metrics."),
                12, 8),
            (timeseries("Service disk I/O (top 10)", targets(
                ("topk(10, rate(vitals_systemd_unit_io_read_bytes_total{%s}[5m]))" % I,
                 "{{instance}} {{name}} read"),
                ("topk(10, rate(vitals_systemd_unit_io_written_bytes_total{%s}[5m]))" % I,
                 "{{instance}} {{name}} written")),
                unit="Bps", minimum=0,
                description="Bytes per second each service's cgroup read from and wrote to "
                            "block devices (io.stat, cgroup v2 with the io controller on). "
                            "Needs --collector.systemd.enable-cgroup-metrics."), 12, 8),

            # GPU panels (metrics from the gpu collector, NVML); empty on hosts without one.
            row("GPU", collapsed=True),
            (timeseries("GPU utilisation", targets(
                ("vitals_gpu_utilization_ratio{%s}" % I, "{{instance}} {{gpu}} {{name}}")),
                unit="percentunit", minimum=0, maximum=1), 8, 8),
            (timeseries("GPU memory used / total", targets(
                ("vitals_gpu_memory_used_bytes{%s}" % I, "{{instance}} {{gpu}} used"),
                ("vitals_gpu_memory_total_bytes{%s}" % I, "{{instance}} {{gpu}} total")),
                unit="bytes", minimum=0), 8, 8),
            (timeseries("GPU temperature", targets(
                ("vitals_gpu_temperature_celsius{%s}" % I, "{{instance}} {{gpu}} {{name}}")),
                unit="celsius"), 8, 8),
            (bargauge("GPU memory utilisation", targets(
                ("vitals_gpu_memory_used_bytes{%s} / vitals_gpu_memory_total_bytes{%s}" % (I, I),
                 "{{instance}} {{gpu}} {{name}}"))), 24, 6),
        ])


def processes():
    G = I + ', groupname=~"$groupname"'
    groupname = query_variable(
        "groupname", "Process group",
        'label_values(namedprocess_namegroup_num_procs{instance=~"$instance"}, groupname)')
    return dashboard(
        "vitals-processes", "vitals / Processes",
        "Process groups (processes: section), their top PIDs and CPU affinity.",
        [
            row("Groups now"),
            (table("Process groups", targets(
                *[("max by (instance, groupname) (%s)" % (selector % G), "") for selector in (
                    "namedprocess_namegroup_num_procs{%s}",
                    "instance_groupname:namedprocess_namegroup_cpu_cores:rate5m{%s}",
                    "instance_groupname:namedprocess_namegroup_memory_utilisation:ratio{%s}",
                    "namedprocess_namegroup_memory_bytes{memtype=\"resident\", %s}",
                    "namedprocess_namegroup_num_threads{%s}",
                    "namedprocess_namegroup_worst_fd_ratio{%s}")],
                instant=True, table=True),
                sort=("CPU (cores)", True),
                rename={"Value #A": "Processes", "Value #B": "CPU (cores)",
                        "Value #C": "Memory (of host)", "Value #D": "Resident",
                        "Value #E": "Threads", "Value #F": "Worst fd use"},
                overrides=[override("CPU (cores)", decimals=2),
                           override("Memory (of host)", unit="percentunit", cell="color-background",
                                    steps=RATIO_STEPS),
                           override("Resident", unit="bytes"),
                           override("Worst fd use", unit="percentunit", cell="color-background",
                                    steps=RATIO_STEPS),
                           override("Processes", cell="color-background",
                                    steps=[{"color": "red", "value": None},
                                           {"color": "green", "value": 1}])],
                description="Processes 0 (red): a configured group with nothing running."), 24, 8),

            row("CPU and memory per group"),
            (timeseries("CPU (cores)", targets(
                ("instance_groupname:namedprocess_namegroup_cpu_cores:rate5m{%s}" % G,
                 "{{instance}} {{groupname}}")),
                minimum=0, description="1 = one full core, 5-minute mean."), 12, 8),
            (timeseries("CPU (fraction of host)", targets(
                ("instance_groupname:namedprocess_namegroup_cpu_utilisation:rate5m{%s}" % G,
                 "{{instance}} {{groupname}}")),
                unit="percentunit", minimum=0, steps=RATIO_STEPS), 12, 8),
            (timeseries("Resident memory", targets(
                ("namedprocess_namegroup_memory_bytes{memtype=\"resident\", %s}" % G,
                 "{{instance}} {{groupname}}")),
                unit="bytes", minimum=0), 12, 8),
            (timeseries("Memory (fraction of host RAM)", targets(
                ("instance_groupname:namedprocess_namegroup_memory_utilisation:ratio{%s}" % G,
                 "{{instance}} {{groupname}}")),
                unit="percentunit", minimum=0, steps=RATIO_STEPS), 12, 8),
            (timeseries("Processes", targets(
                ("namedprocess_namegroup_num_procs{%s}" % G, "{{instance}} {{groupname}}")),
                minimum=0), 8, 8),
            (timeseries("Storage I/O", targets(
                ("rate(namedprocess_namegroup_read_bytes_total{%s}[$__rate_interval])" % G,
                 "{{instance}} {{groupname}} read"),
                ("-rate(namedprocess_namegroup_write_bytes_total{%s}[$__rate_interval])" % G,
                 "{{instance}} {{groupname}} write")),
                unit="Bps"), 8, 8),
            (timeseries("Open file descriptors", targets(
                ("namedprocess_namegroup_open_filedesc{%s}" % G, "{{instance}} {{groupname}}")),
                minimum=0), 8, 8),

            row("Top PIDs (groups with per_pid: true)"),
            (table("Top PIDs by CPU", targets(
                ("topk(20, sum by (instance, groupname, pid) "
                 "(rate(vitals_process_cpu_seconds_total{%s}[$__rate_interval])))" % G, ""),
                ("sum by (instance, groupname, pid) (vitals_process_memory_bytes{memtype=\"resident\", %s})"
                 % G, ""),
                ("max by (instance, groupname, pid, cpus) (vitals_process_cpu_affinity_info{%s})" % G, ""),
                instant=True, table=True),
                hide=("Value #C",), sort=("CPU (cores)", True),
                rename={"Value #A": "CPU (cores)", "Value #B": "Resident", "cpus": "Allowed CPUs"},
                overrides=[override("CPU (cores)", decimals=3), override("Resident", unit="bytes")],
                description="The max_pids members of each group with the most CPU time."), 12, 9),
            (timeseries("CPU per PID", targets(
                ("sum by (instance, groupname, pid) "
                 "(rate(vitals_process_cpu_seconds_total{%s}[$__rate_interval]))" % G,
                 "{{groupname}} {{pid}}")),
                minimum=0), 12, 9),
            (timeseries("Resident memory per PID", targets(
                ("vitals_process_memory_bytes{memtype=\"resident\", %s}" % G, "{{groupname}} {{pid}}")),
                unit="bytes", minimum=0), 12, 8),
            (timeseries("CPU affinity (CPUs allowed)", targets(
                ("vitals_process_cpu_affinity{%s}" % G, "{{groupname}} {{pid}}"),
                ("instance:node_num_cpu:sum{%s}" % I, "{{instance}} CPUs on host")),
                minimum=0, description="How many CPUs each PID may run on, against the host's "
                                       "CPU count; fewer means it is pinned."), 12, 8),
        ],
        extra_variables=[groupname])


def ports_and_probes():
    return dashboard(
        "vitals-ports-probes", "vitals / Ports and probes",
        "Listening ports (ports: section) and HTTP/TCP probes (probes: section): state, "
        "latency, outages and certificate expiry.",
        [
            row("Ports"),
            (state_timeline("Ports listening", targets(
                ("vitals_port_listening{%s}" % I, "{{instance}} {{name}} {{protocol}}/{{port}}")),
                mappings=UP_DOWN, steps=UP_DOWN_STEPS), 16, 8),
            (table("Ports not listening now", targets(
                ("vitals_port_listening{%s} == 0" % I, ""), instant=True, table=True),
                hide=("Value",)), 8, 8),
            (table("Listeners", targets(
                ("vitals_port_listener_info{%s}" % I, ""), instant=True, table=True),
                hide=("Value",), description="The process owning each listening socket."), 12, 7),
            (table("Port availability over the time range", targets(
                ("avg_over_time(vitals_port_listening{%s}[$__range])" % I, ""),
                instant=True, table=True),
                rename={"Value": "Listening"}, sort=("Listening", False),
                overrides=[override("Listening", unit="percentunit", cell="color-background",
                                    steps=[{"color": "red", "value": None},
                                           {"color": "#FF9830", "value": 0.99},
                                           {"color": "green", "value": 1}])]), 12, 7),

            row("Probes"),
            (state_timeline("Probe success", targets(
                ("probe_success{%s}" % I, "{{instance}} {{target}} ({{module}})")),
                mappings=UP_DOWN, steps=UP_DOWN_STEPS), 16, 8),
            (table("Failing probes now", targets(
                ("vitals_probe_consecutive_failures{%s} > 0" % I, ""), instant=True, table=True),
                rename={"Value": "Failures in a row"}), 8, 8),
            (timeseries("Probe duration", targets(
                ("probe_duration_seconds{%s}" % I, "{{instance}} {{target}}")),
                unit="s", minimum=0), 12, 8),
            (timeseries("HTTP phases", targets(
                ("sum by (instance, target, phase) (probe_http_duration_seconds{%s})" % I,
                 "{{target}} {{phase}}")),
                unit="s", minimum=0, stack=True,
                description="resolve, connect, tls, processing (to first byte), transfer."), 12, 8),
            (table("HTTP status and last success", targets(
                ("max by (instance, target, module, group) (probe_http_status_code{%s})" % I, ""),
                ("max by (instance, target, module, group) "
                 "(time() - vitals_probe_last_success_timestamp_seconds{%s})" % I, ""),
                instant=True, table=True),
                rename={"Value #A": "Status code", "Value #B": "Last success (ago)"},
                overrides=[override("Last success (ago)", unit="s")]), 12, 8),
            (table("Probe availability over the time range", targets(
                ("avg_over_time(probe_success{%s}[$__range])" % I, ""), instant=True, table=True),
                rename={"Value": "Success"}, sort=("Success", False),
                overrides=[override("Success", unit="percentunit", cell="color-background",
                                    steps=[{"color": "red", "value": None},
                                           {"color": "#FF9830", "value": 0.99},
                                           {"color": "green", "value": 1}])]), 12, 8),

            row("Outages"),
            (state_timeline("Port and probe alerts", targets(
                ("ALERTS{alertname=~\"VitalsPort.*|.*Probe.*\", %s}" % I,
                 "{{alertname}} {{alertstate}} {{instance}} {{name}}{{target}}")),
                mappings=[{"type": "value", "options": {"1": {"text": "active", "color": "red",
                                                              "index": 0}}}],
                steps=[{"color": "red", "value": None}],
                description="Pending and firing port/probe alerts (ALERTS); gaps: none active."),
                24, 8),
            (timeseries("Down (ports not listening, probes failing)", targets(
                ("count by (instance) (vitals_port_listening{%s} == 0)" % I, "{{instance}} ports down"),
                ("count by (instance) (probe_success{%s} == 0)" % I, "{{instance}} probes failing")),
                minimum=0), 24, 7),

            row("Certificates"),
            (table("Certificate expiry", targets(
                ("probe_ssl_earliest_cert_expiry{%s} - time()" % I, ""),
                ("probe_ssl_earliest_cert_expiry{%s} * 1000" % I, ""),
                instant=True, table=True),
                rename={"Value #A": "Expires in", "Value #B": "Expires at"},
                sort=("Expires in", False),
                overrides=[override("Expires in", unit="dtdurations", cell="color-background",
                                    steps=[{"color": "red", "value": None},
                                           {"color": "#FF9830", "value": 7 * 86400},
                                           {"color": "green", "value": 14 * 86400}]),
                           override("Expires at", unit="dateTimeAsIso")],
                description="Earliest notAfter of each TLS target's chain; red under 7 days, "
                            "amber under 14."), 24, 7),
        ])


def alerts():
    # Alerts without an instance label (Watchdog, cluster-wide ones) are kept.
    A = 'instance=~"$instance|"'
    severity_steps = {
        "critical": [{"color": "green", "value": None}, {"color": "red", "value": 1}],
        "warning": [{"color": "green", "value": None}, {"color": "#FF9830", "value": 1}],
    }
    return dashboard(
        "vitals-alerts", "vitals / Alerts",
        "What is red (severity critical) and amber (severity warning) now, and over the "
        "last days (Prometheus ALERTS series).",
        [
            row("Now"),
            (stat("Red (critical) firing", targets(
                ("count(ALERTS{alertstate=\"firing\", severity=\"critical\", %s}) or vector(0)" % A,
                 "red")), steps=severity_steps["critical"]), 6, 5),
            (stat("Amber (warning) firing", targets(
                ("count(ALERTS{alertstate=\"firing\", severity=\"warning\", %s}) or vector(0)" % A,
                 "amber")), steps=severity_steps["warning"]), 6, 5),
            (stat("Pending", targets(
                ("count(ALERTS{alertstate=\"pending\", %s}) or vector(0)" % A, "pending")),
                steps=[{"color": "green", "value": None}, {"color": "blue", "value": 1}]), 6, 5),
            (stat("Alerting pipeline (Watchdog)", targets(
                ("count(ALERTS{alertname=\"Watchdog\", alertstate=\"firing\"}) or vector(0)", "Watchdog")),
                steps=[{"color": "red", "value": None}, {"color": "green", "value": 1}],
                description="Watchdog always fires; 0 means the rules are not loaded or not "
                            "evaluated."), 6, 5),
            (table("Firing now", targets(
                ("ALERTS{alertstate=\"firing\", alertname!=\"Watchdog\", %s}" % A, ""),
                instant=True, table=True),
                hide=("Value", "alertstate"), sort=("severity", False),
                overrides=[override("severity", cell="color-background", mappings=[
                    {"type": "value", "options": {
                        "critical": {"text": "red", "color": "red", "index": 0},
                        "warning": {"text": "amber", "color": "#FF9830", "index": 1}}}])]), 24, 9),

            row("History"),
            (timeseries("Firing alerts by severity", targets(
                ("count by (severity) (ALERTS{alertstate=\"firing\", alertname!=\"Watchdog\", %s})" % A,
                 "{{severity}}")),
                minimum=0, stack=True,
                overrides=[override("critical", color={"mode": "fixed", "fixedColor": "red"}),
                           override("warning", color={"mode": "fixed", "fixedColor": "#FF9830"})]),
                24, 8),
            (state_timeline("Alert timeline", targets(
                ("max by (alertname, severity, instance) "
                 "(ALERTS{alertstate=\"firing\", alertname!=\"Watchdog\", %s})" % A,
                 "{{alertname}} {{instance}}")),
                mappings=[{"type": "value", "options": {"1": {"text": "firing", "index": 0}}}],
                steps=[{"color": "red", "value": None}]), 24, 10),
            (table("Fired in the time range", targets(
                ("sort_desc(count_over_time(ALERTS{alertstate=\"firing\", alertname!=\"Watchdog\", %s}"
                 "[$__range]))" % A, ""),
                instant=True, table=True),
                hide=("alertstate",), rename={"Value": "Firing evaluations"},
                description="Each alert that fired in the range; the count is the number of rule "
                            "evaluations it was firing for (times the evaluation interval, "
                            "1m by default, gives the time)."), 24, 9),
        ],
        time_from="now-7d")


DASHBOARDS = {
    "host-overview.json": host_overview,
    "processes.json": processes,
    "ports-probes.json": ports_and_probes,
    "alerts.json": alerts,
}


def render(build):
    return json.dumps(build(), indent=2) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="fail when a committed file differs from what would be written")
    args = parser.parse_args()
    stale = []
    for name, build in DASHBOARDS.items():
        path = os.path.join(HERE, name)
        text = render(build)
        if args.check:
            try:
                with open(path) as f:
                    current = f.read()
            except OSError:
                current = None
            if current != text:
                stale.append(name)
        else:
            with open(path, "w") as f:
                f.write(text)
    if stale:
        print("stale (run dashboards/generate.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
