#include "collectors/name_template.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "test_util.h"

namespace vitals::collectors {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER in UTF-8.

NameTemplate MustParse(std::string_view text) {
  auto parsed = NameTemplate::Parse(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << (parsed.ok() ? "" : parsed.error());
  return parsed.ok() ? *parsed : NameTemplate();
}

// One process's values, each distinct so a wrong field shows.
struct Values {
  Regex::NamedCaptures matches = {{"Cluster", "main"}, {"Port", "5432"}};
  TemplateValues Get() const {
    TemplateValues values;
    values.comm = "postgres";
    values.exe_base = "pg_ctl";
    values.exe_full = "/usr/lib/postgresql/15/bin/pg_ctl";
    values.username = "dbuser";
    values.matches = &matches;
    values.pid = 4242;
    values.start_time_ticks = 382179;
    return values;
  }
};

TEST(NameTemplateTest, EveryField) {
  const Values values;
  const struct {
    const char* text;
    const char* expanded;
  } cases[] = {
      {"{{.Comm}}", "postgres"},
      {"{{.ExeBase}}", "pg_ctl"},
      {"{{.ExeFull}}", "/usr/lib/postgresql/15/bin/pg_ctl"},
      {"{{.Username}}", "dbuser"},
      {"{{.Matches.Cluster}}", "main"},
      {"{{.Matches.Port}}", "5432"},
      {"{{.PID}}", "4242"},
      {"{{.StartTime}}", "382179"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const NameTemplate name = MustParse(c.text);
    EXPECT_EQ(name.text(), c.text);
    EXPECT_FALSE(name.IsStatic());
    EXPECT_EQ(name.Expand(values.Get()), c.expanded);
  }
}

TEST(NameTemplateTest, AllFieldsWithLiteralTextAround) {
  const Values values;
  const NameTemplate name = MustParse(
      "pg:{{.Comm}}/{{.ExeBase}} {{.ExeFull}}@{{.Username}}[{{.Matches.Cluster}}:"
      "{{.Matches.Port}}]#{{.PID}}+{{.StartTime}}.");
  EXPECT_EQ(name.Expand(values.Get()),
            "pg:postgres/pg_ctl /usr/lib/postgresql/15/bin/pg_ctl@dbuser[main:5432]#4242+382179.");
}

TEST(NameTemplateTest, SpacesInsideBraces) {
  const Values values;
  for (const char* text : {"{{ .Comm }}", "{{.Comm }}", "{{  .Comm}}", "{{\t.Comm\t}}"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(MustParse(text).Expand(values.Get()), "postgres");
  }
  EXPECT_EQ(MustParse("a {{ .Matches.Cluster }} b").Expand(values.Get()), "a main b");
}

TEST(NameTemplateTest, AdjacentPlaceholders) {
  const Values values;
  EXPECT_EQ(MustParse("{{.Comm}}{{.PID}}{{.Comm}}").Expand(values.Get()), "postgres4242postgres");
}

TEST(NameTemplateTest, StaticTemplates) {
  const Values values;
  for (const char* text : {"app", "my group", "", "a { b } c", "{single}", "}"}) {
    SCOPED_TRACE(text);
    const NameTemplate name = MustParse(text);
    EXPECT_TRUE(name.IsStatic());
    EXPECT_EQ(name.text(), text);
    EXPECT_EQ(name.Expand(values.Get()), text);
    EXPECT_EQ(name.Expand(TemplateValues{}), text);  // Values do not matter.
  }
}

TEST(NameTemplateTest, MissingMatchExpandsToEmpty) {
  const Values values;
  EXPECT_EQ(MustParse("x{{.Matches.Nope}}y").Expand(values.Get()), "xy");
  TemplateValues without = values.Get();
  without.matches = nullptr;
  EXPECT_EQ(MustParse("x{{.Matches.Cluster}}y").Expand(without), "xy");
}

TEST(NameTemplateTest, LargeNumbers) {
  TemplateValues values;
  values.pid = 4194304;  // pid_max on 64-bit kernels.
  values.start_time_ticks = UINT64_MAX;
  EXPECT_EQ(MustParse("{{.PID}} {{.StartTime}}").Expand(values), "4194304 18446744073709551615");
}

TEST(NameTemplateTest, ExpansionIsValidUtf8) {
  TemplateValues values;
  values.comm =
      "a\xff"
      "b";
  values.exe_base = "\xc3\xa9t\xc3\xa9";  // "été", already valid.
  EXPECT_EQ(MustParse("{{.Comm}}|{{.ExeBase}}").Expand(values),
            "a" + kFffd + "b|\xc3\xa9t\xc3\xa9");
}

struct BadTemplate {
  const char* name;
  const char* text;
  const char* says;  // A fragment the error message must contain.
  friend void PrintTo(const BadTemplate& c, std::ostream* os) { *os << c.name; }
};

class NameTemplateBadInputTest : public ::testing::TestWithParam<BadTemplate> {};

TEST_P(NameTemplateBadInputTest, IsAnError) {
  const auto parsed = NameTemplate::Parse(GetParam().text);
  ASSERT_FALSE(parsed.ok()) << "accepted: " << GetParam().text;
  EXPECT_NE(parsed.error().find(GetParam().says), std::string::npos) << parsed.error();
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, NameTemplateBadInputTest,
    ::testing::Values(
        BadTemplate{"UnknownField", "{{.Cmdline}}", "unsupported template action '{{.Cmdline}}'"},
        BadTemplate{"LowerCaseField", "{{.comm}}", "unsupported template action"},
        BadTemplate{"NoDot", "{{Comm}}", "unsupported template action '{{Comm}}'"},
        BadTemplate{"EmptyAction", "{{}}", "unsupported template action"},
        BadTemplate{"BlankAction", "{{   }}", "unsupported template action"},
        BadTemplate{"Pipeline", "{{.Comm | printf \"%s\"}}", "unsupported template action"},
        BadTemplate{"Function", "{{printf \"%s\" .Comm}}", "unsupported template action"},
        BadTemplate{"IfAction", "{{if .Comm}}x{{end}}", "unsupported template action"},
        BadTemplate{"MatchesWithoutName", "{{.Matches}}", "unsupported template action"},
        BadTemplate{"MatchesEmptyName", "{{.Matches.}}", "unsupported template action"},
        BadTemplate{"ErrorListsSupported", "{{.Exe}}", ".Matches.NAME"},
        BadTemplate{"UnclosedAtEnd", "{{.Comm", "unclosed '{{'"},
        BadTemplate{"UnclosedAfterText", "app-{{", "unclosed '{{'"},
        BadTemplate{"SingleClosingBrace", "{{.Comm}", "unclosed '{{'"},
        BadTemplate{"SecondUnclosed", "{{.Comm}}-{{.PID", "unclosed '{{'"},
        BadTemplate{"StrayClosing", "app}}", "unbalanced '}}'"},
        BadTemplate{"StrayClosingAfterField", "{{.Comm}}}}", "unbalanced '}}'"},
        BadTemplate{"ClosingBeforeOpening", "}}{{.Comm}}", "unbalanced '}}'"}),
    test::ParamName());

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

bool IsValidUtf8(const std::string& s) {
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
}

TEST(SanitizeUtf8Test, AgreesWithGoOnEveryTwoBytes) {
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      const std::string in = {static_cast<char>(a), static_cast<char>(b)};
      const std::string out = SanitizeUtf8(in);
      ASSERT_EQ(out, GoStyleSanitize(in)) << std::hex << a << " " << b;
      ASSERT_TRUE(IsValidUtf8(out));
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
      ASSERT_TRUE(IsValidUtf8(out)) << ::testing::PrintToString(in);
      ++checked;
    }
    inputs = std::move(longer);
  }
  EXPECT_EQ(checked, 28u + 28u * 28 + 28u * 28 * 28 + 28u * 28 * 28 * 28);
}

}  // namespace
}  // namespace vitals::collectors
