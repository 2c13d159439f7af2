#include "workflow/input_deadline.h"

#include <algorithm>

#include "archive/scan.h"

namespace workflow {
namespace {

using base::Date;

// The same day cycle_months later, clamped to the month's end.
Date AddMonths(Date d, int months) {
  const int index = d.year() * 12 + (d.month() - 1) + months;
  const int y = index / 12, m = index % 12 + 1;
  int day = d.day();
  while (day > 28 && !Date::FromYmd(y, m, day).ok()) --day;
  return Date(y, m, day);
}

}  // namespace

Date InputDeadline(Date received, const InputDeadlineRule& rule,
                   const base::BusinessCalendar& calendar) {
  const Date start = rule.business_cycle ? AddMonths(received, rule.cycle_months) : received;
  return calendar.AddBusinessDays(start, rule.business_days);
}

std::string_view InputStatusName(InputStatus s) {
  switch (s) {
    case InputStatus::kOnTime:
      return "on_time";
    case InputStatus::kDueSoon:
      return "due_soon";
    case InputStatus::kOverdue:
      return "overdue";
    case InputStatus::kEntered:
      return "entered";
  }
  return "on_time";
}

std::string_view InputStatusLabel(InputStatus s) {
  switch (s) {
    case InputStatus::kOnTime:
      return "入力期限内";
    case InputStatus::kDueSoon:
      return "入力期限間近";
    case InputStatus::kOverdue:
      return "入力期限超過";
    case InputStatus::kEntered:
      return "入力済み";
  }
  return "入力期限内";
}

InputStatus ClassifyInput(Date due, Date today, const InputDeadlineRule& rule,
                          const base::BusinessCalendar& calendar) {
  if (today > due) return InputStatus::kOverdue;
  if (due <= calendar.AddBusinessDays(today, rule.due_soon_business_days)) {
    return InputStatus::kDueSoon;
  }
  return InputStatus::kOnTime;
}

std::optional<InputDeadlineView> InputDeadlineOf(const archive::DocumentView& document,
                                                 const InputDeadlineRule& rule, Date today) {
  if (document.versions.empty() || document.receipts.empty() ||
      document.versions.front().fields.format != "scan") {
    return std::nullopt;
  }
  const base::BusinessCalendar calendar(rule.city_holidays);
  InputDeadlineView v;
  v.received = Date::InJapan(document.receipts.front().received_at);
  v.due = InputDeadline(v.received, rule, calendar);
  for (const archive::Version& version : document.versions) {
    if (archive::AwaitsKeys(version.fields)) continue;
    v.status = InputStatus::kEntered;
    v.entered_version = version.number;
    v.entered_at = version.created_at;
    v.entered_late = Date::InJapan(version.created_at) > v.due;
    return v;
  }
  v.status = ClassifyInput(v.due, today, rule, calendar);
  return v;
}

nlohmann::json ToJson(const InputDeadlineView& v) {
  nlohmann::json j{{"received", v.received.ToString()},   {"due", v.due.ToString()},
                   {"status", InputStatusName(v.status)}, {"label", InputStatusLabel(v.status)},
                   {"entered_version", nullptr},          {"entered_at", nullptr},
                   {"entered_late", v.entered_late}};
  if (v.entered_at) {
    j["entered_version"] = v.entered_version;
    j["entered_at"] = base::FormatRfc3339(*v.entered_at);
  }
  return j;
}

ReceiptDays ReceiptDaysDueBetween(std::optional<Date> first_due, Date last_due,
                                  const InputDeadlineRule& rule) {
  const base::BusinessCalendar calendar(rule.city_holidays);
  // The deadline is at least business_days after receipt, and at most about
  // cycle_months + business_days + a holiday season later: walk back from
  // last_due until deadlines fall before first_due (or far enough).
  ReceiptDays out;
  const int64_t last = last_due.DaysSinceEpoch();
  const int64_t span =
      (rule.business_cycle ? 31 * (rule.cycle_months + 1) : 0) + 3 * rule.business_days + 30;
  out.to = last;
  while (out.to >= last - span &&
         InputDeadline(Date::FromDaysSinceEpoch(static_cast<int32_t>(out.to)), rule, calendar) >
             last_due) {
    --out.to;
  }
  if (!first_due) {
    out.from = INT32_MIN;
    return out;
  }
  out.from = out.to + 1;
  while (out.from - 1 >= last - span &&
         InputDeadline(Date::FromDaysSinceEpoch(static_cast<int32_t>(out.from - 1)), rule,
                       calendar) >= *first_due) {
    --out.from;
  }
  return out;
}

}  // namespace workflow
