#include "base/constant_time.h"

namespace vitals {

bool ConstantTimeEquals(const void* a, const void* b, size_t size) {
  const auto* x = static_cast<const volatile unsigned char*>(a);
  const auto* y = static_cast<const volatile unsigned char*>(b);
  unsigned char difference = 0;
  for (size_t i = 0; i < size; ++i) difference |= x[i] ^ y[i];
  return difference == 0;
}

}  // namespace vitals
