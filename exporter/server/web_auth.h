// HTTP basic authentication against bcrypt hashes (exporter-toolkit's basic_auth_users).
// bcrypt is slow on purpose (~70 ms at cost 10), so a successful check is remembered:
// Prometheus sends the same credentials every scrape. Failures are never remembered.
#pragma once

#include <array>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
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

  // `max_concurrent`: bcrypt runs at once (0: half the CPUs, at least 1).
  explicit BasicAuth(std::map<std::string, std::string> users, Verifier verifier = &BcryptMatches,
                     unsigned max_concurrent = 0);

  enum class Verdict : uint8_t { kAccepted, kRejected, kBusy };

  // True when the file lists users, i.e. requests need credentials.
  bool enabled() const { return !users_.empty(); }

  // True when `user` is listed and `password` matches its hash. Unknown users cost one
  // bcrypt run too, against a configured hash picked by their name, so response times
  // do not tell which user names exist.
  // kBusy: the credentials are not known good, not being checked already, and every
  // bcrypt slot is taken. Wrong passwords cost a bcrypt run each, so a flood of them
  // would take every core and starve the scrapes (150 threads of them pushed valid
  // scrapes to 0.4-1.7 s); beyond the slots they are turned away unchecked (HTTP 429),
  // while credentials that passed before (Prometheus's) are accepted at once, and
  // requests with credentials already being checked wait for that one answer.
  Verdict Verify(std::string_view user, std::string_view password) const;
  bool Check(std::string_view user, std::string_view password) const {
    return Verify(user, password) == Verdict::kAccepted;
  }

  // The Authorization header value (nullptr when absent) checked as above.
  Verdict VerifyHeader(const char* authorization) const;
  bool CheckHeader(const char* authorization) const {
    return VerifyHeader(authorization) == Verdict::kAccepted;
  }

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
  unsigned max_concurrent_;
  // bcrypt runs in progress, by cache key; later requests with the same key wait.
  struct Pending {
    bool done = false;
    bool accepted = false;
  };
  mutable std::map<std::string, std::shared_ptr<Pending>> in_flight_;
  mutable std::condition_variable verified_or_failed_;
};

}  // namespace vitals::server
