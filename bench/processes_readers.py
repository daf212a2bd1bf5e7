#!/usr/bin/env python3
"""CPU per scrape of the processes collector's two readers against process-exporter,
interleaved on the same processes (so a loaded machine weighs on all three alike):
vitals with `reader: bpf` (BPF task iterator; needs root), vitals with `reader: procfs`,
and process-exporter, every process grouped by comm (bench/processes-by-comm.yml), at
each N extra idle `sleep` processes. A shorter companion of `bench/peer-bench.sh
processes` (no wrk, no floor) for when that one does not fit the time. CPU is the
on-CPU time of every thread (`/proc/PID/task/*/schedstat`, ns) over each scrape.
`--baseline OTHER` adds OTHER (an earlier build) with `reader: procfs`, for a before/after.
Both exporters run with their default thread families on (process-exporter's -threads,
vitals' `threads: true`): the same work on each side.

  bench/processes_readers.py --exporter build-rel/vitals_exporter [--procs 0,1000,5000]
      [--baseline /tmp/old/vitals_exporter]
"""
import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


def cpu_ns(pid):
    """On-CPU ns of every live thread (schedstat: ns, where /proc/PID/stat has 10 ms ticks)."""
    total = 0
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                total += int(f.read().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass  # A thread that ended meanwhile.
    return total


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def scrape(port):
    with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=120) as r:
        return r.read()


def wait_up(port, proc):
    for _ in range(300):
        if proc.poll() is not None:
            sys.exit("exporter on %d exited" % port)
        try:
            scrape(port)
            return
        except OSError:
            time.sleep(0.1)
    sys.exit("exporter on %d did not come up" % port)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exporter", required=True)
    parser.add_argument("--procs", default="0,1000,5000")
    parser.add_argument("--scrapes", type=int, default=20)
    parser.add_argument("--baseline", help="an earlier vitals_exporter, run with reader: procfs")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="vitals-readers-")
    with open(os.path.join(HERE, "processes-by-comm.yml")) as f:
        groups = f.read()
    targets = []
    readers = [("vitals bpf", 29302, "bpf", args.exporter),
               ("vitals procfs", 29303, "procfs", args.exporter)]
    if args.baseline:
        readers.append(("baseline procfs", 29305, "procfs", args.baseline))
    for name, port, reader, binary in readers:
        config = os.path.join(tmp, reader + ".yml")
        with open(config, "w") as f:
            f.write("processes:\n  reader: %s\n%s" % (reader, groups))
        targets.append((name, port, [binary, "--collector.disable-defaults",
                                     "--config.file=" + config,
                                     "--web.listen-address=127.0.0.1:%d" % port]))
    targets.insert(2, ("process-exporter", 29304, [
        "prometheus-process-exporter", "-web.listen-address=127.0.0.1:29304",
        "-config.path", os.path.join(HERE, "processes-by-comm.yml")]))
    procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for _, _, cmd in targets]
    sleepers = []
    try:
        for (_, port, _), proc in zip(targets, procs):
            wait_up(port, proc)
        print("| extra processes | pids | " + " | ".join(
            "%s CPU ms/scrape" % name for name, _, _ in targets) + " | bpf : process-exporter "
              "| bpf : procfs | RSS KiB (%s) |" % ", ".join(name for name, _, _ in targets))
        print("|---" * (len(targets) + 5) + "|")
        for n in [int(x) for x in args.procs.split(",")]:
            while len(sleepers) < n:
                sleepers.append(subprocess.Popen(["sleep", "3600"], start_new_session=True))
            for (_, port, _) in targets:  # Warm-up: every exporter sees the new processes.
                scrape(port)
                scrape(port)
            samples = [[] for _ in targets]
            for _ in range(args.scrapes if n < 5000 else max(3, args.scrapes // 2)):
                for i, ((_, port, _), proc) in enumerate(zip(targets, procs)):
                    before = cpu_ns(proc.pid)
                    scrape(port)
                    samples[i].append((cpu_ns(proc.pid) - before) / 1e6)
            ms = [statistics.mean(s) for s in samples]
            pids = len([d for d in os.listdir("/proc") if d.isdigit()])
            print("| %d | %d | %s | 1/%.0f | 1/%.1f | %s |" % (
                n, pids, " | ".join("%.2f" % m for m in ms), ms[2] / max(ms[0], 0.01),
                ms[1] / max(ms[0], 0.01), ", ".join(str(rss_kib(p.pid)) for p in procs)),
                flush=True)
    finally:
        for proc in procs + sleepers:
            proc.send_signal(signal.SIGKILL)
        for proc in procs + sleepers:
            proc.wait()


if __name__ == "__main__":
    main()
