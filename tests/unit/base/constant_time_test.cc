#include "base/constant_time.h"

#include <gtest/gtest.h>

#include <string>

namespace vitals {
namespace {

TEST(ConstantTimeEqualsTest, ComparesEveryByte) {
  const std::string a = "$2b$10$abcdefghijklmnopqrstuu";
  std::string b = a;
  EXPECT_TRUE(ConstantTimeEquals(a.data(), b.data(), a.size()));
  EXPECT_TRUE(ConstantTimeEquals(a.data(), b.data(), 0));
  for (size_t i = 0; i < a.size(); ++i) {
    b = a;
    b[i] ^= 0x01;
    EXPECT_FALSE(ConstantTimeEquals(a.data(), b.data(), a.size())) << i;
  }
  b = a;
  b.back() = 'x';
  EXPECT_TRUE(ConstantTimeEquals(a.data(), b.data(), a.size() - 1));
}

}  // namespace
}  // namespace vitals
