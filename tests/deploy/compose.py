#!/usr/bin/env python3
"""deploy compose: `docker-compose up -d` of docker-compose.yml's exporter, Prometheus and
Alertmanager, as a user starts the stack, until an alert raised on the exporter reaches
a webhook; then `docker-compose down -v` must leave nothing of the project.

1. The exporter image is deploy_image's (the ctest fixture "exporter_image": its tag is
   read from --image-file; `up --no-build`, compose would otherwise rebuild every layer).
   Prometheus and Alertmanager are Debian's `prometheus` and `prometheus-alertmanager`
   packages in images FROM debian:12 (vitals-test/prometheus:<hash>,
   vitals-test/alertmanager:<hash>, kept; no registry is reachable here, and Grafana,
   not in Debian, is left out), passed through PROMETHEUS_IMAGE / ALERTMANAGER_IMAGE.
2. The compose file's variables as a user sets them: a unique project name (-p),
   PROMETHEUS_HOST and ALERTMANAGER_HOST a loopback address where :9090 and :9093 are
   free (127.0.0.1, else 127.0.0.2, ...: another stack may run on this machine),
   VITALS_LISTEN_ADDRESS a free port there (Prometheus must scrape that address and
   alert that Alertmanager: stack/prometheus/entrypoint.sh), VITALS_ROOT_MOUNT (ro where / is not a shared
   mount, as docs/stack.md says: container.root_mount_options()), SCRAPE_INTERVAL and
   EVALUATION_INTERVAL 1s, VITALS_CONFIG a configuration with an HTTP probe of a closed
   loopback port, ALERTMANAGER_CONFIG a directory whose alertmanager.yml sends every
   alert at once (group_wait 0s) to a webhook this test serves on 127.0.0.1.
3. Checks: the exporter's target is up in Prometheus at that address; every rule group
   of rules/*.yml is loaded and each rule's health is "ok" after an evaluation;
   Prometheus has the Alertmanager as active; the webhook receives VitalsProbeDown
   firing for the probe's target from the exporter's instance.
   VitalsProbeDown because it can be raised honestly and quickly: the failing probe is
   real exporter data (libcurl in the image, vitals_probe_consecutive_failures), the
   rule has no `for:` and needs 3 failed probes, 3 s at a 1 s scrape interval. The
   others wait 1 to 10 minutes (`for:`) or need real load; Watchdog is vector(1) and
   proves nothing about the exporter.
4. `docker-compose down -v`: no container, volume or network of the project remains
   (docker's compose project labels), and nothing listens on the stack's ports.

`docker-compose down -v` runs on every path. Needs root, or a Docker daemon that
answers; exit 77 (skip) only when neither holds.

  compose.py --repo . --image-file build/tests/deploy/exporter-image
"""
import argparse
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import container  # noqa: E402
import harness  # noqa: E402

SERVICES = ["vitals_exporter", "prometheus", "alertmanager"]
PORTS = (9090, 9093)  # The compose file's fixed ports of Prometheus and Alertmanager.
ALERT = "VitalsProbeDown"


def package_image(package, user, entrypoint, data_dir):
    """Dockerfile text of Debian's `package`, run as `user` (the package's), with
    `data_dir` (the compose file's volume) owned by it: a new named volume takes the
    image directory's owner."""
    return """\
FROM %s
RUN apt-get update -q \\
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends %s \\
    && rm -rf /var/lib/apt/lists/* \\
    && mkdir -p %s && chown %s: %s
USER %s
WORKDIR %s
ENTRYPOINT ["%s"]
""" % (container.BASE_IMAGE, package, data_dir, user, data_dir, user, data_dir, entrypoint)


class Webhook(http.server.ThreadingHTTPServer):
    """Alertmanager's webhook receiver on 127.0.0.1: keeps every POSTed JSON body."""

    def __init__(self):
        self.bodies = []
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with outer.lock:
                    outer.bodies.append((self.path, json.loads(data or b"{}")))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def alerts(self):
        with self.lock:
            return [(path, alert) for path, body in self.bodies
                    for alert in body.get("alerts", [])]

    def stop(self):
        self.shutdown()
        self.server_close()


def readable(path):
    """World-readable (the services run as other users than the test)."""
    for root, _, files in os.walk(path):
        os.chmod(root, 0o755)
        for name in files:
            os.chmod(os.path.join(root, name), 0o644)


def write_configs(tmp, webhook_port, closed_port):
    directory = os.path.join(tmp, "alertmanager")
    os.makedirs(directory)
    with open(os.path.join(directory, "alertmanager.yml"), "w") as f:
        f.write("route:\n  receiver: test\n  group_by: [alertname]\n  group_wait: 0s\n"
                "  group_interval: 1s\n  repeat_interval: 1h\nreceivers:\n"
                "  - name: test\n    webhook_configs:\n"
                "      - url: http://127.0.0.1:%d/alerts\n        send_resolved: false\n"
                % webhook_port)
    config = os.path.join(tmp, "vitals.yml")
    target = "http://127.0.0.1:%d/" % closed_port
    with open(config, "w") as f:
        f.write("probes:\n  modules:\n    http_2xx: {prober: http, timeout: 1s}\n"
                "  targets:\n    - {target: '%s', module: http_2xx, group: test}\n" % target)
    readable(tmp)
    return directory, config, target


def port_in_use(host, port):
    with socket.socket() as s:
        return s.connect_ex((host, port)) == 0


def free_loopback():
    """A loopback address where PORTS are free: 127.0.0.1, else 127.0.0.2, ... (another
    stack on this machine may hold 127.0.0.1:9090). The compose file's PROMETHEUS_HOST
    and ALERTMANAGER_HOST then put the stack there."""
    for last in range(1, 60):
        host = "127.0.0.%d" % last
        try:
            for port in PORTS:
                with socket.socket() as s:
                    s.bind((host, port))
            return host
        except OSError:
            continue
    return None


def api(host, path, timeout=5):
    with urllib.request.urlopen("http://%s:9090%s" % (host, path), timeout=timeout) as response:
        return json.loads(response.read())["data"]


def poll(what, probe, timeout):
    """probe() until it returns (True, detail); returns (ok, last detail, seconds)."""
    started = time.monotonic()
    detail = None
    while time.monotonic() - started < timeout:
        try:
            ok, detail = probe()
        except (OSError, ValueError, KeyError) as e:
            ok, detail = False, "%s: %s" % (type(e).__name__, e)
        if ok:
            elapsed = time.monotonic() - started
            print("%s: after %.1f s" % (what, elapsed))
            return True, detail, elapsed
        time.sleep(0.5)
    return False, detail, timeout


class Compose:
    def __init__(self, binary, repo, project, env):
        self.base = [binary, "-f", os.path.join(repo, "docker-compose.yml"),
                     "--project-directory", repo, "-p", project]
        self.env = dict(os.environ, **env)
        self.repo = repo

    def run(self, args, timeout=120, check=True):
        result = subprocess.run(self.base + args, capture_output=True, text=True,
                                timeout=timeout, env=self.env, cwd=self.repo)
        if check and result.returncode != 0:
            raise container.DockerError("docker-compose %s: exit %d\n%s%s" % (
                " ".join(args), result.returncode, result.stdout[-3000:],
                result.stderr[-3000:]))
        return result


def rule_groups(repo):
    names = set()
    for name in sorted(os.listdir(os.path.join(repo, "rules"))):
        if name.endswith(".yml"):
            with open(os.path.join(repo, "rules", name)) as f:
                names |= set(re.findall(r"^  - name: (\S+)", f.read(), re.M))
    return names


def check_stack(failures, repo, host, listen, target, webhook, timings):
    def scraped():
        active = api(host, "/api/v1/targets")["activeTargets"]
        mine = [t for t in active if t["labels"].get("job") == "vitals"]
        return (len(mine) == 1 and mine[0]["health"] == "up"
                and mine[0]["labels"]["instance"] == listen), mine
    ok, detail, timings["target up"] = poll("the exporter's target is up", scraped, 60)
    failures.check(ok, "job vitals: want one target %s, up: %s" % (listen, detail))

    want_groups = rule_groups(repo)

    def rules_loaded():
        """Every group loaded; no rule in error; every rule of a group evaluated at the
        1 s EVALUATION_INTERVAL healthy ("ok"). A group with its own longer interval
        (recording.yml's 5m one) may not have run yet ("unknown")."""
        groups = api(host, "/api/v1/rules")["groups"]
        bad, waiting, rules = [], [], 0
        for group in groups:
            for rule in group["rules"]:
                rules += 1
                health = rule.get("health")
                if health == "err" or rule.get("lastError") or \
                        (health != "ok" and group["interval"] <= 1):
                    bad.append((rule["name"], health, rule.get("lastError")))
                elif health != "ok":
                    waiting.append("%s (every %ss)" % (group["name"], group["interval"]))
        names = {g["name"] for g in groups}
        return names == want_groups and not bad, (sorted(names ^ want_groups), rules,
                                                  bad[:5], sorted(set(waiting)))
    ok, detail, timings["rules ok"] = poll("every rule group loaded, every rule healthy",
                                           rules_loaded, 60)
    print("  rule groups: %d in rules/*.yml; groups not matched %s, %d rules, unhealthy %s; "
          "not evaluated yet (own interval): %s" % ((len(want_groups),) + detail))
    failures.check(ok, "rules: groups not matched / rule count / unhealthy rules: %s"
                   % (detail[:3],))

    alertmanager = "http://%s:9093/api/v2/alerts" % host

    def alertmanager_found():
        data = api(host, "/api/v1/alertmanagers")
        urls = [a["url"] for a in data["activeAlertmanagers"]]
        return urls == [alertmanager], urls
    ok, detail, _ = poll("Prometheus found the Alertmanager", alertmanager_found, 30)
    failures.check(ok, "active Alertmanagers: %s, want %s" % (detail, alertmanager))

    def alert_received():
        got = [(path, alert) for path, alert in webhook.alerts()
               if alert["labels"].get("alertname") == ALERT]
        return any(alert["status"] == "firing" and alert["labels"].get("target") == target
                   and alert["labels"].get("instance") == listen
                   for _, alert in got), got[:2]
    ok, detail, timings["alert"] = poll("%s reached the webhook" % ALERT, alert_received, 90)
    print("  webhook: %s" % json.dumps(detail)[:600])
    failures.check(ok, "the webhook did not receive %s firing for %s from %s: %s" % (
        ALERT, target, listen, [a["labels"] for _, a in webhook.alerts()][:5]))


def leftovers(engine, project):
    label = "label=com.docker.compose.project=%s" % project
    found = {}
    for kind, args in (("containers", ["ps", "-a", "-q", "--filter", label]),
                       ("volumes", ["volume", "ls", "-q", "--filter", label]),
                       ("networks", ["network", "ls", "-q", "--filter", label])):
        found[kind] = engine.run(args).stdout.split()
    return found


def run_stack(failures, args, engine, tag, tmp, timings):
    step = time.monotonic()
    prometheus = container.ensure_image(engine, "vitals-test/prometheus", package_image(
        "prometheus", "prometheus", "/usr/bin/prometheus", "/prometheus"))
    alertmanager = container.ensure_image(engine, "vitals-test/alertmanager", package_image(
        "prometheus-alertmanager", "prometheus", "/usr/bin/prometheus-alertmanager",
        "/alertmanager"))
    timings["peer images"] = time.monotonic() - step
    host = free_loopback()
    if not failures.check(host, "ports %s are in use on every loopback address: the "
                          "compose file's Prometheus and Alertmanager need them" % (PORTS,)):
        return
    webhook = Webhook()
    listen = "%s:%d" % (host, harness.free_port())
    am_dir, config, target = write_configs(tmp, webhook.server_address[1], harness.free_port())
    root_options, _ = container.root_mount_options()
    env = {"VITALS_IMAGE": tag, "PROMETHEUS_IMAGE": prometheus,
           "ALERTMANAGER_IMAGE": alertmanager, "VITALS_LISTEN_ADDRESS": listen,
           "VITALS_ROOT_MOUNT": root_options, "VITALS_CONFIG": config,
           "ALERTMANAGER_CONFIG": am_dir, "SCRAPE_INTERVAL": "1s",
           "EVALUATION_INTERVAL": "1s", "PROMETHEUS_HOST": host, "ALERTMANAGER_HOST": host}
    project = "vitalstest%d" % os.getpid()
    print("project %s: %s" % (project, " ".join("%s=%s" % kv for kv in sorted(env.items()))))
    compose = Compose(args.docker_compose, args.repo, project, env)
    try:
        step = time.monotonic()
        compose.run(["up", "-d", "--no-build"] + SERVICES, timeout=180)
        timings["up"] = time.monotonic() - step
        print("docker-compose up -d --no-build %s: %.1f s" % (" ".join(SERVICES),
                                                             timings["up"]))
        check_stack(failures, args.repo, host, listen, target, webhook, timings)
        if failures.items:
            print(compose.run(["logs", "--no-color", "--tail", "25"], check=False).stdout)
    finally:
        step = time.monotonic()
        down = compose.run(["down", "-v", "--remove-orphans"], timeout=180, check=False)
        timings["down"] = time.monotonic() - step
        webhook.stop()
    print("docker-compose down -v: exit %d in %.1f s" % (down.returncode, timings["down"]))
    failures.check(down.returncode == 0, "docker-compose down -v: exit %d: %s"
                   % (down.returncode, down.stderr[-2000:]))
    left = leftovers(engine, project)
    print("left of project %s: %s" % (project, left))
    failures.check(not any(left.values()), "docker-compose down -v left %s" % left)
    listening = [p for p in PORTS + (int(listen.rsplit(":", 1)[1]),) if port_in_use(host, p)]
    failures.check(not listening, "still listening after down: %s" % listening)


def read_image_tag(image_file, failures):
    """The exporter image deploy_image built (its tag, written to `image_file`)."""
    try:
        with open(image_file) as f:
            return f.read().strip()
    except OSError as e:
        failures.fail("no exporter image from deploy_image (%s): run deploy_image first "
                      "(ctest runs it first: fixture exporter_image)" % e)
        failures.exit()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", required=True)
    parser.add_argument("--image-file", required=True, help="deploy_image's image tag")
    parser.add_argument("--docker-compose", default=shutil.which("docker-compose"))
    args = parser.parse_args()
    args.repo = os.path.abspath(args.repo)
    failures = harness.Failures("deploy_compose")

    def body(tmp, timings):
        tag = read_image_tag(args.image_file, failures)
        with container.Engine(log_dir=tmp) as engine:
            if not failures.check(engine.has_image(tag), "image %s is gone" % tag):
                return
            timings["base image"] = container.ensure_base_image(engine)
            run_stack(failures, args, engine, tag, tmp, timings)
    container.run_test(failures, {"docker-compose": args.docker_compose}, body,
                       "vitals-compose-")
    failures.exit()


if __name__ == "__main__":
    main()
