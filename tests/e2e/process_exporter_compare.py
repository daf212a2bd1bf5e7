#!/usr/bin/env python3
"""Side by side with process-exporter on the same live processes: the same config file
(process-exporter's own `process_names:` format) given to Debian's
prometheus-process-exporter and to vitals must give the same groups and the same
namedprocess_namegroup_* values.

process-exporter runs with -threads=true and -gather-smaps=true, and the config file
carries a `processes:` section (which process-exporter ignores) that gives vitals the
same: `threads: true` (its default too) and `gather_smaps: true` (off by default in
vitals); -children is process-exporter's default, like vitals' `children: true`. The
test starts its own processes, all tagged with a random marker, so the groups are the
test's alone:

  early     started (and busy for 0.3 s of CPU) before the exporters start
  wrapper   a bash script whose unmatched child `sleep` is folded into its group
  worker-*  {{.Matches.Role}}-{{.Comm}}: two workers (threads, extra fds, a lowered
            RLIMIT_NOFILE, a zombie child, CPU) and an io worker (write + fsync,
            O_DIRECT read back)
  sleepers  exe: [MARKER-sleeper], three `sleep`s with that argv[0], one of them
            stopped (state T -> "Other")
  argv0 *   {{.ExeBase}} of argv[0] '/opt/MARKER-oddargv0/' and '' (Go's filepath.Base)
  hostile * a regex that spans an invalid UTF-8 byte, a capture with " and \\
  absent    matches nothing
  kthreadd  comm: [kthreadd] with the default name {{.ExeBase}}: a kernel thread has
            no command line, so both take its comm; every kernel thread folds into it

Phases, each compared in rounds of: scrape process-exporter (A), vitals (B),
process-exporter (C):
  1. every process has done its work and is idle;
  2. after SIGUSR1 made the workers burn CPU and do I/O once more, and the
     RLIMIT_NOFILE of one worker was raised with prlimit(2);
  3. after killing one sleeper and the whole io group.
For every shared family and every group: same TYPE, same label sets (vitals'
additional memtype="shared" is set aside), and B within [min(A,C), max(A,C)] widened
by 1e-6 (process-exporter sums float deltas, e.g. 0.010000000000001563).
Test processes are idle while a round is taken, so that interval is normally a single
value. The kthreadd group is compared apart (kernel workers come and go and change
state at any moment): same name, num_procs within the churn, states summing to
num_procs.

Groups: vitals must publish every group process-exporter publishes, and in addition
exactly the fixed-name groups with no process (`absent`), which process-exporter only
reports once it has seen a member.

Thread families (namedprocess_namegroup_thread_*, per groupname and threadname): the
same series; thread_count within [min(A,C), max(A,C)]; for the counters, vitals counts
a thread's whole life while process-exporter counts it from its first sight of the
thread (that sight adds 0), so vitals must be at least process-exporter's value, and
between two phases both must have grown by the same amount (vitals' increase within
process-exporter's [A2 - C1, C2 - A1]).

proportionalResident/proportionalSwapped (smaps_rollup Pss, SwapPss) change when any
other process maps or unmaps a page the group shares (python3's libraries): compared
within 5% or 256 KiB.

Scrape error families (namedprocess_scrape_errors, _partial_errors, _procread_errors):
same names and TYPE (counter, no _total); vitals', as root, all 0: every file of every
grouped process is readable. process-exporter's values are printed, not compared: it
also counts the first read of every ungrouped process, and files vitals never reads
(wchan, task/, cgroup; with -threads and -gather-smaps on it counts dozens at its
first scrape on this machine, as root).

Known differences are listed in KNOWN and reported as XFAIL; a known difference that
does not show up any more is an XPASS and fails, so the entry gets removed.
"""

import os
import re
import resource
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import processes_common as pc  # noqa: E402

DEFAULT_PROCESS_EXPORTER = (shutil.which("prometheus-process-exporter")
                            or "/usr/bin/prometheus-process-exporter")
ROUNDS = 3
# btime's 1 s resolution plus the lag seen between btime + uptime and the clock (0.7 s
# on a restored VM).
PRIMING_MARGIN_S = 2.5
# process-exporter sums float deltas (0.10999999999999999 for 11 ticks): 1e-6 absorbs
# that and is far below one tick (0.01 s) or one byte, page fault or switch. Not
# relative: 1e-9 of a start time (1.8e9 s) would be 1.8 s.
ABS = 1e-6

# (phases, family regex, group regex, why): differences between vitals and
# process-exporter 0.7.10 that are known and reported. Each must match at least one
# difference in the run, else it is an XPASS (a failure: remove the entry).
ALL = (1, 2, 3)
KNOWN = [
    (ALL, "namedprocess_namegroup_.*_total", "early",
     "process-exporter counts only what a process used after process-exporter started "
     "(it primes its tracker at start-up and keeps those counts as a baseline); vitals "
     "counts the whole life of every process"),
    (ALL, "namedprocess_namegroup_states", "early|worker-.*",
     "for a multi-threaded process process-exporter counts the process's state plus the "
     "state of each of its threads (a 4-thread sleeping process is Sleeping 5); vitals "
     "counts processes, as the HELP text says"),
    ((3,), "namedprocess_namegroup_oldest_start_time_seconds", "io-.*",
     "for a group whose processes all exited process-exporter publishes the Go zero time "
     "(-62135596800); vitals publishes no sample"),
]


class ProcessExporter(harness.PeerExporter):
    """prometheus-process-exporter on a free loopback port; its log goes to a file."""

    def __init__(self, binary, args):
        super().__init__("process-exporter", binary, args, "-web.listen-address",
                         merge_stdout=True)

    def scrape(self):
        response = harness.http_request(self.url(), timeout=30)
        if response.status != 200:
            raise RuntimeError("process-exporter: HTTP %d" % response.status)
        return harness.parse(response.text())


THREAD_FAMILIES = {
    "namedprocess_namegroup_thread_count": "gauge",
    "namedprocess_namegroup_thread_cpu_seconds_total": "counter",
    "namedprocess_namegroup_thread_io_bytes_total": "counter",
    "namedprocess_namegroup_thread_major_page_faults_total": "counter",
    "namedprocess_namegroup_thread_minor_page_faults_total": "counter",
    "namedprocess_namegroup_thread_context_switches_total": "counter",
}
SCRAPE_ERROR_FAMILIES = ["namedprocess_scrape_errors", "namedprocess_scrape_partial_errors",
                         "namedprocess_scrape_procread_errors"]
PROPORTIONAL = ("proportionalResident", "proportionalSwapped")
PSS_RELATIVE = 0.05
PSS_ABSOLUTE = 256 * 1024


def config_text(mark, kthreadd):
    q = pc.yaml_quote
    m = re.escape(mark)
    lines = [
        "# process-exporter's format, given unchanged to both exporters.",
        "# processes: is vitals' (process-exporter ignores it): its -threads and",
        "# -gather-smaps as given to process-exporter below.",
        "processes:",
        "  threads: true",
        "  gather_smaps: true",
        "process_names:",
        "  - name: early",
        "    cmdline: [%s]" % q(m + "-early"),
        "  - name: wrapper",
        "    cmdline: [%s]" % q(m + r"-wrapper\.sh"),
        "  - name: '{{.Matches.Role}}-{{.Comm}}'",
        "    cmdline: [%s]" % q(m + r"-(?P<Role>worker|io)\b"),
        "  - name: sleepers",
        "    exe: [%s]" % q(mark + "-sleeper"),
        "  - name: 'argv0 {{.ExeBase}}'",
        "    cmdline: [%s]" % q(m + "-(oddargv0/|emptyargv0)"),
        "  - name: 'hostile {{.Matches.Q}}'",
        "    cmdline: [%s]" % q(m + r"-hostile a.b (?P<Q>\S+)"),
        "  - name: absent",
        "    comm: [%s]" % q(mark[:15] + "-none"),
    ]
    if kthreadd:
        lines += ["  - comm: [kthreadd]"]
    return "\n".join(lines) + "\n"


class Scene:
    """The test's processes, by role."""

    def __init__(self, children, mark):
        self.children, self.mark = children, mark
        self.early = self.workers = self.io = None
        self.sleepers = []

    def start_early(self):
        self.early = self.children.worker(self.mark + "-early", "burn=0.3", "threads=1")
        pc.wait_line(self.early, "ready")

    def start_rest(self):
        c, mark = self.children, self.mark
        self.workers = [
            c.worker(mark + "-worker", "threads=3", "fds=10", "nofile=64", "zombie=1",
                     "burn=0.2"),
            c.worker(mark + "-worker", "fds=2", "burn=0.1"),
        ]
        self.io = c.worker(mark + "-io", "io=1048576")
        script = os.path.join(c.tmp, mark + "-wrapper.sh")
        with open(script, "w") as f:
            f.write("#!/bin/bash\n%s 600\nexit 0\n" % pc.SLEEP)
        os.chmod(script, 0o755)
        wrapper = c.start([script])
        self.sleepers = [c.start([mark + "-sleeper", "600"], executable=pc.SLEEP)
                         for _ in range(3)]
        c.start(["/opt/%s-oddargv0/" % mark, "600"], executable=pc.SLEEP)
        c.start(["", "-c", pc.IDLE, mark + "-emptyargv0"], executable=pc.PYTHON)
        c.start([pc.PYTHON, "-c", pc.IDLE, mark + "-hostile", b"a\xffb", 'q"uo\\te',
                 "new\nline"])
        for proc in self.workers + [self.io]:
            pc.wait_line(proc, "ready")
        pc.wait_until(lambda: pc.children_of(wrapper.pid), what="the wrapper's child")
        os.kill(self.sleepers[0].pid, 19)  # SIGSTOP
        pc.wait_until(lambda: pc.read_stat(self.sleepers[0].pid)["state"] == "T",
                      what="a stopped sleeper")

    def poke(self):
        """Phase 2: one more work phase in every worker; raise one RLIMIT_NOFILE."""
        for proc in self.workers + [self.io, self.early]:
            os.kill(proc.pid, 10)  # SIGUSR1
        for proc in self.workers + [self.io, self.early]:
            pc.wait_line(proc, "done")
        pid = self.workers[0].pid
        hard = resource.prlimit(pid, resource.RLIMIT_NOFILE)[1]
        resource.prlimit(pid, resource.RLIMIT_NOFILE, (128, hard))

    def kill_some(self):
        """Phase 3: one sleeper and the whole io group go away."""
        self.children.kill(self.sleepers[1])
        self.children.kill(self.io)
        time.sleep(0.05)


def excess(a, b, c):
    lo, hi = min(a, c), max(a, c)
    lo -= ABS
    hi += ABS
    return lo - b if b < lo else (b - hi if b > hi else 0.0)


def fmt(group, labels):
    inner = ",".join('%s="%s"' % (k, harness.escape_label_value(v)) for k, v in sorted(labels))
    return "{groupname=\"%s\"%s}" % (harness.escape_label_value(group),
                                      "," + inner if inner else "")


def compare(a, b, c, phase, skip_groups):
    """[(family, group, message)] for every difference between A/C and B."""
    diffs = []
    groups_a, groups_b, groups_c = pc.group_names(a), pc.group_names(b), pc.group_names(c)
    for family, typ in sorted(pc.GROUP_FAMILIES.items()):
        if a.types.get(family) != typ and a.types.get(family) is not None:
            diffs.append((family, "*", "process-exporter's TYPE is %s" % a.types.get(family)))
        if b.types.get(family) != typ:
            diffs.append((family, "*", "vitals' TYPE is %s, process-exporter's %s"
                          % (b.types.get(family), typ)))
        ga, gb, gc = pc.by_group(a, family), pc.by_group(b, family), pc.by_group(c, family)
        for group in sorted((groups_a & groups_c) | groups_b):
            if group in skip_groups:
                continue
            sa, sb, sc = ga.get(group, {}), dict(gb.get(group, {})), gc.get(group, {})
            if family == "namedprocess_namegroup_memory_bytes":
                sb.pop(frozenset({("memtype", "shared")}), None)  # vitals' addition.
                # Compared apart (compare_proportional): others' mappings move them.
                sa, sc = dict(sa), dict(sc)
                for memtype in PROPORTIONAL:
                    for d in (sa, sb, sc):
                        d.pop(frozenset({("memtype", memtype)}), None)
            if group not in groups_a:
                continue  # The group-set check reports it.
            for labels in sorted(set(sa) - set(sb), key=sorted):
                diffs.append((family, group, "only process-exporter has %s = %r"
                              % (fmt(group, labels), sa[labels])))
            for labels in sorted(set(sb) - set(sa), key=sorted):
                diffs.append((family, group, "only vitals has %s = %r"
                              % (fmt(group, labels), sb[labels])))
            for labels in sorted(set(sa) & set(sb), key=sorted):
                if labels not in sc:
                    diffs.append((family, group, "%s vanished from process-exporter's "
                                  "second scrape" % fmt(group, labels)))
                    continue
                va, vb, vc = sa[labels], sb[labels], sc[labels]
                if excess(va, vb, vc) > 0:
                    diffs.append((family, group, "%s: vitals %r, process-exporter %r then %r"
                                  % (fmt(group, labels), vb, va, vc)))
    return diffs


def thread_series(scrape, skip_groups):
    """{family: {(group, frozenset(labels)): value}} of the thread families."""
    out = {}
    for family in THREAD_FAMILIES:
        series = {}
        for group, samples in pc.by_group(scrape, family).items():
            if group in skip_groups:
                continue
            for labels, value in samples.items():
                series[(group, labels)] = value
        out[family] = series
    return out


def compare_threads(a, b, c, previous, skip_groups):
    """[(family, group, message)] for the thread families; `previous` is the last
    phase's (A, B, C) thread series, or None."""
    diffs = []
    ta, tb, tc = (thread_series(s, skip_groups) for s in (a, b, c))
    for family, typ in sorted(THREAD_FAMILIES.items()):
        for scrape, who in ((a, "process-exporter"), (b, "vitals")):
            if scrape.types.get(family) not in (typ, None):
                diffs.append((family, "*", "%s's TYPE is %s" % (who, scrape.types.get(family))))
        sa, sb, sc = ta[family], tb[family], tc[family]
        for key in sorted(set(sa) | set(sb), key=lambda k: (k[0], sorted(k[1]))):
            group, labels = key
            if key not in sb:
                diffs.append((family, group, "only process-exporter has %s = %r"
                              % (fmt(group, labels), sa[key])))
                continue
            if key not in sa or key not in sc:
                diffs.append((family, group, "only vitals has %s = %r"
                              % (fmt(group, labels), sb[key])))
                continue
            va, vb, vc = sa[key], sb[key], sc[key]
            if typ == "gauge":
                if excess(va, vb, vc) > 0:
                    diffs.append((family, group, "%s: vitals %r, process-exporter %r then %r"
                                  % (fmt(group, labels), vb, va, vc)))
                continue
            if vb < min(va, vc) - ABS:
                diffs.append((family, group, "%s: vitals %r below process-exporter's %r "
                              "(vitals counts whole lives)" % (fmt(group, labels), vb, va)))
            if previous is None:
                continue
            pa, pb, pc_ = (p[family].get(key) for p in previous)
            if None in (pa, pb, pc_):
                continue
            grown_b = vb - pb
            lo, hi = va - pc_, vc - pa
            if not lo - ABS <= grown_b <= hi + ABS:
                diffs.append((family, group, "%s grew by %r in vitals, by %r..%r in "
                              "process-exporter since the last phase"
                              % (fmt(group, labels), grown_b, lo, hi)))
    return diffs, (ta, tb, tc)


def compare_proportional(a, b, c, skip_groups):
    diffs = []
    family = "namedprocess_namegroup_memory_bytes"
    ga, gb, gc = pc.by_group(a, family), pc.by_group(b, family), pc.by_group(c, family)
    for group in sorted(set(ga) - skip_groups):
        for memtype in PROPORTIONAL:
            key = frozenset({("memtype", memtype)})
            va, vb, vc = (g.get(group, {}).get(key) for g in (ga, gb, gc))
            if va is None or vc is None:
                continue
            if vb is None:
                diffs.append((family, group, "only process-exporter has %s"
                              % fmt(group, key)))
                continue
            slack = max(PSS_ABSOLUTE, PSS_RELATIVE * max(va, vc))
            if not min(va, vc) - slack <= vb <= max(va, vc) + slack:
                diffs.append((family, group, "%s: vitals %r, process-exporter %r then %r"
                              % (fmt(group, key), vb, va, vc)))
    return diffs


def compare_scrape_errors(a, b, c):
    diffs = []
    for family in SCRAPE_ERROR_FAMILIES:
        if a.types.get(family) != "counter" or b.types.get(family) != "counter":
            diffs.append((family, "*", "TYPE: process-exporter %s, vitals %s"
                          % (a.types.get(family), b.types.get(family))))
            continue
        if b.get(family) != 0:
            diffs.append((family, "*", "vitals %r, process-exporter %r then %r (as root "
                          "nothing grouped should be unreadable)"
                          % (b.get(family), a.get(family), c.get(family))))
    return diffs


def check_groups(a, b, expected_absent, failures, phase):
    groups_a, groups_b = pc.group_names(a), pc.group_names(b)
    failures.check(groups_b - groups_a == expected_absent,
                   "phase %d: groups only vitals publishes: %s (expected exactly %s)"
                   % (phase, sorted(groups_b - groups_a), sorted(expected_absent)))
    failures.check(not groups_a - groups_b,
                   "phase %d: groups only process-exporter publishes: %s"
                   % (phase, sorted(groups_a - groups_b)))
    for group in expected_absent:
        failures.check(pc.group_value(b, "namedprocess_namegroup_num_procs", group) == 0,
                       "phase %d: %s: vitals' num_procs is not 0" % (phase, group))


def check_kthreadd(a, b, c, failures, phase):
    """Kernel threads churn: compare loosely, but the name and folding must agree."""
    nums = [pc.group_value(s, "namedprocess_namegroup_num_procs", "kthreadd") for s in (a, b, c)]
    if not failures.check(None not in nums, "phase %d: kthreadd group num_procs "
                          "process-exporter/vitals/process-exporter: %s" % (phase, nums)):
        return
    print("phase %d: kthreadd group num_procs: process-exporter %s, vitals %s, "
          "process-exporter %s" % (phase, nums[0], nums[1], nums[2]))
    lo, hi = min(nums[0], nums[2]), max(nums[0], nums[2])
    failures.check(nums[0] > 1 and lo - 3 <= nums[1] <= hi + 3,
                   "phase %d: kthreadd num_procs: vitals %s, process-exporter %s then %s "
                   "(kernel threads fold into kthreadd's group; +-3 for kworker churn)"
                   % (phase, nums[1], nums[0], nums[2]))
    states = pc.by_group(b, "namedprocess_namegroup_states").get("kthreadd", {})
    failures.check(sum(states.values()) == nums[1], "phase %d: kthreadd states sum %s != "
                   "num_procs %s" % (phase, sum(states.values()), nums[1]))
    for memtype in ("resident", "virtual", "swapped"):
        values = [pc.group_value(s, "namedprocess_namegroup_memory_bytes", "kthreadd",
                                 memtype=memtype) for s in (a, b)]
        failures.check(values == [0, 0], "phase %d: kthreadd memory %s: process-exporter, "
                       "vitals: %s (kernel threads have no memory)" % (phase, memtype, values))


def run_phase(pe, vitals, phase, failures, expected_absent, kthreadd, seen_known,
              previous_threads):
    skip = {"kthreadd"} if kthreadd else set()
    for round_number in range(1, ROUNDS + 1):
        if round_number > 1:
            time.sleep(0.2)
        started = time.monotonic()
        a = pe.scrape()
        b = harness.parse(vitals.scrape())
        c = pe.scrape()
        elapsed = time.monotonic() - started
        diffs = compare(a, b, c, phase, skip)
        thread_diffs, threads = compare_threads(a, b, c, previous_threads, skip)
        diffs += thread_diffs + compare_proportional(a, b, c, skip)
        diffs += compare_scrape_errors(a, b, c)
        unexpected = []
        for family, group, message in diffs:
            known = [k for k in KNOWN if phase in k[0]
                     and re.fullmatch(k[1], family) and re.fullmatch(k[2], group)]
            if known:
                for k in known:
                    seen_known.setdefault(KNOWN.index(k), []).append(message)
            else:
                unexpected.append("%s: %s" % (family, message))
        print("phase %d round %d: A,B,C in %.0f ms, %d groups, %d differences (%d known)"
              % (phase, round_number, elapsed * 1000, len(pc.group_names(b)), len(diffs),
                 len(diffs) - len(unexpected)))
        for line in unexpected:
            print("  " + line)
        if not unexpected:
            break
    for line in unexpected:
        failures.fail("phase %d: %s" % (phase, line))
    failures.checks += sum(len(pc.by_group(b, f).get(g, {})) for f in pc.GROUP_FAMILIES
                           for g in pc.group_names(a) - skip)  # Each compared sample.
    check_groups(a, b, expected_absent, failures, phase)
    print("phase %d: namedprocess_scrape_* process-exporter %s, vitals %s"
          % (phase, [a.get(f) for f in SCRAPE_ERROR_FAMILIES],
             [b.get(f) for f in SCRAPE_ERROR_FAMILIES]))
    failures.checks += sum(len(v) for v in threads[1].values())
    failures.check(any(threads[1]["namedprocess_namegroup_thread_count"]),
                   "phase %d: vitals published no thread series" % phase)
    if kthreadd:
        check_kthreadd(a, b, c, failures, phase)
    return a, b, c, threads


def report_known(seen_known, failures):
    for index, entry in enumerate(KNOWN):
        messages = seen_known.get(index)
        if messages:
            print("XFAIL (%s): %d difference(s), e.g. %s"
                  % (entry[3], len(messages), messages[0]))
            failures.check(True, "")
        else:
            failures.fail("XPASS: known difference %r on %s/%s did not occur: remove it "
                          "from KNOWN" % (entry[3], entry[1], entry[2]))


def main():
    parser = harness.common_argparser(__doc__.splitlines()[0])
    parser.add_argument("--process-exporter", default=DEFAULT_PROCESS_EXPORTER)
    args = parser.parse_args()
    failures = harness.Failures("process_exporter_compare")
    if not os.access(args.process_exporter, os.X_OK):
        print("SKIP: process-exporter not found at %s" % args.process_exporter)
        sys.exit(pc.SKIP)
    version = subprocess.run([args.process_exporter, "-version"], capture_output=True,
                             text=True, timeout=10)
    print((version.stdout + version.stderr).strip().splitlines()[0])

    mark = pc.marker("vitals-pe")
    kthreadd = (pc.read_stat(2) or {}).get("comm") == b"kthreadd"
    pe = vitals = None
    seen_known = {}
    with pc.Children() as children:
        config = pc.write_config(children.tmp, "process-names.yml", config_text(mark, kthreadd))
        print(open(config).read())
        scene = Scene(children, mark)
        try:
            scene.start_early()
            pe = ProcessExporter(args.process_exporter, [
                "-config.path=" + config, "-threads=true", "-gather-smaps=true",
                "-children=true", "-procfs=/proc"])
            # Its first pass reads every thread of every process before it listens: 25 s
            # on this 2-core machine under a parallel build (10 s when idle is ample).
            pe.start(timeout=90.0)
            vitals = harness.Exporter(args.exporter, ["--collector.disable-defaults",
                                                      "--config.file=" + config])
            vitals.start()
            # process-exporter takes a process that started before its priming scan as
            # old (baseline counts, so 0); it compares start times computed from btime,
            # which has whole-second resolution and may lag the clock. Start the rest
            # clearly after, or they all read 0 there on a fast start.
            time.sleep(PRIMING_MARGIN_S)
            scene.start_rest()
            absent = {"absent"}
            *_, threads = run_phase(pe, vitals, 1, failures, absent, kthreadd, seen_known,
                                    None)
            scene.poke()
            *_, threads = run_phase(pe, vitals, 2, failures, absent, kthreadd, seen_known,
                                    threads)
            scene.kill_some()
            a, b, c, _ = run_phase(pe, vitals, 3, failures, absent, kthreadd, seen_known,
                                   threads)
            io = "io-" + pc.read_stat(scene.workers[0].pid)["comm"].decode()  # Same comm.
            failures.check(pc.group_value(b, "namedprocess_namegroup_num_procs", io) == 0,
                           "phase 3: group %s: num_procs is not 0 after its process exited"
                           % io)
            failures.check(pc.group_value(b, "namedprocess_namegroup_num_procs", "sleepers")
                           == 2, "phase 3: sleepers: num_procs is not 2 after one of 3 "
                           "was killed")
            report_known(seen_known, failures)
        except (RuntimeError, harness.ExporterError, harness.ParseError, OSError) as e:
            failures.fail("%s: %s" % (type(e).__name__, e))
            if pe is not None:
                print("process-exporter output:\n" + pe.output()[-3000:])
        finally:
            if vitals is not None:
                vitals.stop()
            if pe is not None:
                pe.stop()
    failures.exit()


if __name__ == "__main__":
    main()
