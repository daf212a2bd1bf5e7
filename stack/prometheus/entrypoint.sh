#!/bin/sh
# The prometheus service of docker-compose.yml: writes /tmp/prometheus.yml, the mounted
# stack/prometheus/prometheus.yml with the addresses the compose variables give (its
# 'localhost:10100' and 'localhost:9093' are the defaults), then runs prometheus with
# the service's arguments. Prometheus does not expand the environment in its
# configuration file; scripts/stack.sh does the same substitution with its own ports.
#   VITALS_LISTEN_ADDRESS  the exporter's --web.listen-address (":10100", "0.0.0.0:10100",
#                          "[::]:10100": localhost:10100; "10.0.0.5:10100": that address)
#   ALERTMANAGER_HOST      Alertmanager's interface (0.0.0.0 or ::: localhost)
#   SCRAPE_INTERVAL, EVALUATION_INTERVAL  replace the file's 15s and 1m when set
set -eu

listen=${VITALS_LISTEN_ADDRESS:-:10100}
case "$listen" in
  :*|0.0.0.0:*|\[::\]:*) target="localhost:${listen##*:}" ;;
  *:*) target="$listen" ;;
  *) echo "entrypoint.sh: VITALS_LISTEN_ADDRESS=$listen has no port" >&2; exit 2 ;;
esac
alertmanager=${ALERTMANAGER_HOST:-127.0.0.1}
case "$alertmanager" in
  ""|0.0.0.0|::|\[::\]) alertmanager=localhost ;;
  *:*) alertmanager="[$alertmanager]" ;;  # an IPv6 address
esac

sed -e "s#'localhost:10100'#'$target'#" \
    -e "s#'localhost:9093'#'$alertmanager:9093'#" \
    ${SCRAPE_INTERVAL:+-e "s#scrape_interval: .*#scrape_interval: $SCRAPE_INTERVAL#"} \
    ${SCRAPE_INTERVAL:+-e "s#scrape_timeout: .*#scrape_timeout: $SCRAPE_INTERVAL#"} \
    ${EVALUATION_INTERVAL:+-e "s#evaluation_interval: .*#evaluation_interval: $EVALUATION_INTERVAL#"} \
    /etc/prometheus/prometheus.yml >/tmp/prometheus.yml
if grep -qF "'$target'" /tmp/prometheus.yml; then
  echo "entrypoint.sh: the local exporter is $target, Alertmanager $alertmanager:9093" >&2
else
  echo "entrypoint.sh: warning: no 'localhost:10100' target in prometheus.yml to replace" >&2
fi
exec prometheus "$@"
