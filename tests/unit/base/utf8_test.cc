// SanitizeUtf8 and IsValidUtf8 against a reference decoder written from the Unicode
// Standard's Table 3-7 (byte ranges), and against Go's rune decoding, which
// process-exporter and node_exporter (strings.ToValidUTF8) use.
#include "base/utf8.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "test_util.h"

namespace vitals {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER in UTF-8.

// --- SanitizeUtf8 ---------------------------------------------------------------------

// UTF-8 encoding of a code point (RFC 3629), written independently of the code under test.
std::string Encode(uint32_t code) {
  std::string out;
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
  return out;
}

// Length of the well-formed sequence at `s[i]` per Table 3-7 of the Unicode Standard
// (byte ranges, not bit arithmetic), or 0 when none starts there.
size_t WellFormedLength(const std::string& s, size_t i) {
  const auto at = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const auto in = [&](size_t k, int lo, int hi) {
    return k < s.size() && at(k) >= lo && at(k) <= hi;
  };
  const int b = at(i);
  if (b <= 0x7F) return 1;
  if (b >= 0xC2 && b <= 0xDF) return in(i + 1, 0x80, 0xBF) ? 2 : 0;
  if (b == 0xE0) return in(i + 1, 0xA0, 0xBF) && in(i + 2, 0x80, 0xBF) ? 3 : 0;
  if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
    return in(i + 1, 0x80, 0xBF) && in(i + 2, 0x80, 0xBF) ? 3 : 0;
  }
  if (b == 0xED) return in(i + 1, 0x80, 0x9F) && in(i + 2, 0x80, 0xBF) ? 3 : 0;
  if (b == 0xF0) {
    return in(i + 1, 0x90, 0xBF) && in(i + 2, 0x80, 0xBF) && in(i + 3, 0x80, 0xBF) ? 4 : 0;
  }
  if (b >= 0xF1 && b <= 0xF3) {
    return in(i + 1, 0x80, 0xBF) && in(i + 2, 0x80, 0xBF) && in(i + 3, 0x80, 0xBF) ? 4 : 0;
  }
  if (b == 0xF4) {
    return in(i + 1, 0x80, 0x8F) && in(i + 2, 0x80, 0xBF) && in(i + 3, 0x80, 0xBF) ? 4 : 0;
  }
  return 0;
}

// Go's reading of bytes as runes (process-exporter's): a byte that starts no well-formed
// sequence becomes one U+FFFD and decoding resumes at the next byte.
std::string GoStyleSanitize(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    const size_t length = WellFormedLength(s, i);
    if (length == 0) {
      out += kFffd;
      ++i;
    } else {
      out += s.substr(i, length);
      i += length;
    }
  }
  return out;
}

bool ReferenceValid(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const size_t length = WellFormedLength(s, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

struct Sanitized {
  const char* name;
  std::string in;
  std::string out;
  friend void PrintTo(const Sanitized& c, std::ostream* os) { *os << c.name; }
};

class SanitizeUtf8Test : public ::testing::TestWithParam<Sanitized> {};

TEST_P(SanitizeUtf8Test, Replaces) { EXPECT_EQ(SanitizeUtf8(GetParam().in), GetParam().out); }

const std::string R = kFffd;

INSTANTIATE_TEST_SUITE_P(
    Cases, SanitizeUtf8Test,
    ::testing::Values(
        Sanitized{"Empty", "", ""}, Sanitized{"Ascii", "sleep 100", "sleep 100"},
        Sanitized{"ControlBytesAreValid", std::string("a\0b\n\x7f", 5),
                  std::string("a\0b\n\x7f", 5)},
        Sanitized{"TwoByte", "caf\xc3\xa9", "caf\xc3\xa9"},
        Sanitized{"ThreeByte",
                  "\xe2\x82\xac"
                  "5",
                  "\xe2\x82\xac"
                  "5"},
        Sanitized{"FourByte", "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"},
        Sanitized{"LargestCodePoint", "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf"},
        Sanitized{"ReplacementCharacterItself", "\xef\xbf\xbd", "\xef\xbf\xbd"},
        Sanitized{"LastBeforeSurrogates", "\xed\x9f\xbf", "\xed\x9f\xbf"},
        Sanitized{"FirstAfterSurrogates", "\xee\x80\x80", "\xee\x80\x80"},
        Sanitized{"ByteFF",
                  "a\xff"
                  "b",
                  "a" + R + "b"},
        Sanitized{"ByteFE", "\xfe", R}, Sanitized{"LoneContinuation", "x\x80y", "x" + R + "y"},
        Sanitized{"TwoContinuations", "\x80\xbf", R + R},
        Sanitized{"OverlongSlash", "\xc0\xaf", R + R}, Sanitized{"OverlongNul", "\xc0\x80", R + R},
        Sanitized{"OverlongC1", "\xc1\xbf", R + R},
        Sanitized{"OverlongThreeByte", "\xe0\x80\xaf", R + R + R},
        Sanitized{"OverlongFourByte", "\xf0\x80\x80\xaf", R + R + R + R},
        Sanitized{"HighSurrogate", "\xed\xa0\x80", R + R + R},
        Sanitized{"LowSurrogate", "\xed\xbf\xbf", R + R + R},
        Sanitized{"PastLargestCodePoint", "\xf4\x90\x80\x80", R + R + R + R},
        Sanitized{"FiveByteForm", "\xf8\x88\x80\x80\x80", R + R + R + R + R},
        Sanitized{"TruncatedTwoByteAtEnd", "ab\xc3", "ab" + R},
        Sanitized{"TruncatedThreeByteAtEnd", "\xe2\x82", R + R},
        Sanitized{"TruncatedFourByteAtEnd", "\xf0\x9f\x98", R + R + R},
        Sanitized{"TruncatedThenAscii",
                  "\xe2\x82"
                  "A",
                  R + R + "A"},
        Sanitized{"TruncatedThenValid", "\xf0\x9f\xc3\xa9", R + R + "\xc3\xa9"},
        Sanitized{"HostileArgv", "/opt/we ird/sp\"a\\ce\xff", "/opt/we ird/sp\"a\\ce" + R}),
    test::ParamName());

TEST(SanitizeUtf8Test, EveryScalarValueIsKept) {
  std::string all;
  for (uint32_t code = 0; code <= 0x10FFFF; ++code) {
    if (code >= 0xD800 && code <= 0xDFFF) continue;  // Surrogates are not scalar values.
    all += Encode(code);
  }
  EXPECT_TRUE(SanitizeUtf8(all) == all);  // Not EXPECT_EQ: a failure would print 4 MB.
  EXPECT_TRUE(IsValidUtf8(all));
}

TEST(SanitizeUtf8Test, AgreesWithGoOnEveryTwoBytes) {
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      const std::string in = {static_cast<char>(a), static_cast<char>(b)};
      const std::string out = SanitizeUtf8(in);
      ASSERT_EQ(out, GoStyleSanitize(in)) << std::hex << a << " " << b;
      ASSERT_TRUE(ReferenceValid(out));
      ASSERT_EQ(IsValidUtf8(in), ReferenceValid(in)) << std::hex << a << " " << b;
    }
  }
}

TEST(SanitizeUtf8Test, AgreesWithGoOnBoundaryBytes) {
  // Every 1- to 4-byte sequence over the bytes at the edges of Table 3-7's ranges.
  const std::vector<int> edges = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0,
                                  0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0,
                                  0xF1, 0xF3, 0xF4, 0xF5, 0xF7, 0xF8, 0xFE, 0xFF};
  size_t checked = 0;
  std::vector<std::string> inputs = {""};
  for (int length = 1; length <= 4; ++length) {
    std::vector<std::string> longer;
    for (const auto& prefix : inputs) {
      for (const int byte : edges) longer.push_back(prefix + static_cast<char>(byte));
    }
    for (const auto& in : longer) {
      const std::string out = SanitizeUtf8(in);
      ASSERT_EQ(out, GoStyleSanitize(in)) << ::testing::PrintToString(in);
      ASSERT_TRUE(ReferenceValid(out)) << ::testing::PrintToString(in);
      ASSERT_EQ(IsValidUtf8(in), ReferenceValid(in)) << ::testing::PrintToString(in);
      ++checked;
    }
    inputs = std::move(longer);
  }
  EXPECT_EQ(checked, 28u + 28u * 28 + 28u * 28 * 28 + 28u * 28 * 28 * 28);
}

// The word-at-a-time ASCII scan must hand over to the decoder at every offset.
TEST(IsValidUtf8Test, InvalidByteFoundAtEveryPositionOfALongAsciiRun) {
  for (size_t at = 0; at < 40; ++at) {
    std::string text(40, 'a');
    text[at] = '\xff';
    EXPECT_FALSE(IsValidUtf8(text)) << at;
    text[at] = 'b';
    EXPECT_TRUE(IsValidUtf8(text)) << at;
  }
}

TEST(IsValidUtf8Test, MultiByteAfterAsciiRunIsValid) {
  EXPECT_TRUE(IsValidUtf8("/mnt/data-volume-1/caf\xc3\xa9"));
  EXPECT_FALSE(IsValidUtf8("/mnt/data-volume-1/caf\xc3"));
}

}  // namespace
}  // namespace vitals
