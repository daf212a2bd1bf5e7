#!/usr/bin/env python3
"""--web.config.file end to end: TLS, minimum TLS version, mutual TLS, basic auth on
every path (/probe and the landing page included), configured headers, plain HTTP on a
TLS port, and re-reading the file (new user, rotated certificate, new min_version, a
broken edit that must keep the previous file in force) without a restart.

Certificates are made at run time with `openssl` (tls_fixtures.py). Python 3 standard
library only; everything talks to 127.0.0.1 with bounded timeouts.
"""

import http.client
import os
import shutil
import socket
import ssl
import sys
import tempfile
import time
import warnings

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import tls_fixtures  # noqa: E402

TIMEOUT = 5.0
RELOAD_WAIT = 5.0  # The exporter checks the file every 200 ms.


def client_context(ca, cert=None, minimum=None, maximum=None):
    ctx = ssl.create_default_context(cafile=ca)
    if cert:
        ctx.load_cert_chain(cert[0], cert[1])
    if minimum:
        ctx.minimum_version = minimum
    if maximum:
        ctx.maximum_version = maximum
    return ctx


def request(port, ctx, path="/metrics", auth=None, method="GET"):
    """(status, headers dict, body) or raises (ssl.SSLError, OSError...)."""
    if ctx is None:
        conn = http.client.HTTPConnection(harness.LOOPBACK, port, timeout=TIMEOUT)
    else:
        conn = http.client.HTTPSConnection(harness.LOOPBACK, port, timeout=TIMEOUT, context=ctx)
    try:
        headers = {"Authorization": auth} if auth else {}
        conn.request(method, path, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def rejected(port, ctx, auth=None):
    """The error text when the TLS connection or request fails; None if it got through."""
    try:
        status, _, _ = request(port, ctx, auth=auth)
        return None if status == 200 else "HTTP %d" % status
    except (ssl.SSLError, OSError, http.client.HTTPException) as e:
        return "%s: %s" % (type(e).__name__, e)


def peer_common_name(port, ca):
    ctx = client_context(ca)
    with socket.create_connection((harness.LOOPBACK, port), timeout=TIMEOUT) as raw:
        with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            subject = dict(item[0] for item in tls.getpeercert()["subject"])
            return subject.get("commonName")


def wait_until(predicate, timeout=RELOAD_WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def plain_http_to_tls_port(port):
    """Sends a plain HTTP request to the TLS port; returns what came back (bytes)."""
    with socket.create_connection((harness.LOOPBACK, port), timeout=TIMEOUT) as s:
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        data = b""
        try:
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        except (ConnectionResetError, socket.timeout) as e:
            data += ("<%s>" % type(e).__name__).encode()
        return data


def tls_and_auth(args, failures, work):
    ca = os.path.join(work, "ca.crt")
    server_crt, server_key = tls_fixtures.make_signed(work, "server", "/CN=first server")
    config = os.path.join(work, "web.yml")
    tls = {"cert_file": "server.crt", "key_file": "server.key"}
    headers = {"X-Frame-Options": "deny", "Strict-Transport-Security": "max-age=31536000"}
    tls_fixtures.write_web_config(config, tls=tls, users={"alice": "wonderland"},
                                  headers=headers)
    alice = tls_fixtures.basic_auth_header("alice", "wonderland")
    bob = tls_fixtures.basic_auth_header("bob", "builder")
    flags = harness.fixture_args(args.repo) + ["--web.config.file=" + config]
    with harness.Exporter(args.exporter, flags) as exporter:
        port = exporter.ports[0]
        ctx = client_context(ca)

        status, headers_seen, body = request(port, ctx, auth=alice)
        failures.check(status == 200, "TLS + auth: GET /metrics is HTTP %d" % status)
        failures.check(b"node_load1 " in body or b"# TYPE" in body, "TLS + auth: no metrics")
        failures.check(headers_seen.get("X-Frame-Options") == "deny",
                       "configured header X-Frame-Options missing: %r" % headers_seen)
        failures.check(headers_seen.get("Strict-Transport-Security") == "max-age=31536000",
                       "configured header Strict-Transport-Security missing")

        for path in ("/metrics", "/", "/probe?target=127.0.0.1:1&module=tcp", "/-/healthy",
                     "/nope"):
            for name, auth in (("no credentials", None), ("wrong password",
                               tls_fixtures.basic_auth_header("alice", "wonderlan")),
                               ("unknown user", bob)):
                status, seen, _ = request(port, ctx, path=path, auth=auth)
                failures.check(status == 401, "%s %s: HTTP %d, want 401" % (path, name, status))
                failures.check(seen.get("WWW-Authenticate") == 'Basic realm="vitals"',
                               "%s %s: WWW-Authenticate is %r" % (path, name,
                                                                  seen.get("WWW-Authenticate")))
                failures.check(seen.get("X-Frame-Options") == "deny",
                               "%s %s: 401 lacks the configured header" % (path, name))
        status, _, _ = request(port, ctx, path="/probe", auth=alice)
        failures.check(status == 400, "/probe with auth, no target: HTTP %d, want 400" % status)
        status, _, body = request(port, ctx, path="/", auth=alice)
        failures.check(status == 200 and b"vitals_exporter" in body,
                       "landing page with auth: HTTP %d" % status)
        status, _, body = request(port, ctx, path="/metrics", auth=alice, method="HEAD")
        failures.check(status == 200 and body == b"", "HEAD with auth: HTTP %d" % status)
        # Refusals built on other paths than the common one carry the headers too.
        for path, method in (("/-/reload", "GET"), ("/metrics", "DELETE")):
            status, seen, _ = request(port, ctx, path=path, auth=alice, method=method)
            failures.check(status == 405 and seen.get("X-Frame-Options") == "deny",
                           "%s %s: HTTP %d, X-Frame-Options %r (want 405, deny)"
                           % (method, path, status, seen.get("X-Frame-Options")))

        # TLS 1.1 (and older) is refused; the server stays up.
        old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        old.load_verify_locations(ca)
        try:
            old.set_ciphers("DEFAULT:@SECLEVEL=0")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                old.minimum_version = ssl.TLSVersion.TLSv1
                old.maximum_version = ssl.TLSVersion.TLSv1_1
            error = rejected(port, old, auth=alice)
            # The server's protocol_version alert, not a client that could not even try.
            failures.check(error is not None and "protocol version" in error.lower(),
                           "a TLS 1.1 client was not refused by the server: %s" % error)
        except (ValueError, ssl.SSLError) as e:
            print("note: this Python/OpenSSL cannot even offer TLS 1.1 (%s)" % e)
        tls12 = client_context(ca, maximum=ssl.TLSVersion.TLSv1_2)
        failures.check(rejected(port, tls12, auth=alice) is None,
                       "TLS 1.2 refused by the default min_version")

        # Plain HTTP on the TLS port: no HTTP answer, the connection just ends.
        answer = plain_http_to_tls_port(port)
        failures.check(not answer.startswith(b"HTTP/"),
                       "plain HTTP on the TLS port got an HTTP answer: %r" % answer[:80])
        failures.check(rejected(port, ctx, auth=alice) is None,
                       "HTTPS no longer served after a plain-HTTP connection")
        failures.check(exporter.proc.poll() is None, "exporter died after plain HTTP")

        # A new user applies without restart.
        tls_fixtures.write_web_config(config, tls=tls, users={"alice": "wonderland",
                                                              "bob": "builder"},
                                      headers=headers)
        failures.check(wait_until(lambda: rejected(port, ctx, auth=bob) is None),
                       "new user bob not accepted within %.0f s" % RELOAD_WAIT)
        failures.check(exporter.wait_log(r"web config reloaded") is not None,
                       "no 'web config reloaded' log line")

        # A broken edit keeps the previous file: alice and bob still get in. The file is
        # checked when requests arrive, so keep asking while waiting for the log line.
        with open(config, "a") as f:
            f.write("basic_auth_users_typo: {}\n")
        failures.check(wait_until(lambda: rejected(port, ctx, auth=alice) is None and
                                  exporter.wait_log(r"web config not reloaded.*"
                                                    r"basic_auth_users_typo", timeout=0)),
                       "broken web config change not logged")
        failures.check(rejected(port, ctx, auth=bob) is None and
                       rejected(port, ctx, auth=alice) is None,
                       "a broken web config change dropped the users in force")
        tls_fixtures.write_web_config(config, tls=tls, users={"alice": "wonderland"},
                                      headers=headers)
        failures.check(wait_until(lambda: rejected(port, ctx, auth=bob) is not None),
                       "the repaired file (without bob) was not applied")

        # A rotated certificate is served on the next connection.
        failures.check(peer_common_name(port, ca) == "first server", "unexpected first cert")
        tls_fixtures.make_signed(work, "server2", "/CN=rotated server")
        os.replace(os.path.join(work, "server2.key"), server_key)
        os.replace(os.path.join(work, "server2.crt"), server_crt)
        failures.check(wait_until(lambda: peer_common_name(port, ca) == "rotated server"),
                       "rotated certificate not served without restart")
        failures.check(exporter.wait_log(r"web config reloaded", timeout=1) is not None,
                       "rotation not logged")

        # min_version: TLS13 applies to the next handshake.
        tls13 = dict(tls, min_version="TLS13")
        tls_fixtures.write_web_config(config, tls=tls13, users={"alice": "wonderland"})
        failures.check(wait_until(lambda: rejected(port, tls12, auth=alice) is not None),
                       "min_version TLS13 did not refuse a TLS 1.2 client")
        failures.check(rejected(port, ctx, auth=alice) is None,
                       "TLS 1.3 client refused under min_version TLS13")
        failures.check(exporter.proc.poll() is None, "exporter died")


def mutual_tls(args, failures, work):
    ca = os.path.join(work, "ca.crt")
    client = tls_fixtures.make_signed(work, "client", "/CN=prometheus", server=False)
    stranger = tls_fixtures.make_self_signed(work, "stranger", "/CN=stranger")
    config = os.path.join(work, "mtls.yml")
    tls_fixtures.write_web_config(config, tls={
        "cert_file": "server.crt", "key_file": "server.key",
        "client_auth_type": "RequireAndVerifyClientCert", "client_ca_file": "ca.crt"})
    flags = harness.fixture_args(args.repo) + ["--web.config.file=" + config]
    with harness.Exporter(args.exporter, flags) as exporter:
        port = exporter.ports[0]
        failures.check(rejected(port, client_context(ca)) is not None,
                       "mTLS: a client without a certificate got through")
        failures.check(rejected(port, client_context(ca, cert=stranger)) is not None,
                       "mTLS: a certificate from another CA got through")
        failures.check(rejected(port, client_context(ca, cert=client)) is None,
                       "mTLS: the CA-signed client certificate was refused")
        # TLS 1.2 reports the refusal in the handshake itself.
        tls12 = client_context(ca, maximum=ssl.TLSVersion.TLSv1_2)
        failures.check(rejected(port, tls12) is not None,
                       "mTLS over TLS 1.2: a client without a certificate got through")
        failures.check(exporter.proc.poll() is None, "exporter died")

        # Relaxing to VerifyClientCertIfGiven applies without restart.
        tls_fixtures.write_web_config(config, tls={
            "cert_file": "server.crt", "key_file": "server.key",
            "client_auth_type": "VerifyClientCertIfGiven", "client_ca_file": "ca.crt"})
        failures.check(wait_until(lambda: rejected(port, client_context(ca)) is None),
                       "VerifyClientCertIfGiven: a client without a certificate is refused")
        failures.check(rejected(port, client_context(ca, cert=stranger)) is not None,
                       "VerifyClientCertIfGiven: an unverifiable certificate got through")

        # RequireAnyClientCert: a certificate is required but not verified.
        tls_fixtures.write_web_config(config, tls={
            "cert_file": "server.crt", "key_file": "server.key",
            "client_auth_type": "RequireAnyClientCert"})
        failures.check(wait_until(lambda: rejected(port, client_context(ca, cert=stranger))
                                  is None),
                       "RequireAnyClientCert: a self-signed client certificate is refused")
        failures.check(rejected(port, client_context(ca)) is not None,
                       "RequireAnyClientCert: a client without a certificate got through")

        # RequestClientCert: asked for, optional, not verified.
        tls_fixtures.write_web_config(config, tls={
            "cert_file": "server.crt", "key_file": "server.key",
            "client_auth_type": "RequestClientCert"})
        failures.check(wait_until(lambda: rejected(port, client_context(ca)) is None),
                       "RequestClientCert: a client without a certificate is refused")
        failures.check(rejected(port, client_context(ca, cert=stranger)) is None,
                       "RequestClientCert: a self-signed client certificate is refused")
        failures.check(exporter.proc.poll() is None, "exporter died")


def plain_auth_and_startup_errors(args, failures, work):
    config = os.path.join(work, "plain.yml")
    tls_fixtures.write_web_config(config, users={"alice": "wonderland"})
    flags = harness.fixture_args(args.repo) + ["--web.config.file=" + config]
    with harness.Exporter(args.exporter, flags) as exporter:
        port = exporter.ports[0]
        status, seen, _ = request(port, None)
        failures.check(status == 401 and "WWW-Authenticate" in seen,
                       "plain HTTP without credentials: HTTP %d" % status)
        status, _, _ = request(port, None, auth=tls_fixtures.basic_auth_header("alice",
                                                                               "wonderland"))
        failures.check(status == 200, "plain HTTP with credentials: HTTP %d" % status)

    bad = os.path.join(work, "bad.yml")
    for name, text, where in (
            ("unknown key", "basic_auth_users: {}\ntls_server_confg: {}\n", ":2:1: "),
            ("plaintext password", "basic_auth_users:\n  alice: wonderland\n", ":2:10: "),
            ("missing certificate",
             "tls_server_config:\n  cert_file: nope.crt\n  key_file: nope.key\n", ":2:3: "),
            ("forbidden header", "http_server_config:\n  headers:\n    Server: x\n", ":3:5: ")):
        with open(bad, "w") as f:
            f.write(text)
        for extra in ([], ["--config.check"]):
            result = harness.run_exporter(args.exporter, ["--web.listen-address=127.0.0.1:0",
                                                          "--web.config.file=" + bad] + extra)
            lines = result.stderr.strip().splitlines()
            failures.check(result.returncode == 2, "%s %s: exit %d, want 2"
                           % (name, extra, result.returncode))
            failures.check(len(lines) == 1 and lines[0].startswith(bad + where),
                           "%s %s: stderr %r, want one line starting %s%s"
                           % (name, extra, result.stderr, bad, where))


def main():
    args = harness.common_argparser(__doc__.splitlines()[0]).parse_args()
    if shutil.which("openssl") is None:
        print("FAIL: the openssl command is missing (scripts/install-deps.sh test)")
        sys.exit(1)
    failures = harness.Failures("web_security")
    work = tempfile.mkdtemp(prefix="vitals_web_")
    try:
        tls_fixtures.make_ca(work)
        tls_and_auth(args, failures, work)
        mutual_tls(args, failures, work)
        plain_auth_and_startup_errors(args, failures, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    failures.exit()


if __name__ == "__main__":
    main()
