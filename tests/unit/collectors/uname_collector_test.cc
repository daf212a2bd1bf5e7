#include "collectors/uname_collector.h"

#include <gtest/gtest.h>
#include <sys/utsname.h>

#include "test_util.h"

namespace vitals::collectors {
namespace {

TEST(UnameCollectorTest, LabelsFromUnameSyscall) {
  struct utsname uts {};
  ASSERT_EQ(uname(&uts), 0);
  UnameCollector collector;
  Families families;
  ASSERT_TRUE(collector.Collect({}, families).ok());
  EXPECT_EQ(test::SampleValue(families, "node_uname_info",
                              {{"domainname", uts.domainname},
                               {"machine", uts.machine},
                               {"nodename", uts.nodename},
                               {"release", uts.release},
                               {"sysname", "Linux"},
                               {"version", uts.version}}),
            1);
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(families[0].metric.size(), 1u);
}

}  // namespace
}  // namespace vitals::collectors
