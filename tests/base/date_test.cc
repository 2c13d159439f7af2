#include "base/date.h"

#include <gtest/gtest.h>

#include "tests/fakes/japanese_message.h"

namespace base {
namespace {

TEST(DateTest, ParseAndFormatRoundTrip) {
  auto d = Date::Parse("2024-02-29");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->ToString(), "2024-02-29");
}

TEST(DateTest, ParseRejectsImpossibleDates) {
  for (const char* bad : {"2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-4-1",
                          "20240401", "2024/04/01", ""}) {
    EXPECT_FALSE(Date::Parse(bad).ok()) << bad;
  }
}

TEST(DateTest, ErrorsAreJapaneseAndNameTheInput) {
  EXPECT_EQ(Date::Parse("2024/04/01").status().message(),
            "「2024/04/01」は日付として読めません（YYYY-MM-DD の形式、例: 2026-04-01）");
  EXPECT_EQ(Date::Parse("2023-02-29").status().message(), "2023年2月29日 という日付は存在しません");
  const Status s = Date::Parse(std::string("2024-04\n01", 10)).status();
  EXPECT_NE(s.message().find("「2024-04␊01」"), std::string::npos) << s.message();
  EXPECT_TRUE(kura_test::IsJapaneseError(s));
}

TEST(DateTest, DayArithmetic) {
  const Date d(2026, 3, 1);
  EXPECT_EQ(d.AddDays(-1), Date(2026, 2, 28));
  EXPECT_EQ(Date(2024, 12, 31).AddDays(1), Date(2025, 1, 1));
  EXPECT_EQ(DaysBetween(Date(2026, 11, 1), Date(2026, 12, 1)), 30);
  EXPECT_EQ(Date(1970, 1, 1).DaysSinceEpoch(), 0);
  EXPECT_EQ(Date::FromDaysSinceEpoch(-1), Date(1969, 12, 31));
  EXPECT_EQ(Date(2024, 2, 29).AddYears(1), Date(2025, 2, 28));
  EXPECT_EQ(Date(2024, 2, 29).AddYears(4), Date(2028, 2, 29));
}

TEST(DateTest, FiscalYearRunsAprilToMarch) {
  EXPECT_EQ(FiscalYearOf(Date(2027, 3, 31)), 2026);
  EXPECT_EQ(FiscalYearOf(Date(2027, 4, 1)), 2027);
  EXPECT_EQ(FiscalYearOf(Date(2026, 1, 15)), 2025);
  EXPECT_EQ(FiscalYearStart(2026), Date(2026, 4, 1));
  EXPECT_EQ(FiscalYearEnd(2026), Date(2027, 3, 31));
}

TEST(DateTest, ClosingPeriodIsAprilAndMay) {
  EXPECT_FALSE(InClosingPeriod(Date(2027, 3, 31)));
  EXPECT_TRUE(InClosingPeriod(Date(2027, 4, 1)));
  EXPECT_TRUE(InClosingPeriod(Date(2027, 5, 31)));
  EXPECT_FALSE(InClosingPeriod(Date(2027, 6, 1)));
}

TEST(DateTest, InJapanUsesUtcPlusNine) {
  auto t = ParseRfc3339("2027-03-31T15:00:00Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(Date::InJapan(*t), Date(2027, 4, 1));
  auto before = ParseRfc3339("2027-03-31T14:59:59Z");
  EXPECT_EQ(Date::InJapan(*before), Date(2027, 3, 31));
}

}  // namespace
}  // namespace base
