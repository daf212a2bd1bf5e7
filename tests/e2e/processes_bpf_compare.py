#!/usr/bin/env python3
"""The processes collector's two readers on the same live processes: one exporter with
`reader: bpf` (the BPF task iterator) and one with `reader: procfs` (/proc text), scraped
procfs, bpf, procfs. Every namedprocess_namegroup_* series must exist in both and the
BPF value must lie between the two /proc reads (plus a small slack for what changes on
its own: a tick of CPU per process, a page of memory).

Groups (processes the test starts carry a random marker in their argv):
  idle      three idle workers with open fds, fd limits and written+read I/O
  threads   a worker with 8 threads blocked on an event
  exited    a worker whose 4 threads each burned 0.2 s of CPU and exited: the CPU,
            faults and I/O they left in the signal struct must count, as /proc counts them
  busy      a worker burning CPU the whole time
  spinners  a worker whose two threads, named by writing their /proc comm, burn CPU the
            whole time: the thread families' CPU split, per thread, from the
            iterator's records (the kernel's per-thread prev_cputime) against
            /proc/PID/task/TID/stat
  zombie    a worker with an unreaped child (the child is the group's Zombie)
  leaving   two idle workers, one killed between rounds (the group keeps its counts)
  kernel    kernel threads by comm (kthreadd, ksoftirqd/0, migration/0, cpuhp/0)
  init      pid 1 by its comm (some kernels' task iterator skips pid 1: read from /proc)

Unprivileged (as nobody, with setpriv; root only): `reader: auto` falls back to /proc by
itself (source="procfs", and the log line says why), `reader: bpf` fails the collector's
scrape (vitals_scrape_collector_success 0) and logs why; nobody with CAP_BPF and
CAP_PERFMON (ambient, as the packaged unit's bpf.conf drop-in grants) reads through BPF.

Skips (exit 77) only where the BPF path cannot load here: the kernel refuses (no
CAP_BPF+CAP_PERFMON, no BTF) or the exporter was built with -DVITALS_BPF=OFF. CI runs as
root, so there it runs for real.
"""

import os
import re
import shutil
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import processes_common as pc  # noqa: E402

CPU_SLACK_PER_PROC = 2.0 / pc.USER_HZ  # Two ticks: cputime_adjust() rounding and history.
MEMORY_SLACK = 64 * 1024
# memtype shared (RssFile + RssShmem) and swapped: the iterator reads the mm counters'
# shared totals, as /proc/PID/stat and statm do; /proc/PID/status (6.16+) adds every CPU's
# pending delta, up to the percpu batch (max(32, 2 * CPUs) pages) per CPU per counter.
CPUS = os.cpu_count() or 1
PERCPU_SLACK = max(32, 2 * CPUS) * CPUS * pc.PAGE_SIZE
KERNEL_COMMS = ["kthreadd", "ksoftirqd/0", "migration/0", "cpuhp/0"]
# A gauge can change at the BPF read alone and be back by the second /proc read (a kernel
# thread Running for an instant, pid 1 holding one more fd while the machine is busy): a
# round is scraped again, up to this many times, until every series is in its bracket. A
# real difference between the readers fails every attempt.
ATTEMPTS = 3

EXITED_THREADS = r"""
import os, sys, threading, time
def burn():
    end = time.thread_time() + 0.2
    while time.thread_time() < end:
        pass
    with open(os.devnull, "rb") as f:
        f.read(1)
threads = [threading.Thread(target=burn) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
print("ready", flush=True)
import signal; signal.pause()
"""

BUSY = "print('ready', flush=True)\nwhile True:\n    pass\n"

SPINNERS = r"""
import sys, threading
def spin(name, ready):
    with open("/proc/self/task/%d/comm" % threading.get_native_id(), "w") as f:
        f.write(name)
    ready.set()
    while True:
        sum(range(1000))
events = []
for name in ("spinA", "spinB"):
    ready = threading.Event()
    threading.Thread(target=spin, args=(name, ready), daemon=True).start()
    events.append(ready)
for ready in events: ready.wait()
print("ready", flush=True)
threading.Event().wait()
"""


def config_text(mark, init_comm):
    q = pc.yaml_quote
    m = re.escape(mark)
    lines = ["processes:", "  children: false", "  reader: %s", "  groups:"]
    for name in ("idle", "threads", "exited", "busy", "spinners", "zombie", "leaving"):
        lines += ["    - name: " + name, "      cmdline: [%s]" % q(m + "-" + name + r"\b")]
    lines += ["    - name: kernel", "      comm: [%s]" % ", ".join(q(c) for c in KERNEL_COMMS)]
    lines += ["    - name: init", "      comm: [%s]" % q(init_comm), ""]
    return "\n".join(lines)


def start_processes(children, mark):
    procs = {}
    for i in range(3):
        procs["idle%d" % i] = children.worker(mark + "-idle", "fds=%d" % (3 + i), "io=65536",
                                              "nofile=%d" % (64 << i))
    procs["threads"] = children.worker(mark + "-threads", "threads=8")
    procs["exited"] = children.start([pc.PYTHON, "-c", EXITED_THREADS, mark + "-exited"],
                                     stdout=__import__("subprocess").PIPE)
    procs["busy"] = children.start([pc.PYTHON, "-c", BUSY, mark + "-busy"],
                                   stdout=__import__("subprocess").PIPE)
    procs["spinners"] = children.start([pc.PYTHON, "-c", SPINNERS, mark + "-spinners"],
                                       stdout=__import__("subprocess").PIPE)
    procs["zombie"] = children.worker(mark + "-zombie", "zombie=1")
    procs["leaving0"] = children.worker(mark + "-leaving")
    procs["leaving1"] = children.worker(mark + "-leaving")
    for proc in procs.values():
        pc.wait_line(proc, "ready", timeout=20)
    return procs


def slack_for(family, labels, procs, threads):
    """`procs`: the group's processes; `threads`: its threads of this series' name."""
    if family == "namedprocess_namegroup_cpu_seconds_total":
        return CPU_SLACK_PER_PROC * max(procs, 1)
    if family == "namedprocess_namegroup_thread_cpu_seconds_total":
        return CPU_SLACK_PER_PROC * max(threads, 1)
    if family == "namedprocess_namegroup_memory_bytes":
        per_proc = MEMORY_SLACK
        if dict(labels).get("memtype") in ("shared", "swapped"):
            per_proc += 2 * PERCPU_SLACK
        return per_proc * max(procs, 1)
    return 0


def compare(failures, where, before, bpf, after):
    """Every group series of the /proc scrapes is in the BPF one, within their bracket."""
    # The group families (namedprocess_scrape_*errors have no group: the readers count
    # their own read errors).
    families_p = {f for f in before.families() if f.startswith("namedprocess_namegroup_")}
    families_b = {f for f in bpf.families() if f.startswith("namedprocess_namegroup_")}
    failures.check(families_p == families_b, "%s: families differ: /proc only %s, bpf only %s"
                   % (where, sorted(families_p - families_b), sorted(families_b - families_p)))
    compared = 0
    for family in sorted(families_p):
        lo_side, hi_side, got = (pc.by_group(s, family) for s in (before, after, bpf))
        for group in sorted(set(lo_side) | set(got)):
            procs = max(before.get("namedprocess_namegroup_num_procs", groupname=group) or 0,
                        after.get("namedprocess_namegroup_num_procs", groupname=group) or 0)
            keys = set(lo_side.get(group, {})) | set(got.get(group, {}))
            for labels in keys:
                a = lo_side.get(group, {}).get(labels)
                b = got.get(group, {}).get(labels)
                c = hi_side.get(group, {}).get(labels)
                where_series = "%s: %s%s" % (where, family, pc.fmt_labels(group, labels))
                if not failures.check(a is not None and b is not None and c is not None,
                                      "%s: /proc %r, bpf %r, /proc %r" % (where_series, a, b, c)):
                    continue
                name = dict(labels).get("threadname")
                threads = 0 if name is None else max(
                    s.get("namedprocess_namegroup_thread_count", groupname=group,
                          threadname=name) or 0 for s in (before, after))
                slack = slack_for(family, labels, procs, threads)
                compared += 1
                failures.check(min(a, c) - slack <= b <= max(a, c) + slack,
                               "%s: bpf %r outside /proc's %r .. %r (slack %r)"
                               % (where_series, b, a, c, slack))
    return compared


def compare_round(failures, where, procfs, bpf):
    """Scrapes /proc, BPF, /proc and compares, again while something is out of bracket."""
    for attempt in range(1, ATTEMPTS + 1):
        problems = harness.Failures(where)
        before = harness.parse(procfs.scrape())
        middle = harness.parse(bpf.scrape())
        after = harness.parse(procfs.scrape())
        compared = compare(problems, where, before, middle, after)
        if not problems.items:
            break
        print("%s: attempt %d of %d out of bracket (above)%s" % (
            where, attempt, ATTEMPTS, "; scraping again" if attempt < ATTEMPTS else ""))
    for message in problems.items:
        failures.fail(message)
    return compared


def source(scrape):
    return {dict(labels).get("source"): value
            for labels, value in scrape.find("vitals_processes_source").items()}


def scene_unprivileged(failures, exporter_binary, tmp, text):
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        print("unprivileged: skipped (needs root and setpriv)")
        return
    nobody = 65534
    os.chmod(tmp, 0o755)
    wrapper = os.path.join(tmp, "as-nobody.sh")
    with open(wrapper, "w") as f:
        f.write("#!/bin/sh\nexec setpriv --reuid=%d --regid=%d --clear-groups %s \"$@\"\n"
                % (nobody, nobody, os.path.abspath(exporter_binary)))
    os.chmod(wrapper, 0o755)
    for reader in ("auto", "bpf"):
        config = pc.write_config(tmp, "nobody-%s.yml" % reader, text % reader)
        os.chmod(config, 0o644)
        vitals = harness.Exporter(wrapper, ["--collector.disable-defaults",
                                            "--config.file=" + config])
        with vitals:
            scrape = harness.parse(vitals.scrape())
            success = scrape.get("vitals_scrape_collector_success", collector="process_groups")
            log = vitals.stderr()
            if reader == "auto":
                failures.check(source(scrape) == {"procfs": 1} and success == 1,
                               "unprivileged auto: source %r, success %r, want procfs and 1"
                               % (source(scrape), success))
                failures.check(re.search(r"reading per-process facts from /proc \(.*CAP_BPF", log),
                               "unprivileged auto: no log line saying /proc and why:\n" + log)
            else:
                failures.check(success == 0, "unprivileged bpf: collector success %r, want 0"
                               % success)
                failures.check("reader: bpf, but the BPF task iterator is unavailable" in log,
                               "unprivileged bpf: no error logged:\n" + log)
    # nobody with only CAP_BPF + CAP_PERFMON (ambient, as the packaged unit's bpf.conf
    # grants them): the BPF path loads. Debian 12's libbpf failed the load without
    # CAP_SYS_ADMIN while the program asked for a type the kernel's BTF lacks.
    capable = os.path.join(tmp, "as-nobody-bpf.sh")
    caps = "-all,+bpf,+perfmon"
    with open(capable, "w") as f:
        f.write("#!/bin/sh\nexec setpriv --reuid=%d --regid=%d --clear-groups --inh-caps=%s "
                "--ambient-caps=%s --bounding-set=%s %s \"$@\"\n"
                % (nobody, nobody, caps, caps, caps, os.path.abspath(exporter_binary)))
    os.chmod(capable, 0o755)
    config = pc.write_config(tmp, "nobody-caps.yml", text % "bpf")
    os.chmod(config, 0o644)
    with harness.Exporter(capable, ["--collector.disable-defaults",
                                    "--config.file=" + config]) as vitals:
        scrape = harness.parse(vitals.scrape())
        failures.check(source(scrape) == {"bpf": 1} and scrape.get(
            "vitals_scrape_collector_success", collector="process_groups") == 1,
                       "nobody with CAP_BPF+CAP_PERFMON: source %r, want bpf; log:\n%s"
                       % (source(scrape), vitals.stderr()[-2000:]))


def main():
    parser = harness.common_argparser(__doc__.splitlines()[0])
    args = parser.parse_args()
    failures = harness.Failures("processes_bpf_compare")
    mark = pc.marker("vitals-bpfcmp")
    started = time.monotonic()
    with open("/proc/1/comm") as f:
        init_comm = f.read().strip()
    with pc.Children() as children:
        text = config_text(mark, init_comm)
        config_bpf = pc.write_config(children.tmp, "bpf.yml", text % "bpf")
        config_procfs = pc.write_config(children.tmp, "procfs.yml", text % "procfs")
        common = ["--collector.disable-defaults"]
        bpf = harness.Exporter(args.exporter, common + ["--config.file=" + config_bpf])
        procfs = harness.Exporter(args.exporter, common + ["--config.file=" + config_procfs])
        try:
            bpf.start()
            procfs.start()
            first = harness.parse(bpf.scrape())
            if source(first) != {"bpf": 1}:
                log = bpf.stderr()
                reason = re.search(r"reader: bpf, but the BPF task iterator is unavailable: (.*)",
                                   log)
                why = reason.group(1) if reason else log[-2000:]
                if re.search(r"refused|CAP_BPF|no BTF|no BPF support|Operation not permitted",
                             why):
                    print("SKIP: the BPF path cannot load here: %s" % why)
                    sys.exit(pc.SKIP)
                failures.fail("the BPF path did not load (and not for lack of privilege or "
                              "kernel support): %s" % why)
                failures.exit()
            failures.check(source(harness.parse(procfs.scrape())) == {"procfs": 1},
                           "the reader: procfs exporter does not say source=procfs")
            procs = start_processes(children, mark)
            time.sleep(0.3)
            total = 0
            for round_ in range(3):
                if round_ == 2:
                    children.kill(procs["leaving0"])
                    time.sleep(0.2)
                total += compare_round(failures, "round %d" % round_, procfs, bpf)
            scrape = harness.parse(bpf.scrape())
            v = lambda family, group, **labels: pc.group_value(
                scrape, "namedprocess_namegroup_" + family, group, **labels)
            # The scenes are what the test says they are (so the comparison meant something).
            failures.check(v("num_procs", "idle") == 3, "idle: num_procs %r" % v("num_procs", "idle"))
            failures.check(v("num_threads", "threads") == 9,
                           "threads: num_threads %r" % v("num_threads", "threads"))
            failures.check((v("cpu_seconds_total", "exited", mode="user") or 0) +
                           (v("cpu_seconds_total", "exited", mode="system") or 0) >= 0.7,
                           "exited: the exited threads' CPU is missing")
            spun = [sum(scrape.get("namedprocess_namegroup_thread_cpu_seconds_total",
                                   groupname="spinners", threadname=name, mode=mode) or 0
                        for mode in ("user", "system")) for name in ("spinA", "spinB")]
            failures.check(all(seconds > 0.1 for seconds in spun),
                           "spinners: thread CPU by name %r, want both spinning" % spun)
            failures.check(v("states", "zombie", state="Zombie") == 0 and
                           v("num_procs", "zombie") == 1,
                           "zombie: the worker (its child is unmatched) %r"
                           % v("num_procs", "zombie"))
            failures.check(v("num_procs", "leaving") == 1, "leaving: num_procs %r"
                           % v("num_procs", "leaving"))
            failures.check((v("num_procs", "kernel") or 0) >= 2,
                           "kernel: num_procs %r" % v("num_procs", "kernel"))
            failures.check(v("num_procs", "init") == 1, "init: num_procs %r"
                           % v("num_procs", "init"))
            failures.check((v("read_bytes_total", "idle") or 0) > 0 or
                           (v("write_bytes_total", "idle") or 0) > 0,
                           "idle: no I/O bytes counted")
            print("compared %d series over 3 rounds" % total)
            scene_unprivileged(failures, args.exporter, children.tmp, text)
        except (RuntimeError, harness.ExporterError, harness.ParseError, OSError) as e:
            failures.fail("%s: %s" % (type(e).__name__, e))
        finally:
            harness.stop_all([bpf, procfs])
    print("processes_bpf_compare: %.1f s" % (time.monotonic() - started))
    failures.exit()


if __name__ == "__main__":
    main()
