// A comparison whose time does not depend on where the inputs differ (basic auth's
// password check), for code that must not wait for OpenSSL's CRYPTO_memcmp to load.
#pragma once

#include <cstddef>

namespace vitals {

// True when the `size` bytes at `a` and `b` are equal; the time taken does not depend
// on where they differ.
bool ConstantTimeEquals(const void* a, const void* b, size_t size);

}  // namespace vitals
