#!/usr/bin/env python3
"""deploy systemd_real: the systemd collector against a real systemd (PID 1 of a Docker
container), beside Debian's node_exporter 1.5 in the same container.

1. The .deb of the build directory: deploy_deb's (--deb-dir), else built here with
   CPack (build_deb.py).
2. Docker (container.py): the running daemon, else dockerd started here; the debian:12
   base image, made with debootstrap when missing; an image with systemd, dbus,
   prometheus-node-exporter, curl and the .deb's dependencies (vitals-test/systemd-
   node-exporter:<hash>, kept), then on top of it the .deb itself (dpkg -i). Both
   exporters run as their packaged services, configured in /etc/default: vitals on
   127.0.0.1:9101 under its hardened unit (as a static user "vitals", see dockerfile();
   no capabilities, SystemCallFilter), node_exporter on 127.0.0.1:9100 as user prometheus,
   both with --collector.systemd and the restarts/task/start-time flags; vitals also
   with --collector.systemd.enable-cgroup-metrics.
3. In the booted container: three units, one that fails, one that keeps restarting
   (Restart=always, RestartSec=1), one active (sleep infinity); waits until they get
   there and the restarting one has NRestarts >= 2.
4. Scrapes node_exporter, vitals, node_exporter (one `docker exec`) and compares every
   node_systemd_* family: the same families, TYPE, HELP and label sets, and each vitals
   value equal to node_exporter's, or between its two scrapes when it moved (the
   restarting unit's state and counter). Up to 10 rounds until one is clean.
5. The three units' states, restart counts, start time and tasks, checked on their own
   (so that two empty outputs cannot pass), and vitals_systemd_unit_cpu_seconds_total /
   vitals_systemd_unit_memory_bytes of the active unit against its cgroup files.

The container is removed on every path, dockerd stopped when this test started it.
Images kept for the next run: debian:12 (150 MB; debootstrap takes 40 s to 2.5 min)
and vitals-test/systemd-node-exporter (300 MB, about 40 s to build); the image with the
package is removed. Needs root, or a Docker daemon that answers; exit 77 (skip) only
when neither holds.

  systemd_real.py --exporter build/vitals_exporter --repo . --build-dir build --cpack cpack
"""
import os
import re
import shutil
import sys
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import build_deb  # noqa: E402
import container  # noqa: E402
import harness  # noqa: E402
import node_exporter_common as nec  # noqa: E402

SYSTEMD_IMAGE = "vitals-test/systemd-node-exporter"  # Tagged with a hash of its Dockerfile.
IMAGE = "vitals-test/systemd-real"
NODE_PORT, VITALS_PORT = 9100, 9101
SYSTEMD_FLAGS = ["--collector.systemd", "--collector.systemd.enable-restarts-metrics",
                 "--collector.systemd.enable-task-metrics",
                 "--collector.systemd.enable-start-time-metrics"]

FAILED, RESTARTING, ACTIVE = ("vitals-test-failed.service", "vitals-test-restarting.service",
                              "vitals-test-active.service")
UNITS = {
    FAILED: "[Service]\nType=oneshot\nExecStart=/bin/false\n",
    # Up 3 s, then down 1 s: NRestarts grows, and most rounds (about 1 s here) see no
    # change. One that does (its tasks_current sample comes and goes) is retried.
    RESTARTING: "[Unit]\nStartLimitIntervalSec=0\n[Service]\nType=simple\n"
                "ExecStart=/bin/sh -c 'sleep 3; exit 1'\nRestart=always\nRestartSec=1\n",
    ACTIVE: "[Service]\nType=simple\nExecStart=/bin/sleep infinity\n",
}
FAMILIES = ["node_systemd_units", "node_systemd_unit_state", "node_systemd_unit_start_time_seconds",
            "node_systemd_service_restart_total", "node_systemd_unit_tasks_current",
            "node_systemd_unit_tasks_max", "node_systemd_socket_accepted_connections_total",
            "node_systemd_socket_current_connections",
            "node_systemd_socket_refused_connections_total",
            "node_systemd_timer_last_trigger_seconds", "node_systemd_system_running",
            "node_systemd_version"]
# Each vitals value equal to node_exporter's (A), or between A and C where it moved.
TABLE = [(r"node_systemd_.*", nec.Tol("equal, or in [A,C]", abs_=1e-9))]
ROUNDS = 10
SEPARATOR = "# ---- next scrape ----"


def dockerfile(base):
    """Dockerfile text on top of `base` (systemd, node_exporter and the package's
    dependencies: container.ensure_image keeps it between runs): the package from this
    tree and the exporters' /etc/default files.

    A static user "vitals", which the unit's DynamicUser=yes then uses: with a dynamic
    UID, dbus-daemon drops the connection before it is authenticated ("the D-Bus
    connection was closed"; node_exporter under DynamicUser=yes gets "broken pipe"),
    since it cannot resolve the UID (systemd gives dbus.service
    SYSTEMD_NSS_DYNAMIC_BYPASS=1, and that lookup fails here even with libnss-systemd).
    See docs/packaging.md."""
    return """\
FROM %s
COPY vitals.deb /root/vitals.deb
RUN dpkg -i /root/vitals.deb && rm /root/vitals.deb \\
    && useradd --system --no-create-home --shell /usr/sbin/nologin vitals
COPY vitals_exporter.default /etc/default/vitals_exporter
COPY prometheus-node-exporter.default /etc/default/prometheus-node-exporter
""" % base


def default_files(tmp, repo):
    """/etc/default files for both services: single quotes, so that systemd keeps the
    regex's backslash; $ARGS is then split at spaces."""
    exclude = nec.read_defaults(repo)["kDefaultSystemdUnitExclude"]
    vitals = ["--web.listen-address=127.0.0.1:%d" % VITALS_PORT,
              "--collector.systemd.enable-cgroup-metrics"] + SYSTEMD_FLAGS
    # Debian's node_exporter also excludes .target units by default: upstream's default
    # (vitals') is given to it.
    node = ["--web.listen-address=127.0.0.1:%d" % NODE_PORT, "--collector.disable-defaults",
            "--web.disable-exporter-metrics",
            "--collector.systemd.unit-exclude=" + exclude] + SYSTEMD_FLAGS
    files = {}
    for name, args in (("vitals_exporter.default", vitals),
                       ("prometheus-node-exporter.default", node)):
        files[name] = os.path.join(tmp, name)
        with open(files[name], "w") as f:
            f.write("ARGS='%s'\n" % " ".join(args))
    return files


def start_units(box):
    for name, text in UNITS.items():
        box.write("/etc/systemd/system/" + name, "[Unit]\nDescription=vitals test\n" + text)
    box.sh("systemctl daemon-reload && systemctl start --no-block %s" % " ".join(UNITS))


def unit_properties(box, unit):
    out = box.exec(["systemctl", "show", "-p", "ActiveState,SubState,NRestarts,ControlGroup",
                    unit], check=False).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def wait_units(box, timeout=40):
    """Waits until the failed unit failed, the active one is active and the restarting
    one has restarted twice; returns their properties then."""
    deadline = time.monotonic() + timeout
    while True:
        props = {unit: unit_properties(box, unit) for unit in UNITS}
        ready = (props[FAILED].get("ActiveState") == "failed"
                 and props[ACTIVE].get("ActiveState") == "active"
                 and int(props[RESTARTING].get("NRestarts") or 0) >= 2)
        if ready or time.monotonic() > deadline:
            return ready, props
        time.sleep(0.5)


def scrape_all(box, ports):
    """The expositions at each of `ports` (in order), from one `docker exec`; a failed
    scrape raises DockerError (curl's exit status)."""
    script = (" && echo '%s' && " % SEPARATOR).join(
        "curl -sf --max-time 20 http://127.0.0.1:%d/metrics" % port for port in ports)
    return box.sh(script, timeout=60).stdout.split(SEPARATOR + "\n")


def wait_exporters(box, timeout=30):
    script = " && ".join("curl -sf -o /dev/null 127.0.0.1:%d/metrics" % port
                         for port in (NODE_PORT, VITALS_PORT))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if box.sh(script, check=False).returncode == 0:
            return True
        time.sleep(0.5)
    return False


def systemd_only(text):
    """The node_systemd_* part of an exposition, parsed."""
    keep = []
    for line in text.splitlines():
        name = line.split(" ", 3)[2] if line.startswith("# ") and len(line.split(" ")) > 2 \
            else re.split(r"[{ ]", line, maxsplit=1)[0]
        if name.startswith("node_systemd_"):
            keep.append(line)
    return harness.parse("\n".join(keep) + "\n")


def compare_rounds(box, failures):
    """A (node_exporter), B (vitals), C (node_exporter) until a round is clean. Returns
    the parsed full vitals scrape and node_exporter's of the last round."""
    for number in range(1, ROUNDS + 1):
        started = time.monotonic()
        texts = scrape_all(box, [NODE_PORT, VITALS_PORT, NODE_PORT])
        elapsed = time.monotonic() - started
        a, b, c = (systemd_only(t) for t in texts)
        problems, rows = nec.compare(a, b, c, TABLE)
        for family in sorted(set(a.types) | set(b.types)):
            if a.helps.get(family) != b.helps.get(family):
                problems.append("%s: HELP differs\n    node_exporter: %s\n    vitals:        %s"
                                % (family, a.helps.get(family), b.helps.get(family)))
        print("\nround %d: A,B,C scraped in %.0f ms, %d problems"
              % (number, elapsed * 1000, len(problems)))
        for problem in problems:
            print("  " + problem)
        if not problems:
            break
        time.sleep(0.3)
    if rows:  # Empty when vitals publishes no node_systemd_* family at all.
        nec.print_table(rows)
    for problem in problems:
        failures.fail("round %d of %d: %s" % (number, ROUNDS, problem))
    compared = {row[0] for row in rows}
    failures.check(compared >= set(FAMILIES), "families not compared (missing from both?): %s"
                   % sorted(set(FAMILIES) - compared))
    samples = sum(row[2] for row in rows)
    print("%d node_systemd samples in %d families compared" % (samples, len(compared)))
    failures.checks += samples
    return harness.parse(texts[1]), harness.parse(texts[0])


def value(scrape, family, labels):
    """The sample of `family` with exactly `labels` (a dict), or None."""
    return scrape.samples.get((family, frozenset(labels.items())))


def check_units(scrape, props, system_state, failures):
    """The units' own samples in vitals' scrape (B of the clean round)."""
    def state(unit, name, typ):
        return value(scrape, "node_systemd_unit_state", {"name": unit, "state": name,
                                                         "type": typ})

    def of(family, unit):
        return value(scrape, family, {"name": unit})

    failures.check(state(FAILED, "failed", "oneshot") == 1,
                   "%s: state failed not 1 (%s)" % (FAILED, props[FAILED]))
    failures.check(state(ACTIVE, "active", "simple") == 1, "%s: state active not 1" % ACTIVE)
    failures.check(1 in (state(RESTARTING, "active", "simple"),
                         state(RESTARTING, "activating", "simple")),
                   "%s: neither active nor activating" % RESTARTING)
    restarts = of("node_systemd_service_restart_total", RESTARTING)
    failures.check(restarts is not None and restarts >= 2,
                   "%s: restart_total %s, expected >= 2" % (RESTARTING, restarts))
    for unit in (FAILED, ACTIVE):
        failures.check(of("node_systemd_service_restart_total", unit) == 0,
                       "%s: restart_total not 0" % unit)
    start = of("node_systemd_unit_start_time_seconds", ACTIVE)
    failures.check(start is not None and time.time() - 600 < start <= time.time() + 5,
                   "%s: start time %s, not within the last 10 minutes" % (ACTIVE, start))
    failures.check(of("node_systemd_unit_start_time_seconds", FAILED) == 0,
                   "%s: start time not 0" % FAILED)
    failures.check(of("node_systemd_unit_tasks_current", ACTIVE) == 1,
                   "%s: tasks_current %s, expected 1 (sleep)" % (
                       ACTIVE, of("node_systemd_unit_tasks_current", ACTIVE)))
    failures.check((scrape.get("node_systemd_units", state="failed") or 0) >= 1,
                   "node_systemd_units{state=failed} < 1")
    running = scrape.get("node_systemd_system_running")
    failures.check(running == (1 if system_state == "running" else 0),
                   "node_systemd_system_running %s, systemctl says %s" % (running,
                                                                          system_state))
    version = scrape.find("node_systemd_version")
    failures.check(len(version) == 1 and list(version.values())[0] >= 252,
                   "node_systemd_version: %s" % version)


def cgroup_files(box, group):
    """{path: text} of the cgroup files vitals may read for `group` (v2 or hybrid)."""
    paths = ["/sys/fs/cgroup%s/cpu.stat", "/sys/fs/cgroup/unified%s/cpu.stat",
             "/sys/fs/cgroup%s/memory.current", "/sys/fs/cgroup/memory%s/memory.usage_in_bytes"]
    out = {}
    for path in (p % group for p in paths):
        result = box.exec(["cat", path], check=False)
        if result.returncode == 0:
            out[path] = result.stdout
    return out


def check_cgroups(box, scrape, props, failures):
    """vitals_systemd_unit_* of the active unit (sleep: its CPU time does not move, its
    memory hardly), against the files of its cgroup read after the scrape."""
    group = props[ACTIVE].get("ControlGroup", "")
    files = cgroup_files(box, group)
    print("\n%s: ControlGroup=%s; files:\n%s" % (ACTIVE, group, "\n".join(
        "  %s: %s" % (path, " ".join(text.split()[:6])) for path, text in files.items())))
    success = scrape.get("vitals_scrape_collector_success", collector="systemd")
    failures.check(success == 1, "vitals' systemd collector did not succeed with cgroup "
                   "metrics on (success %s)" % success)
    cpu_stat = next((t for p, t in files.items() if p.endswith("cpu.stat")), "")
    usec = dict((k, int(v)) for k, v in re.findall(r"^(\w+) (\d+)$", cpu_stat, re.M))
    for mode in ("user", "system"):
        got = value(scrape, "vitals_systemd_unit_cpu_seconds_total", {"name": ACTIVE,
                                                                      "mode": mode})
        want = usec.get(mode + "_usec")
        failures.check(got is not None and want is not None and abs(got - want / 1e6) < 0.01,
                       "vitals_systemd_unit_cpu_seconds_total{name=%s,mode=%s}: %s, its "
                       "cgroup's cpu.stat says %s us" % (ACTIVE, mode, got, want))
    memory = value(scrape, "vitals_systemd_unit_memory_bytes", {"name": ACTIVE})
    memory_text = next((t for p, t in files.items() if "memory" in p), "")
    want = int(memory_text) if memory_text.strip().isdigit() else None
    failures.check(memory is not None and want is not None and memory > 0 and
                   abs(memory - want) <= 0.25 * want,
                   "vitals_systemd_unit_memory_bytes{name=%s}: %s, its cgroup says %s"
                   % (ACTIVE, memory, want))
    own = value(scrape, "vitals_systemd_unit_cpu_seconds_total",
                {"name": "vitals_exporter.service", "mode": "user"})
    failures.check(own is not None and own > 0,
                   "vitals_exporter.service's own CPU time: %s" % own)
    failures.check(not [k for k in scrape.find("vitals_systemd_unit_memory_bytes")
                        if ("name", FAILED) in k],
                   "the failed unit (no processes, no cgroup) has a memory sample")


def run_in_container(engine, box, failures, timings):
    state, timings["boot"] = box.wait_booted()
    print("systemd booted in %.1f s (%s)" % (timings["boot"], state))
    started = time.monotonic()
    start_units(box)
    if not wait_exporters(box):
        failures.fail("the exporters do not answer on 127.0.0.1:%d and :%d\n%s" % (
            NODE_PORT, VITALS_PORT, box.sh("systemctl --no-pager status vitals_exporter "
                                           "prometheus-node-exporter", check=False).stdout))
        return
    ready, props = wait_units(box)
    timings["units"] = time.monotonic() - started
    if not failures.check(ready, "the test units did not reach their states in time: %s"
                          % props):
        return
    print("units ready in %.1f s: %s" % (timings["units"], {
        u: (p.get("ActiveState"), p.get("NRestarts")) for u, p in props.items()}))
    system_state = box.exec(["systemctl", "is-system-running"], check=False).stdout.strip()
    vitals, node = compare_rounds(box, failures)
    failures.check(node.get("node_scrape_collector_success", collector="systemd") == 1,
                   "node_exporter's systemd collector failed")
    check_units(vitals, props, system_state, failures)
    check_cgroups(box, vitals, wait_units(box)[1], failures)
    # Why the image has a static user "vitals" (dockerfile()); a note, not a check.
    dynamic = box.sh("systemd-run -p DynamicUser=yes --wait --pipe --quiet busctl status "
                     ">/dev/null", check=False, timeout=30)
    print("note: a DynamicUser=yes service %s reach the system bus here (docs/packaging.md)"
          % ("can" if dynamic.returncode == 0 else "cannot"))


def main():
    parser = harness.common_argparser(__doc__.splitlines()[0])
    build_deb.add_arguments(parser)
    args = parser.parse_args()
    failures = harness.Failures("deploy_systemd_real")

    def body(tmp, timings):
        step = time.monotonic()
        deb = build_deb.the_deb(args, tmp, failures)
        timings["deb"] = time.monotonic() - step
        if deb is None:
            failures.exit()
        files = {"vitals.deb": deb}
        files.update(default_files(tmp, args.repo))
        with container.Engine(log_dir=tmp) as engine:
            timings["base image"] = container.ensure_base_image(engine)
            step = time.monotonic()
            base = container.ensure_image(engine, SYSTEMD_IMAGE, container.systemd_dockerfile(
                ["prometheus-node-exporter", "curl"] + container.deb_depends(deb)))
            engine.build(IMAGE, dockerfile(base), files)
            timings["images"] = time.monotonic() - step
            try:
                with container.SystemdContainer(engine, IMAGE) as box:
                    try:
                        run_in_container(engine, box, failures, timings)
                    finally:
                        if failures.items:
                            print("\njournal of the exporters:\n" + box.journal(
                                ["vitals_exporter", "prometheus-node-exporter"]))
            finally:
                # With its intermediate layers, down to the systemd image (kept).
                engine.run(["rmi", IMAGE], check=False)
    container.run_test(failures, {"debootstrap": shutil.which("debootstrap")}, body)
    failures.exit()


if __name__ == "__main__":
    main()
