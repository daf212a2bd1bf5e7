#!/usr/bin/env python3
"""Golden-file test: vitals_exporter on the fixture tree must print exactly
tests/golden/e2e.prom, after normalising only what is inherently live.

Normalisation (everything else is compared byte for byte, HELP and TYPE included):
  * dropped: vitals_scrape_collector_duration_seconds, node_time_seconds,
    vitals_build_info, vitals_config_last_reload_success_timestamp_seconds (timing,
    wall clock, build revision, start time);
  * node_uname_info: label values become LIVE (uname(2) of the test machine), and
    the label names are checked separately;
  * node_time_zone_offset_seconds: value becomes LIVE (the test runs with TZ=UTC so
    the time_zone label is stable; the value is separately checked to be 0);
  * node_filesystem_{size,free,avail}_bytes, node_filesystem_files{,_free}: the value
    becomes LIVE (statfs of the disk the checkout lives on), the label set stays, and
    size >= free >= avail >= 0, files >= files_free >= 0 are checked numerically.
  * the path of tests/fixtures (in node_textfile_mtime_seconds{file} and the textfile
    collector's "Metric read from <path>" HELP) becomes FIXTURES, and the value of
    node_textfile_mtime_seconds LIVE (the checkout's file times);
  * node_timex_*: the value becomes LIVE (adjtimex(2) of the test machine's kernel;
    it has no path to point at the fixture); the 17 families must be there, with
    tick_seconds > 0 and sync_status 0 or 1.

Then `promtool check metrics` runs on the raw scrape: the only problems allowed are
the camelCase lint for node_memory_* and node_netstat_* names (the kernel's field
names), the "bits" unit lint for node_entropy_* (node_exporter's checkmetrics.sh
ignores those too) and the "counter" in node_power_supply_charge_counter (node_exporter's
name for the kernel's charge_counter attribute).

  golden.py --exporter build/vitals_exporter --repo .            # compare
  golden.py --exporter build/vitals_exporter --repo . --update   # rewrite the file
  UPDATE_GOLDEN=1 ctest -R e2e_golden                            # same, via ctest
"""

import difflib
import os
import re
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

DROPPED = {"vitals_scrape_collector_duration_seconds", "node_time_seconds", "vitals_build_info",
           "vitals_config_last_reload_success_timestamp_seconds"}
LIVE = "LIVE"
STATFS_FAMILIES = {
    "node_filesystem_size_bytes", "node_filesystem_free_bytes", "node_filesystem_avail_bytes",
    "node_filesystem_files", "node_filesystem_files_free",
}
UNAME_LABELS = ["domainname", "machine", "nodename", "release", "sysname", "version"]
PROMTOOL_ALLOWED = re.compile(
    r"^node_(memory|netstat)_\S+ metric names should be written in 'snake_case' not "
    r"'camelCase'$"
    # node_exporter's entropy names count bits (its checkmetrics.sh ignores them too).
    r"|^node_entropy_(available|pool_size)_bits use base unit \"bytes\" instead of \"bits\"$"
    # node_exporter's name for the kernel's power_supply charge_counter attribute.
    r"|^node_power_supply_charge_counter metric name should not include type 'counter'$"
    # process-exporter's names, which its dashboards read.
    r"|^namedprocess_scrape_(errors|partial_errors|procread_errors) counter metrics should "
    r"have \"_total\" suffix$"
    r"|^namedprocess_namegroup_thread_count non-histogram and non-summary metrics should not "
    r"have \"_count\" suffix$")


def normalise(text, fixtures):
    text = text.replace(fixtures, "FIXTURES")
    out = []
    for line in text.split("\n"):
        if not line:
            continue
        if line.startswith("#"):
            parts = line.split(" ", 3)
            if len(parts) >= 3 and parts[2] in DROPPED:
                continue
            out.append(line)
            continue
        name, labels, value = harness.parse_sample_line(line)
        if name in DROPPED:
            continue
        if name == "node_uname_info":
            labels = [(k, LIVE) for k, _ in labels]
        elif (name == "node_time_zone_offset_seconds" or name in STATFS_FAMILIES
              or name.startswith("node_timex_") or name == "node_textfile_mtime_seconds"):
            value = LIVE
        out.append(harness.format_sample(name, labels, value))
    return "\n".join(out) + "\n"


def check_live_values(scrape, failures):
    uname = scrape.find("node_uname_info")
    failures.check(len(uname) == 1, "expected one node_uname_info sample, got %d" % len(uname))
    for labels in uname:
        names = sorted(k for k, _ in labels)
        failures.check(names == UNAME_LABELS,
                       "node_uname_info labels are %s, expected %s" % (names, UNAME_LABELS))

    zone = scrape.find("node_time_zone_offset_seconds")
    failures.check(zone == {frozenset({("time_zone", "UTC")}): 0.0},
                   "node_time_zone_offset_seconds under TZ=UTC: got %s" % zone)

    timex = sorted(f for f in scrape.families() if f.startswith("node_timex_"))
    failures.check(len(timex) == 17, "expected 17 node_timex_* families, got %s" % timex)
    tick = scrape.get("node_timex_tick_seconds")
    failures.check(tick is not None and tick > 0, "node_timex_tick_seconds %s" % tick)
    sync = scrape.get("node_timex_sync_status")
    failures.check(sync in (0, 1), "node_timex_sync_status %s" % sync)

    fs = {name: scrape.find(name) for name in STATFS_FAMILIES}
    labelsets = set(fs["node_filesystem_size_bytes"])
    failures.check(len(labelsets) > 0, "no node_filesystem_size_bytes samples")
    for name, samples in fs.items():
        failures.check(set(samples) == labelsets,
                       "%s has a different label set than node_filesystem_size_bytes" % name)
    for labels in labelsets:
        where = dict(labels).get("mountpoint")
        size = fs["node_filesystem_size_bytes"].get(labels)
        free = fs["node_filesystem_free_bytes"].get(labels)
        avail = fs["node_filesystem_avail_bytes"].get(labels)
        files = fs["node_filesystem_files"].get(labels)
        files_free = fs["node_filesystem_files_free"].get(labels)
        if None in (size, free, avail, files, files_free):
            continue  # Reported above.
        failures.check(size >= free >= avail >= 0,
                       "%s: expected size >= free >= avail >= 0, got %s >= %s >= %s"
                       % (where, size, free, avail))
        failures.check(files >= files_free >= 0,
                       "%s: expected files >= files_free >= 0, got %s >= %s"
                       % (where, files, files_free))


def run_promtool(promtool, raw, failures):
    proc = subprocess.run([promtool, "check", "metrics"], input=raw, capture_output=True,
                          text=True, timeout=30)
    lines = [l for l in (proc.stdout + "\n" + proc.stderr).split("\n") if l.strip()]
    unexpected = [l for l in lines if not PROMTOOL_ALLOWED.match(l)]
    allowed = len(lines) - len(unexpected)
    # promtool exits 0 when clean, 3 when it only found lint problems, 1 on errors.
    failures.check(proc.returncode in (0, 3) and (proc.returncode == 0 or allowed > 0),
                   "promtool check metrics exited %d:\n%s" % (proc.returncode, "\n".join(lines)))
    failures.check(not unexpected, "promtool check metrics reported:\n  " + "\n  ".join(unexpected))
    print("promtool: %d allowed lints (node_{memory,netstat}_* camelCase, node_entropy_* "
          "bits, node_power_supply_charge_counter, process-exporter's namedprocess_scrape_*, "
          "namedprocess_namegroup_thread_count), %d other lines, rc=%d" % (allowed, len(unexpected), proc.returncode))


def main():
    parser = harness.common_argparser(__doc__.splitlines()[0])
    parser.add_argument("--golden", help="golden file (default tests/golden/e2e.prom)")
    parser.add_argument("--update", action="store_true", help="rewrite the golden file")
    parser.add_argument("--promtool", default=shutil.which("promtool") or "/usr/bin/promtool")
    args = parser.parse_args()
    golden = args.golden or os.path.join(args.repo, "tests", "golden", "e2e.prom")
    update = args.update or os.environ.get("UPDATE_GOLDEN") == "1"
    failures = harness.Failures("golden")

    # TZ=UTC: node_time_zone_offset_seconds{time_zone} must not depend on the machine.
    with harness.Exporter(args.exporter, harness.fixture_args(args.repo),
                          env={"TZ": "UTC"}) as exporter:
        response = exporter.get("/metrics")
        stderr = exporter.stderr
    failures.check(response.status == 200, "GET /metrics: HTTP %d" % response.status)
    raw = response.text()
    scrape = harness.parse(raw)
    actual = normalise(raw, os.path.join(args.repo, "tests", "fixtures"))

    if update:
        os.makedirs(os.path.dirname(golden), exist_ok=True)
        with open(golden, "w", encoding="utf-8") as f:
            f.write(actual)
        print("golden: wrote %s (%d lines)" % (golden, actual.count("\n")))
    else:
        try:
            with open(golden, encoding="utf-8") as f:
                expected = f.read()
        except FileNotFoundError:
            expected = ""
            failures.fail("%s does not exist; run with --update" % golden)
        if expected != actual:
            diff = difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                        fromfile=golden, tofile="normalised scrape")
            sys.stdout.writelines(diff)
            failures.fail("normalised scrape differs from %s (diff above; if the change is "
                          "intended, rerun with --update or UPDATE_GOLDEN=1)" % golden)
        else:
            failures.check(True, "")
            print("golden: scrape matches %s (%d lines)" % (golden, actual.count("\n")))

    check_live_values(scrape, failures)
    success = scrape.find("vitals_scrape_collector_success")
    failed = sorted(dict(l)["collector"] for l, v in success.items() if v != 1)
    failures.check(not failed, "collectors failed on the fixture tree: %s\nstderr:\n%s"
                   % (failed, stderr()))

    if not os.path.exists(args.promtool):
        print("SKIP: promtool not found at %s; 'promtool check metrics' not run" % args.promtool)
        if not failures.items:
            sys.exit(77)
    else:
        run_promtool(args.promtool, raw, failures)
    failures.exit()


if __name__ == "__main__":
    main()
