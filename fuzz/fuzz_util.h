// Shared by the fuzz targets: the input as a string_view, and a sink that keeps the
// optimizer from dropping results the sanitizers should look at.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vitals::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Reads every byte of `s` so ASan sees any view that points outside the input.
inline void Touch(std::string_view s) {
  volatile char sink = 0;
  for (const char c : s) sink = static_cast<char>(sink ^ c);
  (void)sink;
}

}  // namespace vitals::fuzz
