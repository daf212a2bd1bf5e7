#!/usr/bin/env python3
"""The whole alert path on loopback: exporter -> Prometheus -> Alertmanager -> webhook + email.

Real processes, all on 127.0.0.1 with free ports:
- a busy-loop child process (this test starts it);
- vitals_exporter with a process group matching it and test-only thresholds from
  its thresholds: section (process CPU red at a fifth of one core, amber at a
  tenth, as shares of the host; process memory amber 1e-6), published as
  vitals_threshold;
- Prometheus (1 s scrape and evaluation) with the shipped rules in their test
  variant (`rules/generate.py --test-variant`: for: 2s, [5m] ranges 10s);
- Alertmanager with a copy of the shipped alertmanager.yml whose webhook URLs and
  SMTP smarthost point at this test, with 1 s / 2 s grouping, no Slack, no muting;
- a webhook receiver (http.server) and an SMTP sink (Debian's aiosmtpd command,
  python3-aiosmtpd, writing to a maildir read with the stdlib `mailbox`).

Checks: a red (critical) VitalsProcessCpuHigh and an amber (warning)
VitalsProcessMemoryHighAverage36h notification for group "busy" reach the webhook
with the right labels and annotations, the red one also as an email to the red
receiver's address; after the busy process is killed, a resolved notification
for VitalsProcessCpuHigh arrives (webhook and email). Probes: two sandbox TCP
targets on closed loopback ports make VitalsNetworkDown fire (one notification),
and Alertmanager inhibits both VitalsProbeDown alerts (no notification).
"""
import argparse
import json
import mailbox
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness  # noqa: E402

OVERALL_S = 150  # the whole test, start to resolved notification
BUSY_TOKEN = "vitals-alert-path-busy-loop"


class Inbox:
    """What the receivers got: webhook posts (shared with the server's threads) and
    the SMTP sink's maildir."""

    def __init__(self, maildir):
        self.lock = threading.Lock()
        self.webhooks = []  # (path, payload)
        self.maildir = maildir

    def add_webhook(self, path, payload):
        with self.lock:
            self.webhooks.append((path, payload))

    def webhook_alerts(self):
        """(notification status, alert) for every alert of every /alerts notification."""
        with self.lock:
            return [(p["status"], a) for path, p in self.webhooks if path == "/alerts"
                    for a in p.get("alerts", [])]

    def mail_list(self):
        """(recipients, message) per mail; the Mailbox handler adds X-RcptTo."""
        if not os.path.isdir(os.path.join(self.maildir, "new")):
            return []
        box = mailbox.Maildir(self.maildir, factory=None, create=False)
        return [(m.get("X-RcptTo", ""), m) for m in box]


def start_webhook(inbox):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                inbox.add_webhook(self.path, json.loads(body))
            except ValueError:
                inbox.add_webhook(self.path, {"status": "unparsable", "body": body.decode("latin-1")})
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer((harness.LOOPBACK, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def start_smtp(aiosmtpd, maildir, log):
    """aiosmtpd on a free loopback port; returns (process, port)."""
    for _ in range(5):  # free_port() can race with another process
        port = harness.free_port()
        proc = subprocess.Popen([aiosmtpd, "-n", "-l", "127.0.0.1:%d" % port,
                                 "-c", "aiosmtpd.handlers.Mailbox", maildir],
                                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with socket.create_connection((harness.LOOPBACK, port), timeout=1) as conn:
                    if conn.recv(3) == b"220":
                        return proc, port
            except OSError:
                time.sleep(0.1)
        stop(proc)
    raise RuntimeError("could not start the SMTP sink (%s)" % aiosmtpd)


def replace(text, pattern, repl, what, flags=re.M):
    """re.sub that insists on a match: a changed shipped file must fail loudly here."""
    new, n = re.subn(pattern, repl, text, flags=flags)
    if n == 0:
        raise RuntimeError("alertmanager.yml no longer has %s; update %s" % (what, __file__))
    return new


def test_alertmanager_config(shipped, webhook_port, smtp_port):
    """The shipped config aimed at this test's receivers, with test-speed grouping."""
    text = shipped
    text = replace(text, r"^(\s*smtp_smarthost:).*$", r"\1 127.0.0.1:%d" % smtp_port, "smtp_smarthost")
    text = replace(text, r"^\s*smtp_auth_\w+:.*\n", "", "smtp_auth_*")
    text = replace(text, r"^\s*slack_api_url_file:.*\n", "", "slack_api_url_file")
    # Slack blocks: from "slack_configs:" up to the next key at the receiver's level.
    text = replace(text, r"^(\s*)slack_configs:\n(?:\1\s+.*\n)+", "", "slack_configs")
    text = replace(text, r"http://127\.0\.0\.1:9095/", "http://127.0.0.1:%d/" % webhook_port, "webhook URLs")
    text = replace(text, r"^(\s*group_wait:).*$", r"\1 1s", "group_wait")
    text = replace(text, r"^(\s*group_interval:).*$", r"\1 2s", "group_interval")
    # amber is muted at night and at weekends; this test runs at any hour
    text = replace(text, r"^\s*mute_time_intervals:.*\n", "", "mute_time_intervals")
    return text


def wait_ready(url, proc, log, seconds, what):
    if not harness.wait_http_ok(url, seconds, proc):
        raise RuntimeError("%s did not become ready:\n%s" % (what, open(log).read()[-3000:]))


def stop(proc):
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def find_alert(inbox, status, **labels):
    for notification_status, a in inbox.webhook_alerts():
        if a.get("status") == status and all(a["labels"].get(k) == v for k, v in labels.items()):
            return notification_status, a
    return None


def mail_text(message):
    parts = [str(message.get("Subject", ""))]
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            parts.append(part.get_payload(decode=True).decode("utf-8", "replace"))
    return "\n".join(parts)


def find_mail(inbox, rcpt, *fragments):
    for rcpts, message in inbox.mail_list():
        text = mail_text(message)
        if rcpt in rcpts and all(f in text for f in fragments):
            return message
    return None


def wait_for(predicate, deadline, what, failures, diagnose):
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.25)
    failures.fail("timed out waiting for %s; %s" % (what, diagnose()))
    return None


def main():
    parser = harness.common_argparser(__doc__.splitlines()[0])
    parser.add_argument("--prometheus", default=shutil.which("prometheus") or "prometheus")
    parser.add_argument("--alertmanager",
                        default=shutil.which("prometheus-alertmanager") or "alertmanager")
    parser.add_argument("--aiosmtpd", default=shutil.which("aiosmtpd") or "/usr/bin/aiosmtpd")
    args = parser.parse_args()
    repo = os.path.abspath(args.repo)
    failures = harness.Failures("alert_path")
    if not os.access(args.aiosmtpd, os.X_OK):
        failures.fail("no aiosmtpd command (python3-aiosmtpd; scripts/install-deps.sh test)")
        return failures.exit()
    deadline = time.monotonic() + OVERALL_S
    busy = prom = am = exporter = webhook = smtp = None
    with tempfile.TemporaryDirectory() as tmp:
        inbox = Inbox(os.path.join(tmp, "maildir"))
        try:
            webhook = start_webhook(inbox)
            smtp, smtp_port = start_smtp(args.aiosmtpd, inbox.maildir,
                                         open(os.path.join(tmp, "smtp.log"), "w"))
            busy = subprocess.Popen([sys.executable, "-c", "while True: pass", BUSY_TOKEN],
                                    stdin=subprocess.DEVNULL)

            # Red at a fifth of one core, amber at a tenth, as shares of the host
            # (the rules divide by the CPUs in /proc/stat): a busy loop gets more
            # even on a loaded machine with many CPUs.
            with open("/proc/stat") as f:
                cpus = sum(1 for line in f if re.match(r"cpu\d+ ", line))
            red_share = round(0.2 / cpus, 6)
            sandbox_ports = [harness.free_port(), harness.free_port()]
            config = os.path.join(tmp, "vitals.yml")
            with open(config, "w") as f:
                f.write("processes:\n  groups:\n    - name: busy\n      cmdline: ['%s']\n"
                        "thresholds:\n"
                        "  process_cpu:\n    groups:\n      busy: {amber: %s, red: %s}\n"
                        "  process_memory:\n    groups:\n      busy: {amber: 0.000001, red: 0.9}\n"
                        "probes:\n  modules:\n    tcp: {prober: tcp, timeout: 1s}\n  targets:\n"
                        % (BUSY_TOKEN, round(0.1 / cpus, 6), red_share))
                # The host's "network" is down: every sandbox target refuses.
                for port in sandbox_ports:
                    f.write("    - {target: '127.0.0.1:%d', module: tcp, group: sandbox}\n" % port)
            exporter = harness.Exporter(args.exporter, ["--config.file=" + config]).start()
            instance = exporter.addresses[0]
            # The exporter publishes what the rules will join on.
            metrics = exporter.scrape()
            red_line = [line for line in metrics.splitlines() if line.startswith(
                'vitals_threshold{resource="process_cpu",level="red",groupname="busy"} ')]
            failures.check(len(red_line) == 1 and abs(float(red_line[0].split()[-1]) - red_share) < 1e-9,
                           "process_cpu red threshold for busy in /metrics: %s" % red_line)

            am_port = harness.free_port()
            am_config = os.path.join(tmp, "alertmanager.yml")
            with open(os.path.join(repo, "alertmanager", "alertmanager.yml")) as f:
                shipped = f.read()
            with open(am_config, "w") as f:
                f.write(test_alertmanager_config(shipped, webhook.server_address[1], smtp_port))
            os.symlink(os.path.join(repo, "alertmanager", "templates"), os.path.join(tmp, "templates"))
            am_log = os.path.join(tmp, "alertmanager.log")
            am = subprocess.Popen(
                [args.alertmanager, "--config.file=" + am_config,
                 "--storage.path=" + os.path.join(tmp, "am-data"),
                 "--web.listen-address=127.0.0.1:%d" % am_port, "--cluster.listen-address="],
                stdout=subprocess.DEVNULL, stderr=open(am_log, "w"))

            rules = os.path.join(tmp, "rules")
            os.mkdir(rules)
            subprocess.run([sys.executable, os.path.join(repo, "rules", "generate.py"),
                            "--test-variant", rules], check=True, timeout=30)
            prom_port = harness.free_port()
            prom_config = os.path.join(tmp, "prometheus.yml")
            with open(prom_config, "w") as f:
                f.write("global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
                        "rule_files: [%s, %s]\n"
                        "alerting:\n  alertmanagers:\n    - static_configs:\n"
                        "        - targets: ['127.0.0.1:%d']\n"
                        "scrape_configs:\n  - job_name: vitals\n    static_configs:\n"
                        "      - targets: ['%s']\n"
                        % (json.dumps(os.path.join(rules, "recording.yml")),
                           json.dumps(os.path.join(rules, "alerts.yml")), am_port, instance))
            prom_log = os.path.join(tmp, "prometheus.log")
            prom = subprocess.Popen(
                [args.prometheus, "--config.file=" + prom_config,
                 "--storage.tsdb.path=" + os.path.join(tmp, "prom-data"),
                 "--web.listen-address=127.0.0.1:%d" % prom_port,
                 "--rules.alert.resend-delay=1s"],
                stdout=subprocess.DEVNULL, stderr=open(prom_log, "w"))
            wait_ready("http://127.0.0.1:%d/-/ready" % am_port, am, am_log, 30, "alertmanager")
            wait_ready("http://127.0.0.1:%d/-/ready" % prom_port, prom, prom_log, 30, "prometheus")

            def diagnose():
                try:
                    with urllib.request.urlopen("http://127.0.0.1:%d/api/v1/alerts" % prom_port,
                                                timeout=5) as r:
                        alerts = json.load(r)["data"]["alerts"]
                    states = sorted("%s/%s/%s=%s" % (a["labels"]["alertname"], a["labels"].get("severity"),
                                                     a["labels"].get("groupname", ""), a["state"])
                                    for a in alerts)
                except OSError as e:
                    states = ["prometheus: %s" % e]
                return "prometheus alerts: %s; webhook got %d notifications, smtp %d mails" % (
                    states, len(inbox.webhooks), len(inbox.mail_list()))

            want = {"instance": instance, "job": "vitals", "groupname": "busy"}
            red = wait_for(lambda: find_alert(inbox, "firing", alertname="VitalsProcessCpuHigh",
                                              severity="critical", **want),
                           deadline, "the red VitalsProcessCpuHigh notification", failures, diagnose)
            if red:
                a = red[1]
                failures.check(a["annotations"].get("runbook_url") == "docs/runbooks.md#vitalsprocesscpuhigh",
                               "red runbook_url: %s" % a["annotations"])
                failures.check("process group busy on %s" % instance in a["annotations"].get("description", ""),
                               "red description: %s" % a["annotations"])
                failures.check(a["annotations"].get("summary") == "CPU share of the host above the red threshold.",
                               "red summary: %s" % a["annotations"])
            amber = wait_for(lambda: find_alert(inbox, "firing", alertname="VitalsProcessMemoryHighAverage36h",
                                                severity="warning", **want),
                             deadline, "the amber VitalsProcessMemoryHighAverage36h notification", failures,
                             diagnose)
            if amber:
                failures.check("between its amber and red thresholds" in amber[1]["annotations"]["description"],
                               "amber description: %s" % amber[1]["annotations"])
            mail = wait_for(lambda: find_mail(inbox, "oncall@example.invalid", "[RED] VitalsProcessCpuHigh on ",
                                              "groupname=busy"),
                            deadline, "the red email to oncall@example.invalid", failures, diagnose)
            if mail:
                failures.check(mail["Subject"].startswith("[RED] VitalsProcessCpuHigh on " + instance),
                               "red email subject: %s" % mail["Subject"])
            wait_for(lambda: find_mail(inbox, "ops@example.invalid", "[AMBER] VitalsProcessMemoryHighAverage36h"),
                     deadline, "the amber email to ops@example.invalid", failures, diagnose)

            # Network down: one red notification for the host; the probe-down alerts of
            # its sandbox targets fire in Prometheus but Alertmanager inhibits them.
            network = wait_for(lambda: find_alert(inbox, "firing", alertname="VitalsNetworkDown",
                                                  severity="critical", instance=instance),
                               deadline, "the VitalsNetworkDown notification", failures, diagnose)
            if network:
                failures.check(network[1]["annotations"].get("runbook_url") == "docs/runbooks.md#vitalsnetworkdown"
                               and "All 2 probe targets of group sandbox" in network[1]["annotations"]["description"],
                               "VitalsNetworkDown annotations: %s" % network[1]["annotations"])

            def inhibited_probe_downs():
                query = urllib.parse.urlencode({"filter": 'alertname="VitalsProbeDown"'})
                with urllib.request.urlopen("http://127.0.0.1:%d/api/v2/alerts?%s" % (am_port, query),
                                            timeout=5) as r:
                    alerts = json.load(r)
                return len(alerts) == 2 and all(a["status"]["inhibitedBy"] for a in alerts) and alerts

            probe_downs = wait_for(inhibited_probe_downs, deadline,
                                   "both VitalsProbeDown alerts in Alertmanager, inhibited", failures, diagnose)
            if probe_downs:
                failures.check(sorted(a["labels"]["target"] for a in probe_downs)
                               == sorted("127.0.0.1:%d" % p for p in sandbox_ports)
                               and all(a["labels"]["group"] == "sandbox" for a in probe_downs),
                               "VitalsProbeDown labels: %s" % [a["labels"] for a in probe_downs])

            # Clear the condition: the busy process goes; its group's CPU rate falls to 0.
            busy.kill()
            busy.wait(timeout=10)
            resolved = wait_for(lambda: find_alert(inbox, "resolved", alertname="VitalsProcessCpuHigh",
                                                   severity="critical", **want),
                                deadline, "the resolved VitalsProcessCpuHigh notification", failures, diagnose)
            if resolved:
                failures.check(resolved[0] == "resolved", "notification status %s" % resolved[0])
            wait_for(lambda: find_mail(inbox, "oncall@example.invalid", "[RESOLVED] VitalsProcessCpuHigh"),
                     deadline, "the resolved email", failures, diagnose)
            failures.check(find_alert(inbox, "firing", alertname="VitalsProbeDown") is None,
                           "a VitalsProbeDown notification went out while VitalsNetworkDown fired")
            # The amber condition (memory) still holds: never resolved.
            failures.check(find_alert(inbox, "resolved", alertname="VitalsProcessMemoryHighAverage36h",
                                      **want) is None, "the amber alert resolved although it still holds")
        except (RuntimeError, OSError, subprocess.SubprocessError, harness.ExporterError) as e:
            failures.fail("set-up: %s" % e)
        finally:
            if busy is not None and busy.poll() is None:
                busy.kill()
                busy.wait(timeout=10)
            stop(prom)
            stop(am)
            if exporter is not None:
                exporter.stop()
            stop(smtp)
            if webhook is not None:
                webhook.shutdown()
                webhook.server_close()
    print("alert path took %.1f s" % (OVERALL_S - (deadline - time.monotonic())))
    return failures.exit()


if __name__ == "__main__":
    sys.exit(main())
