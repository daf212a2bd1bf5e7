#include "collectors/os_collector.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::LabelMap;
using test::Value;

TEST(OsCollectorTest, FixtureInfoAndVersion) {
  OsCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(families.size(), 2u);
  // tests/fixtures/rootfs/etc/os-release (Debian 12's).
  EXPECT_EQ(Value(families, "node_os_info",
                  {{"build_id", ""},
                   {"id", "debian"},
                   {"id_like", ""},
                   {"image_id", ""},
                   {"image_version", ""},
                   {"name", "Debian GNU/Linux"},
                   {"pretty_name", "Debian GNU/Linux 12 (bookworm)"},
                   {"variant", ""},
                   {"variant_id", ""},
                   {"version", "12 (bookworm)"},
                   {"version_codename", "bookworm"},
                   {"version_id", "12"}}),
            1);
  EXPECT_EQ(Value(families, "node_os_version",
                  {{"id", "debian"}, {"id_like", ""}, {"name", "Debian GNU/Linux"}}),
            12);
}

struct Rootfs {
  test::TempDir dir;
  const std::filesystem::file_time_type base = std::filesystem::file_time_type::clock::now();
  Paths paths() const {
    Paths p;
    p.rootfs = dir.path().string();
    return p;
  }
  void Write(const std::string& relative, const std::string& text, int age_seconds) {
    const auto path = dir.path() / relative;
    test::WriteFile(path, text);
    std::filesystem::last_write_time(path, base - std::chrono::seconds(age_seconds));
  }
};

TEST(OsCollectorTest, FallsBackToUsrLibAndSkipsVersionWithoutDigits) {
  Rootfs root;
  root.Write("usr/lib/os-release", "NAME=Arch\nID=arch\nVERSION_ID=rolling\n", 100);
  OsCollector collector(root.paths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(families.size(), 1u);  // No node_os_version, as node_exporter.
  const auto* info = test::FindFamily(families, "node_os_info");
  ASSERT_NE(info, nullptr);
  ASSERT_EQ(info->metric.size(), 1u);
  EXPECT_EQ(test::Labels(info->metric[0]).at("id"), "arch");
  EXPECT_EQ(test::Labels(info->metric[0]).at("version_id"), "rolling");
}

TEST(OsCollectorTest, NeitherFilePublishesNothingAndSucceeds) {
  Rootfs root;
  OsCollector collector(root.paths());
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_TRUE(status.ok()) << status.message();
  EXPECT_TRUE(families.empty());
}

TEST(OsCollectorTest, ParsedAgainOnlyWhenTheFileChanges) {
  Rootfs root;
  root.Write("etc/os-release", "ID=one\nVERSION_ID=\"3.17.2\"\n", 100);
  OsCollector collector(root.paths());
  Families families;
  ASSERT_TRUE(collector.Collect({}, families).ok());
  EXPECT_EQ(Value(families, "node_os_version", {{"id", "one"}, {"id_like", ""}, {"name", ""}}),
            3.17);
  // A broken file with the old mtime is not read again: the cached values stay.
  root.Write("etc/os-release", "garbage\n", 100);
  families.clear();
  ASSERT_TRUE(collector.Collect({}, families).ok());
  EXPECT_EQ(test::LabelValues(*test::FindFamily(families, "node_os_info"), "id"),
            std::vector<std::string>{"one"});
  // A new mtime: read, fails, and keeps failing without publishing.
  root.Write("etc/os-release", "garbage\n", 50);
  for (int i = 0; i < 2; ++i) {
    families.clear();
    const Status status = collector.Collect({}, families);
    EXPECT_FALSE(status.ok());
    EXPECT_NE(status.message().find(root.dir.Sub("etc/os-release") + ": os-release line 1: "
                                                                     "missing ="),
              std::string::npos)
        << status.message();
    EXPECT_TRUE(families.empty());
  }
  // /etc's gone: /usr/lib's is another path, read whatever its mtime.
  std::filesystem::remove(root.dir.path() / "etc/os-release");
  root.Write("usr/lib/os-release", "ID=two\nVERSION_ID=0\n", 50);
  families.clear();
  ASSERT_TRUE(collector.Collect({}, families).ok());
  EXPECT_EQ(test::LabelValues(*test::FindFamily(families, "node_os_info"), "id"),
            std::vector<std::string>{"two"});
  EXPECT_EQ(test::FindFamily(families, "node_os_version"), nullptr);  // Version 0.
}

TEST(OsVersionNumberTest, MajorMinorAsNodeExporter) {
  EXPECT_EQ(*OsVersionNumber("12"), 12);
  EXPECT_EQ(*OsVersionNumber("22.04"), 22.04);
  EXPECT_EQ(*OsVersionNumber("3.17.2"), 3.17);
  EXPECT_EQ(*OsVersionNumber("12."), 12);
  EXPECT_EQ(*OsVersionNumber("7server"), 7);
  EXPECT_EQ(*OsVersionNumber("rolling"), 0);
  EXPECT_EQ(*OsVersionNumber(""), 0);
  EXPECT_EQ(*OsVersionNumber(".5"), 0);  // The regex needs a leading digit.
  EXPECT_FALSE(OsVersionNumber(std::string(400, '9')).has_value());
}

}  // namespace
}  // namespace vitals::collectors
