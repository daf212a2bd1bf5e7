#!/usr/bin/env python3
"""deploy image: the repository's Dockerfile, built and run against the host the way
docs/stack.md tells users, reporting the host's mounts, interfaces and processes.

1. Docker (container.py): the running daemon, else dockerd started here; debian:12 and
   debian:12-slim (the Dockerfile's stages) made with debootstrap when missing. Builds
   the Dockerfile with the classic builder, context the repository, as
   vitals-test/exporter:<hash of the build directory's path> (kept: the next build of an
   unchanged tree is all cache hits), prints the image's size, and writes the tag to
   --image-file for deploy_compose (the ctest fixture "exporter_image": deploy_compose
   runs after this test, with this image, and not when it failed).
2. Three containers on the host's network and PID namespace with the host's / read-only
   at /host (`ro,rslave` where / is a shared mount, else `ro`: what docs/stack.md
   tells users, container.root_mount_options()), each on a free loopback port:
   - "documented": the `docker run` line of docs/stack.md's "The image alone" (the
     block after its "deploy_image runs this command" marker), image and name
     replaced, plus --web.listen-address and --collector.processes: the image's default
     user (vitals, uid 10100), and the arguments must add to the image's entry point
     (its --config.file must still be in the process's argv and the log);
   - "root": `--user 0` with the vitals_exporter service's arguments from
     `docker-compose config` (VITALS_LISTEN_ADDRESS set to the test's port), plus
     --collector.processes;
   - "tls": the default user with a configuration (mounted over /etc/vitals/vitals.yml)
     turning on TLS (--web.config.file, certificates from openssl) and an HTTPS probe of
     its own landing page: civetweb's dlopen() of libssl.so and the probes' dlopen() of
     libcurl must work in the image (it has no libssl-dev any more).
3. For the first two: the process's uid (host /proc/PID/status) is the one asked for;
   node_filesystem_device_error's mountpoints are the host's /proc/1/mountinfo (else
   /proc/self/mountinfo) mount points less the packaged excludes of
   packaging/vitals.yml; node_network_receive_bytes_total's and node_network_up's
   devices are the host's /sys/class/net; node_processes_pids is near the number of
   PIDs in the host's /proc (the container's own /proc would hold 1). These prove that
   the exporter reads the host through /host (its arguments reached it): /host/proc is
   the host's procfs and lists the host's PIDs and PID 1's mounts whatever the
   container's PID namespace, so they do not tell --pid host from its absence. The
   host is read before and after each scrape: what is in both must be reported, what is
   reported must be in one (other containers come and go on this machine).

Every container is removed on every path, dockerd stopped when this test started it.
Needs root, or a Docker daemon that answers; exit 77 (skip) only when neither holds.

  image.py --repo . --build-dir build --image-file build/tests/deploy/exporter-image
"""
import argparse
import hashlib
import os
import re
import shlex
import shutil
import ssl
import subprocess
import sys
import time
import urllib.request

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import container  # noqa: E402
import harness  # noqa: E402
import tls_fixtures  # noqa: E402

REPOSITORY = "vitals-test/exporter"
DOCS_MARKER = "deploy_image runs this command"
DOCS_IMAGE = "vitals-exporter"
DEFAULT_UID = 10100  # The Dockerfile's user vitals.
PROCESS_SLACK = 25  # PIDs that may come and go between reading /proc and the scrape.


def image_tag(build_dir):
    """One tag per build directory: two checkouts sharing a daemon do not overwrite
    each other's image."""
    digest = hashlib.sha256(os.path.abspath(build_dir).encode()).hexdigest()[:12]
    return "%s:%s" % (REPOSITORY, digest)


def build_image(engine, repo, tag, timings):
    started = time.monotonic()
    result = engine.run(["build", "--tag", tag, repo], timeout=1500)
    timings["image build"] = time.monotonic() - started
    steps = len(re.findall(r"^Step \d+/\d+", result.stdout, re.M))
    cached = result.stdout.count("Using cache")
    print("docker: built %s from %s/Dockerfile in %.1f s (%d of %d steps from the cache)"
          % (tag, repo, timings["image build"], cached, steps))


def report_size(engine, tag):
    size = int(engine.run(["image", "inspect", "-f", "{{.Size}}", tag]).stdout)
    print("image size: %.1f MB" % (size / 1e6))
    history = engine.run(["history", "--format", "{{.Size}}\t{{.CreatedBy}}", tag]).stdout
    for line in history.splitlines()[:6]:
        print("  layer %s" % line[:110])
    return size


# --------------------------------------------------------------------------- the host


def unescape_mount(text):
    """mountinfo's octal escapes (\\040 for a space)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), text)


def packaged_excludes(repo):
    """packaging/vitals.yml's filesystem mount_points_exclude and fs_types_exclude."""
    with open(os.path.join(repo, "packaging", "vitals.yml")) as f:
        text = f.read()
    found = {}
    for key in ("mount_points_exclude", "fs_types_exclude"):
        match = re.search(r'^\s+%s: "(.*)"$' % key, text, re.M)
        if match is None:
            raise RuntimeError("packaging/vitals.yml has no filesystem %s" % key)
        found[key] = re.compile(match.group(1).replace("\\\\", "\\"))
    return found


def host_mounts(excludes):
    path = "/proc/1/mountinfo" if os.access("/proc/1/mountinfo", os.R_OK) \
        else "/proc/self/mountinfo"
    points = set()
    with open(path) as f:
        for line in f:
            parts = line.split()
            mount_point = unescape_mount(parts[4])
            fs_type = parts[parts.index("-") + 1]
            if excludes["mount_points_exclude"].search(mount_point) or \
                    excludes["fs_types_exclude"].search(fs_type):
                continue
            points.add(mount_point)
    return points, path


def host_interfaces():
    return set(os.listdir("/sys/class/net"))


def host_pids():
    return sum(1 for name in os.listdir("/proc") if name.isdigit())


def host_view(excludes):
    mounts, source = host_mounts(excludes)
    return {"mounts": mounts, "interfaces": host_interfaces(), "pids": host_pids(),
            "mountinfo": source}


# --------------------------------------------------------------------------- runs


def documented_command(repo):
    """The `docker run` words of docs/stack.md's block after DOCS_MARKER."""
    with open(os.path.join(repo, "docs", "stack.md")) as f:
        text = f.read()
    at = text.find(DOCS_MARKER)
    if at < 0:
        raise RuntimeError("docs/stack.md: no %r marker" % DOCS_MARKER)
    block = re.search(r"```\w*\n(.*?)```", text[at:], re.S)
    words = shlex.split(block.group(1).replace("\\\n", " "))
    if words[:2] != ["docker", "run"]:
        raise RuntimeError("docs/stack.md: the block after the marker is not a docker run "
                           "line: %s" % words)
    return words[2:]


def adapt_documented(words, name, tag, root_options):
    """The documented arguments with this run's name and image, and the options of /
    a user on this host is told to write (ro where / is not shared)."""
    if "-d" not in words or "--name" not in words:
        raise RuntimeError("the documented line lacks -d or --name: %s" % words)
    out = []
    for i, word in enumerate(words):
        if i > 0 and words[i - 1] == "--name":
            word = name
        elif word == DOCS_IMAGE:
            word = tag
        elif word == "/:/host:ro,rslave":
            word = "/:/host:" + root_options
        out.append(word)
    if tag not in out:
        raise RuntimeError("the documented line does not run image %r: %s" % (DOCS_IMAGE, words))
    return out


def compose_arguments(compose, repo, port):
    """The vitals_exporter service's command and volumes, from `docker-compose config`
    with VITALS_LISTEN_ADDRESS=127.0.0.1:PORT."""
    env = dict(os.environ, VITALS_LISTEN_ADDRESS="127.0.0.1:%d" % port)
    resolved = subprocess.run([compose, "-f", os.path.join(repo, "docker-compose.yml"),
                               "config"], capture_output=True, text=True, timeout=60,
                              env=env, cwd=repo, check=True).stdout
    block = re.search(r"^  vitals_exporter:\n(.*?)(?=^  \S)", resolved, re.M | re.S).group(1)
    command = re.search(r"^    command:\n((?:^    - .*\n)+)", block, re.M).group(1)
    return [line.strip()[2:] for line in command.splitlines()]


def tls_files(tmp, port):
    """A directory with a CA, a server certificate for 127.0.0.1, a web config and a
    vitals.yml with an HTTPS probe of the exporter's own landing page; readable by the
    image's user."""
    directory = os.path.join(tmp, "tls")
    os.makedirs(directory)
    tls_fixtures.make_ca(directory)
    tls_fixtures.make_signed(directory, "server", "/CN=vitals image test")
    tls_fixtures.write_web_config(os.path.join(directory, "web-config.yml"), tls={
        "cert_file": "/etc/vitals/tls/server.crt", "key_file": "/etc/vitals/tls/server.key"})
    with open(os.path.join(directory, "vitals.yml"), "w") as f:
        f.write("probes:\n  modules:\n    https_ca:\n      prober: http\n      timeout: 5s\n"
                "      http: {ca_file: /etc/vitals/tls/ca.crt}\n"
                "  targets:\n    - {target: 'https://127.0.0.1:%d/', module: https_ca}\n"
                % port)
    os.chmod(tmp, 0o755)
    for root, dirs, files in os.walk(directory):
        os.chmod(root, 0o755)
        for name in files:
            os.chmod(os.path.join(root, name), 0o644)
    return directory


def fetch(url, timeout=10, context=None):
    with urllib.request.urlopen(url, timeout=timeout, context=context) as response:
        return response.read().decode()


def wait_scrape(box, url, context=None, timeout=30):
    deadline = time.monotonic() + timeout
    error = None
    while time.monotonic() < deadline:
        try:
            return fetch(url, context=context)
        except OSError as e:
            error = e
        if box.inspect("{{.State.Running}}") != "true":
            break
        time.sleep(0.3)
    raise container.DockerError("%s did not answer on %s (%s); its log:\n%s"
                                % (box.name, url, error, box.logs()))


def process_uid(box):
    pid = int(box.inspect("{{.State.Pid}}"))
    with open("/proc/%d/status" % pid) as f:
        uid = re.search(r"^Uid:\s+(\d+)", f.read(), re.M).group(1)
    with open("/proc/%d/cmdline" % pid, "rb") as f:
        argv = f.read().decode(errors="replace").split("\0")[:-1]
    return int(uid), argv


def labels_of(scrape, family, label):
    return {dict(key)[label] for key in scrape.find(family)}


def compare_set(failures, what, got, before, after):
    missing = sorted((before & after) - got)
    extra = sorted(got - (before | after))
    print("  %s: %d reported, host %d before / %d after%s%s" % (
        what, len(got), len(before), len(after),
        "; missing %s" % missing if missing else "", "; extra %s" % extra if extra else ""))
    failures.check(not missing and not extra and got,
                   "%s: missing %s, not the host's %s" % (what, missing, extra))


def check_host_view(failures, label, scrape, before, after):
    print("%s: compared with the host (%s):" % (label, before["mountinfo"]))
    compare_set(failures, label + ": mount points",
                labels_of(scrape, "node_filesystem_device_error", "mountpoint"),
                before["mounts"], after["mounts"])
    for family in ("node_network_receive_bytes_total", "node_network_up"):
        compare_set(failures, "%s: %s devices" % (label, family),
                    labels_of(scrape, family, "device"), before["interfaces"],
                    after["interfaces"])
    pids = scrape.get("node_processes_pids")
    low = min(before["pids"], after["pids"]) - PROCESS_SLACK
    high = max(before["pids"], after["pids"]) + PROCESS_SLACK
    print("  node_processes_pids %s, the host's /proc %d before / %d after"
          % (pids, before["pids"], after["pids"]))
    failures.check(pids is not None and low <= pids <= high and pids > 1,
                   "%s: node_processes_pids %s, the host's /proc holds %d..%d"
                   % (label, pids, before["pids"], after["pids"]))
    for collector in ("filesystem", "netdev", "netclass", "processes"):
        success = scrape.get("vitals_scrape_collector_success", collector=collector)
        failures.check(success == 1, "%s: collector %s success %s" % (label, collector,
                                                                       success))


def check_process(failures, label, box, want_uid, want_args):
    uid, argv = process_uid(box)
    print("%s: uid %d, argv %s" % (label, uid, " ".join(argv)))
    failures.check(uid == want_uid, "%s: runs as uid %d, want %d" % (label, uid, want_uid))
    failures.check(argv[:2] == ["/usr/bin/vitals_exporter", "--config.file=/etc/vitals/vitals.yml"],
                   "%s: argv does not start with the entry point and its config file: %s"
                   % (label, argv))
    for arg in want_args:
        failures.check(arg in argv, "%s: %s missing from argv" % (label, arg))
    log = box.logs()
    failures.check(re.search(r'config=\\?"/etc/vitals/vitals.yml\\?"', log),
                   "%s: the log does not say it loaded /etc/vitals/vitals.yml:\n%s"
                   % (label, log))


def run_host_checks(failures, engine, box, label, port, excludes, want_uid, want_args):
    url = "http://127.0.0.1:%d/metrics" % port
    wait_scrape(box, url)
    before = host_view(excludes)
    text = fetch(url)
    after = host_view(excludes)
    check_process(failures, label, box, want_uid, want_args)
    check_host_view(failures, label, harness.parse(text), before, after)


def run_tls_checks(failures, box, directory, port):
    context = ssl.create_default_context(cafile=os.path.join(directory, "ca.crt"))
    url = "https://127.0.0.1:%d/metrics" % port
    text = wait_scrape(box, url, context=context)
    time.sleep(0.2)
    scrape = harness.parse(fetch(url, context=context))  # The probe ran during the first.
    print("tls: scraped %s (%d samples)" % (url, len(scrape.samples)))
    success = scrape.find("probe_success")
    print("tls: probe_success %s" % {tuple(sorted(dict(k).items())): v
                                     for k, v in success.items()})
    failures.check(len(success) == 1 and list(success.values()) == [1],
                   "tls: the HTTPS probe of the exporter itself (libcurl) did not succeed: "
                   "%s; log:\n%s" % (success, box.logs()))
    failures.check(len(text) > 0, "tls: empty scrape over TLS")


def run_containers(failures, engine, args, tag, tmp, timings):
    root_options, fields = container.root_mount_options()
    print("host /: propagation fields %s: -v /:/host:%s" % (fields or "(private)",
                                                          root_options))
    excludes = packaged_excludes(args.repo)
    ports = [harness.free_port() for _ in range(3)]
    pid = os.getpid()
    documented_name = "vitals-image-documented-%d" % pid
    documented = adapt_documented(documented_command(args.repo), documented_name, tag,
                                  root_options)
    extra = ["--web.listen-address=127.0.0.1:%d" % ports[0], "--collector.processes"]
    print("documented line: docker run %s %s" % (" ".join(documented), " ".join(extra)))
    compose_args = compose_arguments(args.docker_compose, args.repo, ports[1])
    print("compose arguments: %s" % " ".join(compose_args))
    host = ["--net", "host", "--pid", "host", "-v", "/:/host:" + root_options]
    directory = tls_files(tmp, ports[2])
    tls_args = host + ["-v", "%s:/etc/vitals/tls:ro" % directory,
                       "-v", "%s/vitals.yml:/etc/vitals/vitals.yml:ro" % directory, tag,
                       "--web.listen-address=127.0.0.1:%d" % ports[2],
                       "--web.config.file=/etc/vitals/tls/web-config.yml",
                       "--path.rootfs=/host", "--path.procfs=/host/proc",
                       "--path.sysfs=/host/sys"]
    started = time.monotonic()
    with container.Container(engine, documented_name, documented + extra,
                             as_given=True) as first, \
            container.Container(engine, "vitals-image-root-%d" % pid,
                                host + ["--user", "0", tag] + compose_args +
                                ["--collector.processes"]) as root, \
            container.Container(engine, "vitals-image-tls-%d" % pid, tls_args) as tls:
        want = [w for w in documented[documented.index(tag) + 1:]]
        run_host_checks(failures, engine, first, "documented (default user)", ports[0],
                        excludes, DEFAULT_UID, want + extra)
        run_host_checks(failures, engine, root, "root", ports[1], excludes, 0,
                        compose_args)
        run_tls_checks(failures, tls, directory, ports[2])
    timings["runs"] = time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", required=True)
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--image-file", required=True,
                        help="where to write the image's tag for deploy_compose")
    parser.add_argument("--docker-compose", default=shutil.which("docker-compose"))
    args = parser.parse_args()
    args.repo = os.path.abspath(args.repo)
    failures = harness.Failures("deploy_image")
    if os.path.exists(args.image_file):
        os.unlink(args.image_file)  # deploy_compose must not find an old one.
    tag = image_tag(args.build_dir)

    def body(tmp, timings):
        with container.Engine(log_dir=tmp) as engine:
            timings["base image"] = container.ensure_base_image(engine)
            build_image(engine, args.repo, tag, timings)
            report_size(engine, tag)
            run_containers(failures, engine, args, tag, tmp, timings)
        if not failures.items:
            with open(args.image_file, "w") as f:
                f.write(tag + "\n")
            print("wrote %s: %s" % (args.image_file, tag))
    container.run_test(failures, {"debootstrap": shutil.which("debootstrap"),
                                  "docker-compose": args.docker_compose,
                                  "openssl": shutil.which("openssl")}, body, "vitals-image-")
    failures.exit()


if __name__ == "__main__":
    main()
