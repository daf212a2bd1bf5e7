#!/usr/bin/env python3
"""HTTP surface and command-line behaviour of vitals_exporter.

Landing page, health endpoints, 404/405, gzip, content type, --web.telemetry-path,
several --web.listen-address flags, concurrent scrapes, collector switches, a
failing collector, a port already in use, --version/--help, an unknown flag and
--config.check. Every exporter runs on the fixture tree on 127.0.0.1.
"""

import gzip
import os
import shutil
import socket
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
ALL_COLLECTORS = ["arp", "bcache", "bonding", "btrfs", "conntrack", "cpu", "cpufreq", "diskstats",
                  "dmi", "edac", "entropy", "fibrechannel", "filefd", "filesystem", "gpu", "hwmon",
                  "infiniband", "ipvs", "loadavg", "mdadm", "meminfo", "netclass", "netdev",
                  "netstat", "nfs", "nfsd", "nvme", "os", "powersupplyclass", "pressure", "rapl",
                  "schedstat", "selinux", "sockstat", "softnet", "stat", "tapestats", "textfile",
                  "thermal_zone", "time", "timex", "udp_queues", "uname", "vmstat", "xfs", "zfs"]
# Fail without their /proc file. pressure, conntrack, schedstat and mdadm succeed with
# nothing when --path.procfs exists but their files do not (a kernel without PSI, no
# nf_conntrack, no CONFIG_SCHED_INFO, no md driver).
PROCFS_COLLECTORS = ["arp", "cpu", "diskstats", "entropy", "filefd", "filesystem", "meminfo",
                     "netdev", "netstat", "sockstat", "softnet", "stat", "udp_queues", "vmstat"]


class Test:
    def __init__(self, args):
        self.exporter = args.exporter
        self.repo = args.repo
        self.fixtures = harness.fixture_args(args.repo)
        self.f = harness.Failures("http")
        self.started = []  # Stopped together at the end (see harness.stop_all).

    def start(self, *extra, listen=(harness.LOOPBACK + ":0",), fixtures=None):
        args = list(self.fixtures if fixtures is None else fixtures) + list(extra)
        exporter = harness.Exporter(self.exporter, args, listen=listen)
        self.started.append(exporter)
        return exporter.start()

    # ------------------------------------------------------------------ endpoints
    def endpoints(self):
        print("== landing page, health, 404, 405, HEAD, content type, gzip")
        f = self.f
        ex = self.start()
        r = ex.get("/")
        f.check(r.status == 200, "GET /: HTTP %d" % r.status)
        f.check((r.header("Content-Type") or "").startswith("text/html"),
                "GET /: Content-Type %r, expected text/html" % r.header("Content-Type"))
        page = r.text()
        f.check('href="/metrics"' in page, "landing page has no link to /metrics:\n" + page)
        for name in ALL_COLLECTORS:
            f.check("<li>%s</li>" % name in page,
                    "landing page does not list enabled collector %s" % name)

        for path, word in (("/-/healthy", "Healthy"), ("/-/ready", "Ready")):
            r = ex.get(path)
            f.check(r.status == 200, "GET %s: HTTP %d" % (path, r.status))
            f.check(word in r.text(), "GET %s: body %r" % (path, r.body))

        for path in ("/nope", "/metrics/extra", "/-/unknown"):
            r = ex.get(path)
            f.check(r.status == 404, "GET %s: HTTP %d, expected 404" % (path, r.status))

        for path in ("/metrics", "/"):
            r = ex.get(path, method="POST", data=b"x=1")
            f.check(r.status == 405, "POST %s: HTTP %d, expected 405" % (path, r.status))
            f.check("GET" in (r.header("Allow") or ""),
                    "POST %s: 405 without an Allow header listing GET" % path)

        r = ex.get("/metrics", method="HEAD")
        f.check(r.status == 200 and r.body == b"",
                "HEAD /metrics: HTTP %d with %d body bytes" % (r.status, len(r.body)))

        plain = ex.get("/metrics")
        f.check(plain.status == 200, "GET /metrics: HTTP %d" % plain.status)
        f.check(plain.header("Content-Type") == METRICS_CONTENT_TYPE,
                "GET /metrics: Content-Type %r, expected %r"
                % (plain.header("Content-Type"), METRICS_CONTENT_TYPE))
        f.check(plain.header("Content-Encoding") in (None, "identity"),
                "uncompressed scrape has Content-Encoding %r" % plain.header("Content-Encoding"))
        plain_families = harness.parse(plain.text()).families()

        zipped = ex.get("/metrics", headers={"Accept-Encoding": "gzip"})
        f.check(zipped.status == 200, "gzip GET /metrics: HTTP %d" % zipped.status)
        f.check(zipped.header("Content-Encoding") == "gzip",
                "Accept-Encoding: gzip answered with Content-Encoding %r"
                % zipped.header("Content-Encoding"))
        f.check(zipped.header("Content-Type") == METRICS_CONTENT_TYPE,
                "gzip scrape Content-Type %r" % zipped.header("Content-Type"))
        try:
            text = gzip.decompress(zipped.body).decode("utf-8")
            families = harness.parse(text).families()
            f.check(families == plain_families,
                    "gzip scrape families differ from the plain scrape: only gzip %s, only "
                    "plain %s" % (sorted(families - plain_families),
                                  sorted(plain_families - families)))
            f.check(text.endswith("\n"), "gzip scrape does not end with a newline")
        except (OSError, EOFError, harness.ParseError) as e:
            f.fail("gzip scrape does not decompress/parse: %s" % e)

    def telemetry_path(self):
        print("== --web.telemetry-path=/custom")
        f = self.f
        ex = self.start("--web.telemetry-path=/custom")
        r = ex.get("/custom")
        f.check(r.status == 200, "GET /custom: HTTP %d" % r.status)
        if r.status == 200:
            f.check("node_load1" in harness.parse(r.text()).families(),
                    "GET /custom has no node_load1")
        r = ex.get("/metrics")
        f.check(r.status == 404, "GET /metrics with telemetry path /custom: HTTP %d" % r.status)
        page = ex.get("/").text()
        f.check('href="/custom"' in page, "landing page does not link /custom")

    def two_listeners(self):
        print("== two --web.listen-address flags")
        f = self.f
        ex = self.start(listen=(harness.LOOPBACK + ":0", harness.LOOPBACK + ":0"))
        f.check(len(set(ex.ports)) == 2, "expected two distinct ports, got %s" % ex.ports)
        for index in range(len(ex.ports)):
            r = ex.get("/metrics", index=index)
            f.check(r.status == 200, "listener %s: HTTP %d" % (ex.addresses[index], r.status))

    def concurrency(self, threads=16, per_thread=10):
        print("== %d threads x %d concurrent scrapes" % (threads, per_thread))
        f = self.f
        ex = self.start()
        reference = harness.parse(ex.scrape()).families()
        problems = []
        lock = threading.Lock()

        def worker():
            for _ in range(per_thread):
                try:
                    r = ex.get("/metrics", timeout=30)
                    text = r.text()
                    bad = None
                    if r.status != 200:
                        bad = "HTTP %d" % r.status
                    elif not text.endswith("\n"):
                        bad = "body does not end with a newline (%d bytes)" % len(text)
                    else:
                        families = harness.parse(text).families()
                        if families != reference:
                            bad = "families differ: missing %s, extra %s" % (
                                sorted(reference - families), sorted(families - reference))
                except Exception as e:  # noqa: BLE001 - any failure is a finding here
                    bad = "%s: %s" % (type(e).__name__, e)
                with lock:
                    if bad:
                        problems.append(bad)

        pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
        for t in pool:
            t.start()
        deadline = time.monotonic() + 60
        for t in pool:
            t.join(timeout=max(0.0, deadline - time.monotonic()))
        alive = sum(t.is_alive() for t in pool)
        f.check(alive == 0, "%d scrape threads still running after 60 s" % alive)
        f.check(not problems, "%d of %d concurrent scrapes went wrong, e.g. %s"
                % (len(problems), threads * per_thread, problems[:3]))
        f.check(ex.proc.poll() is None, "exporter died during the concurrent scrapes")

    # ------------------------------------------------------------------ collectors
    def collector_switches(self):
        print("== --collector.disable-defaults --collector.loadavg, --no-collector.cpu")
        f = self.f
        ex = self.start("--collector.disable-defaults", "--collector.loadavg")
        families = harness.parse(ex.scrape()).families()
        node = {n for n in families if not n.startswith("vitals_")}
        f.check(node == {"node_load1", "node_load5", "node_load15"},
                "loadavg only: node families are %s" % sorted(node))
        collectors = {dict(l)["collector"] for l in
                      harness.parse(ex.scrape()).find("vitals_scrape_collector_success")}
        f.check(collectors == {"loadavg"}, "loadavg only: collectors %s" % sorted(collectors))

        ex = self.start("--no-collector.cpu")
        scrape = harness.parse(ex.scrape())
        families = scrape.families()
        # cpufreq's node_cpu_*frequency* families are another collector's.
        cpu = sorted(n for n in families
                     if n.startswith("node_cpu_") and "frequency" not in n)
        f.check(not cpu, "--no-collector.cpu still publishes %s" % cpu)
        f.check("node_load1" in families and "node_context_switches_total" in families,
                "--no-collector.cpu also removed other collectors: %s" % sorted(families))
        collectors = {dict(l)["collector"] for l in
                      scrape.find("vitals_scrape_collector_success")}
        f.check(collectors == set(ALL_COLLECTORS) - {"cpu"},
                "--no-collector.cpu: collectors %s" % sorted(collectors))

    def failing_collector(self):
        print("== failing collectors do not fail the scrape")
        f = self.f
        tmp = tempfile.mkdtemp(prefix="vitals-e2e-proc-")
        try:
            shutil.copy(os.path.join(self.repo, "tests", "fixtures", "proc", "loadavg"), tmp)
            args = [a for a in self.fixtures if not a.startswith("--path.procfs=")]
            ex = self.start("--path.procfs=" + tmp, fixtures=args)
            r = ex.get("/metrics")
            f.check(r.status == 200, "scrape with broken collectors: HTTP %d" % r.status)
            scrape = harness.parse(r.text())
            success = {dict(l)["collector"]: v for l, v in
                       scrape.find("vitals_scrape_collector_success").items()}
            f.check(set(success) == set(ALL_COLLECTORS),
                    "success reported for %s" % sorted(success))
            f.check(success.get("loadavg") == 1, "loadavg success %s" % success.get("loadavg"))
            for name in PROCFS_COLLECTORS:
                f.check(success.get(name) == 0,
                        "collector %s without its /proc file: success %s, expected 0"
                        % (name, success.get(name)))
            optional = {"pressure": "node_pressure_", "conntrack": "node_nf_conntrack_",
                        "schedstat": "node_schedstat_", "mdadm": "node_md_"}
            for name, prefix in optional.items():
                f.check(success.get(name) == 1 and not any(
                            fam.startswith(prefix) for fam in scrape.families()),
                        "collector %s without its (optional) /proc files: success %s, "
                        "expected 1 and no families" % (name, success.get(name)))
            f.check(scrape.get("node_load1") == 0.66, "node_load1 %s" % scrape.get("node_load1"))
            # The failure is logged (once) with the collector's name.
            f.check(ex.wait_log(r"level=warn .*collector cpu failed") is not None,
                    "no 'collector cpu failed' warning in the log:\n" + ex.stderr())
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    # ------------------------------------------------------------------ process
    def port_in_use(self):
        print("== a port already in use")
        f = self.f
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as blocker:
            blocker.bind((harness.LOOPBACK, 0))
            blocker.listen(1)
            port = blocker.getsockname()[1]
            address = "%s:%d" % (harness.LOOPBACK, port)
            ex = harness.Exporter(self.exporter, self.fixtures, listen=(address,))
            try:
                ex.start()
                f.fail("exporter started on %s although the port is taken" % address)
            except harness.ExporterError:
                pass
            finally:
                code = ex.stop()
            stderr = ex.stderr()
            f.check(code not in (None, 0), "exit code %s for a busy port" % code)
            errors = [l for l in stderr.splitlines() if "level=error" in l]
            f.check(len(errors) == 1 and str(port) in errors[0] and "listen" in errors[0],
                    "expected one level=error line naming port %d, got:\n%s" % (port, stderr))

    def command_line(self):
        print("== --version, --help, unknown flag, --config.check")
        f = self.f
        r = harness.run_exporter(self.exporter, ["--version"])
        f.check(r.returncode == 0 and r.stdout.startswith("vitals_exporter, version "),
                "--version: rc %d, stdout %r" % (r.returncode, r.stdout))
        r = harness.run_exporter(self.exporter, ["--help"])
        f.check(r.returncode == 0 and r.stdout.startswith("usage: vitals_exporter")
                and "--web.listen-address" in r.stdout,
                "--help: rc %d, stdout %r" % (r.returncode, r.stdout[:200]))
        r = harness.run_exporter(self.exporter, ["--no-such-flag"])
        lines = r.stderr.splitlines()
        f.check(r.returncode == 2, "unknown flag: rc %d, expected 2" % r.returncode)
        f.check(len(lines) == 1 and "--no-such-flag" in lines[0],
                "unknown flag: stderr %r, expected one line naming the flag" % r.stderr)

        with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as cfg:
            cfg.write("collectors:\n  loadavg:\n    enabled: false\n"
                      "  diskstats:\n    device_exclude: '^loop'\n")
        try:
            r = harness.run_exporter(self.exporter, ["--config.file=" + cfg.name, "--config.check"])
            f.check(r.returncode == 0 and "configuration is valid" in r.stdout,
                    "--config.check on a valid file: rc %d, stdout %r, stderr %r"
                    % (r.returncode, r.stdout, r.stderr))
            f.check("loadavg" not in r.stdout.split("enabled collectors:")[-1],
                    "--config.check lists loadavg although the file disables it: %r" % r.stdout)
        finally:
            os.unlink(cfg.name)


def main():
    args = harness.common_argparser(__doc__.splitlines()[0]).parse_args()
    test = Test(args)
    try:
        for step in (test.endpoints, test.telemetry_path, test.two_listeners, test.concurrency,
                     test.collector_switches, test.failing_collector, test.port_in_use,
                     test.command_line):
            try:
                step()
            except (harness.ExporterError, harness.ParseError, OSError) as e:
                test.f.fail("%s: %s: %s" % (step.__name__, type(e).__name__, e))
    finally:
        codes = harness.stop_all(test.started)
    # SIGTERM is a clean shutdown: exit code 0.
    test.f.check(all(code == 0 for code in codes), "exit codes after SIGTERM: %s" % codes)
    test.f.exit()


if __name__ == "__main__":
    main()
