#!/usr/bin/env python3
"""e2e systemd: the systemd collector against a mock systemd (systemd_mock.py) on a
private dbus-daemon, reached through $DBUS_SYSTEM_BUS_ADDRESS, which both sd-bus (vitals)
and godbus (node_exporter) honour.

1. vitals and Debian's node_exporter 1.5 on the same mock, three flag sets (defaults;
   the three enable-* flags; other unit filters, so a .mount unit is read): the same
   node_systemd_* samples, values, TYPE and HELP, and both collectors succeed.
2. The collector is off by default.
3. A stuck bus never stalls the scrape: with the mock stopped (SIGSTOP: the daemon
   answers, systemd does not) and with the daemon stopped (not even authentication
   completes), a scrape with X-Prometheus-Scrape-Timeout-Seconds: 2 answers within the
   deadline with systemd's success 0 and a log line; without the header, the
   collectors.systemd.timeout setting (3 s) bounds it; after SIGCONT the next scrape succeeds.
4. A bus without systemd: both publish node_systemd_version 0 {version=""} and fail.
5. --collector.systemd.enable-cgroup-metrics: each service's CPU time, memory, tasks,
   I/O and PSI from a hand-written cgroup tree (v2 and hybrid layouts), nothing for a
   path with "..".
6. The daemon dies while a call waits: the scrape ends at once, success 0.
7. No bus at all: success 0 at once ("couldn't get dbus connection"), the other
   collectors unharmed.

The mock needs python3-dbus and python3-gi: this Python, or Debian's /usr/bin/python3.
"""
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import harness  # noqa: E402
import node_exporter_common as nec  # noqa: E402

ENABLE_ALL = ["--collector.systemd.enable-task-metrics",
              "--collector.systemd.enable-restarts-metrics",
              "--collector.systemd.enable-start-time-metrics"]


def flag_sets(repo):
    """(what, flags for both exporters, flags for node_exporter only): Debian's build also
    excludes .target units by default; vitals keeps upstream's default, given to it here."""
    exclude = "--collector.systemd.unit-exclude=" + nec.read_defaults(repo)[
        "kDefaultSystemdUnitExclude"]
    return [
        ("defaults", [], [exclude]),
        ("enable-*", ENABLE_ALL, [exclude]),
        ("filters", ENABLE_ALL + [r"--collector.systemd.unit-include=.*\.(service|mount|timer)",
                                  "--collector.systemd.unit-exclude=broken.*|cron"], []),
    ]
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>vitals-test</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def python_with_dbus():
    for candidate in (sys.executable, "/usr/bin/python3"):
        if os.path.exists(candidate) and subprocess.run(
                [candidate, "-c", "import dbus, gi.repository.GLib"],
                capture_output=True).returncode == 0:
            return candidate
    raise RuntimeError("no Python with python3-dbus and python3-gi (scripts/install-deps.sh test)")


class PrivateBus:
    """dbus-daemon on a socket in a temporary directory, and the mock systemd on it."""

    def __init__(self, tmp):
        self.socket = os.path.join(tmp, "bus")
        config = os.path.join(tmp, "bus.conf")
        with open(config, "w") as f:
            f.write(BUS_CONFIG % self.socket)
        self.daemon = subprocess.Popen(
            ["dbus-daemon", "--config-file=" + config, "--nofork", "--print-address"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.address = self.daemon.stdout.readline().strip()
        if not self.address:
            raise RuntimeError("dbus-daemon printed no address")
        self.env = {"DBUS_SYSTEM_BUS_ADDRESS": self.address}
        self.mock = None

    def start_mock(self):
        self.mock = subprocess.Popen(
            [python_with_dbus(), os.path.join(HERE, "systemd_mock.py")],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, env=dict(os.environ, **self.env),
            text=True)
        if self.mock.stdout.readline().strip() != "ready":
            raise RuntimeError("the mock systemd did not start")

    def stop(self):
        for proc in (p for p in (self.mock, self.daemon) if p is not None):
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGCONT)
                proc.terminate()
            proc.wait(timeout=5)


def systemd_part(scrape):
    """{sample key: value} of node_systemd_*, and their TYPE and HELP."""
    samples = {k: v for k, v in scrape.samples.items() if k[0].startswith("node_systemd_")}
    families = {scrape.family_of(k[0]) for k in samples}
    return samples, {f: (scrape.types.get(f), scrape.helps.get(f)) for f in families}


def check_no_systemd(exporter, bus, failures):
    """A bus without systemd on it: both exporters publish node_systemd_version 0 with an
    empty label (the Version read fails), then fail on ListUnits."""
    node = nec.NodeExporter(nec.DEFAULT_NODE_EXPORTER,
                            ["--collector.disable-defaults", "--collector.systemd"], env=bus.env)
    node.start()
    vitals = harness.Exporter(exporter, ["--collector.disable-defaults", "--collector.systemd"],
                              env=bus.env)
    vitals.start()
    try:
        a = nec.scrape(node.url())
        b = harness.parse(vitals.scrape())
    finally:
        node.stop()
        vitals.stop()
    failures.check(a.get("node_scrape_collector_success", collector="systemd") == 0,
                   "no systemd: node_exporter's collector did not fail")
    failures.check(b.get("vitals_scrape_collector_success", collector="systemd") == 0,
                   "no systemd: vitals' collector did not fail")
    a_samples, a_meta = systemd_part(a)
    b_samples, b_meta = systemd_part(b)
    failures.check(a_samples == b_samples and a_meta == b_meta,
                   "no systemd: node_exporter %s, vitals %s" % (a_samples, b_samples))
    failures.check(b.get("node_systemd_version", version="") == 0,
                   "no systemd: node_systemd_version{version=\"\"} 0 missing")
    failures.check(vitals.wait_log("collector systemd failed: couldn't get units: ListUnits: "
                                   "org.freedesktop.DBus.Error.ServiceUnknown"),
                   "no systemd: no log line naming ListUnits")


def compare_with_node_exporter(exporter, repo, bus, failures):
    families = set()
    for what, flags, node_only in flag_sets(repo):
        node = nec.NodeExporter(nec.DEFAULT_NODE_EXPORTER,
                                ["--collector.disable-defaults", "--collector.systemd"] + flags +
                                node_only, env=bus.env)
        node.start()
        vitals = harness.Exporter(exporter, ["--collector.disable-defaults",
                                             "--collector.systemd"] + flags, env=bus.env)
        vitals.start()
        try:
            a = nec.scrape(node.url())
            b = harness.parse(vitals.scrape())
        finally:
            node.stop()
            vitals.stop()
        failures.check(a.get("node_scrape_collector_success", collector="systemd") == 1,
                       "%s: node_exporter's systemd collector failed" % what)
        failures.check(b.get("vitals_scrape_collector_success", collector="systemd") == 1,
                       "%s: vitals' systemd collector failed" % what)
        a_samples, a_meta = systemd_part(a)
        b_samples, b_meta = systemd_part(b)
        for key in sorted(set(a_samples) | set(b_samples), key=str):
            failures.check(a_samples.get(key) == b_samples.get(key),
                           "%s: %s: node_exporter %s, vitals %s" % (
                               what, harness.format_key(key), a_samples.get(key),
                               b_samples.get(key)))
        for family in sorted(set(a_meta) | set(b_meta)):
            failures.check(a_meta.get(family) == b_meta.get(family),
                           "%s: %s TYPE/HELP: node_exporter %s, vitals %s" % (
                               what, family, a_meta.get(family), b_meta.get(family)))
        print("%s: %d node_systemd samples in %d families compared" % (
            what, len(a_samples), len(a_meta)))
        families |= set(b_meta)
    failures.check(len(families) == 12, "all 12 node_systemd families seen (%s)" % families)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def check_cgroups(exporter, bus, tmp, failures):
    """--collector.systemd.enable-cgroup-metrics on a hand-written sysfs: ssh.service in a
    cgroup v2 layout, cron.service in a hybrid one (unified cpu.stat and PSI, v1 memory);
    getty@tty1 has no files, 1st-boot's ControlGroup climbs out (/../../etc)."""
    sysfs = os.path.join(tmp, "sys")
    cgroup = os.path.join(sysfs, "fs", "cgroup")
    write(os.path.join(cgroup, "system.slice/ssh.service/cpu.stat"),
          "usage_usec 3500000\nuser_usec 2500000\nsystem_usec 1000000\nnr_periods 0\n")
    write(os.path.join(cgroup, "system.slice/ssh.service/memory.current"), "7340032\n")
    write(os.path.join(cgroup, "system.slice/ssh.service/memory.peak"), "9437184\n")
    write(os.path.join(cgroup, "system.slice/ssh.service/pids.current"), "4\n")
    write(os.path.join(cgroup, "system.slice/ssh.service/io.stat"),
          "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n")
    write(os.path.join(cgroup, "unified/system.slice/cron.service/io.pressure"),
          "some avg10=0.00 avg60=0.00 avg300=0.00 total=1500000\n"
          "full avg10=0.00 avg60=0.00 avg300=0.00 total=500000\n")
    write(os.path.join(cgroup, "unified/system.slice/cron.service/cpu.stat"),
          "usage_usec 750\nuser_usec 500\nsystem_usec 250\n")
    write(os.path.join(cgroup, "memory/system.slice/cron.service/memory.usage_in_bytes"),
          "1048576\n")
    write(os.path.join(tmp, "etc/cpu.stat"), "usage_usec 1\nuser_usec 1\nsystem_usec 1\n")
    with harness.Exporter(exporter, ["--collector.disable-defaults", "--collector.systemd",
                                     "--collector.systemd.enable-cgroup-metrics",
                                     "--path.sysfs=" + sysfs], env=bus.env) as vitals:
        scrape = harness.parse(vitals.scrape())
    failures.check(scrape.get("vitals_scrape_collector_success", collector="systemd") == 1,
                   "cgroups: the collector failed")
    cpu = scrape.find("vitals_systemd_unit_cpu_seconds_total")
    memory = scrape.find("vitals_systemd_unit_memory_bytes")
    want_cpu = {("ssh.service", "user"): 2.5, ("ssh.service", "system"): 1.0,
                ("cron.service", "user"): 0.0005, ("cron.service", "system"): 0.00025}
    got_cpu = {(dict(k)["name"], dict(k)["mode"]): v for k, v in cpu.items()}
    failures.check(got_cpu == want_cpu, "cgroups: cpu %s, want %s" % (got_cpu, want_cpu))
    got_memory = {dict(k)["name"]: v for k, v in memory.items()}
    want_memory = {"ssh.service": 7340032, "cron.service": 1048576}
    failures.check(got_memory == want_memory,
                   "cgroups: memory %s, want %s" % (got_memory, want_memory))
    extra = {name: {dict(k)["name"]: v for k, v in scrape.find(name).items()} for name in (
        "vitals_systemd_unit_memory_peak_bytes", "vitals_systemd_unit_tasks",
        "vitals_systemd_unit_io_written_bytes_total",
        "vitals_systemd_unit_pressure_io_stalled_seconds_total")}
    want_extra = {"vitals_systemd_unit_memory_peak_bytes": {"ssh.service": 9437184},
                  "vitals_systemd_unit_tasks": {"ssh.service": 4},
                  "vitals_systemd_unit_io_written_bytes_total": {"ssh.service": 8192},
                  "vitals_systemd_unit_pressure_io_stalled_seconds_total": {"cron.service": 0.5}}
    failures.check(extra == want_extra, "cgroups: %s, want %s" % (extra, want_extra))
    failures.check(scrape.types.get("vitals_systemd_unit_cpu_seconds_total") == "counter" and
                   scrape.types.get("vitals_systemd_unit_memory_bytes") == "gauge",
                   "cgroups: types")


def timed_scrape(vitals, headers=None):
    start = time.monotonic()
    response = vitals.get(headers=headers or {}, timeout=30)
    return time.monotonic() - start, harness.parse(response.text())


def check_stuck(exporter, bus, tmp, failures):
    config = os.path.join(tmp, "vitals.yml")
    with open(config, "w") as f:
        f.write("collectors:\n  systemd:\n    enabled: true\n    timeout: 3s\n")
    vitals = harness.Exporter(exporter, ["--config.file=" + config, "--collector.loadavg"],
                              env=bus.env)
    with vitals:
        for stopped, who in ((bus.mock, "the mock systemd"), (bus.daemon, "dbus-daemon")):
            os.kill(stopped.pid, signal.SIGSTOP)
            try:
                for headers, limit, what in (
                        # The collector stops 1.5 s in (2 s - 0.5 s) or 3 s in; the
                        # slack is for a loaded machine, far below a bus's 25 s.
                        ({"X-Prometheus-Scrape-Timeout-Seconds": "2"}, 2.5, "2 s scrape timeout"),
                        (None, 4.0, "timeout: 3s, no header")):
                    took, scrape = timed_scrape(vitals, headers)
                    failures.check(took < limit, "%s stopped, %s: the scrape took %.2f s" % (
                        who, what, took))
                    spent = scrape.get("vitals_scrape_collector_duration_seconds",
                                       collector="systemd")
                    failures.check(spent is not None and spent < limit - 0.5,
                                   "%s stopped, %s: the collector took %s s" % (who, what, spent))
                    failures.check(
                        scrape.get("vitals_scrape_collector_success", collector="systemd") == 0,
                        "%s stopped, %s: systemd's success is not 0" % (who, what))
                    failures.check(
                        scrape.get("vitals_scrape_collector_success", collector="loadavg") == 1,
                        "%s stopped, %s: loadavg suffered" % (who, what))
                    print("%s stopped, %s: answered in %.2f s (collector %.2f s)" % (
                        who, what, took, spent))
            finally:
                os.kill(stopped.pid, signal.SIGCONT)
            failures.check(vitals.wait_log("collector systemd failed: systemd did not answer"),
                           "%s stopped: no log line" % who)
            _, scrape = timed_scrape(vitals)
            failures.check(scrape.get("vitals_scrape_collector_success", collector="systemd") == 1,
                           "%s continued: the next scrape failed" % who)
            failures.check(scrape.get("node_systemd_system_running") == 0,
                           "%s continued: no node_systemd_system_running" % who)


def check_bus_dies(exporter, bus, failures):
    """The daemon dies while a call waits (the mock stopped): the scrape ends at once with
    success 0, not at its 9.5 s deadline. Leaves the bus dead: the last check."""
    with harness.Exporter(exporter, ["--collector.systemd"], env=bus.env) as vitals:
        os.kill(bus.mock.pid, signal.SIGSTOP)
        result = {}

        def scrape():
            result["took"], result["scrape"] = timed_scrape(
                vitals, {"X-Prometheus-Scrape-Timeout-Seconds": "10"})

        thread = threading.Thread(target=scrape)
        thread.start()
        time.sleep(1.0)
        bus.daemon.kill()
        bus.daemon.wait(timeout=5)
        thread.join(timeout=15)
        took, scrape = result.get("took"), result.get("scrape")
        failures.check(took is not None and took < 4.0,
                       "bus died mid-scrape: the scrape took %s s" % took)
        failures.check(scrape is not None and scrape.get(
            "vitals_scrape_collector_success", collector="systemd") == 0,
            "bus died mid-scrape: systemd's success is not 0")
        logged = vitals.wait_log("collector systemd failed: .*(closed|connection).*")
        failures.check(logged, "bus died mid-scrape: no log line")
        print("bus died mid-scrape: answered in %.2f s (%s)" % (
            took or -1, logged.group(0) if logged else "no log"))


def check_no_bus(exporter, tmp, failures):
    env = {"DBUS_SYSTEM_BUS_ADDRESS": "unix:path=" + os.path.join(tmp, "no-such-bus")}
    with harness.Exporter(exporter, ["--collector.systemd"], env=env) as vitals:
        took, scrape = timed_scrape(vitals)
        failures.check(scrape.get("vitals_scrape_collector_success", collector="systemd") == 0,
                       "no bus: systemd's success is not 0")
        failures.check(scrape.get("vitals_scrape_collector_success", collector="cpu") == 1,
                       "no bus: cpu suffered")
        failures.check(not [k for k in scrape.samples if k[0].startswith("node_systemd_")],
                       "no bus: node_systemd_ samples published")
        failures.check(vitals.wait_log("collector systemd failed: couldn't get dbus connection"),
                       "no bus: no log line")
        print("no bus: answered in %.2f s" % took)
    with harness.Exporter(exporter, [], env=env) as vitals:
        scrape = harness.parse(vitals.scrape())
        failures.check(
            scrape.get("vitals_scrape_collector_success", collector="systemd") is None,
            "systemd runs without --collector.systemd")


def main():
    args = harness.common_argparser(__doc__.splitlines()[0]).parse_args()
    failures = harness.Failures("e2e systemd")
    with tempfile.TemporaryDirectory(prefix="vitals-e2e-systemd-") as tmp:
        check_no_bus(args.exporter, tmp, failures)
        bus = PrivateBus(tmp)
        try:
            check_no_systemd(args.exporter, bus, failures)
            bus.start_mock()
            compare_with_node_exporter(args.exporter, args.repo, bus, failures)
            check_cgroups(args.exporter, bus, tmp, failures)
            check_stuck(args.exporter, bus, tmp, failures)
            check_bus_dies(args.exporter, bus, failures)
        finally:
            bus.stop()
    failures.exit()


if __name__ == "__main__":
    main()
