#!/usr/bin/env python3
"""The textfile collector over HTTP (issue 13):

1. hostile: a directory with hostile label values (escaped quotes, backslashes and
   newlines, multi-byte UTF-8, raw control bytes), and files vitals must refuse whole:
   invalid UTF-8, a label name Prometheus reserves ("__x": node_exporter 1.5 panics on
   it), TYPE gauge_histogram (node_exporter panics too), timestamps, the exporter's own families (node_load1, node_textfile_scrape_error,
   vitals_build_info). The scrape is HTTP 200, parses strictly, passes
   `promtool check metrics`, round-trips the hostile values, publishes
   node_textfile_scrape_error 1 and an mtime only for the good file.
2. logging: a bad file is logged once while it stays bad (several scrapes), again when
   its error changes, and again after it was mended and broken anew.
3. config: the YAML config's collectors.textfile.directories, and the repeatable flag.
4. churn: one file rewritten in a loop while scraping, (a) by rename (the documented
   way) and (b) in place (truncate and write). Every scrape must be valid; every sample
   set must come from one version of the file (all values equal the version number),
   and with rename it must be a whole version.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

HOSTILE_VALUES = ['quote " and backslash \\ and newline \n end', "ünïcödé 😀", "tab\there",
                  "ctrl \x01\x7f", "{}=,\\n literal", ""]
CHURN_SAMPLES = 1000
FIXTURES = [""]  # tests/fixtures, set in main().


def escape(value):
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def write(path, content):
    with open(path, "wb") as f:
        f.write(content if isinstance(content, bytes) else content.encode())


def run_promtool(text, failures):
    promtool = shutil.which("promtool") or "/usr/bin/promtool"
    if not os.path.exists(promtool):
        print("promtool not found: 'promtool check metrics' not run")
        return
    result = subprocess.run([promtool, "check", "metrics"], input=text.encode(),
                            capture_output=True, timeout=30)
    out = (result.stdout + result.stderr).decode(errors="replace")
    # Lints about names (the test's own families) are not validity errors.
    problems = [line for line in out.splitlines()
                if line.strip() and "should" not in line and "counter metrics" not in line
                and "no help text" not in line]
    failures.check(not problems, "promtool check metrics:\n" + out)


def hostile(exporter_bin, failures):
    print("== hostile label values and refused files")
    tmp = tempfile.mkdtemp(prefix="vitals-textfile-")
    try:
        good = "".join('hostile_value{i="%d",v="%s"} %d\n' % (i, escape(v), i)
                       for i, v in enumerate(HOSTILE_VALUES))
        write(os.path.join(tmp, "good.prom"), "# HELP hostile_value a \\\\ b \\n c\n" + good)
        refused = {
            "bad_utf8": b'bad_utf8{v="\xff\xfe"} 1\n',
            "dunder": b'dunder{__x="1"} 1\n',
            # node_exporter 1.5 panics on this type (its parser knows it, the collector not).
            "gauge_histogram": b"# TYPE gauge_histogram gauge_histogram\ngauge_histogram 1\n",
            "timestamp": b"timestamp 1 1700000000000\n",
            "own_load": b"node_load1 42\n",
            "own_error": b"node_textfile_scrape_error 0\n",
            "own_build": b'vitals_build_info{version="x"} 1\n',
            # A summary's _count line is another file's untyped family.
            "suffix_b": b"batch_count 2\n",
        }
        write(os.path.join(tmp, "suffix_a.prom"), "# TYPE batch summary\nbatch_count 1\n")
        for name, content in refused.items():
            write(os.path.join(tmp, name + ".prom"), content)
        flags = ["--collector.disable-defaults", "--collector.textfile", "--collector.loadavg",
                 "--path.procfs=" + os.path.join(FIXTURES[0], "proc"),
                 "--collector.textfile.directory=" + tmp]
        with harness.Exporter(exporter_bin, flags) as ex:
            response = ex.get("/metrics")
            failures.check(response.status == 200, "HTTP %d" % response.status)
            text = response.text()
            scrape = harness.parse(text)
            run_promtool(text, failures)
            got = {dict(labels)["i"]: dict(labels)["v"]
                   for labels in scrape.find("hostile_value")}
            want = {str(i): v for i, v in enumerate(HOSTILE_VALUES)}
            failures.check(got == want, "hostile values: got %r, want %r" % (got, want))
            failures.check(scrape.helps.get("hostile_value") == "a \\\\ b \\n c",
                           "HELP %r" % scrape.helps.get("hostile_value"))
            failures.check(scrape.get("node_textfile_scrape_error") == 1,
                           "scrape_error %s" % scrape.get("node_textfile_scrape_error"))
            files = sorted(os.path.basename(dict(l)["file"])
                           for l in scrape.find("node_textfile_mtime_seconds"))
            failures.check(files == ["good.prom", "suffix_a.prom"], "mtime files %s" % files)
            failures.check(scrape.find("batch_count") == {frozenset(): 1.0},
                           "batch_count %s" % scrape.find("batch_count"))
            failures.check(scrape.get("node_load1") == 0.66, "node_load1 %s (the fixture's 0.66)"
                           % scrape.get("node_load1"))
            for name in ("bad_utf8", "dunder", "timestamp", "gauge_histogram"):
                failures.check(not scrape.find(name), "%s published" % name)
            log = ex.stderr()
            for name in refused:
                failures.check(name + ".prom" in log, "no log line for %s.prom:\n%s" % (name, log))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def count(log, pattern):
    return len(re.findall(pattern, log))


def logging_once(exporter_bin, failures):
    print("== a bad file is logged once per change")
    tmp = tempfile.mkdtemp(prefix="vitals-textfile-")
    try:
        bad = os.path.join(tmp, "bad.prom")
        write(bad, "bad{ 1\n")
        flags = ["--collector.disable-defaults", "--collector.textfile",
                 "--collector.textfile.directory=" + tmp]
        with harness.Exporter(exporter_bin, flags) as ex:
            def scrapes(n):
                for _ in range(n):
                    ex.scrape()
                time.sleep(0.2)
                return count(ex.stderr(), r"textfile.*bad\.prom")

            failures.check(scrapes(3) == 1, "after 3 scrapes of a bad file: %d log lines\n%s"
                           % (count(ex.stderr(), r"bad\.prom"), ex.stderr()))
            write(bad, "bad 1\nbad{ 2\n")  # Another error (line 2).
            failures.check(scrapes(3) == 2, "after the error changed: %d log lines"
                           % count(ex.stderr(), r"bad\.prom"))
            write(bad, "bad 1\n")
            failures.check(scrapes(2) == 2, "mended: %d log lines"
                           % count(ex.stderr(), r"bad\.prom"))
            failures.check(harness.parse(ex.scrape()).get("node_textfile_scrape_error") == 0,
                           "mended file: scrape_error not 0")
            write(bad, "bad{ 1\n")
            failures.check(scrapes(2) == 3, "broken again: %d log lines"
                           % count(ex.stderr(), r"bad\.prom"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def config(exporter_bin, failures):
    print("== collectors.textfile.directories in the config file; the repeatable flag")
    tmp = tempfile.mkdtemp(prefix="vitals-textfile-")
    try:
        for sub in ("one", "two", "three"):
            os.mkdir(os.path.join(tmp, sub))
            write(os.path.join(tmp, sub, "m.prom"), "from_%s 1\n" % sub)
        cfg = os.path.join(tmp, "vitals.yml")
        write(cfg, "collectors:\n  textfile:\n    directories:\n      - %s\n      - %s\n"
              % (os.path.join(tmp, "one"), os.path.join(tmp, "t*o")))
        base = ["--collector.disable-defaults", "--collector.textfile"]
        with harness.Exporter(exporter_bin, base + ["--config.file=" + cfg]) as ex:
            families = harness.parse(ex.scrape()).families()
            failures.check({"from_one", "from_two"} <= families and "from_three" not in families,
                           "config directories: %s" % sorted(families))
        flags = base + ["--config.file=" + cfg,
                        "--collector.textfile.directory=" + os.path.join(tmp, "three"),
                        "--collector.textfile.directory=" + os.path.join(tmp, "two")]
        with harness.Exporter(exporter_bin, flags) as ex:
            families = harness.parse(ex.scrape()).families()
            failures.check({"from_three", "from_two"} <= families and "from_one" not in families,
                           "flags over the config: %s" % sorted(families))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def version_text(version):
    lines = ["# HELP churn_value Rewritten in a loop.", "# TYPE churn_value gauge"]
    lines += ['churn_value{i="%d"} %d' % (i, version) for i in range(CHURN_SAMPLES)]
    return ("\n".join(lines) + "\n").encode()


def churn(exporter_bin, failures, mode, seconds=4.0):
    print("== a file rewritten %s while scraped" % mode)
    tmp = tempfile.mkdtemp(prefix="vitals-textfile-")
    path = os.path.join(tmp, "churn.prom")
    write(path, version_text(0))
    stop = threading.Event()
    written = [0]

    def writer():
        version = 0
        while not stop.is_set():
            version += 1
            text = version_text(version)
            if mode == "by rename":
                staging = os.path.join(tmp, "churn.prom.tmp")  # Not *.prom: not read.
                write(staging, text)
                os.replace(staging, path)
            else:
                with open(path, "r+b") as f:
                    f.truncate(0)
                    f.write(text)
            written[0] = version

    flags = ["--collector.disable-defaults", "--collector.textfile",
             "--collector.textfile.directory=" + tmp]
    outcomes = {"whole": 0, "partial": 0, "absent": 0}
    try:
        with harness.Exporter(exporter_bin, flags) as ex:
            thread = threading.Thread(target=writer, daemon=True)
            thread.start()
            deadline = time.monotonic() + seconds
            scrapes = 0
            while time.monotonic() < deadline:
                response = ex.get("/metrics")
                scrapes += 1
                if not failures.check(response.status == 200, "HTTP %d" % response.status):
                    break
                try:
                    scrape = harness.parse(response.text())
                except harness.ParseError as e:
                    failures.fail("scrape %d is not valid: %s" % (scrapes, e))
                    break
                values = set(scrape.find("churn_value").values())
                n = len(scrape.find("churn_value"))
                if not failures.check(len(values) <= 1, "scrape %d mixes versions %s"
                                      % (scrapes, sorted(values)[:5])):
                    break
                if n == CHURN_SAMPLES:
                    outcomes["whole"] += 1
                elif n == 0:
                    outcomes["absent"] += 1
                else:
                    outcomes["partial"] += 1
            stop.set()
            thread.join(timeout=5)
            errors = [line for line in ex.stderr().splitlines() if "textfile" in line]
        print("  %d scrapes while %d versions were written: %s"
              % (scrapes, written[0], outcomes))
        failures.check(written[0] > 10 and outcomes["whole"] > 0,
                       "too little churn: %d versions, %s" % (written[0], outcomes))
        if mode == "by rename":
            failures.check(outcomes["partial"] == 0 and outcomes["absent"] == 0,
                           "rename: every scrape must hold a whole version: %s; log:\n%s"
                           % (outcomes, "\n".join(errors)))
        else:
            print("  errors logged: %d, e.g. %s" % (len(errors), errors[:1]))
    finally:
        stop.set()
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    parser = harness.common_argparser(__doc__.splitlines()[0])
    args = parser.parse_args()
    FIXTURES[0] = os.path.join(os.path.abspath(args.repo), "tests", "fixtures")
    failures = harness.Failures("textfile")
    try:
        hostile(args.exporter, failures)
        logging_once(args.exporter, failures)
        config(args.exporter, failures)
        churn(args.exporter, failures, "by rename")
        churn(args.exporter, failures, "in place")
    except (RuntimeError, harness.ExporterError, harness.ParseError, OSError) as e:
        failures.fail("%s: %s" % (type(e).__name__, e))
    failures.exit()


if __name__ == "__main__":
    main()
