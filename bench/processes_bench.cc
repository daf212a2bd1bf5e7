// The per-process hot path: /proc/<pid> parsers on this process's own files, and the
// processes collector over the live /proc grouping every process by comm (the
// process-exporter configuration peer-bench compares against).
#include <benchmark/benchmark.h>

#include <string>

#include "collectors/processes_collector.h"
#include "procfs/file_reader.h"
#include "procfs/pid_io.h"
#include "procfs/pid_stat.h"
#include "procfs/pid_status.h"

namespace {

std::string SelfFile(const char* name) {
  auto text = vitals::procfs::ReadSmallFile(std::string("/proc/self/") + name);
  return text.ok() ? *text : std::string();
}

void BM_ParsePidStat(benchmark::State& state) {
  const std::string text = SelfFile("stat");
  for (auto _ : state) benchmark::DoNotOptimize(vitals::procfs::ParsePidStat(text));
}
BENCHMARK(BM_ParsePidStat);

void BM_ParsePidStatus(benchmark::State& state) {
  const std::string text = SelfFile("status");
  for (auto _ : state) benchmark::DoNotOptimize(vitals::procfs::ParsePidStatus(text));
}
BENCHMARK(BM_ParsePidStatus);

void BM_ParsePidIo(benchmark::State& state) {
  const std::string text = SelfFile("io");
  for (auto _ : state) benchmark::DoNotOptimize(vitals::procfs::ParsePidIo(text));
}
BENCHMARK(BM_ParsePidIo);

void BM_ProcessesCollectLiveByComm(benchmark::State& state) {
  vitals::collectors::ProcessesOptions options;
  vitals::collectors::ProcessGroupSpec spec;
  spec.name = *vitals::collectors::NameTemplate::Parse("{{.Comm}}");
  spec.cmdline.push_back(*vitals::collectors::Regex::Compile(".+"));
  options.groups.push_back(std::move(spec));
  vitals::collectors::ProcessesCollector collector(vitals::collectors::Paths{}, options);
  for (auto _ : state) {
    vitals::collectors::Families out;
    benchmark::DoNotOptimize(collector.Collect({}, out));
  }
}
BENCHMARK(BM_ProcessesCollectLiveByComm)->Unit(benchmark::kMillisecond);

}  // namespace
