// Full scrapes through the Scraper, without HTTP: on the fixture tree (stable input)
// and on this machine's live /proc and /sys (what a real scrape pays).
#include <benchmark/benchmark.h>
#include <prometheus/text_serializer.h>

#include <sstream>
#include <string>

#include "collectors/registry.h"
#include "server/exposition.h"
#include "server/scraper.h"

namespace {

using vitals::collectors::Paths;

std::vector<std::string> DefaultCollectors() {
  std::vector<std::string> names;
  for (const auto* each : vitals::collectors::AllCollectors()) {
    const auto& spec = *each;
    if (spec.enabled_by_default) names.emplace_back(spec.name);
  }
  return names;
}

Paths FixturePaths() {
  const std::string root = VITALS_FIXTURES;
  return Paths{root + "/proc", root + "/sys", root + "/rootfs", root + "/udev/data"};
}

vitals::server::Scraper MakeScraper(const Paths& paths) {
  return vitals::server::Scraper(vitals::server::MakeCollectors(
      DefaultCollectors(), paths, vitals::collectors::CollectorOptions::Defaults()));
}

void BM_FullScrapeFixtures(benchmark::State& state) {
  auto scraper = MakeScraper(FixturePaths());
  size_t bytes = 0;
  for (auto _ : state) bytes += scraper.ScrapeText().size();
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_FullScrapeFixtures)->Unit(benchmark::kMicrosecond);

void BM_FullScrapeLive(benchmark::State& state) {
  auto scraper = MakeScraper(Paths{});
  for (auto _ : state) benchmark::DoNotOptimize(scraper.ScrapeText());
}
BENCHMARK(BM_FullScrapeLive)->Unit(benchmark::kMicrosecond);

void BM_CollectOnlyLive(benchmark::State& state) {
  auto scraper = MakeScraper(Paths{});
  for (auto _ : state) benchmark::DoNotOptimize(scraper.Collect());
}
BENCHMARK(BM_CollectOnlyLive)->Unit(benchmark::kMicrosecond);

void BM_SerializeOnlyPrometheusCpp(benchmark::State& state) {
  auto scraper = MakeScraper(Paths{});
  const auto collected = scraper.Collect();
  const std::vector<prometheus::MetricFamily> families(collected.begin(), collected.end());
  for (auto _ : state) {
    std::ostringstream text;
    prometheus::TextSerializer().Serialize(text, families);
    benchmark::DoNotOptimize(text.str());
  }
}
BENCHMARK(BM_SerializeOnlyPrometheusCpp)->Unit(benchmark::kMicrosecond);

void BM_SerializeOnlyVitals(benchmark::State& state) {
  auto scraper = MakeScraper(Paths{});
  const auto families = scraper.Collect();
  for (auto _ : state) {
    std::string text;
    vitals::server::AppendExposition(families, text);
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(BM_SerializeOnlyVitals)->Unit(benchmark::kMicrosecond);

}  // namespace
