#include "server/openssl_api.h"

#include <gtest/gtest.h>

namespace vitals::server {
namespace {

TEST(OpensslApiTest, LoadsLibsslAndLibcrypto) {
  const Result<OpensslApi>& api = LoadOpenssl();
  ASSERT_TRUE(api.ok()) << api.error();
  EXPECT_EQ(&LoadOpenssl(), &api);  // Loaded once.
  // The table works: a context made, configured through SSL_CTX_ctrl, read back, freed.
  SSL_CTX* ctx = api->ctx_new(api->tls_server_method());
  ASSERT_NE(ctx, nullptr);
  EXPECT_EQ(api->ctx_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, TLS1_3_VERSION, nullptr), 1);
  EXPECT_EQ(api->ctx_ctrl(ctx, SSL_CTRL_GET_MIN_PROTO_VERSION, 0, nullptr), TLS1_3_VERSION);
  api->ctx_free(ctx);
}

TEST(OpensslApiTest, MissingLibraryNamesItAndTheReason) {
  auto api = LoadOpensslApi("libssl.so.3", "libcrypto-absent.so.3");
  ASSERT_FALSE(api.ok());
  EXPECT_NE(api.error().find("cannot load libcrypto-absent.so.3"), std::string::npos)
      << api.error();
  EXPECT_NE(api.error().find("No such file"), std::string::npos) << api.error();
  api = LoadOpensslApi("libssl-absent.so.3", "libcrypto.so.3");
  ASSERT_FALSE(api.ok());
  EXPECT_NE(api.error().find("cannot load libssl-absent.so.3"), std::string::npos) << api.error();
}

TEST(OpensslApiTest, LibraryWithoutTheSymbolsNamesTheFirstMissing) {
  auto api = LoadOpensslApi("libssl.so.3", "libc.so.6");
  ASSERT_FALSE(api.ok());
  EXPECT_EQ(api.error(), "libc.so.6: no symbol ERR_get_error");
  api = LoadOpensslApi("libc.so.6", "libcrypto.so.3");
  ASSERT_FALSE(api.ok());
  EXPECT_EQ(api.error(), "libc.so.6: no symbol TLS_server_method");
}

}  // namespace
}  // namespace vitals::server
