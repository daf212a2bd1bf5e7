#include "procfs/sd_bus_api.h"

#include <dlfcn.h>

#include <mutex>
#include <string>

#include "base/symbol_resolver.h"

namespace vitals::procfs {

Result<SdBusApi> LoadSdBusApi(const char* library_name) {
  void* library = dlopen(library_name, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) return Error{std::string("cannot load ") + dlerror()};
  SdBusApi api{};
  std::string error;
  SymbolResolver resolve(library, library_name, error);
  resolve("sd_bus_open_system", api.open_system);
  resolve("sd_bus_close_unref", api.close_unref);
  resolve("sd_bus_is_open", api.is_open);
  resolve("sd_bus_process", api.process);
  resolve("sd_bus_wait", api.wait);
  resolve("sd_bus_call_async", api.call_async);
  resolve("sd_bus_slot_unref", api.slot_unref);
  resolve("sd_bus_message_new_method_call", api.message_new_method_call);
  resolve("sd_bus_message_append", api.message_append);
  resolve("sd_bus_message_ref", api.message_ref);
  resolve("sd_bus_message_unref", api.message_unref);
  resolve("sd_bus_message_is_method_error", api.message_is_method_error);
  resolve("sd_bus_message_get_error", api.message_get_error);
  resolve("sd_bus_message_peek_type", api.message_peek_type);
  resolve("sd_bus_message_enter_container", api.message_enter_container);
  resolve("sd_bus_message_exit_container", api.message_exit_container);
  resolve("sd_bus_message_read", api.message_read);
  resolve("sd_bus_message_read_basic", api.message_read_basic);
  if (!error.empty()) {
    dlclose(library);
    return Error{error};
  }
  return api;
}

const Result<SdBusApi>& LoadSdBus() {
  static std::once_flag once;
  static Result<SdBusApi> loaded = Error{"not loaded"};
  std::call_once(once, [] { loaded = LoadSdBusApi("libsystemd.so.0"); });
  return loaded;
}

}  // namespace vitals::procfs
