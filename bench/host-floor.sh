#!/usr/bin/env bash
# The read floor of vitals' own scrape: records with strace which files one scrape
# opens (and which statfs/adjtimex calls it makes), reads exactly those with
# bench/host-floor.c in a loop, and compares the exporter's CPU per scrape with it
# (and, with --peer, node_exporter's with all its defaults, on the same machine).
#
#   bench/host-floor.sh [--peer] [--scrapes N] EXPORTER [EXPORTER ARGS...]
#
# Prints the file list size and one table row per binary. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
peer=0 scrapes=100
while [[ $# -gt 0 ]]; do
  case "$1" in
    --peer) peer=1 ;;
    --scrapes) scrapes=$2; shift ;;
    *) break ;;
  esac
  shift
done
[[ $# -ge 1 ]] || { echo "usage: $0 [--peer] [--scrapes N] EXPORTER [ARGS...]" >&2; exit 2; }
exporter=$1
shift
for tool in strace gcc curl python3; do
  command -v "$tool" >/dev/null || { echo "host-floor.sh: $tool missing (scripts/install-deps.sh bench)" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 100); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done; return 1; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# CPU milliseconds per scrape of a running exporter, over $scrapes sequential scrapes.
cpu_per_scrape() {  # pid url
  local before after
  before=$(cpu_ticks "$1")
  for _ in $(seq "$scrapes"); do curl -sf -o /dev/null "$2"; done
  after=$(cpu_ticks "$1")
  python3 -c "print('%.3f' % (($after - $before) * 1000.0 / $(getconf CLK_TCK) / $scrapes))"
}

port=$(free_port)
"$exporter" --web.listen-address="127.0.0.1:$port" "$@" >"$work/exporter.log" 2>&1 &
pid=$!
pids+=("$pid")
url=http://127.0.0.1:$port/metrics
wait_up "$url" || { echo "exporter did not start:"; cat "$work/exporter.log"; exit 1; }
for _ in 1 2 3; do curl -sf -o /dev/null "$url"; done  # warm: first-scrape work is not per scrape

# One scrape under strace: every file it opened (-y: paths of returned fds).
strace -f -y -qq -e trace=openat,open,read,pread64,getdents64,statfs,adjtimex,clock_adjtime -p "$pid" -o "$work/trace" &
strace_pid=$!
sleep 1
curl -sf -o /dev/null "$url"
sleep 0.5
kill "$strace_pid"
wait "$strace_pid" 2>/dev/null || true
python3 - "$work/trace" >"$work/list" <<'EOF'
# Every file the scrape read (read/pread64 on a file: vitals keeps some open and
# preads them), every directory it listed, its statfs and adjtimex calls; each once,
# in first-use order. Sockets, pipes and eventfds are not reads of host state.
import re, sys
seen, out = set(), []
def add(entry):
    if entry not in seen:
        seen.add(entry)
        out.append(entry)
for line in open(sys.argv[1]):
    if "= -1 " in line:
        continue
    call = re.search(r"\b(read|pread64|getdents64|statfs|adjtimex|clock_adjtime)\(", line)
    if not call:
        continue
    name = call.group(1)
    if name in ("adjtimex", "clock_adjtime"):
        add("adjtimex")
    elif name == "statfs":
        path = re.search(r'statfs\("((?:[^"\\]|\\.)*)"', line)
        if path:
            add("statfs " + path.group(1))
    else:
        fd = re.search(r"\(\d+<([^>]*)>", line)
        if fd and fd.group(1).startswith("/"):
            add(("dir " if name == "getdents64" else "") + fd.group(1))
print("\n".join(out))
EOF
files=$(grep -vc '^statfs\|^adjtimex\|^dir ' "$work/list" || true)
dirs=$(grep -c '^dir ' "$work/list" || true)
statfs=$(grep -c '^statfs ' "$work/list" || true)
echo "one scrape read $files files and listed $dirs directories, made $statfs statfs calls" \
  "($(grep -c '^adjtimex' "$work/list" || true) adjtimex)"

gcc -O2 -o "$work/host-floor" bench/host-floor.c
floor=$("$work/host-floor" "$work/list" 200)
floor_cpu=$(sed -E 's/.*cpu_ms_per_iter=([0-9.]+).*/\1/' <<<"$floor")
vitals_cpu=$(cpu_per_scrape "$pid" "$url")
rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")

echo
echo "| binary | CPU ms per scrape | x floor | RSS after |"
echo "|---|---|---|---|"
echo "| floor (bench/host-floor.c, the same files) | $floor_cpu | 1.0 | |"
python3 -c "print('| vitals | $vitals_cpu | %.1f | %d KiB |' % ($vitals_cpu / $floor_cpu, $rss))"
if [[ $peer -eq 1 ]]; then
  nport=$(free_port)
  prometheus-node-exporter --web.listen-address="127.0.0.1:$nport" >"$work/node.log" 2>&1 &
  npid=$!
  pids+=("$npid")
  nurl=http://127.0.0.1:$nport/metrics
  wait_up "$nurl" || { echo "node_exporter did not start"; cat "$work/node.log"; exit 1; }
  for _ in 1 2 3; do curl -sf -o /dev/null "$nurl"; done
  node_cpu=$(cpu_per_scrape "$npid" "$nurl")
  nrss=$(awk '/VmRSS/ {print $2}' "/proc/$npid/status")
  python3 -c "print('| node_exporter 1.5 (all its defaults) | $node_cpu | %.1f | %d KiB |' % ($node_cpu / $floor_cpu, $nrss))"
  python3 -c "print('\nvitals / node_exporter CPU per scrape: 1/%.1f' % ($node_cpu / $vitals_cpu))"
fi
