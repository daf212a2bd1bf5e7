#include "server/web_config.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "server/config_error_case.h"
#include "test_util.h"

namespace vitals::server {
namespace {

// A real cost-4 bcrypt hash (of "secret"), as `htpasswd -nbBC 4` would write it.
constexpr const char* kHash = "$2b$04$Si7jMyltahL2Xff40es1gufpsWJnvb5HCMJCD20Azndx7ALmqcJie";

TEST(ParseWebConfigTest, EmptyMeansNoTlsNoAuth) {
  for (const char* yaml : {"", "\n", "# nothing\n", "---\n"}) {
    const auto config = ParseWebConfig(yaml, "web.yml");
    ASSERT_TRUE(config.ok()) << config.error();
    EXPECT_FALSE(config->tls);
    EXPECT_TRUE(config->basic_auth_users.empty());
    EXPECT_TRUE(config->headers.empty());
  }
}

TEST(ParseWebConfigTest, FullExporterToolkitFile) {
  const std::string yaml = std::string() +
                           "tls_server_config:\n"
                           "  cert_file: server.crt\n"
                           "  key_file: /etc/vitals/server.key\n"
                           "  client_auth_type: RequireAndVerifyClientCert\n"
                           "  client_ca_file: ca.crt\n"
                           "  min_version: TLS13\n"
                           "  max_version: TLS13\n"
                           "http_server_config:\n"
                           "  http2: false\n"
                           "  headers:\n"
                           "    X-Frame-Options: deny\n"
                           "    X-Content-Type-Options: nosniff\n"
                           "    Strict-Transport-Security: max-age=31536000\n"
                           "basic_auth_users:\n"
                           "  prometheus: " +
                           kHash + "\n  alice: '" + kHash + "'\n";
  const auto config = ParseWebConfig(yaml, "web.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  ASSERT_TRUE(config->tls);
  EXPECT_EQ(config->tls->cert_file, "server.crt");
  EXPECT_EQ(config->tls->key_file, "/etc/vitals/server.key");
  EXPECT_EQ(config->tls->client_ca_file, "ca.crt");
  EXPECT_EQ(config->tls->client_auth, ClientAuth::kRequireAndVerifyClientCert);
  EXPECT_EQ(config->tls->min_version, TlsVersion::kTls13);
  EXPECT_EQ(config->tls->max_version, TlsVersion::kTls13);
  EXPECT_EQ(config->tls->where, "web.yml:2:3");
  ASSERT_EQ(config->basic_auth_users.size(), 2u);
  EXPECT_EQ(config->basic_auth_users.at("prometheus"), kHash);
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"X-Frame-Options", "deny"},
      {"X-Content-Type-Options", "nosniff"},
      {"Strict-Transport-Security", "max-age=31536000"}};
  EXPECT_EQ(config->headers, headers);
}

TEST(ParseWebConfigTest, TlsDefaults) {
  const auto config = ParseWebConfig("tls_server_config: {cert_file: a, key_file: b}\n", "w");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->tls->min_version, TlsVersion::kTls12);
  EXPECT_FALSE(config->tls->max_version);
  EXPECT_EQ(config->tls->client_auth, ClientAuth::kNoClientCert);
}

TEST(ParseWebConfigTest, EveryClientAuthType) {
  for (const auto& [name, expected] : std::vector<std::pair<std::string, ClientAuth>>{
           {"NoClientCert", ClientAuth::kNoClientCert},
           {"RequestClientCert", ClientAuth::kRequestClientCert},
           {"RequireAnyClientCert", ClientAuth::kRequireAnyClientCert},
           {"VerifyClientCertIfGiven", ClientAuth::kVerifyClientCertIfGiven},
           {"RequireAndVerifyClientCert", ClientAuth::kRequireAndVerifyClientCert}}) {
    const bool needs_ca = expected != ClientAuth::kNoClientCert;
    const auto config = ParseWebConfig(
        "tls_server_config:\n  cert_file: a\n  key_file: b\n"
        "  client_auth_type: " +
            name + "\n" + (needs_ca ? "  client_ca_file: c\n" : ""),
        "w");
    ASSERT_TRUE(config.ok()) << name << ": " << config.error();
    EXPECT_EQ(config->tls->client_auth, expected) << name;
  }
}

TEST(ParseWebConfigTest, LoadResolvesPathsAgainstTheFileDirectory) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "web.yml",
                  "tls_server_config:\n  cert_file: certs/s.crt\n  key_file: /abs/s.key\n"
                  "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n");
  const auto config = LoadWebConfigFile(dir.Sub("web.yml"));
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->tls->cert_file, dir.Sub("certs/s.crt"));
  EXPECT_EQ(config->tls->key_file, "/abs/s.key");
  EXPECT_EQ(config->tls->client_ca_file, dir.Sub("ca.crt"));
}

TEST(ParseWebConfigTest, LoadErrors) {
  test::TempDir dir;
  auto missing = LoadWebConfigFile(dir.Sub("nope.yml"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), dir.Sub("nope.yml") + ":1:1: cannot open web config file");
  auto directory = LoadWebConfigFile(dir.path().string());
  ASSERT_FALSE(directory.ok());
  EXPECT_NE(directory.error().find("is a directory"), std::string::npos);
}

TEST(ParseWebConfigTest, BcryptCostUpTo16) {
  const auto config = ParseWebConfig(
      "basic_auth_users:\n  bob: $2b$16$abcdefghijklmnopqrstuu4T826PRnz0Hu6YlprUuxkZxOOj5Fw5S\n",
      "web.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(BcryptCost(config->basic_auth_users.at("bob")), 16);
}

TEST(IsBcryptHashTest, Formats) {
  EXPECT_TRUE(IsBcryptHash(kHash));
  EXPECT_TRUE(IsBcryptHash("$2y$10$abcdefghijklmnopqrstuu4T826PRnz0Hu6YlprUuxkZxOOj5Fw5S"));
  EXPECT_TRUE(IsBcryptHash("$2a$10$abcdefghijklmnopqrstuu4T826PRnz0Hu6YlprUuxkZxOOj5Fw5S"));
  EXPECT_FALSE(IsBcryptHash("$2x$10$abcdefghijklmnopqrstuu4T826PRnz0Hu6YlprUuxkZxOOj5Fw5S"));
  EXPECT_FALSE(IsBcryptHash("$2b$03$abcdefghijklmnopqrstuu4T826PRnz0Hu6YlprUuxkZxOOj5Fw5S"));
  EXPECT_FALSE(IsBcryptHash("$2b$32$abcdefghijklmnopqrstuu4T826PRnz0Hu6YlprUuxkZxOOj5Fw5S"));
  EXPECT_FALSE(IsBcryptHash("$2b$10$abcdefghijklmnopqrstuu4T826PRnz0Hu6YlprUuxkZxOOj5Fw5"));
  EXPECT_FALSE(IsBcryptHash("$2b$10$abcdefghijklmnopqrstuu4T826PRnz0Hu6YlprUuxkZxOOj5Fw5!"));
  EXPECT_FALSE(IsBcryptHash("$6$saltsalt$abcdefghijklmnopqrstuu4T826PRnz0Hu6YlprUuxkZxOOj5Fw"));
  EXPECT_FALSE(IsBcryptHash("secret"));
  EXPECT_FALSE(IsBcryptHash(""));
}

class WebConfigErrorTest : public ::testing::TestWithParam<test::ErrorCase> {};

TEST_P(WebConfigErrorTest, OneLineErrorAtTheOffendingToken) {
  const auto& c = GetParam();
  const auto config = ParseWebConfig(c.yaml, "etc/web.yml");
  ASSERT_FALSE(config.ok()) << "accepted:\n" << c.yaml;
  const auto [line, column] = test::Position(c.yaml, c.at);
  const std::string prefix =
      "etc/web.yml:" + std::to_string(line) + ":" + std::to_string(column) + ": ";
  EXPECT_EQ(config.error().substr(0, prefix.size()), prefix) << config.error();
  EXPECT_EQ(config.error().find('\n'), std::string::npos) << config.error();
  EXPECT_NE(config.error().find(c.says), std::string::npos) << config.error();
}

// Hash used where a user entry must otherwise be valid.
#define HASH "$2b$04$Si7jMyltahL2Xff40es1gufpsWJnvb5HCMJCD20Azndx7ALmqcJie"

INSTANTIATE_TEST_SUITE_P(
    Cases, WebConfigErrorTest,
    ::testing::Values(
        test::ErrorCase{"UnknownTopLevel", "basic_auth_users: {}\ntls_config: {}\n", "tls_config",
                        "unknown key 'tls_config' in the top level"},
        test::ErrorCase{"RateLimitUnsupported", "rate_limit: {interval: 1s}\n", "rate_limit",
                        "vitals does not support"},
        test::ErrorCase{"TopLevelList", "- a\n", "- a", "the top level must be a mapping"},
        test::ErrorCase{"UnknownTlsKey",
                        "tls_server_config:\n  cert_file: a\n  key_file: b\n  certfile: c\n",
                        "certfile", "unknown key 'certfile' in tls_server_config"},
        test::ErrorCase{"CipherSuitesUnsupported",
                        "tls_server_config:\n  cert_file: a\n  key_file: b\n"
                        "  cipher_suites: [X]\n",
                        "cipher_suites", "exporter-toolkit setting that vitals does not support"},
        test::ErrorCase{"MissingCert", "tls_server_config:\n  key_file: b\n", "key_file",
                        "needs cert_file"},
        test::ErrorCase{"MissingKey", "tls_server_config:\n  cert_file: a\n", "cert_file",
                        "needs key_file"},
        test::ErrorCase{"BadClientAuth",
                        "tls_server_config:\n  cert_file: a\n  key_file: b\n"
                        "  client_auth_type: RequireCert\n",
                        "RequireCert", "client_auth_type must be one of"},
        test::ErrorCase{"VerifyWithoutCa",
                        "tls_server_config:\n  cert_file: a\n  key_file: b\n"
                        "  client_auth_type: RequireAndVerifyClientCert\n",
                        "cert_file", "needs client_ca_file"},
        test::ErrorCase{"CaWithoutPolicy",
                        "tls_server_config:\n  cert_file: a\n  key_file: b\n"
                        "  client_ca_file: ca.pem\n",
                        "ca.pem", "client_auth_type is NoClientCert"},
        test::ErrorCase{"Tls11",
                        "tls_server_config:\n  cert_file: a\n  key_file: b\n"
                        "  min_version: TLS11\n",
                        "TLS11", "not supported"},
        test::ErrorCase{"BadVersion",
                        "tls_server_config:\n  cert_file: a\n  key_file: b\n"
                        "  max_version: 1.3\n",
                        "1.3", "max_version must be TLS12 or TLS13"},
        test::ErrorCase{"MaxBelowMin",
                        "tls_server_config:\n  cert_file: a\n  key_file: b\n"
                        "  min_version: TLS13\n  max_version: TLS12\n",
                        "TLS12", "max_version is below min_version"},
        test::ErrorCase{"CertFileList", "tls_server_config:\n  cert_file: [a]\n  key_file: b\n",
                        "[a]", "cert_file must be a string"},
        test::ErrorCase{"PlaintextPassword", "basic_auth_users:\n  bob: hunter2\n", "hunter2",
                        "must be a bcrypt hash"},
        test::ErrorCase{"Cost31",
                        "basic_auth_users:\n  bob: "
                        "$2b$31$abcdefghijklmnopqrstuu4T826PRnz0Hu6YlprUuxkZxOOj5Fw5S\n",
                        "$2b$31", "bcrypt cost 31 is above 16"},
        test::ErrorCase{"Cost17",
                        "basic_auth_users:\n  bob: "
                        "$2b$17$abcdefghijklmnopqrstuu4T826PRnz0Hu6YlprUuxkZxOOj5Fw5S\n",
                        "$2b$17", "bcrypt cost 17 is above 16"},
        test::ErrorCase{"UsersList", "basic_auth_users:\n  - bob\n", "- bob",
                        "basic_auth_users must be a mapping"},
        test::ErrorCase{"ColonInUser", "basic_auth_users:\n  'a:b': " HASH "\n", "'a:b'",
                        "contain no ':'"},
        test::ErrorCase{"DuplicateUser",
                        "basic_auth_users:\n  bob: " HASH "\n  bob2: " HASH "\n  bob : " HASH "\n",
                        "bob :", "duplicate user 'bob'"},
        test::ErrorCase{"ForbiddenHeader", "http_server_config:\n  headers:\n    Set-Cookie: a=b\n",
                        "Set-Cookie", "HTTP header 'Set-Cookie' can not be configured"},
        test::ErrorCase{"HeaderNameCase",
                        "http_server_config:\n  headers:\n    x-frame-options: deny\n",
                        "x-frame-options", "can not be configured"},
        test::ErrorCase{"BadFrameOptions",
                        "http_server_config:\n  headers:\n    X-Frame-Options: allow\n", "allow",
                        "expected one of deny, sameorigin"},
        test::ErrorCase{"BadContentTypeOptions",
                        "http_server_config:\n  headers:\n    X-Content-Type-Options: sniff\n",
                        "sniff", "expected one of nosniff"},
        test::ErrorCase{"HeaderInjection",
                        "http_server_config:\n  headers:\n"
                        "    Content-Security-Policy: \"a\\r\\nSet-Cookie: x\"\n",
                        "\"a", "must be one line"},
        test::ErrorCase{"UnknownHttpKey", "http_server_config:\n  header: {}\n", "header",
                        "unknown key 'header' in http_server_config"},
        test::ErrorCase{"Http2NotBool", "http_server_config:\n  http2: maybe\n", "maybe",
                        "http2 must be true or false"}),
    test::ParamName());

TEST(ParseWebConfigTest, BrokenYamlIsOneLocatedLine) {
  const auto config = ParseWebConfig("basic_auth_users:\n  bob: [\n", "etc/web.yml");
  ASSERT_FALSE(config.ok());
  EXPECT_TRUE(std::regex_search(config.error(), std::regex("^etc/web\\.yml:[0-9]+:[0-9]+: ")))
      << config.error();
  EXPECT_EQ(config.error().find('\n'), std::string::npos);
}

#undef HASH

}  // namespace
}  // namespace vitals::server
