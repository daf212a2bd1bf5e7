/* A fake NVML for the gpu collector's tests: a shared library exporting the NVML
 * functions vitals calls, answering from a script file named by the environment
 * variable FAKE_NVML_SCRIPT. The file is re-read at nvmlInit_v2, at every
 * nvmlDeviceGetCount_v2 (the start of each scrape) and while a call is blocked, so a
 * test can change the answers between scrapes. Lines ('#' starts a comment):
 *
 *   init_error CODE                 nvmlInit_v2 returns CODE (e.g. 9: driver not loaded)
 *   driver VERSION
 *   gpu N uuid TEXT | name TEXT...  identity of GPU N (GPUs are 0..highest N mentioned)
 *   gpu N util GPU_PCT MEM_PCT
 *   gpu N memory TOTAL FREE USED    bytes
 *   gpu N temperature C
 *   gpu N power USAGE_MW LIMIT_MW
 *   gpu N clocks GRAPHICS SM MEM    MHz
 *   gpu N fan PCT                   without it: NVML_ERROR_NOT_SUPPORTED
 *   gpu N ecc CORRECTED UNCORRECTED without it: NVML_ERROR_NOT_SUPPORTED
 *   gpu N process PID BYTES         a compute process (graphics_process: a graphics one)
 *   gpu N lost                      every call about GPU N returns NVML_ERROR_GPU_IS_LOST
 *   gpu N fail FUNCTION CODE        FUNCTION (e.g. nvmlDeviceGetTemperature) returns CODE
 *   block FUNCTION                  FUNCTION blocks while this line is in the file
 *                                   (at most 60 s)
 *
 * Without FAKE_NVML_SCRIPT every call fails with NVML_ERROR_UNKNOWN. Not linked to
 * anything but libc; loaded only through dlopen(), like the real libnvidia-ml.so.1. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "procfs/nvml/nvml_abi.h"

#define MAX_GPUS 8
#define MAX_PROCS 96 /* More than vitals' first buffer (64): its retry runs. */
#define MAX_RULES 16
#define TEXT 96

#define EXPORT __attribute__((visibility("default")))

typedef struct {
  unsigned pid;
  unsigned long long bytes;
} Proc;

typedef struct {
  char function[64];
  int code;
} Rule;

typedef struct {
  char uuid[TEXT], name[TEXT];
  unsigned util[2];
  unsigned long long memory[3];
  unsigned temperature, power[2], clocks[3], fan;
  unsigned long long ecc[2];
  int has_fan, has_ecc, lost;
  Proc compute[MAX_PROCS], graphics[MAX_PROCS];
  int n_compute, n_graphics;
  Rule fail[MAX_RULES];
  int n_fail;
} Gpu;

typedef struct {
  int init_error;
  char driver[TEXT];
  Gpu gpus[MAX_GPUS];
  unsigned count;
  char blocked[MAX_RULES][64];
  int n_blocked;
} Script;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static Script current;

static void Trim(char* text) {
  size_t n = strlen(text);
  while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' ' || text[n - 1] == '\r')) {
    text[--n] = '\0';
  }
}

static void ParseGpuLine(Script* s, unsigned index, const char* key, const char* rest) {
  if (index >= MAX_GPUS) return;
  Gpu* g = &s->gpus[index];
  if (index + 1 > s->count) s->count = index + 1;
  if (strcmp(key, "uuid") == 0) {
    snprintf(g->uuid, TEXT, "%s", rest);
  } else if (strcmp(key, "name") == 0) {
    snprintf(g->name, TEXT, "%s", rest);
  } else if (strcmp(key, "util") == 0) {
    sscanf(rest, "%u %u", &g->util[0], &g->util[1]);
  } else if (strcmp(key, "memory") == 0) {
    sscanf(rest, "%llu %llu %llu", &g->memory[0], &g->memory[1], &g->memory[2]);
  } else if (strcmp(key, "temperature") == 0) {
    sscanf(rest, "%u", &g->temperature);
  } else if (strcmp(key, "power") == 0) {
    sscanf(rest, "%u %u", &g->power[0], &g->power[1]);
  } else if (strcmp(key, "clocks") == 0) {
    sscanf(rest, "%u %u %u", &g->clocks[0], &g->clocks[1], &g->clocks[2]);
  } else if (strcmp(key, "fan") == 0) {
    g->has_fan = sscanf(rest, "%u", &g->fan) == 1;
  } else if (strcmp(key, "ecc") == 0) {
    g->has_ecc = sscanf(rest, "%llu %llu", &g->ecc[0], &g->ecc[1]) == 2;
  } else if (strcmp(key, "process") == 0 && g->n_compute < MAX_PROCS) {
    Proc* p = &g->compute[g->n_compute];
    if (sscanf(rest, "%u %llu", &p->pid, &p->bytes) == 2) ++g->n_compute;
  } else if (strcmp(key, "graphics_process") == 0 && g->n_graphics < MAX_PROCS) {
    Proc* p = &g->graphics[g->n_graphics];
    if (sscanf(rest, "%u %llu", &p->pid, &p->bytes) == 2) ++g->n_graphics;
  } else if (strcmp(key, "lost") == 0) {
    g->lost = 1;
  } else if (strcmp(key, "fail") == 0 && g->n_fail < MAX_RULES) {
    Rule* r = &g->fail[g->n_fail];
    if (sscanf(rest, "%63s %d", r->function, &r->code) == 2) ++g->n_fail;
  }
}

/* Re-reads the script; keeps the previous one when the file cannot be read. */
static void Reload(void) {
  const char* path = getenv("FAKE_NVML_SCRIPT");
  FILE* file = path != NULL ? fopen(path, "r") : NULL;
  if (file == NULL) return;
  Script* s = calloc(1, sizeof(Script));
  if (s == NULL) {
    fclose(file);
    return;
  }
  char line[512];
  while (fgets(line, sizeof line, file) != NULL) {
    Trim(line);
    char* hash = strchr(line, '#');
    if (hash != NULL) *hash = '\0';
    char word[64] = {0}, key[64] = {0};
    unsigned index = 0;
    int used = 0;
    if (sscanf(line, "gpu %u %63s %n", &index, key, &used) == 2) {
      ParseGpuLine(s, index, key, line + used);
    } else if (sscanf(line, "init_error %d", &s->init_error) == 1) {
    } else if (sscanf(line, "driver %63s", word) == 1) {
      snprintf(s->driver, TEXT, "%s", word);
    } else if (sscanf(line, "block %63s", word) == 1 && s->n_blocked < MAX_RULES) {
      snprintf(s->blocked[s->n_blocked++], 64, "%s", word);
    }
  }
  fclose(file);
  pthread_mutex_lock(&lock);
  current = *s;
  pthread_mutex_unlock(&lock);
  free(s);
}

static int IsBlocked(const char* function) {
  int blocked = 0;
  pthread_mutex_lock(&lock);
  for (int i = 0; i < current.n_blocked; ++i) blocked |= strcmp(current.blocked[i], function) == 0;
  pthread_mutex_unlock(&lock);
  return blocked;
}

/* Blocks while the script says so, re-reading it every 10 ms, for at most 60 s. */
static void MaybeBlock(const char* function) {
  const struct timespec step = {0, 10 * 1000 * 1000};
  for (int i = 0; i < 6000 && IsBlocked(function); ++i) {
    nanosleep(&step, NULL);
    Reload();
  }
}

/* Copies GPU `device` out of the script; returns an NVML code for `function`. */
static nvmlReturn_t Lookup(nvmlDevice_t device, const char* function, Gpu* out) {
  MaybeBlock(function);
  const uintptr_t index = (uintptr_t)device - 1;
  nvmlReturn_t code = NVML_SUCCESS;
  pthread_mutex_lock(&lock);
  if (device == NULL || index >= current.count) {
    code = NVML_ERROR_INVALID_ARGUMENT;
  } else {
    *out = current.gpus[index];
    if (out->lost) code = NVML_ERROR_GPU_IS_LOST;
    for (int i = 0; code == NVML_SUCCESS && i < out->n_fail; ++i) {
      if (strcmp(out->fail[i].function, function) == 0) code = out->fail[i].code;
    }
  }
  pthread_mutex_unlock(&lock);
  return code;
}

EXPORT nvmlReturn_t nvmlInit_v2(void) {
  if (getenv("FAKE_NVML_SCRIPT") == NULL) return NVML_ERROR_UNKNOWN;
  Reload();
  MaybeBlock("nvmlInit_v2");
  pthread_mutex_lock(&lock);
  const int code = current.init_error;
  pthread_mutex_unlock(&lock);
  return code;
}

EXPORT nvmlReturn_t nvmlShutdown(void) { return NVML_SUCCESS; }

EXPORT const char* nvmlErrorString(nvmlReturn_t code) {
  switch (code) {
    case NVML_SUCCESS:
      return "Success";
    case NVML_ERROR_NOT_SUPPORTED:
      return "Not Supported";
    case NVML_ERROR_DRIVER_NOT_LOADED:
      return "Driver Not Loaded";
    case NVML_ERROR_GPU_IS_LOST:
      return "GPU is lost";
    default:
      return "Unknown Error";
  }
}

EXPORT nvmlReturn_t nvmlSystemGetDriverVersion(char* version, unsigned int length) {
  pthread_mutex_lock(&lock);
  snprintf(version, length, "%s", current.driver);
  pthread_mutex_unlock(&lock);
  return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int* count) {
  Reload();
  MaybeBlock("nvmlDeviceGetCount_v2");
  pthread_mutex_lock(&lock);
  *count = current.count;
  pthread_mutex_unlock(&lock);
  return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t* device) {
  Gpu gpu;
  *device = (nvmlDevice_t)(uintptr_t)(index + 1);
  const nvmlReturn_t code = Lookup(*device, "nvmlDeviceGetHandleByIndex_v2", &gpu);
  if (code != NVML_SUCCESS) *device = NULL;
  return code;
}

static nvmlReturn_t CopyText(const char* text, char* out, unsigned int length) {
  if (strlen(text) + 1 > length) return NVML_ERROR_INSUFFICIENT_SIZE;
  snprintf(out, length, "%s", text);
  return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char* uuid, unsigned int length) {
  Gpu gpu;
  const nvmlReturn_t code = Lookup(device, "nvmlDeviceGetUUID", &gpu);
  return code != NVML_SUCCESS ? code : CopyText(gpu.uuid, uuid, length);
}

EXPORT nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char* name, unsigned int length) {
  Gpu gpu;
  const nvmlReturn_t code = Lookup(device, "nvmlDeviceGetName", &gpu);
  return code != NVML_SUCCESS ? code : CopyText(gpu.name, name, length);
}

EXPORT nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t* out) {
  Gpu gpu;
  const nvmlReturn_t code = Lookup(device, "nvmlDeviceGetUtilizationRates", &gpu);
  if (code == NVML_SUCCESS) {
    out->gpu = gpu.util[0];
    out->memory = gpu.util[1];
  }
  return code;
}

EXPORT nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t* out) {
  Gpu gpu;
  const nvmlReturn_t code = Lookup(device, "nvmlDeviceGetMemoryInfo", &gpu);
  if (code == NVML_SUCCESS) {
    out->total = gpu.memory[0];
    out->free = gpu.memory[1];
    out->used = gpu.memory[2];
  }
  return code;
}

EXPORT nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t device, int sensor, unsigned int* out) {
  Gpu gpu;
  const nvmlReturn_t code = Lookup(device, "nvmlDeviceGetTemperature", &gpu);
  if (code != NVML_SUCCESS) return code;
  if (sensor != NVML_TEMPERATURE_GPU) return NVML_ERROR_INVALID_ARGUMENT;
  *out = gpu.temperature;
  return code;
}

EXPORT nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int* milliwatts) {
  Gpu gpu;
  const nvmlReturn_t code = Lookup(device, "nvmlDeviceGetPowerUsage", &gpu);
  if (code == NVML_SUCCESS) *milliwatts = gpu.power[0];
  return code;
}

EXPORT nvmlReturn_t nvmlDeviceGetEnforcedPowerLimit(nvmlDevice_t device, unsigned int* milliwatts) {
  Gpu gpu;
  const nvmlReturn_t code = Lookup(device, "nvmlDeviceGetEnforcedPowerLimit", &gpu);
  if (code == NVML_SUCCESS) *milliwatts = gpu.power[1];
  return code;
}

EXPORT nvmlReturn_t nvmlDeviceGetClockInfo(nvmlDevice_t device, int type, unsigned int* mhz) {
  Gpu gpu;
  const nvmlReturn_t code = Lookup(device, "nvmlDeviceGetClockInfo", &gpu);
  if (code != NVML_SUCCESS) return code;
  if (type < NVML_CLOCK_GRAPHICS || type > NVML_CLOCK_MEM) return NVML_ERROR_INVALID_ARGUMENT;
  *mhz = gpu.clocks[type];
  return code;
}

EXPORT nvmlReturn_t nvmlDeviceGetFanSpeed(nvmlDevice_t device, unsigned int* percent) {
  Gpu gpu;
  const nvmlReturn_t code = Lookup(device, "nvmlDeviceGetFanSpeed", &gpu);
  if (code != NVML_SUCCESS) return code;
  if (!gpu.has_fan) return NVML_ERROR_NOT_SUPPORTED;
  *percent = gpu.fan;
  return code;
}

EXPORT nvmlReturn_t nvmlDeviceGetTotalEccErrors(nvmlDevice_t device, int error_type,
                                                int counter_type, unsigned long long* count) {
  Gpu gpu;
  const nvmlReturn_t code = Lookup(device, "nvmlDeviceGetTotalEccErrors", &gpu);
  if (code != NVML_SUCCESS) return code;
  if (!gpu.has_ecc) return NVML_ERROR_NOT_SUPPORTED;
  if (counter_type != NVML_VOLATILE_ECC) return NVML_ERROR_INVALID_ARGUMENT;
  *count = gpu.ecc[error_type == NVML_MEMORY_ERROR_TYPE_UNCORRECTED ? 1 : 0];
  return code;
}

/* NVML's contract: too small a buffer gives INSUFFICIENT_SIZE and the needed count.
 * Built twice: as libfake_nvml.so with the _v3 getters (nvmlProcessInfo_t), and with
 * FAKE_NVML_PROCESS_V1 as libfake_nvml_v1.so with only the original getters and their
 * smaller nvmlProcessInfo_v1_t, as drivers before R450 have. */
#ifdef FAKE_NVML_PROCESS_V1
typedef nvmlProcessInfo_v1_t ProcessInfo;
#define COMPUTE_PROCESSES nvmlDeviceGetComputeRunningProcesses
#define GRAPHICS_PROCESSES nvmlDeviceGetGraphicsRunningProcesses
#else
typedef nvmlProcessInfo_t ProcessInfo;
#define COMPUTE_PROCESSES nvmlDeviceGetComputeRunningProcesses_v3
#define GRAPHICS_PROCESSES nvmlDeviceGetGraphicsRunningProcesses_v3
#endif
#define STRING(x) #x
#define NAME(x) STRING(x)

static nvmlReturn_t CopyProcesses(const Proc* procs, int n, unsigned int* count,
                                  ProcessInfo* infos) {
  if (*count < (unsigned)n) {
    *count = (unsigned)n;
    return NVML_ERROR_INSUFFICIENT_SIZE;
  }
  for (int i = 0; i < n; ++i) {
    memset(&infos[i], 0, sizeof infos[i]);
    infos[i].pid = procs[i].pid;
    infos[i].usedGpuMemory = procs[i].bytes;
  }
  *count = (unsigned)n;
  return NVML_SUCCESS;
}

EXPORT nvmlReturn_t COMPUTE_PROCESSES(nvmlDevice_t device, unsigned int* count,
                                      ProcessInfo* infos) {
  Gpu gpu;
  const nvmlReturn_t code = Lookup(device, NAME(COMPUTE_PROCESSES), &gpu);
  return code != NVML_SUCCESS ? code : CopyProcesses(gpu.compute, gpu.n_compute, count, infos);
}

EXPORT nvmlReturn_t GRAPHICS_PROCESSES(nvmlDevice_t device, unsigned int* count,
                                       ProcessInfo* infos) {
  Gpu gpu;
  const nvmlReturn_t code = Lookup(device, NAME(GRAPHICS_PROCESSES), &gpu);
  return code != NVML_SUCCESS ? code : CopyProcesses(gpu.graphics, gpu.n_graphics, count, infos);
}
