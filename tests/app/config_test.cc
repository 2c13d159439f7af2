#include "app/config.h"

#include <gtest/gtest.h>

#include "tests/fakes/test_util.h"

namespace app {
namespace {

TEST(ConfigTest, DefaultTextParsesToDefaults) {
  auto c = ParseConfig(DefaultConfigText(), "kura.toml");
  ASSERT_OK(c);
  EXPECT_EQ(c->listen, "127.0.0.1:8080");
  EXPECT_EQ(c->max_file_mb, 100u);
  EXPECT_EQ(c->batch_files, 256u);
}

TEST(ConfigTest, ValuesAreRead) {
  auto c = ParseConfig("[server]\nlisten = \"0.0.0.0:9000\"\n[ingest]\nmax_file_mb = 5\n", "t");
  ASSERT_OK(c);
  EXPECT_EQ(c->listen, "0.0.0.0:9000");
  EXPECT_EQ(c->max_file_mb, 5u);
}

TEST(ConfigTest, TimestampSection) {
  auto c = ParseConfig(
      "[timestamp]\nurl = \"https://tsa.example.jp/tsa\"\ntrusted_ca = \"ca.pem\"\n"
      "batch = true\ntimeout_seconds = 30\n",
      "t");
  ASSERT_OK(c);
  EXPECT_EQ(c->tsa_url, "https://tsa.example.jp/tsa");
  EXPECT_EQ(c->tsa_trusted_ca, "ca.pem");
  EXPECT_TRUE(c->tsa_batch);
  EXPECT_EQ(c->tsa_timeout_seconds, 30u);
  EXPECT_FALSE(ParseConfig("[timestamp]\nurl = \"ftp://x\"\ntrusted_ca = \"a\"\n", "t").ok());
  auto no_ca = ParseConfig("[timestamp]\nurl = \"https://x\"\n", "t");
  ASSERT_FALSE(no_ca.ok());
  EXPECT_NE(no_ca.status().message().find("trusted_ca"), std::string::npos);
}

TEST(ConfigTest, ErrorsNameTheKeyOrLine) {
  auto bad_type = ParseConfig("[ingest]\nmax_file_mb = \"lots\"\n", "kura.toml");
  ASSERT_FALSE(bad_type.ok());
  EXPECT_NE(bad_type.status().message().find("max_file_mb"), std::string::npos);
  auto out_of_range = ParseConfig("[ingest]\nmax_file_mb = 0\n", "kura.toml");
  EXPECT_FALSE(out_of_range.ok());
  auto syntax = ParseConfig("[server\nlisten = 1\n", "kura.toml");
  ASSERT_FALSE(syntax.ok());
  EXPECT_NE(syntax.status().message().find("kura.toml:1"), std::string::npos)
      << syntax.status().message();
}

}  // namespace
}  // namespace app
