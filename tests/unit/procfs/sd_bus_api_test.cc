#include "procfs/sd_bus_api.h"

#include <gtest/gtest.h>

namespace vitals::procfs {
namespace {

TEST(SdBusApiTest, LoadsLibsystemd) {
  const Result<SdBusApi>& api = LoadSdBus();
  ASSERT_TRUE(api.ok()) << api.error();
  EXPECT_NE(api->open_system, nullptr);
  EXPECT_NE(api->message_read_basic, nullptr);
  // Loaded once: the same table on every call.
  EXPECT_EQ(&LoadSdBus(), &api);
}

TEST(SdBusApiTest, MissingLibraryNamesItAndTheReason) {
  const auto api = LoadSdBusApi("libsystemd-absent.so.0");
  ASSERT_FALSE(api.ok());
  EXPECT_NE(api.error().find("cannot load libsystemd-absent.so.0"), std::string::npos)
      << api.error();
  EXPECT_NE(api.error().find("No such file"), std::string::npos) << api.error();
}

TEST(SdBusApiTest, LibraryWithoutSdBusNamesTheFirstMissingSymbol) {
  const auto api = LoadSdBusApi("libc.so.6");
  ASSERT_FALSE(api.ok());
  EXPECT_EQ(api.error(), "libc.so.6: no symbol sd_bus_open_system");
}

}  // namespace
}  // namespace vitals::procfs
