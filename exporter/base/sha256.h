// SHA-256 (FIPS 180-4) and a constant-time comparison, for basic auth's cache keys and
// password check: small enough to keep here, so the exporter need not link libcrypto
// (~1.4 MiB resident at every start) for two digests and a memcmp.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vitals {

using Sha256Digest = std::array<unsigned char, 32>;

Sha256Digest Sha256(std::string_view data);

// True when the `size` bytes at `a` and `b` are equal; the time taken does not depend
// on where they differ.
bool ConstantTimeEquals(const void* a, const void* b, size_t size);

}  // namespace vitals
