#!/usr/bin/env python3
"""The fleet topology (scripts/fleet.sh --mode ha) survives faults: nothing lost,
nothing doubled.

Real processes on 127.0.0.1: vitals_exporter, two Prometheus replicas, three
Alertmanagers in one gossip cluster, VictoriaMetrics; a webhook receiver and a
second fake host (a static /metrics) run in this process. 1 s scrape and rule
intervals, a test rule `FleetTargetDown: up == 0` (the shipped rules wait minutes).

1. Host going away and coming back: the fake host stops; FleetTargetDown{instance=
   "host-b"} reaches the receiver once, and the local host's `up` stays 1 on both
   replicas and in VictoriaMetrics.
2. One Alertmanager of three killed (SIGKILL) while that alert fires: the host comes
   back, exactly one resolved notification follows, and no second firing one.
3. One Prometheus replica killed: the host goes away again, the alert arrives once
   (from the other replica), and its resolution once.
4. VictoriaMetrics stopped for 60 s and started again: once the replicas have caught
   up from their WAL, the local host's `up` has a sample in every 5 s of the outage,
   and never more than one series or more samples than one replica scrapes
   (replicas deduplicated).

Python 3 standard library only; every wait is bounded.
"""
import http.server
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness  # noqa: E402

ALERT = "FleetTargetDown"
VM_OUTAGE_S = 60
# Each Alertmanager waits this long per position in the cluster before it sends
# what the members before it have not (15 s by default; shorter here). It must
# outlast the gossip of a notification log entry: 1 s did not on a busy 2-core
# machine (a member sent a resolution 1.0 s after another had, unaware of it).
PEER_TIMEOUT_S = 5
# Members flush an alert group together, every GROUP_INTERVAL_S. As in production
# (5 m against 15 s per position), that is longer than the last member's wait: a
# resolution that arrived during that wait would make it resend the stale firing
# state (Alertmanager delivers at least once, by design).
GROUP_INTERVAL_S = 3 * PEER_TIMEOUT_S + 5
# How long a notification log entry takes to reach every member (gossip every 200 ms;
# generous for a busy machine).
GOSSIP_S = 3
# After a notification, how long any later member could still send one.
SETTLE_S = GROUP_INTERVAL_S + 2 * PEER_TIMEOUT_S + 2

RULES = """groups:
  - name: fleet-test
    rules:
      - alert: FleetTargetDown
        expr: up{job="vitals"} == 0
        labels:
          severity: critical
"""

ALERTMANAGER = """route:
  receiver: webhook
  group_by: [alertname, instance]
  group_wait: 1s
  group_interval: %ds
  repeat_interval: 1h
receivers:
  - name: webhook
    webhook_configs:
      - url: http://127.0.0.1:%d/
        send_resolved: true
"""


class Receiver(http.server.ThreadingHTTPServer):
    """Webhook receiver: keeps every notification (status, group labels)."""

    def __init__(self):
        self.notifications = []
        self.senders = []  # each notification's Alertmanager (its external URL)
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with outer.lock:
                    outer.notifications.append(
                        (time.monotonic(), body["status"], body["groupLabels"]))
                    outer.senders.append(body.get("externalURL", ""))
                print("notification %.1f %s %s from %s: %s" % (
                    time.monotonic(), body["status"], body["groupLabels"],
                    body.get("externalURL"), [(a["status"], a["startsAt"], a["endsAt"])
                                              for a in body["alerts"]]), flush=True)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__((harness.LOOPBACK, 0), Handler)

    def count(self, status, instance, since):
        with self.lock:
            return sum(1 for t, s, g in self.notifications
                       if t >= since and s == status and g.get("alertname") == ALERT
                       and g.get("instance") == instance)


def fake_host(port=0):
    """A second host: a static exposition, stopped and started by the test."""
    return harness.TextServer(lambda _: "# TYPE fake_host_ok gauge\nfake_host_ok 1\n", port)


def get_json(url, params=None):
    if params:
        url += "?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


def query(base, expr):
    try:
        return get_json(base + "/api/v1/query", {"query": expr})["data"]["result"]
    except OSError:
        return None


def wait_for(what, condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    print("timed out after %ds waiting for %s" % (timeout, what), flush=True)
    return False


def exited(pid):
    """Gone, or a zombie (its parent, fleet.sh, has not reaped it yet)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (FileNotFoundError, ProcessLookupError):
        return True  # Reaped between two looks: the check itself must not fail.


class Fleet:
    def __init__(self, args, tmp, receiver_port):
        self.dir = os.path.join(tmp, "fleet")
        self.base = free_port_block(11)
        rules = os.path.join(tmp, "rules")
        os.makedirs(rules)
        with open(os.path.join(rules, "fleet-test.yml"), "w") as f:
            f.write(RULES)
        am_config = os.path.join(tmp, "alertmanager.yml")
        with open(am_config, "w") as f:
            f.write(ALERTMANAGER % (GROUP_INTERVAL_S, receiver_port))
        env = dict(os.environ, FLEET_DIR=self.dir, FLEET_PORT_BASE=str(self.base),
                   FLEET_RULES=os.path.join(rules, "*.yml"), ALERTMANAGER_CONFIG=am_config,
                   SCRAPE_INTERVAL="1s", EVALUATION_INTERVAL="1s", FLEET_TIMEOUT="90",
                   ALERTMANAGER_PEER_TIMEOUT="%ds" % PEER_TIMEOUT_S)
        self.process = subprocess.Popen(
            [os.path.join(args.repo, "scripts", "fleet.sh"), "--no-install",
             "--exporter", args.exporter], env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self.output = []
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        self.prometheus = ["http://127.0.0.1:%d" % (self.base + i) for i in (1, 2)]
        self.alertmanagers = ["http://127.0.0.1:%d" % (self.base + i) for i in (3, 4, 5)]
        self.vm = "http://127.0.0.1:%d" % (self.base + 9)

    def _read(self):
        for line in self.process.stdout:
            self.output.append(line)
            print("fleet.sh: " + line, end="", flush=True)
            if line.startswith("fleet ready"):
                self.ready.set()

    def add_targets(self, name, text):
        path = os.path.join(self.dir, "targets", name)
        with open(path + ".tmp", "w") as f:
            f.write(text)
        os.rename(path + ".tmp", path)  # file_sd must never read half a file

    def pid(self, name):
        with open(os.path.join(self.dir, "run", name + ".pid")) as f:
            return int(f.read())

    def kill(self, name, sig=signal.SIGKILL):
        pid = self.pid(name)
        os.kill(pid, sig)
        wait_for(name + " to exit", lambda: exited(pid), 30)

    def start(self, name):
        subprocess.Popen([os.path.join(self.dir, "run", name + ".sh")],
                         start_new_session=True)

    def cluster_size(self, url):
        """Members this Alertmanager sees, 0 until it has settled (status "ready":
        a restarted member that has not yet synced the notification log would send
        again what the others sent)."""
        try:
            cluster = get_json(url + "/api/v2/status")["cluster"]
        except (OSError, KeyError, ValueError):
            return 0
        return len(cluster.get("peers") or []) if cluster.get("status") == "ready" else 0

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        # Servers started again by the test are not fleet.sh's children.
        run = os.path.join(self.dir, "run")
        for name in os.listdir(run) if os.path.isdir(run) else []:
            if name.endswith(".pid"):
                try:
                    os.kill(int(open(os.path.join(run, name)).read()), signal.SIGKILL)
                except (OSError, ValueError):
                    pass


def ephemeral_low():
    """The first port of the kernel's range for outgoing connections' local ports."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port_block(count):
    """A base port with `count` free ports after it (bind-tested, bounded tries), below
    the ephemeral range: the faults kill servers and start them again on their ports,
    and while one is down any outgoing connection may be given its port as local port
    (then the restart cannot bind; seen once as an Alertmanager that never rejoined)."""
    # From 20000: clear of the fixed ports other tests' servers use (10100, 9090, ...).
    top = max(ephemeral_low(), 20000 + 2 * count) - count
    for _ in range(200):
        base = random.randint(20000, top)
        sockets = []
        try:
            for port in range(base, base + count):
                s = socket.socket()
                s.bind((harness.LOOPBACK, port))
                sockets.append(s)
            return base
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError("no block of %d free loopback ports" % count)


def local_up_everywhere(fleet, down=()):
    for url in [u for u in fleet.prometheus if u not in down] + [fleet.vm]:
        result = query(url, 'up{instance="local"}')
        if not result or len(result) != 1 or result[0]["value"][1] != "1":
            return False
    return True


def host_down_and_back(fleet, receiver, fake_port, failures, what, during=None, down=()):
    """Stops the fake host until the alert's firing notification arrived, runs
    `during`, starts the host again until the resolved one arrived; then checks
    exactly one of each, and the local host untouched."""
    since = time.monotonic()
    fake = fleet.fake
    fake.stop()
    failures.check(wait_for("firing", lambda: receiver.count("firing", "host-b", since), 60),
                   "%s: %s{instance=host-b} firing never reached the receiver" % (what, ALERT))
    failures.check(local_up_everywhere(fleet, down),
                   "%s: the local host's up changed while host-b was down" % what)
    if during:
        during()
    time.sleep(2 * PEER_TIMEOUT_S + 3)  # every member has deduplicated the firing state
    fleet.fake = fake_host(fake_port)
    failures.check(wait_for("resolved", lambda: receiver.count("resolved", "host-b", since), 60),
                   "%s: the resolved notification never reached the receiver" % what)
    # A duplicate would come from a later member after its wait: wait that long.
    time.sleep(SETTLE_S)
    firing = receiver.count("firing", "host-b", since)
    resolved = receiver.count("resolved", "host-b", since)
    failures.check(firing == 1, "%s: %d firing notifications, want 1" % (what, firing))
    failures.check(resolved == 1, "%s: %d resolved notifications, want 1" % (what, resolved))
    print("%s: firing %d, resolved %d" % (what, firing, resolved), flush=True)


def vm_outage(fleet, failures):
    fleet.kill("victoria-metrics", signal.SIGTERM)
    stopped = time.time()
    time.sleep(VM_OUTAGE_S)
    fleet.start("victoria-metrics")
    started = time.time()
    print("VictoriaMetrics down from %.0f to %.0f" % (stopped, started), flush=True)
    window = (int(stopped) - 10, int(started) + 10)

    def buckets():
        try:
            data = get_json(fleet.vm + "/api/v1/query_range", {
                "query": 'count_over_time(up{instance="local"}[5s])',
                "start": window[0] + 5, "end": window[1], "step": "5s"})["data"]["result"]
        except OSError:
            return None
        return data

    def caught_up():
        data = buckets()
        if not data or len(data) != 1:
            return False
        values = data[0]["values"]
        return len(values) >= (window[1] - window[0]) // 5 - 1 and all(
            float(v) >= 1 for _, v in values)

    caught = wait_for("VictoriaMetrics to catch up", caught_up, 120)
    data = buckets() or []
    failures.check(caught, "VictoriaMetrics outage: a 5 s step of %s..%s has no `up` sample "
                   "after the catch-up: %s" % (window[0], window[1], data))
    failures.check(len(data) == 1, "VictoriaMetrics outage: %d series of the local up, want 1"
                   % len(data))
    if data:
        most = max(float(v) for _, v in data[0]["values"])
        # 1 s scrapes: at most 5 (6 at an edge) samples in 5 s; two replicas
        # not deduplicated would give about 10.
        failures.check(most <= 6, "VictoriaMetrics outage: %d samples in 5 s, replicas "
                       "not deduplicated" % most)


def main():
    args = harness.common_argparser(__doc__).parse_args()
    failures = harness.Failures("fleet_faults")
    receiver = Receiver()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as tmp:
        fleet = Fleet(args, tmp, receiver.server_address[1])
        try:
            run(fleet, receiver, failures)
        finally:
            fleet.stop()
    failures.exit()


def run(fleet, receiver, failures):
    started = time.monotonic()
    if not failures.check(fleet.ready.wait(120), "fleet.sh never got ready"):
        return
    print("fleet ready in %.0f s" % (time.monotonic() - started), flush=True)
    fleet.fake = fake_host()
    fake_port = fleet.fake.server_address[1]
    fleet.add_targets("site-b.yml", "- targets: ['127.0.0.1:%d']\n  labels:\n"
                      "    instance: host-b\n" % fake_port)
    failures.check(wait_for("host-b up", lambda: all(
        (query(u, 'up{instance="host-b"} == 1') or []) for u in fleet.prometheus), 30),
        "a new targets file was not picked up by both replicas without a restart")

    host_down_and_back(fleet, receiver, fake_port, failures, "host away and back")

    killed = []

    def kill_alertmanager():
        # The member that sent the firing notification: the others must neither
        # send it again nor miss the resolution. It logs the notification and
        # gossips the entry after the send: killed before that reaches a peer, the
        # peer sends again (at-least-once, by design). Let the gossip (every 200 ms)
        # go round first: the alert still fires when the member dies.
        time.sleep(GOSSIP_S)
        with receiver.lock:
            sender = receiver.senders[-1]
        port = int(urllib.parse.urlsplit(sender).port or 0)
        index = [int(u.rsplit(":", 1)[1]) for u in fleet.alertmanagers].index(port) \
            if port in [int(u.rsplit(":", 1)[1]) for u in fleet.alertmanagers] else 0
        killed.append("alertmanager-%d" % index)
        print("killing %s (sent the firing notification from %s)" % (killed[0], sender),
              flush=True)
        fleet.kill(killed[0])
    host_down_and_back(fleet, receiver, fake_port, failures, "alertmanager killed",
                       kill_alertmanager)
    fleet.start(killed[0])
    failures.check(wait_for("cluster of 3", lambda: all(
        fleet.cluster_size(u) == 3 for u in fleet.alertmanagers), 120),
        "the killed Alertmanager did not rejoin the cluster")

    fleet.kill("prometheus-1")
    host_down_and_back(fleet, receiver, fake_port, failures, "prometheus replica killed",
                       down=(fleet.prometheus[0],))
    fleet.start("prometheus-1")
    failures.check(wait_for("prometheus-1 back", lambda: query(
        fleet.prometheus[0], 'up{instance="local"} == 1'), 60),
        "the killed Prometheus replica did not come back")

    vm_outage(fleet, failures)
    print("fleet_faults: %.0f s in all" % (time.monotonic() - started), flush=True)


if __name__ == "__main__":
    main()
