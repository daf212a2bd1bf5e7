// /sys/class/dmi/id/: the firmware's DMI (SMBIOS) identification strings
// (Documentation/ABI/testing/sysfs-class-dmi), read as prometheus/procfs 0.8.0's DMIClass
// reads them: each regular file but modalias and uevent, its first 128 bytes, trimmed;
// root-only files (serials, product_uuid) skipped when forbidden.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "base/result.h"

namespace vitals::procfs {

// node_exporter's label for a DMI file ("sys_vendor" is "system_vendor"), or "" for a
// file it does not publish (chassis_type, modalias, unknown ones).
std::string_view DmiLabel(std::string_view file);

// {label: value} for the files of `dir` (<sysfs>/class/dmi/id) that node_exporter 1.5
// publishes. Fails when `dir` cannot be listed (errno kept) or a file read fails for
// another reason than EACCES/EPERM.
Result<std::map<std::string, std::string>> ReadDmi(const std::string& dir);

}  // namespace vitals::procfs
