// /proc/net/rpc/nfs and /proc/net/rpc/nfsd parsers on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/net_rpc_nfs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = vitals::fuzz::AsText(data, size);
  const auto client = vitals::procfs::ParseNfsClientStats(text);
  // The procedure lists keep their size whatever the input.
  if (client.ok() && (client->v2.size() != vitals::procfs::kNfsV2Procedures ||
                      client->v3.size() != vitals::procfs::kNfsV3Procedures ||
                      client->v4.size() != vitals::procfs::kNfsClientV4Procedures)) {
    __builtin_trap();
  }
  const auto server = vitals::procfs::ParseNfsServerStats(text);
  if (server.ok() && server->v4_ops.size() != vitals::procfs::kNfsdV4Operations) __builtin_trap();
  return 0;
}
