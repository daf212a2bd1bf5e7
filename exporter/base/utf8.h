// UTF-8 hygiene for label values. Prometheus rejects a whole scrape when one label
// value is not valid UTF-8, and the kernel hands out arbitrary bytes (mount points,
// interface aliases, process names set with prctl). The exposition writer cleans
// every label value here, the one chokepoint.
#pragma once

#include <string>
#include <string_view>

namespace vitals {

// True when `text` is valid UTF-8 (no overlong forms, surrogates or values past
// U+10FFFF). Plain ASCII, the common case, is checked eight bytes at a time.
bool IsValidUtf8(std::string_view text);

// Each byte that does not start a valid sequence becomes U+FFFD; valid text is copied
// unchanged.
std::string SanitizeUtf8(std::string_view text);

}  // namespace vitals
