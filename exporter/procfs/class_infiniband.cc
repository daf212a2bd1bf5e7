#include "procfs/class_infiniband.h"

#include <charconv>
#include <cmath>

#include "base/text.h"
#include "procfs/class_nvme.h"
#include "procfs/class_scsi_tape.h"

namespace vitals::procfs {
namespace {

// Go's strconv.ParseUint(s, 10, 32): digits only, no sign, no underscores.
std::optional<uint32_t> ParseDecimalU32(std::string_view s) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  uint32_t value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<uint32_t> ParseInfinibandState(std::string_view text) {
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  return ParseDecimalU32(TrimGoSpace(text.substr(0, colon)));
}

std::optional<uint64_t> ParseInfinibandRate(std::string_view text) {
  constexpr std::string_view kUnit = "Gb/sec";
  const size_t unit = text.find(kUnit);
  if (unit == std::string_view::npos ||
      text.find(kUnit, unit + kUnit.size()) != std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view number = TrimGoSpace(text.substr(0, unit));
  if (number.starts_with('+')) number.remove_prefix(1);
  float value = 0;
  const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (number.empty() || ec != std::errc() || ptr != number.data() + number.size()) {
    return std::nullopt;
  }
  const double rate = static_cast<double>(value) * 125000000;
  if (!std::isfinite(rate) || rate < 0 || rate >= 18446744073709551616.0) return std::nullopt;
  return static_cast<uint64_t>(rate);
}

std::optional<uint64_t> ParseInfinibandCounter(std::string_view text, bool per_lane) {
  constexpr size_t kSysReadSize = 128;
  const auto value = ParseSysfsCounter(text.substr(0, kSysReadSize));
  if (!value) return std::nullopt;
  return per_lane ? *value * 4 : *value;  // Unsigned: wraps like Go's uint64.
}

InfinibandDevice ReadInfinibandDevice(FileCache& files, const std::string& class_dir,
                                      std::string name) {
  InfinibandDevice device;
  const std::string dir = class_dir + "/" + name + "/";
  device.name = std::move(name);
  device.board_id = ReadSysAttribute(files, dir + "board_id").value_or("");
  device.firmware_version = ReadSysAttribute(files, dir + "fw_ver").value_or("");
  device.hca_type = ReadSysAttribute(files, dir + "hca_type").value_or("");
  const auto ports = ListClassDir(dir + "ports");
  if (!ports.ok()) return device;
  for (const std::string& port : *ports) {
    if (const auto number = ParseDecimalU32(port)) device.ports[*number] = port;
  }
  return device;
}

}  // namespace vitals::procfs
