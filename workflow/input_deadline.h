// The input deadline of a scan (スキャナ保存の入力期間, 電子帳簿保存法施行規則
// 2条6項1号): the scan's keys (取引年月日, 金額, 取引先) must be entered おおむね
// 7営業日 after receipt, or — for an office that follows a 業務処理サイクル
// rule — within 2 months and then おおむね 7営業日. Counted in the city's
// business days (base/business_days.h: weekends, national holidays and the
// city's own closed days from kura.toml). A scan's deadline is tracked from
// its first receipt until the correction version that supplies the keys.
//
// Thread safety: values and pure functions.
#ifndef WORKFLOW_INPUT_DEADLINE_H_
#define WORKFLOW_INPUT_DEADLINE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "base/business_days.h"
#include "base/date.h"
#include "base/time.h"

namespace workflow {

/// kura.toml [scan] input_rule, input_business_days, cycle_months,
/// due_soon_business_days and holidays.
struct InputDeadlineRule {
  /// false: おおむね7営業日 from receipt ("prompt"); true: the 業務処理サイクル
  /// rule, cycle_months then business_days ("cycle").
  bool business_cycle = false;
  int business_days = 7;
  int cycle_months = 2;
  /// 入力期限間近: the deadline is at most this many business days away.
  int due_soon_business_days = 2;
  /// The city's closed days besides the national holidays (年末年始 ...).
  std::vector<base::Date> city_holidays;
};

/// The deadline for keys of a scan first received on `received`.
base::Date InputDeadline(base::Date received, const InputDeadlineRule& rule,
                         const base::BusinessCalendar& calendar);

/// "on_time", "due_soon" (入力期限間近), "overdue" (入力期限超過) or
/// "entered" (the keys are in).
enum class InputStatus { kOnTime, kDueSoon, kOverdue, kEntered };
std::string_view InputStatusName(InputStatus s);
/// 入力期限内 / 入力期限間近 / 入力期限超過 / 入力済み
std::string_view InputStatusLabel(InputStatus s);

InputStatus ClassifyInput(base::Date due, base::Date today, const InputDeadlineRule& rule,
                          const base::BusinessCalendar& calendar);

/// A scan's input deadline as the screens show it.
struct InputDeadlineView {
  base::Date received{1970, 1, 1};
  base::Date due{1970, 1, 1};
  InputStatus status = InputStatus::kOnTime;
  /// The version that supplied the keys, when entered, and whether it was
  /// in time.
  uint32_t entered_version = 0;
  std::optional<base::Time> entered_at;
  bool entered_late = false;
};
/// The deadline of document if it is a scan (version 1 format "scan");
/// nullopt for any other document.
std::optional<InputDeadlineView> InputDeadlineOf(const archive::DocumentView& document,
                                                 const InputDeadlineRule& rule, base::Date today);
/// {"received", "due", "status", "label", "entered_version", "entered_at",
///  "entered_late"}
nlohmann::json ToJson(const InputDeadlineView& v);

/// The first receipt days whose deadline falls in [first_due, last_due]
/// (the deadline grows with the receipt day): the ranges of the inbox's
/// input lists. Days since 1970-01-01; from > to when none.
struct ReceiptDays {
  int64_t from = 0, to = -1;
};
ReceiptDays ReceiptDaysDueBetween(std::optional<base::Date> first_due, base::Date last_due,
                                  const InputDeadlineRule& rule);

}  // namespace workflow

#endif  // WORKFLOW_INPUT_DEADLINE_H_
