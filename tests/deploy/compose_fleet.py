#!/usr/bin/env python3
"""deploy compose fleet: docker-compose.yml's `fleet` profile up as a user starts it
(`docker-compose --profile fleet up -d --scale prometheus=0 --scale alertmanager=0`),
its HA pieces checked for real, then
`docker-compose --profile fleet down -v` must leave nothing of the project.

1. Images: the exporter is deploy_image's (fixture "exporter_image", `--no-build`);
   Prometheus and Alertmanager are Debian's packages in images FROM debian:12
   (compose.package_image, the same tags as deploy_compose); VictoriaMetrics is Debian's
   `victoria-metrics` 1.79.5 the same way (vitals-test/victoria-metrics:<hash>), through
   VICTORIAMETRICS_IMAGE. Debian's binary is /usr/bin/victoria-metrics with the same
   flags as the official image's /victoria-metrics-prod, so the compose file's command
   line (flags only) serves both.
   The single-site Prometheus and Alertmanager are left out as docs/fleet.md tells users
   (`--scale prometheus=0 --scale alertmanager=0`: started with the profile, the single
   Prometheus sends every alert to its own Alertmanager too, a second notification
   outside the cluster; this test saw two when it started them). Grafana too (not in
   Debian, no registry here; GRAFANA_IMAGE is set to an image present only because
   docker-compose 1.29 pulls a missing image even for a service scaled to 0).
2. Variables as a user sets them: a unique project (-p), VITALS_LISTEN_ADDRESS on a free
   loopback port and FLEET_TARGETS a file_sd directory listing it, VITALS_ROOT_MOUNT,
   SCRAPE_INTERVAL and EVALUATION_INTERVAL 1s, VITALS_CONFIG with an HTTP probe of a
   closed port, ALERTMANAGER_CONFIG sending every alert to a webhook on 127.0.0.1
   (group_wait 1s, group_interval 1m: above twice the cluster's 15 s peer timeout, as
   docs/fleet.md asks).
3. Checks: each replica (:9091, :9092) has the exporter's target up with its own
   `replica` external label; the cluster (:9193-:9195) reports 3 peers on every member;
   each replica has the three Alertmanagers active; both replicas remote-write to
   VictoriaMetrics (:8428): each replica's highest sent timestamp advances (the config
   drops `replica` before writing, so VictoriaMetrics cannot tell them apart) and
   VictoriaMetrics answers `up{job="vitals"}` as one series with the exporter's
   instance and no replica label; VitalsProbeDown (the failing probe, as deploy_compose:
   real exporter data, no `for:`) is sent by both replicas to all three members
   (prometheus_notifications_sent_total) and reaches the webhook as exactly one
   notification, counted for 35 s after the first (past the third member's 30 s
   wait, when it would send what the others had not).
4. `down -v`: no container, volume or network of the project left, nothing listening
   on the profile's ports or the exporter's.

`down -v` runs on every path. Needs root or a Docker daemon; exit 77 only without both.

  compose_fleet.py --repo . --image-file build/tests/deploy/exporter-image
"""
import argparse
import json
import os
import re
import shutil
import sys
import time
import urllib.parse
import urllib.request

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import compose  # noqa: E402
import container  # noqa: E402
import harness  # noqa: E402

# The single-site services left out as docs/fleet.md says (`--scale NAME=0`): the single
# Prometheus would send every alert to its own Alertmanager too, outside the cluster
# (a second notification, seen when this test started them); Grafana is not in Debian.
SCALED_OUT = ["prometheus", "alertmanager", "grafana"]
REPLICAS = {"1": "http://127.0.0.1:9091", "2": "http://127.0.0.1:9092"}
MEMBERS = ["http://127.0.0.1:%d" % port for port in (9193, 9194, 9195)]
VICTORIAMETRICS = "http://127.0.0.1:8428"
PORTS = [9091, 9092, 9193, 9194, 9195, 9196, 9197, 9198, 8428]
ALERT = compose.ALERT
DEDUP_WAIT = 35  # Two peer timeouts (15 s each) and a margin.


def get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode()


def data(url):
    return json.loads(get(url))["data"]


def metric(text, name):
    """The sum of `name`'s samples in an exposition."""
    values = [float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
              if line.startswith(name + ("" if name.endswith('"') else "{"))
              or line.startswith(name + " ")]
    return sum(values) if values else None


def write_targets(tmp, listen):
    directory = os.path.join(tmp, "targets")
    os.makedirs(directory)
    with open(os.path.join(directory, "local.yml"), "w") as f:
        f.write("- targets: ['%s']\n" % listen)
    return directory


def check_replicas(failures, listen, timings):
    instance = listen.rsplit(":", 1)[0]  # The replica config's relabelling drops the port.
    for replica, url in REPLICAS.items():
        def scraped():
            query = urllib.parse.quote('up{job="vitals"}')
            result = data(url + "/api/v1/query?query=" + query)["result"]
            got = [(r["metric"].get("instance"), r["value"][1]) for r in result]
            return got == [(instance, "1")], got
        ok, detail, timings["up %s" % replica] = compose.poll(
            "replica %s: up == 1" % replica, scraped, 60)
        print("  replica %s: up{job=\"vitals\"} (instance, value) %s, want %s"
              % (replica, detail, [(instance, "1")]))
        failures.check(ok, "replica %s: up %s, want %s" % (replica, detail,
                                                           [(instance, "1")]))
        # External labels show on what leaves a replica (alerts, remote write), not in
        # its own queries: the loaded configuration says which it is.
        loaded = data(url + "/api/v1/status/config")["yaml"]
        label = re.search(r"external_labels:\n\s+replica: \"?([^\"\n]*)", loaded)
        print("  replica %s: external label replica=%s" % (
            replica, label.group(1) if label else None))
        failures.check(label and label.group(1) == replica, "replica %s: external_labels "
                       "replica %s, want %s" % (replica, label and label.group(1), replica))

        def alertmanagers():
            urls = sorted(a["url"] for a in data(url + "/api/v1/alertmanagers")
                          ["activeAlertmanagers"])
            return urls == [m + "/api/v2/alerts" for m in MEMBERS], urls
        ok, detail, _ = compose.poll("replica %s: three Alertmanagers" % replica,
                                     alertmanagers, 30)
        failures.check(ok, "replica %s: active Alertmanagers %s, want %s" % (
            replica, detail, MEMBERS))


def check_cluster(failures, timings):
    def peers():
        counts = []
        for member in MEMBERS:
            status = json.loads(get(member + "/api/v2/status"))
            counts.append((len(status["cluster"].get("peers") or []),
                           status["cluster"].get("status")))
        return counts == [(3, "ready")] * 3, counts
    ok, detail, timings["cluster"] = compose.poll("the cluster: 3 peers on each member",
                                                  peers, 60)
    print("  cluster (peers, status) per member: %s" % detail)
    failures.check(ok, "cluster peers/status per member %s, want 3, ready" % detail)


def check_remote_write(failures, listen, started):
    """Each replica has sent samples scraped after `started` (its highest sent timestamp,
    a gauge set when VictoriaMetrics accepted them)."""

    def written():
        sent = {}
        for replica, url in REPLICAS.items():
            sent[replica] = metric(get(url + "/metrics"),
                                   "prometheus_remote_storage_queue_highest_sent_timestamp_seconds")
        query = urllib.parse.quote('up{job="vitals"}')
        result = data(VICTORIAMETRICS + "/api/v1/query?query=" + query)["result"]
        series = [r["metric"] for r in result]
        fresh = all(t is not None and t > started for t in sent.values())
        return fresh and len(series) == 1 and "replica" not in series[0], (sent, series)
    ok, (sent, series), _ = compose.poll("both replicas write to VictoriaMetrics", written, 30)
    print("  highest sent timestamp per replica %s (want after %.0f); "
          "VictoriaMetrics up{job=\"vitals\"}: %s" % (sent, started, series))
    failures.check(ok, "remote write: replicas' highest sent timestamps %s, want after %.0f; "
                   "VictoriaMetrics series %s, want one without replica" % (sent, started,
                                                                           series))
    failures.check(len(series) == 1 and series[0].get("instance") == listen.rsplit(":", 1)[0],
                   "VictoriaMetrics: up's instance %s, want %s" % (
                       series, listen.rsplit(":", 1)[0]))


def check_alert(failures, webhook, target, timings):
    def mine():
        return [alert for path, alert in webhook.alerts()
                if alert["labels"].get("alertname") == ALERT]

    def received():
        got = mine()
        return bool(got), got[:2]
    ok, detail, timings["alert"] = compose.poll("%s reached the webhook" % ALERT, received, 90)
    if not failures.check(ok, "the webhook did not receive %s: %s" % (
            ALERT, [a["labels"] for _, a in webhook.alerts()][:5])):
        return
    first = mine()[0]
    failures.check(first["status"] == "firing" and first["labels"].get("target") == target
                   and "replica" not in first["labels"],
                   "first notification: %s, want firing for %s without replica" % (
                       first["labels"], target))
    for replica, url in REPLICAS.items():
        text = get(url + "/metrics")
        sent = {m: metric(text, 'prometheus_notifications_sent_total{alertmanager="%s/api/v2/'
                          'alerts"' % m) for m in MEMBERS}
        print("  replica %s: notifications sent per Alertmanager %s" % (replica, sent))
        failures.check(all(sent.values()), "replica %s sent no alert to some member: %s"
                       % (replica, sent))
    time.sleep(DEDUP_WAIT)
    with webhook.lock:
        bodies = [body for _, body in webhook.bodies]
    notifications = [body for body in bodies
                     if any(a["labels"].get("alertname") == ALERT for a in body["alerts"])]
    print("  %d notification(s) of %s in %d s after the first: %s" % (
        len(notifications), ALERT, DEDUP_WAIT,
        [(n["status"], n["groupKey"], len(n["alerts"])) for n in notifications]))
    failures.check(len(notifications) == 1, "%d notifications of %s's group, want 1 "
                   "(both replicas send it, the cluster must notify once)"
                   % (len(notifications), ALERT))


def run_fleet(failures, args, engine, tag, tmp, timings):
    step = time.monotonic()
    prometheus = container.ensure_image(engine, "vitals-test/prometheus", compose.package_image(
        "prometheus", "prometheus", "/usr/bin/prometheus", "/prometheus"))
    alertmanager = container.ensure_image(
        engine, "vitals-test/alertmanager", compose.package_image(
            "prometheus-alertmanager", "prometheus", "/usr/bin/prometheus-alertmanager",
            "/alertmanager"))
    victoriametrics = container.ensure_image(
        engine, "vitals-test/victoria-metrics", compose.package_image(
            "victoria-metrics", "_victoria-metrics", "/usr/bin/victoria-metrics", "/storage"))
    timings["peer images"] = time.monotonic() - step
    busy = [port for port in PORTS if compose.port_in_use("127.0.0.1", port)]
    if not failures.check(not busy, "127.0.0.1 ports %s are in use: the fleet profile "
                          "needs them" % busy):
        return
    webhook = compose.Webhook()
    listen = "127.0.0.1:%d" % harness.free_port()
    am_dir, config, target = compose.write_configs(tmp, webhook.server_address[1],
                                                   harness.free_port())
    with open(os.path.join(am_dir, "alertmanager.yml")) as f:
        am_config = f.read()
    with open(os.path.join(am_dir, "alertmanager.yml"), "w") as f:
        f.write(am_config.replace("group_wait: 0s", "group_wait: 1s")
                .replace("group_interval: 1s", "group_interval: 1m"))
    targets = write_targets(tmp, listen)
    compose.readable(tmp)
    root_options, _ = container.root_mount_options()
    env = {"VITALS_IMAGE": tag, "PROMETHEUS_IMAGE": prometheus,
           "ALERTMANAGER_IMAGE": alertmanager, "VICTORIAMETRICS_IMAGE": victoriametrics,
           "VITALS_LISTEN_ADDRESS": listen, "VITALS_ROOT_MOUNT": root_options,
           "VITALS_CONFIG": config, "ALERTMANAGER_CONFIG": am_dir, "FLEET_TARGETS": targets,
           "SCRAPE_INTERVAL": "1s", "EVALUATION_INTERVAL": "1s",
           "PROMETHEUS_HOST": "127.0.0.1", "ALERTMANAGER_HOST": "127.0.0.1",
           # Scaled to 0, never started; docker-compose 1.29 still pulls the image of
           # every service it is told about, and no registry answers here.
           "GRAFANA_IMAGE": prometheus}
    project = "vitalsfleet%d" % os.getpid()
    print("project %s: %s" % (project, " ".join("%s=%s" % kv for kv in sorted(env.items()))))
    fleet = compose.Compose(args.docker_compose, args.repo, project, env)
    try:
        step = time.monotonic()
        up = ["--profile", "fleet", "up", "-d", "--no-build"] + [
            "--scale=%s=0" % name for name in SCALED_OUT]
        fleet.run(up, timeout=180)
        timings["up"] = time.monotonic() - step
        print("docker-compose %s: %.1f s" % (" ".join(up), timings["up"]))
        running = fleet.run(["--profile", "fleet", "ps", "--services", "--filter",
                             "status=running"]).stdout.split()
        print("  running: %s" % sorted(running))
        failures.check(not set(running) & set(SCALED_OUT) and len(running) == 7,
                       "running services %s: want the exporter and the 6 of the fleet "
                       "profile" % sorted(running))
        check_replicas(failures, listen, timings)
        check_cluster(failures, timings)
        since = time.time()
        check_alert(failures, webhook, target, timings)
        # After the alert's 35 s: Prometheus 2.42 reads its WAL for remote write every
        # 15 s, checked first this waited 25 s.
        check_remote_write(failures, listen, since)
        if failures.items:
            print(fleet.run(["--profile", "fleet", "logs", "--no-color", "--tail", "15"],
                            check=False).stdout)
    finally:
        step = time.monotonic()
        down = fleet.run(["--profile", "fleet", "down", "-v", "--remove-orphans"],
                         timeout=180, check=False)
        timings["down"] = time.monotonic() - step
        webhook.stop()
    print("docker-compose --profile fleet down -v: exit %d in %.1f s"
          % (down.returncode, timings["down"]))
    failures.check(down.returncode == 0, "docker-compose down -v: exit %d: %s"
                   % (down.returncode, down.stderr[-2000:]))
    left = compose.leftovers(engine, project)
    print("left of project %s: %s" % (project, left))
    failures.check(not any(left.values()), "docker-compose down -v left %s" % left)
    listening = [p for p in PORTS + [int(listen.rsplit(":", 1)[1])]
                 if compose.port_in_use("127.0.0.1", p)]
    failures.check(not listening, "still listening after down: %s" % listening)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", required=True)
    parser.add_argument("--image-file", required=True, help="deploy_image's image tag")
    parser.add_argument("--docker-compose", default=shutil.which("docker-compose"))
    args = parser.parse_args()
    args.repo = os.path.abspath(args.repo)
    failures = harness.Failures("deploy_compose_fleet")

    def body(tmp, timings):
        tag = compose.read_image_tag(args.image_file, failures)
        with container.Engine(log_dir=tmp) as engine:
            if not failures.check(engine.has_image(tag), "image %s is gone" % tag):
                return
            timings["base image"] = container.ensure_base_image(engine)
            run_fleet(failures, args, engine, tag, tmp, timings)
    container.run_test(failures, {"docker-compose": args.docker_compose}, body,
                       "vitals-fleet-")
    failures.exit()


if __name__ == "__main__":
    main()
