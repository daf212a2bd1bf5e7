#!/bin/sh
# Routing cases for alertmanager/alertmanager.yml: each label set must reach
# exactly the receiver named first; then every alert of rules/alerts.yml, by its
# severity. Run from the repository root.
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
check red severity=critical alertname=VitalsMemoryPressureHigh instance=h1
check amber severity=warning alertname=VitalsMemoryPressureHigh instance=h1
check amber severity=warning alertname=VitalsIoPressureHigh instance=h1
check amber severity=warning alertname=VitalsCpuPressureHigh instance=h1
check red severity=critical alertname=VitalsSystemdUnitCrashLoop instance=h1 name=a.service
check amber severity=warning alertname=VitalsSystemdUnitCrashLoop instance=h1 name=a.service
check amber severity=warning alertname=VitalsSystemdUnitFailed instance=h1 name=a.service state=failed type=simple
check watchdog severity=none alertname=Watchdog
# anything unexpected (no severity) still reaches someone
check amber alertname=SomethingElse instance=h1
# every alert of rules/alerts.yml reaches the receiver of its severity
for pair in $(awk '/- alert:/ {a = $3} /severity:/ && a {print a "," $2; a = ""}' rules/alerts.yml | sort -u); do
  name=${pair%,*}
  severity=${pair#*,}
  case $severity in
    critical) want=red ;;
    warning) want=amber ;;
    none) want=watchdog ;;
    *) echo "FAIL: $name has severity $severity (not critical, warning or none)"; failed=1; continue ;;
  esac
  check "$want" severity="$severity" alertname="$name" instance=h1
done
exit $failed
