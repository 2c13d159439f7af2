#include "base/business_days.h"

#include <algorithm>
#include <iterator>

namespace base {
namespace {

struct Holiday {
  int y, m, d;
  std::string_view name;
};

// 国民の祝日 2026–2030, derived from the law (see the header) and sorted.
// clang-format off
constexpr Holiday kHolidays[] = {
    {2026, 1, 1, "元日"},  // 木
    {2026, 1, 12, "成人の日"},  // 月
    {2026, 2, 11, "建国記念の日"},  // 水
    {2026, 2, 23, "天皇誕生日"},  // 月
    {2026, 3, 20, "春分の日"},  // 金
    {2026, 4, 29, "昭和の日"},  // 水
    {2026, 5, 3, "憲法記念日"},  // 日
    {2026, 5, 4, "みどりの日"},  // 月
    {2026, 5, 5, "こどもの日"},  // 火
    {2026, 5, 6, "休日"},  // 水
    {2026, 7, 20, "海の日"},  // 月
    {2026, 8, 11, "山の日"},  // 火
    {2026, 9, 21, "敬老の日"},  // 月
    {2026, 9, 22, "国民の休日"},  // 火
    {2026, 9, 23, "秋分の日"},  // 水
    {2026, 10, 12, "スポーツの日"},  // 月
    {2026, 11, 3, "文化の日"},  // 火
    {2026, 11, 23, "勤労感謝の日"},  // 月
    {2027, 1, 1, "元日"},  // 金
    {2027, 1, 11, "成人の日"},  // 月
    {2027, 2, 11, "建国記念の日"},  // 木
    {2027, 2, 23, "天皇誕生日"},  // 火
    {2027, 3, 21, "春分の日"},  // 日
    {2027, 3, 22, "休日"},  // 月
    {2027, 4, 29, "昭和の日"},  // 木
    {2027, 5, 3, "憲法記念日"},  // 月
    {2027, 5, 4, "みどりの日"},  // 火
    {2027, 5, 5, "こどもの日"},  // 水
    {2027, 7, 19, "海の日"},  // 月
    {2027, 8, 11, "山の日"},  // 水
    {2027, 9, 20, "敬老の日"},  // 月
    {2027, 9, 23, "秋分の日"},  // 木
    {2027, 10, 11, "スポーツの日"},  // 月
    {2027, 11, 3, "文化の日"},  // 水
    {2027, 11, 23, "勤労感謝の日"},  // 火
    {2028, 1, 1, "元日"},  // 土
    {2028, 1, 10, "成人の日"},  // 月
    {2028, 2, 11, "建国記念の日"},  // 金
    {2028, 2, 23, "天皇誕生日"},  // 水
    {2028, 3, 20, "春分の日"},  // 月
    {2028, 4, 29, "昭和の日"},  // 土
    {2028, 5, 3, "憲法記念日"},  // 水
    {2028, 5, 4, "みどりの日"},  // 木
    {2028, 5, 5, "こどもの日"},  // 金
    {2028, 7, 17, "海の日"},  // 月
    {2028, 8, 11, "山の日"},  // 金
    {2028, 9, 18, "敬老の日"},  // 月
    {2028, 9, 22, "秋分の日"},  // 金
    {2028, 10, 9, "スポーツの日"},  // 月
    {2028, 11, 3, "文化の日"},  // 金
    {2028, 11, 23, "勤労感謝の日"},  // 木
    {2029, 1, 1, "元日"},  // 月
    {2029, 1, 8, "成人の日"},  // 月
    {2029, 2, 11, "建国記念の日"},  // 日
    {2029, 2, 12, "休日"},  // 月
    {2029, 2, 23, "天皇誕生日"},  // 金
    {2029, 3, 20, "春分の日"},  // 火
    {2029, 4, 29, "昭和の日"},  // 日
    {2029, 4, 30, "休日"},  // 月
    {2029, 5, 3, "憲法記念日"},  // 木
    {2029, 5, 4, "みどりの日"},  // 金
    {2029, 5, 5, "こどもの日"},  // 土
    {2029, 7, 16, "海の日"},  // 月
    {2029, 8, 11, "山の日"},  // 土
    {2029, 9, 17, "敬老の日"},  // 月
    {2029, 9, 23, "秋分の日"},  // 日
    {2029, 9, 24, "休日"},  // 月
    {2029, 10, 8, "スポーツの日"},  // 月
    {2029, 11, 3, "文化の日"},  // 土
    {2029, 11, 23, "勤労感謝の日"},  // 金
    {2030, 1, 1, "元日"},  // 火
    {2030, 1, 14, "成人の日"},  // 月
    {2030, 2, 11, "建国記念の日"},  // 月
    {2030, 2, 23, "天皇誕生日"},  // 土
    {2030, 3, 20, "春分の日"},  // 水
    {2030, 4, 29, "昭和の日"},  // 月
    {2030, 5, 3, "憲法記念日"},  // 金
    {2030, 5, 4, "みどりの日"},  // 土
    {2030, 5, 5, "こどもの日"},  // 日
    {2030, 5, 6, "休日"},  // 月
    {2030, 7, 15, "海の日"},  // 月
    {2030, 8, 11, "山の日"},  // 日
    {2030, 8, 12, "休日"},  // 月
    {2030, 9, 16, "敬老の日"},  // 月
    {2030, 9, 23, "秋分の日"},  // 月
    {2030, 10, 14, "スポーツの日"},  // 月
    {2030, 11, 3, "文化の日"},  // 日
    {2030, 11, 4, "休日"},  // 月
    {2030, 11, 23, "勤労感謝の日"},  // 土
};
// clang-format on

}  // namespace

std::optional<std::string_view> JapaneseHolidayName(Date d) {
  const auto it =
      std::lower_bound(std::begin(kHolidays), std::end(kHolidays), d,
                       [](const Holiday& h, const Date& x) { return Date(h.y, h.m, h.d) < x; });
  if (it == std::end(kHolidays) || Date(it->y, it->m, it->d) != d) return std::nullopt;
  return it->name;
}

bool NationalHolidaysKnown(int year) { return year >= 2026 && year <= 2030; }

BusinessCalendar::BusinessCalendar(std::vector<Date> city_holidays)
    : city_(city_holidays.begin(), city_holidays.end()) {}

std::vector<Date> BusinessCalendar::YearEndClosures(int first_year, int last_year) {
  std::vector<Date> out;
  for (int y = first_year; y <= last_year; ++y) {
    for (int d : {29, 30, 31}) out.emplace_back(y, 12, d);
    for (int d : {1, 2, 3}) out.emplace_back(y + 1, 1, d);
  }
  return out;
}

bool BusinessCalendar::IsBusinessDay(Date d) const {
  // 1970-01-01 was a Thursday: days % 7 == 2 is Saturday, 3 is Sunday.
  const int weekday = ((d.DaysSinceEpoch() % 7) + 7) % 7;
  if (weekday == 2 || weekday == 3) return false;
  return !JapaneseHolidayName(d) && city_.count(d) == 0;
}

Date BusinessCalendar::AddBusinessDays(Date d, int n) const {
  while (!IsBusinessDay(d)) d = d.AddDays(1);
  for (int i = 0; i < n; ++i) {
    d = d.AddDays(1);
    while (!IsBusinessDay(d)) d = d.AddDays(1);
  }
  return d;
}

}  // namespace base
