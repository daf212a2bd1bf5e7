#!/usr/bin/env python3
"""vitals' /probe side by side with Debian's prometheus-blackbox-exporter.

Both get equivalent modules and probe the same handlers of a local HTTP server on
127.0.0.1 (the one probes_live.py uses: 200, 301, 304, 404, 500, a GET-only handler,
a closed port, a TCP port): probe_success and probe_http_status_code agree.
Loopback only; both exporters and the server are stopped at the end.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import probes_live  # noqa: E402

BLACKBOX = "/usr/bin/prometheus-blackbox-exporter"

# name -> (vitals module, blackbox module), equivalent settings.
MODULES = {
    "http_2xx": ("{prober: http, timeout: 2s}",
                 "{prober: http, timeout: 2s, http: {preferred_ip_protocol: ip4}}"),
    "no_redirect": ("{prober: http, timeout: 2s, http: {follow_redirects: false, "
                    "valid_status_codes: [301, 302]}}",
                    "{prober: http, timeout: 2s, http: {follow_redirects: false, "
                    "valid_status_codes: [301, 302], preferred_ip_protocol: ip4}}"),
    "head": ("{prober: http, timeout: 2s, http: {method: HEAD}}",
             "{prober: http, timeout: 2s, http: {method: HEAD, preferred_ip_protocol: ip4}}"),
    "body": ("{prober: http, timeout: 2s, http: {fail_if_body_not_matches_regexp: ['vitals ok']}}",
             "{prober: http, timeout: 2s, http: {fail_if_body_not_matches_regexp: ['vitals ok'], "
             "preferred_ip_protocol: ip4}}"),
    "tcp": ("{prober: tcp, timeout: 2s}", "{prober: tcp, timeout: 2s, tcp: "
            "{preferred_ip_protocol: ip4}}"),
}


def config(tmp, name, which):
    lines = ["probes:" if which == 0 else "", "  modules:" if which == 0 else "modules:"]
    indent = "    " if which == 0 else "  "
    for module, pair in MODULES.items():
        lines.append("%s%s: %s" % (indent, module, pair[which]))
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write("\n".join(line for line in lines if line) + "\n")
    return path


def probe(url_base, target, module):
    query = urllib.parse.urlencode({"target": target, "module": module})
    response = harness.http_request(url_base + "/probe?" + query, timeout=10)
    if response.status != 200:
        raise RuntimeError("%s: HTTP %d" % (url_base, response.status))
    return harness.parse(response.text())


def main():
    parser = harness.common_argparser(__doc__.splitlines()[0])
    args = parser.parse_args()
    failures = harness.Failures("blackbox_compare")
    started = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="vitals-blackbox-")
    server = probes_live.Server()
    blackbox = None
    try:
        closed = harness.free_port()
        u = server.url
        cases = [(u(p), m) for p in ("/200", "/301", "/304", "/404", "/500", "/getonly")
                 for m in ("http_2xx", "no_redirect", "head")]
        cases += [(u("/200"), "body"), (u("/404"), "body"),
                  ("http://127.0.0.1:%d/" % closed, "http_2xx"),
                  ("127.0.0.1:%d" % server.port, "tcp"), ("127.0.0.1:%d" % closed, "tcp")]
        blackbox = harness.PeerExporter(
            "blackbox", BLACKBOX, ["--config.file=" + config(tmp, "blackbox.yml", 1)],
            "--web.listen-address", ready_path="/-/healthy").start()
        with harness.Exporter(args.exporter,
                              ["--config.file=" + config(tmp, "vitals.yml", 0)]) as exporter:
            for target, module in cases:
                ours = probe(exporter.url(""), target, module)
                theirs = probe(blackbox.url(""), target, module)
                failures.check(ours.get("probe_success") is not None and
                               theirs.get("probe_success") is not None,
                               "%s %s: probe_success missing" % (module, target))
                for name in ("probe_success", "probe_http_status_code"):
                    if module == "tcp" and name != "probe_success":
                        continue
                    failures.check(ours.get(name) == theirs.get(name),
                                   "%s %s: %s vitals %s, blackbox %s"
                                   % (module, target, name, ours.get(name), theirs.get(name)))
    except (RuntimeError, harness.ExporterError, harness.ParseError, OSError,
            subprocess.SubprocessError) as e:
        failures.fail("%s: %s" % (type(e).__name__, e))
    finally:
        if blackbox is not None:
            blackbox.stop()
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print("blackbox_compare: %.1f s" % (time.monotonic() - started))
    failures.exit()


if __name__ == "__main__":
    main()
