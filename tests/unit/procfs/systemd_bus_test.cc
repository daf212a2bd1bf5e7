#include "procfs/systemd_bus.h"

#include <gtest/gtest.h>

namespace vitals::procfs {
namespace {

TEST(SystemdBusTest, UnitObjectPathEscapesAsSystemd) {
  // Paths as `busctl tree org.freedesktop.systemd1` lists them on Debian 12.
  EXPECT_EQ(UnitObjectPath("ssh.service"), "/org/freedesktop/systemd1/unit/ssh_2eservice");
  EXPECT_EQ(UnitObjectPath("getty@tty1.service"),
            "/org/freedesktop/systemd1/unit/getty_40tty1_2eservice");
  EXPECT_EQ(UnitObjectPath("-.slice"), "/org/freedesktop/systemd1/unit/_2d_2eslice");
  EXPECT_EQ(UnitObjectPath("dev-sda1.device"),
            "/org/freedesktop/systemd1/unit/dev_2dsda1_2edevice");
  // A leading digit is escaped; a later one is not.
  EXPECT_EQ(UnitObjectPath("1st.service"), "/org/freedesktop/systemd1/unit/_31st_2eservice");
  EXPECT_EQ(UnitObjectPath("a_b"), "/org/freedesktop/systemd1/unit/a_5fb");
  EXPECT_EQ(UnitObjectPath("\xc3\xa9"), "/org/freedesktop/systemd1/unit/_c3_a9");
  EXPECT_EQ(UnitObjectPath(""), "/org/freedesktop/systemd1/unit/_");
}

TEST(SystemdBusTest, VersionAsNodeExporterReadsIt) {
  EXPECT_EQ(ParseSystemdVersion("252.38-1~deb12u1"), 252.38);
  EXPECT_EQ(ParseSystemdVersion("252"), 252.0);
  EXPECT_EQ(ParseSystemdVersion("v246.10"), 246.10);
  EXPECT_EQ(ParseSystemdVersion("249.11-0ubuntu3.12"), 249.11);
  // The leftmost run of three digits or more; the fraction needs a digit after the dot.
  EXPECT_EQ(ParseSystemdVersion("12 345.x"), 345.0);
  EXPECT_EQ(ParseSystemdVersion("2525."), 2525.0);
  EXPECT_EQ(ParseSystemdVersion("1.2.3"), std::nullopt);
  EXPECT_EQ(ParseSystemdVersion(""), std::nullopt);
  EXPECT_EQ(ParseSystemdVersion("systemd"), std::nullopt);
}

}  // namespace
}  // namespace vitals::procfs
