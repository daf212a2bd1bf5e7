// A collector whose Collect() is a test's lambda, for the scraper and reload tests.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "collectors/collector.h"
#include "server/scraper.h"

namespace vitals::test {

class FakeCollector : public collectors::Collector {
 public:
  using CollectFunction = std::function<Status(collectors::Families&)>;
  explicit FakeCollector(CollectFunction collect) : collect_(std::move(collect)) {}
  Status Collect(const ScrapeContext& /*context*/, collectors::Families& out) override {
    return collect_(out);
  }

 private:
  CollectFunction collect_;
};

inline server::NamedCollector Named(std::string name, FakeCollector::CollectFunction collect) {
  return {std::move(name), std::make_unique<FakeCollector>(std::move(collect)), {}};
}

}  // namespace vitals::test
