#include "collectors/curl_api.h"

#include <dlfcn.h>

#include <mutex>
#include <string>

#include "base/symbol_resolver.h"

namespace vitals::collectors {
namespace {

constexpr const char* kLibrary = "libcurl.so.4";

Result<const CurlApi*> Load() {
  // Never closed: the table lives as long as the process.
  void* library = dlopen(kLibrary, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) return Error{std::string("cannot load ") + dlerror()};
  static CurlApi api;
  std::string error;
  SymbolResolver resolve(library, kLibrary, error);
  resolve("curl_global_init", api.global_init);
  resolve("curl_easy_init", api.easy_init);
  resolve("curl_easy_setopt", api.easy_setopt);
  resolve("curl_easy_getinfo", api.easy_getinfo);
  resolve("curl_easy_cleanup", api.easy_cleanup);
  resolve("curl_easy_strerror", api.easy_strerror);
  resolve("curl_slist_append", api.slist_append);
  resolve("curl_slist_free_all", api.slist_free_all);
  resolve("curl_url", api.url);
  resolve("curl_url_set", api.url_set);
  resolve("curl_url_get", api.url_get);
  resolve("curl_url_cleanup", api.url_cleanup);
  resolve("curl_free", api.free);
  resolve("curl_multi_init", api.multi_init);
  resolve("curl_multi_add_handle", api.multi_add_handle);
  resolve("curl_multi_remove_handle", api.multi_remove_handle);
  resolve("curl_multi_perform", api.multi_perform);
  resolve("curl_multi_poll", api.multi_poll);
  resolve("curl_multi_info_read", api.multi_info_read);
  resolve("curl_multi_cleanup", api.multi_cleanup);
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
