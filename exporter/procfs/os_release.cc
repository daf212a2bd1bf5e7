#include "procfs/os_release.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vitals::procfs {
namespace {

constexpr size_t kMaxLine = 65535;  // bufio.MaxScanTokenSize - 1.
constexpr size_t kMaxFile = 1 << 20;

// Length of the Unicode white space character (Go's unicode.IsSpace) that `s` starts
// with, or 0.
size_t SpaceAtFront(std::string_view s) {
  if (s.empty()) return 0;
  const auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  switch (b(0)) {
    case ' ':
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
      return 1;
    default:
      break;
  }
  if (s.size() >= 2 && b(0) == 0xC2 && (b(1) == 0x85 || b(1) == 0xA0)) return 2;  // NEL, NBSP
  if (s.size() >= 3) {
    if (b(0) == 0xE1 && b(1) == 0x9A && b(2) == 0x80) return 3;  // U+1680
    if (b(0) == 0xE2 && b(1) == 0x80 &&
        (b(2) <= 0x8A || b(2) == 0xA8 || b(2) == 0xA9 || b(2) == 0xAF) && b(2) >= 0x80) {
      return 3;  // U+2000..U+200A, U+2028, U+2029, U+202F
    }
    if (b(0) == 0xE2 && b(1) == 0x81 && b(2) == 0x9F) return 3;  // U+205F
    if (b(0) == 0xE3 && b(1) == 0x80 && b(2) == 0x80) return 3;  // U+3000
  }
  return 0;
}

// The same at the end: the character that ends `s`, if it is white space.
size_t SpaceAtBack(std::string_view s) {
  for (size_t width = 1; width <= 3 && width <= s.size(); ++width) {
    const std::string_view tail = s.substr(s.size() - width);
    if (SpaceAtFront(tail) == width) return width;
  }
  return 0;
}

std::string_view TrimSpace(std::string_view s) {
  while (const size_t n = SpaceAtFront(s)) s.remove_prefix(n);
  while (const size_t n = SpaceAtBack(s)) s.remove_suffix(n);
  return s;
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Four hex digits at the start of `s` (go-envparse's h2r).
Result<uint32_t> HexRune(std::string_view s) {
  if (s.size() < 4) return Error{"incomplete hex sequence"};
  uint32_t r = 0;
  for (size_t i = 0; i < 4; ++i) {
    const int d = Hex(s[i]);
    if (d < 0) return Error{"invalid hex character"};
    r = r * 16 + static_cast<uint32_t>(d);
  }
  return r;
}

void AppendUtf8(uint32_t r, std::string& out) {
  if (r < 0x80) {
    out += static_cast<char>(r);
  } else if (r < 0x800) {
    out += static_cast<char>(0xC0 | (r >> 6));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else if (r < 0x10000) {
    out += static_cast<char>(0xE0 | (r >> 12));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (r >> 18));
    out += static_cast<char>(0x80 | ((r >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  }
}

bool IsSurrogate(uint32_t r) { return r >= 0xD800 && r < 0xE000; }

enum class Mode { kNormal, kDouble, kSingle, kEscape };

// go-envparse's value loop; `out` gets the unquoted value.
Status ParseValue(std::string_view value, std::string& out) {
  out.clear();
  size_t last_significant = 0;  // go-envparse's lastSig.
  Mode mode = Mode::kNormal;
  for (size_t i = 0; i < value.size(); ++i) {
    const auto v = static_cast<unsigned char>(value[i]);
    if (v < 32) {
      static constexpr char kDigits[] = "0123456789abcdef";
      return Status::Fail(std::string("0x") + kDigits[v >> 4] + kDigits[v & 15] +
                          " is an invalid value character");
    }
    if (v > 127) {
      if (mode == Mode::kEscape) {
        return Status::Fail("multibyte characters disallowed in escape sequences");
      }
      last_significant = out.size();  // Before the byte, as in Go.
      out += static_cast<char>(v);
      continue;
    }
    const char c = static_cast<char>(v);
    switch (mode) {
      case Mode::kNormal:
        if (c == '"') {
          mode = Mode::kDouble;
        } else if (c == '\'') {
          mode = Mode::kSingle;
        } else if (c == '#') {
          out.resize(last_significant);  // A comment: the rest of the line is ignored.
          return Status::Ok();
        } else if (c == ' ' || c == '\t') {
          out += c;
        } else {
          out += c;
          last_significant = out.size();
        }
        break;
      case Mode::kDouble:
        if (c == '"') {
          mode = Mode::kNormal;
        } else if (c == '\\') {
          mode = Mode::kEscape;
        } else {
          out += c;
          last_significant = out.size();
        }
        break;
      case Mode::kEscape:
        switch (c) {
          case '"':
          case '\\':
          case '/':
            out += c;
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'r':
            out += '\r';
            break;
          case 'n':
            out += '\n';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            const auto first = HexRune(value.substr(i + 1));
            if (!first.ok()) return Status::Fail(first.error());
            uint32_t r = *first;
            i += 4;
            if (IsSurrogate(r)) {
              if (value.size() < i + 6 || value[i + 1] != '\\' || value[i + 2] != 'u') {
                return Status::Fail("incomplete Unicode surrogate pair");
              }
              const auto second = HexRune(value.substr(i + 3));
              if (!second.ok()) return Status::Fail(second.error());
              i += 6;
              const uint32_t r2 = *second;
              // utf16.DecodeRune: a high then a low surrogate, else U+FFFD.
              r = (r < 0xDC00 && r2 >= 0xDC00 && r2 < 0xE000)
                      ? (((r - 0xD800) << 10) | (r2 - 0xDC00)) + 0x10000
                      : 0xFFFD;
            }
            AppendUtf8(r, out);
            break;
          }
          default:
            return Status::Fail(std::string("invalid escape sequence: \\") + c);
        }
        last_significant = out.size();
        mode = Mode::kDouble;
        break;
      case Mode::kSingle:
        if (c == '\'') {
          mode = Mode::kNormal;
        } else {
          out += c;
          last_significant = out.size();
        }
        break;
    }
  }
  switch (mode) {
    case Mode::kNormal:
      return Status::Ok();
    case Mode::kDouble:
      return Status::Fail("unmatched \"");
    case Mode::kSingle:
      return Status::Fail("unmatched '");
    case Mode::kEscape:
      return Status::Fail("incomplete escape sequence");
  }
  return Status::Ok();
}

Status CheckKey(std::string_view key) {
  if (key.empty()) return Status::Fail("empty key");
  const char first = key.front();
  const bool first_ok =
      (first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z') || first == '_';
  if (!first_ok) return Status::Fail("key must start with [A-Za-z_]");
  for (const char c : key.substr(1)) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '/';
    if (!ok) return Status::Fail("key characters must be [A-Za-z0-9/_.]");
  }
  return Status::Ok();
}

std::string* Field(OsRelease& os, std::string_view key) {
  if (key == "NAME") return &os.name;
  if (key == "ID") return &os.id;
  if (key == "ID_LIKE") return &os.id_like;
  if (key == "PRETTY_NAME") return &os.pretty_name;
  if (key == "VARIANT") return &os.variant;
  if (key == "VARIANT_ID") return &os.variant_id;
  if (key == "VERSION") return &os.version;
  if (key == "VERSION_ID") return &os.version_id;
  if (key == "VERSION_CODENAME") return &os.version_codename;
  if (key == "BUILD_ID") return &os.build_id;
  if (key == "IMAGE_ID") return &os.image_id;
  if (key == "IMAGE_VERSION") return &os.image_version;
  return nullptr;
}

Status LineError(size_t line_number, const std::string& why) {
  return Status::Fail("os-release line " + std::to_string(line_number) + ": " + why);
}

}  // namespace

Status ParseOsRelease(std::string_view text, OsRelease& out) {
  out = OsRelease{};
  std::string scratch;
  size_t line_number = 0;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++line_number;
    if (line.size() > kMaxLine) return LineError(line_number, "longer than 65535 bytes");
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    line = TrimSpace(line);
    if (line.empty() || line.front() == '#') continue;
    const size_t equals = line.find('=');
    if (equals == std::string_view::npos) return LineError(line_number, "missing =");
    std::string_view key = TrimSpace(line.substr(0, equals));
    const std::string_view value = TrimSpace(line.substr(equals + 1));
    constexpr std::string_view kExport = "export ";
    if (key.size() > kExport.size() && key.substr(0, kExport.size()) == kExport) {
      key.remove_prefix(kExport.size());
    }
    if (Status checked = CheckKey(key); !checked.ok()) {
      return LineError(line_number, checked.message());
    }
    if (Status parsed = ParseValue(value, scratch); !parsed.ok()) {
      return LineError(line_number, parsed.message());
    }
    if (std::string* field = Field(out, key)) *field = scratch;
  }
  return Status::Ok();
}

Result<bool> ReadIfModified(const std::string& path, FileTime& mtime, std::string& content) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    return Error{"open " + path + ": " + std::strerror(err), err};
  }
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int err = errno;
    close(fd);
    return Error{"stat " + path + ": " + std::strerror(err), err};
  }
  const FileTime now{st.st_mtim.tv_sec, st.st_mtim.tv_nsec};
  if (now == mtime) {
    close(fd);
    return false;
  }
  content.clear();
  char buffer[4096];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      close(fd);
      return Error{"read " + path + ": " + std::strerror(err), err};
    }
    if (n == 0) break;
    content.append(buffer, static_cast<size_t>(n));
    if (content.size() > kMaxFile) {
      close(fd);
      return Error{path + ": larger than 1 MiB"};
    }
  }
  close(fd);
  mtime = now;
  return true;
}

}  // namespace vitals::procfs
