#include "collectors/curl_api.h"

#include <dlfcn.h>

#include <mutex>
#include <string>

namespace vitals::collectors {
namespace {

constexpr const char* kLibrary = "libcurl.so.4";

template <typename Function>
bool Resolve(void* library, const char* name, Function& out, std::string& error) {
  out = reinterpret_cast<Function>(dlsym(library, name));
  if (out == nullptr && error.empty()) error = std::string(kLibrary) + ": no symbol " + name;
  return out != nullptr;
}

Result<const CurlApi*> Load() {
  // Never closed: the table lives as long as the process.
  void* library = dlopen(kLibrary, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) return Error{std::string("cannot load ") + dlerror()};
  static CurlApi api;
  std::string error;
  Resolve(library, "curl_global_init", api.global_init, error);
  Resolve(library, "curl_easy_init", api.easy_init, error);
  Resolve(library, "curl_easy_setopt", api.easy_setopt, error);
  Resolve(library, "curl_easy_getinfo", api.easy_getinfo, error);
  Resolve(library, "curl_easy_cleanup", api.easy_cleanup, error);
  Resolve(library, "curl_easy_strerror", api.easy_strerror, error);
  Resolve(library, "curl_slist_append", api.slist_append, error);
  Resolve(library, "curl_slist_free_all", api.slist_free_all, error);
  Resolve(library, "curl_url", api.url, error);
  Resolve(library, "curl_url_set", api.url_set, error);
  Resolve(library, "curl_url_get", api.url_get, error);
  Resolve(library, "curl_url_cleanup", api.url_cleanup, error);
  Resolve(library, "curl_free", api.free, error);
  Resolve(library, "curl_multi_init", api.multi_init, error);
  Resolve(library, "curl_multi_add_handle", api.multi_add_handle, error);
  Resolve(library, "curl_multi_remove_handle", api.multi_remove_handle, error);
  Resolve(library, "curl_multi_perform", api.multi_perform, error);
  Resolve(library, "curl_multi_poll", api.multi_poll, error);
  Resolve(library, "curl_multi_info_read", api.multi_info_read, error);
  Resolve(library, "curl_multi_cleanup", api.multi_cleanup, error);
  if (!error.empty()) return Error{error};
  if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    return Error{std::string(kLibrary) + ": curl_global_init failed"};
  }
  return &api;
}

}  // namespace

Result<const CurlApi*> LoadCurl() {
  static std::once_flag once;
  static Result<const CurlApi*> loaded = Error{"not loaded"};
  std::call_once(once, [] { loaded = Load(); });
  return loaded;
}

}  // namespace vitals::collectors
