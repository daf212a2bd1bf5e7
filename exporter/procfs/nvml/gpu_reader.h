// Reading every GPU through NVML into plain values: the driver calls of the gpu
// collector, which only waits for them (on its worker thread) and emits.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "procfs/nvml/nvml_library.h"

namespace vitals::procfs {

// What NVML said about one GPU in one scrape; fields it does not support stay empty.
struct GpuReading {
  unsigned index = 0;
  std::string uuid, name;
  std::optional<double> utilization, memory_utilization;         // Ratios 0..1.
  std::optional<double> memory_total, memory_free, memory_used;  // Bytes.
  std::optional<double> temperature;                             // Celsius.
  std::optional<double> power, power_limit;                      // Watts.
  std::optional<double> clock_graphics, clock_sm, clock_memory;  // Hertz.
  std::optional<double> fan;                                     // Ratio.
  std::optional<double> ecc_corrected, ecc_uncorrected;          // Counts since driver load.
  std::vector<std::pair<uint32_t, uint64_t>> processes;          // (pid, bytes used).
};

struct GpuSnapshot {
  bool taken = false;  // NVML answered (false: not loaded, failed or timed out).
  std::string driver_version;
  std::vector<GpuReading> gpus;
  std::vector<std::string> errors;  // Per-GPU failures; the other GPUs are still published.
};

// One NVML session: initialised by the first Read(), shut down by Shutdown(). Not
// thread-safe; every call must come from the same thread.
class GpuReader {
 public:
  enum class Outcome { kOk, kUnavailable, kFailed };

  explicit GpuReader(NvmlLibrary lib) : lib_(std::move(lib)) {}

  // Reads every GPU (and, when asked, the processes using each). kUnavailable: no
  // driver, for good; kFailed: this attempt failed, `why` says how.
  Outcome Read(bool with_processes, GpuSnapshot& out, std::string& why);
  void Shutdown();

 private:
  void ReadGpu(unsigned index, bool with_processes, GpuSnapshot& out);

  NvmlLibrary lib_;
  bool initialized_ = false;
};

}  // namespace vitals::procfs
