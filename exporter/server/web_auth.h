// HTTP basic authentication against bcrypt hashes (exporter-toolkit's basic_auth_users).
// bcrypt is slow on purpose (~70 ms at cost 10), so a successful check is remembered:
// Prometheus sends the same credentials every scrape. Failures are never remembered.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vitals::server {

// libcrypt's crypt_r (it understands $2a$, $2b$ and $2y$); the result is compared with
// `hash` in constant time. False for passwords with a NUL byte (crypt would cut them).
bool BcryptMatches(std::string_view password, const std::string& hash);

// Splits an "Authorization: Basic <base64(user:password)>" value; nullopt when it is
// not one (other scheme, bad base64, no colon).
std::optional<std::pair<std::string, std::string>> ParseBasicAuthorization(std::string_view header);

class BasicAuth {
 public:
  using Verifier = std::function<bool(std::string_view password, const std::string& hash)>;

  explicit BasicAuth(std::map<std::string, std::string> users, Verifier verifier = &BcryptMatches);

  // True when the file lists users, i.e. requests need credentials.
  bool enabled() const { return !users_.empty(); }

  // True when `user` is listed and `password` matches its hash. Unknown users cost one
  // bcrypt run too, against a configured hash picked by their name, so response times
  // do not tell which user names exist.
  bool Check(std::string_view user, std::string_view password) const;

  // The Authorization header value (nullptr when absent) checked as above.
  bool CheckHeader(const char* authorization) const;

  // How many times the verifier ran (cache misses); for tests and debugging.
  uint64_t verifications() const;

 private:
  const std::string& StandInHash(std::string_view user) const;

  std::map<std::string, std::string, std::less<>> users_;
  std::vector<std::string> hashes_;           // Of users_, for StandInHash.
  std::array<unsigned char, 16> name_key_{};  // Random per instance: names map unpredictably.
  Verifier verifier_;
  mutable std::mutex mutex_;
  // SHA-256 of user, password and hash for each success; never the password itself.
  // Mutable: a cache, shared by every request that sees this (const) state.
  mutable std::set<std::string> verified_;
  mutable uint64_t verifications_ = 0;
};

}  // namespace vitals::server
