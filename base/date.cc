#include "base/date.h"

#include <chrono>
#include <cstdio>
#include <string>

#include "base/text.h"

namespace base {
namespace {
namespace chr = std::chrono;
}  // namespace

Result<Date> Date::FromYmd(int year, int month, int day) {
  const chr::year_month_day ymd{chr::year(year), chr::month(static_cast<unsigned>(month)),
                                chr::day(static_cast<unsigned>(day))};
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || !ymd.ok()) {
    return Status::InvalidArgument(std::to_string(year) + "年" + std::to_string(month) + "月" +
                                   std::to_string(day) + "日 という日付は存在しません");
  }
  return Date(year, month, day);
}

Result<Date> Date::Parse(std::string_view s) {
  const auto bad = [&] {
    return Status::InvalidArgument("「" + PrintableText(s) +
                                   "」は日付として読めません（YYYY-MM-DD の形式、例: 2026-04-01）");
  };
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return bad();
  int parts[3] = {0, 0, 0};
  const size_t starts[3] = {0, 5, 8}, lens[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (size_t i = starts[p]; i < starts[p] + lens[p]; ++i) {
      if (s[i] < '0' || s[i] > '9') return bad();
      parts[p] = parts[p] * 10 + (s[i] - '0');
    }
  }
  return FromYmd(parts[0], parts[1], parts[2]);
}

Date Date::FromDaysSinceEpoch(int32_t days) {
  const chr::year_month_day ymd{chr::sys_days(chr::days(days))};
  return Date(static_cast<int>(ymd.year()), static_cast<int>(unsigned(ymd.month())),
              static_cast<int>(unsigned(ymd.day())));
}

Date Date::InJapan(Time t) {
  const auto jst = chr::floor<chr::days>(t + chr::hours(9));
  return FromDaysSinceEpoch(static_cast<int32_t>(jst.time_since_epoch().count()));
}

int32_t Date::DaysSinceEpoch() const {
  const chr::sys_days sd{chr::year_month_day{chr::year(y_), chr::month(unsigned(m_)),
                                             chr::day(unsigned(d_))}};
  return static_cast<int32_t>(sd.time_since_epoch().count());
}

Date Date::AddYears(int years) const {
  const int y = y_ + years;
  if (m_ == 2 && d_ == 29 && !chr::year(y).is_leap()) return Date(y, 2, 28);
  return Date(y, m_, d_);
}

std::string Date::ToString() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y_, m_, d_);
  return buf;
}

int FiscalYearOf(Date d) { return d.month() >= 4 ? d.year() : d.year() - 1; }
Date FiscalYearStart(int fy) { return Date(fy, 4, 1); }
Date FiscalYearEnd(int fy) { return Date(fy + 1, 3, 31); }
bool InClosingPeriod(Date d) { return d.month() == 4 || d.month() == 5; }

}  // namespace base
