#!/usr/bin/env bash
# The vitals fleet topology on one machine, without containers (docs/fleet.md):
# vitals_exporter, two Prometheus replicas, an Alertmanager cluster of three
# (gossip), VictoriaMetrics single node as remote storage, all on 127.0.0.1, until
# Ctrl-C. A server that exits is reported and the others go on (that is what a
# fleet must survive); `run/NAME.sh` in the data directory starts it again.
#
#   scripts/fleet.sh [--mode ha|central] [--check] [--no-install] [--exporter PATH]
#     --mode ha       (default) each Prometheus replica evaluates rules/*.yml and
#                     sends alerts to every Alertmanager; both remote-write to
#                     VictoriaMetrics
#     --mode central  the replicas are Prometheus agents (forward only); vmalert
#                     evaluates rules/*.yml against VictoriaMetrics
#     --check         exit once everything is ready (0) or not within FLEET_TIMEOUT (1)
#     --no-install    do not install missing Debian packages
#     --exporter PATH run this binary instead of building build/vitals_exporter
#
# Environment (defaults in brackets):
#   FLEET_DIR [./fleet-data]    generated configs, logs, pids and data of every server
#   FLEET_PORT_BASE [19100]     ports: exporter +0, Prometheus replicas +1 and +2,
#                               Alertmanagers +3..+5 (gossip +6..+8), VictoriaMetrics
#                               +9, vmalert +10
#   VITALS_CONFIG [packaging/vitals.yml]   exporter configuration
#   FLEET_RULES [rules/*.yml]   rule files (a glob) for Prometheus or vmalert
#   ALERTMANAGER_CONFIG [alertmanager/alertmanager.yml]
#   ALERTMANAGER_PEER_TIMEOUT [15s]  how long each member waits per position in the
#                               cluster before it notifies what the others did not
#   SCRAPE_INTERVAL [15s], EVALUATION_INTERVAL [1m]
#   FLEET_TIMEOUT [90]          seconds to wait for everything to be ready
# Targets: every *.yml under $FLEET_DIR/targets/ (file_sd; local.yml, the exporter
# started here, is written by this script; add files for more hosts at any time).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

mode=ha check_only=0 install=1 exporter=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --mode) mode=$2; shift ;;
    --mode=*) mode=${1#--mode=} ;;
    --check) check_only=1 ;;
    --no-install) install=0 ;;
    --exporter) exporter=$2; shift ;;
    --exporter=*) exporter=${1#--exporter=} ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "fleet.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ $mode == ha || $mode == central ]] || { echo "fleet.sh: --mode is ha or central" >&2; exit 2; }

dir=${FLEET_DIR:-$repo/fleet-data}
base=${FLEET_PORT_BASE:-19100}
vitals_port=$base
prometheus_ports=($((base + 1)) $((base + 2)))
alertmanager_ports=($((base + 3)) $((base + 4)) $((base + 5)))
gossip_ports=($((base + 6)) $((base + 7)) $((base + 8)))
vm_port=$((base + 9))
vmalert_port=$((base + 10))
vitals_config=${VITALS_CONFIG:-$repo/packaging/vitals.yml}
rules=${FLEET_RULES:-$repo/rules/*.yml}
alertmanager_config=${ALERTMANAGER_CONFIG:-$repo/alertmanager/alertmanager.yml}
scrape_interval=${SCRAPE_INTERVAL:-15s}
evaluation_interval=${EVALUATION_INTERVAL:-1m}
timeout=${FLEET_TIMEOUT:-90}
peer_timeout=${ALERTMANAGER_PEER_TIMEOUT:-15s}

[[ $install -eq 1 ]] && "$repo/scripts/install-deps.sh" fleet
if [[ -z "$exporter" ]]; then
  cmake -S "$repo" -B "$repo/build" >/dev/null
  cmake --build "$repo/build" -j"$(nproc)" --target vitals_exporter
  exporter=$repo/build/vitals_exporter
fi
need() { command -v "$1" || { echo "fleet.sh: $1 not installed (scripts/install-deps.sh fleet)" >&2; exit 1; }; }
prometheus=$(need prometheus)
alertmanager=$(need prometheus-alertmanager)
victoria_metrics=$(need victoria-metrics)
vmalert=$(need vmalert)

ports=("$vitals_port" "${prometheus_ports[@]}" "${alertmanager_ports[@]}" "${gossip_ports[@]}" "$vm_port")
[[ $mode == central ]] && ports+=("$vmalert_port")
for port in "${ports[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "fleet.sh: 127.0.0.1:$port is in use (set FLEET_PORT_BASE)" >&2
    exit 1
  fi
done

mkdir -p "$dir/run" "$dir/log" "$dir/targets"
cat >"$dir/targets/local.yml" <<EOF
# written by scripts/fleet.sh: the exporter it runs
- targets: ['127.0.0.1:$vitals_port']
  labels:
    instance: local
EOF

am_targets=$(printf "'127.0.0.1:%s', " "${alertmanager_ports[@]}")
# The shipped replica (or agent) config with this fleet's addresses and intervals.
fleet_config() {  # shipped file
  sed -e "s#/etc/prometheus/rules/\*.yml#$rules#" \
      -e "s#/etc/prometheus/targets/#$dir/targets/#" \
      -e "s#\['localhost:9193', 'localhost:9194', 'localhost:9195'\]#[${am_targets%, }]#" \
      -e "s#localhost:8428#127.0.0.1:$vm_port#" \
      -e "s#scrape_interval: .*#scrape_interval: $scrape_interval#" \
      -e "s#scrape_timeout: .*#scrape_timeout: $scrape_interval#" \
      -e "s#evaluation_interval: .*#evaluation_interval: $evaluation_interval#" \
      "$1"
}
if [[ $mode == ha ]]; then
  fleet_config "$repo/stack/fleet/prometheus-replica.yml" >"$dir/prometheus.yml"
else
  fleet_config "$repo/stack/fleet/prometheus-agent.yml" >"$dir/prometheus.yml"
fi

# Writes run/NAME.sh (records its pid in run/NAME.pid, logs to log/NAME.log, execs
# the server) and starts it.
serve() {  # name, command...
  local name=$1
  shift
  {
    echo '#!/usr/bin/env bash'
    echo "echo \$\$ >'$dir/run/$name.pid'"
    printf 'exec'
    printf ' %q' "$@"
    printf " >>'%s' 2>&1\n" "$dir/log/$name.log"
  } >"$dir/run/$name.sh"
  chmod +x "$dir/run/$name.sh"
  "$dir/run/$name.sh" &
}
servers=()

stop() {
  trap - INT TERM EXIT
  local name pid pids=()
  for name in "${servers[@]}"; do
    pid=$(cat "$dir/run/$name.pid" 2>/dev/null) && kill "$pid" 2>/dev/null && pids+=("$pid")
  done
  local deadline=$((SECONDS + 20))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [[ $SECONDS -lt $deadline ]]; do sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'echo; echo "stopping"; exit 0' INT TERM


serve vitals_exporter "$exporter" --config.file="$vitals_config" \
  --web.listen-address="127.0.0.1:$vitals_port"
servers+=(vitals_exporter)

for i in 0 1 2; do
  peers=()
  for j in 0 1 2; do
    [[ $j -ne $i ]] && peers+=(--cluster.peer="127.0.0.1:${gossip_ports[j]}")
  done
  mkdir -p "$dir/alertmanager-$i"
  serve "alertmanager-$i" "$alertmanager" --config.file="$alertmanager_config" \
    --storage.path="$dir/alertmanager-$i" --web.listen-address="127.0.0.1:${alertmanager_ports[i]}" \
    --cluster.listen-address="127.0.0.1:${gossip_ports[i]}" \
    --cluster.advertise-address="127.0.0.1:${gossip_ports[i]}" \
    --cluster.peer-timeout="$peer_timeout" "${peers[@]}"
  servers+=("alertmanager-$i")
done

mkdir -p "$dir/victoria-metrics"
serve victoria-metrics "$victoria_metrics" -httpListenAddr="127.0.0.1:$vm_port" \
  -storageDataPath="$dir/victoria-metrics" -retentionPeriod=2d \
  -dedup.minScrapeInterval="$scrape_interval" -search.latencyOffset=1s
servers+=(victoria-metrics)

for i in 0 1; do
  replica=$((i + 1))
  if [[ $mode == ha ]]; then
    storage=(--storage.tsdb.path="$dir/prometheus-$replica")
  else
    storage=(--enable-feature=agent --storage.agent.path="$dir/prometheus-$replica")
  fi
  serve "prometheus-$replica" env PROMETHEUS_REPLICA="$replica" "$prometheus" \
    --config.file="$dir/prometheus.yml" "${storage[@]}" \
    --enable-feature=expand-external-labels \
    --web.listen-address="127.0.0.1:${prometheus_ports[i]}"
  servers+=("prometheus-$replica")
done

if [[ $mode == central ]]; then
  notifiers=()
  for port in "${alertmanager_ports[@]}"; do notifiers+=(-notifier.url="http://127.0.0.1:$port"); done
  serve vmalert "$vmalert" -httpListenAddr="127.0.0.1:$vmalert_port" -rule="$rules" \
    -datasource.url="http://127.0.0.1:$vm_port" -remoteWrite.url="http://127.0.0.1:$vm_port" \
    -remoteRead.url="http://127.0.0.1:$vm_port" -evaluationInterval="$evaluation_interval" \
    "${notifiers[@]}"
  servers+=(vmalert)
fi


get() { curl -sf --max-time 5 "$@"; }
query_has() {  # url, query, pattern
  get "$1/api/v1/query" --data-urlencode "query=$2" | grep -q "$3"
}
# Ready: every server answers; the Alertmanagers form one cluster of three; each
# replica has the exporter up (ha: every rule group loaded healthy and the three
# Alertmanagers found); VictoriaMetrics has the exporter's `up` (remote write
# works) as one series, not one per replica; central: vmalert's groups healthy.
ready() {
  get "http://127.0.0.1:$vitals_port/metrics" >/dev/null || return 1
  local port url loaded group
  for port in "${alertmanager_ports[@]}"; do
    [[ $(get "http://127.0.0.1:$port/api/v2/status" | grep -o '"address"' | wc -l) -eq 3 ]] || return 1
  done
  for port in "${prometheus_ports[@]}"; do
    url=http://127.0.0.1:$port
    get "$url/-/ready" >/dev/null || return 1
    [[ $mode == central ]] && continue
    query_has "$url" 'up{instance="local"} == 1' '"instance":"local"' || return 1
    loaded=$(get "$url/api/v1/rules") || return 1
    grep -q '"health":"err"' <<<"$loaded" && return 1
    for group in $(sed -n 's/^  - name: *//p' $rules); do
      grep -q "\"name\":\"$group\"" <<<"$loaded" || return 1
    done
    [[ $(get "$url/api/v1/alertmanagers" | grep -o '"url"' | wc -l) -ge 3 ]] || return 1
  done
  url=http://127.0.0.1:$vm_port
  [[ $(get "$url/api/v1/query" --data-urlencode 'query=count(up{instance="local"})' |
       grep -o '"value":\[[^]]*"1"\]' | wc -l) -eq 1 ]] || return 1
  if [[ $mode == central ]]; then
    loaded=$(get "http://127.0.0.1:$vmalert_port/api/v1/rules") || return 1
    grep -q '"lastError":"[^"]' <<<"$loaded" && return 1
    for group in $(sed -n 's/^  - name: *//p' $rules); do
      grep -q "\"name\":\"$group\"" <<<"$loaded" || return 1
    done
  fi
  return 0
}
deadline=$((SECONDS + timeout))
until ready; do
  if [[ $SECONDS -ge $deadline ]]; then
    echo "fleet.sh: not ready within ${timeout}s; logs in $dir/log" >&2
    tail -n 3 "$dir"/log/*.log >&2
    exit 1
  fi
  sleep 1
done

cat <<EOF
fleet ready, mode $mode (configs, logs and data in $dir):
  vitals_exporter     http://127.0.0.1:$vitals_port/metrics
  Prometheus          http://127.0.0.1:${prometheus_ports[0]}  http://127.0.0.1:${prometheus_ports[1]}
  Alertmanager        http://127.0.0.1:${alertmanager_ports[0]}  http://127.0.0.1:${alertmanager_ports[1]}  http://127.0.0.1:${alertmanager_ports[2]}
  VictoriaMetrics     http://127.0.0.1:$vm_port  (Grafana: a Prometheus data source with this URL)
EOF
[[ $mode == central ]] && echo "  vmalert             http://127.0.0.1:$vmalert_port"
[[ $check_only -eq 1 ]] && exit 0
echo "Ctrl-C stops them all. Targets: $dir/targets/*.yml"
# Servers may exit and be started again (run/NAME.sh); report exits, never stop.
declare -A reported=()
while true; do
  for name in "${servers[@]}"; do
    pid=$(cat "$dir/run/$name.pid" 2>/dev/null || true)
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
      [[ ${reported[$name]:-} == "$pid" ]] || echo "fleet.sh: $name (pid $pid) is not running; $dir/run/$name.sh starts it again" >&2
      reported[$name]=$pid
    fi
  done
  sleep 1
done
