#!/usr/bin/env bash
# Where an exporter's resident memory is: starts it on a random loopback port, scrapes
# it three times, prints VmRSS (file-backed and anonymous) and the resident KiB of each
# mapping from /proc/PID/smaps, summed by file name; anonymous mappings are split into
# thread stacks (civetweb's 100 KiB + guard), the heap and the rest.
#   bench/rss-by-mapping.sh build/vitals_exporter [exporter arguments...]
set -euo pipefail
binary=$1
shift
port=$((20000 + RANDOM % 20000))
"$binary" --web.listen-address="127.0.0.1:$port" "$@" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/metrics" && break
  sleep 0.1
done
for _ in 1 2 3; do curl -sf -o /dev/null "http://127.0.0.1:$port/metrics"; done
sleep 0.5
grep -E '^(VmRSS|RssFile|RssAnon|Threads):' "/proc/$pid/status" | tr -s ' \t' ' ' | tr '\n' ' '
echo
python3 - "$pid" <<'PY'
import collections
import re
import sys

resident = collections.Counter()
name = None
for line in open("/proc/%s/smaps" % sys.argv[1]):
    header = re.match(r"^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$", line)
    if header:
        kib = (int(header[2], 16) - int(header[1], 16)) // 1024
        name = header[4].rsplit("/", 1)[-1]
        if not name:
            name = "anon: thread stacks" if kib == 100 else "anon: other"
    elif line.startswith("Rss:"):
        resident[name] += int(line.split()[1])
for name, kib in resident.most_common():
    if kib:
        print("%7d KiB  %s" % (kib, name))
PY
