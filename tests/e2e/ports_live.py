#!/usr/bin/env python3
"""The ports collector on sockets this test opens on random loopback ports.

  live      the real /proc and the kernel's sock_diag netlink (the debug log says so):
            a listening TCP socket on 127.0.0.1 and one on ::1, a bound UDP socket on
            127.0.0.1 and one on ::1, a TCP listener on 0.0.0.0 and a UDP socket on ::
            -> vitals_port_listening 1, and vitals_port_listener_info names this
            process's comm (python3); the 127.0.0.1 port configured with address
            127.0.0.2 -> 0; the 0.0.0.0 / :: ports configured with address 127.0.0.2
            -> 1 (a wildcard socket serves every address); a port nothing uses -> 0.
            Every configured port is present in every scrape. After closing the
            sockets, the next scrape says 0 and names no process.
  fallback  --path.procfs pointing at a copy of /proc/net/{tcp,tcp6,udp,udp6} (plus a
            copy of this process's comm and fd symlinks): the same answers, read from
            the files. Closing the sockets changes nothing until the copy is refreshed,
            which proves the files were read rather than the kernel; then 0.
  unprivileged  (only when the test runs as root) the exporter runs as nobody
            (setpriv): listening still 1 (sock_diag needs no privilege), but root's
            /proc/PID/fd is unreadable: no listener_info, and
            vitals_port_read_errors_total{reason="permission"} > 0.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

NOBODY = 65534


class Sockets:
    """The sockets the test listens on, by role, with kernel-chosen ports."""

    def __init__(self):
        self.items = {}
        self.items["tcp4"] = self._tcp(socket.AF_INET, "127.0.0.1")
        self.items["tcp6"] = self._tcp(socket.AF_INET6, "::1")
        self.items["udp4"] = self._udp(socket.AF_INET, "127.0.0.1")
        self.items["udp6"] = self._udp(socket.AF_INET6, "::1")
        self.items["tcp-any"] = self._tcp(socket.AF_INET, "0.0.0.0")
        self.items["udp-any"] = self._udp(socket.AF_INET6, "::")
        self.ports = {role: s.getsockname()[1] for role, s in self.items.items()}

    @staticmethod
    def _tcp(family, address):
        s = socket.socket(family, socket.SOCK_STREAM)
        s.bind((address, 0))
        s.listen(4)
        return s

    @staticmethod
    def _udp(family, address):
        s = socket.socket(family, socket.SOCK_DGRAM)
        s.bind((address, 0))
        return s

    def close(self):
        for s in self.items.values():
            s.close()


def unused_port(taken):
    """A TCP port nothing listens on (bound and released at once, not one of ours)."""
    for _ in range(20):
        port = harness.free_port()
        if port not in taken:
            return port
    raise RuntimeError("no unused port")


def entries(ports, closed):
    """(name label, port, protocol, config line, value while the sockets are open)."""
    p = ports
    table = [
        ("tcp4", p["tcp4"], "tcp", "", 1),
        ("tcp6", p["tcp6"], "tcp", "", 1),
        ("udp4", p["udp4"], "udp", "", 1),
        ("udp6", p["udp6"], "udp", "", 1),
        ("tcp4-other", p["tcp4"], "tcp", "127.0.0.2", 0),
        ("tcp6-exact", p["tcp6"], "tcp", "'::1'", 1),
        ("tcp-any", p["tcp-any"], "tcp", "127.0.0.2", 1),
        ("udp-any", p["udp-any"], "udp", "127.0.0.2", 1),
        ("closed", closed, "tcp", "", 0),
    ]
    out = []
    for name, port, protocol, address, value in table:
        line = "{port: %d, protocol: %s, name: %s%s}" % (
            port, protocol, name, ", address: " + address if address else "")
        out.append((name, port, protocol, line, value))
    return out


def write_config(directory, lines):
    path = os.path.join(directory, "ports.yml")
    with open(path, "w") as f:
        f.write("ports:\n" + "".join("  - %s\n" % entry[3] for entry in lines))
    os.chmod(path, 0o644)
    return path


def own_comm():
    with open("/proc/self/comm") as f:
        return f.read().rstrip("\n")


def check_scrape(failures, where, text, lines, is_open, owners):
    """owners: expected listener_info process for open ports (None: expect none)."""
    scrape = harness.parse(text)
    failures.check(scrape.get("vitals_scrape_collector_success", collector="ports") == 1,
                   "%s: collector ports failed" % where)
    failures.check(scrape.types.get("vitals_port_listening") == "gauge",
                   "%s: vitals_port_listening is not a gauge" % where)
    listening = scrape.find("vitals_port_listening")
    failures.check(len(listening) == len(lines),
                   "%s: %d listening series for %d configured ports"
                   % (where, len(listening), len(lines)))
    info = scrape.find("vitals_port_listener_info")
    for role, port, protocol, _, value in lines:
        labels = {"name": role, "port": str(port), "protocol": protocol}
        want = value if is_open else 0
        # Not scrape.get(): a label called "name" clashes with its first parameter.
        got = scrape.samples.get(("vitals_port_listening", frozenset(labels.items())))
        failures.check(got == want, "%s: %s listening %s, want %s" % (where, role, got, want))
        processes = sorted(dict(k)["process"] for k in info
                           if {n: v for n, v in k if n != "process"} == labels)
        want_processes = [owners] if (want == 1 and owners is not None) else []
        failures.check(processes == want_processes, "%s: %s listener_info %s, want %s"
                       % (where, role, processes, want_processes))
    return scrape


def copy_tables(src_proc, dst_proc):
    os.makedirs(os.path.join(dst_proc, "net"), exist_ok=True)
    for name in ("tcp", "tcp6", "udp", "udp6"):
        shutil.copyfile(os.path.join(src_proc, "net", name), os.path.join(dst_proc, "net", name))


def copy_self(dst_proc):
    """This process's comm and fd symlinks (as cp -P would copy them)."""
    pid_dir = os.path.join(dst_proc, str(os.getpid()))
    os.makedirs(os.path.join(pid_dir, "fd"), exist_ok=True)
    shutil.copyfile("/proc/self/comm", os.path.join(pid_dir, "comm"))
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(os.path.join("/proc/self/fd", fd))
        except OSError:
            continue  # The fd of the listdir itself, closed by now.
        os.symlink(target, os.path.join(pid_dir, "fd", fd))


def scene_live(failures, exporter_binary, tmp):
    sockets = Sockets()
    closed = unused_port(sockets.ports.values())
    lines = entries(sockets.ports, closed)
    config = write_config(tmp, lines)
    comm = own_comm()
    failures.check(comm.startswith("python3"), "this process's comm is %r, not python3" % comm)
    vitals = harness.Exporter(exporter_binary, ["--collector.disable-defaults",
                                                "--config.file=" + config, "--log.level=debug"])
    with vitals:
        failures.check(vitals.wait_log(r"ports: sockets from sock_diag netlink", 2) is not None,
                       "live: no log line saying sock_diag is used")
        scrape = check_scrape(failures, "live open", vitals.scrape(), lines, True, comm)
        failures.check(scrape.get("vitals_port_read_errors_total", reason="netlink") == 0,
                       "live: sock_diag failed and vitals fell back to /proc/net")
        sockets.close()
        check_scrape(failures, "live closed", vitals.scrape(), lines, False, comm)


def scene_fallback(failures, exporter_binary, tmp):
    sockets = Sockets()
    closed = unused_port(sockets.ports.values())
    lines = entries(sockets.ports, closed)
    config = write_config(tmp, lines)
    proc = os.path.join(tmp, "proc")
    copy_tables("/proc", proc)
    copy_self(proc)
    comm = own_comm()
    vitals = harness.Exporter(exporter_binary, ["--collector.disable-defaults",
                                                "--config.file=" + config, "--log.level=debug",
                                                "--path.procfs=" + proc])
    with vitals:
        failures.check(vitals.wait_log(r"ports: sockets from .*/proc/net/", 2) is not None,
                       "fallback: no log line saying /proc/net files are read")
        scrape = check_scrape(failures, "fallback open", vitals.scrape(), lines, True, comm)
        failures.check(scrape.get("vitals_port_read_errors_total", reason="netlink") == 0,
                       "fallback: netlink was tried on a copy of /proc")
        sockets.close()
        # The copy still lists the sockets: vitals reads the files, not the kernel.
        check_scrape(failures, "fallback stale copy", vitals.scrape(), lines, True, comm)
        copy_tables("/proc", proc)
        check_scrape(failures, "fallback fresh copy", vitals.scrape(), lines, False, comm)


def scene_unprivileged(failures, exporter_binary, tmp):
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        print("unprivileged: skipped (needs root and setpriv)")
        return
    sockets = Sockets()
    closed = unused_port(sockets.ports.values())
    lines = entries(sockets.ports, closed)
    config = write_config(tmp, lines)
    wrapper = os.path.join(tmp, "as-nobody.sh")
    with open(wrapper, "w") as f:
        f.write("#!/bin/sh\nexec setpriv --reuid=%d --regid=%d --clear-groups %s \"$@\"\n"
                % (NOBODY, NOBODY, os.path.abspath(exporter_binary)))
    os.chmod(wrapper, 0o755)
    vitals = harness.Exporter(wrapper, ["--collector.disable-defaults", "--config.file=" + config])
    try:
        with vitals:
            scrape = check_scrape(failures, "unprivileged", vitals.scrape(), lines, True, None)
            errors = scrape.get("vitals_port_read_errors_total", reason="permission")
            failures.check(errors is not None and errors > 0,
                           "unprivileged: permission errors %s, want > 0" % errors)
    finally:
        sockets.close()


def main():
    parser = harness.common_argparser(__doc__.splitlines()[0])
    args = parser.parse_args()
    failures = harness.Failures("ports_live")
    started = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="vitals-ports-")
    os.chmod(tmp, 0o755)  # The unprivileged exporter reads the config file in it.
    try:
        for scene in (scene_live, scene_fallback, scene_unprivileged):
            try:
                scene(failures, args.exporter, tmp)
            except (RuntimeError, harness.ExporterError, harness.ParseError, OSError,
                    subprocess.SubprocessError) as e:
                failures.fail("%s: %s: %s" % (scene.__name__, type(e).__name__, e))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("ports_live: %.1f s" % (time.monotonic() - started))
    failures.exit()


if __name__ == "__main__":
    main()
