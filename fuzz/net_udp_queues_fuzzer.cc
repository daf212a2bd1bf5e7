// /proc/net/udp{,6} queue summing parser on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/net_udp_queues.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vitals::procfs::UdpQueues queues;
  if (vitals::procfs::ParseUdpQueues(vitals::fuzz::AsText(data, size), queues).ok()) {
    // A socket line is at least 10 columns of 2 bytes: the count is bounded by the size.
    if (queues.sockets > size / 20) __builtin_trap();
  }
  return 0;
}
