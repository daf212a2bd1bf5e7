// /proc/spl/kstat/zfs: OpenZFS's kstats (the SPL's "named" kstat text format), as
// node_exporter 1.5's zfs collector reads them, e.g. arcstats:
//   13 1 0x01 123 33456 4311384932 1295847236721391
//   name                            type data
//   hits                            4    8772612
// a pool's io ("raw" kstat: a header of field names, then a row of values):
//   nread    nwritten reads    writes   wtime ...
//   1884160  3206144  22       132      7155162 ...
// its objset-0x<id> (named, with a "dataset_name  7  pool/fs" string row) and state
// ("ONLINE").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

using KstatValues = std::vector<std::pair<std::string, uint64_t>>;

// Named kstat: the rows after the "name type data" line with three or more fields
// whose type is 4 (KSTAT_DATA_UINT64; node_exporter 1.5 skips every other type), in
// order. A type-4 value that is not an unsigned decimal fails; so does text without
// the header line.
Result<KstatValues> ParseKstatNamed(std::string_view text);

// A pool's io kstat: from the first line of at least 12 fields starting "nread", each
// following line gives one value per header field (a line with fewer fields fails:
// node_exporter 1.5 indexes past it and the process exits). No header: no values.
Result<KstatValues> ParseZpoolIo(std::string_view text);

struct ZpoolObjset {
  bool named = false;   // After a "dataset_name" row (node_exporter: zpool "" before).
  std::string dataset;  // That row's data.
  KstatValues values;   // type-4 rows: writes, nwritten, reads, nread, nunlinks, nunlinked
};
// A named kstat whose "dataset_name" row names the dataset of the rows after it.
Result<std::vector<ZpoolObjset>> ParseZpoolObjset(std::string_view text);

// A pool's state file: its first line, lower-cased ("online", "degraded", ...).
std::string ParseZpoolState(std::string_view text);

}  // namespace vitals::procfs
