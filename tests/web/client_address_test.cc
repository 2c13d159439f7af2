// The client address behind a trusted reverse proxy
// (web/internal/client_address.h).
#include "web/internal/client_address.h"

#include <gtest/gtest.h>

namespace web::internal {
namespace {

TrustedProxies Trust(const std::vector<std::string>& addresses) {
  auto t = TrustedProxies::Parse(addresses);
  EXPECT_TRUE(t.ok()) << t.status().message();
  return t.ok() ? *t : TrustedProxies();
}

TEST(CanonicalAddressTest, OneSpellingPerAddress) {
  EXPECT_EQ(CanonicalAddress("10.0.0.5"), "10.0.0.5");
  EXPECT_EQ(CanonicalAddress("::ffff:10.0.0.5"), "10.0.0.5");  // dual-stack socket
  EXPECT_EQ(CanonicalAddress("2001:DB8:0::1"), "2001:db8::1");
  EXPECT_EQ(CanonicalAddress("::1"), "::1");
  for (const char* bad : {"", "unknown", "10.0.0.256", "10.0.0.5 ", "10.0.0.5:80", "[::1]"}) {
    EXPECT_EQ(CanonicalAddress(bad), "") << bad;
  }
}

TEST(TrustedProxiesTest, ParseRefusesWhatIsNotAnAddressNamingIt) {
  auto bad = TrustedProxies::Parse({"10.0.0.5", "proxy.example.jp"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("\"proxy.example.jp\""), std::string::npos);
  EXPECT_NE(bad.status().message().find("IP アドレスではありません"), std::string::npos);
  const TrustedProxies t = Trust({"10.0.0.5", "2001:db8::5"});
  EXPECT_TRUE(t.Contains("10.0.0.5"));
  EXPECT_TRUE(t.Contains("::ffff:10.0.0.5"));
  EXPECT_TRUE(t.Contains("2001:DB8::5"));
  EXPECT_FALSE(t.Contains("10.0.0.6"));
  EXPECT_FALSE(t.Contains(""));
  EXPECT_TRUE(TrustedProxies().empty());
}

TEST(ClientAddressTest, ForwardedForCountsOnlyFromATrustedProxy) {
  const TrustedProxies t = Trust({"10.0.0.5"});
  // Anyone else may write anything into X-Forwarded-For.
  EXPECT_EQ(ClientAddress("192.0.2.1", "203.0.113.9", t), "192.0.2.1");
  EXPECT_EQ(ClientAddress("192.0.2.1", "", TrustedProxies()), "192.0.2.1");
  // From the proxy: the address it appended.
  EXPECT_EQ(ClientAddress("10.0.0.5", "203.0.113.9", t), "203.0.113.9");
  EXPECT_EQ(ClientAddress("::ffff:10.0.0.5", "203.0.113.9", t), "203.0.113.9");
  // No header from the proxy: the proxy itself.
  EXPECT_EQ(ClientAddress("10.0.0.5", "", t), "10.0.0.5");
}

TEST(ClientAddressTest, TheRightMostEntryThatIsNotATrustedProxy) {
  const TrustedProxies t = Trust({"10.0.0.5", "10.0.0.6"});
  // A client's own (spoofed) entries stand left of what the proxy appended.
  EXPECT_EQ(ClientAddress("10.0.0.5", "198.51.100.1, 203.0.113.9", t), "203.0.113.9");
  // Two proxies in a row: both skipped.
  EXPECT_EQ(ClientAddress("10.0.0.5", "198.51.100.1,203.0.113.9 , 10.0.0.6", t), "203.0.113.9");
  // Every entry a proxy: the left-most.
  EXPECT_EQ(ClientAddress("10.0.0.5", "10.0.0.6, 10.0.0.5", t), "10.0.0.6");
  // Ports and IPv6 brackets, empty entries.
  EXPECT_EQ(ClientAddress("10.0.0.5", "203.0.113.9:51234", t), "203.0.113.9");
  EXPECT_EQ(ClientAddress("10.0.0.5", "[2001:DB8::7]:443", t), "2001:db8::7");
  EXPECT_EQ(ClientAddress("10.0.0.5", "2001:db8::7, ,", t), "2001:db8::7");
}

TEST(ClientAddressTest, AnEntryThatIsNotAnAddressFallsBackToTheProxy) {
  const TrustedProxies t = Trust({"10.0.0.5"});
  EXPECT_EQ(ClientAddress("10.0.0.5", "203.0.113.9, unknown", t), "10.0.0.5");
  EXPECT_EQ(ClientAddress("10.0.0.5", "<script>", t), "10.0.0.5");
  // Left of a usable entry, garbage does not matter.
  EXPECT_EQ(ClientAddress("10.0.0.5", "garbage, 203.0.113.9", t), "203.0.113.9");
}

}  // namespace
}  // namespace web::internal
