// /proc/drbd (DRBD 8.x): per device, "key:value" words,
//   " 0: cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate C r-----"
//   "    ns:17324442 nr:10961011 dw:28263521 dr:1060113 al:1003 bm:0 lo:0 pe:2 ua:0 ..."
// read as node_exporter 1.5's drbd collector (collector/drbd_linux.go) reads it: word by
// word, a "<N>:" word starting device drbd<N> ("unknown" before the first).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vitals::procfs {

// The numeric keys node_exporter publishes (ns, nr, dw, dr, al, bm, lo, pe, ua, ap, ep, oos).
bool IsDrbdNumericKey(std::string_view key);

struct DrbdValue {
  std::string device;  // "drbd0"
  std::string key;     // "ns", "ro", "ds", "cs"
  double number = 0;   // Numeric keys: the value as written (Go's ParseFloat), unscaled.
  std::string local;   // ro and ds: the text before the first '/'; cs: the state.
  std::optional<std::string> remote;  // ro and ds: between the first and second '/'.
};

struct DrbdStatus {
  std::vector<DrbdValue> values;  // In the file's order, up to `error`.
  // A numeric key whose value is not a number: node_exporter stops there and fails,
  // keeping what it already published.
  std::optional<std::string> error;
};

// Words that are not exactly one "key:value" pair, and keys node_exporter does not
// publish (wo, oos's neighbours, "sync'ed:", "version:"), are skipped.
DrbdStatus ParseDrbd(std::string_view text);

}  // namespace vitals::procfs
