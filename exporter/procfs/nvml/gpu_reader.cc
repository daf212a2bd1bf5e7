#include "procfs/nvml/gpu_reader.h"

#include <algorithm>
#include <array>

namespace vitals::procfs {
namespace {

constexpr unsigned kProcessSlots = 64;  // First guess for the running-process lists.
constexpr unsigned kMaxProcessSlots = 4096;

// Reads one GPU; a call that fails for another reason than "not supported" is an
// error, and a lost GPU stops the reading (its other answers would be stale).
class DeviceReader {
 public:
  DeviceReader(const NvmlLibrary& lib, GpuReading& reading, std::vector<std::string>& errors)
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

GpuReader::Outcome GpuReader::Read(bool with_processes, GpuSnapshot& out, std::string& why) {
  if (!initialized_) {
    const nvmlReturn_t code = lib_.init();
    if (code == NVML_ERROR_DRIVER_NOT_LOADED || code == NVML_ERROR_LIBRARY_NOT_FOUND) {
      why = "nvmlInit_v2: " + lib_.Describe(code);
      return Outcome::kUnavailable;
    }
    if (code != NVML_SUCCESS) {
      why = "nvmlInit_v2: " + lib_.Describe(code);
      return Outcome::kFailed;  // Tried again next scrape.
    }
    initialized_ = true;
  }
  if (lib_.driver_version != nullptr) {
    std::array<char, NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE> text{};
    if (lib_.driver_version(text.data(), text.size()) == NVML_SUCCESS) {
      text.back() = '\0';
      out.driver_version = text.data();
    }
  }
  unsigned count = 0;
  if (const nvmlReturn_t code = lib_.device_count(&count); code != NVML_SUCCESS) {
    why = "nvmlDeviceGetCount_v2: " + lib_.Describe(code);
    return Outcome::kFailed;
  }
  for (unsigned index = 0; index < count; ++index) ReadGpu(index, with_processes, out);
  out.taken = true;
  return Outcome::kOk;
}

void GpuReader::ReadGpu(unsigned index, bool with_processes, GpuSnapshot& out) {
  GpuReading reading;
  reading.index = index;
  DeviceReader reader(lib_, reading, out.errors);
  if (!reader.Ok(lib_.handle_by_index(index, reader.device()), "handle")) return;
  nvmlReturn_t code = NVML_SUCCESS;
  reading.uuid = ReadString(lib_.uuid, *reader.device(), code);
  if (!reader.Ok(code, "uuid") || reading.uuid.empty()) return;  // No stable identity.
  reading.name = ReadString(lib_.name, *reader.device(), code);
  if (!reader.Ok(code, "name") && reader.lost()) return;
  reader.ReadAll(with_processes);
  if (!reader.lost()) out.gpus.push_back(std::move(reading));
}

void GpuReader::Shutdown() {
  if (initialized_) lib_.shutdown();
  initialized_ = false;
}

}  // namespace vitals::procfs
