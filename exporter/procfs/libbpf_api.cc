#ifdef VITALS_HAVE_BPF
#include "procfs/libbpf_api.h"

#include <dlfcn.h>

#include <mutex>
#include <string>

#include "base/symbol_resolver.h"

namespace vitals::procfs {

Result<LibbpfApi> LoadLibbpfApi(const char* library_name) {
  void* library = dlopen(library_name, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) return Error{std::string("cannot load ") + dlerror()};
  LibbpfApi api{};
  std::string error;
  SymbolResolver resolve(library, library_name, error);
  resolve("libbpf_set_print", api.set_print);
  resolve("bpf_object__open_mem", api.object_open_mem);
  resolve("bpf_object__load", api.object_load);
  resolve("bpf_object__close", api.object_close);
  resolve("bpf_object__find_program_by_name", api.find_program_by_name);
  resolve("bpf_program__attach_iter", api.program_attach_iter);
  resolve("bpf_link__fd", api.link_fd);
  resolve("bpf_link__destroy", api.link_destroy);
  resolve("bpf_iter_create", api.iter_create);
  if (!error.empty()) {
    dlclose(library);
    return Error{error};
  }
  return api;
}

const Result<LibbpfApi>& LoadLibbpf() {
  static std::once_flag once;
  static Result<LibbpfApi> loaded = Error{"not loaded"};
  std::call_once(once, [] { loaded = LoadLibbpfApi("libbpf.so.1"); });
  return loaded;
}

}  // namespace vitals::procfs
#endif  // VITALS_HAVE_BPF
