// gpu: NVIDIA GPU metrics through NVML, which is dlopen()ed at the first scrape (no
// build-time CUDA dependency). Without the library, or without a loaded driver, the
// collector logs once at info level and publishes nothing from then on (its
// vitals_scrape_collector_success stays 1: a host without GPUs is not a failure).
//
// Every NVML call runs on one worker thread; a scrape waits for it at most until
// `timeout` (or the scrape deadline, if earlier). A call that hangs (sick GPU, wedged
// driver) fails that scrape, and later scrapes are skipped - failing fast, starting
// no thread - until the call returns, like the filesystem collector's hung mounts.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <thread>

#include "collectors/collector.h"
#include "collectors/process_identity.h"
#include "procfs/nvml/gpu_reader.h"

namespace vitals::collectors {

struct GpuOptions {
  std::string library = "libnvidia-ml.so.1";  // A file name or a path, as for dlopen(3).
  std::chrono::milliseconds timeout{5000};

  bool operator==(const GpuOptions&) const = default;
};

using procfs::GpuReading;
using procfs::GpuSnapshot;

class GpuCollector : public Collector {
 public:
  GpuCollector(const Paths& paths, const GpuOptions& options, const ProcessesOptions& processes);
  ~GpuCollector() override;
  GpuCollector(const GpuCollector&) = delete;
  GpuCollector& operator=(const GpuCollector&) = delete;

  Status Collect(const ScrapeContext& context, Families& out) override;

  struct Worker;  // Shared with the NVML thread, which may outlive the collector.

 private:
  enum class State { kUnloaded, kUnavailable, kLoaded };
  bool Load();
  void MarkUnavailable(const std::string& why);
  Status TakeSnapshot(const ScrapeContext& context, GpuSnapshot& snapshot);
  void Emit(const GpuSnapshot& snapshot, Families& out) const;
  void EmitProcesses(const GpuSnapshot& snapshot, Families& out);

  Paths paths_;
  GpuOptions options_;
  // The processes: rules, shared with the processes collector; null without groups.
  std::shared_ptr<ProcessClassifier> classifier_;
  State state_ = State::kUnloaded;
  std::shared_ptr<Worker> worker_;
  std::thread thread_;
  std::set<std::string> seen_groups_;  // Published (at 0 when idle) once seen on a GPU.
};

}  // namespace vitals::collectors
