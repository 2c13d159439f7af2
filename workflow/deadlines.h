// Payment deadlines under 支払遅延防止法 (Act on Prevention of Delay in
// Payment under Government Contracts; its §14 applies it to local
// governments): a proper invoice must be paid within 30 days of its receipt
// (40 for public works). Returning an invoice for a defect stops the clock
// until the corrected invoice arrives; the days already used still count.
//
// A PaymentClock is the order's record of this; the functions are pure and
// take dates in Japan (base::Date::InJapan of the receipt time or of the
// Clock's now), never the system time.
//
//   received 4/1, allowed 30     → due 5/1
//   defect return on 4/11        → 10 days used, clock stopped (no due date)
//   corrected invoice on 4/20    → due 4/20 + 20 = 5/10
//
// Thread safety: values and pure functions.
#ifndef WORKFLOW_DEADLINES_H_
#define WORKFLOW_DEADLINES_H_

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/date.h"
#include "base/result.h"

namespace workflow {

struct PaymentClock {
  base::Date received_on{2000, 1, 1};  ///< the proper invoice's receipt date (Japan)
  int allowed_days = 30;
  /// Days used before the current run (by earlier runs that a defect
  /// return ended).
  int used_days = 0;
  /// Start of the current run; unset while stopped.
  std::optional<base::Date> running_since;
  /// When a defect return stopped the clock; unset while running.
  std::optional<base::Date> stopped_on;
  std::optional<base::Date> paid_on;

  bool stopped() const { return !running_since.has_value(); }
};

/// A running clock from the receipt date.
PaymentClock StartPaymentClock(base::Date received_on, int allowed_days);
/// Stops a running clock on `on` (a defect return); the days since the run
/// started count as used. No effect on a stopped clock.
void StopPaymentClock(PaymentClock* clock, base::Date on);
/// Starts a new run on `on` (the corrected invoice's receipt date). No
/// effect on a running clock.
void ResumePaymentClock(PaymentClock* clock, base::Date on);
/// Records payment; the clock then only tells whether it was in time.
void MarkPaid(PaymentClock* clock, base::Date on);

/// The last day to pay: running_since + (allowed − used). None while stopped.
std::optional<base::Date> DueDate(const PaymentClock& clock);
/// Days the clock has run by `today`, across all runs.
int DaysUsed(const PaymentClock& clock, base::Date today);

enum class DeadlineStatus {
  kOnTime,    ///< more than the warning window left
  kDueSoon,   ///< due within the window (today included)
  kOverdue,   ///< past the due date, unpaid
  kStopped,   ///< returned for a defect; waiting for the corrected invoice
  kPaid,      ///< paid on or before the due date
  kPaidLate,  ///< paid after it (interest is owed)
};
std::string_view DeadlineStatusName(DeadlineStatus s);

/// Where the clock stands on `today`. due_soon_days: the warning window
/// (7 for the inbox).
DeadlineStatus Classify(const PaymentClock& clock, base::Date today, int due_soon_days = 7);

/// {"received_on","allowed_days","used_days","running_since","stopped_on",
///  "paid_on","due_date"} (dates "YYYY-MM-DD" or null).
nlohmann::json ToJson(const PaymentClock& clock);
base::Result<PaymentClock> PaymentClockFromJson(const nlohmann::json& j);

}  // namespace workflow

#endif  // WORKFLOW_DEADLINES_H_
