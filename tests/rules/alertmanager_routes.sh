#!/bin/sh
# Routing cases for alertmanager/alertmanager.yml: each label set must reach
# exactly the receiver named first. Run from the repository root.
set -eu
config=alertmanager/alertmanager.yml
amtool=${AMTOOL:-amtool}
failed=0
check() {
  want=$1
  shift
  if ! out=$("$amtool" config routes test --config.file="$config" --verify.receivers="$want" "$@" 2>&1); then
    echo "FAIL: $* -> $out (want $want)"
    failed=1
  else
    echo "ok: $* -> $want"
  fi
}
check red severity=critical alertname=VitalsCpuHigh instance=h1
check red severity=critical alertname=VitalsPortDown instance=h1 port=22
check red severity=critical alertname=VitalsExporterDown instance=h1
check amber severity=warning alertname=VitalsMemoryHighPredicted instance=h1
check amber severity=warning alertname=VitalsCollectorFailing instance=h1
check red severity=critical alertname=VitalsProbeDown instance=h1 target=https://a.example/ module=http group=web
check red severity=critical alertname=VitalsNetworkDown instance=h1
check amber severity=warning alertname=VitalsProbeSlow instance=h1 target=https://a.example/
check amber severity=warning alertname=VitalsProbeCertExpiry instance=h1 target=a:443
check watchdog severity=none alertname=Watchdog
# anything unexpected (no severity) still reaches someone
check amber alertname=SomethingElse instance=h1
exit $failed
