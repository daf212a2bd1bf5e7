// /sys/fs/bcache/<set uuid>: bcache cache sets, their backing devices (bdev<N>) and
// cache devices (cache<N>), as prometheus/procfs 0.8.0's bcache package reads them for
// node_exporter 1.5. Most attributes are printed by the kernel's bch_hprint(): an
// integer, or "<int>.<digit><unit>" with a binary unit (k, M, G, T, P, E, Z, Y).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace vitals::procfs {

// procfs's dehumanize(): a last byte above '9' is the unit (an unknown one multiplies by
// 0) and the rest "<int>[.<frac>]" is int + frac / 10.24 (so ".1" and ".10" differ, as
// in procfs); without a unit the whole text is a Go float. The product is truncated
// to an integer. nullopt on empty or malformed text, and where the result is negative,
// not finite or past 2^64 (Go's conversion is implementation-defined there).
std::optional<uint64_t> BcacheDehumanize(std::string_view text);

// procfs's dehumanizeSigned(): an optional leading '-', then BcacheDehumanize.
std::optional<int64_t> BcacheDehumanizeSigned(std::string_view text);

// A whole attribute file as procfs's readValue() takes it: its last byte dropped (the
// newline; procfs drops it whatever it is, so "546" without one reads as 54), the
// rest dehumanized. nullopt for an empty file (procfs panics) or malformed text.
std::optional<uint64_t> ParseBcacheValue(std::string_view content);

// bdev<N>/writeback_rate_debug: "rate: 1.1M/sec", "dirty: 20.4G", "target: 20.4G",
// "proportional: 427.5k", "integral: 790.0k", "change: 321.5k/sec" (the last field of
// each line; "/sec" trimmed). A line that is absent leaves its 0, as in procfs; a value
// that does not parse is nullopt (procfs fails the whole collector).
struct BcacheWritebackRateDebug {
  std::optional<uint64_t> rate = 0, dirty = 0, target = 0;
  std::optional<int64_t> proportional = 0, integral = 0, change = 0;
};
BcacheWritebackRateDebug ParseBcacheWritebackRateDebug(std::string_view text);

// cache<N>/priority_stats: "Unused: 99%" and "Metadata: 0%" (last field, '%' trimmed,
// a decimal); same conventions.
struct BcachePriorityStats {
  std::optional<uint64_t> unused_percent = 0, metadata_percent = 0;
};
BcachePriorityStats ParseBcachePriorityStats(std::string_view text);

}  // namespace vitals::procfs
