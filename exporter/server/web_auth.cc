#include "server/web_auth.h"

#include <crypt.h>
#include <strings.h>
#include <sys/random.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <thread>

#include "base/constant_time.h"
#include "base/text.h"
#include "server/openssl_api.h"

namespace vitals::server {
namespace {

// Any well-formed cost-10 hash, for unknown users when no user is configured.
constexpr const char* kDummyHash = "$2b$10$abcdefghijklmnopqrstuu4T826PRnz0Hu6YlprUuxkZxOOj5Fw5S";

// Bounds the cache; only successes enter it, so only holders of valid credentials can
// grow it, and clearing it merely costs one bcrypt run per user.
constexpr size_t kMaxCachedSuccesses = 1024;

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// RFC 4648 base64 with padding; nullopt on anything else.
std::optional<std::string> DecodeBase64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (size_t i = 0; i < text.size() - padding; ++i) {
    const int value = Base64Value(text[i]);
    if (value < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<uint32_t>(value);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xff);
    }
  }
  return out;
}

using Digest = std::array<unsigned char, SHA256_DIGEST_LENGTH>;

// libcrypto's SHA-256 (loaded by LoadWebState before any BasicAuth is used); nullopt
// when OpenSSL cannot be loaded.
std::optional<Digest> Sha256(std::string_view data) {
  const Result<OpensslApi>& openssl = LoadOpenssl();
  if (!openssl.ok()) return std::nullopt;
  Digest digest{};
  openssl->sha256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
  return digest;
}

// Empty (nothing is remembered) when OpenSSL cannot be loaded.
std::string CacheKey(std::string_view user, std::string_view password, const std::string& hash) {
  std::string input;
  input.reserve(user.size() + password.size() + hash.size() + 2);
  input.append(user).append(1, '\0').append(password).append(1, '\0').append(hash);
  const std::optional<Digest> digest = Sha256(input);
  explicit_bzero(input.data(), input.size());
  if (!digest) return {};
  return std::string(reinterpret_cast<const char*>(digest->data()), digest->size());
}

}  // namespace

bool BcryptMatches(std::string_view password, const std::string& hash) {
  if (password.find('\0') != std::string_view::npos) return false;
  const std::string password_text(password);
  // struct crypt_data is 32 KiB: too big for a worker thread's stack.
  auto data = std::make_unique<crypt_data>();
  std::memset(data.get(), 0, sizeof(crypt_data));
  const char* result = crypt_r(password_text.c_str(), hash.c_str(), data.get());
  const bool match = result != nullptr && std::strlen(result) == hash.size() &&
                     ConstantTimeEquals(result, hash.data(), hash.size());
  explicit_bzero(data.get(), sizeof(crypt_data));
  return match;
}

std::optional<std::pair<std::string, std::string>> ParseBasicAuthorization(
    std::string_view header) {
  header = Trim(header);
  const size_t space = header.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  // The scheme is case-insensitive (RFC 9110, 11.1).
  const std::string_view scheme = header.substr(0, space);
  if (scheme.size() != 5 || strncasecmp(scheme.data(), "basic", 5) != 0) return std::nullopt;
  const auto decoded = DecodeBase64(Trim(header.substr(space + 1)));
  if (!decoded) return std::nullopt;
  const size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return std::make_pair(decoded->substr(0, colon), decoded->substr(colon + 1));
}

BasicAuth::BasicAuth(std::map<std::string, std::string> users, Verifier verifier,
                     unsigned max_concurrent)
    : users_(users.begin(), users.end()),
      verifier_(std::move(verifier)),
      max_concurrent_(max_concurrent > 0 ? max_concurrent
                                         : std::max(1U, std::thread::hardware_concurrency() / 2)) {
  for (const auto& [user, hash] : users_) hashes_.push_back(hash);
  if (getrandom(name_key_.data(), name_key_.size(), 0) != static_cast<ssize_t>(name_key_.size())) {
    name_key_.fill(0);  // Still a spread over the hashes, only a predictable one.
  }
}

// The configured hash an unknown user is checked against: picked by a keyed digest of
// the name, so unknown names spread over the configured hashes (and their bcrypt costs)
// as the known names do, and a name's response time does not tell whether it exists.
// (Checking every unknown name against the first user's hash leaked: with costs 10 and
// 12 mixed, unknown names took 269 ms and a known cost-10 user 70 ms.)
const std::string& BasicAuth::StandInHash(std::string_view user) const {
  std::string input(name_key_.begin(), name_key_.end());
  input.append(user);
  const std::optional<Digest> digest = Sha256(input);
  if (!digest) return hashes_.front();
  uint64_t pick = 0;
  for (size_t i = 0; i < sizeof(pick); ++i) pick = (pick << 8) | (*digest)[i];
  return hashes_[pick % hashes_.size()];
}

BasicAuth::Verdict BasicAuth::Verify(std::string_view user, std::string_view password) const {
  const auto found = users_.find(user);
  // An unknown user costs one bcrypt run too, and can never pass: `found` decides below.
  const std::string hash = found != users_.end() ? found->second
                           : users_.empty()      ? std::string(kDummyHash)
                                                 : StandInHash(user);
  const std::string key = CacheKey(user, password, hash);
  if (key.empty()) {
    // No OpenSSL (LoadWebState refuses such a config; only a direct user gets here): no
    // key to remember or share a check by, so every request is checked on its own.
    return verifier_(password, hash) && found != users_.end() ? Verdict::kAccepted
                                                              : Verdict::kRejected;
  }
  std::unique_lock lock(mutex_);
  if (found != users_.end() && verified_.contains(key)) return Verdict::kAccepted;
  // The same credentials already being checked (several Prometheus servers, or many
  // connections of one client, after a start or reload): wait for that answer.
  if (auto pending = in_flight_.find(key); pending != in_flight_.end()) {
    const std::shared_ptr<const Pending> waiting = pending->second;
    verified_or_failed_.wait(lock, [&] { return waiting->done; });
    return waiting->accepted ? Verdict::kAccepted : Verdict::kRejected;
  }
  if (in_flight_.size() >= max_concurrent_) return Verdict::kBusy;
  auto pending = std::make_shared<Pending>();
  in_flight_.emplace(key, pending);
  ++verifications_;
  lock.unlock();
  // bcrypt runs outside the lock: parallel scrapes must not queue behind each other.
  bool match = false;
  try {
    match = verifier_(password, hash) && found != users_.end();
  } catch (...) {
    match = false;  // A verifier that fails rejects; waiters must still be woken.
  }
  lock.lock();
  pending->done = true;
  pending->accepted = match;
  in_flight_.erase(key);
  if (match) {
    if (verified_.size() >= kMaxCachedSuccesses) verified_.clear();
    verified_.insert(key);
  }
  verified_or_failed_.notify_all();
  return match ? Verdict::kAccepted : Verdict::kRejected;
}

BasicAuth::Verdict BasicAuth::VerifyHeader(const char* authorization) const {
  if (authorization == nullptr) return Verdict::kRejected;
  auto credentials = ParseBasicAuthorization(authorization);
  if (!credentials) return Verdict::kRejected;
  const Verdict verdict = Verify(credentials->first, credentials->second);
  explicit_bzero(credentials->second.data(), credentials->second.size());
  return verdict;
}

uint64_t BasicAuth::verifications() const {
  std::lock_guard lock(mutex_);
  return verifications_;
}

}  // namespace vitals::server
