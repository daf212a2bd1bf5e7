// What a collector knows about the scrape it serves. Passed to every Collect() call,
// so no collector keeps a deadline between scrapes (no setter, no temporal coupling).
#pragma once

#include <chrono>
#include <optional>

namespace vitals {

// When the current scrape must be answered by (Prometheus's scrape timeout minus a
// margin), if the request said.
using Deadline = std::optional<std::chrono::steady_clock::time_point>;

struct ScrapeContext {
  Deadline deadline;

  // True once the deadline has passed: long walks stop and report what they have.
  bool Expired() const { return deadline && std::chrono::steady_clock::now() >= *deadline; }
};

}  // namespace vitals
