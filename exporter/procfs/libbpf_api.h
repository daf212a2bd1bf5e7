// libbpf.so.1, loaded with dlopen() when the processes collector tries its BPF path
// (procfs/bpf_tasks.h) instead of linked: exporters that never try it do not map it.
// Only built with VITALS_BPF (libbpf-dev's headers give the types).
#pragma once

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "base/result.h"

namespace vitals::procfs {

struct LibbpfApi {
  decltype(&libbpf_set_print) set_print;
  decltype(&bpf_object__open_mem) object_open_mem;
  decltype(&bpf_object__load) object_load;
  decltype(&bpf_object__close) object_close;
  decltype(&bpf_object__find_program_by_name) find_program_by_name;
  decltype(&bpf_program__attach_iter) program_attach_iter;
  decltype(&bpf_link__fd) link_fd;
  decltype(&bpf_link__destroy) link_destroy;
  decltype(&bpf_iter_create) iter_create;
};

// The table of `library` (dlopen()ed, never closed), or an error naming the library
// and dlerror()'s reason, or the first symbol it lacks.
Result<LibbpfApi> LoadLibbpfApi(const char* library);

// libbpf.so.1's table, loaded once on the first call; the same result after that.
const Result<LibbpfApi>& LoadLibbpf();

}  // namespace vitals::procfs
