#!/usr/bin/env python3
"""Builds the .deb with CPack from the existing build, unpacks it with `dpkg -x` into
a temporary root and checks it: control fields (computed Depends, conffiles,
maintainer scripts), the file list, the man page, then runs the packaged binary with
the packaged configuration (--config.check, a scrape on 127.0.0.1:0) and verifies the
systemd unit with systemd-analyze (skipped, with a message, when that cannot run).
Last, it runs the packaged binary with every collector on under strace, with the
unit's (empty) capability bounding set, and checks
that each system call and socket family it uses is allowed by the unit's
SystemCallFilter= and RestrictAddressFamilies= (a sandbox that kills the service
would otherwise only show on a real host).

  package_deb.py --exporter build/vitals_exporter --repo . --build-dir build --cpack cpack
"""
import gzip
import http.server
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness  # noqa: E402

BINARY = "usr/bin/vitals_exporter"
UNIT = "lib/systemd/system/vitals_exporter.service"
CONFIG = "etc/vitals/vitals.yml"
DEFAULTS = "etc/default/vitals_exporter"
MAN_PAGE = "usr/share/man/man1/vitals_exporter.1.gz"
DOC_DIR = "usr/share/doc/vitals-exporter"
REQUIRED_FILES = [
    BINARY, UNIT, CONFIG, DEFAULTS, MAN_PAGE,
    DOC_DIR + "/README.md", DOC_DIR + "/configuration.md", DOC_DIR + "/metrics.md",
    DOC_DIR + "/metrics-reference.md", DOC_DIR + "/packaging.md",
    DOC_DIR + "/examples/capabilities.conf", DOC_DIR + "/examples/bpf.conf",
    # The textfile collector's default directory (empty).
    "var/lib/prometheus/node-exporter",
]
CONFFILES = ["/" + CONFIG, "/" + DEFAULTS]
# Families whose values differ between two runs on the same fixture tree: timings, the
# clock (the start time stands for the last reload), and statfs(2) of the real disk below
# the fixture mount points.
LIVE_FAMILIES = {"vitals_scrape_collector_duration_seconds", "node_time_seconds",
                 "vitals_config_last_reload_success_timestamp_seconds",
                 "node_time_zone_offset_seconds", "node_filesystem_size_bytes",
                 "node_filesystem_free_bytes", "node_filesystem_avail_bytes",
                 "node_filesystem_files", "node_filesystem_files_free"}
# Exposure score (systemd-analyze security, 0..100 = 0.0..10.0) the unit must not exceed:
# 1.7 when written; a lost hardening line pushes it over.
SECURITY_THRESHOLD = 20


def run(cmd, failures, what, timeout=60, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kwargs)
    failures.check(result.returncode == 0, "%s: exit %d\n%s%s" % (
        what, result.returncode, result.stdout[-3000:], result.stderr[-3000:]))
    return result


def build_package(args, out_dir, failures):
    config = os.path.join(args.build_dir, "CPackConfig.cmake")
    result = run([args.cpack, "-G", "DEB", "--config", config, "-B", out_dir], failures,
                 "cpack", timeout=240, cwd=args.build_dir)
    debs = [name for name in os.listdir(out_dir) if name.endswith(".deb")]
    if result.returncode != 0 or len(debs) != 1:
        failures.fail("expected one .deb from cpack in %s, got %s" % (out_dir, debs))
        return None
    return os.path.join(out_dir, debs[0])


def check_control(deb, tmp, failures):
    control = run(["dpkg-deb", "-f", deb], failures, "dpkg-deb -f").stdout
    fields = dict(re.findall(r"^([A-Za-z-]+): (.*)$", control, re.M))
    failures.check(fields.get("Package") == "vitals-exporter",
                   "Package is %r" % fields.get("Package"))
    depends = fields.get("Depends", "")
    # dpkg-shlibdeps ran: the libraries the binary links are there, with versions.
    for library in ("libc6 (>=", "libyaml-cpp", "libcivetweb", "libprometheus-cpp-core",
                    "libcurl4", "libsystemd0", "libssl3", "init-system-helpers"):
        failures.check(library in depends, "Depends lacks %s: %r" % (library, depends))
    # libbpf.so.1, dlopen()ed by the processes collector's BPF path (it falls back to /proc).
    failures.check(fields.get("Recommends") == "libbpf1",
                   "Recommends is %r" % fields.get("Recommends"))
    # The timers that write the textfile collector's default directory.
    failures.check(fields.get("Suggests") == "prometheus-node-exporter-collectors",
                   "Suggests is %r" % fields.get("Suggests"))

    control_dir = os.path.join(tmp, "control")
    run(["dpkg-deb", "-e", deb, control_dir], failures, "dpkg-deb -e")
    conffiles_path = os.path.join(control_dir, "conffiles")
    conffiles = open(conffiles_path).read().split() if os.path.exists(conffiles_path) else []
    failures.check(sorted(conffiles) == sorted(CONFFILES),
                   "conffiles are %s, expected %s" % (conffiles, CONFFILES))
    for script in ("postinst", "prerm", "postrm"):
        path = os.path.join(control_dir, script)
        if failures.check(os.access(path, os.X_OK), "maintainer script %s missing or not "
                          "executable" % script):
            run(["sh", "-n", path], failures, "sh -n " + script)


def check_files(deb, root, repo, failures):
    listing = run(["dpkg-deb", "-c", deb], failures, "dpkg-deb -c").stdout
    paths = {line.split()[-1].lstrip("./").rstrip("/") for line in listing.splitlines()}
    for path in REQUIRED_FILES:
        failures.check(path in paths, "the package lacks /" + path)
    for stack_dir in ("rules", "alertmanager", "dashboards"):
        if not os.path.isdir(os.path.join(repo, stack_dir)):
            print("note: %s/ does not exist in this checkout; not expected in the package"
                  % stack_dir)
            continue
        shipped = [p for p in paths if p.startswith("usr/share/vitals/%s/" % stack_dir)]
        failures.check(shipped, "the package ships nothing under /usr/share/vitals/%s/"
                       % stack_dir)
    failures.check(not [p for p in paths if "/tests/" in p or p.endswith(".py")],
                   "test files or scripts under /usr/share/vitals")
    run(["dpkg", "-x", deb, root], failures, "dpkg -x")

    with gzip.open(os.path.join(root, MAN_PAGE), "rt", encoding="utf-8") as f:
        man_page = f.read()
    with open(os.path.join(repo, "packaging", "vitals_exporter.1"), encoding="utf-8") as f:
        failures.check(man_page == f.read(), "the packaged man page differs from "
                       "packaging/vitals_exporter.1")
    with open(os.path.join(root, CONFIG), encoding="utf-8") as f, \
            open(os.path.join(repo, "packaging", "vitals.yml"), encoding="utf-8") as g:
        failures.check(f.read() == g.read(), "/%s differs from packaging/vitals.yml" % CONFIG)
    # Stripped: the build's binary carries debug information, the package's must not.
    sections = run(["readelf", "-S", "-W", os.path.join(root, BINARY)], failures,
                   "readelf").stdout
    failures.check(".debug_info" not in sections, "the packaged binary is not stripped")
    # Libraries dlopen()ed on first use, not linked: mapped at every start they would cost
    # every exporter RSS for features most leave off (libcurl's chain ~3 MiB, OpenSSL
    # ~1.7 MiB, libsystemd's chain ~0.8 MiB). Depends names them (above).
    dynamic = run(["readelf", "-d", os.path.join(root, BINARY)], failures, "readelf").stdout
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic)
    failures.check(any(name.startswith("libc.so") for name in needed),
                   "no NEEDED entries read from the packaged binary: %r" % needed)
    for library, user in (("libcurl", "the probes"), ("libsystemd", "the systemd collector"),
                          ("libssl", "TLS"), ("libcrypto", "TLS"),
                          ("libbpf", "the processes collector's BPF path")):
        failures.check(not any(name.startswith(library) for name in needed),
                       "the packaged binary links %s (%s load it with dlopen): %r"
                       % (library, user, needed))


def uncommented_examples(config_text):
    """The packaged config with its commented-out example blocks switched on: lines
    that start with '#' directly followed by YAML ('#ports:', '#  - {port: 22}')."""
    lines = []
    for line in config_text.splitlines(keepends=True):
        if re.match(r"^#(?! |\n|$)", line) or line.startswith("#  "):
            line = line[1:]
        lines.append(line)
    return "".join(lines)


def metric_samples(text):
    samples = set()
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, labels, value = harness.parse_sample_line(line)
            samples.add((name, tuple(labels), "LIVE" if name in LIVE_FAMILIES else value))
    return samples


def check_binary(root, repo, tmp, failures):
    binary = os.path.join(root, BINARY)
    config = os.path.join(root, CONFIG)
    version = harness.run_exporter(binary, ["--version"])
    failures.check(version.returncode == 0 and "vitals_exporter, version" in version.stdout,
                   "--version: %r" % (version.stdout + version.stderr))
    check = harness.run_exporter(binary, ["--config.check", "--config.file=" + config])
    failures.check(check.returncode == 0 and "configuration is valid" in check.stdout,
                   "--config.check of the packaged config: exit %d: %s"
                   % (check.returncode, check.stdout + check.stderr))

    with open(config, encoding="utf-8") as f:
        examples_text = uncommented_examples(f.read())
    for section in ("processes:", "ports:", "probes:"):
        failures.check(re.search("^" + section, examples_text, re.M),
                       "no commented-out %s example in the packaged config" % section)
    examples = os.path.join(tmp, "examples.yml")
    with open(examples, "w", encoding="utf-8") as f:
        f.write(examples_text)
    check = harness.run_exporter(binary, ["--config.check", "--config.file=" + examples])
    enabled = re.search(r"enabled collectors: (\S+)", check.stdout)
    enabled = set(enabled.group(1).split(",")) if enabled else set()
    failures.check(check.returncode == 0 and {"ports", "probes", "process_groups"} <= enabled,
                   "--config.check with the config's examples uncommented: exit %d: %s"
                   % (check.returncode, check.stdout + check.stderr))

    # As the service runs it: this host's /proc and /sys, the packaged config.
    with harness.Exporter(binary, ["--config.file=" + config]) as exporter:
        scrape = harness.parse(exporter.scrape())
    for family in ("node_cpu_seconds_total", "node_memory_MemTotal_bytes", "node_load1",
                   "vitals_build_info"):
        failures.check(scrape.find(family), "the packaged binary's scrape lacks " + family)
    for collector in ("cpu", "meminfo", "loadavg", "stat"):
        success = scrape.find("vitals_scrape_collector_success")
        failures.check(success.get(frozenset({("collector", collector)})) == 1.0,
                       "collector %s did not succeed with the packaged config" % collector)

    # The packaged config is the built-in defaults written out: on the fixture tree it
    # must give exactly what no config gives.
    fixtures = harness.fixture_args(repo)
    env = {"TZ": "UTC"}
    with harness.Exporter(binary, fixtures + ["--config.file=" + config], env=env) as a, \
            harness.Exporter(binary, fixtures, env=env) as b:
        with_config, without = metric_samples(a.scrape()), metric_samples(b.scrape())
    difference = sorted(with_config ^ without)
    failures.check(not difference, "the packaged config is not the built-in defaults: %d "
                   "samples differ on the fixture tree, e.g. %s"
                   % (len(difference), difference[:3]))


def check_unit(root, repo, tmp, failures):
    with open(os.path.join(root, UNIT), encoding="utf-8") as f:
        unit = f.read()
    exec_start = re.search(r"^ExecStart=(\S+)(.*)$", unit, re.M)
    failures.check(exec_start and exec_start.group(1) == "/" + BINARY,
                   "ExecStart does not run /" + BINARY)
    failures.check(exec_start and ("--config.file=/" + CONFIG) in exec_start.group(2),
                   "ExecStart does not use /" + CONFIG)
    failures.check(("EnvironmentFile=-/" + DEFAULTS) in unit,
                   "the unit does not read /" + DEFAULTS)
    # The shell's builtin kill, not procps' /bin/kill (absent on minimal systems).
    failures.check(re.search(r"^ExecReload=/bin/sh -c 'kill -HUP \$\$MAINPID'$", unit, re.M),
                   "ExecReload does not send SIGHUP with /bin/sh's kill")

    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        print("SKIP: systemd-analyze is not installed; the unit was not verified")
        return
    # verify checks that ExecStart is executable and that Documentation=man: pages exist:
    # point both at the unpacked package.
    unit_dir = os.path.join(tmp, "units")
    os.makedirs(unit_dir)
    unit_path = os.path.join(unit_dir, "vitals_exporter.service")
    with open(unit_path, "w", encoding="utf-8") as f:
        f.write(unit.replace("=/" + BINARY, "=" + os.path.join(root, BINARY)))
    env = dict(os.environ, MANPATH=os.path.join(root, "usr/share/man"))
    probe = subprocess.run([analyze, "verify", unit_path], capture_output=True, text=True,
                           timeout=60, env=env)
    if "Failed to initialize manager" in probe.stderr or "Operation not permitted" in \
            probe.stderr:
        print("SKIP: systemd-analyze cannot run here (%s); the unit was not verified"
              % probe.stderr.strip().splitlines()[-1])
        return
    failures.check(probe.returncode == 0 and not probe.stderr.strip(),
                   "systemd-analyze verify: exit %d: %s" % (probe.returncode, probe.stderr))
    # The drop-ins from the docs, loaded from <unit>.d/, each alone and both together.
    drop_in_dir = unit_path + ".d"
    for drop_ins in (["capabilities.conf"], ["bpf.conf"], ["capabilities.conf", "bpf.conf"]):
        os.makedirs(drop_in_dir)
        for name in drop_ins:
            shutil.copy(os.path.join(root, DOC_DIR, "examples", name), drop_in_dir)
        with_drop_in = subprocess.run([analyze, "verify", unit_path], capture_output=True,
                                      text=True, timeout=60, env=env)
        failures.check(with_drop_in.returncode == 0 and not with_drop_in.stderr.strip(),
                       "systemd-analyze verify with %s: exit %d: %s"
                       % (" + ".join(drop_ins), with_drop_in.returncode, with_drop_in.stderr))
        shutil.rmtree(drop_in_dir)
    security = subprocess.run([analyze, "security", "--offline=yes",
                               "--threshold=%d" % SECURITY_THRESHOLD, unit_path],
                              capture_output=True, text=True, timeout=60, env=env)
    score = re.search(r"Overall exposure level for \S+: (\S+)", security.stdout)
    print("systemd-analyze security: exposure %s" % (score.group(1) if score else "?"))
    failures.check(security.returncode == 0 and score, "systemd-analyze security: exit %d, "
                   "exposure %s above %.1f\n%s" % (
                       security.returncode, score.group(1) if score else "?",
                       SECURITY_THRESHOLD / 10, security.stdout[-2000:] + security.stderr))


def syscall_group(analyze, name, cache):
    """The system calls of a systemd-analyze syscall-filter group, nested ones expanded."""
    if name in cache:
        return cache[name]
    output = subprocess.run([analyze, "syscall-filter", name], capture_output=True,
                            text=True, timeout=30).stdout
    calls = set()
    for line in output.splitlines()[1:]:
        line = line.strip()
        if line.startswith("@"):
            calls |= syscall_group(analyze, line, cache)
        elif line and not line.startswith("#"):
            calls.add(line)
    cache[name] = calls
    return calls


def unit_sandbox(unit, analyze):
    """(allowed system calls, allowed address families) from the unit's settings.
    SystemCallFilter= lines apply in order, as systemd does (systemd.exec(5)): the first
    (an allow list here) sets the start, then each later line adds (allow) or removes
    (~deny) its calls."""
    cache = {}
    allowed = None
    for value in re.findall(r"^SystemCallFilter=(.*)$", unit, re.M):
        deny = value.startswith("~")
        calls = set()
        for item in value.lstrip("~").split():
            calls |= syscall_group(analyze, item, cache) if item.startswith("@") else {item}
        if allowed is None:
            if deny:
                raise ValueError("the unit's first SystemCallFilter= is a deny list; "
                                 "this check models allow lists only")
            allowed = calls
        elif deny:
            allowed -= calls
        else:
            allowed |= calls
    families = set()
    for value in re.findall(r"^RestrictAddressFamilies=(.*)$", unit, re.M):
        families.update(value.split())
    return allowed or set(), families


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def drop_in_sandbox(root, drop_in):
    """(the drop-in's text, setpriv's --bounding-set for its CapabilityBoundingSet=);
    no drop-in: the unit's empty set."""
    if drop_in is None:
        return "", "-all"
    with open(os.path.join(root, DOC_DIR, "examples", drop_in), encoding="utf-8") as f:
        text = f.read()
    granted = re.search(r"^CapabilityBoundingSet=(.*)$", text, re.M).group(1).split()
    return text, "-all," + ",".join("+" + cap[len("CAP_"):].lower() for cap in granted)


def check_bpf_source(scrape, log, failures):
    """With bpf.conf's capabilities the processes collector must read through BPF, unless
    this machine cannot (no BTF, no libbpf.so.1, another pid namespace): then say so."""
    if scrape.get("vitals_processes_source", source="bpf") == 1:
        print("bpf.conf: the processes collector read through the BPF task iterator")
        return
    reason = re.search(r"reading per-process facts from /proc \((.*)\)", log)
    why = reason.group(1) if reason else log[-2000:]
    if re.search(r"not permitted|CAP_|refused", why):
        failures.fail("with bpf.conf's capabilities the BPF path did not load: " + why)
    else:
        print("NOTE: the BPF path cannot load on this machine (%s); bpf.conf's system "
              "calls were checked on the /proc path only" % why)


def check_sandbox_syscalls(root, tmp, failures, drop_in=None):
    """Every system call a traced run makes is one the unit's filter allows. With
    `drop_in` (an example from the docs), the unit plus that file, run with the
    capabilities it grants."""
    tmp = os.path.join(tmp, "sandbox-" + (drop_in or "unit"))
    os.makedirs(tmp)
    analyze, strace = shutil.which("systemd-analyze"), shutil.which("strace")
    setpriv = shutil.which("setpriv") or "/usr/bin/setpriv"
    if analyze is None:
        print("SKIP: systemd-analyze is not installed; system calls not checked")
        return
    if not failures.check(strace, "strace is missing (scripts/install-deps.sh test)"):
        return
    drop_in_text, bounding_set = drop_in_sandbox(root, drop_in)
    with open(os.path.join(root, UNIT), encoding="utf-8") as f:
        # A drop-in's lines apply after the unit's, as systemd applies them.
        allowed, families = unit_sandbox(f.read() + "\n" + drop_in_text, analyze)
    if not failures.check(len(allowed) > 100 and families,
                          "could not read SystemCallFilter/RestrictAddressFamilies"):
        return

    # A local web server for the ports and probes collectors; the processes collector
    # matches this Python process.
    server = http.server.ThreadingHTTPServer((harness.LOOPBACK, 0), QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    config = os.path.join(tmp, "all.yml")
    with open(config, "w", encoding="utf-8") as f:
        f.write("""processes:
  groups:
    - {name: python, comm: [python3], per_pid: true}
ports:
  - {port: %d, name: web}
probes:
  modules:
    http_2xx: {prober: http, timeout: 2s}
    tcp: {prober: tcp, timeout: 2s}
  targets:
    - {target: "http://127.0.0.1:%d/", module: http_2xx}
    - {target: "localhost:%d", module: tcp}
""" % (port, port, port))
    trace = os.path.join(tmp, "strace.txt")
    wrapper = os.path.join(tmp, "traced_exporter")
    with open(wrapper, "w", encoding="utf-8") as f:
        # With the unit's capabilities (CapabilityBoundingSet= empty: none, even as
        # root; a drop-in's set as root keeps exactly those), so the run takes the paths
        # the service takes (without bpf.conf no bpf(2) for the processes collector,
        # whose BPF reader needs CAP_BPF + CAP_PERFMON).
        f.write('#!/bin/sh\nexec "%s" --bounding-set=%s --inh-caps=-all "%s" -f -qq -o "%s" '
                '"%s" "$@"\n' % (setpriv, bounding_set, strace, trace,
                                  os.path.join(root, BINARY)))
    os.chmod(wrapper, 0o755)
    try:
        with harness.Exporter(wrapper, ["--config.file=" + config],
                              start_timeout=30) as exporter:
            scrape = harness.parse(exporter.scrape())
            exporter.scrape()
            log = exporter.stderr()
            harness.http_request(exporter.url(
                "/probe?target=http://127.0.0.1:%d/&module=http_2xx" % port))
            harness.http_request(exporter.url(), headers={"Accept-Encoding": "gzip"})
            # SIGHUP and SIGTERM go to the exporter, strace's child: strace itself
            # would detach on SIGTERM and leave the exporter running.
            children = open("/proc/%d/task/%d/children" % (exporter.proc.pid,
                                                            exporter.proc.pid)).read().split()
            for child in children:
                os.kill(int(child), signal.SIGHUP)
                time.sleep(0.3)
                os.kill(int(child), signal.SIGTERM)
            exporter.proc.wait(timeout=15)
    finally:
        server.shutdown()
    for name in ("probe_success", "vitals_port_listening", "namedprocess_namegroup_num_procs"):
        failures.check(scrape.find(name) and min(scrape.find(name).values()) >= 1.0,
                       "%s is not >= 1 in the traced run: the run did not exercise it" % name)
    if drop_in == "bpf.conf":
        check_bpf_source(scrape, log, failures)

    used, socket_families = set(), set()
    with open(trace, encoding="utf-8", errors="replace") as f:
        for line in f:
            match = re.match(r"^\d+\s+(?:<\.\.\. )?(\w+)[( ]", line)
            if match:
                used.add(match.group(1))
            match = re.match(r"^\d+\s+socket\((AF_\w+)", line)
            if match:
                socket_families.add(match.group(1))
    print("traced (%s): %d distinct system calls, socket families %s"
          % (drop_in or "the unit alone", len(used), ", ".join(sorted(socket_families))))
    failures.check(len(used) > 20, "strace recorded only %d system calls" % len(used))
    # execve is strace starting the exporter, before systemd's filter would apply.
    denied = sorted(used - allowed - {"execve"})
    failures.check(not denied, "system calls the unit's SystemCallFilter= denies%s: %s"
                   % (" (with %s)" % drop_in if drop_in else "", ", ".join(denied)))
    outside = sorted(socket_families - families)
    failures.check(not outside, "socket families outside RestrictAddressFamilies=: %s"
                   % ", ".join(outside))


def main():
    parser = harness.common_argparser(__doc__.splitlines()[0])
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--cpack", default="cpack")
    args = parser.parse_args()
    failures = harness.Failures("package_deb")
    for tool in ("dpkg-deb", "dpkg", "dpkg-shlibdeps", "readelf"):
        if shutil.which(tool) is None:
            failures.fail("%s is missing (scripts/install-deps.sh build installs dpkg-dev)"
                          % tool)
    if failures.items:
        failures.exit()
    tmp = tempfile.mkdtemp(prefix="vitals-package-")
    try:
        deb = build_package(args, os.path.join(tmp, "out"), failures)
        if deb:
            print("built " + os.path.basename(deb))
            root = os.path.join(tmp, "root")
            check_control(deb, tmp, failures)
            check_files(deb, root, args.repo, failures)
            if os.path.exists(os.path.join(root, BINARY)):
                check_binary(root, args.repo, tmp, failures)
                check_unit(root, args.repo, tmp, failures)
                check_sandbox_syscalls(root, tmp, failures)
                check_sandbox_syscalls(root, tmp, failures, drop_in="bpf.conf")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    failures.exit()


if __name__ == "__main__":
    main()
