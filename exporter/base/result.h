// The project's vocabulary for failure: Result<T> (a value or an Error) and Status
// (success or an Error). Readers, parsers and config loaders return them instead of
// throwing, so one bad file never takes the whole scrape down. An Error keeps the
// errno of the system call that failed, so callers can tell "the process is gone"
// from "not allowed" without passing `int* err` around.
#pragma once

#include <cerrno>
#include <string>
#include <utility>
#include <variant>

namespace vitals {

struct Error {
  std::string message;
  int sys_errno = 0;  // 0 when the failure did not come from a system call.

  // The object (a process, a file) no longer exists: not an error worth counting.
  bool Vanished() const { return sys_errno == ENOENT || sys_errno == ESRCH; }
  // The kernel refused: another user's process, a root-only file.
  bool Denied() const { return sys_errno == EACCES || sys_errno == EPERM; }
};

template <typename T>
class Result {
 public:
  Result(T value) : data_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : data_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<T>(data_); }
  const T& value() const { return std::get<T>(data_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const std::string& error() const { return std::get<Error>(data_).message; }
  const Error& failure() const { return std::get<Error>(data_); }
  int sys_errno() const { return ok() ? 0 : failure().sys_errno; }

 private:
  std::variant<T, Error> data_;
};

// Status: success or an error message, for operations without a value.
class Status {
 public:
  Status() = default;
  static Status Ok() { return {}; }
  static Status Fail(std::string message) { return Status(std::move(message)); }
  bool ok() const { return !failed_; }
  const std::string& message() const { return message_; }

 private:
  explicit Status(std::string message) : failed_(true), message_(std::move(message)) {}
  bool failed_ = false;
  std::string message_;
};

}  // namespace vitals
