#include "workflow/deadlines.h"

#include <algorithm>

#include "workflow/internal/json_util.h"

namespace workflow {

using base::Date;
using nlohmann::json;

PaymentClock StartPaymentClock(Date received_on, int allowed_days) {
  PaymentClock c;
  c.received_on = received_on;
  c.allowed_days = allowed_days;
  c.running_since = received_on;
  return c;
}

void StopPaymentClock(PaymentClock* clock, Date on) {
  if (clock->stopped()) return;
  clock->used_days += std::max(0, base::DaysBetween(*clock->running_since, on));
  clock->running_since.reset();
  clock->stopped_on = on;
}

void ResumePaymentClock(PaymentClock* clock, Date on) {
  if (!clock->stopped()) return;
  clock->running_since = on;
  clock->stopped_on.reset();
}

void MarkPaid(PaymentClock* clock, Date on) { clock->paid_on = on; }

std::optional<Date> DueDate(const PaymentClock& clock) {
  if (clock.stopped()) return std::nullopt;
  return clock.running_since->AddDays(clock.allowed_days - clock.used_days);
}

int DaysUsed(const PaymentClock& clock, Date today) {
  if (clock.stopped()) return clock.used_days;
  return clock.used_days + std::max(0, base::DaysBetween(*clock.running_since, today));
}

std::string_view DeadlineStatusName(DeadlineStatus s) {
  switch (s) {
    case DeadlineStatus::kOnTime:
      return "on_time";
    case DeadlineStatus::kDueSoon:
      return "due_soon";
    case DeadlineStatus::kOverdue:
      return "overdue";
    case DeadlineStatus::kStopped:
      return "stopped";
    case DeadlineStatus::kPaid:
      return "paid";
    case DeadlineStatus::kPaidLate:
      return "paid_late";
  }
  return "unknown";
}

DeadlineStatus Classify(const PaymentClock& clock, Date today, int due_soon_days) {
  const std::optional<Date> due = DueDate(clock);
  if (clock.paid_on) {
    return due && *clock.paid_on > *due ? DeadlineStatus::kPaidLate : DeadlineStatus::kPaid;
  }
  if (!due) return DeadlineStatus::kStopped;
  const int left = base::DaysBetween(today, *due);
  if (left < 0) return DeadlineStatus::kOverdue;
  if (left <= due_soon_days) return DeadlineStatus::kDueSoon;
  return DeadlineStatus::kOnTime;
}

json ToJson(const PaymentClock& c) {
  return {{"received_on", c.received_on.ToString()},
          {"allowed_days", c.allowed_days},
          {"used_days", c.used_days},
          {"running_since", internal::OptionalDate(c.running_since)},
          {"stopped_on", internal::OptionalDate(c.stopped_on)},
          {"paid_on", internal::OptionalDate(c.paid_on)},
          {"due_date", internal::OptionalDate(DueDate(c))}};
}

base::Result<PaymentClock> PaymentClockFromJson(const json& j) {
  PaymentClock c;
  RETURN_IF_ERROR(internal::Decode("支払期限の記録", [&] {
    c.received_on = internal::DateAt(j, "received_on");
    c.allowed_days = j.at("allowed_days").get<int>();
    c.used_days = j.at("used_days").get<int>();
    c.running_since = internal::OptionalDateAt(j, "running_since");
    c.stopped_on = internal::OptionalDateAt(j, "stopped_on");
    c.paid_on = internal::OptionalDateAt(j, "paid_on");
  }));
  return c;
}

}  // namespace workflow
