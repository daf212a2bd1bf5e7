// /proc/net/{tcp,tcp6,udp,udp6} parser on arbitrary bytes, read as written by a
// little- and a big-endian host; every decoded address is formatted back.
#include <bit>
#include <vector>

#include "fuzz_util.h"
#include "procfs/net_tcp.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vitals::procfs;
  const std::string_view text = vitals::fuzz::AsText(data, size);
  for (const std::endian order : {std::endian::little, std::endian::big}) {
    std::vector<InetSocket> sockets;
    size_t malformed = 0;
    (void)ParseNetInet(text, sockets, malformed, order);
    for (const auto& socket : sockets) {
      vitals::fuzz::Touch(FormatAddress(socket.local));
      vitals::fuzz::Touch(FormatAddress(Unmapped(socket.local)));
    }
  }
  if (const auto address = DecodeHexAddress(text)) vitals::fuzz::Touch(FormatAddress(*address));
  return 0;
}
