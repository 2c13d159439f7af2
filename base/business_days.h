// Business days of a Japanese city office: not a Saturday or Sunday, not a
// national holiday (国民の祝日, 振替休日 and 国民の休日), and not one of the
// city's own closed days (年末年始 and the like, from kura.toml). The input
// deadline of a scan (スキャナ保存: おおむね7営業日) is counted in them.
//
// The national holidays are a table for 2026–2030 (base/business_days.cc):
// neither ICU nor a small Debian C/C++ package gives Japan's holidays
// (ICU has no holiday calendar; KHolidays would bring Qt). The table was
// derived from 国民の祝日に関する法律 — fixed days, the Happy Monday days,
// the equinoxes by the usual formula, 振替休日 and 国民の休日 — and is
// checked against the Cabinet Office's published 2026 and 2027 lists in
// tests/base/business_days_test.cc. Extend it before 2031 (a year outside it
// is reported by NationalHolidaysKnown).
//
// Thread safety: values and pure functions.
#ifndef BASE_BUSINESS_DAYS_H_
#define BASE_BUSINESS_DAYS_H_

#include <optional>
#include <set>
#include <string_view>
#include <vector>

#include "base/date.h"

namespace base {

/// The name of the national holiday on d (e.g. "春分の日", "休日" for a
/// 振替休日, "国民の休日"), or nullopt.
std::optional<std::string_view> JapaneseHolidayName(Date d);
/// Whether the table covers year (2026–2030).
bool NationalHolidaysKnown(int year);

class BusinessCalendar {
 public:
  /// city_holidays: the city's own closed days besides the national ones.
  explicit BusinessCalendar(std::vector<Date> city_holidays = {});

  /// A city's usual 年末年始 (12/29–1/3) for the years given, as dates.
  static std::vector<Date> YearEndClosures(int first_year, int last_year);

  bool IsBusinessDay(Date d) const;
  /// The n-th business day after d (n ≥ 0; n = 0 is d itself if it is a
  /// business day, else the next one).
  Date AddBusinessDays(Date d, int n) const;

 private:
  std::set<Date> city_;
};

}  // namespace base

#endif  // BASE_BUSINESS_DAYS_H_
