// The query string of /probe?target=...&module=..., parsed apart from civetweb's
// connection so it can be unit-tested and fuzzed as a pure function.
#pragma once

#include <string>

#include "base/result.h"

namespace vitals::server {

struct ProbeQuery {
  std::string target;  // URL-decoded, never empty.
  std::string module;  // URL-decoded; may be empty (then no module matches).
};

// `query_string` is the part after '?' (nullptr: the URL had none). A parameter longer
// than 8 KiB counts as missing. Errors are the 400 response body without the newline:
// "target parameter is missing" or "module parameter is missing".
Result<ProbeQuery> ParseProbeQuery(const char* query_string);

}  // namespace vitals::server
