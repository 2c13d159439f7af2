#include "base/time.h"

#include <gtest/gtest.h>

#include "tests/fakes/japanese_message.h"

namespace base {
namespace {

TEST(TimeTest, Rfc3339RoundTripWithMicroseconds) {
  const Time t = FromUnixMicros(1795331700123456);
  const std::string s = FormatRfc3339(t);
  EXPECT_EQ(s, "2026-11-22T07:15:00.123456Z");
  auto back = ParseRfc3339(s);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, t);
}

TEST(TimeTest, ParseAcceptsOffsetsAndShortFractions) {
  EXPECT_EQ(*ParseRfc3339("2026-11-22T12:55:00+09:00"), *ParseRfc3339("2026-11-22T03:55:00Z"));
  EXPECT_EQ(ToUnixMicros(*ParseRfc3339("1970-01-01T00:00:00.5Z")), 500000);
  EXPECT_FALSE(ParseRfc3339("2026-11-22 03:55:00").ok());
  EXPECT_FALSE(ParseRfc3339("2026-11-22T03:55:00").ok());
  EXPECT_FALSE(ParseRfc3339("2026-11-22T25:55:00Z").ok());
}

TEST(TimeTest, ParseErrorIsJapaneseAndNamesTheInput) {
  const auto r = ParseRfc3339("2026-11-22 03:55:00\r");
  EXPECT_NE(r.status().message().find("「2026-11-22 03:55:00␍」は日時として読めません"),
            std::string::npos)
      << r.status().message();
  EXPECT_TRUE(kura_test::IsJapaneseError(r));
}

TEST(TimeTest, FormatJstShowsJapanTime) {
  EXPECT_EQ(FormatJst(*ParseRfc3339("2026-11-22T15:30:00Z")), "2026-11-23 00:30:00 JST");
}

TEST(TimeTest, FakeClockMovesOnlyWhenTold) {
  FakeClock clock(FromUnixMicros(1000));
  EXPECT_EQ(ToUnixMicros(clock.Now()), 1000);
  clock.Advance(std::chrono::seconds(2));
  EXPECT_EQ(ToUnixMicros(clock.Now()), 2001000);
}

}  // namespace
}  // namespace base
