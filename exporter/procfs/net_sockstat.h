// /proc/net/sockstat and /proc/net/sockstat6: socket counts per protocol, one line each,
// a protocol then key/value pairs:
//   sockets: used 13
//   TCP: inuse 3 orphan 0 tw 2 alloc 3 mem 200
//   FRAG: inuse 0 memory 0
// (sockstat6 has no "sockets:" line and only "inuse" for most protocols.)
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

// The keys node_exporter (prometheus/procfs) knows; others are skipped, as there.
struct SockstatProtocol {
  std::string_view protocol;  // "TCP", "UDP6", "FRAG"; points into the input text.
  std::optional<int64_t> inuse, orphan, tw, alloc;
  std::optional<int64_t> mem;     // Pages (TCP, UDP).
  std::optional<int64_t> memory;  // Bytes (FRAG).
};

struct Sockstat {
  std::optional<int64_t> sockets_used;      // The "sockets: used N" line (IPv4 file only).
  std::vector<SockstatProtocol> protocols;  // In file order.
};

// Fills `out` (cleared first; its vector is reused). Each line must be a [A-Za-z0-9]+
// protocol with a ':' suffix and at least one pair of a [a-z_]+ key and a decimal
// integer (a '-' sign allowed) within 64 bits; a key may appear once per line, a
// protocol once per file, "sockets:" must have "used". Anything else (an odd count of
// fields, a blank line) fails the whole text, naming the line; so does an empty text.
Status ParseSockstat(std::string_view text, Sockstat& out);

}  // namespace vitals::procfs
