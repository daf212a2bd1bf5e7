// spdlog set-up: logfmt (node_exporter's default) or JSON lines on stderr.
#pragma once

#include <string>

namespace vitals::server {

// `level`: debug|info|warn|error; `format`: logfmt|json (validated by the flag parser).
void SetupLogging(const std::string& level, const std::string& format);

}  // namespace vitals::server
