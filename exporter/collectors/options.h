// Collector options without a central list of their types: each collector registers
// its own options struct (registry.h), and the rest of the program holds them here,
// type-erased but comparable, so a reload can tell which collectors kept theirs.
#pragma once

#include <any>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>

namespace vitals::collectors {

// One collector's options: any copyable struct with operator== (`= default`).
class AnyOptions {
 public:
  AnyOptions() = default;
  template <typename T>
  explicit AnyOptions(T value) : value_(std::move(value)), equal_(&Equal<T>) {}

  template <typename T>
  T* As() {
    return std::any_cast<T>(&value_);
  }
  template <typename T>
  const T* As() const {
    return std::any_cast<T>(&value_);
  }
  const std::type_info& type() const { return value_.type(); }

  friend bool operator==(const AnyOptions& a, const AnyOptions& b) {
    if (a.type() != b.type()) return false;
    return a.equal_ == nullptr || a.equal_(a.value_, b.value_);
  }

 private:
  template <typename T>
  static bool Equal(const std::any& a, const std::any& b) {
    return *std::any_cast<T>(&a) == *std::any_cast<T>(&b);
  }

  std::any value_;
  bool (*equal_)(const std::any&, const std::any&) = nullptr;
};

// Every collector's options, keyed by collector name. Defaults() (registry.h) has an
// entry for each collector that has options.
class CollectorOptions {
 public:
  static CollectorOptions Defaults();

  AnyOptions* Find(std::string_view collector) {
    const auto it = by_collector_.find(collector);
    return it == by_collector_.end() ? nullptr : &it->second;
  }
  const AnyOptions* Find(std::string_view collector) const {
    const auto it = by_collector_.find(collector);
    return it == by_collector_.end() ? nullptr : &it->second;
  }
  void Set(std::string collector, AnyOptions options) {
    by_collector_.insert_or_assign(std::move(collector), std::move(options));
  }

  // The options of type T (each options type belongs to one collector).
  template <typename T>
  T& Get() {
    return const_cast<T&>(std::as_const(*this).template Get<T>());
  }
  template <typename T>
  const T& Get() const {
    for (const auto& [name, options] : by_collector_) {
      if (const T* typed = options.template As<T>()) return *typed;
    }
    throw std::logic_error(std::string("no collector has options of type ") + typeid(T).name());
  }

 private:
  std::map<std::string, AnyOptions, std::less<>> by_collector_;
};

}  // namespace vitals::collectors
