// Go's text handling as prometheus/procfs uses it (strconv's number parsers,
// strings.Fields, bufio.Scanner's lines), so that the files node_exporter refuses are
// the files vitals refuses. The number parsers do not trim white space. (ParseFloat is
// hwmon.h's ParseGoFloat, Atoi selinux.h's ParseGoAtoi, ParseInt(s, 10, 64)
// thermal.h's ParseGoInt.)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vitals::procfs {

// Go's ASCII white space (unicode.IsSpace below 0x80).
inline bool IsGoSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// strings.Fields on ASCII white space (Go also splits at U+0085 and U+00A0).
std::vector<std::string_view> GoFields(std::string_view s);

// strings.TrimSpace on ASCII white space.
std::string_view GoTrimSpace(std::string_view s);

// bufio.Scanner with ScanLines: '\n'-separated lines, a trailing '\r' dropped, no
// empty last line after a final '\n'; Next() is false at the end and at a line longer
// than 65535 bytes (bufio.ErrTooLong, which procfs does not check: the rest is lost).
class GoLines {
 public:
  explicit GoLines(std::string_view text) : text_(text) {}
  bool Next(std::string_view& line);
  // Whether Next() stopped at a line too long (scanner.Err() is bufio.ErrTooLong).
  bool too_long() const { return too_long_; }

 private:
  std::string_view text_;
  bool too_long_ = false;
};

// The same lines as GoLines, all at once and without the 64 KiB limit (the readers
// that split a whole file first: nfs, xfs, zfs, meminfo_numa, slabinfo, mountstats).
std::vector<std::string_view> GoLineList(std::string_view text);

// strconv.ParseUint(s, 10, 64): decimal digits only.
std::optional<uint64_t> ParseGoUint10(std::string_view s);

// strconv.ParseInt(s, base, 64) for base 10 or 0 (0: Go's prefixes 0x, 0o, 0b, 0 and
// underscores, as ValueParser.PInt64 reads); an optional sign.
std::optional<int64_t> ParseGoInt(std::string_view s, int base);

// strconv.ParseInt(s, 0, 64): an optional sign, then decimal, 0x hex, 0o / leading-0
// octal or 0b binary digits with Go's '_' separators; nullopt outside int64.
std::optional<int64_t> ParseGoIntBase0(std::string_view s);

// strconv.ParseUint(s, 0, 32): as ParseGoInt without a sign, at most 2^32 - 1.
std::optional<uint32_t> ParseGoUint32(std::string_view s);

// strconv.ParseUint(s, 16, 64): hex digits only, no "0x", no sign.
std::optional<uint64_t> ParseGoHex64(std::string_view s);

}  // namespace vitals::procfs
