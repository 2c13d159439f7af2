// Civil dates (proleptic Gregorian, no time zone) and the Japanese fiscal
// year. A city's fiscal year (会計年度) runs from 1 April to 31 March and is
// named after the year it starts in; the closing period (出納整理期間) from
// 1 April to 31 May still pays orders of the previous year.
//
// Thread safety: values; freely shared.
#ifndef BASE_DATE_H_
#define BASE_DATE_H_

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/time.h"

namespace base {

class Date {
 public:
  /// REQUIRES: a valid calendar date (use Parse or FromYmd for untrusted input).
  constexpr Date(int year, int month, int day) : y_(year), m_(month), d_(day) {}

  /// Parses "YYYY-MM-DD"; anything else, or an impossible date, is
  /// InvalidArgument.
  static Result<Date> Parse(std::string_view text);
  static Result<Date> FromYmd(int year, int month, int day);
  static Date FromDaysSinceEpoch(int32_t days);
  /// The date in Japan (UTC+9) at instant t.
  static Date InJapan(Time t);

  int year() const { return y_; }
  int month() const { return m_; }
  int day() const { return d_; }

  /// Days since 1970-01-01 (negative before).
  int32_t DaysSinceEpoch() const;
  Date AddDays(int32_t days) const { return FromDaysSinceEpoch(DaysSinceEpoch() + days); }
  /// Same day n years later; 29 February becomes 28 February in common years.
  Date AddYears(int years) const;

  std::string ToString() const;  ///< "YYYY-MM-DD"

  friend constexpr auto operator<=>(const Date&, const Date&) = default;

 private:
  int y_, m_, d_;
};

/// Days from a to b (b - a).
inline int32_t DaysBetween(Date a, Date b) { return b.DaysSinceEpoch() - a.DaysSinceEpoch(); }

/// The fiscal year (会計年度) a date falls in: 2027-03-31 → 2026, 2027-04-01 → 2027.
int FiscalYearOf(Date d);
/// First and last day of fiscal year fy: [fy-04-01, (fy+1)-03-31].
Date FiscalYearStart(int fy);
Date FiscalYearEnd(int fy);
/// True from 1 April to 31 May, when orders of the previous fiscal year may
/// still be paid (出納整理期間).
bool InClosingPeriod(Date d);

}  // namespace base

#endif  // BASE_DATE_H_
