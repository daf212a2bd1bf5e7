#!/bin/sh
# The prometheus-replica-N services of docker-compose.yml's fleet profile: writes
# /tmp/prometheus.yml, the mounted stack/fleet/prometheus-replica.yml with the addresses
# and intervals the compose variables give, then runs prometheus with the service's
# arguments (Prometheus expands only external_labels from the environment, with
# --enable-feature=expand-external-labels). stack/prometheus/entrypoint.sh does the same
# for the single Prometheus; scripts/fleet.sh for its loopback ports.
#   ALERTMANAGER_HOST      the cluster members' interface ('localhost:9193'..'9195';
#                          0.0.0.0 or ::: localhost)
#   VICTORIAMETRICS_HOST   VictoriaMetrics' interface ('localhost:8428'; 0.0.0.0: localhost)
#   SCRAPE_INTERVAL, EVALUATION_INTERVAL  replace the file's 15s and 1m when set
# The scrape targets are the files under /etc/prometheus/targets (FLEET_TARGETS).
set -eu

host() {
  case "$1" in
    ""|0.0.0.0|::|\[::\]) echo localhost ;;
    *:*) echo "[$1]" ;;  # an IPv6 address
    *) echo "$1" ;;
  esac
}
alertmanager=$(host "${ALERTMANAGER_HOST:-127.0.0.1}")
victoriametrics=$(host "${VICTORIAMETRICS_HOST:-127.0.0.1}")

sed -e "s#'localhost:\(919[0-9]\)'#'$alertmanager:\1'#g" \
    -e "s#//localhost:8428/#//$victoriametrics:8428/#" \
    ${SCRAPE_INTERVAL:+-e "s#scrape_interval: .*#scrape_interval: $SCRAPE_INTERVAL#"} \
    ${SCRAPE_INTERVAL:+-e "s#scrape_timeout: .*#scrape_timeout: $SCRAPE_INTERVAL#"} \
    ${EVALUATION_INTERVAL:+-e "s#evaluation_interval: .*#evaluation_interval: $EVALUATION_INTERVAL#"} \
    /etc/prometheus/prometheus.yml >/tmp/prometheus.yml
echo "entrypoint.sh: replica ${PROMETHEUS_REPLICA:-?}: Alertmanagers on $alertmanager," \
     "VictoriaMetrics $victoriametrics:8428" >&2
exec prometheus "$@"
