#!/usr/bin/env bash
# The vitals stack without containers: builds build/vitals_exporter and runs it with
# Debian's prometheus (the shipped rules, stack/prometheus/prometheus.yml) and
# prometheus-alertmanager (alertmanager/alertmanager.yml), all on 127.0.0.1, until
# Ctrl-C. Grafana is not in Debian 12: import dashboards/*.json into yours
# (docs/stack.md).
#
#   scripts/stack.sh [--check] [--no-install] [--exporter PATH]
#     --check         exit once everything is ready (0) or not within STACK_TIMEOUT (1)
#     --no-install    do not install missing Debian packages
#     --exporter PATH run this binary instead of building build/vitals_exporter
#
# Environment (defaults in brackets):
#   STACK_DIR [./stack-data]         generated configs, logs and the data of both servers
#   VITALS_PORT [10100]  PROMETHEUS_PORT [19090]  ALERTMANAGER_PORT [19093]
#                                    (not 9090/9093: Debian's own services use those)
#   VITALS_CONFIG [packaging/vitals.yml]   exporter configuration
#   PROMETHEUS_RETENTION [15d]       how long Prometheus keeps samples
#   SCRAPE_INTERVAL, EVALUATION_INTERVAL   override those of the shipped config
#   STACK_TIMEOUT [60]               seconds to wait for everything to be ready
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

check_only=0 install=1 exporter=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --check) check_only=1 ;;
    --no-install) install=0 ;;
    --exporter) exporter=$2; shift ;;
    --exporter=*) exporter=${1#--exporter=} ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "stack.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

stack_dir=${STACK_DIR:-$repo/stack-data}
vitals_port=${VITALS_PORT:-10100}
prometheus_port=${PROMETHEUS_PORT:-19090}
alertmanager_port=${ALERTMANAGER_PORT:-19093}
vitals_config=${VITALS_CONFIG:-$repo/packaging/vitals.yml}
retention=${PROMETHEUS_RETENTION:-15d}
timeout=${STACK_TIMEOUT:-60}

[[ $install -eq 1 ]] && "$repo/scripts/install-deps.sh" stack
if [[ -z "$exporter" ]]; then
  cmake -S "$repo" -B "$repo/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$repo/build" -j"$(nproc)" --target vitals_exporter
  exporter=$repo/build/vitals_exporter
fi
prometheus=$(command -v prometheus) || { echo "stack.sh: prometheus not installed" >&2; exit 1; }
alertmanager=$(command -v prometheus-alertmanager || command -v alertmanager) ||
  { echo "stack.sh: prometheus-alertmanager not installed" >&2; exit 1; }

for port in "$vitals_port" "$prometheus_port" "$alertmanager_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "stack.sh: 127.0.0.1:$port is in use (set VITALS_PORT, PROMETHEUS_PORT, ALERTMANAGER_PORT)" >&2
    exit 1
  fi
done

mkdir -p "$stack_dir/prometheus" "$stack_dir/alertmanager"
# The shipped Prometheus config with this stack's addresses and the rules' real path.
sed -e "s#/etc/prometheus/rules/#$repo/rules/#" \
    -e "s#localhost:10100#127.0.0.1:$vitals_port#" \
    -e "s#localhost:9093#127.0.0.1:$alertmanager_port#" \
    ${SCRAPE_INTERVAL:+-e "s#scrape_interval: .*#scrape_interval: $SCRAPE_INTERVAL#"} \
    ${SCRAPE_INTERVAL:+-e "s#scrape_timeout: .*#scrape_timeout: $SCRAPE_INTERVAL#"} \
    ${EVALUATION_INTERVAL:+-e "s#evaluation_interval: .*#evaluation_interval: $EVALUATION_INTERVAL#"} \
    "$repo/stack/prometheus/prometheus.yml" >"$stack_dir/prometheus.yml"

pids=()
stop() {
  trap - INT TERM EXIT
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop EXIT
trap 'echo; echo "stopping"; exit 0' INT TERM

"$exporter" --config.file="$vitals_config" --web.listen-address="127.0.0.1:$vitals_port" \
  >"$stack_dir/vitals_exporter.log" 2>&1 &
pids+=($!)
"$alertmanager" --config.file="$repo/alertmanager/alertmanager.yml" \
  --storage.path="$stack_dir/alertmanager" --web.listen-address="127.0.0.1:$alertmanager_port" \
  --cluster.listen-address= >"$stack_dir/alertmanager.log" 2>&1 &
pids+=($!)
"$prometheus" --config.file="$stack_dir/prometheus.yml" --storage.tsdb.path="$stack_dir/prometheus" \
  --storage.tsdb.retention.time="$retention" --web.listen-address="127.0.0.1:$prometheus_port" \
  >"$stack_dir/prometheus.log" 2>&1 &
pids+=($!)

prometheus_url=http://127.0.0.1:$prometheus_port
alertmanager_url=http://127.0.0.1:$alertmanager_port

# Ready: each server answers, Prometheus has scraped the exporter (up 1), loaded
# every rule group of rules/*.yml without error, and found the Alertmanager.
ready() {
  curl -sf "http://127.0.0.1:$vitals_port/metrics" >/dev/null || return 1
  curl -sf "$alertmanager_url/-/ready" >/dev/null || return 1
  curl -sf "$prometheus_url/-/ready" >/dev/null || return 1
  curl -sf "$prometheus_url/api/v1/query" --data-urlencode 'query=up{job="vitals"} == 1' |
    grep -q "\"instance\":\"127.0.0.1:$vitals_port\"" || return 1
  local rules group
  rules=$(curl -sf "$prometheus_url/api/v1/rules") || return 1
  grep -q '"health":"err"' <<<"$rules" && return 1
  for group in $(sed -n 's/^  - name: *//p' "$repo"/rules/*.yml); do
    grep -q "\"name\":\"$group\"" <<<"$rules" || return 1
  done
  curl -sf "$prometheus_url/api/v1/alertmanagers" | grep -q "127.0.0.1:$alertmanager_port" || return 1
}

deadline=$((SECONDS + timeout))
until ready; do
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "stack.sh: a server exited; logs in $stack_dir:" >&2
      tail -n 5 "$stack_dir"/*.log >&2
      exit 1
    fi
  done
  if [[ $SECONDS -ge $deadline ]]; then
    echo "stack.sh: not ready within ${timeout}s; logs in $stack_dir" >&2
    exit 1
  fi
  sleep 0.5
done

cat <<EOF
stack ready (data and logs in $stack_dir):
  vitals_exporter  http://127.0.0.1:$vitals_port/metrics
  Prometheus       $prometheus_url  (rules: $repo/rules, retention $retention)
  Alertmanager     $alertmanager_url
Grafana: add $prometheus_url as a Prometheus data source, import dashboards/*.json.
EOF
[[ $check_only -eq 1 ]] && exit 0
echo "Ctrl-C stops all three."
set +e
wait -n "${pids[@]}"
echo "stack.sh: a server exited; stopping the others (logs in $stack_dir)" >&2
exit 1
