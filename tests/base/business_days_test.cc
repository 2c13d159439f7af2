#include "base/business_days.h"

#include <gtest/gtest.h>

namespace base {
namespace {

// The Cabinet Office's lists of 国民の祝日・休日 (内閣府「国民の祝日について」).
TEST(BusinessDaysTest, NationalHolidays2026MatchThePublishedList) {
  const Date expected[] = {
      {2026, 1, 1},  {2026, 1, 12}, {2026, 2, 11}, {2026, 2, 23},  {2026, 3, 20}, {2026, 4, 29},
      {2026, 5, 3},  {2026, 5, 4},  {2026, 5, 5},  {2026, 5, 6},   {2026, 7, 20}, {2026, 8, 11},
      {2026, 9, 21}, {2026, 9, 22}, {2026, 9, 23}, {2026, 10, 12}, {2026, 11, 3}, {2026, 11, 23}};
  int count = 0;
  for (Date d(2026, 1, 1); d.year() == 2026; d = d.AddDays(1)) {
    if (JapaneseHolidayName(d)) ++count;
  }
  EXPECT_EQ(count, 18);
  for (const Date& d : expected) EXPECT_TRUE(JapaneseHolidayName(d)) << d.ToString();
  EXPECT_EQ(*JapaneseHolidayName({2026, 5, 6}), "休日");         // 振替休日
  EXPECT_EQ(*JapaneseHolidayName({2026, 9, 22}), "国民の休日");  // between two holidays
  EXPECT_FALSE(JapaneseHolidayName({2026, 5, 7}));
}

TEST(BusinessDaysTest, NationalHolidays2027AndLaterKnownDates) {
  EXPECT_EQ(*JapaneseHolidayName({2027, 3, 21}), "春分の日");
  EXPECT_EQ(*JapaneseHolidayName({2027, 3, 22}), "休日");
  EXPECT_EQ(*JapaneseHolidayName({2028, 9, 22}), "秋分の日");
  EXPECT_EQ(*JapaneseHolidayName({2029, 4, 30}), "休日");
  EXPECT_EQ(*JapaneseHolidayName({2030, 11, 4}), "休日");
  EXPECT_TRUE(NationalHolidaysKnown(2030));
  EXPECT_FALSE(NationalHolidaysKnown(2031));
}

TEST(BusinessDaysTest, WeekendsHolidaysAndCityClosuresAreSkipped) {
  const BusinessCalendar plain;
  EXPECT_FALSE(plain.IsBusinessDay({2026, 12, 5}));  // Saturday
  EXPECT_FALSE(plain.IsBusinessDay({2026, 12, 6}));  // Sunday
  EXPECT_TRUE(plain.IsBusinessDay({2026, 12, 7}));
  // Golden week 2026: from Fri 5/1, 5/2–5/6 are skipped; the 7th is 5/15.
  EXPECT_EQ(plain.AddBusinessDays({2026, 5, 1}, 7), Date(2026, 5, 15));
  const BusinessCalendar city(BusinessCalendar::YearEndClosures(2026, 2026));
  // Received Fri 12/25: 12/28, then 1/4 (12/29–1/3 closed) ... 1/8, then
  // 1/12 (1/11 is 成人の日).
  EXPECT_EQ(city.AddBusinessDays({2026, 12, 25}, 7), Date(2027, 1, 12));
  EXPECT_EQ(plain.AddBusinessDays({2026, 12, 25}, 7), Date(2027, 1, 6));
  // Received on a Saturday: counting starts on Monday.
  EXPECT_EQ(plain.AddBusinessDays({2026, 12, 5}, 1), Date(2026, 12, 8));
}

}  // namespace
}  // namespace base
