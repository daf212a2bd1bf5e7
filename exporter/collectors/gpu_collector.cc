#include "collectors/gpu_collector.h"

#include <spdlog/spdlog.h>

#include <array>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

#include "collectors/metric_builder.h"

namespace vitals::collectors {
namespace {

using Outcome = procfs::GpuReader::Outcome;

}  // namespace

struct GpuCollector::Worker {
  explicit Worker(procfs::NvmlLibrary lib) : reader(std::move(lib)) {}

  procfs::GpuReader reader;  // Only the worker thread touches it.
  bool with_processes = false;

  std::mutex mutex;
  std::condition_variable wake;
  std::condition_variable done;
  uint64_t requested = 0;
  uint64_t finished = 0;
  bool stopping = false;
  // The latest finished request's result.
  Outcome outcome = Outcome::kOk;
  std::string message;
  GpuSnapshot snapshot;

  void Run() {
    std::unique_lock lock(mutex);
    while (true) {
      wake.wait(lock, [&] { return stopping || requested > finished; });
      if (stopping) break;
      const uint64_t ticket = requested;
      lock.unlock();
      GpuSnapshot taken;
      std::string why;
      const Outcome result = reader.Read(with_processes, taken, why);
      lock.lock();
      outcome = result;
      message = std::move(why);
      snapshot = std::move(taken);
      finished = ticket;
      done.notify_all();
    }
    lock.unlock();
    reader.Shutdown();
  }
};

GpuCollector::GpuCollector(const Paths& paths, const GpuOptions& options,
                           const ProcessesOptions& processes)
    : paths_(paths), options_(options) {
  if (!processes.groups.empty()) classifier_ = ProcessClassifier::Shared(paths.procfs, processes);
}

GpuCollector::~GpuCollector() {
  if (!worker_) return;
  bool stuck = false;
  {
    std::lock_guard lock(worker_->mutex);
    worker_->stopping = true;
    stuck = worker_->requested > worker_->finished;
    worker_->wake.notify_all();
  }
  // A thread stuck in NVML keeps the shared state alive and exits when the call returns.
  if (stuck) {
    thread_.detach();
  } else {
    thread_.join();
  }
}

void GpuCollector::MarkUnavailable(const std::string& why) {
  spdlog::info("collector gpu: NVML is not available ({}); no GPU metrics from this host", why);
  state_ = State::kUnavailable;
}

bool GpuCollector::Load() {
  auto lib = procfs::NvmlLibrary::Load(options_.library);
  if (!lib.ok()) {
    MarkUnavailable(lib.error());
    return false;
  }
  worker_ = std::make_shared<Worker>(std::move(*lib));
  worker_->with_processes = classifier_ != nullptr;
  thread_ = std::thread([worker = worker_] { worker->Run(); });
  state_ = State::kLoaded;
  return true;
}

Status GpuCollector::TakeSnapshot(const ScrapeContext& context, GpuSnapshot& snapshot) {
  auto wait_until = std::chrono::steady_clock::now() + options_.timeout;
  if (context.deadline && *context.deadline < wait_until) wait_until = *context.deadline;
  std::unique_lock lock(worker_->mutex);
  if (worker_->requested > worker_->finished) {
    return Status::Fail(
        "an earlier NVML call has not returned yet (hung GPU or driver?); "
        "skipped until it does");
  }
  const uint64_t ticket = ++worker_->requested;
  worker_->wake.notify_one();
  if (!worker_->done.wait_until(lock, wait_until, [&] { return worker_->finished >= ticket; })) {
    return Status::Fail(
        "NVML did not answer within " +
        std::to_string(
            std::chrono::duration_cast<std::chrono::milliseconds>(options_.timeout).count()) +
        "ms (or the scrape deadline)");
  }
  switch (worker_->outcome) {
    case Outcome::kUnavailable: {
      const std::string why = worker_->message;
      worker_->stopping = true;  // Its thread has nothing left to do.
      worker_->wake.notify_all();
      lock.unlock();
      thread_.join();
      worker_.reset();
      MarkUnavailable(why);
      return Status::Ok();
    }
    case Outcome::kFailed:
      return Status::Fail(worker_->message);
    case Outcome::kOk:
      break;
  }
  snapshot = std::move(worker_->snapshot);
  if (snapshot.errors.empty()) return Status::Ok();
  std::string joined;
  for (const auto& error : snapshot.errors) joined += (joined.empty() ? "" : "; ") + error;
  return Status::Fail(joined);
}

Status GpuCollector::Collect(const ScrapeContext& context, Families& out) {
  if (state_ == State::kUnavailable) return Status::Ok();
  if (state_ == State::kUnloaded && !Load()) return Status::Ok();
  GpuSnapshot snapshot;
  const Status status = TakeSnapshot(context, snapshot);
  if (state_ == State::kUnavailable) return Status::Ok();
  Emit(snapshot, out);
  if (snapshot.taken && classifier_) EmitProcesses(snapshot, out);
  return status;
}

namespace {

void EmitInfo(const GpuSnapshot& snapshot, Families& out) {
  auto& info =
      AddFamily(out, "vitals_gpu_info", "GPU identity from NVML; the value is always 1.", kGauge);
  for (const auto& gpu : snapshot.gpus) {
    const std::string index = std::to_string(gpu.index);
    AddSample(info, 1,
              {{"driver_version", snapshot.driver_version},
               {"gpu", index},
               {"name", gpu.name},
               {"uuid", gpu.uuid}});
  }
}

// One family of a per-GPU value; GPUs without it have no sample.
void EmitValue(const GpuSnapshot& snapshot, const char* name, const char* help,
               std::optional<double> GpuReading::*field, Families& out) {
  auto& family = AddFamily(out, name, help, kGauge);
  for (const auto& gpu : snapshot.gpus) {
    if (!(gpu.*field)) continue;
    const std::string index = std::to_string(gpu.index);
    AddSample(family, *(gpu.*field), {{"gpu", index}, {"name", gpu.name}, {"uuid", gpu.uuid}});
  }
}

void EmitClocks(const GpuSnapshot& snapshot, Families& out) {
  auto& clocks = AddFamily(out, "vitals_gpu_clock_hertz", "Current GPU clocks in hertz.", kGauge);
  for (const auto& gpu : snapshot.gpus) {
    const std::string index = std::to_string(gpu.index);
    const std::array<std::pair<const char*, const std::optional<double>*>, 3> values = {{
        {"graphics", &gpu.clock_graphics},
        {"sm", &gpu.clock_sm},
        {"memory", &gpu.clock_memory},
    }};
    for (const auto& [clock, value] : values) {
      if (!*value) continue;
      AddSample(clocks, **value,
                {{"clock", clock}, {"gpu", index}, {"name", gpu.name}, {"uuid", gpu.uuid}});
    }
  }
}

void EmitEcc(const GpuSnapshot& snapshot, Families& out) {
  auto& ecc = AddFamily(out, "vitals_gpu_ecc_errors_total",
                        "GPU memory ECC errors since the driver was loaded (absent without ECC).",
                        kCounter);
  for (const auto& gpu : snapshot.gpus) {
    const std::string index = std::to_string(gpu.index);
    if (gpu.ecc_corrected) {
      AddSample(ecc, *gpu.ecc_corrected,
                {{"gpu", index}, {"name", gpu.name}, {"type", "corrected"}, {"uuid", gpu.uuid}});
    }
    if (gpu.ecc_uncorrected) {
      AddSample(ecc, *gpu.ecc_uncorrected,
                {{"gpu", index}, {"name", gpu.name}, {"type", "uncorrected"}, {"uuid", gpu.uuid}});
    }
  }
}

}  // namespace

void GpuCollector::Emit(const GpuSnapshot& snapshot, Families& out) const {
  if (snapshot.gpus.empty()) return;
  EmitInfo(snapshot, out);
  const auto value = [&](const char* name, const char* help,
                         std::optional<double> GpuReading::*field) {
    EmitValue(snapshot, name, help, field, out);
  };
  value("vitals_gpu_utilization_ratio",
        "Share of the last sample period in which a kernel ran on the GPU (0..1).",
        &GpuReading::utilization);
  value("vitals_gpu_memory_utilization_ratio",
        "Share of the last sample period in which GPU memory was read or written (0..1).",
        &GpuReading::memory_utilization);
  value("vitals_gpu_memory_used_bytes", "GPU memory in use, in bytes.", &GpuReading::memory_used);
  value("vitals_gpu_memory_free_bytes", "GPU memory free, in bytes.", &GpuReading::memory_free);
  value("vitals_gpu_memory_total_bytes", "GPU memory installed, in bytes.",
        &GpuReading::memory_total);
  value("vitals_gpu_temperature_celsius", "GPU core temperature in degrees Celsius.",
        &GpuReading::temperature);
  value("vitals_gpu_power_watts", "GPU power draw in watts.", &GpuReading::power);
  value("vitals_gpu_power_limit_watts", "GPU enforced power limit in watts.",
        &GpuReading::power_limit);
  EmitClocks(snapshot, out);
  value("vitals_gpu_fan_speed_ratio",
        "Fan speed as a share of its maximum (0..1; absent on GPUs without a fan).",
        &GpuReading::fan);
  EmitEcc(snapshot, out);
}

void GpuCollector::EmitProcesses(const GpuSnapshot& snapshot, Families& out) {
  std::map<std::string, double> bytes;
  for (const auto& name : seen_groups_) bytes[name] = 0;
  for (const auto& gpu : snapshot.gpus) {
    for (const auto& [pid, used] : gpu.processes) {
      // The group the processes collector charges this process to.
      const auto identity = classifier_->Classify(pid);
      if (!identity || !identity->group) continue;
      const std::string& group = identity->group->name;
      if (!seen_groups_.contains(group)) {
        if (static_cast<int>(seen_groups_.size()) >= classifier_->options().max_groups) continue;
        seen_groups_.insert(group);
      }
      bytes[group] += static_cast<double>(used);
    }
  }
  if (bytes.empty()) return;
  auto& family = AddFamily(out, "vitals_process_gpu_memory_bytes",
                           "GPU memory used by the processes of a process group, summed over "
                           "all GPUs, in bytes.",
                           kGauge);
  for (const auto& [name, value] : bytes) AddSample(family, value, {{"groupname", name}});
}

}  // namespace vitals::collectors
