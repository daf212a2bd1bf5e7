#include "procfs/dmi.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

TEST(ReadDmiTest, Fixture) {
  // tests/fixtures/sys/class/dmi/id (prometheus/procfs's fixture).
  const auto dmi = ReadDmi(test::FixturePath("sys/class/dmi/id"));
  ASSERT_TRUE(dmi.ok()) << dmi.error();
  EXPECT_EQ(dmi->at("system_vendor"), "Dell Inc.");
  EXPECT_EQ(dmi->at("product_sku"), "SKU=NotProvided;ModelName=PowerEdge R6515");
  EXPECT_EQ(dmi->at("chassis_asset_tag"), "");  // an empty file is an empty label
  EXPECT_EQ(dmi->count("chassis_type"), 0u);    // read, not published
  EXPECT_EQ(dmi->count("modalias"), 0u);
  EXPECT_EQ(dmi->size(), 19u);
}

TEST(ReadDmiTest, MissingTruncatedAndOdd) {
  const auto missing = ReadDmi(test::FixturePath("no-such-dir"));
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.failure().Vanished());
  test::TempDir dir;
  test::WriteFile(dir.path() / "bios_vendor", std::string(200, 'x') + "\n");
  test::WriteFile(dir.path() / "board_name", "  \tX570 \n");
  test::WriteFile(dir.path() / "sys_vendor/nested", "");  // a directory: skipped
  test::WriteFile(dir.path() / "unknown_attribute", "1\n");
  const auto dmi = ReadDmi(dir.path().string());
  ASSERT_TRUE(dmi.ok()) << dmi.error();
  EXPECT_EQ(dmi->at("bios_vendor").size(), 128u);  // one 128-byte read
  EXPECT_EQ(dmi->at("board_name"), "X570");
  EXPECT_EQ(dmi->size(), 2u);
}

}  // namespace
}  // namespace vitals::procfs
