// One benchmark per /proc parser, on the captured fixture text (tests/fixtures).
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "procfs/diskstats.h"
#include "procfs/loadavg.h"
#include "procfs/meminfo.h"
#include "procfs/mountinfo.h"
#include "procfs/net_dev.h"
#include "procfs/proc_stat.h"
#include "procfs/udev_data.h"

namespace {

std::string Fixture(const std::string& relative) {
  std::ifstream file(std::string(VITALS_FIXTURES) + "/" + relative);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

void BM_ParseProcStat(benchmark::State& state) {
  const std::string text = Fixture("proc/stat");
  for (auto _ : state) benchmark::DoNotOptimize(vitals::procfs::ParseProcStat(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ParseProcStat);

void BM_ParseMeminfo(benchmark::State& state) {
  const std::string text = Fixture("proc/meminfo");
  std::vector<vitals::procfs::MeminfoEntry> entries;
  for (auto _ : state) benchmark::DoNotOptimize(vitals::procfs::ParseMeminfo(text, entries));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ParseMeminfo);

void BM_ParseLoadavg(benchmark::State& state) {
  const std::string text = Fixture("proc/loadavg");
  for (auto _ : state) benchmark::DoNotOptimize(vitals::procfs::ParseLoadavg(text));
}
BENCHMARK(BM_ParseLoadavg);

void BM_ParseDiskstats(benchmark::State& state) {
  const std::string text = Fixture("proc/diskstats");
  std::vector<vitals::procfs::DiskStats> disks;
  for (auto _ : state) benchmark::DoNotOptimize(vitals::procfs::ParseDiskstats(text, disks));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ParseDiskstats);

void BM_ParseMountinfo(benchmark::State& state) {
  const std::string text = Fixture("proc/1/mountinfo");
  std::vector<vitals::procfs::MountInfo> mounts;
  for (auto _ : state) benchmark::DoNotOptimize(vitals::procfs::ParseMountinfo(text, mounts));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ParseMountinfo);

void BM_ParseNetDev(benchmark::State& state) {
  const std::string text = Fixture("proc/net/dev");
  std::vector<vitals::procfs::NetDevStats> devices;
  for (auto _ : state) benchmark::DoNotOptimize(vitals::procfs::ParseNetDev(text, devices));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ParseNetDev);

void BM_ParseUdevData(benchmark::State& state) {
  const std::string text = Fixture("udev/data/b254:0");
  for (auto _ : state) benchmark::DoNotOptimize(vitals::procfs::ParseUdevData(text));
}
BENCHMARK(BM_ParseUdevData);

}  // namespace
