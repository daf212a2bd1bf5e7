#!/usr/bin/env python3
"""Inhibition cases for alertmanager/alertmanager.yml, on a real Alertmanager.

Starts prometheus-alertmanager on a free loopback port with the shipped config,
posts alerts through its v2 API, and checks which ones end up inhibited:
- a red (critical) alert silences the amber (warning) one with the same alertname
  and instance, and not one of another instance or another mount point;
- VitalsExporterDown silences the other alerts of its instance, not Watchdog's;
- VitalsNetworkDown silences the probe alerts of its instance only, and a red
  probe alert silences the amber one of the same target only;
- a red VitalsSystemdUnitCrashLoop silences VitalsSystemdUnitFailed of the same
  unit (name) and instance, and not the amber crash loop of another unit.
Standard library only.
"""
import argparse
import datetime
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def alert(**labels):
    now = datetime.datetime.now(datetime.timezone.utc)
    return {"labels": labels,
            "annotations": {"summary": "test"},
            "startsAt": now.isoformat(),
            "endsAt": (now + datetime.timedelta(hours=1)).isoformat()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--alertmanager", default=shutil.which("prometheus-alertmanager") or "alertmanager")
    parser.add_argument("--repo", default=os.path.join(os.path.dirname(__file__), "..", ".."))
    args = parser.parse_args()
    config = os.path.join(args.repo, "alertmanager", "alertmanager.yml")
    port = free_port()
    base = "http://127.0.0.1:%d" % port
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen(
            [args.alertmanager, "--config.file=" + config, "--storage.path=" + tmp,
             "--web.listen-address=127.0.0.1:%d" % port, "--cluster.listen-address="],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "log"), "w"))
        try:
            deadline = time.time() + 30
            while True:
                try:
                    urllib.request.urlopen(base + "/-/ready", timeout=1).read()
                    break
                except OSError:
                    if proc.poll() is not None or time.time() > deadline:
                        print(open(os.path.join(tmp, "log")).read(), file=sys.stderr)
                        print("FAIL: alertmanager did not start", file=sys.stderr)
                        return 1
                    time.sleep(0.2)

            alerts = [
                alert(alertname="VitalsFilesystemHighAverage36h", severity="critical", instance="h1", mountpoint="/"),
                alert(alertname="VitalsFilesystemHighAverage36h", severity="warning", instance="h1", mountpoint="/", case="same"),
                alert(alertname="VitalsFilesystemHighAverage36h", severity="warning", instance="h1", mountpoint="/var", case="other-mount"),
                alert(alertname="VitalsFilesystemHighAverage36h", severity="warning", instance="h2", mountpoint="/", case="other-host"),
                alert(alertname="VitalsGpuTemperatureHigh", severity="critical", instance="h4", gpu="0"),
                alert(alertname="VitalsGpuTemperatureHigh", severity="warning", instance="h4", gpu="0", case="same-gpu"),
                alert(alertname="VitalsGpuTemperatureHigh", severity="warning", instance="h4", gpu="1", case="other-gpu"),
                alert(alertname="VitalsExporterDown", severity="critical", instance="h3"),
                alert(alertname="VitalsCpuHigh", severity="critical", instance="h3", case="down-host"),
                alert(alertname="VitalsMemoryHighPredicted", severity="warning", instance="h3", case="down-host-amber"),
                alert(alertname="Watchdog", severity="none"),
                alert(alertname="VitalsNetworkDown", severity="critical", instance="h4"),
                alert(alertname="VitalsProbeDown", severity="critical", instance="h4", target="10.0.0.1:53",
                      module="tcp", group="sandbox", case="net-down-probe"),
                alert(alertname="VitalsProbeSlow", severity="warning", instance="h4", target="https://a/",
                      module="http", group="web", case="net-down-slow"),
                alert(alertname="VitalsCpuHigh", severity="critical", instance="h4", case="net-down-cpu"),
                alert(alertname="VitalsProbeDown", severity="critical", instance="h5", target="10.0.0.1:53",
                      module="tcp", group="sandbox", case="net-up-probe"),
                alert(alertname="VitalsProbeSlow", severity="critical", instance="h5", target="https://a/",
                      module="http", group="web"),
                alert(alertname="VitalsProbeSlow", severity="warning", instance="h5", target="https://a/",
                      module="http", group="web", case="probe-same-target"),
                alert(alertname="VitalsProbeSlow", severity="warning", instance="h5", target="https://b/",
                      module="http", group="web", case="probe-other-target"),
                alert(alertname="VitalsMemoryPressureHigh", severity="critical", instance="h6"),
                alert(alertname="VitalsMemoryPressureHigh", severity="warning", instance="h6", case="pressure-same"),
                alert(alertname="VitalsSystemdUnitCrashLoop", severity="critical", instance="h7", name="a.service"),
                alert(alertname="VitalsSystemdUnitCrashLoop", severity="warning", instance="h7", name="b.service",
                      case="unit-other-crashloop"),
                alert(alertname="VitalsSystemdUnitFailed", severity="warning", instance="h7", name="a.service",
                      state="failed", type="simple", case="unit-failed-same"),
                alert(alertname="VitalsSystemdUnitFailed", severity="warning", instance="h7", name="backup.service",
                      state="failed", type="oneshot", case="unit-failed-other"),
                alert(alertname="VitalsSystemdUnitFailed", severity="warning", instance="h8", name="a.service",
                      state="failed", type="simple", case="unit-failed-other-host"),
            ]
            req = urllib.request.Request(base + "/api/v2/alerts", data=json.dumps(alerts).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
            urllib.request.urlopen(req, timeout=5).read()

            want = {"same": True, "other-mount": False, "other-host": False,
                    "same-gpu": True, "other-gpu": False,
                    "down-host": True, "down-host-amber": True,
                    "net-down-probe": True, "net-down-slow": True, "net-down-cpu": False,
                    "net-up-probe": False, "probe-same-target": True, "probe-other-target": False,
                    "pressure-same": True, "unit-other-crashloop": False, "unit-failed-same": True,
                    "unit-failed-other": False, "unit-failed-other-host": False}
            deadline = time.time() + 20
            while True:
                got = json.load(urllib.request.urlopen(base + "/api/v2/alerts", timeout=5))
                state = {}
                for a in got:
                    inhibited = bool(a["status"]["inhibitedBy"])
                    key = a["labels"].get("case") or a["labels"]["alertname"] + "/" + a["labels"].get("instance", "")
                    state[key] = inhibited
                ok = all(state.get(k) == v for k, v in want.items())
                # the sources themselves are never inhibited
                ok = ok and not any(v for k, v in state.items() if k not in want)
                if ok and len(state) == len(alerts):
                    for k in sorted(state):
                        print("ok: %-45s inhibited=%s" % (k, state[k]))
                    return 0
                if time.time() > deadline:
                    print("FAIL: inhibition state %s, want %s" % (state, want), file=sys.stderr)
                    return 1
                time.sleep(0.5)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    sys.exit(main())
