// SELinux state as github.com/opencontainers/selinux/go-selinux 1.10 (node_exporter
// 1.5's selinux collector) reads it: selinuxfs's "enforce" file and the SELINUX= line of
// /etc/selinux/config.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vitals::procfs {

// The value of `key` in /etc/selinux/config text, as go-selinux's readConfig: per line
// (trimmed; blank lines and ';' or '#' comments skipped), the first "key=value" whose key
// is exactly `key`, with '"' trimmed from both ends of the value; "" when none, or when
// a line of 64 KiB or more ends the scan first.
std::string SelinuxConfigValue(std::string_view text, std::string_view key);

// go-selinux's DefaultEnforceMode from the config's SELINUX value: "enforcing" 1,
// "permissive" 0, anything else (disabled, absent) -1.
int SelinuxConfigMode(std::string_view config_text);

// strconv.Atoi of the whole of `s` (an optional sign, decimal digits, within int64):
// selinuxfs's enforce file holds "0" or "1" without a newline; nullopt otherwise (and
// go-selinux's EnforceMode is then -1).
std::optional<int64_t> ParseGoAtoi(std::string_view s);

}  // namespace vitals::procfs
