#!/usr/bin/env python3
"""Load test: Debian's `wrk` against /metrics over TLS with basic auth, while the
processes collector groups 2000 extra processes the test starts (plus everything else
on the host, grouped by comm).

  - wrk: 8 connections for VITALS_LOAD_SECONDS (default 60) s; a Lua script checks
    every response (status 200, body ends with a newline and holds vitals_build_info
    and the marker group's num_procs). Zero socket errors, zero non-2xx, zero bad bodies.
  - Meanwhile a Python client scrapes over its own TLS connection and parses every
    answer completely (text format, the marker group counting all 2000 sleepers).
  - The exporter's RSS and open descriptors are read before (after warm-up scrapes)
    and after the run: RSS may grow by at most RSS_SLACK_KIB, descriptors not at all
    (beyond FD_SLACK for civetweb's listening/worker churn).

Prints requests/s, p50/p99 latency and RSS before/after for docs/performance.md.
Only 127.0.0.1; every process the test starts is killed at the end.
"""

import http.client
import os
import re
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import tls_fixtures  # noqa: E402

EXTRA_PROCESSES = 2000
CONNECTIONS = 8
RSS_SLACK_KIB = 4096
# civetweb hands each new connection to whichever idle worker wakes, so over a long run
# every worker of the pool serves some (the background client reconnects every
# scrape), and each keeps its stack and TLS handshake pages resident: about 60 KiB a
# worker, up to 7.5 MiB for the default 128, growing until all have served, not a leak.
# A pool of 16 bounds that at about 1 MiB, so RSS_SLACK_KIB still catches a real
# per-request leak. (The pool's cost itself is measured in docs/performance.md.)
WORKERS = 16
FD_SLACK = 2
USER, PASSWORD = "scraper", "load-test-password"

LUA_CHECK = r"""
-- Counts responses that are not a complete, valid scrape.
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0; checked = 0 end
function response(status, headers, body)
  checked = checked + 1
  if status ~= 200 or body:sub(-1) ~= "\n"
     or not body:find("vitals_build_info{", 1, true)
     or not body:find('namedprocess_namegroup_num_procs{groupname="%(MARK)s"} %(COUNT)d', 1, true) then
    bad = bad + 1
  end
end
function done(summary, latency, requests)
  local total_bad, total_checked = 0, 0
  for _, t in ipairs(threads) do
    total_bad = total_bad + t:get("bad"); total_checked = total_checked + t:get("checked")
  end
  io.write(string.format("lua: checked=%%d bad=%%d\n", total_checked, total_bad))
end
"""


def write_files(tmp, mark):
    """TLS (CA-signed server certificate) plus one bcrypt user, and the processes config."""
    web = tls_fixtures.make_all(tmp, USER, PASSWORD, cost=10)
    config = os.path.join(tmp, "config.yml")
    with open(config, "w") as f:
        # The sleepers get their own group; everything else is grouped by comm, so the
        # scrape walks every process on the host as process-exporter's "all" mode does.
        f.write("processes:\n  groups:\n")
        f.write("    - name: %s\n      cmdline: ['^%s-sleeper']\n" % (mark, mark))
        f.write("    - name: '{{.Comm}}'\n      cmdline: ['.+']\n")
    return os.path.join(tmp, "ca.crt"), web, config


def start_sleepers(mark):
    """EXTRA_PROCESSES processes whose argv[0] carries the marker, in one session."""
    script = 'for i in $(seq %d); do (exec -a %s-sleeper sleep 600) & done; wait' % (
        EXTRA_PROCESSES, mark)
    return subprocess.Popen(["bash", "-c", script], start_new_session=True,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)


def count_sleepers(mark):
    count = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                count += f.read().startswith((mark + "-sleeper").encode())
        except OSError:
            pass
    return count


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(re.search(r"^VmRSS:\s+(\d+) kB", f.read(), re.M).group(1))


def open_fds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


class TlsScraper:
    def __init__(self, port, cafile):
        self.port = port
        self.context = ssl.create_default_context(cafile=cafile)
        self.headers = {"Authorization": tls_fixtures.basic_auth_header(USER, PASSWORD)}

    def get(self, headers=None):
        conn = http.client.HTTPSConnection(harness.LOOPBACK, self.port, context=self.context,
                                           timeout=30)
        try:
            conn.request("GET", "/metrics", headers=self.headers if headers is None else headers)
            response = conn.getresponse()
            return response.status, response.read().decode()
        finally:
            conn.close()


def check_scrape(failures, text, mark, what):
    try:
        scrape = harness.parse(text)
    except harness.ParseError as e:
        failures.fail("%s: unparsable scrape: %s" % (what, e))
        return
    procs = scrape.get("namedprocess_namegroup_num_procs", groupname=mark)
    failures.check(procs == EXTRA_PROCESSES,
                   "%s: group %s num_procs %s, want %d" % (what, mark, procs, EXTRA_PROCESSES))
    failures.check(scrape.find("vitals_build_info"), "%s: no vitals_build_info" % what)


def scrape_in_background(client, failures, mark, stop, counts):
    while not stop.is_set():
        try:
            status, text = client.get()
        except OSError as e:
            failures.fail("background scrape: %s" % e)
            return
        failures.check(status == 200, "background scrape: status %d" % status)
        check_scrape(failures, text, mark, "background scrape")
        counts[0] += 1
        stop.wait(0.5)


def run_wrk(port, seconds, tmp, mark):
    lua = os.path.join(tmp, "check.lua")
    with open(lua, "w") as f:
        f.write(LUA_CHECK % {"MARK": mark, "COUNT": EXTRA_PROCESSES})
    cmd = ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", "%ds" % seconds, "--latency",
           "--timeout", "30s", "-s", lua, "-H",
           "Authorization: " + tls_fixtures.basic_auth_header(USER, PASSWORD),
           "https://%s:%d/metrics" % (harness.LOOPBACK, port)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60).stdout


def wrk_figures(output):
    figures = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", output)
    figures["rps"] = float(m.group(1)) if m else None
    for pct in ("50", "99"):
        m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)\s*$" % pct, output, re.M)
        scale = {"us": 1e-3, "ms": 1.0, "s": 1e3}
        figures["p" + pct] = float(m.group(1)) * scale[m.group(2)] if m else None
    m = re.search(r"(\d+) requests in", output)
    figures["requests"] = int(m.group(1)) if m else 0
    m = re.search(r"lua: checked=(\d+) bad=(\d+)", output)
    figures["checked"], figures["bad"] = (int(m.group(1)), int(m.group(2))) if m else (0, -1)
    return figures


def main():
    args = harness.common_argparser(__doc__).parse_args()
    failures = harness.Failures("load_wrk")
    seconds = int(os.environ.get("VITALS_LOAD_SECONDS", "60"))
    mark = "vload%d" % os.getpid()
    with tempfile.TemporaryDirectory() as tmp:
        cafile, web, config = write_files(tmp, mark)
        sleepers = start_sleepers(mark)
        try:
            deadline = time.monotonic() + 60
            while count_sleepers(mark) < EXTRA_PROCESSES and time.monotonic() < deadline:
                time.sleep(0.2)
            with harness.Exporter(args.exporter, ["--config.file=" + config,
                                                  "--web.config.file=" + web,
                                                  "--web.max-requests=%d" % WORKERS]) as exporter:
                run_load(exporter, failures, cafile, tmp, mark, seconds)
        finally:
            os.killpg(sleepers.pid, signal.SIGKILL)
            sleepers.wait(timeout=30)
    failures.exit()


def run_load(exporter, failures, cafile, tmp, mark, seconds):
    client = TlsScraper(exporter.ports[0], cafile)
    status, _ = client.get(headers={})
    failures.check(status == 401, "no credentials: status %d, want 401" % status)
    for _ in range(3):  # Warm-up: caches, group table and the auth cache settle.
        status, text = client.get()
        failures.check(status == 200, "warm-up scrape: status %d" % status)
    check_scrape(failures, text, mark, "warm-up scrape")
    pid = exporter.proc.pid
    rss_before, fds_before = rss_kib(pid), open_fds(pid)

    stop, counts = threading.Event(), [0]
    background = threading.Thread(target=scrape_in_background,
                                  args=(client, failures, mark, stop, counts))
    background.start()
    output = run_wrk(exporter.ports[0], seconds, tmp, mark)
    stop.set()
    background.join(timeout=60)
    time.sleep(1)  # Let civetweb close the last keep-alive connections.
    rss_after, fds_after = rss_kib(pid), open_fds(pid)

    figures = wrk_figures(output)
    print(output)
    print("load_wrk: %d s, %d connections, %d extra processes: %.1f req/s, p50 %.1f ms, "
          "p99 %.1f ms, %d wrk requests checked, %d background scrapes; RSS %d -> %d KiB, "
          "fds %d -> %d" % (seconds, CONNECTIONS, EXTRA_PROCESSES, figures["rps"] or 0,
                            figures["p50"] or 0, figures["p99"] or 0, figures["checked"],
                            counts[0], rss_before, rss_after, fds_before, fds_after))
    failures.check(figures["requests"] > 0, "wrk made no requests:\n" + output)
    failures.check("Socket errors" not in output, "wrk socket errors:\n" + output)
    failures.check("Non-2xx" not in output, "wrk non-2xx responses:\n" + output)
    failures.check(figures["bad"] == 0 and figures["checked"] > 0,
                   "wrk: %d of %d responses incomplete or invalid" % (figures["bad"],
                                                                       figures["checked"]))
    failures.check(counts[0] > 0, "no background scrape completed")
    failures.check(rss_after - rss_before <= RSS_SLACK_KIB,
                   "RSS grew %d KiB (limit %d)" % (rss_after - rss_before, RSS_SLACK_KIB))
    failures.check(fds_after <= fds_before + FD_SLACK,
                   "open fds %d -> %d (leak?)" % (fds_before, fds_after))


if __name__ == "__main__":
    main()
