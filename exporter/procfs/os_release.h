// os-release(5): /etc/os-release, or /usr/lib/os-release, KEY=value lines with shell-like
// quoting, e.g.
//   PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
//   VERSION_ID="12"
//   ID=debian
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace vitals::procfs {

// The keys node_exporter 1.5 publishes; a key the file lacks is "".
struct OsRelease {
  std::string name;              // NAME
  std::string id;                // ID
  std::string id_like;           // ID_LIKE
  std::string pretty_name;       // PRETTY_NAME
  std::string variant;           // VARIANT
  std::string variant_id;        // VARIANT_ID
  std::string version;           // VERSION
  std::string version_id;        // VERSION_ID
  std::string version_codename;  // VERSION_CODENAME
  std::string build_id;          // BUILD_ID
  std::string image_id;          // IMAGE_ID
  std::string image_version;     // IMAGE_VERSION

  bool operator==(const OsRelease&) const = default;
};

// Parses os-release text with the rules of the Go library node_exporter uses
// (hashicorp/go-envparse 0.1.0), byte for byte, quirks included:
//  * lines end at '\n' (a '\r' before it is dropped); a line longer than 65535 bytes
//    fails (Go's bufio.Scanner limit); blank lines and lines starting with '#' (after
//    white space) are skipped;
//  * "KEY=value", white space around both trimmed (Unicode white space, as Go's
//    bytes.TrimSpace); an "export " prefix is dropped; the key is [A-Za-z_] then
//    [A-Za-z0-9_./]*;
//  * in the value, '...' is literal, "..." takes the JSON escapes \" \\ \/ \b \f \r \n
//    \t \uXXXX (UTF-16 surrogate pairs joined; an unpaired one becomes U+FFFD), and an
//    unquoted '#' starts a comment: the value is cut after its last significant
//    character (for a multi-byte character that is before its last byte, as in Go);
//  * a control character (< 0x20, tab included) inside a value, an unknown escape, a
//    non-ASCII byte right after '\', an unmatched quote or a line without '=' fails the
//    whole text, naming the line.
// A key given twice keeps its last value. Keys other than the twelve above are checked
// and ignored.
Status ParseOsRelease(std::string_view text, OsRelease& out);

// A file's modification time (st_mtim), as node_exporter compares it.
struct FileTime {
  int64_t sec = INT64_MIN;  // Never a real file's.
  int64_t nsec = 0;
  bool operator==(const FileTime&) const = default;
};

// Opens `path` and reads it into `content` unless its mtime equals `mtime`; then sets
// `mtime`. Returns whether it read. A file over 1 MiB fails. Errors keep errno
// (Vanished(): the file does not exist).
Result<bool> ReadIfModified(const std::string& path, FileTime& mtime, std::string& content);

}  // namespace vitals::procfs
