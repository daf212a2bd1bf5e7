// A client of systemd's D-Bus API (org.freedesktop.systemd1) through libsystemd's sd-bus,
// for the systemd collector. Every call is bounded by a deadline: the connection is
// driven by hand (sd_bus_process / sd_bus_wait) instead of sd_bus_call, which waits
// for authentication without a bound and for a reply up to 25 s. The address is
// sd-bus's: $DBUS_SYSTEM_BUS_ADDRESS, else /run/dbus/system_bus_socket.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

struct sd_bus;

namespace vitals::procfs {

using BusDeadline = std::chrono::steady_clock::time_point;

// One entry of org.freedesktop.systemd1.Manager.ListUnits.
struct SystemdUnit {
  std::string name;
  std::string load_state;    // loaded, not-found, masked, ...
  std::string active_state;  // active, inactive, failed, activating, ...
  std::string sub_state;
};

// A property to read with org.freedesktop.DBus.Properties.Get, and the D-Bus type its
// value must have ('s', 'u', 't'): a value of another type is an error, where
// node_exporter's type assertion panics.
struct PropertyRequest {
  std::string path;
  std::string interface;
  std::string property;
  char type = 's';
};

// The answer to one PropertyRequest: a number ('u', 't'), a text ('s') or an error.
struct PropertyReply {
  bool ok = false;
  uint64_t number = 0;
  std::string text;
  std::string error;
};

class SystemdBus {
 public:
  // Opens a connection to the system bus. Does not wait: authentication runs inside the
  // first call, under its deadline.
  static Result<SystemdBus> Connect();

  SystemdBus(SystemdBus&&) noexcept;
  SystemdBus& operator=(SystemdBus&&) noexcept;
  ~SystemdBus();

  // A property of org.freedesktop.systemd1.Manager holding a string (Version, SystemState).
  Result<std::string> ManagerString(std::string_view property, BusDeadline deadline);
  Result<std::vector<SystemdUnit>> ListUnits(BusDeadline deadline);
  // Reads every request, a window of them in flight at a time; replies in request order.
  // Fails (with the replies so far) when the deadline passes or the connection breaks;
  // a property the bus answers with an error is only that reply's error.
  Status GetProperties(const std::vector<PropertyRequest>& requests,
                       std::vector<PropertyReply>& replies, BusDeadline deadline);

 private:
  explicit SystemdBus(sd_bus* bus) : bus_(bus) {}
  sd_bus* bus_ = nullptr;
};

// The object path of a unit: /org/freedesktop/systemd1/unit/ and the name with every
// byte outside [A-Za-z0-9] (and a leading digit) written _xx, as systemd and go-systemd's
// PathBusEscape do ("ssh.service" -> .../unit/ssh_2eservice).
std::string UnitObjectPath(std::string_view unit);

// The Manager's Version string as node_exporter reads it: the leftmost match of
// [0-9]{3,}(\.[0-9]+)? as a number ("252.38-1~deb12u1" -> 252.38); nullopt without one.
std::optional<double> ParseSystemdVersion(std::string_view version);

}  // namespace vitals::procfs
