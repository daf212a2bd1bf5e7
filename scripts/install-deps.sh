#!/usr/bin/env bash
# Installs the Debian 12 packages vitals needs, only those missing (idempotent).
#   scripts/install-deps.sh build   what building and running the exporter needs
#   scripts/install-deps.sh test    plus what the test suite needs (peers, promtool, ...)
#   scripts/install-deps.sh stack   build, plus what scripts/stack.sh runs beside the exporter
#   scripts/install-deps.sh fleet   build, plus what scripts/fleet.sh runs (Prometheus, Alertmanager, VictoriaMetrics)
#   scripts/install-deps.sh bench   build, plus what bench/peer-bench.sh runs (peers, hyperfine, wrk)
set -euo pipefail

build_packages=(
  g++ make cmake pkg-config git ca-certificates
  prometheus-cpp-dev libcivetweb-dev libyaml-cpp-dev libspdlog-dev zlib1g-dev libpcre2-dev
  libcurl4-openssl-dev libssl-dev libcrypt-dev
  libsystemd-dev  # sd-bus: the systemd collector
  clang libbpf-dev  # the processes collector's BPF task iterator (clang -target bpf)
  dpkg-dev  # dpkg-shlibdeps: the .deb's Depends (cmake --build build --target package)
  file      # CPack's SHLIBDEPS runs file(1) on the binary
)
test_packages=(
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 curl clang-format openssl
  man-db systemd strace  # packaging tests: man --warnings, systemd-analyze, the unit's sandbox
  libclang-rt-14-dev
  prometheus prometheus-node-exporter prometheus-alertmanager prometheus-blackbox-exporter
  prometheus-process-exporter victoria-metrics
  docker-compose python3-aiosmtpd
  wrk       # e2e load_wrk
  procps binutils        # ps (e2e slow_clients), readelf (packaging_deb, stack_compose)
  iproute2 util-linux    # ip, unshare (e2e hostile_utf8), setpriv (e2e ports_live)
  dbus-daemon python3-dbus python3-gi  # e2e systemd: a private bus with a mock systemd
  # deploy tests: a Docker engine (dockerd, started by the test when none runs) and
  # the debian:12 base image made from Debian's archive (no registry is reachable).
  docker.io debootstrap
)
# Every program the tests start is listed in tests/tools.py; the deps_declared test
# checks that its package is installed by `test` (listed here, pulled in, or Essential).

# VITALS_BPF=OFF (a build configured with -DVITALS_BPF=OFF, e.g. the Dockerfile's): the
# BPF task iterator's build tools are not needed.
if [[ "${VITALS_BPF:-ON}" == OFF ]]; then
  for i in "${!build_packages[@]}"; do
    [[ "${build_packages[$i]}" == clang || "${build_packages[$i]}" == libbpf-dev ]] &&
      unset 'build_packages[i]'
  done
fi

case "${1:-build}" in
  build) wanted=("${build_packages[@]}") ;;
  test) wanted=("${build_packages[@]}" "${test_packages[@]}") ;;
  stack) wanted=("${build_packages[@]}" prometheus prometheus-alertmanager curl) ;;
  fleet) wanted=("${build_packages[@]}" prometheus prometheus-alertmanager victoria-metrics curl) ;;
  bench) wanted=("${build_packages[@]}" hyperfine wrk curl python3 gcc strace prometheus-node-exporter
                 prometheus-process-exporter prometheus-blackbox-exporter) ;;
  *) echo "usage: $0 [build|test|stack|fleet|bench]" >&2; exit 2 ;;
esac

missing=()
for package in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# Services shipped by these packages (prometheus, node exporter, alertmanager, blackbox
# exporter) must not start here.
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
