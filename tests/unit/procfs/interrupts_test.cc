#include "procfs/interrupts.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace vitals::procfs {
namespace {

const Interrupt* Find(const std::vector<Interrupt>& all, const std::string& name) {
  for (const auto& interrupt : all) {
    if (interrupt.name == name) return &interrupt;
  }
  return nullptr;
}

TEST(ParseInterruptsTest, FixtureLinesWithCountsAndADescription) {
  const std::string text = test::ReadFixture("proc/interrupts");
  const auto lines = test::Lines(text);
  ASSERT_GE(lines.size(), 2u);
  const size_t cpus = test::Tokens(lines[0]).size();
  ASSERT_EQ(cpus, 2u) << "the fixture VM has 2 vCPUs (tests/fixtures/README.md)";
  const auto parsed = ParseInterrupts(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  // Independent reading: every line with the name, two counts and at least one more word.
  size_t kept = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    const auto tokens = test::Tokens(lines[i]);
    if (tokens.size() < cpus + 2) continue;
    ++kept;
    const std::string name = tokens[0].substr(0, tokens[0].size() - 1);
    const Interrupt* interrupt = Find(*parsed, name);
    ASSERT_NE(interrupt, nullptr) << lines[i];
    ASSERT_EQ(interrupt->per_cpu.size(), cpus);
    EXPECT_EQ(interrupt->per_cpu[0], std::stoull(tokens[1])) << lines[i];
    EXPECT_EQ(interrupt->per_cpu[1], std::stoull(tokens[2])) << lines[i];
  }
  EXPECT_EQ(parsed->size(), kept);
  // "ERR:          0" and "MIS:          0" have a single total: skipped.
  EXPECT_EQ(Find(*parsed, "ERR"), nullptr);
  EXPECT_EQ(Find(*parsed, "MIS"), nullptr);
  // " 26:          0          2  IO-APIC   4-edge      ttyS0"
  const Interrupt* serial = Find(*parsed, "26");
  ASSERT_NE(serial, nullptr);
  EXPECT_EQ(serial->info, "IO-APIC");
  EXPECT_EQ(serial->devices, "4-edge ttyS0");
  EXPECT_EQ(serial->per_cpu, (std::vector<uint64_t>{0, 2}));
  // "LOC: ... Local timer interrupts": a named line's words are all info.
  const Interrupt* timer = Find(*parsed, "LOC");
  ASSERT_NE(timer, nullptr);
  EXPECT_EQ(timer->info, "Local timer interrupts");
  EXPECT_EQ(timer->devices, "");
  // The hand-written "  8:          3          4   PCI-MSI": a chip, no device.
  const Interrupt* chip_only = Find(*parsed, "8");
  ASSERT_NE(chip_only, nullptr);
  EXPECT_EQ(chip_only->info, "PCI-MSI");
  EXPECT_EQ(chip_only->devices, "");
  EXPECT_EQ(chip_only->per_cpu, (std::vector<uint64_t>{3, 4}));
}

TEST(ParseInterruptsTest, SameReadingAsNodeExporter) {
  // Each case was checked against node_exporter 1.5 on a fixture tree.
  const auto parsed = ParseInterrupts(
      "           CPU0       CPU1\n"
      "XYZ:          7          8  one\n"  // A named line with one word: kept.
      "LOC:      86508      89642   Local timer interrupts\n"
      "LOC:      1      2   Local again\n"   // Twice: the last line wins.
      "  -3:          1          1  X  y\n"  // Go's Atoi takes a sign: numbered.
      " 077:          1          1  X  y\n"  // And leading zeros; the name stays "077".
      " IPI0:1 2 3 4\n"                      // No blank after the colon (arm64, large
                                             // counts): 1.5 splits on blanks only.
      " short\n"
      "\n");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  ASSERT_EQ(parsed->size(), 5u);
  EXPECT_EQ((*parsed)[0].name, "XYZ");
  EXPECT_EQ((*parsed)[0].info, "one");
  EXPECT_EQ((*parsed)[1].name, "LOC");  // In the place of its first line.
  EXPECT_EQ((*parsed)[1].info, "Local again");
  EXPECT_EQ((*parsed)[1].per_cpu, (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ((*parsed)[2].name, "-3");
  EXPECT_EQ((*parsed)[2].info, "X");
  EXPECT_EQ((*parsed)[2].devices, "y");
  EXPECT_EQ((*parsed)[3].name, "077");
  EXPECT_EQ((*parsed)[3].devices, "y");
  EXPECT_EQ((*parsed)[4].name, "IPI0:");
  EXPECT_EQ((*parsed)[4].per_cpu, (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ((*parsed)[4].info, "4");
}

TEST(ParseInterruptsTest, HeaderOnlyIsNoInterrupts) {
  const auto parsed = ParseInterrupts("           CPU0       CPU1\n");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_TRUE(parsed->empty());
}

struct BadInput {
  const char* name;
  const char* text;
  friend void PrintTo(const BadInput& c, std::ostream* os) { *os << c.name; }
};

class ParseInterruptsBadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(ParseInterruptsBadInputTest, IsAnError) {
  const auto parsed = ParseInterrupts(GetParam().text);
  EXPECT_FALSE(parsed.ok()) << "accepted: " << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, ParseInterruptsBadInputTest,
    ::testing::Values(
        BadInput{"Empty", ""},
        // node_exporter fails these too ("invalid value ... in interrupts").
        BadInput{"NonNumericCount", "  CPU0 CPU1\n  1:  5  x  IO-APIC 1-edge i8042\n"},
        BadInput{"NoColonShiftsTheColumns", "  CPU0 CPU1\n 12 nocolon 1 2\n"},
        BadInput{"GluedCountsShiftTheColumns", "  CPU0 CPU1\nIPI5:123 456 Timer broadcast\n"},
        // Stricter than node_exporter's ParseFloat; the kernel prints counts with %10u.
        BadInput{"NegativeCount", "  CPU0 CPU1\n  1:  5  -1  IO-APIC 1-edge i8042\n"},
        BadInput{"CountOverflowsUint64",
                 "  CPU0\nLOC: 18446744073709551616 Local timer interrupts\n"}),
    test::ParamName());

}  // namespace
}  // namespace vitals::procfs
