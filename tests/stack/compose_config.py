#!/usr/bin/env python3
"""docker-compose.yml, Dockerfile and stack/ hang together (no Docker engine needed).

- `docker-compose -f docker-compose.yml config -q` accepts the file;
- every host path it mounts exists, and the build context has the Dockerfile;
- every COPY source of the Dockerfile exists;
- the image is a build stage on debian:12 and a runtime stage FROM scratch with the
  files the build stage collects (ldd of the exporter and of the libraries its
  sources dlopen(), each of which the Dockerfile names);
- stack/prometheus/prometheus.yml passes `promtool check config` with the rules it
  mounts, and the Grafana provisioning points where compose mounts the dashboards.

Python 3 standard library only.
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness  # noqa: E402

SETTINGS = ("PROMETHEUS_RETENTION", "VITALS_LISTEN_ADDRESS", "VITALS_CONFIG", "PROMETHEUS_HOST",
            "ALERTMANAGER_HOST", "GRAFANA_HOST", "GRAFANA_ADMIN_PASSWORD", "PROMETHEUS_IMAGE",
            "ALERTMANAGER_IMAGE", "GRAFANA_IMAGE", "VICTORIAMETRICS_IMAGE",
            "VICTORIAMETRICS_RETENTION", "VITALS_IMAGE", "VITALS_ROOT_MOUNT",
            "ALERTMANAGER_CONFIG", "SCRAPE_INTERVAL", "EVALUATION_INTERVAL")
# Services of the "fleet" profile (docs/fleet.md), checked apart by check_fleet.
FLEET_PREFIXES = ("prometheus-replica-", "alertmanager-cluster-", "victoriametrics")


def compose_config(failures, compose, repo):
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    quiet = subprocess.run([compose, "-f", os.path.join(repo, "docker-compose.yml"), "config", "-q"],
                           capture_output=True, text=True, timeout=60, env=env, cwd=repo)
    failures.check(quiet.returncode == 0, "docker-compose config -q: rc %d: %s"
                   % (quiet.returncode, quiet.stderr.strip()))
    full = subprocess.run([compose, "-f", os.path.join(repo, "docker-compose.yml"), "config"],
                          capture_output=True, text=True, timeout=60, env=env, cwd=repo)
    failures.check(full.returncode == 0 and "services:" in full.stdout,
                   "docker-compose config: rc %d: %s" % (full.returncode, full.stderr.strip()))
    return full.stdout


def mounts(resolved):
    """[(host path, container path)] of the bind mounts in `docker-compose config` output."""
    found = []
    for line in resolved.splitlines():
        match = re.match(r"\s*- (/[^:]*):(/[^:]*)(:\w+(,\w+)*)?$", line)
        if match:
            found.append((match.group(1), match.group(2)))
    return found


def services(resolved):
    """{service name: its block of `docker-compose config` output}."""
    section = re.split(r"^services:\n", resolved, maxsplit=1, flags=re.M)[-1]
    section = re.split(r"^\S", section, maxsplit=1, flags=re.M)[0]
    blocks = re.split(r"^  (\S+):\n", section, flags=re.M)[1:]
    return dict(zip(blocks[0::2], blocks[1::2]))


def single_host(resolved):
    """The services `docker-compose up` starts (no profile)."""
    return "".join(block for name, block in services(resolved).items()
                   if not name.startswith(FLEET_PREFIXES))


def check_compose(failures, resolved, repo):
    binds = mounts(single_host(resolved))
    failures.check(len(binds) >= 6, "expected at least 6 bind mounts, got %s" % binds)
    for source, _ in binds:
        failures.check(os.path.exists(source), "mounted host path missing: " + source)
    contexts = re.findall(r"^\s+context: (\S+)$", resolved, re.M)
    failures.check(contexts, "no build context for vitals_exporter")
    for context in contexts:
        failures.check(os.path.isfile(os.path.join(context, "Dockerfile")), "no Dockerfile in " + context)
    retention = re.search(r"--storage.tsdb.retention.time=(\S+)", resolved)
    failures.check(retention and retention.group(1) == "15d",
                   "default retention is not 15d: %s" % (retention and retention.group(0)))
    return dict((target, source) for source, target in binds)


def check_dockerfile(failures, repo, exporter):
    """A build stage on debian:12 and a runtime stage FROM scratch holding what the build
    stage collects in /rootfs: the libraries ldd lists for the exporter (its NEEDED ones,
    printed here) and for the libraries it dlopen()s, whose names must be in the
    Dockerfile. deploy_image runs the image for real."""
    with open(os.path.join(repo, "Dockerfile")) as f:
        text = f.read()
    stages = re.findall(r"^FROM (\S+)", text, re.M)
    failures.check(len(stages) == 2 and stages[0].startswith("debian:12") and stages[1] == "scratch",
                   "Dockerfile: want a build stage on debian:12 and a runtime stage FROM scratch: %s"
                   % stages)
    failures.check(re.search(r"^USER (?!root|0\b)\S+", text, re.M), "Dockerfile: no non-root USER")
    failures.check("scripts/install-deps.sh build" in text,
                   "Dockerfile: does not install the build packages with scripts/install-deps.sh build")
    for source in re.findall(r"^COPY (?!--from)(\S+)", text, re.M):
        failures.check(os.path.exists(os.path.join(repo, source)), "Dockerfile: COPY source missing: " + source)
    runtime = text[text.rfind("FROM "):]
    failures.check("COPY --from=build /rootfs /" in runtime,
                   "Dockerfile: the runtime stage does not copy the build stage's /rootfs")
    failures.check(re.search(r"ldd /build/vitals_exporter \$dlopened", text),
                   "Dockerfile: the libraries are not collected with ldd of the exporter and the "
                   "dlopen()ed ones")
    needed = subprocess.run(["readelf", "-d", exporter], capture_output=True, text=True,
                            check=True).stdout
    print("vitals_exporter links: %s" % " ".join(
        re.findall(r"\(NEEDED\)\s+Shared library: \[(\S+)\]", needed)))
    sources = ""
    for path in glob.glob(os.path.join(repo, "exporter", "**", "*.cc"), recursive=True):
        with open(path) as f:
            sources += f.read()
    dlopened = set(re.findall(r'"(lib(?:curl|ssl|crypto|systemd|bpf)\.so[.\d]*)"', sources))
    print("the sources dlopen(): %s" % sorted(dlopened))
    failures.check({"libcurl.so.4", "libssl.so", "libcrypto.so", "libsystemd.so.0",
                    "libbpf.so.1"} <= dlopened,
                   "the sources no longer dlopen() what this test expects: %s" % sorted(dlopened))
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    # Built with -DVITALS_BPF=OFF, the image's exporter never loads libbpf.so.1.
    if re.search(r"-DVITALS_BPF=OFF\b", code):
        print("the image is built with -DVITALS_BPF=OFF: libbpf.so.1 not needed in it")
        dlopened.discard("libbpf.so.1")
    for name in sorted(dlopened):
        failures.check(re.search(r"(?<![\w.])%s(?![\w.])" % re.escape(name), code),
                       "Dockerfile: %s (dlopen()ed by the exporter) is not put in the image" % name)


def check_prometheus(failures, repo, mounted):
    config = os.path.join(repo, "stack", "prometheus", "prometheus.yml")
    failures.check(mounted.get("/etc/prometheus/prometheus.yml") == config,
                   "compose does not mount stack/prometheus/prometheus.yml")
    rules_dir = mounted.get("/etc/prometheus/rules")
    failures.check(rules_dir == os.path.join(repo, "rules"), "compose does not mount rules/")
    with open(config) as f:
        text = f.read()
    failures.check("/etc/prometheus/rules/*.yml" in text, "prometheus.yml does not load the mounted rules")
    failures.check(glob.glob(os.path.join(repo, "rules", "*.yml")), "no rules/*.yml")
    promtool = shutil.which("promtool")
    if not failures.check(promtool, "promtool not installed (scripts/install-deps.sh test)"):
        return
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "prometheus.yml")
        with open(copy, "w") as f:
            f.write(text.replace("/etc/prometheus/rules/", os.path.join(repo, "rules") + "/"))
        result = subprocess.run([promtool, "check", "config", copy], capture_output=True, text=True,
                                timeout=60)
        failures.check(result.returncode == 0 and "SUCCESS" in result.stdout + result.stderr,
                       "promtool check config: %s %s" % (result.stdout, result.stderr))
        failures.check(re.search(r"SUCCESS: [1-9]\d* rules found", result.stdout + result.stderr),
                       "promtool found no rules: " + result.stdout)


def check_grafana(failures, repo, mounted, resolved):
    provisioning = os.path.join(repo, "stack", "grafana", "provisioning")
    failures.check(mounted.get("/etc/grafana/provisioning") == provisioning,
                   "compose does not mount stack/grafana/provisioning")
    with open(os.path.join(provisioning, "dashboards", "vitals.yml")) as f:
        path = re.search(r"^\s+path: (\S+)", f.read(), re.M)
    failures.check(path and mounted.get(path.group(1)) == os.path.join(repo, "dashboards"),
                   "the dashboard provider's path is not where compose mounts dashboards/")
    home = re.search(r"GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH: (\S+)", resolved)
    if failures.check(home and path, "no home dashboard"):
        relative = os.path.relpath(home.group(1), path.group(1))
        failures.check(os.path.isfile(os.path.join(repo, "dashboards", relative)),
                       "home dashboard missing: " + home.group(1))
    with open(os.path.join(provisioning, "datasources", "vitals.yml")) as f:
        datasources = f.read()
    failures.check("url: http://localhost:9090" in datasources and ":9090" in resolved,
                   "the data source URL is not the Prometheus address")
    failures.check("url: http://localhost:8428" in datasources,
                   "no VictoriaMetrics data source for the fleet profile")


def check_fleet(failures, repo, resolved):
    """The fleet profile: two replicas on the shipped replica config, the cluster's
    members peering with each other, and the config's addresses theirs."""
    fleet = {name: block for name, block in services(resolved).items()
             if name.startswith(FLEET_PREFIXES)}
    failures.check(all("- fleet" in block for block in fleet.values()),
                   "a fleet service is not in profile fleet")
    replicas = [b for n, b in fleet.items() if n.startswith("prometheus-replica-")]
    members = [b for n, b in fleet.items() if n.startswith("alertmanager-cluster-")]
    failures.check(len(replicas) == 2 and len(members) == 3,
                   "fleet profile: %d replicas and %d Alertmanagers, want 2 and 3"
                   % (len(replicas), len(members)))
    config_path = os.path.join(repo, "stack", "fleet", "prometheus-replica.yml")
    for block in replicas:
        failures.check("%s:/etc/prometheus/prometheus.yml" % config_path in block,
                       "a replica does not mount stack/fleet/prometheus-replica.yml")
    replica_ids = [re.search(r"PROMETHEUS_REPLICA: '?(\w+)", b) for b in replicas]
    failures.check(all(replica_ids) and len({m.group(1) for m in replica_ids}) == 2,
                   "the replicas' PROMETHEUS_REPLICA values are not distinct")
    with open(config_path) as f:
        config = f.read()
    web = sorted(re.search(r"--web.listen-address=\S*:(\d+)", b).group(1) for b in members)
    listed = sorted(re.findall(r"'localhost:(\d+)'", config))
    failures.check(web == listed, "prometheus-replica.yml sends alerts to %s; the cluster "
                   "listens on %s" % (listed, web))
    gossip = {re.search(r"--cluster.listen-address=\S*:(\d+)", b).group(1) for b in members}
    for block in members:
        peers = set(re.findall(r"--cluster.peer=\S*:(\d+)", block))
        own = re.search(r"--cluster.listen-address=\S*:(\d+)", block).group(1)
        failures.check(peers == gossip - {own}, "an Alertmanager peers with %s, not the "
                       "other members %s" % (sorted(peers), sorted(gossip - {own})))
    vm = fleet.get("victoriametrics", "")
    vm_port = re.search(r"-httpListenAddr=\S*:(\d+)", vm)
    failures.check(vm_port and "localhost:%s/api/v1/write" % vm_port.group(1) in config,
                   "prometheus-replica.yml does not remote-write to the VictoriaMetrics service")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", required=True)
    parser.add_argument("--exporter", required=True, help="built vitals_exporter (for its NEEDED libraries)")
    parser.add_argument("--docker-compose", default=shutil.which("docker-compose") or "docker-compose")
    args = parser.parse_args()
    repo = os.path.abspath(args.repo)
    failures = harness.Failures("stack_compose")
    resolved = compose_config(failures, args.docker_compose, repo)
    mounted = check_compose(failures, resolved, repo)
    check_dockerfile(failures, repo, args.exporter)
    check_prometheus(failures, repo, mounted)
    check_grafana(failures, repo, mounted, resolved)
    check_fleet(failures, repo, resolved)
    return failures.exit()


if __name__ == "__main__":
    sys.exit(main())
