#!/usr/bin/env bash
# The whole-process comparisons in docs/performance.md, with ../shared/tools/peer-bench.sh
# (it starts the exporters on 127.0.0.1, adds N idle processes, measures CPU per
# scrape, latency and RSS, and times proc-floor). Build first:
#   cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release -DVITALS_BUILD_TESTS=OFF && cmake --build build-rel
# Usage: bench/peer-bench.sh host|same|processes [OUTDIR]
#   processes runs vitals once per processes.reader in VITALS_READERS (default "bpf procfs":
#   the BPF task iterator, which needs root, then /proc), process-exporter beside the first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh bench
tool=../shared/tools/peer-bench.sh
bin=${VITALS_BIN:-$PWD/build-rel/vitals_exporter}  # VITALS_BIN: another build's binary
out=${2:-/tmp/vitals-peer-bench}
mkdir -p "$out"
host_collectors="--collector.cpu --collector.stat --collector.loadavg --collector.meminfo \
--collector.filesystem --collector.diskstats --collector.netdev --collector.netclass \
--collector.uname --collector.time --collector.vmstat --collector.netstat --collector.sockstat \
--collector.softnet --collector.udp_queues --collector.arp --collector.pressure --collector.filefd \
--collector.entropy --collector.timex --collector.os --collector.conntrack \
--collector.schedstat --collector.cpufreq --collector.selinux --collector.textfile \
--collector.hwmon --collector.thermal_zone --collector.powersupplyclass --collector.rapl \
--collector.dmi --collector.mdadm --collector.nvme --collector.edac \
--collector.bonding --collector.tapestats --collector.fibrechannel --collector.nfs --collector.nfsd --collector.xfs --collector.btrfs --collector.zfs --collector.infiniband --collector.ipvs --collector.bcache"
case "${1:-}" in
  host)  # vitals with its defaults next to node_exporter with all of its defaults.
    "$tool" --cmd "$bin --web.listen-address=127.0.0.1:{port}" --port 29200 --name vitals \
      --peers node --procs 0 --floor-variants ',-P' --report "$out/host.md" ;;
  same)  # node_exporter restricted to the collectors vitals has (run right after "host").
    "$tool" --cmd "prometheus-node-exporter --collector.disable-defaults $host_collectors \
--web.listen-address=127.0.0.1:{port}" --port 29201 --name node-same-collectors \
      --no-peers --procs 0 --floor-variants ',-P' --report "$out/same.md" ;;
  processes)  # process groups only, against process-exporter grouping by comm.
    readers=${VITALS_READERS:-bpf procfs}
    if [[ $(id -u) -ne 0 && " $readers " == *" bpf "* ]]; then
      echo "peer-bench: not root, so no BPF task iterator: reader bpf left out" >&2
      readers=${readers//bpf/}
    fi
    peers=(--peers procexp-all --floor-variants ',-s,-x')
    port=29202
    for reader in $readers; do
      { printf 'processes:\n  reader: %s\n' "$reader"; cat bench/processes-by-comm.yml; } \
        >"$out/processes-$reader.yml"
      "$tool" --cmd "$bin --collector.disable-defaults --config.file=$out/processes-$reader.yml \
--web.listen-address=127.0.0.1:{port}" --port "$port" --name "vitals-processes-$reader" \
        "${peers[@]}" --procs 0,1000,5000 --report "$out/processes-$reader.md"
      peers=(--no-peers --no-floor)  # The peer and the floor once, beside the first reader.
      port=$((port + 1))
    done ;;
  *) echo "usage: $0 host|same|processes [OUTDIR]" >&2; exit 2 ;;
esac
