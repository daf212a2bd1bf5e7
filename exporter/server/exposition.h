// Text exposition format 0.0.4, byte-for-byte what prometheus-cpp's TextSerializer
// writes for counters, gauges and untyped metrics, but into one reused string with
// std::to_chars instead of an ostream: the ostream version cost about as much CPU as
// reading every /proc file of a scrape. Families of other types go through
// prometheus::TextSerializer itself. Tests hold the two outputs equal.
#pragma once

#include <prometheus/metric_family.h>

#include <string>

#include "collectors/collector.h"

namespace vitals::server {

// Appends the exposition text of `families` to `out`. Every label value comes out as
// valid UTF-8 (invalid bytes become U+FFFD), whatever bytes a collector put in it:
// Prometheus rejects a whole scrape for one bad label value.
void AppendExposition(const collectors::Families& families, std::string& out);

}  // namespace vitals::server
