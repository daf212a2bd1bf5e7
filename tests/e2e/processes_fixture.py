#!/usr/bin/env python3
"""The processes collector on the fixture tree tests/fixtures/proc-processes (real
/proc/PID captures, see tests/fixtures/README.md), through the whole binary:

  * matching by cmdline regex, comm and exe (a full path); templated names
    {{.Comm}}, {{.ExeBase}}, {{.Matches.NAME}} with a (?P<NAME>...) capture, and the
    default name ({{.ExeBase}}) of a kernel thread, which has no command line (its
    comm, like process-exporter);
  * children folding: a wrapper script's unmatched child and grandchild join its
    group (and do not with `children: false`);
  * a configured group with no process: num_procs 0, every other family at 0, no
    oldest_start_time_seconds;
  * hostile names: a comm with a space, '"', '\\', ')', a newline and the byte 0xff,
    an argv[0] with the same kinds of bytes, a 4 KiB argument that the regex must see
    the end of: the group names come out as valid UTF-8 (0xff -> U+FFFD) and are
    escaped correctly in the exposition;
  * per_pid with max_pids 1: the top process by CPU (ties: lowest pid), its
    affinity from Cpus_allowed_list.
Every value of every group is computed here from the fixture files themselves
(stat, status, io, limits, fd/) and compared exactly. Then `promtool check metrics`
runs on the scrape (only the node_memory_* camelCase lint would be allowed, as in
golden.py; no node_* family is enabled here). The same groups written in
process-exporter's format (top-level process_names:) must give byte-identical output,
and so must `children: false` in either format.
"""

import math
import os
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden  # noqa: E402  (run_promtool)
import harness  # noqa: E402
import processes_common as pc  # noqa: E402

GROUPS = """\
    - name: app
      cmdline: ['/run-app\\.sh$']
    - name: '{{.Comm}}'
      comm: [cachesrv]
      per_pid: true
      max_pids: 1
    - name: '{{.ExeBase}}'
      exe: [/usr/local/bin/queued]
    - name: 'db:{{.Matches.Cluster}}'
      cmdline: ['^dbsrv .* -D /var/lib/dbsrv/(?P<Cluster>[a-z]+)$']
    - name: '{{.Comm}}'
      cmdline: ['(?s)vitals-hostile-one .* x{4096}TAIL$']
    - name: '{{.ExeBase}}|{{.Matches.quoted}}'
      cmdline: ['vitals-hostile-two (?P<quoted>\\S+)']
    - comm: [kthreadd]
    - name: absent
      comm: [no-such-process]
"""

# The pids of the capture and the group each belongs to (tests/fixtures/README.md).
HOSTILE_ONE = 'a "b\\c) d\n\ufffd'  # comm b'a "b\\c) d\n\xff'
HOSTILE_TWO = 'sp"a\\ce\ufffd|q"uo\\te'  # base of b'/opt/we ird/sp"a\\ce\xff' | capture
MEMBERS = {
    "app": [18616, 18619, 18626],  # run-app.sh, its python3 child, that one's sleep
    "cachesrv": [18617, 18620],
    "queued": [18621],
    "db:main": [18622],
    "db:replica": [18623],
    HOSTILE_ONE: [18624],
    HOSTILE_TWO: [18625],
    "kthreadd": [2],
    "absent": [],
}
COMMS = {18616: b"run-app.sh", 18619: b"python3", 18626: b"sleep", 18617: b"cachesrv",
         18620: b"cachesrv", 18621: b"sleep", 18622: b"python3.11", 18623: b"python3.11",
         18624: b'a "b\\c) d\n\xff', 18625: b"python3.11", 2: b"kthreadd"}
PER_PID_GROUP = "cachesrv"


def expected_group(procfs, pids):
    """{(family, frozenset(other labels)): value} for one group, from the fixture files."""
    f = {}
    stats = [pc.read_stat(pid, procfs) for pid in pids]
    statuses = [pc.read_status(pid, procfs) for pid in pids]
    ios = [pc.read_io(pid, procfs) for pid in pids]
    fds = [len(os.listdir(os.path.join(procfs, str(pid), "fd"))) for pid in pids]
    limits = [pc.max_open_files(pid, procfs) for pid in pids]
    kb = lambda status, key: int(status.get(key, "0 kB").split()[0]) * 1024
    n = "namedprocess_namegroup_"

    def put(family, value, **labels):
        f[(n + family, frozenset(labels.items()))] = float(value)

    put("num_procs", len(pids))
    put("cpu_seconds_total", sum(s["utime"] for s in stats) / pc.USER_HZ, mode="user")
    put("cpu_seconds_total", sum(s["stime"] for s in stats) / pc.USER_HZ, mode="system")
    put("read_bytes_total", sum(io["read_bytes"] for io in ios))
    put("write_bytes_total", sum(io["write_bytes"] for io in ios))
    put("major_page_faults_total", sum(s["majflt"] for s in stats))
    put("minor_page_faults_total", sum(s["minflt"] for s in stats))
    for kind in ("voluntary", "nonvoluntary"):
        put("context_switches_total", sum(int(st[kind + "_ctxt_switches"]) for st in statuses),
            ctxswitchtype=kind)
    put("memory_bytes", sum(s["rss"] for s in stats) * pc.PAGE_SIZE, memtype="resident")
    put("memory_bytes", sum(s["vsize"] for s in stats), memtype="virtual")
    put("memory_bytes", sum(kb(st, "VmSwap") for st in statuses), memtype="swapped")
    put("memory_bytes", sum(kb(st, "RssFile") + kb(st, "RssShmem") for st in statuses),
        memtype="shared")
    put("open_filedesc", sum(fds))
    put("worst_fd_ratio", max([n / l for n, l in zip(fds, limits) if l] or [0]))
    put("num_threads", sum(s["num_threads"] for s in stats))
    names = {"R": "Running", "S": "Sleeping", "D": "Waiting", "Z": "Zombie"}
    for state in pc.STATES:
        put("states", sum(1 for s in stats if names.get(s["state"], "Other") == state),
            state=state)
    if stats:
        # Whole seconds, as process-exporter publishes them.
        put("oldest_start_time_seconds",
            math.floor(pc.boot_time(procfs) + min(s["starttime"] for s in stats) / pc.USER_HZ))
    return f


def check_groups(failures, where, scrape, procfs, members):
    published = pc.group_names(scrape)
    failures.check(published == set(members), "%s: groups %s, expected %s"
                   % (where, sorted(published), sorted(members)))
    for group, pids in sorted(members.items()):
        want = expected_group(procfs, pids)
        got = {}
        for family in pc.GROUP_FAMILIES:
            for labels, value in pc.by_group(scrape, family).get(group, {}).items():
                got[(family, labels)] = value
        for key in sorted(set(want) | set(got), key=str):
            failures.check(want.get(key) == got.get(key), "%s: %s%s: vitals %r, fixture %r"
                           % (where, key[0], pc.fmt_labels(group, key[1]), got.get(key),
                              want.get(key)))
    for family, typ in pc.GROUP_FAMILIES.items():
        failures.check(scrape.types.get(family) == typ, "%s: TYPE of %s is %s, expected %s"
                       % (where, family, scrape.types.get(family), typ))


def check_per_pid(failures, scrape, procfs):
    pids = MEMBERS[PER_PID_GROUP]
    cpu = lambda pid: (lambda s: s["utime"] + s["stime"])(pc.read_stat(pid, procfs))
    top = sorted(pids, key=lambda pid: (-cpu(pid), pid))[0]
    stat, status = pc.read_stat(top, procfs), pc.read_status(top, procfs)
    g, p = ("groupname", PER_PID_GROUP), ("pid", str(top))
    kb = lambda key: int(status[key].split()[0]) * 1024
    cpus = status["Cpus_allowed_list"]
    count = sum(int(b) - int(a) + 1 for a, _, b in
                (r.partition("-") if "-" in r else (r, "-", r) for r in cpus.split(",")))
    want = {
        ("vitals_process_cpu_seconds_total", frozenset({g, p, ("mode", "user")})):
            stat["utime"] / pc.USER_HZ,
        ("vitals_process_cpu_seconds_total", frozenset({g, p, ("mode", "system")})):
            stat["stime"] / pc.USER_HZ,
        ("vitals_process_memory_bytes", frozenset({g, p, ("memtype", "resident")})):
            stat["rss"] * pc.PAGE_SIZE,
        ("vitals_process_memory_bytes", frozenset({g, p, ("memtype", "virtual")})):
            stat["vsize"],
        ("vitals_process_memory_bytes", frozenset({g, p, ("memtype", "swapped")})):
            kb("VmSwap"),
        ("vitals_process_memory_bytes", frozenset({g, p, ("memtype", "shared")})):
            kb("RssFile") + kb("RssShmem"),
        ("vitals_process_cpu_affinity", frozenset({g, p})): count,
        ("vitals_process_cpu_affinity_info", frozenset({g, p, ("cpus", cpus)})): 1,
    }
    got = {k: v for k, v in scrape.samples.items() if k[0].startswith("vitals_process_")
           and k[0] not in ("vitals_process_groups_dropped_total",
                            "vitals_process_read_errors_total")}
    failures.check(got == want, "per_pid %s (max_pids 1): got\n  %s\nexpected\n  %s"
                   % (PER_PID_GROUP, "\n  ".join(sorted(harness.format_key(k) + " %r" % v
                                                        for k, v in got.items())),
                      "\n  ".join(sorted(harness.format_key(k) + " %r" % v
                                         for k, v in want.items()))))
    failures.check(cpus == "1" and count == 1, "the fixture's top cachesrv (pid %d) is bound "
                   "to CPU 1; Cpus_allowed_list is %r" % (top, cpus))


def scrape_fixture(binary, procfs, config):
    with harness.Exporter(binary, ["--path.procfs=" + procfs, "--collector.disable-defaults",
                                   "--config.file=" + config]) as exporter:
        raw = exporter.scrape()
    # The only lines that differ between two runs on the same tree: the timing and the
    # start time (standing for the last reload).
    live = ("vitals_scrape_collector_duration_seconds",
            "vitals_config_last_reload_success_timestamp_seconds")
    stable = "\n".join(l for l in raw.split("\n") if not any(name in l for name in live))
    return raw, stable, harness.parse(raw)


def fixture_copy(fixture, tmp):
    """A copy of the fixture with the empty fd/ directories git cannot store (a kernel
    thread has no open files); without them the process would look gone."""
    procfs = os.path.join(tmp, "proc")
    shutil.copytree(fixture, procfs, symlinks=True)
    for entry in os.listdir(procfs):
        if entry.isdigit():
            os.makedirs(os.path.join(procfs, entry, "fd"), exist_ok=True)
    return procfs


def main():
    parser = harness.common_argparser(__doc__.splitlines()[0])
    parser.add_argument("--promtool", default=shutil.which("promtool") or "/usr/bin/promtool")
    args = parser.parse_args()
    failures = harness.Failures("processes_fixture")
    tmp = tempfile.mkdtemp(prefix="vitals-e2e-fixture-")
    procfs = fixture_copy(os.path.join(args.repo, "tests", "fixtures", "proc-processes"), tmp)
    for pid, comm in COMMS.items():
        stat = pc.read_stat(pid, procfs)
        failures.check(stat is not None and stat["comm"] == comm,
                       "fixture pid %d: comm %r, expected %r (recaptured? update MEMBERS)"
                       % (pid, stat and stat["comm"], comm))
    failures.check(os.path.getsize(os.path.join(procfs, "18624", "cmdline")) > 4096,
                   "the hostile command line is longer than 4 KiB")

    try:
        configs = {
            "processes": "processes:\n  groups:\n" + GROUPS,
            "process_names": "process_names:\n" + GROUPS.replace("\n    ", "\n  ")[2:],
            "processes, children: false":
                "processes:\n  children: false\n  groups:\n" + GROUPS,
            "process_names, children: false": "processes:\n  children: false\n"
                "process_names:\n" + GROUPS.replace("\n    ", "\n  ")[2:],
        }
        runs = {}
        for name, text in configs.items():
            path = pc.write_config(tmp, name.replace(" ", "").replace(",", "_").replace(":", "")
                                   + ".yml", text)
            runs[name] = scrape_fixture(args.exporter, procfs, path)

        raw, stable, scrape = runs["processes"]
        check_groups(failures, "processes:", scrape, procfs, MEMBERS)
        check_per_pid(failures, scrape, procfs)
        errors = scrape.find("vitals_process_read_errors_total")
        reasons = {dict(labels)["reason"] for labels in errors}
        failures.check(set(errors.values()) == {0.0}
                       and reasons == {"permission", "malformed", "other"},
                       "vitals_process_read_errors_total: %s (every fixture file is "
                       "well-formed and readable)" % errors)
        failures.check(scrape.get("vitals_process_groups_dropped_total") == 0,
                       "vitals_process_groups_dropped_total is not 0")
        for family in ("namedprocess_scrape_errors", "namedprocess_scrape_partial_errors",
                       "namedprocess_scrape_procread_errors"):
            failures.check(scrape.types.get(family) == "counter" and scrape.get(family) == 0,
                           "%s: %s %s (process-exporter's counter; every fixture file is "
                           "readable)" % (family, scrape.types.get(family), scrape.get(family)))
        for group in (HOSTILE_ONE, HOSTILE_TWO):
            escaped = 'groupname="%s"' % harness.escape_label_value(group)
            failures.check(escaped in raw, "the exposition has no %s" % escaped)
        failures.check("\\xff" not in raw and "\ufffd" in raw, "invalid UTF-8 is replaced")

        failures.check(runs["process_names"][1] == stable,
                       "process_names: format: output differs from processes: groups:")
        _, stable_nc, scrape_nc = runs["processes, children: false"]
        no_children = dict(MEMBERS, app=[18616])
        check_groups(failures, "children: false", scrape_nc, procfs, no_children)
        failures.check(runs["process_names, children: false"][1] == stable_nc,
                       "process_names + processes.children: false: output differs from "
                       "processes: {children: false, groups:}")
        failures.check(stable_nc != stable, "children: false changed nothing")

        if not os.path.exists(args.promtool):
            print("SKIP: promtool not found at %s; 'promtool check metrics' not run"
                  % args.promtool)
            if not failures.items:
                sys.exit(pc.SKIP)
        else:
            golden.run_promtool(args.promtool, raw, failures)
    except (harness.ExporterError, harness.ParseError, OSError) as e:
        failures.fail("%s: %s" % (type(e).__name__, e))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    failures.exit()


if __name__ == "__main__":
    main()
