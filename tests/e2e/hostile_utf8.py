#!/usr/bin/env python3
"""Invalid UTF-8 from three kernel sources at once, scraped by a real Prometheus.

The kernel hands out arbitrary bytes: mount points, interface aliases, process names
set with prctl(PR_SET_NAME). Prometheus rejects a whole scrape (up 0) when one label
value is not valid UTF-8, so vitals must clean every label value (invalid byte ->
U+FFFD) while keeping valid text, quotes and backslashes as they are.

The test re-runs itself inside new mount, network and PID namespaces
(`unshare --mount --net --pid --fork --mount-proc --kill-child`), so nothing it
creates is visible to the host and everything goes away with the namespaces, also
when the test fails or is killed. Inside (PID 1 of the new PID namespace):

  - sysfs is mounted again on /sys (so /sys/class/net is the new network namespace),
    loopback is brought up;
  - a veth pair: one end's alias written to /sys/class/net/DEV/ifalias, the other's
    set with `ip link set dev DEV alias`, both holding 0xff 0xfe, a quote and a
    backslash -> node_network_info{ifalias};
  - a tmpfs mounted (mount(2) via ctypes) on a directory whose name holds 0xff 0xfe,
    a quote, a backslash and a space (escaped \\040 in mountinfo) -> node_filesystem_*
    {mountpoint}; the exporter reads /proc/1/mountinfo, which is this namespace's;
  - a process whose comm (prctl PR_SET_NAME) holds 0xff 0xfe, a quote, a backslash
    and an `e` with acute accent (valid UTF-8, must be kept), listening on a TCP port
    of the `ports:` config -> vitals_port_listener_info{process}, and matched by
    comm (the raw bytes in the config file) by a `processes:` group named
    `{{.Comm}}` -> namedprocess_namegroup_*{groupname};
  - and a fourth source, the config file itself: a fixed group name holding 0xff 0xfe
    that no process matches (num_procs 0).

Then the exporter and Prometheus (1 s scrape interval) run in the namespaces on
127.0.0.1. After the first scrapes, hostile names come and go for CHURN_S seconds while
Prometheus keeps scraping: processes with another hostile comm (matched by the group)
start and exit, a second tmpfs on a hostile directory is mounted and unmounted, the
first veth's alias flips between hostile and clean, and the config file is rewritten
with a new hostile fixed group name and reloaded (SIGHUP) every 2 s. Checks: the raw /metrics body is strict UTF-8 (else the families of the
lines that are not are named); each hostile label value is there with U+FFFD where
the bad bytes were; Prometheus scraped at least 4 times and `up` was 1 every time
(min_over_time/count_over_time over the API); Prometheus stored the cleaned label
values (series queried back by label). Needs root (skip, exit 77, otherwise).
About 20 s (Prometheus' start, 4 scrapes at 1 s, 8 s of churn).
"""
import argparse
import ctypes
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

import harness

SKIP = 77
JOB = "vitals-hostile"

# The hostile bytes. Each one holds 0xff 0xfe (never valid in UTF-8), a quote and a
# backslash (escaped in the exposition format, not replaced); the comm also holds
# U+00E9 (valid UTF-8 that must come through unchanged). comm is at most 15 bytes.
MOUNT_NAME = b'vh mnt"\\\xff\xfe'
ALIAS_SYSFS = b'vh-alias"\\\xff\xfe-sysfs'
ALIAS_IP = b'vh-alias"\\\xff\xfe-ip'
COMM = b'vh\xc3\xa9"\\\xff\xfe'
GROUP = b'vh-group"\\\xff\xfe'  # a fixed group name in the config file, no process.
VETH = ("vhutf0", "vhutf1")  # ALIAS_SYSFS on the first, ALIAS_IP on the second.
CHURN_COMM = b'vh-churn"\xff\xfe'  # short-lived processes during the churn phase
CHURN_MOUNT = b'vh churn"\xfe\xff'
CHURN_S = 8.0


def expected(raw):
    """What the label value must read: each invalid byte -> U+FFFD, the rest as is."""
    return raw.decode("utf-8", "replace")


# --------------------------------------------------------------------------- outside


def outside(args):
    if os.geteuid() != 0:
        print("SKIP: needs root (mount, network and PID namespaces, a tmpfs, a veth pair)")
        return SKIP
    for tool in ("unshare", "ip", args.prometheus):
        if shutil.which(tool) is None:
            print("FAIL: %s is not installed (scripts/install-deps.sh test installs it)" % tool)
            return 1
    # SIGTERM (ctest's timeout, a user) unwinds: subprocess.run kills unshare, the
    # temporary directory is removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("FAIL: terminated"))
    with tempfile.TemporaryDirectory(prefix="vitals-hostile-utf8-") as tmp:
        cmd = ["unshare", "--mount", "--net", "--pid", "--fork", "--mount-proc", "--kill-child",
               sys.executable, os.path.abspath(__file__), "--inside", "--tmp", tmp,
               "--exporter", os.path.abspath(args.exporter), "--repo", args.repo,
               "--prometheus", shutil.which(args.prometheus)]
        try:
            # The inner run is bounded by its own deadlines; this is the backstop. On
            # timeout unshare is killed, --kill-child kills PID 1 of the namespace and
            # with it every process inside; the mounts and the veth pair go with the
            # namespaces.
            return subprocess.run(cmd, stdin=subprocess.DEVNULL, timeout=100).returncode
        except subprocess.TimeoutExpired:
            print("FAIL: the run inside the namespaces did not finish within 100 s")
            return 1


# --------------------------------------------------------------------------- inside

PR_SET_NAME = 15
MS_NOSUID, MS_NODEV, MS_NOEXEC = 2, 4, 8

# The listener: sets its comm, listens on 127.0.0.1:0, prints the port, lives until
# its stdin closes (or the namespace goes).
LISTENER = r"""
import ctypes, socket, sys
libc = ctypes.CDLL(None, use_errno=True)
name = bytes.fromhex(sys.argv[1])
if libc.prctl(15, ctypes.c_char_p(name), 0, 0, 0) != 0:
    raise OSError(ctypes.get_errno(), "prctl(PR_SET_NAME)")
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
print(s.getsockname()[1], flush=True)
sys.stdin.read()
"""


def libc_mount(source, target, fstype, flags=0, data=None):
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong,
                           ctypes.c_char_p]
    if libc.mount(source, target, fstype, flags, data) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, "mount %r on %r: %s" % (fstype, target, os.strerror(errno)))


def run(cmd):
    result = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=10)
    if result.returncode != 0:
        raise RuntimeError("%r: exit %d: %s" % (cmd, result.returncode,
                                                result.stderr.decode(errors="replace")))


def set_up_kernel_objects(tmp):
    """The three hostile sources. Returns (mount point bytes, listener Popen, port)."""
    # /sys as mounted belongs to the host's network namespace: mount it again here
    # (private mount namespace: the host's /sys is untouched).
    libc_mount(b"sysfs", b"/sys", b"sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    run(["ip", "link", "set", "dev", "lo", "up"])
    run(["ip", "link", "add", VETH[0], "type", "veth", "peer", "name", VETH[1]])
    with open("/sys/class/net/%s/ifalias" % VETH[0], "wb") as f:
        f.write(ALIAS_SYSFS)
    run([b"ip", b"link", b"set", b"dev", VETH[1].encode(), b"alias", ALIAS_IP])
    for dev, alias in zip(VETH, (ALIAS_SYSFS, ALIAS_IP)):
        with open("/sys/class/net/%s/ifalias" % dev, "rb") as f:
            got = f.read().rstrip(b"\n")
        if got != alias:
            raise RuntimeError("%s: ifalias reads %r, wrote %r" % (dev, got, alias))

    mount_point = os.path.join(os.fsencode(tmp), MOUNT_NAME)
    os.mkdir(mount_point)
    libc_mount(b"vitals-hostile", mount_point, b"tmpfs", MS_NOSUID | MS_NODEV, b"size=1m")

    listener = subprocess.Popen([sys.executable, "-c", LISTENER, COMM.hex()],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    line = listener.stdout.readline()
    if not line.strip().isdigit():
        raise RuntimeError("listener did not start (printed %r)" % line)
    with open("/proc/%d/comm" % listener.pid, "rb") as f:
        comm = f.read().rstrip(b"\n")
    if comm != COMM:
        raise RuntimeError("listener comm is %r, wanted %r" % (comm, COMM))
    return mount_point, listener, int(line)


# A short-lived process of the churn phase: sets its comm, lives a moment, exits.
CHURN_CHILD = r"""
import ctypes, sys, time
ctypes.CDLL(None).prctl(15, ctypes.c_char_p(bytes.fromhex(sys.argv[1])), 0, 0, 0)
time.sleep(float(sys.argv[2]))
"""


def write_config(path, port, fixed_group):
    with open(path + ".new", "wb") as f:
        f.write(b"processes:\n  groups:\n"
                b"    - name: '{{.Comm}}'\n      comm: [%s, %s]\n"
                b"    - name: %s\n      cmdline: ['^no process has this command line$']\n"
                b"ports:\n  - {port: %d, name: hostile, address: 127.0.0.1}\n"
                % (yaml_quoted(COMM), yaml_quoted(CHURN_COMM), yaml_quoted(fixed_group), port))
    os.rename(path + ".new", path)  # A reload never reads half a file.


class Churn:
    """Hostile names that come and go, until stop(); counts what it did."""

    def __init__(self, tmp, config, port, exporter_pid):
        self.tmp, self.config, self.port, self.pid = tmp, config, port, exporter_pid
        self.stopping = threading.Event()
        self.counts = {"processes": 0, "mounts": 0, "aliases": 0, "reloads": 0}
        self.errors = []
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def _run(self):
        mount_point = os.path.join(os.fsencode(self.tmp), CHURN_MOUNT)
        os.mkdir(mount_point)
        libc = ctypes.CDLL(None, use_errno=True)
        children = []
        step = 0
        try:
            while not self.stopping.wait(0.25):
                step += 1
                children = [c for c in children if c.poll() is None]
                children.append(subprocess.Popen(
                    [sys.executable, "-c", CHURN_CHILD, CHURN_COMM.hex(), "0.4"],
                    stdin=subprocess.DEVNULL))
                self.counts["processes"] += 1
                # Mounted 0.75 s of every 1.5 s: not in step with the 1 s scrapes, so
                # some scrapes see it and some do not.
                if step % 6 == 1:
                    libc_mount(b"vitals-churn", mount_point, b"tmpfs", MS_NOSUID | MS_NODEV,
                               b"size=1m")
                    self.counts["mounts"] += 1
                elif step % 6 == 4:
                    if libc.umount2(mount_point, 0) != 0:
                        raise OSError(ctypes.get_errno(), "umount2")
                with open("/sys/class/net/%s/ifalias" % VETH[0], "wb") as f:
                    f.write(ALIAS_SYSFS if step % 2 else b"clean alias %d" % step)
                self.counts["aliases"] += 1
                if step % 8 == 0:
                    write_config(self.config, self.port, b'vh-g%d"\\\xff' % step)
                    os.kill(self.pid, signal.SIGHUP)
                    self.counts["reloads"] += 1
        except (OSError, subprocess.SubprocessError) as e:
            self.errors.append(repr(e))
        finally:
            for c in children:
                c.wait(timeout=5)
            libc.umount2(mount_point, 0)  # EINVAL when not mounted: fine.
            with open("/sys/class/net/%s/ifalias" % VETH[0], "wb") as f:
                f.write(ALIAS_SYSFS)

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=10)


def yaml_quoted(raw):
    """A YAML single-quoted scalar holding these bytes as they are."""
    return b"'" + raw.replace(b"'", b"''") + b"'"


def get_json(url):
    with urllib.request.urlopen(url, timeout=5) as r:
        return json.load(r)


def query(base, expr):
    return get_json(base + "/api/v1/query?" + urllib.parse.urlencode({"query": expr}))["data"]["result"]


def context(body, offset):
    return body[max(0, offset - 120):offset + 40]


def check_body(failures, body, mount_point):
    """The raw exposition: strict UTF-8, no bad byte, every hostile value present."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        failures.fail("/metrics is not valid UTF-8: %s; around it: %r"
                      % (e, context(body, e.start)))
        text = body.decode("utf-8", "replace")
    bad_lines = []
    for line in body.split(b"\n"):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad_lines.append(line.split(b"{")[0].decode("ascii", "replace"))
    failures.check(not bad_lines, "%d lines of /metrics hold invalid UTF-8, in: %s"
                   % (len(bad_lines), ", ".join(sorted(set(bad_lines)))))
    try:
        scrape = harness.parse(text)
    except harness.ParseError as e:
        failures.fail("/metrics does not parse: %s" % e)
        return

    mount = expected(mount_point)
    sizes = {dict(k)["mountpoint"]: dict(k) for k in scrape.find("node_filesystem_size_bytes")}
    ours = sizes.get(mount)
    failures.check(ours is not None and ours.get("fstype") == "tmpfs"
                   and ours.get("device") == "vitals-hostile",
                   "node_filesystem_size_bytes{mountpoint=%r}: %r; hostile-looking mount points: %r"
                   % (mount, ours, [m for m in sizes if "vh" in m]))
    if ours is not None:
        failures.check(scrape.get("node_filesystem_size_bytes", **ours) == 1024 * 1024,
                       "tmpfs size %r, want 1 MiB" % scrape.get("node_filesystem_size_bytes", **ours))

    infos = {dict(k)["device"]: dict(k) for k in scrape.find("node_network_info")}
    for dev, alias in zip(VETH, (ALIAS_SYSFS, ALIAS_IP)):
        got = infos.get(dev, {}).get("ifalias")
        failures.check(got == expected(alias), "node_network_info{device=%r} ifalias %r, want %r"
                       % (dev, got, expected(alias)))

    comm = expected(COMM)
    listeners = [dict(k) for k in scrape.find("vitals_port_listener_info")]
    failures.check(any(l.get("process") == comm and l.get("name") == "hostile" for l in listeners),
                   "vitals_port_listener_info{process=%r, name=\"hostile\"} missing; have %r"
                   % (comm, listeners))
    failures.check(scrape.get("namedprocess_namegroup_num_procs", groupname=comm) == 1,
                   "namedprocess_namegroup_num_procs{groupname=%r} is %r; groups: %r"
                   % (comm, scrape.get("namedprocess_namegroup_num_procs", groupname=comm),
                      [dict(k) for k in scrape.find("namedprocess_namegroup_num_procs")]))
    group = expected(GROUP)
    failures.check(scrape.get("namedprocess_namegroup_num_procs", groupname=group) == 0,
                   "namedprocess_namegroup_num_procs{groupname=%r} is %r, want 0"
                   % (group, scrape.get("namedprocess_namegroup_num_procs", groupname=group)))
    failures.check("\ufffd" in text, "no U+FFFD anywhere in /metrics")


def scrape_count(base):
    try:
        result = query(base, 'count_over_time(up{job="%s"}[5m])' % JOB)
        return int(float(result[0]["value"][1])) if result else 0
    except (OSError, ValueError, KeyError):
        return 0


def check_prometheus(failures, args, tmp, exporter, mount_point, churn_set_up,
                     restore_config):
    prom_port = harness.free_port()
    base = "http://127.0.0.1:%d" % prom_port
    prom_config = os.path.join(tmp, "prometheus.yml")
    with open(prom_config, "w") as f:
        f.write("global: {scrape_interval: 1s, scrape_timeout: 1s}\n"
                "scrape_configs:\n  - job_name: %s\n    static_configs:\n"
                "      - targets: ['%s']\n" % (JOB, exporter.addresses[0]))
    log_path = os.path.join(tmp, "prometheus.log")
    with open(log_path, "w") as log:
        prom = subprocess.Popen(
            [args.prometheus, "--config.file=" + prom_config,
             "--storage.tsdb.path=" + os.path.join(tmp, "prometheus-data"),
             "--web.listen-address=127.0.0.1:%d" % prom_port],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        # At least 4 scrapes of the target (count_over_time of up), or 40 s.
        wanted = 4
        scrapes = 0
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and prom.poll() is None:
            scrapes = scrape_count(base)
            if scrapes >= wanted:
                break
            time.sleep(0.5)
        # Hostile names come and go while Prometheus keeps scraping.
        churn = churn_set_up().start()
        time.sleep(CHURN_S)
        churn.stop()
        failures.check(not churn.errors, "churn failed: %s" % churn.errors)
        print("churn: %s" % churn.counts)
        # Back to the first configuration, then two more scrapes for the checks below.
        reloads = len(re.findall("configuration reloaded", exporter.stderr()))
        restore_config()
        exporter.proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        while (len(re.findall("configuration reloaded", exporter.stderr())) == reloads
               and time.monotonic() < deadline):
            time.sleep(0.1)
        after_reload = scrape_count(base)
        while scrape_count(base) < after_reload + 2 and time.monotonic() < deadline:
            time.sleep(0.25)
        during = scrape_count(base) - scrapes
        failures.check(during >= CHURN_S / 2, "only %d scrapes during %.0f s of churn"
                       % (during, CHURN_S))
        scrapes += during
        with open(log_path, errors="replace") as f:
            log_text = f.read()
        if not failures.check(prom.poll() is None, "prometheus exited: " + log_text[-2000:]):
            return
        failures.check(scrapes >= wanted, "prometheus scraped %d times in 40 s, want >= %d"
                       % (scrapes, wanted))
        try:
            target = [t for t in get_json(base + "/api/v1/targets")["data"]["activeTargets"]
                      if t["labels"].get("job") == JOB]
        except OSError as e:
            target = [{"error": "targets API: %s" % e}]
        last_error = target[0].get("lastError", "") if target else "no target"
        lowest = query(base, 'min_over_time(up{job="%s"}[5m])' % JOB)
        lowest = float(lowest[0]["value"][1]) if lowest else None
        failures.check(lowest == 1, "up{job=%r} was not 1 on every one of %d scrapes "
                       "(min_over_time %r); Prometheus' last scrape error: %s"
                       % (JOB, scrapes, lowest, last_error or "(none)"))
        failures.check(not last_error, "Prometheus' last scrape error: %s" % last_error)

        # The cleaned values as Prometheus stored them, found by their labels.
        def series(expr, label):
            try:
                return [r["metric"].get(label) for r in query(base, expr)]
            except OSError as e:
                return ["query failed: %s" % e]
        for dev, alias in zip(VETH, (ALIAS_SYSFS, ALIAS_IP)):
            got = series('node_network_info{job="%s",device="%s"}' % (JOB, dev), "ifalias")
            failures.check(got == [expected(alias)], "Prometheus: node_network_info{device=%r} "
                           "ifalias %r, want [%r]" % (dev, got, expected(alias)))
        got = series('node_filesystem_size_bytes{job="%s",device="vitals-hostile"}' % JOB,
                     "mountpoint")
        failures.check(got == [expected(mount_point)], "Prometheus: the tmpfs' mountpoint %r, "
                       "want [%r]" % (got, expected(mount_point)))
        got = series('vitals_port_listener_info{job="%s",name="hostile"}' % JOB, "process")
        failures.check(got == [expected(COMM)], "Prometheus: listener process %r, want [%r]"
                       % (got, expected(COMM)))
        got = series('namedprocess_namegroup_num_procs{job="%s"} == 1' % JOB, "groupname")
        failures.check(expected(COMM) in got, "Prometheus: group %r not among %r"
                       % (expected(COMM), got))
        got = series('namedprocess_namegroup_num_procs{job="%s"} == 0' % JOB, "groupname")
        failures.check(got == [expected(GROUP)], "Prometheus: empty groups %r, want [%r]"
                       % (got, expected(GROUP)))
        # What came and went was stored cleaned too.
        got = series('max_over_time(namedprocess_namegroup_num_procs{job="%s",'
                     'groupname=~"vh-churn.*"}[5m]) > 0' % JOB, "groupname")
        failures.check(got == [expected(CHURN_COMM)], "Prometheus: churn group %r, want [%r]"
                       % (got, expected(CHURN_COMM)))
        got = series('max_over_time(node_filesystem_size_bytes{job="%s",'
                     'device="vitals-churn"}[5m])' % JOB, "mountpoint")
        want = expected(os.path.join(os.fsencode(tmp), CHURN_MOUNT))
        failures.check(got == [want], "Prometheus: churn mount %r, want [%r]" % (got, want))
    finally:
        prom.terminate()
        try:
            prom.wait(timeout=10)
        except subprocess.TimeoutExpired:
            prom.kill()
            prom.wait(timeout=5)


def inside(args):
    failures = harness.Failures("hostile_utf8")
    if os.getpid() != 1:
        failures.fail("--inside must run as PID 1 of a new PID namespace (run without --inside)")
        failures.exit()
    listener = None
    try:
        mount_point, listener, port = set_up_kernel_objects(args.tmp)
        config = os.path.join(args.tmp, "vitals.yml")
        write_config(config, port, GROUP)
        with harness.Exporter(args.exporter, ["--config.file=" + config]) as exporter:
            response = exporter.get()
            failures.check(response.status == 200, "GET /metrics: HTTP %d" % response.status)
            check_body(failures, response.body, mount_point)
            check_prometheus(failures, args, args.tmp, exporter, mount_point,
                             lambda: Churn(args.tmp, config, port, exporter.proc.pid),
                             lambda: write_config(config, port, GROUP))
            # A scrape after Prometheus' ones: still complete and clean.
            check_body(failures, exporter.get().body, mount_point)
            failures.check(exporter.proc.poll() is None, "the exporter exited: "
                           + exporter.stderr()[-2000:])
    except (OSError, RuntimeError, harness.ExporterError, subprocess.SubprocessError) as e:
        failures.fail("set-up or run failed: %s" % e)
    finally:
        if listener is not None:
            listener.kill()
            listener.wait(timeout=5)
        # The veth pair, the tmpfs and the /sys mount go with the namespaces when this
        # process (PID 1) exits.
    failures.exit()


def main():
    parser = harness.common_argparser(__doc__.splitlines()[0])
    parser.add_argument("--prometheus", default="prometheus")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tmp", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.repo = os.path.abspath(args.repo)
    if args.inside:
        inside(args)
    sys.exit(outside(args))


if __name__ == "__main__":
    main()
