"""Shared helpers for the whole-binary (e2e) tests: start vitals_exporter on a
random loopback port, scrape it, parse the text exposition format, stop it.

Python 3 standard library only. Every wait is bounded; every process a test
starts is stopped by Exporter.stop() (use it as a context manager).
"""

import argparse
import http.server
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

LOOPBACK = "127.0.0.1"
DEFAULT_START_TIMEOUT = 10.0
DEFAULT_HTTP_TIMEOUT = 10.0

# exporter/main.cc logs one of these per bound socket, e.g.
#   ts=... level=info msg="listening on 127.0.0.1:35023 (port 35023)"
LISTENING_RE = re.compile(r"listening on (\S+) \(port (\d+)\)")


def fixture_args(repo):
    """The flags that point every root of the exporter at tests/fixtures (and the gpu
    collector at no NVML: the fixture host has no GPU, whatever the test machine has; the
    textfile collector at tests/fixtures/textfile, not the machine's
    /var/lib/prometheus/node-exporter)."""
    fixtures = os.path.join(repo, "tests", "fixtures")
    return [
        "--path.procfs=" + os.path.join(fixtures, "proc"),
        "--path.sysfs=" + os.path.join(fixtures, "sys"),
        "--path.rootfs=" + os.path.join(fixtures, "rootfs"),
        "--path.udev.data=" + os.path.join(fixtures, "udev", "data"),
        "--collector.gpu.library=" + os.path.join(fixtures, "no-nvml", "libnvidia-ml.so.1"),
        "--collector.textfile.directory=" + os.path.join(fixtures, "textfile"),
    ]


def common_argparser(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--exporter", required=True, help="path to vitals_exporter")
    parser.add_argument("--repo", required=True, help="repository root (for tests/fixtures)")
    return parser


class Failures:
    """Collects failed checks so one run reports all of them; exit() at the end."""

    def __init__(self, name):
        self.name = name
        self.items = []
        self.checks = 0

    def check(self, condition, message):
        self.checks += 1
        if not condition:
            self.items.append(message)
            print("FAIL: " + message, flush=True)
        return bool(condition)

    def fail(self, message):
        return self.check(False, message)

    def exit(self):
        if self.items:
            print("\n%s: %d of %d checks failed:" % (self.name, len(self.items), self.checks))
            for item in self.items:
                print("  - " + item.splitlines()[0])
            sys.exit(1)
        print("%s: all %d checks passed" % (self.name, self.checks))
        sys.exit(0)


# --------------------------------------------------------------------------- process


class ExporterError(RuntimeError):
    pass


class Exporter:
    """A running vitals_exporter. Listens on 127.0.0.1:0 unless `listen` says otherwise."""

    def __init__(self, binary, args=(), listen=(LOOPBACK + ":0",), env=None,
                 start_timeout=DEFAULT_START_TIMEOUT):
        self.binary = binary
        self.args = list(args)
        self.listen = list(listen)
        self.env = env
        self.start_timeout = start_timeout
        self.proc = None
        self.addresses = []  # "127.0.0.1:NNNNN" per bound socket, in log order.
        self.ports = []
        self._lines = []
        self._lock = threading.Lock()
        self._reader = None

    # -- lifecycle
    def start(self):
        # A second start would orphan the running process (stop() knows only the newest)
        # and hand back the first one's address from the log lines read so far.
        if self.proc is not None and self.proc.poll() is None:
            raise ExporterError("start() of an exporter that is running (`with` starts it)")
        cmd = [self.binary] + ["--web.listen-address=" + a for a in self.listen] + self.args
        env = dict(os.environ)
        if self.env:
            env.update(self.env)
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, env=env)
        self._reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + self.start_timeout
        try:
            while time.monotonic() < deadline:
                with self._lock:
                    found = [LISTENING_RE.search(line) for line in self._lines]
                found = [m for m in found if m]
                if len(found) >= len(self.listen):
                    self.addresses = [m.group(1) for m in found]
                    self.ports = [int(m.group(2)) for m in found]
                    return self
                if self.proc.poll() is not None:
                    self._reader.join(timeout=2)
                    raise ExporterError("exporter exited with %s before listening; stderr:\n%s"
                                        % (self.proc.returncode, self.stderr()))
                time.sleep(0.02)
            raise ExporterError("no 'listening on' line within %.0f s; stderr:\n%s"
                                % (self.start_timeout, self.stderr()))
        except BaseException:
            self.stop()
            raise

    def _read_stderr(self):
        for raw in self.proc.stderr:
            with self._lock:
                self._lines.append(raw.decode("utf-8", "replace").rstrip("\n"))

    def stop(self, timeout=5.0):
        """SIGTERM, then SIGKILL after `timeout`; returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=timeout)
        if self._reader is not None:
            self._reader.join(timeout=2)
        return self.proc.returncode

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    # -- access
    def stderr(self):
        with self._lock:
            return "\n".join(self._lines)

    def wait_log(self, pattern, timeout=5.0):
        """Waits until a stderr line matches `pattern`; returns the match or None."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                for line in self._lines:
                    match = regex.search(line)
                    if match:
                        return match
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.02)

    def url(self, path="/metrics", index=0):
        return "http://%s:%d%s" % (LOOPBACK, self.ports[index], path)

    def get(self, path="/metrics", index=0, **kwargs):
        return http_request(self.url(path, index), **kwargs)

    def scrape(self, path="/metrics", index=0):
        """GET the metrics page; raises unless 200. Returns the body as text."""
        response = self.get(path, index)
        if response.status != 200:
            raise ExporterError("GET %s: HTTP %d" % (path, response.status))
        return response.text()


def stop_all(exporters, timeout=10.0):
    """SIGTERMs every exporter first, then waits: shutdowns overlap instead of adding up
    (civetweb's mg_stop takes up to ~2 s each). Returns the exit codes, in order."""
    for exporter in exporters:
        if exporter.proc is not None and exporter.proc.poll() is None:
            exporter.proc.terminate()
    return [exporter.stop(timeout=timeout) for exporter in exporters]


def run_exporter(binary, args, timeout=10.0, env=None):
    """Runs the binary to completion (for --help, --config.check, bad flags...)."""
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    return subprocess.run([binary] + list(args), stdin=subprocess.DEVNULL, capture_output=True,
                          timeout=timeout, env=full_env, text=True)


class TextServer(http.server.ThreadingHTTPServer):
    """A loopback HTTP server in a daemon thread answering every GET with
    200 and `body(path)` as text/plain (a fake scrape target, probe target or
    webhook-free stand-in). stop() closes it; port 0 picks a free one."""

    def __init__(self, body, port=0, content_type="text/plain; version=0.0.4"):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                data = body(self.path).encode()
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        super().__init__((LOOPBACK, port), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self):
        return self.server_address[1]

    def stop(self):
        self.shutdown()
        self.server_close()


def free_port():
    """A port that was free a moment ago (callers must retry if it gets taken)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- HTTP


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # email.message.Message: case-insensitive get().
        self.body = body  # bytes, as received (not decompressed).

    def header(self, name):
        return self.headers.get(name) if self.headers is not None else None

    def text(self):
        return self.body.decode("utf-8")


def http_request(url, method="GET", headers=None, data=None, timeout=DEFAULT_HTTP_TIMEOUT):
    """One request; HTTP error statuses are returned, not raised."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Response(response.status, response.headers, response.read())
    except urllib.error.HTTPError as e:
        body = e.read() if e.fp is not None else b""
        return Response(e.code, e.headers, body)


def wait_http_ok(url, deadline_s, proc=None):
    """Polls `url` until it answers 200; False on timeout or if `proc` exits."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        try:
            if http_request(url, timeout=1.0).status == 200:
                return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


# --------------------------------------------------------------------------- parsing


class ParseError(ValueError):
    pass


METRIC_NAME_RE = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL_NAME_RE = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
_UNESCAPE = {"\\": "\\", '"': '"', "n": "\n"}


def parse_value(text):
    lowered = text.lower()
    if lowered in ("+inf", "inf"):
        return float("inf")
    if lowered == "-inf":
        return float("-inf")
    if lowered == "nan":
        return float("nan")
    try:
        return float(text)
    except ValueError:
        raise ParseError("bad sample value %r" % text) from None


def parse_sample_line(line):
    """'name{a="x",b="y"} 1.5 [ts]' -> (name, [(label, value), ...], value_text)."""
    m = METRIC_NAME_RE.match(line)
    if not m:
        raise ParseError("no metric name")
    name = m.group(0)
    pos = m.end()
    labels = []
    if pos < len(line) and line[pos] == "{":
        pos += 1
        while True:
            while pos < len(line) and line[pos] == " ":
                pos += 1
            if pos < len(line) and line[pos] == "}":
                pos += 1
                break
            lm = LABEL_NAME_RE.match(line, pos)
            if not lm:
                raise ParseError("bad label name at column %d" % (pos + 1))
            pos = lm.end()
            if line[pos:pos + 2] != '="':
                raise ParseError("expected =\" after label %s" % lm.group(0))
            pos += 2
            value = []
            while True:
                if pos >= len(line):
                    raise ParseError("unterminated label value")
                c = line[pos]
                if c == "\\":
                    if pos + 1 >= len(line) or line[pos + 1] not in _UNESCAPE:
                        raise ParseError("bad escape in label value")
                    value.append(_UNESCAPE[line[pos + 1]])
                    pos += 2
                elif c == '"':
                    pos += 1
                    break
                else:
                    value.append(c)
                    pos += 1
            labels.append((lm.group(0), "".join(value)))
            if pos < len(line) and line[pos] == ",":
                pos += 1
            elif pos < len(line) and line[pos] == "}":
                pos += 1
                break
            else:
                raise ParseError("expected , or } after a label value")
    rest = line[pos:]
    if not rest.startswith(" "):
        raise ParseError("expected a space before the value")
    fields = rest.split()
    if len(fields) not in (1, 2):
        raise ParseError("expected value [timestamp]")
    parse_value(fields[0])
    if len(fields) == 2 and not re.fullmatch(r"-?\d+", fields[1]):
        raise ParseError("bad timestamp %r" % fields[1])
    names = [k for k, _ in labels]
    if len(set(names)) != len(names):
        raise ParseError("duplicate label name")
    return name, labels, fields[0]


def escape_label_value(value):
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def format_sample(name, labels, value_text):
    if not labels:
        return "%s %s" % (name, value_text)
    inner = ",".join('%s="%s"' % (k, escape_label_value(v)) for k, v in labels)
    return "%s{%s} %s" % (name, inner, value_text)


class Scrape:
    """A parsed exposition.

    samples: {(name, frozenset(labels.items())): float}
    types:   {family: "counter" | "gauge" | ...}
    helps:   {family: help text}
    family_of(sample name) maps histogram/summary suffixes to their family.
    """

    def __init__(self, text):
        self.text = text
        self.samples = {}
        self.types = {}
        self.helps = {}
        self.order = []  # Sample keys in exposition order.
        for number, line in enumerate(text.split("\n"), start=1):
            try:
                self._line(line)
            except ParseError as e:
                raise ParseError("line %d: %s: %r" % (number, e, line)) from None

    def _line(self, line):
        if not line:
            return
        if line.startswith("#"):
            parts = line.split(" ", 3)
            if len(parts) >= 3 and parts[1] == "HELP":
                if parts[2] in self.helps:
                    raise ParseError("second HELP for %s" % parts[2])
                self.helps[parts[2]] = parts[3] if len(parts) > 3 else ""
            elif len(parts) >= 3 and parts[1] == "TYPE":
                if len(parts) != 4 or parts[3] not in (
                        "counter", "gauge", "histogram", "summary", "untyped"):
                    raise ParseError("bad TYPE line")
                if parts[2] in self.types:
                    raise ParseError("second TYPE for %s" % parts[2])
                self.types[parts[2]] = parts[3]
            return
        name, labels, value_text = parse_sample_line(line)
        key = (name, frozenset(labels))
        if key in self.samples:
            raise ParseError("duplicate sample")
        self.samples[key] = parse_value(value_text)
        self.order.append(key)

    def family_of(self, name):
        if name in self.types:
            return name
        for suffix in ("_bucket", "_sum", "_count", "_created"):
            if name.endswith(suffix) and name[: -len(suffix)] in self.types:
                return name[: -len(suffix)]
        return name

    def families(self):
        """Names of the families that have at least one sample."""
        return {self.family_of(name) for name, _ in self.samples}

    def by_family(self):
        out = {}
        for key, value in self.samples.items():
            out.setdefault(self.family_of(key[0]), {})[key] = value
        return out

    def get(self, name, **labels):
        return self.samples.get((name, frozenset(labels.items())))

    def find(self, name):
        """{labels dict as frozenset: value} for every sample called `name`."""
        return {k[1]: v for k, v in self.samples.items() if k[0] == name}


def parse(text):
    return Scrape(text)


def format_key(key):
    name, labels = key
    return format_sample(name, sorted(labels), "").rstrip()


class PeerExporter:
    """A peer exporter (node_exporter, process-exporter) on a free loopback port, its
    output in a temporary file. `listen_flag` is its listen-address flag (Go's flag
    package wants one dash, kingpin two); `ready_path` answers 200 once it serves."""

    def __init__(self, name, binary, args, listen_flag, ready_path="/metrics", env=None,
                 merge_stdout=False):
        self.name, self.binary, self.args = name, binary, args
        self.listen_flag, self.ready_path, self.env = listen_flag, ready_path, env
        self.merge_stdout = merge_stdout
        self.proc = None
        self.port = None
        self.log = tempfile.NamedTemporaryFile(prefix="vitals-e2e-%s-" % name, suffix=".log",
                                               delete=False)

    def start(self, attempts=5, timeout=10.0):
        for _ in range(attempts):
            self.port = free_port()
            self.log.seek(0)
            self.log.truncate()
            self.proc = subprocess.Popen(
                [self.binary, "%s=%s:%d" % (self.listen_flag, LOOPBACK, self.port)] + self.args,
                stdin=subprocess.DEVNULL,
                stdout=self.log if self.merge_stdout else subprocess.DEVNULL, stderr=self.log,
                env=None if self.env is None else dict(os.environ, **self.env))
            if wait_http_ok(self.url(self.ready_path), timeout, self.proc):
                return self
            self.terminate()
            if "address already in use" not in self.output():
                raise RuntimeError("%s did not start:\n%s" % (self.name, self.output()))
        raise RuntimeError("%s: no free port after %d attempts" % (self.name, attempts))

    def url(self, path="/metrics"):
        return "http://%s:%d%s" % (LOOPBACK, self.port, path)

    def terminate(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)

    def stop(self):
        self.terminate()
        self.log.close()
        if os.path.exists(self.log.name):
            os.unlink(self.log.name)

    def output(self):
        with open(self.log.name, errors="replace") as f:
            return f.read()
