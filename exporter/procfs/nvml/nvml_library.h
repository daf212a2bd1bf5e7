// NVML, loaded with dlopen() at run time: the function pointers the gpu collector calls.
// Loading never touches a GPU (nvmlInit_v2 does); a missing library or a missing required
// symbol is an error, a missing optional symbol leaves its pointer null (the metric is
// then absent, as on GPUs that do not support it).
#pragma once

#include <string>

#include "base/result.h"
#include "procfs/nvml/nvml_abi.h"

namespace vitals::procfs {

struct NvmlLibrary {
  void* handle = nullptr;  // Never dlclose()d: a hung NVML call may still run in it.

  // Required.
  nvmlInit_v2_fn init = nullptr;
  nvmlShutdown_fn shutdown = nullptr;
  nvmlDeviceGetCount_v2_fn device_count = nullptr;
  nvmlDeviceGetHandleByIndex_v2_fn handle_by_index = nullptr;
  nvmlDeviceGetString_fn uuid = nullptr;
  nvmlDeviceGetString_fn name = nullptr;
  // Optional.
  nvmlErrorString_fn error_string = nullptr;
  nvmlSystemGetDriverVersion_fn driver_version = nullptr;
  nvmlDeviceGetUtilizationRates_fn utilization = nullptr;
  nvmlDeviceGetMemoryInfo_fn memory = nullptr;
  nvmlDeviceGetTemperature_fn temperature = nullptr;
  nvmlDeviceGetUint_fn power_usage = nullptr;
  nvmlDeviceGetUint_fn power_limit = nullptr;
  nvmlDeviceGetUint_fn fan_speed = nullptr;
  nvmlDeviceGetClockInfo_fn clock = nullptr;
  nvmlDeviceGetTotalEccErrors_fn ecc_errors = nullptr;
  // The newest process getters the library has (_v3, else _v2; both take
  // nvmlProcessInfo_t), or the original v1 ones.
  nvmlDeviceGetProcesses_fn compute_processes = nullptr;
  nvmlDeviceGetProcesses_fn graphics_processes = nullptr;
  nvmlDeviceGetProcesses_v1_fn compute_processes_v1 = nullptr;
  nvmlDeviceGetProcesses_v1_fn graphics_processes_v1 = nullptr;

  // dlopen()s `path` (a file name is searched like any shared library).
  static Result<NvmlLibrary> Load(const std::string& path);

  // NVML's text for `code` ("GPU is lost"), with the number.
  std::string Describe(nvmlReturn_t code) const;
};

}  // namespace vitals::procfs
