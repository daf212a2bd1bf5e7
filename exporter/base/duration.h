// Go-style durations, as Prometheus and node_exporter write them in flags and files.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace vitals {

// "5s", "250ms", "1m30s", "2h" -> milliseconds; nullopt on anything else, on negative
// numbers and on values beyond what int64 milliseconds hold.
std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text);

}  // namespace vitals
