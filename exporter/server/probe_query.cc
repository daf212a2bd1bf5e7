#include "server/probe_query.h"

#include <civetweb.h>

#include <cstring>
#include <optional>

namespace vitals::server {
namespace {

// A query parameter, URL-decoded; nullopt when absent or too long.
std::optional<std::string> QueryParameter(const char* query_string, const char* name) {
  if (query_string == nullptr) return std::nullopt;
  std::string value(8192, '\0');
  const int length =
      mg_get_var(query_string, std::strlen(query_string), name, value.data(), value.size());
  if (length < 0) return std::nullopt;
  value.resize(static_cast<size_t>(length));
  return value;
}

}  // namespace

Result<ProbeQuery> ParseProbeQuery(const char* query_string) {
  auto target = QueryParameter(query_string, "target");
  if (!target || target->empty()) return Error{"target parameter is missing"};
  auto module = QueryParameter(query_string, "module");
  if (!module) return Error{"module parameter is missing"};
  return ProbeQuery{std::move(*target), std::move(*module)};
}

}  // namespace vitals::server
