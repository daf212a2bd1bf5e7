"""Shared by the processes-collector tests (processes_fixture.py, processes_live.py,
process_exporter_compare.py): starting and always stopping test processes, a small
configurable worker program, reading /proc/PID for the expected values, and
namedprocess_namegroup_* samples by group.

Python 3 standard library only. Every process is started in its own session (so its
process group id is its pid) and Children.stop() SIGKILLs each of those process groups
and reaps the leader; use Children as a context manager.
"""

import os
import random
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

SKIP = 77
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
USER_HZ = os.sysconf("SC_CLK_TCK")
PYTHON = sys.executable or shutil.which("python3")
SLEEP = shutil.which("sleep") or "/bin/sleep"

# process-exporter's families (names, TYPE), all labelled with groupname.
GROUP_FAMILIES = {
    "namedprocess_namegroup_num_procs": "gauge",
    "namedprocess_namegroup_cpu_seconds_total": "counter",
    "namedprocess_namegroup_read_bytes_total": "counter",
    "namedprocess_namegroup_write_bytes_total": "counter",
    "namedprocess_namegroup_major_page_faults_total": "counter",
    "namedprocess_namegroup_minor_page_faults_total": "counter",
    "namedprocess_namegroup_context_switches_total": "counter",
    "namedprocess_namegroup_memory_bytes": "gauge",
    "namedprocess_namegroup_open_filedesc": "gauge",
    "namedprocess_namegroup_worst_fd_ratio": "gauge",
    "namedprocess_namegroup_oldest_start_time_seconds": "gauge",
    "namedprocess_namegroup_num_threads": "gauge",
    "namedprocess_namegroup_states": "gauge",
}
COUNTERS = sorted(f for f, t in GROUP_FAMILIES.items() if t == "counter")
STATES = ["Other", "Running", "Sleeping", "Waiting", "Zombie"]


def marker(prefix):
    """A string no other process on the machine has in its command line."""
    return "%s-%d-%08x" % (prefix, os.getpid(), random.getrandbits(32))


# The worker: `python3 -c WORKER MARKER-ROLE key=value...`. Options:
#   threads=N  N extra threads blocked on an Event (num_threads = N + 1)
#   fds=N      N extra descriptors open on /dev/null
#   nofile=N   soft RLIMIT_NOFILE (worst_fd_ratio = open fds / N)
#   burn=S     use S seconds of CPU (process time) in each work phase
#   io=BYTES   write BYTES to a file in dir=DIR with fsync, read them back with O_DIRECT
#   zombie=1   fork a child that exits at once and is never reaped (state Z)
# It does one work phase, prints "ready", then sleeps in sigwait(); each SIGUSR1 runs
# another work phase and prints "done". In between it is idle: no CPU, no page faults,
# no context switches, so two scrapes taken while it waits see the same values.
WORKER = r"""
import mmap, os, resource, signal, sys, threading, time
opts = dict(a.split("=", 1) for a in sys.argv[2:] if "=" in a)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
if "nofile" in opts:
    resource.setrlimit(resource.RLIMIT_NOFILE,
                       (int(opts["nofile"]), resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
fds = [os.open(os.devnull, os.O_RDONLY) for _ in range(int(opts.get("fds", 0)))]
if opts.get("zombie"):
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    for _ in range(500):
        with open("/proc/%d/stat" % pid) as f:
            if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                break
        time.sleep(0.01)
event = threading.Event()
for _ in range(int(opts.get("threads", 0))):
    threading.Thread(target=event.wait, daemon=True).start()
def work():
    end = time.process_time() + float(opts.get("burn", 0))
    while time.process_time() < end:
        pass
    size = int(opts.get("io", 0))
    if size:
        path = os.path.join(opts["dir"], "io-%d" % os.getpid())
        with open(path, "wb") as f:
            f.write(b"x" * size)
            f.flush()
            os.fsync(f.fileno())
        buf = mmap.mmap(-1, size)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_DIRECT)
            os.readv(fd, [buf])
            os.close(fd)
        except OSError:
            pass
        buf.close()
        os.unlink(path)
work()
print("ready", flush=True)
while True:
    signal.sigwait({signal.SIGUSR1})
    work()
    print("done", flush=True)
"""

# Idle forever, as a python3 process whose extra argv says what it is.
IDLE = "import signal; signal.pause()"


class Children:
    """Processes a test started; stop() kills every one of their process groups."""

    def __init__(self):
        self.procs = []
        self.tmp = tempfile.mkdtemp(prefix="vitals-e2e-proc-")

    def start(self, argv, executable=None, stdout=subprocess.DEVNULL, env=None):
        proc = subprocess.Popen(argv, executable=executable, stdin=subprocess.DEVNULL,
                                stdout=stdout, stderr=subprocess.DEVNULL,
                                start_new_session=True, env=env)
        self.procs.append(proc)
        return proc

    def worker(self, mark, *options):
        """A WORKER process (stdout piped, for wait_line)."""
        argv = [PYTHON, "-c", WORKER, mark, "dir=" + self.tmp] + list(options)
        return self.start(argv, stdout=subprocess.PIPE)

    def kill(self, proc, timeout=5.0):
        """SIGKILLs the process group of `proc` and reaps its leader."""
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
        if proc.stdout is not None:
            proc.stdout.close()

    def stop(self):
        for proc in self.procs:
            self.kill(proc)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False


def wait_line(proc, expected, timeout=10.0):
    """Reads lines from proc's stdout until one equals `expected`; raises on timeout."""
    deadline = time.monotonic() + timeout
    buffered = b""
    fd = proc.stdout.fileno()
    while True:
        while b"\n" in buffered:
            line, buffered = buffered.split(b"\n", 1)
            if line.decode(errors="replace") == expected:
                return
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise RuntimeError("pid %d did not print %r within %.0f s"
                               % (proc.pid, expected, timeout))
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                raise RuntimeError("pid %d exited (%s) before printing %r"
                                   % (proc.pid, proc.poll(), expected))
            buffered += chunk


def wait_until(condition, timeout=5.0, what="condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            raise RuntimeError("timed out after %.0f s waiting for %s" % (timeout, what))
        time.sleep(0.02)


# --------------------------------------------------------------------------- /proc


def read_stat(pid, procfs="/proc"):
    """/proc/PID/stat as a dict of the fields the tests need (None if gone)."""
    try:
        with open(os.path.join(procfs, str(pid), "stat"), "rb") as f:
            data = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    close = data.rindex(b")")
    fields = data[close + 2:].split()
    return {
        "comm": data[data.index(b"(") + 1:close],
        "state": fields[0].decode(),
        "ppid": int(fields[1]),
        "minflt": int(fields[7]),
        "majflt": int(fields[9]),
        "utime": int(fields[11]),
        "stime": int(fields[12]),
        "num_threads": int(fields[17]),
        "starttime": int(fields[19]),
        "vsize": int(fields[20]),
        "rss": int(fields[21]),
    }


def read_status(pid, procfs="/proc"):
    out = {}
    with open(os.path.join(procfs, str(pid), "status"), "rb") as f:
        for line in f:
            key, _, value = line.decode("utf-8", "replace").partition(":")
            out[key] = value.strip()
    return out


def read_io(pid, procfs="/proc"):
    with open(os.path.join(procfs, str(pid), "io")) as f:
        return {k: int(v) for k, v in (line.split(": ") for line in f if ": " in line)}


def max_open_files(pid, procfs="/proc"):
    with open(os.path.join(procfs, str(pid), "limits")) as f:
        for line in f:
            if line.startswith("Max open files"):
                soft = line[len("Max open files"):].split()[0]
                return None if soft == "unlimited" else int(soft)
    return None


def boot_time(procfs="/proc"):
    with open(os.path.join(procfs, "stat")) as f:
        for line in f:
            if line.startswith("btime "):
                return int(line.split()[1])
    raise RuntimeError("no btime in %s/stat" % procfs)


def children_of(pid, procfs="/proc"):
    out = []
    for entry in os.listdir(procfs):
        if entry.isdigit():
            stat = read_stat(int(entry), procfs)
            if stat is not None and stat["ppid"] == pid:
                out.append(int(entry))
    return sorted(out)


# --------------------------------------------------------------------------- metrics


def by_group(scrape, family):
    """{groupname: {frozenset(other labels): value}} for one namedprocess_ family."""
    out = {}
    for labels, value in scrape.find(family).items():
        d = dict(labels)
        group = d.pop("groupname", None)
        out.setdefault(group, {})[frozenset(d.items())] = value
    return out


def fmt_labels(group, labels):
    """'{groupname="g",k="v"}' for messages."""
    items = [("groupname", group)] + sorted(labels)
    return "{%s}" % ",".join('%s="%s"' % (k, harness.escape_label_value(v)) for k, v in items)


def group_value(scrape, family, group, **labels):
    return scrape.get(family, groupname=group, **labels)


def group_names(scrape):
    return set(by_group(scrape, "namedprocess_namegroup_num_procs"))


def write_config(directory, name, text):
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def yaml_quote(text):
    """A YAML single-quoted scalar (regexes keep their backslashes)."""
    return "'" + text.replace("'", "''") + "'"
