#!/usr/bin/env python3
"""Configuration reload on the real binary (live /proc, 127.0.0.1, random ports).

  1. SIGHUP: an unchanged processes: section keeps its collector (the counts a group
     carries for an exited member survive); a valid change takes effect (a new group
     appears; the changed section's counters restart); an invalid file is refused (the
     old configuration keeps running, vitals_config_last_reload_successful goes 0, the
     log names file:line:column); a fixed file brings it back to 1.
  2. POST /-/reload without --web.enable-lifecycle: 403; GET: 405.
  3. With --web.enable-lifecycle: 200 on success, 500 with the error on failure.
  4. Scrapes in a loop during dozens of reloads between two configurations: every
     answer is complete, valid exposition from exactly one of them.
  5. SIGHUP with an unchanged probes: section keeps each target's
     vitals_probe_consecutive_failures and vitals_probe_last_success_timestamp_seconds;
     a changed section starts them afresh.
  6. SIGHUP with the config file replaced by a FIFO (issue 12): the reload fails at once
     ("is not a regular file") instead of waiting for a writer, the old configuration
     keeps serving, and SIGTERM still stops the exporter.

A copy of /bin/sleep called "vitalsrlsleep" is the short-lived group member.
"""

import os
import re
import shutil
import subprocess
import signal
import socket
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

SLEEP_COMM = "vitalsrlsleep"
SIGHUP_RE = r"SIGHUP received, reloading the configuration"
OUTCOME_RE = r"configuration reloaded|configuration reload failed"

ONE_GROUP = """\
processes:
  groups:
    - name: shortlived
      comm: [%s]
""" % SLEEP_COMM

TWO_GROUPS = ONE_GROUP + """\
    - name: second
      comm: [vitalsnothing]
"""

# The bad key is at line 4, column 7.
BAD = """\
processes:
  groups:
    - name: shortlived
      comx: [%s]
""" % SLEEP_COMM
BAD_POSITION = "4:7"


def variant(tag):
    """A valid configuration whose two groups and one /probe module are named after `tag`
    (the module's allowed_targets match nothing, so /probe answers 403 without probing)."""
    return ("processes:\n  groups:\n"
            "    - name: %s_one\n      comm: [vitalsnothing1]\n"
            "    - name: %s_two\n      comm: [vitalsnothing2]\n"
            "probes:\n  modules:\n    %s_tcp: {prober: tcp}\n"
            "  allowed_targets: [nothing]\n") % (tag, tag, tag)


def probe_status(exporter, module):
    return exporter.get("/probe?target=127.0.0.1:1&module=" + module).status


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def sighups_answered(exporter):
    """(SIGHUPs logged, SIGHUPs followed by a reload outcome line). Counting outcome lines
    alone is not enough: stderr is read by a thread, so a POST reload's outcome can arrive
    after the count taken before a SIGHUP and pass for the SIGHUP's own."""
    text = exporter.stderr()
    received = [m.end() for m in re.finditer(SIGHUP_RE, text)]
    answered = sum(1 for end in received if re.search(OUTCOME_RE, text[end:]))
    return len(received), answered


def sighup_and_wait(exporter, failures, timeout=10.0):
    """SIGHUP, then waits for that reload's outcome line; True if one came. Reloads run
    one at a time and this test's POSTs have answered before it signals, so the first
    outcome after the SIGHUP's own line is its outcome."""
    before, _ = sighups_answered(exporter)
    exporter.proc.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sighups_answered(exporter)[1] > before:
            return True
        time.sleep(0.02)
    failures.fail("no reload outcome logged within %.0f s of SIGHUP" % timeout)
    return False


def scrape(exporter):
    return harness.parse(exporter.scrape())


def group_value(parsed, family, group):
    return parsed.get("namedprocess_namegroup_" + family, groupname=group)


def check_sighup(args, workdir, failures):
    config = os.path.join(workdir, "vitals.yml")
    write(config, ONE_GROUP)
    sleeper = os.path.join(workdir, SLEEP_COMM)
    shutil.copy("/bin/sleep", sleeper)
    flags = ["--config.file=" + config, "--collector.disable-defaults", "--collector.loadavg"]
    started = time.time()
    with harness.Exporter(args.exporter, flags) as exporter:
        first = scrape(exporter)
        failures.check(first.get("vitals_config_last_reload_successful") == 1,
                       "initial vitals_config_last_reload_successful is not 1")
        stamp = first.get("vitals_config_last_reload_success_timestamp_seconds")
        failures.check(stamp is not None and started - 5 <= stamp <= time.time() + 5,
                       "initial reload timestamp %s is not the start time %s" % (stamp, started))
        failures.check(first.types.get("vitals_config_last_reload_successful") == "gauge",
                       "vitals_config_last_reload_successful is not a gauge")

        # A member that runs, is seen, and exits: its counts stay with the group.
        child = subprocess.Popen([sleeper, "2"])
        seen = scrape(exporter)
        child.wait(timeout=10)
        failures.check(group_value(seen, "num_procs", "shortlived") == 1,
                       "the running %s was not counted" % SLEEP_COMM)
        after_exit = scrape(exporter)
        carried = group_value(after_exit, "minor_page_faults_total", "shortlived")
        failures.check(group_value(after_exit, "num_procs", "shortlived") == 0,
                       "the exited %s is still counted" % SLEEP_COMM)
        failures.check(carried is not None and carried > 0,
                       "no minor faults carried for the exited member: %s" % carried)

        # Unchanged processes: section: the collector is kept, the carried count too.
        write(config, ONE_GROUP + "# touched\n")
        sighup_and_wait(exporter, failures)
        kept = scrape(exporter)
        failures.check(kept.get("vitals_config_last_reload_successful") == 1,
                       "reload of a valid file did not report success")
        failures.check(group_value(kept, "minor_page_faults_total", "shortlived") == carried,
                       "an unchanged processes: section reset its counters: %s -> %s"
                       % (carried, group_value(kept, "minor_page_faults_total", "shortlived")))
        failures.check(
            kept.get("vitals_config_last_reload_success_timestamp_seconds") >= stamp,
            "reload timestamp did not advance")

        # A valid change: the new group appears; the changed section starts afresh.
        write(config, TWO_GROUPS)
        sighup_and_wait(exporter, failures)
        changed = scrape(exporter)
        failures.check(group_value(changed, "num_procs", "second") == 0,
                       "group 'second' did not appear after SIGHUP")
        failures.check(group_value(changed, "minor_page_faults_total", "shortlived") == 0,
                       "a changed processes: section kept old counts (documented: it restarts)")
        good_stamp = changed.get("vitals_config_last_reload_success_timestamp_seconds")

        # An invalid file: refused, logged with file:line:column, old config still runs.
        write(config, BAD)
        sighup_and_wait(exporter, failures)
        refused = scrape(exporter)
        failures.check(refused.get("vitals_config_last_reload_successful") == 0,
                       "vitals_config_last_reload_successful is not 0 after a bad file")
        failures.check(
            refused.get("vitals_config_last_reload_success_timestamp_seconds") == good_stamp,
            "a failed reload moved the success timestamp")
        failures.check(group_value(refused, "num_procs", "second") == 0,
                       "the previous configuration stopped running after a bad file")
        failures.check(exporter.wait_log(re.escape(config + ":" + BAD_POSITION + ":"), 1),
                       "no log line with %s:%s:" % (config, BAD_POSITION))
        failures.check(exporter.proc.poll() is None, "the exporter exited on a bad file")

        # Fixed again.
        write(config, ONE_GROUP)
        sighup_and_wait(exporter, failures)
        fixed = scrape(exporter)
        failures.check(fixed.get("vitals_config_last_reload_successful") == 1,
                       "vitals_config_last_reload_successful is not back to 1")
        failures.check(group_value(fixed, "num_procs", "second") is None,
                       "group 'second' is still there after it was removed")

        # No --web.enable-lifecycle: the HTTP reload is refused as Prometheus does.
        for method in ("POST", "PUT"):
            response = exporter.get("/-/reload", method=method, data=b"")
            failures.check(response.status == 403,
                           "%s /-/reload without the flag: HTTP %d" % (method, response.status))
            failures.check(response.text() == "Lifecycle API is not enabled.\n",
                           "403 body: %r" % response.text())
        response = exporter.get("/-/reload")
        failures.check(response.status == 405, "GET /-/reload: HTTP %d" % response.status)


def check_http_reload(args, workdir, failures):
    config = os.path.join(workdir, "http.yml")
    write(config, variant("a"))
    flags = ["--config.file=" + config, "--collector.disable-defaults", "--collector.loadavg",
             "--web.enable-lifecycle"]
    with harness.Exporter(args.exporter, flags) as exporter:
        write(config, variant("b"))
        response = exporter.get("/-/reload", method="POST", data=b"")
        failures.check(response.status == 200 and response.body == b"",
                       "POST /-/reload: HTTP %d %r" % (response.status, response.body))
        failures.check(group_value(scrape(exporter), "num_procs", "b_one") == 0,
                       "POST /-/reload did not apply the new file")
        failures.check(probe_status(exporter, "b_tcp") == 403 and
                       probe_status(exporter, "a_tcp") == 400,
                       "/probe did not switch to the reloaded modules")

        write(config, BAD)
        response = exporter.get("/-/reload", method="POST", data=b"")
        failures.check(response.status == 500, "POST /-/reload, bad file: HTTP %d"
                       % response.status)
        failures.check(response.text().startswith("failed to reload config: " + config + ":"
                                                  + BAD_POSITION + ":"),
                       "500 body: %r" % response.text())
        refused = scrape(exporter)
        failures.check(refused.get("vitals_config_last_reload_successful") == 0,
                       "metric is not 0 after a failed POST /-/reload")
        failures.check(group_value(refused, "num_procs", "b_one") == 0,
                       "the previous configuration stopped running after a failed POST")
        failures.check(probe_status(exporter, "b_tcp") == 403,
                       "/probe lost its modules after a failed reload")
        write(config, variant("a"))
        response = exporter.get("/-/reload", method="PUT", data=b"")
        failures.check(response.status == 200, "PUT /-/reload: HTTP %d" % response.status)
        failures.check(scrape(exporter).get("vitals_config_last_reload_successful") == 1,
                       "metric is not back to 1")

        check_concurrent(exporter, config, failures)


def check_concurrent(exporter, config, failures, reloads=40):
    """Scrapers in a loop while the configuration flips between two variants."""
    stop = threading.Event()
    problems = []
    counts = {"scrapes": 0}
    lock = threading.Lock()

    def scrape_loop():
        while not stop.is_set():
            try:
                response = exporter.get("/metrics", timeout=10)
                text = response.text()
                parsed = harness.parse(text)
                groups = {dict(labels).get("groupname")
                          for labels in parsed.find("namedprocess_namegroup_num_procs")}
                problem = None
                if response.status != 200:
                    problem = "HTTP %d" % response.status
                elif not text.endswith("\n") or "vitals_build_info" not in parsed.families():
                    problem = "incomplete scrape"
                elif parsed.get("vitals_scrape_collector_success", collector="loadavg") != 1:
                    problem = "loadavg missing"
                elif groups not in ({"a_one", "a_two"}, {"b_one", "b_two"}):
                    problem = "groups from a mix of configurations: %s" % sorted(groups)
            except Exception as e:  # noqa: BLE001 - any failure is a finding here.
                problem = "%s: %s" % (type(e).__name__, e)
            with lock:
                counts["scrapes"] += 1
                if problem:
                    problems.append(problem)

    threads = [threading.Thread(target=scrape_loop, daemon=True) for _ in range(3)]
    for thread in threads:
        thread.start()
    bad = 0
    for i in range(reloads):
        write(config, variant("ab"[i % 2]))
        if i % 4 == 3:
            if not sighup_and_wait(exporter, failures):
                break
        else:
            response = exporter.get("/-/reload", method="POST", data=b"")
            bad += response.status != 200
    time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join(timeout=15)
    failures.check(bad == 0, "%d of the POST reloads failed" % bad)
    failures.check(counts["scrapes"] >= 10, "only %d scrapes ran" % counts["scrapes"])
    failures.check(not problems, "%d of %d scrapes were wrong, first: %s"
                   % (len(problems), counts["scrapes"], problems[:1]))
    print("concurrent: %d reloads, %d scrapes" % (reloads, counts["scrapes"]))


def probes_config(timeout):
    return ("probes:\n  modules:\n    tcp: {prober: tcp, timeout: %s}\n"
            "  targets:\n"
            "    - {target: '127.0.0.1:%%d', module: tcp}\n"
            "    - {target: '127.0.0.1:%%d', module: tcp}\n") % timeout


def probe_state(parsed, port):
    """(consecutive failures, last success) of the target on `port`; None where absent."""
    target = ("target", "127.0.0.1:%d" % port)

    def value(family):
        found = [v for labels, v in parsed.find(family).items() if target in labels]
        return found[0] if found else None

    return (value("vitals_probe_consecutive_failures"),
            value("vitals_probe_last_success_timestamp_seconds"))


def check_probe_state(args, workdir, failures):
    config = os.path.join(workdir, "probes.yml")
    # A bound socket that does not listen refuses connections: a target that always fails.
    refusing = socket.socket()
    refusing.bind(("127.0.0.1", 0))
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen(16)
    closed_port, open_port = refusing.getsockname()[1], listening.getsockname()[1]
    write(config, probes_config("1s") % (closed_port, open_port))
    flags = ["--config.file=" + config, "--collector.disable-defaults"]
    try:
        with harness.Exporter(args.exporter, flags) as exporter:
            for _ in range(3):
                parsed = scrape(exporter)
            failures.check(probe_state(parsed, closed_port)[0] == 3,
                           "3 failed probes gave %s" % (probe_state(parsed, closed_port),))
            last_success = probe_state(parsed, open_port)[1]
            failures.check(last_success is not None, "the listening target never succeeded")

            # The listener goes away; an unchanged section keeps both targets' history.
            listening.close()
            write(config, probes_config("1s") % (closed_port, open_port) + "# touched\n")
            sighup_and_wait(exporter, failures)
            kept = scrape(exporter)
            failures.check(probe_state(kept, closed_port)[0] == 4,
                           "an unchanged probes: section reset the failure count: %s"
                           % (probe_state(kept, closed_port),))
            failures.check(probe_state(kept, open_port) == (1, last_success),
                           "an unchanged probes: section lost the last success: %s, want %s"
                           % (probe_state(kept, open_port), (1, last_success)))

            # A changed section (another module timeout) starts every target afresh.
            write(config, probes_config("2s") % (closed_port, open_port))
            sighup_and_wait(exporter, failures)
            changed = scrape(exporter)
            failures.check(probe_state(changed, closed_port) == (1, None),
                           "a changed probes: section kept old state: %s"
                           % (probe_state(changed, closed_port),))
            failures.check(probe_state(changed, open_port) == (1, None),
                           "a changed probes: section kept the old last success: %s"
                           % (probe_state(changed, open_port),))
    finally:
        refusing.close()
        listening.close()


def check_fifo_reload(args, workdir, failures):
    print("== 6. SIGHUP with the config file replaced by a FIFO")
    config = os.path.join(workdir, "fifo.yml")
    write(config, "collectors:\n  loadavg: {enabled: true}\n")
    exporter = harness.Exporter(args.exporter, ["--config.file=" + config]).start()
    try:
        os.remove(config)
        os.mkfifo(config, 0o600)
        if sighup_and_wait(exporter, failures, timeout=5.0):
            failures.check(exporter.wait_log(r"configuration reload failed.*is not a regular file",
                                             timeout=1.0) is not None,
                           "reload of a FIFO: no 'is not a regular file' in the log:\n%s"
                           % exporter.stderr()[-2000:])
        parsed = harness.parse(exporter.get("/metrics", timeout=5).text())
        failures.check(parsed.get("vitals_config_last_reload_successful") == 0,
                       "vitals_config_last_reload_successful after the FIFO: %s"
                       % parsed.get("vitals_config_last_reload_successful"))
        started = time.monotonic()
        exporter.proc.terminate()
        try:
            exporter.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            failures.fail("SIGTERM after a FIFO reload: still running after 5 s")
        else:
            failures.check(exporter.proc.returncode == 0,
                           "SIGTERM after a FIFO reload: exit %s in %.1f s"
                           % (exporter.proc.returncode, time.monotonic() - started))
    finally:
        if exporter.proc.poll() is None:
            exporter.proc.kill()
        exporter.stop()


def main():
    args = harness.common_argparser(__doc__).parse_args()
    failures = harness.Failures("e2e reload")
    workdir = tempfile.mkdtemp(prefix="vitals-e2e-reload-")
    try:
        check_sighup(args, workdir, failures)
        check_http_reload(args, workdir, failures)
        check_probe_state(args, workdir, failures)
        check_fifo_reload(args, workdir, failures)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    failures.exit()


if __name__ == "__main__":
    main()
