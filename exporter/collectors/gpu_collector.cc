#include "collectors/gpu_collector.h"

#include <fcntl.h>
#include <pwd.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <map>
#include <mutex>

#include "collectors/metric_builder.h"
#include "collectors/nvml_library.h"
#include "procfs/file_reader.h"
#include "procfs/pid_stat.h"
#include "procfs/pid_status.h"

namespace vitals::collectors {
namespace {

constexpr int kMaxAncestry = 64;        // Parent links followed to find a process's group.
constexpr unsigned kProcessSlots = 64;  // First guess for the running-process lists.
constexpr unsigned kMaxProcessSlots = 4096;

enum class Outcome { kOk, kUnavailable, kFailed };

// Reads one GPU; a call that fails for another reason than "not supported" is an
// error, and a lost GPU stops the reading (its other answers would be stale).
class GpuReader {
 public:
  GpuReader(const NvmlLibrary& lib, GpuReading& reading, std::vector<std::string>& errors)
      : lib_(lib), reading_(reading), errors_(errors) {}

  bool lost() const { return lost_; }
  nvmlDevice_t* device() { return &device_; }

  // True when `code` is success; records what went wrong otherwise.
  bool Ok(nvmlReturn_t code, const char* what) {
    if (code == NVML_SUCCESS) return true;
    if (code == NVML_ERROR_NOT_SUPPORTED) return false;
    if (code == NVML_ERROR_GPU_IS_LOST) lost_ = true;
    errors_.push_back("gpu " + std::to_string(reading_.index) + " " + what + ": " +
                      lib_.Describe(code));
    return false;
  }

  void ReadAll(bool with_processes) {
    Utilization();
    if (!lost_) Memory();
    if (!lost_) Temperature();
    if (!lost_) Power();
    if (!lost_) Clocks();
    if (!lost_) Fan();
    if (!lost_) Ecc();
    if (!lost_ && with_processes) Processes();
  }

 private:
  void Utilization() {
    nvmlUtilization_t rates{};
    if (lib_.utilization != nullptr && Ok(lib_.utilization(device_, &rates), "utilization")) {
      reading_.utilization = rates.gpu / 100.0;
      reading_.memory_utilization = rates.memory / 100.0;
    }
  }
  void Memory() {
    nvmlMemory_t memory{};
    if (lib_.memory != nullptr && Ok(lib_.memory(device_, &memory), "memory")) {
      reading_.memory_total = static_cast<double>(memory.total);
      reading_.memory_free = static_cast<double>(memory.free);
      reading_.memory_used = static_cast<double>(memory.used);
    }
  }
  void Temperature() {
    unsigned celsius = 0;
    if (lib_.temperature != nullptr &&
        Ok(lib_.temperature(device_, NVML_TEMPERATURE_GPU, &celsius), "temperature")) {
      reading_.temperature = celsius;
    }
  }
  void Power() {
    unsigned milliwatts = 0;
    if (lib_.power_usage != nullptr && Ok(lib_.power_usage(device_, &milliwatts), "power")) {
      reading_.power = milliwatts / 1000.0;
    }
    if (!lost_ && lib_.power_limit != nullptr &&
        Ok(lib_.power_limit(device_, &milliwatts), "power limit")) {
      reading_.power_limit = milliwatts / 1000.0;
    }
  }
  void Clocks() {
    if (lib_.clock == nullptr) return;
    const std::array<std::pair<int, std::optional<double>*>, 3> clocks = {{
        {NVML_CLOCK_GRAPHICS, &reading_.clock_graphics},
        {NVML_CLOCK_SM, &reading_.clock_sm},
        {NVML_CLOCK_MEM, &reading_.clock_memory},
    }};
    for (const auto& [type, field] : clocks) {
      unsigned mhz = 0;
      if (lost_) return;
      if (Ok(lib_.clock(device_, type, &mhz), "clock")) *field = mhz * 1e6;
    }
  }
  void Fan() {
    unsigned percent = 0;
    if (lib_.fan_speed != nullptr && Ok(lib_.fan_speed(device_, &percent), "fan speed")) {
      reading_.fan = percent / 100.0;
    }
  }
  void Ecc() {
    if (lib_.ecc_errors == nullptr) return;
    unsigned long long count = 0;
    if (Ok(lib_.ecc_errors(device_, NVML_MEMORY_ERROR_TYPE_CORRECTED, NVML_VOLATILE_ECC, &count),
           "ecc errors")) {
      reading_.ecc_corrected = static_cast<double>(count);
    }
    if (!lost_ &&
        Ok(lib_.ecc_errors(device_, NVML_MEMORY_ERROR_TYPE_UNCORRECTED, NVML_VOLATILE_ECC, &count),
           "ecc errors")) {
      reading_.ecc_uncorrected = static_cast<double>(count);
    }
  }

  // Calls a running-process getter, growing the buffer when NVML says it is too small.
  template <typename Info, typename Fn>
  void ProcessList(Fn getter, const char* what) {
    if (getter == nullptr || lost_) return;
    std::vector<Info> infos(kProcessSlots);
    unsigned count = static_cast<unsigned>(infos.size());
    nvmlReturn_t code = getter(device_, &count, infos.data());
    if (code == NVML_ERROR_INSUFFICIENT_SIZE && count > infos.size() && count <= kMaxProcessSlots) {
      infos.resize(count + 16);  // Room for processes started since.
      count = static_cast<unsigned>(infos.size());
      code = getter(device_, &count, infos.data());
    }
    if (!Ok(code, what)) return;
    for (unsigned i = 0; i < std::min<size_t>(count, infos.size()); ++i) {
      if (infos[i].usedGpuMemory == VITALS_NVML_VALUE_NOT_AVAILABLE) continue;
      auto& processes = reading_.processes;
      auto same = std::find_if(processes.begin(), processes.end(),
                               [&](const auto& p) { return p.first == infos[i].pid; });
      // A process in both lists is one process: NVML gives it the same memory in each.
      if (same == processes.end()) {
        processes.emplace_back(infos[i].pid, infos[i].usedGpuMemory);
      } else {
        same->second = std::max<uint64_t>(same->second, infos[i].usedGpuMemory);
      }
    }
  }
  void Processes() {
    ProcessList<nvmlProcessInfo_t>(lib_.compute_processes, "compute processes");
    ProcessList<nvmlProcessInfo_t>(lib_.graphics_processes, "graphics processes");
    ProcessList<nvmlProcessInfo_v1_t>(lib_.compute_processes_v1, "compute processes");
    ProcessList<nvmlProcessInfo_v1_t>(lib_.graphics_processes_v1, "graphics processes");
  }

  const NvmlLibrary& lib_;
  nvmlDevice_t device_ = nullptr;
  GpuReading& reading_;
  std::vector<std::string>& errors_;
  bool lost_ = false;
};

std::string ReadString(nvmlReturn_t (*getter)(nvmlDevice_t, char*, unsigned), nvmlDevice_t device,
                       nvmlReturn_t& code) {
  std::array<char, NVML_DEVICE_UUID_V2_BUFFER_SIZE> text{};
  code = getter(device, text.data(), text.size());
  text.back() = '\0';
  return code == NVML_SUCCESS ? std::string(text.data()) : std::string();
}

}  // namespace

struct GpuCollector::Worker {
  NvmlLibrary lib;
  bool with_processes = false;
  bool initialized = false;  // Only the worker thread touches this and `lib`'s calls.

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
      const Outcome result = Take(taken, why);
      lock.lock();
      outcome = result;
      message = std::move(why);
      snapshot = std::move(taken);
      finished = ticket;
      done.notify_all();
    }
    lock.unlock();
    if (initialized) lib.shutdown();
  }

  Outcome Take(GpuSnapshot& out, std::string& why) {
    if (!initialized) {
      const nvmlReturn_t code = lib.init();
      if (code == NVML_ERROR_DRIVER_NOT_LOADED || code == NVML_ERROR_LIBRARY_NOT_FOUND) {
        why = "nvmlInit_v2: " + lib.Describe(code);
        return Outcome::kUnavailable;
      }
      if (code != NVML_SUCCESS) {
        why = "nvmlInit_v2: " + lib.Describe(code);
        return Outcome::kFailed;  // Tried again next scrape.
      }
      initialized = true;
    }
    if (lib.driver_version != nullptr) {
      std::array<char, NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE> text{};
      if (lib.driver_version(text.data(), text.size()) == NVML_SUCCESS) {
        text.back() = '\0';
        out.driver_version = text.data();
      }
    }
    unsigned count = 0;
    if (const nvmlReturn_t code = lib.device_count(&count); code != NVML_SUCCESS) {
      why = "nvmlDeviceGetCount_v2: " + lib.Describe(code);
      return Outcome::kFailed;
    }
    for (unsigned index = 0; index < count; ++index) ReadGpu(index, out);
    out.taken = true;
    return Outcome::kOk;
  }

  void ReadGpu(unsigned index, GpuSnapshot& out) {
    GpuReading reading;
    reading.index = index;
    GpuReader reader(lib, reading, out.errors);
    if (!reader.Ok(lib.handle_by_index(index, reader.device()), "handle")) return;
    nvmlReturn_t code = NVML_SUCCESS;
    reading.uuid = ReadString(lib.uuid, *reader.device(), code);
    if (!reader.Ok(code, "uuid") || reading.uuid.empty()) return;  // No stable identity.
    reading.name = ReadString(lib.name, *reader.device(), code);
    if (!reader.Ok(code, "name") && reader.lost()) return;
    reader.ReadAll(with_processes);
    if (!reader.lost()) out.gpus.push_back(std::move(reading));
  }
};

GpuCollector::GpuCollector(const Paths& paths, const GpuOptions& options,
                           const ProcessesOptions& processes)
    : paths_(paths), options_(options), processes_(processes) {}

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
  auto lib = NvmlLibrary::Load(options_.library);
  if (!lib.ok()) {
    MarkUnavailable(lib.error());
    return false;
  }
  worker_ = std::make_shared<Worker>();
  worker_->lib = *lib;
  worker_->with_processes = !processes_.groups.empty();
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
  if (snapshot.taken && !processes_.groups.empty()) EmitProcesses(snapshot, out);
  return status;
}

void GpuCollector::Emit(const GpuSnapshot& snapshot, Families& out) const {
  if (snapshot.gpus.empty()) return;
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
  using Field = std::optional<double> GpuReading::*;
  const auto family = [&](const char* name, const char* help, Field field,
                          prometheus::MetricType type = kGauge) {
    auto& added = AddFamily(out, name, help, type);
    for (const auto& gpu : snapshot.gpus) {
      if (!(gpu.*field)) continue;
      const std::string index = std::to_string(gpu.index);
      AddSample(added, *(gpu.*field), {{"gpu", index}, {"name", gpu.name}, {"uuid", gpu.uuid}});
    }
  };
  family("vitals_gpu_utilization_ratio",
         "Share of the last sample period in which a kernel ran on the GPU (0..1).",
         &GpuReading::utilization);
  family("vitals_gpu_memory_utilization_ratio",
         "Share of the last sample period in which GPU memory was read or written (0..1).",
         &GpuReading::memory_utilization);
  family("vitals_gpu_memory_used_bytes", "GPU memory in use, in bytes.", &GpuReading::memory_used);
  family("vitals_gpu_memory_free_bytes", "GPU memory free, in bytes.", &GpuReading::memory_free);
  family("vitals_gpu_memory_total_bytes", "GPU memory installed, in bytes.",
         &GpuReading::memory_total);
  family("vitals_gpu_temperature_celsius", "GPU core temperature in degrees Celsius.",
         &GpuReading::temperature);
  family("vitals_gpu_power_watts", "GPU power draw in watts.", &GpuReading::power);
  family("vitals_gpu_power_limit_watts", "GPU enforced power limit in watts.",
         &GpuReading::power_limit);
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
  family("vitals_gpu_fan_speed_ratio",
         "Fan speed as a share of its maximum (0..1; absent on GPUs without a fan).",
         &GpuReading::fan);
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

namespace {

// Reads "<procfs>/<pid>/<name>" into `buffer`.
std::optional<std::string_view> ReadPidFile(const std::string& procfs, int64_t pid,
                                            const char* name, std::string& buffer) {
  const std::string path = procfs::JoinPath(procfs, std::to_string(pid) + "/" + name);
  auto content =
      procfs::ReadFileAt(AT_FDCWD, path.c_str(), buffer, nullptr, procfs::ReadMode::kOneRecord);
  if (!content.ok()) return std::nullopt;
  return *content;
}

std::vector<std::string> SplitCmdline(std::string_view text) {
  std::vector<std::string> argv;
  while (!text.empty()) {
    const size_t nul = text.find('\0');
    argv.emplace_back(text.substr(0, nul));
    if (nul == std::string_view::npos) break;
    text.remove_prefix(nul + 1);
  }
  while (!argv.empty() && argv.back().empty()) argv.pop_back();
  return argv;
}

std::string Username(uint32_t uid) {
  struct passwd entry {};
  struct passwd* found = nullptr;
  std::array<char, 4096> scratch{};
  if (getpwuid_r(uid, &entry, scratch.data(), scratch.size(), &found) == 0 && found != nullptr) {
    return found->pw_name;
  }
  return std::to_string(uid);
}

}  // namespace

// The group of `pid` under the processes: rules, or of its nearest matching ancestor
// when `children` is on (as the processes collector folds children into groups).
std::optional<std::string> GpuCollector::GroupOf(int64_t pid) {
  const bool wants_username = std::any_of(
      processes_.groups.begin(), processes_.groups.end(),
      [](const auto& spec) { return spec.name.text().find(".Username") != std::string::npos; });
  for (int depth = 0; depth < kMaxAncestry && pid > 0; ++depth) {
    const auto stat_text = ReadPidFile(paths_.procfs, pid, "stat", buffer_);
    if (!stat_text) return std::nullopt;
    const auto stat = procfs::ParsePidStat(*stat_text);
    if (!stat.ok()) return std::nullopt;
    const std::string comm(stat->comm);
    const int64_t parent = stat->ppid;
    const uint64_t start_time = stat->start_time;
    std::vector<std::string> argv;
    if (const auto cmdline = ReadPidFile(paths_.procfs, pid, "cmdline", buffer_)) {
      argv = SplitCmdline(*cmdline);
    }
    std::string username;
    if (wants_username) {
      if (const auto text = ReadPidFile(paths_.procfs, pid, "status", buffer_)) {
        if (auto status = procfs::ParsePidStatus(*text); status.ok()) {
          username = Username(status->effective_uid);
        }
      }
    }
    const ProcessFacts facts{comm, &argv, username, pid, start_time};
    if (auto match = MatchGroup(processes_.groups, facts)) return std::move(match->name);
    if (!processes_.children) return std::nullopt;
    pid = parent;
  }
  return std::nullopt;
}

void GpuCollector::EmitProcesses(const GpuSnapshot& snapshot, Families& out) {
  std::map<std::string, double> bytes;
  for (const auto& name : seen_groups_) bytes[name] = 0;
  for (const auto& gpu : snapshot.gpus) {
    for (const auto& [pid, used] : gpu.processes) {
      auto group = GroupOf(pid);
      if (!group) continue;
      if (!seen_groups_.contains(*group)) {
        if (static_cast<int>(seen_groups_.size()) >= processes_.max_groups) continue;
        seen_groups_.insert(*group);
      }
      bytes[*group] += static_cast<double>(used);
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
