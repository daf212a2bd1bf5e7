#!/usr/bin/env python3
"""The processes collector on live processes the test starts (all tagged with a random
marker), checked against what /proc says about those very pids:

  sleepers  four `sleep 600` with argv[0] MARKER-sleeper (matched by a cmdline regex):
            num_procs, memory_bytes{resident,virtual} against the sum of
            /proc/PID/stat rss*pagesize and vsize, cpu_seconds_total against utime and
            stime, open_filedesc, num_threads, states. Then two are killed between
            scrapes (num_procs 4 -> 2, every *_total never decreases), then the last
            two (num_procs 0, every family but oldest_start_time_seconds still has the
            group's series, gauges at 0, counters kept).
  burner    a worker that burned 0.5 s and idles; after SIGUSR1 it burns 0.5 s
            more, and a second burner starts after that scrape, burns 0.5 s and
            idles before vitals first sees it: the group's cpu_seconds_total must
            grow by about 1 s (both are counted) and equal their utime+stime.
  perpid    per_pid: true, max_pids: 2 over four workers, two of which burn 0.3 s;
            one burner and one idle worker are bound to a single CPU: exactly 2 pids
            published (the two burners: top by CPU), vitals_process_cpu_affinity
            equal to len(os.sched_getaffinity(pid)), the affinity list equal to
            Cpus_allowed_list, per-pid resident memory equal to rss*pagesize.
  wrapper   a shell script whose child (`sleep`, matched by no group) is folded into
            the script's group: num_procs 2 and, with per_pid, both pids.
  self      a regex that matches vitals' own command line (the config file's name):
            the exporter never counts itself, num_procs 0.
  threads   a worker with 3 extra threads that burned CPU, and a single-threaded one
            (threads: true, the default): namedprocess_namegroup_thread_* has one
            threadname (python3) with thread_count 4, and its CPU, page faults and
            context switches equal the sums over /proc/PID/task/TID/{stat,status} of
            the multi-threaded worker; the single-threaded one adds nothing.

Between two reads of /proc (before and after the scrape) the test processes are idle,
so the expected values are exact; memory is allowed 64 KiB beyond the two reads.
"""

import os
import re
import signal
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import processes_common as pc  # noqa: E402

MEMORY_SLACK = 64 * 1024
BURN = 0.5


def config_text(mark):
    q = pc.yaml_quote
    m = re.escape(mark)
    return "\n".join([
        "processes:",
        "  groups:",
        "    - name: self",
        "      cmdline: [%s]" % q(m + r"-config\.yml"),
        "    - name: sleepers",
        "      cmdline: [%s]" % q("^" + m + "-sleeper 600$"),
        "    - name: burner",
        "      cmdline: [%s]" % q(m + "-burner"),
        "    - name: perpid",
        "      cmdline: [%s]" % q(m + "-perpid"),
        "      per_pid: true",
        "      max_pids: 2",
        "    - name: threads",
        "      cmdline: [%s]" % q(m + "-threads"),
        "    - name: wrapper",
        "      cmdline: [%s]" % q(m + r"-wrapper\.sh"),
        "      per_pid: true",
        "",
    ])


def expected(pids, exited=()):
    """Sums over `pids` from /proc (pids that are gone are skipped); `exited` are the
    last /proc/PID/stat of members that exited, whose counters the group keeps."""
    out = {"procs": 0, "resident": 0, "virtual": 0, "utime": 0, "stime": 0, "threads": 0,
           "fds": 0, "minflt": 0, "majflt": 0, "states": {}}
    for stat in exited:
        for key in ("utime", "stime", "minflt", "majflt"):
            out[key] += stat[key]
    for pid in pids:
        stat = pc.read_stat(pid)
        if stat is None:
            continue
        out["procs"] += 1
        out["resident"] += stat["rss"] * pc.PAGE_SIZE
        out["virtual"] += stat["vsize"]
        out["utime"] += stat["utime"]
        out["stime"] += stat["stime"]
        out["threads"] += stat["num_threads"]
        out["minflt"] += stat["minflt"]
        out["majflt"] += stat["majflt"]
        out["fds"] += len(os.listdir("/proc/%d/fd" % pid))
        state = {"R": "Running", "S": "Sleeping", "D": "Waiting", "Z": "Zombie"}.get(
            stat["state"], "Other")
        out["states"][state] = out["states"].get(state, 0) + 1
    return out


def scrape_bracketed(vitals, pids, exited=()):
    before = expected(pids, exited)
    scrape = harness.parse(vitals.scrape())
    after = expected(pids, exited)
    return before, scrape, after


def within(value, before, after, slack=0.0):
    return value is not None and min(before, after) - slack <= value <= max(before, after) + slack


def check_group(failures, where, scrape, group, before, after):
    v = lambda family, **labels: pc.group_value(scrape, "namedprocess_namegroup_" + family,
                                                group, **labels)
    checks = [
        ("num_procs", v("num_procs"), before["procs"], after["procs"], 0),
        ("memory_bytes{resident}", v("memory_bytes", memtype="resident"), before["resident"],
         after["resident"], MEMORY_SLACK),
        ("memory_bytes{virtual}", v("memory_bytes", memtype="virtual"), before["virtual"],
         after["virtual"], MEMORY_SLACK),
        ("cpu_seconds_total{user}", v("cpu_seconds_total", mode="user"),
         before["utime"] / pc.USER_HZ, after["utime"] / pc.USER_HZ, 1e-9),
        ("cpu_seconds_total{system}", v("cpu_seconds_total", mode="system"),
         before["stime"] / pc.USER_HZ, after["stime"] / pc.USER_HZ, 1e-9),
        ("minor_page_faults_total", v("minor_page_faults_total"), before["minflt"],
         after["minflt"], 0),
        ("major_page_faults_total", v("major_page_faults_total"), before["majflt"],
         after["majflt"], 0),
        ("num_threads", v("num_threads"), before["threads"], after["threads"], 0),
        ("open_filedesc", v("open_filedesc"), before["fds"], after["fds"], 0),
    ]
    for name, value, lo, hi, slack in checks:
        failures.check(within(value, lo, hi, slack), "%s: %s %s: vitals %r, /proc %r then %r"
                       % (where, group, name, value, lo, hi))
    for state in pc.STATES:
        value = v("states", state=state)
        failures.check(within(value, before["states"].get(state, 0),
                              after["states"].get(state, 0)),
                       "%s: %s states{%s}: vitals %r, /proc %r then %r"
                       % (where, group, state, value, before["states"].get(state, 0),
                          after["states"].get(state, 0)))


def group_series(scrape, group):
    """{(family, other labels): value} of every namedprocess_namegroup_* series of a group."""
    out = {}
    for family in pc.GROUP_FAMILIES:
        for labels, value in pc.by_group(scrape, family).get(group, {}).items():
            out[(family, labels)] = value
    return out


def check_monotonic(failures, where, earlier, later):
    for group in pc.group_names(earlier):
        old, new = group_series(earlier, group), group_series(later, group)
        for (family, labels), value in sorted(old.items(), key=str):
            if not family.endswith("_total"):
                continue
            now = new.get((family, labels))
            failures.check(now is not None and now >= value,
                           "%s: %s%s went from %r to %r (a counter must never decrease)"
                           % (where, family, pc.fmt_labels(group, labels), value, now))


def per_pid_samples(scrape, family, group):
    out = {}
    for labels, value in scrape.find(family).items():
        d = dict(labels)
        if d.get("groupname") == group:
            out.setdefault(int(d["pid"]), {})[frozenset(
                (k, x) for k, x in d.items() if k not in ("groupname", "pid"))] = value
    return out


def scene_sleepers(failures, vitals, children, mark):
    sleepers = [children.start([mark + "-sleeper", "600"], executable=pc.SLEEP)
                for _ in range(4)]
    pids = [p.pid for p in sleepers]
    pc.wait_until(lambda: all(pc.read_stat(pid)["comm"] == b"sleep" for pid in pids),
                  what="the sleepers to exec")
    time.sleep(0.1)
    before, s1, after = scrape_bracketed(vitals, pids)
    failures.check(before["procs"] == 4, "4 sleepers are running")
    check_group(failures, "4 sleepers", s1, "sleepers", before, after)

    # Idle since s1, so their stat now is what vitals last saw of them.
    exited = [pc.read_stat(proc.pid) for proc in sleepers[:2]]
    for proc in sleepers[:2]:
        children.kill(proc)
    before, s2, after = scrape_bracketed(vitals, pids, exited)
    failures.check(before["procs"] == 2, "2 sleepers are running")
    check_group(failures, "2 of 4 sleepers killed", s2, "sleepers", before, after)
    check_monotonic(failures, "after 2 kills", s1, s2)

    for proc in sleepers[2:]:
        children.kill(proc)
    s3 = harness.parse(vitals.scrape())
    failures.check(pc.group_value(s3, "namedprocess_namegroup_num_procs", "sleepers") == 0,
                   "all sleepers killed: num_procs %r, expected 0"
                   % pc.group_value(s3, "namedprocess_namegroup_num_procs", "sleepers"))
    check_monotonic(failures, "after all kills", s2, s3)
    for family in pc.GROUP_FAMILIES:
        present = "sleepers" in pc.by_group(s3, family)
        if family == "namedprocess_namegroup_oldest_start_time_seconds":
            failures.check(not present, "no member left: %s should have no sample" % family)
        else:
            failures.check(present, "no member left: %s lost the sleepers series" % family)
    for family in ("memory_bytes", "open_filedesc", "num_threads"):
        values = pc.by_group(s3, "namedprocess_namegroup_" + family).get("sleepers", {})
        failures.check(values and all(x == 0 for x in values.values()),
                       "no member left: %s is %s, expected 0" % (family, values))
    failures.check(pc.group_value(s3, "namedprocess_namegroup_cpu_seconds_total", "sleepers",
                                  mode="user") is not None, "cpu series kept after the kills")


def scene_burner(failures, vitals, children, mark):
    burner = children.worker(mark + "-burner", "burn=%s" % BURN)
    pc.wait_line(burner, "ready")
    s1 = harness.parse(vitals.scrape())
    cpu = lambda s: sum(pc.by_group(s, "namedprocess_namegroup_cpu_seconds_total")
                        .get("burner", {}).values())
    first = cpu(s1)
    late = children.worker(mark + "-burner", "burn=%s" % BURN)
    os.kill(burner.pid, signal.SIGUSR1)
    pc.wait_line(burner, "done")
    pc.wait_line(late, "ready")
    s2 = harness.parse(vitals.scrape())
    second = cpu(s2)
    failures.check(second - first >= 2 * BURN * 0.9,
                   "burner: cpu_seconds_total grew by %.2f s; two processes burned %.1f s "
                   "each (one already seen, one new since the last scrape)"
                   % (second - first, BURN))
    expected_cpu = sum((s["utime"] + s["stime"]) / pc.USER_HZ
                       for s in (pc.read_stat(burner.pid), pc.read_stat(late.pid)))
    failures.check(abs(second - expected_cpu) < 1e-9,
                   "burner: cpu_seconds_total %r, /proc says %r" % (second, expected_cpu))
    failures.check(pc.group_value(s2, "namedprocess_namegroup_num_procs", "burner") == 2,
                   "burner: num_procs is not 2")


def scene_perpid(failures, vitals, children, mark):
    cpus = sorted(os.sched_getaffinity(0))
    workers = [children.worker(mark + "-perpid", "burn=0.3") for _ in range(2)]
    workers += [children.worker(mark + "-perpid") for _ in range(2)]
    for proc in workers:
        pc.wait_line(proc, "ready")
    if len(cpus) > 1:
        os.sched_setaffinity(workers[0].pid, cpus[:1])
        os.sched_setaffinity(workers[2].pid, cpus[-1:])
    scrape = harness.parse(vitals.scrape())
    failures.check(pc.group_value(scrape, "namedprocess_namegroup_num_procs", "perpid") == 4,
                   "perpid: num_procs is not 4")
    affinity = per_pid_samples(scrape, "vitals_process_cpu_affinity", "perpid")
    cpu = per_pid_samples(scrape, "vitals_process_cpu_seconds_total", "perpid")
    memory = per_pid_samples(scrape, "vitals_process_memory_bytes", "perpid")
    info = per_pid_samples(scrape, "vitals_process_cpu_affinity_info", "perpid")
    burners = {workers[0].pid, workers[1].pid}
    for family, samples in (("affinity", affinity), ("cpu", cpu), ("memory", memory),
                            ("affinity_info", info)):
        failures.check(set(samples) == burners,
                       "perpid: max_pids 2 over 4: %s published for pids %s, expected the "
                       "two that used most CPU %s" % (family, sorted(samples), sorted(burners)))
    for pid in sorted(set(affinity) & burners):
        want = len(os.sched_getaffinity(pid))
        got = affinity[pid].get(frozenset())
        failures.check(got == want, "perpid: pid %d: vitals_process_cpu_affinity %r, "
                       "len(os.sched_getaffinity) %d" % (pid, got, want))
        listed = pc.read_status(pid)["Cpus_allowed_list"]
        failures.check(set(dict(l).get("cpus") for l in info.get(pid, {})) == {listed},
                       "perpid: pid %d: affinity_info cpus %s, Cpus_allowed_list %r"
                       % (pid, [dict(l) for l in info.get(pid, {})], listed))
        stat = pc.read_stat(pid)
        failures.check(memory[pid].get(frozenset({("memtype", "resident")}))
                       == stat["rss"] * pc.PAGE_SIZE,
                       "perpid: pid %d: resident %r, rss*pagesize %d"
                       % (pid, memory[pid].get(frozenset({("memtype", "resident")})),
                          stat["rss"] * pc.PAGE_SIZE))
        total = sum(cpu[pid].values())
        failures.check(abs(total - (stat["utime"] + stat["stime"]) / pc.USER_HZ) < 1e-9,
                       "perpid: pid %d: cpu %r, /proc %r"
                       % (pid, total, (stat["utime"] + stat["stime"]) / pc.USER_HZ))
    if len(cpus) > 1:
        failures.check(affinity.get(workers[0].pid, {}).get(frozenset()) == 1,
                       "perpid: the worker bound to one CPU reports affinity %r"
                       % affinity.get(workers[0].pid))


def scene_wrapper(failures, vitals, children, mark):
    script = os.path.join(children.tmp, mark + "-wrapper.sh")
    with open(script, "w") as f:
        f.write("#!/bin/bash\n%s 600\nexit 0\n" % pc.SLEEP)
    os.chmod(script, 0o755)
    wrapper = children.start([script])
    pc.wait_until(lambda: pc.children_of(wrapper.pid), what="the wrapper's child")
    child = pc.children_of(wrapper.pid)[0]
    pc.wait_until(lambda: pc.read_stat(child)["comm"] == b"sleep", what="the child to exec")
    before, scrape, after = scrape_bracketed(vitals, [wrapper.pid, child])
    check_group(failures, "wrapper + child", scrape, "wrapper", before, after)
    pids = set(per_pid_samples(scrape, "vitals_process_memory_bytes", "wrapper"))
    failures.check(pids == {wrapper.pid, child}, "wrapper: per-pid detail for %s, expected "
                   "the script %d and its child %d" % (sorted(pids), wrapper.pid, child))


def task_sums(pid):
    """Sums over /proc/PID/task/*/{stat,status}, and the thread names."""
    out = {"utime": 0, "stime": 0, "minflt": 0, "majflt": 0, "vol": 0, "nonvol": 0,
           "names": {}}
    for tid in os.listdir("/proc/%d/task" % pid):
        stat = pc.read_stat(tid, procfs="/proc/%d/task" % pid)
        status = pc.read_status(tid, procfs="/proc/%d/task" % pid)
        for key in ("utime", "stime", "minflt", "majflt"):
            out[key] += stat[key]
        out["vol"] += int(status["voluntary_ctxt_switches"])
        out["nonvol"] += int(status["nonvoluntary_ctxt_switches"])
        name = stat["comm"].decode()
        out["names"][name] = out["names"].get(name, 0) + 1
    return out


def scene_threads(failures, vitals, children, mark):
    multi = children.worker(mark + "-threads", "threads=3", "burn=0.2")
    single = children.worker(mark + "-threads", "burn=0.1")
    for proc in (multi, single):
        pc.wait_line(proc, "ready")
    time.sleep(0.1)
    before = task_sums(multi.pid)
    scrape = harness.parse(vitals.scrape())
    after = task_sums(multi.pid)
    failures.check(before["names"] == {"python3": 4} and before == after,
                   "threads: the worker's threads changed while idle, or are not 4 named "
                   "python3: %s then %s" % (before, after))
    t = lambda family, **labels: scrape.get("namedprocess_namegroup_thread_" + family,
                                            groupname="threads", threadname="python3",
                                            **labels)
    checks = [
        ("thread_count", t("count"), 4),
        ("thread_cpu_seconds_total{user}", t("cpu_seconds_total", mode="user"),
         before["utime"] / pc.USER_HZ),
        ("thread_cpu_seconds_total{system}", t("cpu_seconds_total", mode="system"),
         before["stime"] / pc.USER_HZ),
        ("thread_minor_page_faults_total", t("minor_page_faults_total"), before["minflt"]),
        ("thread_major_page_faults_total", t("major_page_faults_total"), before["majflt"]),
        ("thread_context_switches_total{voluntary}",
         t("context_switches_total", ctxswitchtype="voluntary"), before["vol"]),
        ("thread_context_switches_total{nonvoluntary}",
         t("context_switches_total", ctxswitchtype="nonvoluntary"), before["nonvol"]),
    ]
    for name, value, want in checks:
        failures.check(value is not None and abs(value - want) < 1e-9,
                       "threads: %s: vitals %r, /proc/PID/task sums %r" % (name, value, want))
    names = {dict(l).get("threadname") for l in
             scrape.find("namedprocess_namegroup_thread_count")
             if dict(l).get("groupname") == "threads"}
    failures.check(names == {"python3"}, "threads: thread names %s, expected {python3}"
                   % sorted(names))
    read = t("io_bytes_total", iomode="read")
    failures.check(read is not None, "threads: no thread_io_bytes_total{iomode=read}")


def main():
    parser = harness.common_argparser(__doc__.splitlines()[0])
    args = parser.parse_args()
    failures = harness.Failures("processes_live")
    mark = pc.marker("vitals-live")
    started = time.monotonic()
    with pc.Children() as children:
        config = pc.write_config(children.tmp, mark + "-config.yml", config_text(mark))
        vitals = harness.Exporter(args.exporter, ["--collector.disable-defaults",
                                                  "--config.file=" + config])
        try:
            vitals.start()
            scene_sleepers(failures, vitals, children, mark)
            scene_burner(failures, vitals, children, mark)
            scene_perpid(failures, vitals, children, mark)
            scene_wrapper(failures, vitals, children, mark)
            scene_threads(failures, vitals, children, mark)
            scrape = harness.parse(vitals.scrape())
            failures.check(pc.group_value(scrape, "namedprocess_namegroup_num_procs", "self")
                           == 0, "self: vitals counted itself (its command line matches)")
            failures.check(set(pc.group_names(scrape)) ==
                           {"self", "sleepers", "burner", "perpid", "wrapper", "threads"},
                           "groups: %s" % sorted(pc.group_names(scrape)))
        except (RuntimeError, harness.ExporterError, harness.ParseError, OSError) as e:
            failures.fail("%s: %s" % (type(e).__name__, e))
        finally:
            vitals.stop()
    print("processes_live: %.1f s" % (time.monotonic() - started))
    failures.exit()


if __name__ == "__main__":
    main()
