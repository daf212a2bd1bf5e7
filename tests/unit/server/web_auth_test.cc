#include "server/web_auth.h"

#include <crypt.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "server/web_security.h"
#include "test_util.h"

namespace vitals::server {
namespace {

// A fresh cost-4 bcrypt hash of `password` (cost 4 keeps the tests fast).
std::string MakeHash(const std::string& password) {
  char* salt = crypt_gensalt_ra("$2b$", 4, nullptr, 0);
  EXPECT_NE(salt, nullptr);
  crypt_data data{};
  const std::string hash = crypt_r(password.c_str(), salt, &data);
  free(salt);
  EXPECT_TRUE(hash.starts_with("$2b$04$")) << hash;
  return hash;
}

TEST(BcryptMatchesTest, RightAndWrongPasswords) {
  const std::string hash = MakeHash("s3cret");
  EXPECT_TRUE(BcryptMatches("s3cret", hash));
  EXPECT_FALSE(BcryptMatches("s3cre", hash));
  EXPECT_FALSE(BcryptMatches("s3cret ", hash));
  EXPECT_FALSE(BcryptMatches("", hash));
  // crypt() would stop at the NUL and accept "s3cret"; the check must not.
  EXPECT_FALSE(BcryptMatches(std::string("s3cret\0x", 8), hash));
  EXPECT_FALSE(BcryptMatches("s3cret", "not a hash"));
  // $2y$ (htpasswd's prefix) is the same algorithm.
  std::string y_hash = hash;
  y_hash[2] = 'y';
  crypt_data data{};
  EXPECT_EQ(std::string(crypt_r("s3cret", y_hash.c_str(), &data)), y_hash);
  EXPECT_TRUE(BcryptMatches("s3cret", y_hash));
}

TEST(ParseBasicAuthorizationTest, Values) {
  // "alice:pa:ss" -> the password may contain colons.
  auto parsed = ParseBasicAuthorization("Basic YWxpY2U6cGE6c3M=");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->first, "alice");
  EXPECT_EQ(parsed->second, "pa:ss");
  parsed = ParseBasicAuthorization("basic   YTo=  ");  // "a:" -> empty password.
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->first, "a");
  EXPECT_EQ(parsed->second, "");
  parsed = ParseBasicAuthorization("Basic OmI=");  // ":b"
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->first, "");
  EXPECT_FALSE(ParseBasicAuthorization("Bearer YWxpY2U6cGFzcw=="));
  EXPECT_FALSE(ParseBasicAuthorization("Basic YWxpY2U="));          // "alice": no colon.
  EXPECT_FALSE(ParseBasicAuthorization("Basic YWxpY2U6cGFzcw"));    // Missing padding.
  EXPECT_FALSE(ParseBasicAuthorization("Basic YWxp!2U6cGFzcw=="));  // Not base64.
  EXPECT_FALSE(ParseBasicAuthorization("Basic"));
  EXPECT_FALSE(ParseBasicAuthorization(""));
}

// A verifier that records its calls and accepts only `accepted`.
struct CountingVerifier {
  std::string accepted;
  int* calls;
  bool operator()(std::string_view password, const std::string& /*hash*/) const {
    ++*calls;
    return password == accepted;
  }
};

TEST(BasicAuthTest, SuccessIsCachedFailureNever) {
  int calls = 0;
  BasicAuth auth({{"alice", "$2b$04$hash"}}, CountingVerifier{"right", &calls});
  EXPECT_TRUE(auth.enabled());
  EXPECT_TRUE(auth.Check("alice", "right"));
  EXPECT_TRUE(auth.Check("alice", "right"));
  EXPECT_TRUE(auth.Check("alice", "right"));
  EXPECT_EQ(calls, 1);  // Only the first success paid for bcrypt.
  EXPECT_EQ(auth.verifications(), 1u);
  EXPECT_FALSE(auth.Check("alice", "wrong"));
  EXPECT_FALSE(auth.Check("alice", "wrong"));
  EXPECT_EQ(calls, 3);  // Every failure is verified again, never remembered.
  // A cached success for one password says nothing about another.
  EXPECT_FALSE(auth.Check("alice", "right "));
  EXPECT_EQ(calls, 4);
}

TEST(BasicAuthTest, UnknownUserNeverPassesButCostsAVerification) {
  int calls = 0;
  // The verifier accepts "right" for any hash: the user list must still decide.
  BasicAuth auth({{"alice", "$2b$04$hash"}}, CountingVerifier{"right", &calls});
  EXPECT_FALSE(auth.Check("bob", "right"));
  EXPECT_FALSE(auth.Check("bob", "right"));
  EXPECT_EQ(calls, 2);
  EXPECT_FALSE(auth.Check("", "right"));
}

// Unknown names are checked against a configured hash picked by the name, so their
// bcrypt cost (and time) is spread like the known names' are. Before, every unknown
// name used the first user's hash: with mixed costs, its time told names apart.
TEST(BasicAuthTest, UnknownUsersSpreadOverTheConfiguredHashes) {
  const std::map<std::string, std::string> users = {{"alice", "$2b$04$cheap"},
                                                    {"bob", "$2b$12$dear"}};
  std::map<std::string, std::string> used;  // Name -> hash it was checked against.
  std::string last_hash;
  BasicAuth auth(users, [&last_hash](std::string_view, const std::string& hash) {
    last_hash = hash;
    return false;
  });
  std::map<std::string, int> per_hash;
  for (int i = 0; i < 200; ++i) {
    const std::string name = "intruder" + std::to_string(i);
    EXPECT_FALSE(auth.Check(name, "x"));
    EXPECT_TRUE(last_hash == users.at("alice") || last_hash == users.at("bob")) << last_hash;
    ++per_hash[last_hash];
    used[name] = last_hash;
  }
  // Both costs occur (200 names: each side has probability 2^-200 of never occurring).
  EXPECT_EQ(per_hash.size(), 2u);
  // A name always meets the same hash, so retrying a name tells nothing new.
  for (const auto& [name, hash] : used) {
    EXPECT_FALSE(auth.Check(name, "y"));
    EXPECT_EQ(last_hash, hash) << name;
  }
  // Known users are always checked against their own hash.
  EXPECT_FALSE(auth.Check("bob", "x"));
  EXPECT_EQ(last_hash, users.at("bob"));
}

// A flood of wrong passwords takes at most `max_concurrent` bcrypt slots; beyond them
// requests are turned away unchecked (429), while known-good credentials pass at once
// and requests with credentials already being checked share that one check.
TEST(BasicAuthTest, BcryptSlotsBoundTheCostOfWrongPasswords) {
  std::mutex mutex;
  std::condition_variable changed;
  bool entered = false, released = false;
  std::atomic<int> calls = 0;
  BasicAuth auth(
      {{"alice", "$2b$04$hash"}},
      [&](std::string_view password, const std::string&) {
        ++calls;
        if (password == "slow") {
          std::unique_lock lock(mutex);
          entered = true;
          changed.notify_all();
          changed.wait(lock, [&] { return released; });
        }
        return password == "right";
      },
      /*max_concurrent=*/1);
  using Verdict = BasicAuth::Verdict;
  EXPECT_EQ(auth.Verify("alice", "right"), Verdict::kAccepted);  // Now cached.

  auto first = std::async(std::launch::async, [&] { return auth.Verify("alice", "slow"); });
  {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return entered; });
  }
  // The one slot is taken: another unknown password is turned away unchecked...
  EXPECT_EQ(auth.Verify("alice", "guess"), Verdict::kBusy);
  EXPECT_EQ(auth.Verify("mallory", "guess"), Verdict::kBusy);
  // ...known-good credentials still pass...
  EXPECT_EQ(auth.Verify("alice", "right"), Verdict::kAccepted);
  // ...and the same credentials as the check in progress wait for its answer.
  auto second = std::async(std::launch::async, [&] { return auth.Verify("alice", "slow"); });
  EXPECT_EQ(second.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
  {
    std::lock_guard lock(mutex);
    released = true;
  }
  changed.notify_all();
  EXPECT_EQ(first.get(), Verdict::kRejected);
  EXPECT_EQ(second.get(), Verdict::kRejected);
  EXPECT_EQ(calls, 2);  // "right" once, "slow" once.
  // The slot is free again.
  EXPECT_EQ(auth.Verify("alice", "guess"), Verdict::kRejected);
}

TEST(BasicAuthTest, HeaderAndRealBcrypt) {
  BasicAuth auth({{"alice", MakeHash("pass")}});
  EXPECT_TRUE(auth.CheckHeader("Basic YWxpY2U6cGFzcw=="));  // alice:pass
  EXPECT_TRUE(auth.CheckHeader("Basic YWxpY2U6cGFzcw=="));
  EXPECT_EQ(auth.verifications(), 1u);
  EXPECT_FALSE(auth.CheckHeader("Basic YWxpY2U6cGFzcz8="));  // alice:pass?
  EXPECT_FALSE(auth.CheckHeader(nullptr));
  EXPECT_FALSE(auth.CheckHeader("Basic Ym9iOnBhc3M="));  // bob:pass
  EXPECT_FALSE(BasicAuth({}).enabled());
}

// WebSecurity re-reads the file: a new hash for a user replaces the cached success.
class WebSecurityReloadTest : public ::testing::Test {
 protected:
  void Write(const std::string& yaml) { test::WriteFile(dir_.path() / "web.yml", yaml); }
  std::string Path() const { return dir_.Sub("web.yml"); }
  static void WaitForCheck() {
    std::this_thread::sleep_for(WebSecurity::kCheckInterval + std::chrono::milliseconds(50));
  }
  test::TempDir dir_;
};

TEST_F(WebSecurityReloadTest, ChangedFileInvalidatesCacheAndBrokenFileKeepsOld) {
  Write("basic_auth_users:\n  alice: " + MakeHash("one") + "\n");
  auto security = WebSecurity::Load(Path());
  ASSERT_TRUE(security.ok()) << security.error();
  EXPECT_FALSE((*security)->tls());
  auto first = (*security)->Current();
  EXPECT_TRUE(first->auth.Check("alice", "one"));  // Cached in this state.

  Write("basic_auth_users:\n  alice: " + MakeHash("two") + "\n  bob: " + MakeHash("b") + "\n");
  WaitForCheck();
  auto second = (*security)->Current();
  ASSERT_NE(second, first);
  EXPECT_FALSE(second->auth.Check("alice", "one"));  // The old success is gone.
  EXPECT_TRUE(second->auth.Check("alice", "two"));
  EXPECT_TRUE(second->auth.Check("bob", "b"));

  Write("basic_auth_users:\n  alice: plaintext\n");  // Broken: keeps the previous state.
  WaitForCheck();
  EXPECT_EQ((*security)->Current(), second);
  WaitForCheck();
  EXPECT_EQ((*security)->Current(), second);

  Write("basic_auth_users:\n  carol: " + MakeHash("c") + "\n");  // Fixed: applies.
  WaitForCheck();
  auto fourth = (*security)->Current();
  ASSERT_NE(fourth, second);
  EXPECT_TRUE(fourth->auth.Check("carol", "c"));
  EXPECT_FALSE(fourth->auth.Check("alice", "two"));
}

TEST_F(WebSecurityReloadTest, UnchangedFileKeepsStateAndCache) {
  Write("basic_auth_users:\n  alice: " + MakeHash("one") + "\n");
  auto security = WebSecurity::Load(Path());
  ASSERT_TRUE(security.ok()) << security.error();
  auto first = (*security)->Current();
  EXPECT_TRUE(first->auth.Check("alice", "one"));
  WaitForCheck();
  EXPECT_EQ((*security)->Current(), first);
}

TEST_F(WebSecurityReloadTest, AddingTlsNeedsRestart) {
  Write("");
  auto security = WebSecurity::Load(Path());
  ASSERT_TRUE(security.ok()) << security.error();
  auto first = (*security)->Current();
  Write("tls_server_config: {cert_file: x.crt, key_file: x.key}\n");
  WaitForCheck();
  EXPECT_EQ((*security)->Current(), first);
}

TEST_F(WebSecurityReloadTest, StartupErrorsNameTheFile) {
  Write("tls_server_config:\n  cert_file: missing.crt\n  key_file: missing.key\n");
  auto security = WebSecurity::Load(Path());
  ASSERT_FALSE(security.ok());
  EXPECT_EQ(
      security.error().rfind(
          Path() + ":2:3: tls_server_config: cannot load cert_file " + dir_.Sub("missing.crt"), 0),
      0u)
      << security.error();
  EXPECT_EQ(security.error().find('\n'), std::string::npos);
  Write("basic_auth_users: [x]\n");
  security = WebSecurity::Load(Path());
  ASSERT_FALSE(security.ok());
  EXPECT_EQ(security.error().rfind(Path() + ":1:19: ", 0), 0u) << security.error();
}

}  // namespace
}  // namespace vitals::server
