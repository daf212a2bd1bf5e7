#include "base/sha256.h"

#include <gtest/gtest.h>

#include <string>

namespace vitals {
namespace {

std::string Hex(const Sha256Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char byte : digest) {
    out += kHex[byte >> 4];
    out += kHex[byte & 15];
  }
  return out;
}

// Bytes 0, 1, 2, ... (mod 251), as Python's hashlib was given them for the digests below.
std::string Counting(size_t size) {
  std::string out;
  for (size_t i = 0; i < size; ++i) out += static_cast<char>(i % 251);
  return out;
}

TEST(Sha256Test, Fips180Examples) {
  EXPECT_EQ(Hex(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(Sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hex(Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Hex(Sha256(std::string(1'000'000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Around the block size, where the padding takes one block or two (python3 hashlib).
TEST(Sha256Test, PaddingBoundaries) {
  EXPECT_EQ(Hex(Sha256(Counting(55))),
            "463eb28e72f82e0a96c0a4cc53690c571281131f672aa229e0d45ae59b598b59");
  EXPECT_EQ(Hex(Sha256(Counting(56))),
            "da2ae4d6b36748f2a318f23e7ab1dfdf45acdc9d049bd80e59de82a60895f562");
  EXPECT_EQ(Hex(Sha256(Counting(63))),
            "29af2686fd53374a36b0846694cc342177e428d1647515f078784d69cdb9e488");
  EXPECT_EQ(Hex(Sha256(Counting(64))),
            "fdeab9acf3710362bd2658cdc9a29e8f9c757fcf9811603a8c447cd1d9151108");
  EXPECT_EQ(Hex(Sha256(Counting(65))),
            "4bfd2c8b6f1eec7a2afeb48b934ee4b2694182027e6d0fc075074f2fabb31781");
  EXPECT_EQ(Hex(Sha256(Counting(119))),
            "da18797ed7c3a777f0847f429724a2d8cd5138e6ed2895c3fa1a6d39d18f7ec6");
  EXPECT_EQ(Hex(Sha256(Counting(120))),
            "f52b23db1fbb6ded89ef42a23ce0c8922c45f25c50b568a93bf1c075420bbb7c");
  EXPECT_EQ(Hex(Sha256(Counting(128))),
            "471fb943aa23c511f6f72f8d1652d9c880cfa392ad80503120547703e56a2be5");
}

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
