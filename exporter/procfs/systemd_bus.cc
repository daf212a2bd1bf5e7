#include "procfs/systemd_bus.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <utility>

#include "procfs/sd_bus_api.h"

namespace vitals::procfs {
namespace {

constexpr const char* kDestination = "org.freedesktop.systemd1";
constexpr const char* kManagerPath = "/org/freedesktop/systemd1";
constexpr const char* kManagerInterface = "org.freedesktop.systemd1.Manager";
constexpr const char* kProperties = "org.freedesktop.DBus.Properties";
// Calls in flight at once: below dbus-daemon's max_replies_per_connection (128 on the
// system bus), far above what a round trip needs to keep the bus busy.
constexpr size_t kWindow = 64;

// libsystemd's functions. Every caller works on a bus that Connect() opened, after
// LoadSdBus() succeeded.
const SdBusApi& Sd() { return *LoadSdBus(); }

Error BusError(std::string what, int negative_errno) {
  return Error{std::move(what) + ": " + std::strerror(-negative_errno), -negative_errno};
}

// One method call: the request, its pending slot, then its reply (each owned).
struct Call {
  sd_bus_message* request = nullptr;
  sd_bus_slot* slot = nullptr;
  sd_bus_message* reply = nullptr;
  size_t* finished = nullptr;

  Call() = default;
  Call(const Call&) = delete;
  Call& operator=(const Call&) = delete;
  ~Call() {
    Sd().slot_unref(slot);  // Cancels a call still pending, so no callback sees us gone.
    Sd().message_unref(request);
    Sd().message_unref(reply);
  }
};

int OnReply(sd_bus_message* reply, void* userdata, sd_bus_error* /*error*/) {
  auto* call = static_cast<Call*>(userdata);
  call->reply = Sd().message_ref(reply);
  ++*call->finished;
  return 0;
}

uint64_t MicrosecondsLeft(BusDeadline deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::microseconds>(
      deadline - std::chrono::steady_clock::now());
  return static_cast<uint64_t>(std::max<int64_t>(left.count(), 1));
}

// Sends the calls (kWindow in flight) and runs the connection until each has its reply
// or the deadline passes. sd-bus turns a broken connection into error replies.
Status RunCalls(sd_bus* bus, std::deque<Call>& calls, BusDeadline deadline) {
  size_t sent = 0;
  size_t finished = 0;
  while (finished < calls.size()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return Status::Fail("systemd did not answer in time (" + std::to_string(finished) + " of " +
                          std::to_string(calls.size()) + " D-Bus calls answered)");
    }
    for (; sent < calls.size() && sent - finished < kWindow; ++sent) {
      Call& call = calls[sent];
      call.finished = &finished;
      // sd-bus's own timeout a second later: ours must fire first, or its synthesized
      // timeout errors would read as properties systemd does not have.
      const int r = Sd().call_async(bus, &call.slot, call.request, OnReply, &call,
                                    MicrosecondsLeft(deadline) + 1'000'000);
      if (r < 0) return Status::Fail(BusError("sending a D-Bus call", r).message);
    }
    int r = Sd().process(bus, nullptr);
    if (r < 0) return Status::Fail(BusError("D-Bus connection", r).message);
    if (r > 0) continue;  // More may be queued: process before waiting.
    r = Sd().wait(bus, MicrosecondsLeft(deadline));
    if (r < 0 && r != -EINTR) return Status::Fail(BusError("waiting on D-Bus", r).message);
  }
  // A connection that broke answers every pending call with an error of its own making.
  if (Sd().is_open(bus) <= 0) return Status::Fail("the D-Bus connection was closed");
  return Status::Ok();
}

// The error a reply carries, if it is one.
std::optional<std::string> ReplyError(sd_bus_message* reply) {
  if (!Sd().message_is_method_error(reply, nullptr)) return std::nullopt;
  const sd_bus_error* error = Sd().message_get_error(reply);
  std::string text = error->name != nullptr ? error->name : "error";
  if (error->message != nullptr) text += std::string(": ") + error->message;
  return text;
}

Result<sd_bus_message*> NewCall(sd_bus* bus, const char* path, const char* interface,
                                const char* member) {
  sd_bus_message* message = nullptr;
  const int r = Sd().message_new_method_call(bus, &message, kDestination, path, interface, member);
  if (r < 0) return BusError(std::string("building a D-Bus call to ") + member, r);
  return message;
}

Result<sd_bus_message*> NewPropertyGet(sd_bus* bus, const char* path, const char* interface,
                                       const char* property) {
  auto message = NewCall(bus, path, kProperties, "Get");
  if (!message.ok()) return message;
  const int r = Sd().message_append(*message, "ss", interface, property);
  if (r < 0) {
    Sd().message_unref(*message);
    return BusError("building a D-Bus property read", r);
  }
  return message;
}

// Reads a Properties.Get reply (a variant) holding the `type` requested.
PropertyReply ReadVariant(sd_bus_message* reply, char type) {
  PropertyReply out;
  if (auto error = ReplyError(reply)) {
    out.error = std::move(*error);
    return out;
  }
  const char* contents = nullptr;
  int r = Sd().message_peek_type(reply, nullptr, &contents);
  if (r <= 0 || contents == nullptr || contents[0] != type || contents[1] != '\0') {
    out.error = std::string("value is not of D-Bus type ") + type;
    return out;
  }
  const char signature[2] = {type, '\0'};
  r = Sd().message_enter_container(reply, 'v', signature);
  if (r >= 0) {
    if (type == 's') {
      const char* text = nullptr;
      r = Sd().message_read_basic(reply, 's', &text);
      if (r > 0) out.text = text;
    } else if (type == 'u') {
      uint32_t number = 0;
      r = Sd().message_read_basic(reply, 'u', &number);
      out.number = number;
    } else if (type == 't') {
      r = Sd().message_read_basic(reply, 't', &out.number);
    } else {
      r = -EINVAL;
    }
  }
  if (r < 0) {
    out.error = std::string("reading the value: ") + std::strerror(-r);
    return out;
  }
  out.ok = true;
  return out;
}

}  // namespace

Result<SystemdBus> SystemdBus::Connect() {
  const Result<SdBusApi>& api = LoadSdBus();
  if (!api.ok()) return api.failure();
  sd_bus* bus = nullptr;
  const int r = Sd().open_system(&bus);
  if (r < 0) return BusError("connecting to the system bus", r);
  return SystemdBus(bus);
}

SystemdBus::SystemdBus(SystemdBus&& other) noexcept : bus_(std::exchange(other.bus_, nullptr)) {}

SystemdBus& SystemdBus::operator=(SystemdBus&& other) noexcept {
  if (this != &other) {
    if (bus_ != nullptr) Sd().close_unref(bus_);
    bus_ = std::exchange(other.bus_, nullptr);
  }
  return *this;
}

// Closes without flushing: a stuck peer must not hold the scrape here either.
SystemdBus::~SystemdBus() {
  if (bus_ != nullptr) Sd().close_unref(bus_);
}

Result<std::string> SystemdBus::ManagerString(std::string_view property, BusDeadline deadline) {
  const std::string name(property);
  auto request = NewPropertyGet(bus_, kManagerPath, kManagerInterface, name.c_str());
  if (!request.ok()) return request.failure();
  std::deque<Call> calls(1);
  calls[0].request = *request;
  if (Status run = RunCalls(bus_, calls, deadline); !run.ok()) {
    return Error{run.message(), ETIMEDOUT};
  }
  PropertyReply reply = ReadVariant(calls[0].reply, 's');
  if (!reply.ok) return Error{"Manager." + name + ": " + reply.error};
  return std::move(reply.text);
}

Result<std::vector<SystemdUnit>> SystemdBus::ListUnits(BusDeadline deadline) {
  auto request = NewCall(bus_, kManagerPath, kManagerInterface, "ListUnits");
  if (!request.ok()) return request.failure();
  std::deque<Call> calls(1);
  calls[0].request = *request;
  if (Status run = RunCalls(bus_, calls, deadline); !run.ok()) {
    return Error{run.message(), ETIMEDOUT};
  }
  sd_bus_message* reply = calls[0].reply;
  if (auto error = ReplyError(reply)) return Error{"ListUnits: " + *error};
  std::vector<SystemdUnit> units;
  int r = Sd().message_enter_container(reply, 'a', "(ssssssouso)");
  while (r > 0) {
    const char *name, *description, *load, *active, *sub, *following, *path, *job_type, *job_path;
    uint32_t job_id = 0;
    r = Sd().message_read(reply, "(ssssssouso)", &name, &description, &load, &active, &sub,
                          &following, &path, &job_id, &job_type, &job_path);
    if (r > 0) units.push_back({name, load, active, sub});
  }
  if (r >= 0) r = Sd().message_exit_container(reply);
  if (r < 0) return BusError("ListUnits: reading the reply", r);
  return units;
}

Status SystemdBus::GetProperties(const std::vector<PropertyRequest>& requests,
                                 std::vector<PropertyReply>& replies, BusDeadline deadline) {
  replies.assign(requests.size(), PropertyReply{});
  std::deque<Call> calls(requests.size());
  for (size_t i = 0; i < requests.size(); ++i) {
    const PropertyRequest& request = requests[i];
    auto message = NewPropertyGet(bus_, request.path.c_str(), request.interface.c_str(),
                                  request.property.c_str());
    if (!message.ok()) return Status::Fail(message.error());
    calls[i].request = *message;
  }
  const Status run = RunCalls(bus_, calls, deadline);
  for (size_t i = 0; i < requests.size(); ++i) {
    if (calls[i].reply == nullptr) {
      replies[i].error = "no answer";
    } else {
      replies[i] = ReadVariant(calls[i].reply, requests[i].type);
    }
  }
  return run;
}

std::string UnitObjectPath(std::string_view unit) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string path = "/org/freedesktop/systemd1/unit/";
  if (unit.empty()) return path + "_";
  for (size_t i = 0; i < unit.size(); ++i) {
    const auto c = static_cast<unsigned char>(unit[i]);
    const bool digit = c >= '0' && c <= '9';
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (letter || (digit && i > 0)) {
      path += static_cast<char>(c);
    } else {
      path += '_';
      path += kHex[c >> 4];
      path += kHex[c & 15];
    }
  }
  return path;
}

std::optional<double> ParseSystemdVersion(std::string_view version) {
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  size_t start = 0;
  while (start < version.size()) {
    size_t end = start;
    while (end < version.size() && is_digit(version[end])) ++end;
    if (end - start >= 3) {
      // An optional fraction: a dot and at least one digit.
      if (end + 1 < version.size() && version[end] == '.' && is_digit(version[end + 1])) {
        end += 2;
        while (end < version.size() && is_digit(version[end])) ++end;
      }
      return std::strtod(std::string(version.substr(start, end - start)).c_str(), nullptr);
    }
    start = end == start ? start + 1 : end;
  }
  return std::nullopt;
}

}  // namespace vitals::procfs
