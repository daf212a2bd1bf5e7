// MayLoadBpf: the CapEff line of /proc/PID/status decides whether the BPF task iterator
// is tried at all (an exporter without the capabilities must not call bpf(2)).
#include "collectors/processes_source.h"

#include <gtest/gtest.h>

namespace vitals::collectors {
namespace {

// Captured from this machine: root (its capabilities, CAP_SYS_RESOURCE aside), then the same
// process under `setpriv --bounding-set=-all` (none), then with CAP_SYS_ADMIN only.
constexpr const char* kRoot =
    "Name:\tcat\nUmask:\t0022\nCapInh:\t0000000000000000\nCapPrm:\t000001fffeffffff\n"
    "CapEff:\t000001fffeffffff\nCapBnd:\t000001fffeffffff\n";
constexpr const char* kNone =
    "Name:\tcat\nCapInh:\t0000000000000000\nCapPrm:\t0000000000000000\n"
    "CapEff:\t0000000000000000\nCapBnd:\t0000000000000000\n";

TEST(MayLoadBpfTest, RootMay) { EXPECT_TRUE(MayLoadBpf(kRoot)); }

TEST(MayLoadBpfTest, NoCapabilitiesMayNot) { EXPECT_FALSE(MayLoadBpf(kNone)); }

TEST(MayLoadBpfTest, BpfAndPerfmonTogetherOrSysAdmin) {
  EXPECT_TRUE(MayLoadBpf("x\nCapEff:\t000000c000000000\n"));   // CAP_BPF + CAP_PERFMON
  EXPECT_FALSE(MayLoadBpf("x\nCapEff:\t0000008000000000\n"));  // CAP_BPF alone
  EXPECT_FALSE(MayLoadBpf("x\nCapEff:\t0000004000000000\n"));  // CAP_PERFMON alone
  EXPECT_TRUE(MayLoadBpf("x\nCapEff:\t0000000000200000\n"));   // CAP_SYS_ADMIN
}

TEST(MayLoadBpfTest, MissingOrGarbageLineMayNot) {
  EXPECT_FALSE(MayLoadBpf(""));
  EXPECT_FALSE(MayLoadBpf("Name:\tcat\nCapPrm:\t000001fffeffffff\n"));
  EXPECT_FALSE(MayLoadBpf("x\nCapEff:\tnot-hex\n"));
  EXPECT_FALSE(MayLoadBpf("x\nCapEff:"));
}

}  // namespace
}  // namespace vitals::collectors
