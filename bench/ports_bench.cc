// The ports collector: the /proc/net/tcp parser on the fixture, and whole scrapes over
// the live kernel through sock_diag netlink and through /proc/net/{tcp,udp}* (the
// fallback), with and without a few thousand TIME_WAIT sockets on loopback (the case
// where the two differ: /proc/net/tcp prints every socket, sock_diag filters by state
// in the kernel). Eight configured ports, four of them listening, owners looked up.
//
// Run: build/bench/vitals_bench --benchmark_filter=Ports
#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "collectors/ports_collector.h"
#include "procfs/file_reader.h"
#include "procfs/net_tcp.h"

namespace {

using vitals::collectors::PortProtocol;
using vitals::collectors::PortsCollector;
using vitals::collectors::PortsOptions;
using vitals::collectors::PortSpec;
using vitals::collectors::SocketSource;

int Listener(int type) {
  const int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  if (type == SOCK_STREAM) listen(fd, 1024);
  return fd;
}

int PortOf(int fd) {
  sockaddr_in address{};
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  return ntohs(address.sin_port);
}

// Connects to `port` `count` times and closes the client first each time: each client
// socket stays in TIME_WAIT for 60 s. Done once per process, on first use.
void MakeTimeWait(int listener, int count) {
  static bool done = false;
  if (done) return;
  done = true;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(PortOf(listener)));
  for (int i = 0; i < count; ++i) {
    const int client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      close(client);
      break;
    }
    const int server = accept(listener, nullptr, nullptr);
    close(client);  // The side that closes first goes to TIME_WAIT.
    if (server >= 0) close(server);
  }
}

void BM_ParseNetTcpFixture(benchmark::State& state) {
  auto text = vitals::procfs::ReadSmallFile(std::string(VITALS_FIXTURES) + "/proc/net/tcp");
  std::vector<vitals::procfs::InetSocket> sockets;
  size_t malformed = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(vitals::procfs::ParseNetInet(*text, sockets, malformed));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(sockets.size()));
}
BENCHMARK(BM_ParseNetTcpFixture);

// Arguments: source (0 netlink, 1 procfs), TIME_WAIT sockets to create first.
void BM_PortsCollectLive(benchmark::State& state) {
  std::vector<int> fds = {Listener(SOCK_STREAM), Listener(SOCK_STREAM), Listener(SOCK_DGRAM),
                          Listener(SOCK_DGRAM)};
  if (state.range(1) > 0) MakeTimeWait(fds[0], static_cast<int>(state.range(1)));
  PortsOptions options;
  options.source = state.range(0) == 0 ? SocketSource::kNetlink : SocketSource::kProcfs;
  for (size_t i = 0; i < fds.size(); ++i) {
    PortSpec spec;
    spec.port = static_cast<uint16_t>(PortOf(fds[i]));
    spec.protocol = i < 2 ? PortProtocol::kTcp : PortProtocol::kUdp;
    spec.name = "open" + std::to_string(i);
    options.ports.push_back(spec);
    spec.port = static_cast<uint16_t>(spec.port + 1);  // Probably closed; either way fine.
    spec.name = "other" + std::to_string(i);
    options.ports.push_back(spec);
  }
  PortsCollector collector(vitals::collectors::Paths{}, options);
  for (auto _ : state) {
    vitals::collectors::Families out;
    benchmark::DoNotOptimize(collector.Collect({}, out));
  }
  std::ifstream tcp("/proc/net/tcp");  // Read to the end, unlike one pread().
  state.counters["tcp_lines"] = static_cast<double>(
      std::count(std::istreambuf_iterator<char>(tcp), std::istreambuf_iterator<char>(), '\n'));
  for (const int fd : fds) close(fd);
}
BENCHMARK(BM_PortsCollectLive)
    ->ArgNames({"procfs", "time_wait"})
    ->Args({0, 0})
    ->Args({1, 0})
    ->Args({0, 3000})
    ->Args({1, 3000})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
