#include "procfs/hwmon.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "procfs/file_reader.h"

namespace vitals::procfs {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Length of the valid UTF-8 sequence at the start of `s`, or 1 for an invalid byte (Go
// decodes each invalid byte as one RuneError).
size_t Utf8Width(std::string_view s) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const auto cont = [&](size_t i) { return i < s.size() && (b(i) & 0xC0) == 0x80; };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 1;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 1;
    if ((c == 0xE0 && b(1) < 0xA0) || (c == 0xED && b(1) > 0x9F)) return 1;
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 1;
    if ((c == 0xF0 && b(1) < 0x90) || (c == 0xF4 && b(1) > 0x8F)) return 1;
    return 4;
  }
  return 1;
}

std::string_view TrimNewlines(std::string_view s) {
  while (!s.empty() && s.front() == '\n') s.remove_prefix(1);
  while (!s.empty() && s.back() == '\n') s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != b[i]) return false;
  }
  return true;
}

}  // namespace

namespace {

std::optional<std::string> RealPath(const std::string& path) {
  char* resolved = realpath(path.c_str(), nullptr);
  if (resolved == nullptr) return std::nullopt;
  std::string out(resolved);
  std::free(resolved);
  return out;
}

std::string_view BaseName(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view DirName(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

// node_exporter's collectSensorData: every sensor file of `dir` into `chip`.
Status CollectSensorData(FileCache& files, const std::string& dir, HwmonChip& chip) {
  const auto names = ListDirSorted(dir);
  if (!names.ok()) return Status::Fail(names.error());
  constexpr size_t kSysReadSize = 128;  // sysReadFile's single read
  for (const auto& name : *names) {
    const auto parsed = ParseHwmonFilename(name);
    if (!parsed || !IsHwmonSensorType(parsed->type)) continue;
    const auto text = files.Read(dir + "/" + name);
    if (!text.ok()) continue;  // EIO, EISDIR, ENODATA: this value only
    const std::string sensor = parsed->type + std::to_string(parsed->number);
    chip.sensors[sensor][parsed->property] =
        std::string(TrimNewlines(text->substr(0, kSysReadSize)));
    chip.sensor_types[sensor] = parsed->type;
  }
  return Status::Ok();
}

}  // namespace

std::optional<HwmonFilename> ParseHwmonFilename(std::string_view name) {
  size_t first_digit = 0;
  while (first_digit < name.size() && !IsDigit(name[first_digit])) ++first_digit;
  if (first_digit == 0) return std::nullopt;
  HwmonFilename out;
  out.type = std::string(name.substr(0, first_digit));
  if (first_digit == name.size()) return out;  // greedy [^0-9]+ took it all
  size_t end = first_digit;
  while (end < name.size() && IsDigit(name[end])) ++end;
  // strconv.Atoi: past int64 the name does not match.
  const std::string_view digits = name.substr(first_digit, end - first_digit);
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out.number);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) return std::nullopt;
  const std::string_view rest = name.substr(end);
  if (rest.empty()) return out;
  // "_" then at least one character; '.' matches anything but a newline.
  if (rest.size() < 2 || rest[0] != '_' || rest.find('\n') != std::string_view::npos) {
    return std::nullopt;
  }
  out.property = std::string(rest.substr(1));
  return out;
}

bool IsHwmonSensorType(std::string_view type) {
  static constexpr std::array<std::string_view, 13> kTypes = {
      "vrm",  "beep_enable", "update_interval", "in",     "cpu",      "fan",      "pwm",
      "temp", "curr",        "power",           "energy", "humidity", "intrusion"};
  return std::find(kTypes.begin(), kTypes.end(), type) != kTypes.end();
}

std::string CleanHwmonName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  while (!name.empty()) {
    const size_t width = Utf8Width(name);
    const char c = AsciiLower(name[0]);
    const bool keep = width == 1 && ((c >= 'a' && c <= 'z') || IsDigit(c) || c == ':' || c == '_');
    out += keep ? c : '_';
    name.remove_prefix(width);
  }
  const size_t begin = out.find_first_not_of('_');
  if (begin == std::string::npos) return "";
  return out.substr(begin, out.find_last_not_of('_') - begin + 1);
}

std::optional<double> ParseGoFloat(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
    if (EqualsIgnoreCase(s, "inf") || EqualsIgnoreCase(s, "infinity")) {
      return negative ? -INFINITY : INFINITY;
    }
  } else if (EqualsIgnoreCase(s, "inf") || EqualsIgnoreCase(s, "infinity")) {
    return INFINITY;
  } else if (EqualsIgnoreCase(s, "nan")) {
    return NAN;
  }
  if (s.empty() || !(IsDigit(s[0]) || s[0] == '.')) return std::nullopt;
  auto format = std::chars_format::general;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s.remove_prefix(2);
    // Go requires the 'p' exponent of a hexadecimal mantissa.
    if (s.find_first_of("pP") == std::string_view::npos || s.empty() || s[0] == '+' ||
        s[0] == '-') {
      return std::nullopt;
    }
    format = std::chars_format::hex;
  }
  double value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value, format);
  if (ptr != s.data() + s.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    // Go rounds an underflow to zero or a subnormal without an error; overflow is one.
    const std::string copy(s);
    value = format == std::chars_format::hex ? std::strtod(("0x" + copy).c_str(), nullptr)
                                             : std::strtod(copy.c_str(), nullptr);
    if (std::isinf(value)) return std::nullopt;
  } else if (ec != std::errc()) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

Result<std::string> HwmonChipName(const std::string& dir) {
  // Preference 1: the device the chip belongs to, always unique.
  if (const auto device = RealPath(dir + "/device")) {
    const std::string name = CleanHwmonName(BaseName(*device));
    const std::string type = CleanHwmonName(BaseName(DirName(*device)));
    if (!type.empty() && !name.empty()) return type + "_" + name;
    if (!name.empty()) return name;
  }
  // Preference 2: the chip's name file.
  if (const auto name = ReadSmallFile(dir + "/name"); name.ok() && !name->empty()) {
    std::string clean = CleanHwmonName(*name);
    if (!clean.empty()) return clean;
  }
  // Last: hwmon<N>, the directory's own name.
  const auto real = RealPath(dir);
  if (!real) return Error{"eval symlinks " + dir + ": " + std::strerror(errno), errno};
  std::string clean = CleanHwmonName(BaseName(*real));
  if (!clean.empty()) return clean;
  return Error{"Could not derive a monitoring name for " + dir};
}

Result<HwmonChip> ReadHwmonChip(FileCache& files, const std::string& dir) {
  HwmonChip chip;
  auto name = HwmonChipName(dir);
  if (!name.ok()) return name.failure();
  chip.chip = std::move(*name);
  if (const Status status = CollectSensorData(files, dir, chip); !status.ok()) {
    return Error{status.message()};
  }
  struct stat st {};
  const std::string device = dir + "/device";
  if (stat(device.c_str(), &st) == 0) {
    if (const Status status = CollectSensorData(files, device, chip); !status.ok()) {
      return Error{status.message()};
    }
  }
  if (const auto text = ReadSmallFile(dir + "/name"); text.ok() && !text->empty()) {
    std::string clean = CleanHwmonName(*text);
    if (!clean.empty()) chip.name = std::move(clean);
  }
  return chip;
}

}  // namespace vitals::procfs
