#include "procfs/nvml/nvml_library.h"

#include <dlfcn.h>

namespace vitals::procfs {
namespace {

template <typename Fn>
void Resolve(void* handle, const char* symbol, Fn& out) {
  out = reinterpret_cast<Fn>(dlsym(handle, symbol));
}

// The first of `symbols` the library exports.
template <typename Fn>
void ResolveFirst(void* handle, std::initializer_list<const char*> symbols, Fn& out) {
  for (const char* symbol : symbols) {
    Resolve(handle, symbol, out);
    if (out != nullptr) return;
  }
}

}  // namespace

Result<NvmlLibrary> NvmlLibrary::Load(const std::string& path) {
  dlerror();
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    return Error{why != nullptr ? why : "dlopen " + path + " failed"};
  }
  NvmlLibrary lib;
  lib.handle = handle;
  Resolve(handle, "nvmlInit_v2", lib.init);
  Resolve(handle, "nvmlShutdown", lib.shutdown);
  Resolve(handle, "nvmlDeviceGetCount_v2", lib.device_count);
  Resolve(handle, "nvmlDeviceGetHandleByIndex_v2", lib.handle_by_index);
  Resolve(handle, "nvmlDeviceGetUUID", lib.uuid);
  Resolve(handle, "nvmlDeviceGetName", lib.name);
  if (lib.init == nullptr || lib.shutdown == nullptr || lib.device_count == nullptr ||
      lib.handle_by_index == nullptr || lib.uuid == nullptr || lib.name == nullptr) {
    dlclose(handle);  // Nothing of it ever ran.
    return Error{path + " lacks NVML's basic functions (nvmlInit_v2, nvmlDeviceGet...)"};
  }
  Resolve(handle, "nvmlErrorString", lib.error_string);
  Resolve(handle, "nvmlSystemGetDriverVersion", lib.driver_version);
  Resolve(handle, "nvmlDeviceGetUtilizationRates", lib.utilization);
  Resolve(handle, "nvmlDeviceGetMemoryInfo", lib.memory);
  Resolve(handle, "nvmlDeviceGetTemperature", lib.temperature);
  Resolve(handle, "nvmlDeviceGetPowerUsage", lib.power_usage);
  Resolve(handle, "nvmlDeviceGetEnforcedPowerLimit", lib.power_limit);
  Resolve(handle, "nvmlDeviceGetFanSpeed", lib.fan_speed);
  Resolve(handle, "nvmlDeviceGetClockInfo", lib.clock);
  Resolve(handle, "nvmlDeviceGetTotalEccErrors", lib.ecc_errors);
  ResolveFirst(
      handle,
      {"nvmlDeviceGetComputeRunningProcesses_v3", "nvmlDeviceGetComputeRunningProcesses_v2"},
      lib.compute_processes);
  ResolveFirst(
      handle,
      {"nvmlDeviceGetGraphicsRunningProcesses_v3", "nvmlDeviceGetGraphicsRunningProcesses_v2"},
      lib.graphics_processes);
  if (lib.compute_processes == nullptr) {
    Resolve(handle, "nvmlDeviceGetComputeRunningProcesses", lib.compute_processes_v1);
  }
  if (lib.graphics_processes == nullptr) {
    Resolve(handle, "nvmlDeviceGetGraphicsRunningProcesses", lib.graphics_processes_v1);
  }
  return lib;
}

std::string NvmlLibrary::Describe(nvmlReturn_t code) const {
  const char* text = error_string != nullptr ? error_string(code) : nullptr;
  return std::string(text != nullptr ? text : "NVML error") + " (" + std::to_string(code) + ")";
}

}  // namespace vitals::procfs
