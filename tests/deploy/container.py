"""Docker for the deploy tests (Python 3 standard library): the engine, a debian:12 base
image made with debootstrap (no registry is reachable on the test machines), images
built from Dockerfile text, and containers booting a real systemd.

    with Engine() as engine:             # the running daemon, or dockerd started here
        ensure_base_image(engine)        # debian:12 (+ debian:12-slim), built once, reused
        base = ensure_image(engine, "vitals-test/systemd", systemd_dockerfile(["curl"]))
        engine.build(TAG, "FROM %s\nCOPY vitals.deb ..." % base, {"vitals.deb": path})
        with SystemdContainer(engine, TAG) as box:
            box.wait_booted()
            box.sh("systemctl start foo")

Every wait is bounded; everything this module starts (dockerd, containers) is stopped
when the `with` block ends, whatever happened in it. debian:12 and the images of
ensure_image are kept: they make a second run fast. The caller removes what it built on
top of them (`docker rmi TAG` also removes that build's intermediate layers). The
recipe and its traps on these machines (cgroup v1 hybrid, no --privileged):
docs/testing.md, "Deploy tests".
"""
import glob
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

SKIP = 77
BASE_IMAGE = "debian:12"
BASE_ALIASES = ["debian:12-slim"]  # The repository's Dockerfile runs on debian:12-slim.
# Debian's client first: it is the daemon's version (docker.io) and builds with the
# classic builder, whatever newer client comes first on PATH.
DOCKER_CANDIDATES = ["/usr/bin/docker"]


class DockerError(RuntimeError):
    pass


def docker_client():
    for path in DOCKER_CANDIDATES:
        if os.access(path, os.X_OK):
            return path
    return shutil.which("docker")


def tail(path, lines=30):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError as e:
        return "(%s)" % e


class Engine:
    """A Docker daemon for the duration of a `with` block: the one that answers
    `docker info`, else dockerd started here (root only) and stopped at the end."""

    READY_S = 30
    STOP_S = 30

    def __init__(self, log_dir=None):
        self.docker = docker_client()
        self.dockerd = None
        self.log_path = None
        self._log_dir = log_dir

    def available(self):
        """None when a daemon answers or one can be started here, else why not."""
        if self.docker is None:
            return "no docker client (scripts/install-deps.sh test installs docker.io)"
        if self._info_ok():
            return None
        if shutil.which("dockerd") is None:
            return "no Docker daemon answers and dockerd is not installed"
        if os.geteuid() != 0:
            return "no Docker daemon answers and starting dockerd needs root"
        return None

    def _info_ok(self):
        try:
            return subprocess.run([self.docker, "info"], capture_output=True,
                                  timeout=20).returncode == 0
        except subprocess.TimeoutExpired:
            return False

    def __enter__(self):
        why = self.available()
        if why:
            raise DockerError(why)
        if self._info_ok():
            print("docker: using the running daemon")
            return self
        log_dir = self._log_dir or tempfile.gettempdir()
        self.log_path = os.path.join(log_dir, "vitals-dockerd-%d.log" % os.getpid())
        with open(self.log_path, "w") as log:
            # Its own session: stop() can find what it leaves (its containerd).
            self.dockerd = subprocess.Popen(["dockerd", "--storage-driver=overlay2"],
                                            stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + self.READY_S
        while time.monotonic() < deadline:
            if self.dockerd.poll() is not None:
                break
            if self._info_ok():
                print("docker: started dockerd (pid %d, log %s) in %.1f s" % (
                    self.dockerd.pid, self.log_path,
                    self.READY_S - (deadline - time.monotonic())))
                return self
            time.sleep(0.5)
        self.stop()
        raise DockerError("dockerd did not answer within %d s; its log:\n%s"
                          % (self.READY_S, tail(self.log_path)))

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        if self.dockerd is None:
            return
        proc, self.dockerd = self.dockerd, None
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=self.STOP_S)
            except subprocess.TimeoutExpired:
                print("docker: dockerd did not stop in %d s; killing it" % self.STOP_S)
                proc.kill()
                proc.wait(timeout=10)
        # Its containerd, when dockerd could not stop it: same process group (its id is
        # dockerd's pid, start_new_session above).
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        print("docker: stopped dockerd (exit %s)" % proc.returncode)
        if self._log_dir is None and os.path.exists(self.log_path):
            os.unlink(self.log_path)  # Else the caller's directory: it may print it.

    def run(self, args, timeout=60, check=True, input=None):
        """`docker ARGS`; DockerError (with the output) when it fails and `check`."""
        try:
            result = subprocess.run([self.docker] + args, capture_output=True, text=True,
                                    timeout=timeout, input=input)
        except subprocess.TimeoutExpired as e:
            raise DockerError("docker %s: no answer in %d s" % (" ".join(args[:3]), timeout)) \
                from e
        if check and result.returncode != 0:
            raise DockerError("docker %s: exit %d\n%s%s" % (
                " ".join(args[:4]), result.returncode, result.stdout[-3000:],
                result.stderr[-3000:]))
        return result

    def has_image(self, name):
        return self.run(["image", "inspect", name], check=False).returncode == 0

    def build(self, tag, dockerfile, files=None, timeout=600):
        """Builds `tag` from Dockerfile text, with `files` ({name in the context: path on
        this machine}) copied into an otherwise empty context."""
        with tempfile.TemporaryDirectory(prefix="vitals-docker-context-") as context:
            with open(os.path.join(context, "Dockerfile"), "w") as f:
                f.write(dockerfile)
            for name, path in (files or {}).items():
                shutil.copy(path, os.path.join(context, name))
            started = time.monotonic()
            result = self.run(["build", "--tag", tag, context], timeout=timeout)
            cached = result.stdout.count("Using cache")
            print("docker: built %s in %.1f s (%d steps from the cache)" % (
                tag, time.monotonic() - started, cached))
            return result.stdout


def ensure_image(engine, repository, dockerfile, timeout=600):
    """`repository`:<hash of `dockerfile`>, built from that text (no context files) when
    missing; older tags of `repository` are removed. Returns the tag. Images a test
    builds on top of it can then be removed with their intermediate layers, and this
    one stays as the cache."""
    tag = "%s:%s" % (repository, hashlib.sha256(dockerfile.encode()).hexdigest()[:12])
    if engine.has_image(tag):
        print("docker: %s is there, reused" % tag)
        return tag
    engine.build(tag, dockerfile, timeout=timeout)
    old = engine.run(["images", "--format", "{{.Repository}}:{{.Tag}}", repository]).stdout
    for other in old.split():
        if other != tag:
            engine.run(["rmi", other], check=False)
    return tag


def apt_sources():
    """The host's deb822 apt sources for bookworm: [(file name, text)] (its mirrors and
    suites -updates and -security come along), and the first mirror URI."""
    found = []
    for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
        with open(path) as f:
            text = f.read()
        if re.search(r"^Suites:.*\bbookworm\b", text, re.M):
            found.append((os.path.basename(path), text))
    mirror = None
    for _, text in found:
        for stanza in text.split("\n\n"):
            uris = re.search(r"^URIs:\s*(\S+)", stanza, re.M)
            if uris and re.search(r"^Suites:.*\bbookworm(\s|$)", stanza, re.M):
                mirror = mirror or uris.group(1)
    return found, mirror or "http://deb.debian.org/debian"


def ensure_base_image(engine, timeout=600):
    """debian:12 (and its aliases) in the engine: reused when there (pulled or made by an
    earlier run), else a minbase bookworm from debootstrap, with this machine's apt
    sources, imported. Returns the seconds spent (0 when reused)."""
    if engine.has_image(BASE_IMAGE):
        for alias in BASE_ALIASES:
            if not engine.has_image(alias):
                engine.run(["tag", BASE_IMAGE, alias])
        print("docker: %s is there, reused" % BASE_IMAGE)
        return 0.0
    if shutil.which("debootstrap") is None:
        raise DockerError("%s is missing and debootstrap is not installed to make it"
                          % BASE_IMAGE)
    started = time.monotonic()
    sources, mirror = apt_sources()
    rootfs = tempfile.mkdtemp(prefix="vitals-debootstrap-")
    try:
        result = subprocess.run(["debootstrap", "--variant=minbase", "bookworm", rootfs,
                                 mirror], capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise DockerError("debootstrap bookworm from %s: exit %d\n%s" % (
                mirror, result.returncode, (result.stdout + result.stderr)[-3000:]))
        if sources:
            sources_list = os.path.join(rootfs, "etc", "apt", "sources.list")
            if os.path.exists(sources_list):
                os.unlink(sources_list)
            for name, text in sources:
                with open(os.path.join(rootfs, "etc", "apt", "sources.list.d", name), "w") as f:
                    f.write(text)
        lists = os.path.join(rootfs, "var", "lib", "apt", "lists")
        for entry in os.listdir(lists):
            path = os.path.join(lists, entry)
            if os.path.isfile(path):
                os.unlink(path)
        tar = subprocess.Popen(["tar", "-C", rootfs, "-c", "."], stdout=subprocess.PIPE)
        try:
            imported = subprocess.run([engine.docker, "import", "-c", 'CMD ["bash"]', "-",
                                       BASE_IMAGE], stdin=tar.stdout, capture_output=True,
                                      text=True, timeout=timeout)
        finally:
            tar.stdout.close()
            tar.wait(timeout=60)
        if imported.returncode != 0 or tar.returncode != 0:
            raise DockerError("docker import: exit %d (tar %d)\n%s" % (
                imported.returncode, tar.returncode, imported.stderr[-3000:]))
    finally:
        shutil.rmtree(rootfs, ignore_errors=True)
    for alias in BASE_ALIASES:
        engine.run(["tag", BASE_IMAGE, alias])
    spent = time.monotonic() - started
    print("docker: made %s with debootstrap from %s in %.1f s" % (BASE_IMAGE, mirror, spent))
    return spent


def deb_depends(deb):
    """The package names in the Depends of the .deb at `deb` (first alternative, versions
    dropped): what an image must hold for `apt install ./PACKAGE.deb` to need no archive."""
    result = subprocess.run(["dpkg-deb", "-f", deb, "Depends"], capture_output=True,
                            text=True, timeout=60)
    if result.returncode != 0:
        raise DockerError("dpkg-deb -f %s Depends: exit %d\n%s" % (
            deb, result.returncode, result.stderr[-2000:]))
    names = set()
    for item in result.stdout.split(","):
        name = re.split(r"[\s(:]", item.split("|")[0].strip(), maxsplit=1)[0]
        if name:
            names.add(name)
    return sorted(names)


def systemd_dockerfile(packages=()):
    """Dockerfile text of an image that boots systemd: debian:12 with systemd,
    systemd-sysv, dbus and `packages` (without recommends). Getty units are masked: they
    would wait on terminals that do not exist."""
    return """\
FROM %s
RUN apt-get update -q \\
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \\
        systemd systemd-sysv dbus %s \\
    && rm -rf /var/lib/apt/lists/* \\
    && systemctl mask getty@.service serial-getty@.service console-getty.service \\
        getty.target systemd-firstboot.service
ENV container=docker
STOPSIGNAL SIGRTMIN+3
CMD ["/sbin/init"]
""" % (BASE_IMAGE, " ".join(sorted(set(packages))))


# docker run flags for systemd as PID 1 on these hosts: not --privileged (the bounding set
# lacks CAP_SYS_RESOURCE: "unable to apply caps"); the host's cgroup tree read-write
# (without it PID 1 exits: "Failed to allocate manager object").
SYSTEMD_RUN_FLAGS = [
    "--cap-add", "ALL", "--cap-drop", "SYS_RESOURCE",
    "--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined",
    "--cgroupns=host", "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw",
    "--tmpfs", "/run", "--tmpfs", "/run/lock", "--tmpfs", "/tmp",
]


class SystemdContainer:
    """A container booting systemd from `image`, removed (with its anonymous volumes)
    when the `with` block ends."""

    def __init__(self, engine, image, name_prefix="vitals-test", extra_args=()):
        self.engine = engine
        self.image = image
        self.name = "%s-%d-%d" % (name_prefix, os.getpid(), int(time.time()))
        self.extra_args = list(extra_args)
        self.started = False

    def __enter__(self):
        self.started = True
        self.engine.run(["run", "-d", "--name", self.name] + SYSTEMD_RUN_FLAGS +
                        self.extra_args + [self.image], timeout=60)
        return self

    def __exit__(self, *exc):
        self.remove()

    def remove(self):
        if self.started:
            self.started = False
            result = self.engine.run(["rm", "-f", "-v", self.name], timeout=60, check=False)
            print("docker: removed container %s%s" % (
                self.name, "" if result.returncode == 0 else
                " (exit %d: %s)" % (result.returncode, result.stderr.strip())))

    def exec(self, args, timeout=60, check=True, input=None):
        return self.engine.run(["exec"] + (["-i"] if input is not None else []) +
                               [self.name] + list(args), timeout=timeout, check=check,
                               input=input)

    def copy_in(self, path, directory="/root/"):
        """`docker cp` of a file of this machine into `directory` of the container (not
        /tmp, a tmpfs the copy would land under)."""
        self.engine.run(["cp", path, "%s:%s" % (self.name, directory)], timeout=120)
        return directory.rstrip("/") + "/" + os.path.basename(path)

    def sh(self, script, timeout=60, check=True):
        return self.exec(["sh", "-c", script], timeout=timeout, check=check)

    def write(self, path, text):
        self.exec(["sh", "-c", 'cat > "$1"', "sh", path], input=text)

    def wait_booted(self, timeout=60):
        """Waits until systemd has finished booting (running or degraded); returns the
        state and the seconds it took."""
        started = time.monotonic()
        deadline = started + timeout
        state = ""
        while time.monotonic() < deadline:
            running = self.engine.run(["inspect", "-f", "{{.State.Running}}", self.name],
                                      check=False).stdout.strip()
            if running == "false":
                break
            state = self.exec(["systemctl", "is-system-running"], check=False,
                              timeout=20).stdout.strip()
            if state in ("running", "degraded"):
                return state, time.monotonic() - started
            time.sleep(0.5)
        logs = self.engine.run(["logs", "--tail", "40", self.name], check=False)
        raise DockerError("systemd did not finish booting in %d s (last state %r); the "
                          "container's output:\n%s%s" % (timeout, state, logs.stdout,
                                                         logs.stderr))

    def journal(self, units, lines=40):
        args = ["journalctl", "--no-pager", "-n", str(lines)]
        for unit in units:
            args += ["-u", unit]
        return self.exec(args, check=False, timeout=30).stdout


def root_mount_options(mountinfo="/proc/self/mountinfo"):
    """The options of the host's / in `-v /:/host:OPTIONS`: "ro,rslave" where / is a
    shared or slave mount (what systemd makes it), else "ro": Docker refuses rslave there
    ("path / is mounted on / but it is not a shared or slave mount") and any other
    propagation for a source holding its data root ("must use either propagation mode
    rslave or rshared"); without one it takes the host's. docs/stack.md tells users the
    same (VITALS_ROOT_MOUNT). Returns (options, the optional fields of /'s line)."""
    fields = []
    with open(mountinfo) as f:
        for line in f:
            parts = line.split()
            if len(parts) > 6 and parts[4] == "/":
                fields = parts[6:parts.index("-")]  # The last one: over-mounts come later.
    shared = any(field.startswith(("shared:", "master:")) for field in fields)
    return ("ro,rslave" if shared else "ro"), fields


class Container:
    """`docker run -d --name NAME ARGS` for the duration of a `with` block, removed (with
    its anonymous volumes) when it ends, whatever happened. `as_given`: ARGS are a whole
    command line after `docker run` (a documented one), with its own -d and --name NAME."""

    def __init__(self, engine, name, args, as_given=False):
        self.engine = engine
        self.name = name
        self.args = list(args) if as_given else ["-d", "--name", name] + list(args)
        self.started = False

    def __enter__(self):
        self.started = True
        self.engine.run(["run"] + self.args, timeout=60)
        return self

    def __exit__(self, *exc):
        if self.started:
            self.started = False
            result = self.engine.run(["rm", "-f", "-v", self.name], timeout=60, check=False)
            print("docker: removed container %s%s" % (
                self.name, "" if result.returncode == 0 else
                " (exit %d: %s)" % (result.returncode, result.stderr.strip())))

    def inspect(self, template):
        return self.engine.run(["inspect", "-f", template, self.name]).stdout.strip()

    def logs(self, lines=40):
        result = self.engine.run(["logs", "--tail", str(lines), self.name], check=False)
        return result.stdout + result.stderr


def run_test(failures, programs, body, tmp_prefix="vitals-deploy-"):
    """The frame of every deploy test's main(): each of `programs` ({name: path or None},
    docker added) must be there, else a failure saying install-deps.sh installs it; exit
    77 (skip) only when no Docker daemon can be had; then body(tmp, timings) with a
    scratch directory (removed after), any error a failure, the timings printed. The
    caller ends with failures.exit()."""
    engine = Engine()
    missing = sorted(name for name, path in dict(programs, docker=engine.docker).items()
                     if not path)
    if missing:
        failures.fail("missing: %s (scripts/install-deps.sh test installs them)"
                      % ", ".join(missing))
        failures.exit()
    why = engine.available()
    if why:
        print("SKIP: " + why)
        sys.exit(SKIP)
    tmp = tempfile.mkdtemp(prefix=tmp_prefix)
    timings = {}
    started = time.monotonic()
    try:
        body(tmp, timings)
    except (DockerError, subprocess.CalledProcessError) as e:
        failures.fail("%s\n%s" % (e, getattr(e, "stderr", "") or ""))
    except Exception:  # Reported as a failure, after the clean-up below.
        failures.fail("unexpected error:\n" + traceback.format_exc())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    timings["total"] = time.monotonic() - started
    print("\ntimings: " + ", ".join("%s %.1f s" % item for item in timings.items()))
