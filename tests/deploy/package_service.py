#!/usr/bin/env python3
"""deploy package_service: the .deb installed with apt under a real systemd (PID 1 of a
Docker container), and its service driven the way an administrator does.

1. The .deb of the build directory: deploy_deb's (--deb-dir), else built here with
   CPack (build_deb.py).
2. Docker (container.py): the running daemon, else dockerd started here; debian:12 (made
   with debootstrap when missing); an image with systemd, dbus, curl and the package's
   Depends (vitals-test/systemd-deb:<hash>, kept between runs, so that the install needs
   no archive). No static user "vitals", no procps (/bin/kill) in it.
3. In the booted container: `apt install ./vitals-exporter_*.deb` (the postinst enables
   and starts the service), then one check per item, each its own assertions:
   1. active, enabled, /metrics answers on the default port 10100;
   2. the sandbox applies, read from /proc/MAINPID/status and the unit: a dynamic UID
      (61184-65519, DynamicUser=yes, no "vitals" in /etc/passwd), no capabilities
      (CapEff/CapPrm/CapBnd/CapAmb 0), Seccomp 2, NoNewPrivs 1, its own mount namespace;
      `systemd-analyze security` exposure reported and held to packaging_deb's limit;
   3. /etc/vitals/vitals.yml edited as a user would (node_exporter's processes collector
      on, a process group, the exporter's own port, a TCP probe of that port: not an
      HTTP probe of /metrics, which would wait on the scrape it is part of), restart:
      every vitals_scrape_collector_success is 1 (any 0 listed by name), the probe
      succeeds, the port is listening with its owner found through sock_diag netlink;
   4. `systemctl reload` (ExecReload): the new group shows in /metrics, the exporter's
      reload metrics and log say so, the MainPID did not change;
   5. a broken file on reload: one log line file:line:column, the reload-failure metric
      at 0, /metrics still serving the previous configuration;
   6. `systemctl restart` gives a new MainPID that serves; `kill -9` of it comes back by
      itself after RestartSec=5s (Restart=on-failure);
   7. `apt purge vitals-exporter`: no process, unit, /etc/vitals, binary, enablement
      links or failed units left.

The container is removed on every path, dockerd stopped when this test started it; the
images are kept. Needs root, or a Docker daemon that answers; exit 77 (skip) only when
neither holds. Measured times are printed at the end (docs/packaging.md).

  package_service.py --exporter build/vitals_exporter --repo . --build-dir build --cpack cpack \
      [--deb-dir build/deploy-deb]
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
sys.path.insert(0, os.path.join(HERE, "..", "packaging"))
import build_deb  # noqa: E402
import container  # noqa: E402
import harness  # noqa: E402
import package_deb  # noqa: E402

IMAGE = "vitals-test/systemd-deb"  # Tagged with a hash of its Dockerfile.
UNIT = "vitals_exporter"
PORT = 10100  # The exporter's default --web.listen-address, :10100.
METRICS_URL = "http://127.0.0.1:%d/metrics" % PORT
CONFIG = "/etc/vitals/vitals.yml"
DYNAMIC_UIDS = range(61184, 65519 + 1)  # systemd's DynamicUser= range.
RESTART_SEC = 5.0  # The unit's RestartSec=.
APT_ENV = "DEBIAN_FRONTEND=noninteractive"

# Appended to the packaged file, as a user uncommenting its examples would write them.
# Groups: PID 1 (and, children: true, every unmatched descendant of it; the exporter
# never counts itself); the reload adds journald in front.
SECTIONS = """
# Added by deploy_package_service.
processes:
  groups:
%s    - name: init
      comm: [systemd]
ports:
  - {port: %d, name: vitals}
probes:
  modules:
    tcp_connect: {prober: tcp, timeout: 2s}
  targets:
    - {target: "127.0.0.1:%d", module: tcp_connect}
"""
JOURNALD_GROUP = "    - name: journald\n      comm: [systemd-journal]\n"
BROKEN_GROUP = "    - name: journald\n      comx: [systemd-journal]\n"  # Unknown key.


def wait_for(predicate, timeout, interval=0.25):
    """predicate()'s first true value within `timeout` seconds, else its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def scrape(box):
    """The exporter's /metrics inside the container, parsed; None when it does not answer."""
    result = box.exec(["curl", "-sf", "--max-time", "10", METRICS_URL], check=False, timeout=30)
    return harness.parse(result.stdout) if result.returncode == 0 else None


def show(box, *properties):
    out = box.exec(["systemctl", "show", "-p", ",".join(properties), UNIT], check=False).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def main_pid(box):
    return int(show(box, "MainPID").get("MainPID") or 0)


def systemctl(box, *args, timeout=60):
    result = box.exec(["systemctl"] + list(args), check=False, timeout=timeout)
    print("$ systemctl %s -> exit %d %s" % (" ".join(args), result.returncode,
                                            (result.stdout + result.stderr).strip()))
    return result


def journal_cursor(box):
    out = box.exec(["journalctl", "-u", UNIT, "-n", "0", "--show-cursor", "--no-pager"],
                   check=False).stdout
    match = re.search(r"^-- cursor: (\S+)", out, re.M)
    return match.group(1) if match else None


def journal_since(box, cursor):
    """The unit's journal lines after `cursor` (message text only)."""
    args = ["journalctl", "-u", UNIT, "-o", "cat", "--no-pager"]
    args += ["--after-cursor=" + cursor] if cursor else ["-n", "50"]
    return box.exec(args, check=False).stdout


# --------------------------------------------------------------------------- steps


def prepare(box, failures):
    """Facts about the image before the install; the baseline of failed units."""
    facts = box.sh("test -e /bin/kill && echo kill=yes || echo kill=no; "
                   "grep -c '^vitals:' /etc/passwd /etc/group || true; "
                   "dpkg-query -W -f '${Version}' systemd; echo; "
                   "systemctl --failed --no-legend --plain", check=False).stdout
    print("before the install:\n" + facts)
    failures.check("kill=no" in facts, "procps' /bin/kill is in the image: ExecReload's "
                   "independence from it is not tested")
    failures.check(re.search(r"/etc/passwd:0", facts) and re.search(r"/etc/group:0", facts),
                   "the image has a static user or group 'vitals': DynamicUser is not tested")


def install(box, deb, failures):
    """apt install ./vitals-exporter_*.deb, as a user types it. Every dependency must
    come from the image (nothing downloaded)."""
    box.copy_in(deb, "/root/")
    result = box.sh("cd /root && %s apt install -y ./vitals-exporter_*.deb 2>&1" % APT_ENV,
                    timeout=180, check=False)
    print("$ apt install -y ./vitals-exporter_*.deb -> exit %d\n%s" % (
        result.returncode, "\n".join(result.stdout.splitlines()[-12:])))
    new = re.search(r"NEW packages will be installed:\n((?:  .*\n)+)", result.stdout)
    failures.check(result.returncode == 0, "apt install: exit %d" % result.returncode)
    failures.check(new and new.group(1).split() == ["vitals-exporter"],
                   "apt installed more than the package (dependencies missing from the "
                   "image?): %s" % (new.group(1).split() if new else None))
    fetched = re.findall(r"^Get:\d+ (?:https?|ftp)\S*.*$", result.stdout, re.M)
    failures.check(not fetched, "apt downloaded from the archive: %s" % fetched)
    return result.returncode == 0


def check_active(box, failures):
    """1. The postinst enabled and started the service; /metrics on port 10100."""
    active = wait_for(lambda: box.exec(["systemctl", "is-active", UNIT],
                                       check=False).stdout.strip() == "active", 20)
    enabled = box.exec(["systemctl", "is-enabled", UNIT], check=False).stdout.strip()
    print("1. is-active: %s, is-enabled: %s" % ("active" if active else "NOT active",
                                                enabled))
    failures.check(active, "1. %s is not active after apt install" % UNIT)
    failures.check(enabled == "enabled", "1. %s is-enabled: %r" % (UNIT, enabled))
    metrics = wait_for(lambda: scrape(box), 15)
    build = metrics.find("vitals_build_info") if metrics else {}
    print("1. %s: %s" % (METRICS_URL, "%d samples, vitals_build_info %s" % (
        len(metrics.samples), sorted(dict(k) for k in build)) if metrics else "no answer"))
    return failures.check(metrics and build, "1. %s does not answer with vitals_build_info"
                          % METRICS_URL)


def proc_status(box, pid):
    text = box.exec(["cat", "/proc/%d/status" % pid], check=False).stdout
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line)


def check_sandbox(box, failures):
    """2. The sandbox as the kernel sees it, and the unit's settings."""
    pid = main_pid(box)
    status = {k: v.strip() for k, v in proc_status(box, pid).items()}
    uids, gids = status.get("Uid", "").split(), status.get("Gid", "").split()
    print("2. MainPID %d: Uid %s, Gid %s, CapEff %s, CapPrm %s, CapBnd %s, CapAmb %s, "
          "Seccomp %s (%s filters), NoNewPrivs %s" % (
              pid, uids, gids, status.get("CapEff"), status.get("CapPrm"),
              status.get("CapBnd"), status.get("CapAmb"), status.get("Seccomp"),
              status.get("Seccomp_filters"), status.get("NoNewPrivs")))
    failures.check(len(uids) == 4 and len(set(uids)) == 1 and int(uids[0]) in DYNAMIC_UIDS,
                   "2. Uid %s: not one UID in systemd's dynamic range 61184-65519" % uids)
    failures.check(len(gids) == 4 and len(set(gids)) == 1 and int(gids[0]) in DYNAMIC_UIDS,
                   "2. Gid %s: not one GID in the dynamic range" % gids)
    for field in ("CapEff", "CapPrm", "CapBnd", "CapAmb", "CapInh"):
        failures.check(status.get(field) and int(status[field], 16) == 0,
                       "2. %s is %s, expected 0 (no capabilities)" % (field, status.get(field)))
    failures.check(status.get("Seccomp") == "2", "2. Seccomp: %s, expected 2 (filter)"
                   % status.get("Seccomp"))
    failures.check(status.get("NoNewPrivs") == "1", "2. NoNewPrivs: %s, expected 1"
                   % status.get("NoNewPrivs"))
    names = box.sh("grep -c '^vitals:' /etc/passwd /etc/group; getent passwd %s || true"
                   % (uids[0] if uids else "-"), check=False).stdout
    print("2. static user/group lines, and the UID's name: %s" % " ".join(names.split()))
    failures.check("/etc/passwd:0" in names and "/etc/group:0" in names,
                   "2. a static user or group 'vitals' exists")
    namespaces = box.sh("readlink /proc/1/ns/mnt /proc/%d/ns/mnt" % pid, check=False)
    mnt = namespaces.stdout.split()
    failures.check(len(mnt) == 2 and mnt[0] != mnt[1],
                   "2. the service shares PID 1's mount namespace: %s" % mnt)
    unit = show(box, "DynamicUser", "User", "NoNewPrivileges", "CapabilityBoundingSet",
                "AmbientCapabilities", "ProtectSystem", "RestrictAddressFamilies",
                "SystemCallErrorNumber")
    print("2. unit: %s" % unit)
    for key, want in (("DynamicUser", "yes"), ("User", "vitals"), ("NoNewPrivileges", "yes"),
                      ("CapabilityBoundingSet", ""), ("AmbientCapabilities", ""),
                      ("ProtectSystem", "strict")):
        failures.check(unit.get(key) == want, "2. unit %s=%r, expected %r"
                       % (key, unit.get(key), want))
    security = box.exec(["systemd-analyze", "security", "--no-pager", UNIT], check=False,
                        timeout=60)
    score = re.search(r"Overall exposure level for \S+: (\S+) (\S+)", security.stdout)
    print("2. systemd-analyze security %s: exposure %s" % (
        UNIT, " ".join(score.groups()) if score else "? (exit %d: %s)" % (
            security.returncode, security.stderr.strip()[-300:])))
    limit = package_deb.SECURITY_THRESHOLD / 10
    failures.check(score and float(score.group(1)) <= limit,
                   "2. systemd-analyze security: exposure %s, above %.1f"
                   % (score.group(1) if score else "?", limit))
    return score.group(1) if score else None


def write_config(box, packaged, extra_group):
    """The packaged file as a user edits it: node_exporter's processes collector turned
    on, and SECTIONS (process groups with `extra_group` first, ports, probes)."""
    text = packaged.replace("  processes: {enabled: false}", "  processes: {enabled: true}")
    text += SECTIONS % (extra_group, PORT, PORT)
    box.write(CONFIG, text)
    return text


def collector_successes(metrics):
    return {dict(labels).get("collector"): value for labels, value in
            metrics.find("vitals_scrape_collector_success").items()}


def one(metrics, family, **labels):
    """The value of the single sample of `name` whose labels include `labels`."""
    found = [v for k, v in metrics.find(family).items() if labels.items() <= dict(k).items()]
    return found[0] if len(found) == 1 else None


def check_collectors(box, packaged, failures):
    """3. Process groups, processes, ports and a probe configured; every collector
    succeeds."""
    write_config(box, packaged, "")
    systemctl(box, "restart", UNIT)
    metrics = wait_for(lambda: scrape(box), 15)
    if not failures.check(metrics, "3. no /metrics after the restart with the edited file"):
        return None
    successes = collector_successes(metrics)
    failed = sorted(name for name, value in successes.items() if value != 1)
    print("3. %d collectors enabled, failing: %s" % (len(successes), failed or "none"))
    failures.check(not failed, "3. collectors with vitals_scrape_collector_success 0: %s"
                   % ", ".join(failed))
    for name in ("processes", "process_groups", "ports", "probes"):
        failures.check(successes.get(name) == 1, "3. collector %s: success %s"
                       % (name, successes.get(name)))
    values = {
        "probe_success": one(metrics, "probe_success", target="127.0.0.1:%d" % PORT,
                             module="tcp_connect"),
        "vitals_port_listening": one(metrics, "vitals_port_listening", port=str(PORT),
                                     name="vitals", protocol="tcp"),
        "vitals_port_listener_info{process=vitals_exporter}": one(
            metrics, "vitals_port_listener_info", port=str(PORT), process="vitals_exporter"),
        "vitals_port_read_errors_total{reason=netlink}": one(
            metrics, "vitals_port_read_errors_total", reason="netlink"),
        "namedprocess_namegroup_num_procs{groupname=init}": one(
            metrics, "namedprocess_namegroup_num_procs", groupname="init"),
        "node_processes_pids": metrics.get("node_processes_pids"),
    }
    print("3. " + ", ".join("%s %s" % item for item in values.items()))
    failures.check(values["probe_success"] == 1, "3. the TCP probe of 127.0.0.1:%d: "
                   "probe_success %s" % (PORT, values["probe_success"]))
    failures.check(values["vitals_port_listening"] == 1, "3. vitals_port_listening of %d: %s"
                   % (PORT, values["vitals_port_listening"]))
    failures.check(values["vitals_port_listener_info{process=vitals_exporter}"] == 1,
                   "3. the owner of port %d was not found (vitals_port_listener_info)" % PORT)
    failures.check(values["vitals_port_read_errors_total{reason=netlink}"] == 0,
                   "3. sock_diag netlink dumps failed (read errors %s): /proc/net fallback"
                   % values["vitals_port_read_errors_total{reason=netlink}"])
    failures.check((values["namedprocess_namegroup_num_procs{groupname=init}"] or 0) >= 1,
                   "3. group init (PID 1 and its descendants): no process")
    failures.check((values["node_processes_pids"] or 0) >= 3,
                   "3. node_processes_pids %s" % values["node_processes_pids"])
    return metrics


def reload_metrics(metrics):
    return (metrics.get("vitals_config_last_reload_successful"),
            metrics.get("vitals_config_last_reload_success_timestamp_seconds"))


def journald_procs(metrics):
    return metrics.get("namedprocess_namegroup_num_procs", groupname="journald") \
        if metrics else None


def check_reload(box, packaged, before, failures):
    """4. systemctl reload applies a changed file (a new process group)."""
    print("4. ExecReload: %s" % show(box, "ExecReload").get("ExecReload"))
    pid, cursor = main_pid(box), journal_cursor(box)
    successful0, stamp0 = reload_metrics(before)
    time.sleep(1.1)  # The success timestamp has whole-second steps at worst.
    write_config(box, packaged, JOURNALD_GROUP)
    result = systemctl(box, "reload", UNIT)
    failures.check(result.returncode == 0, "4. systemctl reload: exit %d: %s" % (
        result.returncode, result.stderr.strip()))
    metrics = wait_for(lambda: (lambda m: m if journald_procs(m) else None)(scrape(box)), 10)
    log = journal_since(box, cursor)
    print("4. journal after the reload:\n   " + "\n   ".join(log.strip().splitlines()[-6:]))
    failures.check(metrics and journald_procs(metrics) == 1,
                   "4. the group added by the reload is not in /metrics (num_procs %s)"
                   % journald_procs(metrics))
    if metrics:
        successful, stamp = reload_metrics(metrics)
        print("4. vitals_config_last_reload_successful %s -> %s, success timestamp %s -> %s"
              % (successful0, successful, stamp0, stamp))
        failures.check(successful == 1, "4. vitals_config_last_reload_successful %s"
                       % successful)
        failures.check(stamp and stamp0 and stamp > stamp0,
                       "4. the reload success timestamp did not move: %s -> %s"
                       % (stamp0, stamp))
    # logfmt: the quotes around the path are escaped in the msg value.
    failures.check("SIGHUP received" in log and
                   re.search(r'configuration reloaded from \\?"%s\\?"' % re.escape(CONFIG), log),
                   "4. the exporter's log does not show the SIGHUP and the reload")
    failures.check(main_pid(box) == pid, "4. the MainPID changed on reload (%d -> %d)"
                   % (pid, main_pid(box)))
    return metrics


def check_broken_reload(box, packaged, before, failures):
    """5. A broken file on reload: logged with its position, metric 0, old config kept."""
    pid, cursor = main_pid(box), journal_cursor(box)
    _, stamp0 = reload_metrics(before)
    text = write_config(box, packaged, BROKEN_GROUP)
    lines = text.split("\n")
    line = next(i for i, t in enumerate(lines, 1) if "comx:" in t)
    where = "%s:%d:%d" % (CONFIG, line, lines[line - 1].index("comx") + 1)
    result = systemctl(box, "reload", UNIT)
    failures.check(result.returncode == 0, "5. systemctl reload: exit %d" % result.returncode)
    metrics = wait_for(lambda: (lambda m: m if m and reload_metrics(m)[0] == 0 else None)(
        scrape(box)), 10)
    log = journal_since(box, cursor)
    errors = [t for t in log.splitlines() if "configuration reload failed" in t]
    print("5. logged (expected position %s):\n   %s" % (where, "\n   ".join(errors)))
    failures.check(len(errors) == 1, "5. %d 'configuration reload failed' lines, expected 1"
                   % len(errors))
    failures.check(errors and re.search(re.escape(where) + r": unknown key 'comx'", errors[0]),
                   "5. the error does not name %s and the key" % where)
    after = metrics or scrape(box)
    successful, stamp = reload_metrics(after) if after else (None, None)
    print("5. vitals_config_last_reload_successful %s, success timestamp %s (was %s), "
          "journald group num_procs %s" % (successful, stamp, stamp0, journald_procs(after)))
    failures.check(successful == 0, "5. vitals_config_last_reload_successful %s, expected 0"
                   % successful)
    failures.check(stamp == stamp0, "5. the success timestamp moved: %s -> %s"
                   % (stamp0, stamp))
    failures.check(journald_procs(after) == 1, "5. /metrics no longer serves the previous "
                   "configuration (its journald group: %s)" % journald_procs(after))
    failures.check(main_pid(box) == pid, "5. the MainPID changed")
    # Back to the good file: the next restart must not fail on it.
    write_config(box, packaged, JOURNALD_GROUP)
    systemctl(box, "reload", UNIT)
    back = wait_for(lambda: (lambda m: m if m and reload_metrics(m)[0] == 1 else None)(
        scrape(box)), 10)
    failures.check(back, "5. the fixed file was not reloaded")


def wait_serving(box, old_pid, timeout):
    """(new MainPID, seconds) once the service is active under a PID other than
    `old_pid` and /metrics answers; (0, seconds) at the timeout."""
    started = time.monotonic()

    def ready():
        pid = main_pid(box)
        return pid if pid not in (0, old_pid) and scrape(box) else None
    pid = wait_for(ready, timeout, interval=0.2)
    return pid or 0, time.monotonic() - started


def check_restarts(box, failures):
    """6. systemctl restart, then kill -9 of the main process."""
    old = main_pid(box)
    systemctl(box, "restart", UNIT)
    new, took = wait_serving(box, old, 15)
    print("6. restart: MainPID %d -> %d, serving after %.1f s" % (old, new, took))
    failures.check(new, "6. no new MainPID serving after systemctl restart (was %d)" % old)
    if not new:
        return
    restarts0 = int(show(box, "NRestarts").get("NRestarts") or 0)
    cursor = journal_cursor(box)
    box.sh("kill -9 %d" % new)
    back, took = wait_serving(box, new, RESTART_SEC + 15)
    state = show(box, "ActiveState", "NRestarts")
    log = journal_since(box, cursor)
    print("6. kill -9 %d: MainPID %d serving after %.1f s, %s; journal:\n   %s" % (
        new, back, took, state, "\n   ".join(t for t in log.splitlines() if re.search(
            r"code=killed|Failed with|Scheduled restart|Started", t))))
    failures.check(back, "6. the service did not come back within %.0f s of kill -9"
                   % (RESTART_SEC + 15))
    failures.check(took >= RESTART_SEC - 0.5, "6. back after %.1f s, before RestartSec=%.0fs"
                   % (took, RESTART_SEC))
    failures.check(int(state.get("NRestarts") or 0) == restarts0 + 1,
                   "6. NRestarts %s, expected %d" % (state.get("NRestarts"), restarts0 + 1))
    failures.check("status=9/KILL" in log, "6. the journal does not show the SIGKILL")


def check_purge(box, failed_before, failures):
    """7. apt purge leaves nothing behind."""
    result = box.sh("%s apt purge -y vitals-exporter 2>&1" % APT_ENV, timeout=120,
                    check=False)
    print("7. $ apt purge -y vitals-exporter -> exit %d\n   %s" % (
        result.returncode, "\n   ".join(result.stdout.strip().splitlines()[-4:])))
    failures.check(result.returncode == 0, "7. apt purge: exit %d" % result.returncode)
    comms = box.sh("cat /proc/[0-9]*/comm 2>/dev/null", check=False).stdout.split()
    failures.check("vitals_exporter" not in comms, "7. a vitals_exporter process is left")
    paths = ["/usr/bin/vitals_exporter", "/lib/systemd/system/vitals_exporter.service",
             "/etc/vitals", "/etc/default/vitals_exporter"]
    left = box.sh("ls -d %s 2>/dev/null; find /etc/systemd /var/lib/systemd "
                  "-name '*vitals*' 2>/dev/null" % " ".join(paths), check=False).stdout.split()
    load = show(box, "LoadState").get("LoadState")
    status = box.exec(["dpkg-query", "-W", "-f", "${db:Status-Status}", "vitals-exporter"],
                      check=False)
    failed = failed_units(box)
    print("7. left: %s; LoadState %s; dpkg: %s; failed units: %s (before the install: %s)"
          % (left or "nothing", load, (status.stdout + status.stderr).strip(),
             failed or "none", failed_before or "none"))
    failures.check(not left, "7. left after purge: %s" % left)
    failures.check(load == "not-found", "7. the unit still loads: LoadState=%s" % load)
    failures.check(status.returncode != 0 or status.stdout.strip() in ("", "not-installed"),
                   "7. dpkg still knows the package: %s" % status.stdout)
    # Units that failed at boot already (none so far) are the host's, not the package's.
    new_failed = sorted(set(failed) - set(failed_before))
    failures.check(not new_failed, "7. units failed since the install: %s" % new_failed)


def failed_units(box):
    out = box.exec(["systemctl", "--failed", "--no-legend", "--plain"], check=False).stdout
    return sorted(t.split()[0] for t in out.split("\n") if t.strip())


def run_in_container(box, deb, failures, timings):
    state, timings["boot"] = box.wait_booted()
    print("systemd booted in %.1f s (%s)" % (timings["boot"], state))
    prepare(box, failures)
    failed_before = failed_units(box)
    step = time.monotonic()
    ok = install(box, deb, failures)
    timings["apt install"] = time.monotonic() - step
    if not ok or not check_active(box, failures):
        return
    print("systemd-analyze security exposure: %s" % check_sandbox(box, failures))
    packaged = box.exec(["cat", CONFIG]).stdout
    step = time.monotonic()
    metrics = check_collectors(box, packaged, failures)
    timings["collectors"] = time.monotonic() - step
    if metrics is None:
        return
    step = time.monotonic()
    metrics = check_reload(box, packaged, metrics, failures) or scrape(box)
    if metrics:
        check_broken_reload(box, packaged, metrics, failures)
    timings["reloads"] = time.monotonic() - step
    step = time.monotonic()
    check_restarts(box, failures)
    timings["restarts"] = time.monotonic() - step
    step = time.monotonic()
    check_purge(box, failed_before, failures)
    timings["purge"] = time.monotonic() - step


def main():
    parser = harness.common_argparser(__doc__.splitlines()[0])
    build_deb.add_arguments(parser)
    args = parser.parse_args()
    failures = harness.Failures("deploy_package_service")

    def body(tmp, timings):
        step = time.monotonic()
        deb = build_deb.the_deb(args, tmp, failures)
        timings["deb"] = time.monotonic() - step
        if deb is None:
            failures.exit()
        with container.Engine(log_dir=tmp) as engine:
            step = time.monotonic()
            container.ensure_base_image(engine)
            image = container.ensure_image(engine, IMAGE, container.systemd_dockerfile(
                ["curl"] + container.deb_depends(deb)))
            timings["images"] = time.monotonic() - step
            with container.SystemdContainer(engine, image, "vitals-test-pkgsvc") as box:
                try:
                    run_in_container(box, deb, failures, timings)
                finally:
                    if failures.items:
                        print("\njournal of the exporter:\n" + box.journal([UNIT], 60))
    container.run_test(failures, {"debootstrap": shutil.which("debootstrap")}, body)
    failures.exit()


if __name__ == "__main__":
    main()
