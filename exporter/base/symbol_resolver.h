// Typed function pointers from a dlopen()ed library (libcurl, libsystemd, OpenSSL: each
// loaded only when a feature that needs it is configured).
#pragma once

#include <dlfcn.h>

#include <string>

namespace vitals {

// Resolves symbols of one library into `out`, keeping the first failure in `error`
// ("<library>: no symbol <name>"); several resolvers may share one error.
class SymbolResolver {
 public:
  SymbolResolver(void* library, const char* library_name, std::string& error)
      : library_(library), library_name_(library_name), error_(error) {}

  template <typename Function>
  void operator()(const char* symbol, Function& out) {
    out = reinterpret_cast<Function>(dlsym(library_, symbol));
    if (out == nullptr && error_.empty()) {
      error_ = std::string(library_name_) + ": no symbol " + symbol;
    }
  }

 private:
  void* library_;
  const char* library_name_;
  std::string& error_;
};

}  // namespace vitals
