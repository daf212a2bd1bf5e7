// libsystemd's sd-bus, loaded with dlopen() at the first systemd scrape instead of
// linked. Linked, libsystemd and its chain (libgcrypt, libgpg-error, libzstd, liblzma,
// liblz4) were mapped at every start: about 0.8 MiB of resident memory in every
// exporter, though only the systemd collector (off by default) uses it. The header
// still gives the types and constants; only the calls go through this table.
#pragma once

#include <systemd/sd-bus.h>

#include "base/result.h"

namespace vitals::procfs {

struct SdBusApi {
  decltype(&sd_bus_open_system) open_system;
  decltype(&sd_bus_close_unref) close_unref;
  decltype(&sd_bus_is_open) is_open;
  decltype(&sd_bus_process) process;
  decltype(&sd_bus_wait) wait;
  decltype(&sd_bus_call_async) call_async;
  decltype(&sd_bus_slot_unref) slot_unref;
  decltype(&sd_bus_message_new_method_call) message_new_method_call;
  decltype(&sd_bus_message_append) message_append;
  decltype(&sd_bus_message_ref) message_ref;
  decltype(&sd_bus_message_unref) message_unref;
  decltype(&sd_bus_message_is_method_error) message_is_method_error;
  decltype(&sd_bus_message_get_error) message_get_error;
  decltype(&sd_bus_message_peek_type) message_peek_type;
  decltype(&sd_bus_message_enter_container) message_enter_container;
  decltype(&sd_bus_message_exit_container) message_exit_container;
  decltype(&sd_bus_message_read) message_read;
  decltype(&sd_bus_message_read_basic) message_read_basic;
};

// The sd-bus functions of `library` (dlopen()ed, never closed), or an error naming the
// library and dlerror()'s reason, or the first symbol it lacks. Each call loads anew:
// tests name a library that is missing or is not libsystemd.
Result<SdBusApi> LoadSdBusApi(const char* library);

// libsystemd.so.0's table, loaded once on the first call, from any thread; the same
// result (table or error) after that.
const Result<SdBusApi>& LoadSdBus();

}  // namespace vitals::procfs
