#!/usr/bin/env python3
"""Test certificates and web config files for --web.config.file, made at run time.

Used by web_security.py, and runnable on its own to prepare a TLS + basic-auth set-up for
load tests (wrk, hey, ...):

    python3 tests/e2e/tls_fixtures.py DIR [--user prometheus --password secret]

writes DIR/{ca,server,client}.{crt,key} (EC P-256, valid one day, server for
127.0.0.1 and localhost) and DIR/web-config.yml (TLS + that user), and prints the
exporter flag and the Authorization header to send, e.g.

    wrk -H "Authorization: Basic ..." https://127.0.0.1:10100/metrics

Needs the `openssl` command (Debian: openssl) and libcrypt (crypt_r for bcrypt).
Python 3 standard library only.
"""

import argparse
import base64
import ctypes
import ctypes.util
import os
import subprocess


def _openssl(*args, cwd):
    subprocess.run(["openssl"] + list(args), cwd=cwd, check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=30)


def _key_and_csr(directory, name, subject):
    _openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", subject,
             cwd=directory)


def make_ca(directory, name="ca", subject="/CN=vitals test CA"):
    _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", name + ".key", "-out", name + ".crt", "-days", "1",
             "-subj", subject, cwd=directory)
    return os.path.join(directory, name + ".crt")


def make_signed(directory, name, subject, ca="ca", server=True):
    """A key and a certificate signed by `ca`: for 127.0.0.1/localhost when `server`,
    for TLS client authentication otherwise."""
    directory = os.path.abspath(directory)
    _key_and_csr(directory, name, subject)
    extensions = os.path.join(directory, name + ".ext")
    with open(extensions, "w") as f:
        if server:
            f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
        else:
            f.write("extendedKeyUsage=clientAuth\n")
    _openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
             "-CAcreateserial", "-out", name + ".crt", "-days", "1", "-extfile", extensions,
             cwd=directory)
    return os.path.join(directory, name + ".crt"), os.path.join(directory, name + ".key")


def make_self_signed(directory, name, subject):
    _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", name + ".key", "-out", name + ".crt", "-days", "1",
             "-subj", subject, cwd=directory)
    return os.path.join(directory, name + ".crt"), os.path.join(directory, name + ".key")


_libcrypt = None


def bcrypt_hash(password, cost=4):
    """A $2b$ bcrypt hash made by libcrypt (cost 4 keeps tests fast; use 10+ for real)."""
    global _libcrypt
    if _libcrypt is None:
        _libcrypt = ctypes.CDLL(ctypes.util.find_library("crypt") or "libcrypt.so.1")
        _libcrypt.crypt_gensalt.restype = ctypes.c_char_p
        _libcrypt.crypt_gensalt.argtypes = [ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p,
                                            ctypes.c_int]
        _libcrypt.crypt.restype = ctypes.c_char_p
        _libcrypt.crypt.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    salt = _libcrypt.crypt_gensalt(b"$2b$", cost, None, 0)
    hashed = _libcrypt.crypt(password.encode(), salt).decode()
    if not hashed.startswith("$2b$"):
        raise RuntimeError("libcrypt could not make a bcrypt hash: %r" % hashed)
    return hashed


def basic_auth_header(user, password):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


def write_web_config(path, tls=None, users=None, headers=None, extra=""):
    """tls: dict of tls_server_config keys; users: {user: password} (hashed here)."""
    lines = []
    if tls:
        lines.append("tls_server_config:")
        lines += ["  %s: %s" % (key, value) for key, value in tls.items()]
    if users:
        lines.append("basic_auth_users:")
        lines += ["  %s: %s" % (user, bcrypt_hash(password)) for user, password in users.items()]
    if headers:
        lines.append("http_server_config:\n  headers:")
        lines += ["    %s: %s" % (name, value) for name, value in headers.items()]
    text = "\n".join(lines) + "\n" + extra
    # Write a new file and rename it over the old one: a reader never sees half of it.
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)
    return path


def make_all(directory, user="prometheus", password="secret", cost=10):
    directory = os.path.abspath(directory)
    os.makedirs(directory, exist_ok=True)
    make_ca(directory)
    make_signed(directory, "server", "/CN=vitals test server")
    make_signed(directory, "client", "/CN=prometheus", server=False)
    config = os.path.join(directory, "web-config.yml")
    with open(config, "w") as f:
        f.write("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                "basic_auth_users:\n  %s: %s\n" % (user, bcrypt_hash(password, cost)))
    return config


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--user", default="prometheus")
    parser.add_argument("--password", default="secret")
    parser.add_argument("--cost", type=int, default=10, help="bcrypt cost (default 10)")
    args = parser.parse_args()
    config = make_all(args.directory, args.user, args.password, args.cost)
    print("--web.config.file=%s" % os.path.abspath(config))
    print("Authorization: %s" % basic_auth_header(args.user, args.password))
    print("CA certificate: %s" % os.path.abspath(os.path.join(args.directory, "ca.crt")))


if __name__ == "__main__":
    main()
