// Text exposition format 0.0.4, byte-for-byte what prometheus-cpp's TextSerializer
// writes for counters, gauges and untyped metrics, but into one reused string with
// std::to_chars instead of an ostream: the ostream version cost about as much CPU as
// reading every /proc file of a scrape. Families of other types go through
// prometheus::TextSerializer itself. Tests hold the two outputs equal.
#pragma once

#include <prometheus/metric_family.h>

#include <string>
#include <vector>

namespace vitals::server {

// Appends the exposition text of `families` to `out`.
void AppendExposition(const std::vector<prometheus::MetricFamily>& families, std::string& out);

}  // namespace vitals::server
