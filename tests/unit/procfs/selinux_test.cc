#include "procfs/selinux.h"

#include <gtest/gtest.h>

#include <string>

namespace vitals::procfs {
namespace {

TEST(SelinuxConfigTest, AsGoSelinuxReadConfig) {
  // A Fedora /etc/selinux/config, abridged.
  const char* fedora =
      "# This file controls the state of SELinux on the system.\n"
      "; also a comment\n"
      "\n"
      "SELINUX=enforcing\n"
      "SELINUXTYPE=targeted\n";
  EXPECT_EQ(SelinuxConfigValue(fedora, "SELINUX"), "enforcing");
  EXPECT_EQ(SelinuxConfigValue(fedora, "SELINUXTYPE"), "targeted");
  EXPECT_EQ(SelinuxConfigMode(fedora), 1);
  EXPECT_EQ(SelinuxConfigMode("SELINUX=permissive"), 0);
  EXPECT_EQ(SelinuxConfigMode("SELINUX=disabled\n"), -1);
  EXPECT_EQ(SelinuxConfigMode(""), -1);
  // The line is trimmed and quotes come off the value; the key must match exactly.
  EXPECT_EQ(SelinuxConfigMode("  SELINUX=\"permissive\"\r\n"), 0);
  EXPECT_EQ(SelinuxConfigMode("SELINUX =enforcing\n"), -1);
  EXPECT_EQ(SelinuxConfigMode("SELINUX= enforcing\n"), -1);
  EXPECT_EQ(SelinuxConfigMode("selinux=enforcing\n"), -1);
  EXPECT_EQ(SelinuxConfigMode("#SELINUX=enforcing\n"), -1);
  // The first SELINUX= line wins; a value may hold '='.
  EXPECT_EQ(SelinuxConfigMode("SELINUX=permissive\nSELINUX=enforcing\n"), 0);
  EXPECT_EQ(SelinuxConfigValue("SELINUX=a=b\n", "SELINUX"), "a=b");
  EXPECT_EQ(SelinuxConfigValue("SELINUX\n", "SELINUX"), "");
  // bufio.Scanner's 64 KiB line limit ends the scan.
  EXPECT_EQ(SelinuxConfigMode("#" + std::string(64 * 1024, 'x') + "\nSELINUX=enforcing\n"), -1);
}

TEST(ParseGoAtoiTest, AsStrconvAtoi) {
  EXPECT_EQ(ParseGoAtoi("1"), 1);
  EXPECT_EQ(ParseGoAtoi("0"), 0);
  EXPECT_EQ(ParseGoAtoi("+1"), 1);
  EXPECT_EQ(ParseGoAtoi("-1"), -1);
  EXPECT_EQ(ParseGoAtoi("007"), 7);
  for (const char* bad :
       {"", "+", "-", "1\n", " 1", "0x1", "1_0", "+-1", "--1", "one", "9223372036854775808"}) {
    EXPECT_EQ(ParseGoAtoi(bad), std::nullopt) << '"' << bad << '"';
  }
}

}  // namespace
}  // namespace vitals::procfs
