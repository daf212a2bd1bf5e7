#!/usr/bin/env python3
"""The Grafana dashboards (dashboards/*.json) against a real Prometheus.

1. Static checks of every dashboard file: valid JSON, importable as-is (no __inputs,
   schemaVersion), the `datasource` and `instance` variables, every panel and target
   on the `${datasource}` variable, unique panel ids, every variable used defined.
2. Starts vitals_exporter (a process group with per-PID detail, a listening and a
   closed port, an HTTP, an HTTPS and a failing TCP probe against servers this test
   runs) and Prometheus (1 s scrape and evaluation, the shipped rules/*.yml plus a
   test-only rule file with two always-firing alerts, red and amber) on loopback.
3. Resolves each query variable from its label_values() definition (it must have
   values), substitutes the variables and Grafana's built-ins ($__rate_interval,
   $__range, ...) in every panel query, and checks that Prometheus accepts every
   query and that each one returns data (GPU panels: accepted only, unless
   --gpu-library is given; see exporter_args(). systemd panels: accepted only, the
   collector needs a system bus with systemd; tests/e2e/systemd_bus.py covers it).

Python 3 standard library only; every wait is bounded.
"""
import argparse
import glob
import http.server
import json
import os
import re
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness  # noqa: E402

DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
# Grafana's built-in variables, as durations that suit a 1 s scrape interval and a
# test that has run for a few seconds.
BUILTINS = {
    "__rate_interval": "1m", "__interval": "15s", "__range": "1h",
    "__interval_ms": "15000", "__range_s": "3600", "__range_ms": "3600000",
}
VARIABLE_RE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)")
LABEL_VALUES_RE = re.compile(r"^label_values\((.*),\s*(\w+)\)$", re.S)
GPU_METRIC_RE = re.compile(r"\bvitals_gpu_")
# The systemd collector is off by default and reads systemd over D-Bus: its panels
# (raw families and the recorded instance_name:*systemd* series) are parsed only.
SYSTEMD_METRIC_RE = re.compile(r"\b(node|vitals)_systemd_")
DATA_DEADLINE_S = 60

# Always-firing alerts, one red and one amber, so that the "firing now" panels
# have rows; labelled like the real ones (instance, job from vitals_build_info).
TEST_RULES = """\
groups:
  - name: dashboards-test.alerts
    rules:
      - alert: DashboardsTestRed
        expr: vitals_build_info
        labels: {severity: critical}
      - alert: DashboardsTestAmber
        expr: vitals_build_info
        labels: {severity: warning}
"""


# Two GPUs for the fake NVML, shared with the gpu tests (format: tests/fake_nvml/fake_nvml.c).
FAKE_NVML_SCRIPT = os.path.join("tests", "fixtures", "nvml", "two_gpus.script")


def exporter_args(config, gpu_library=None):
    """The exporter's command line (after --web.listen-address), built only here.

    GPU panels: there is no GPU on the test machines. With --gpu-library=PATH (the
    fake NVML library the build makes; CMake passes it) the exporter loads it
    through --collector.gpu.library with FAKE_NVML_SCRIPT (exporter_env) and the GPU
    panels must return data too; without it their queries are only checked to parse.
    """
    args = ["--config.file=" + config]
    if gpu_library:
        args.append("--collector.gpu.library=" + gpu_library)
    return args


def exporter_env(repo, gpu_library=None):
    if not gpu_library:
        return None
    return {"FAKE_NVML_SCRIPT": os.path.join(repo, FAKE_NVML_SCRIPT)}


# --------------------------------------------------------------------------- static checks


def all_panels(dashboard):
    """Top-level panels and the panels inside collapsed rows."""
    for panel in dashboard.get("panels", []):
        yield panel
        for inner in panel.get("panels", []):
            yield inner


def static_checks(failures, name, dashboard):
    """Returns the dashboard's [(panel title, expr, merged)] for the live part; merged:
    the panel is a table that merges several queries into rows."""
    check = failures.check
    check(isinstance(dashboard, dict), "%s: not a JSON object" % name)
    if not isinstance(dashboard, dict):
        return []
    check("__inputs" not in dashboard, "%s: has __inputs (export 'for sharing externally' off)" % name)
    check(isinstance(dashboard.get("schemaVersion"), int) and 36 <= dashboard["schemaVersion"] <= 39,
          "%s: schemaVersion %r, want 36..39" % (name, dashboard.get("schemaVersion")))
    check(dashboard.get("uid") and dashboard.get("title"), "%s: uid and title required" % name)
    check(dashboard.get("id") is None, "%s: has a database id (breaks import)" % name)

    variables = {v.get("name"): v for v in dashboard.get("templating", {}).get("list", [])}
    ds = variables.get("datasource", {})
    check(ds.get("type") == "datasource" and ds.get("query") == "prometheus",
          "%s: no `datasource` variable of type datasource/prometheus: %r" % (name, ds))
    inst = variables.get("instance", {})
    check(inst.get("type") == "query" and inst.get("multi") is True and inst.get("includeAll") is True,
          "%s: `instance` must be a multi-select query variable with All: %r" % (name, inst))
    check("label_values(" in str(inst.get("definition")) and inst.get("definition", "").endswith(
        "instance)"), "%s: `instance` not from label_values(..., instance)" % name)
    for var in variables.values():
        if var.get("type") == "query":
            check(var.get("datasource") == DATASOURCE,
                  "%s: variable %s not on ${datasource}" % (name, var.get("name")))
            check(var.get("query") == var.get("definition"),
                  "%s: variable %s: query and definition differ" % (name, var.get("name")))
            check(LABEL_VALUES_RE.match(var.get("definition", "")),
                  "%s: variable %s: definition is not label_values(selector, label)"
                  % (name, var.get("name")))

    ids, exprs = set(), []
    for panel in all_panels(dashboard):
        title = "%s: panel %r" % (name, panel.get("title"))
        check(isinstance(panel.get("id"), int) and panel["id"] not in ids, title + ": id missing or reused")
        ids.add(panel.get("id"))
        grid = panel.get("gridPos", {})
        check(all(isinstance(grid.get(k), int) for k in "hwxy") and grid["x"] + grid["w"] <= 24,
              title + ": bad gridPos %r" % grid)
        if panel.get("type") == "row":
            check(not panel.get("targets"), title + ": a row with queries")
            continue
        check(panel.get("datasource") == DATASOURCE, title + ": datasource is not ${datasource}")
        targets = panel.get("targets") or []
        check(targets, title + ": no queries")
        merged = panel.get("type") == "table" and len(targets) > 1
        for target in targets:
            expr = target.get("expr", "")
            check(expr.strip(), title + ": empty expr")
            check(target.get("datasource") == DATASOURCE, title + ": target datasource not ${datasource}")
            for match in VARIABLE_RE.finditer(expr):
                var = match.group(1) or match.group(2)
                check(var in variables or var in BUILTINS, title + ": undefined variable $" + var)
            # Every query follows the instance picker; only the pipeline heartbeat is global.
            check("$instance" in expr or 'alertname="Watchdog"' in expr,
                  title + ": query ignores $instance: " + expr)
            exprs.append((title, expr, merged))
    return exprs


# --------------------------------------------------------------------------- Prometheus


class PrometheusError(Exception):
    pass


def prom_get(base, path, params):
    url = base + path + "?" + urllib.parse.urlencode(params, doseq=True)
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body = json.load(response)
    except urllib.error.HTTPError as e:
        try:
            body = json.load(e)
        except ValueError:
            raise PrometheusError("HTTP %d" % e.code) from None
    if body.get("status") != "success":
        raise PrometheusError("%s: %s" % (body.get("errorType"), body.get("error")))
    return body["data"]


def has_data(data):
    if data["resultType"] in ("vector", "matrix"):
        return bool(data["result"])
    return True  # scalar / string


def regex_of(values):
    """What Grafana puts in a Prometheus query for a multi-value variable."""
    escaped = [re.sub(r"([\\.+*?()|\[\]{}^$])", r"\\\\\1", v) for v in sorted(values)]
    return escaped[0] if len(escaped) == 1 else "(" + "|".join(escaped) + ")"


def substitute(expr, values):
    def one(match):
        name = match.group(1) or match.group(2)
        return values.get(name, BUILTINS.get(name, match.group(0)))
    return VARIABLE_RE.sub(one, expr)


def resolve_variables(failures, base, name, dashboard, deadline):
    """Values for every query variable, each from its label_values() definition."""
    values = {}
    for var in dashboard.get("templating", {}).get("list", []):
        if var.get("type") != "query":
            continue
        match = LABEL_VALUES_RE.match(var.get("definition", ""))
        if not match:
            continue
        selector = substitute(match.group(1), values)
        found = []
        while True:
            try:
                series = prom_get(base, "/api/v1/series", {"match[]": selector})
                found = sorted({s[match.group(2)] for s in series if match.group(2) in s})
            except PrometheusError as e:
                failures.fail("%s: variable %s: %s" % (name, var["name"], e))
                break
            if found or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        failures.check(found, "%s: variable %s has no values (%s)" % (name, var["name"], selector))
        values[var["name"]] = regex_of(found) if found else ".+"
    return values


def check_queries(failures, base, queries, need_gpu, deadline):
    """queries: [(title, raw expr, substituted expr, merged)]. Fails parse errors at once
    and queries that still return nothing at the deadline."""
    waiting = []
    for title, raw, expr, merged in queries:
        try:
            prom_get(base, "/api/v1/query", {"query": expr})
            waiting.append((title, raw, expr, merged))
        except PrometheusError as e:
            failures.fail("%s: Prometheus rejects the query: %s\n  %s" % (title, e, expr))
    while True:
        still = []
        for title, raw, expr, merged in waiting:
            if GPU_METRIC_RE.search(raw) and not need_gpu:
                continue  # parsed above; no GPU here (see exporter_args()).
            if SYSTEMD_METRIC_RE.search(raw):
                continue  # parsed above; no systemd bus here (SYSTEMD_METRIC_RE).
            try:
                data = prom_get(base, "/api/v1/query", {"query": expr})
            except PrometheusError as e:
                failures.fail("%s: %s\n  %s" % (title, e, expr))
                continue
            if not has_data(data):
                still.append((title, raw, expr, merged))
            elif merged:
                # Grafana's merge transformation joins rows on equal label columns:
                # a metric name column differs between queries and splits the rows.
                failures.check(not any("__name__" in r.get("metric", {}) for r in data["result"]),
                               "%s: a merged table query keeps __name__ (aggregate it):\n  %s"
                               % (title, expr))
        waiting = still
        if not waiting or time.monotonic() > deadline:
            break
        time.sleep(1)
    for title, _, expr, _ in waiting:
        failures.fail("%s: no data after %d s:\n  %s" % (title, DATA_DEADLINE_S, expr))


# --------------------------------------------------------------------------- local servers


class OkHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        body = b'{"status": "ok"}\n'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def start_http_server(cert=None):
    server = http.server.ThreadingHTTPServer((harness.LOOPBACK, 0), OkHandler)
    server.daemon_threads = True
    if cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*cert)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def make_cert(tmp):
    cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True, timeout=60)
    return cert, key


def exporter_config(open_port, closed_port, http_port, https_port, ca_file):
    return """\
processes:
  groups:
    - name: python
      comm: [python3]
      per_pid: true
ports:
  - {port: %(open)d, name: open, address: 127.0.0.1}
  - {port: %(closed)d, name: closed, address: 127.0.0.1}
probes:
  modules:
    http_2xx: {prober: http, timeout: 2s}
    https_2xx: {prober: http, timeout: 2s, http: {ca_file: %(ca)s}}
    tcp_connect: {prober: tcp, timeout: 1s}
  targets:
    - {target: "http://127.0.0.1:%(http)d/", module: http_2xx, group: web}
    - {target: "https://127.0.0.1:%(https)d/", module: https_2xx, group: web}
    - {target: "127.0.0.1:%(closed)d", module: tcp_connect, group: db}
""" % {"open": open_port, "closed": closed_port, "http": http_port, "https": https_port,
       "ca": json.dumps(ca_file)}


def write_prometheus_config(tmp, repo, target):
    """1 s scrape and evaluation; every rules/*.yml (groups with their own interval
    get the global one, as in tests/rules/rules_live.py) plus TEST_RULES."""
    rule_files = []
    for source in sorted(glob.glob(os.path.join(repo, "rules", "*.yml"))):
        copy = os.path.join(tmp, "rules-" + os.path.basename(source))
        with open(source) as src, open(copy, "w") as dst:
            dst.writelines(line for line in src if not re.match(r"\s*interval:", line))
        rule_files.append(copy)
    test_rules = os.path.join(tmp, "dashboards-test-rules.yml")
    with open(test_rules, "w") as f:
        f.write(TEST_RULES)
    rule_files.append(test_rules)
    path = os.path.join(tmp, "prometheus.yml")
    with open(path, "w") as f:
        f.write("global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
                "rule_files: %s\n"
                "scrape_configs:\n  - job_name: vitals\n    static_configs:\n"
                "      - targets: ['%s']\n" % (json.dumps(rule_files), target))
    return path


def start_prometheus(binary, config, tmp):
    port = harness.free_port()
    log = open(os.path.join(tmp, "prometheus.log"), "w")
    proc = subprocess.Popen(
        [binary, "--config.file=" + config, "--storage.tsdb.path=" + os.path.join(tmp, "data"),
         "--web.listen-address=127.0.0.1:%d" % port],
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    return proc, "http://127.0.0.1:%d" % port, log.name


def stop_process(proc):
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


# --------------------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exporter", required=True)
    parser.add_argument("--repo", required=True)
    parser.add_argument("--prometheus", default="prometheus")
    parser.add_argument("--dashboards", help="directory of dashboards (default REPO/dashboards)")
    parser.add_argument("--gpu-library", help="fake NVML library: GPU panels must have data too")
    args = parser.parse_args()
    repo = os.path.abspath(args.repo)
    failures = harness.Failures("dashboards_live")

    files = sorted(glob.glob(os.path.join(args.dashboards or os.path.join(repo, "dashboards"), "*.json")))
    failures.check(len(files) >= 4, "expected at least 4 dashboards, found %s" % files)
    dashboards, queries, uids = {}, {}, set()
    for path in files:
        name = os.path.basename(path)
        try:
            with open(path) as f:
                dashboards[name] = json.load(f)
        except ValueError as e:
            failures.fail("%s: invalid JSON: %s" % (name, e))
            continue
        queries[name] = static_checks(failures, name, dashboards[name])
        uid = dashboards[name].get("uid") if isinstance(dashboards[name], dict) else None
        failures.check(uid not in uids, "%s: uid %r used twice" % (name, uid))
        uids.add(uid)
    if failures.items:
        return failures.exit()

    listening = socket.socket()
    listening.bind((harness.LOOPBACK, 0))
    listening.listen()
    closed_port = harness.free_port()
    exporter = prom = None
    servers = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            cert = make_cert(tmp)
            servers = [start_http_server(), start_http_server(cert)]
            config = os.path.join(tmp, "vitals.yml")
            with open(config, "w") as f:
                f.write(exporter_config(listening.getsockname()[1], closed_port,
                                        servers[0].server_address[1], servers[1].server_address[1],
                                        cert[0]))
            exporter = harness.Exporter(args.exporter, exporter_args(config, args.gpu_library),
                                        env=exporter_env(repo, args.gpu_library)).start()
            prom, base, log = start_prometheus(
                args.prometheus, write_prometheus_config(tmp, repo, exporter.addresses[0]), tmp)
            if not failures.check(harness.wait_http_ok(base + "/-/ready", 30, prom),
                                  "prometheus not ready: " + open(log).read()[-2000:]):
                return failures.exit()
            deadline = time.monotonic() + DATA_DEADLINE_S
            for name, dashboard in dashboards.items():
                values = resolve_variables(failures, base, name, dashboard, deadline)
                subs = [(title, expr, substitute(expr, values), merged)
                        for title, expr, merged in queries[name]]
                check_queries(failures, base, subs, bool(args.gpu_library), deadline)
            print("dashboards_live: %d dashboards, %d queries" %
                  (len(dashboards), sum(len(q) for q in queries.values())))
            failures.check(prom.poll() is None, "prometheus exited: " + open(log).read()[-2000:])
        finally:
            stop_process(prom)
            if exporter is not None:
                exporter.stop()
            for server in servers:
                server.shutdown()
                server.server_close()
            listening.close()
    return failures.exit()


if __name__ == "__main__":
    sys.exit(main())
