// Figures: what the new way of working achieved, for the people who must
// show it (効果の見える化 — projects that never measured their effect could
// not say whether it paid off). Over a period (by default the current
// fiscal year up to today), in one department or all:
//
//   - invoices received per month, electronic (XML invoice data: JP PINT,
//     Peppol, UBL, CII, or a PDF carrying Factur-X/ZUGFeRD XML) against
//     paper (a PDF without invoice data, a scan);
//   - payments per month: how many, how many late under 支払遅延防止法
//     (paid after the due date of the order's payment clock), and the
//     median days from the invoice's receipt to its payment;
//   - how often each field of the automatic match was × on the orders
//     drafted in the period;
//   - documents received in the period that still wait for a person to
//     enter their keys (needs_metadata and no payment order).
//
// Who may see them (MayViewFigures, access.h): approvers (課長, 部長, 副市長
// — every approver holds a title), the accounting office and admins; read
// scope as everywhere (ReadScope): a 課長 sees their department, the
// all-department roles every department or the one they ask for.
//
// Thread safety: values and pure functions.
#ifndef WORKFLOW_FIGURES_H_
#define WORKFLOW_FIGURES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/date.h"
#include "base/result.h"

namespace workflow {

/// The longest period one request may cover (three years of months).
inline constexpr int kFiguresMaxDays = 3 * 366;

struct FiguresQuery {
  /// Inclusive, Japan dates. Unset: the current fiscal year's start (from)
  /// and today (to).
  std::optional<base::Date> from, to;
  std::string department;  ///< "" for every department the viewer reads
};

/// A query from the parameters of GET /api/v1/figures: from, to
/// (YYYY-MM-DD), department. InvalidArgument naming the parameter (in
/// Japanese) for a malformed date or an unknown parameter; the range
/// itself is checked by Workflow::GetFigures, which knows today.
base::Result<FiguresQuery> FiguresQueryFromParams(
    const std::vector<std::pair<std::string, std::string>>& params);

struct MonthFigures {
  std::string month;        ///< "2026-04"
  uint64_t received = 0;    ///< documents first received this month
  uint64_t electronic = 0;  ///< of them, with XML invoice data
  uint64_t paper = 0;       ///< of them, a PDF without invoice data or a scan
  uint64_t paid = 0;        ///< orders paid this month
  uint64_t paid_late = 0;   ///< of them, paid after their due date
  /// Median calendar days from the invoice's receipt to the payment of
  /// the orders paid this month; unset without payments.
  std::optional<double> median_days_to_payment;
  /// Documents received this month that still need their keys entered
  /// and have no payment order.
  uint64_t waiting_for_input = 0;
};

/// How often one match field was × on the orders drafted in the period.
struct FieldMismatchRate {
  std::string field;      ///< "vendor", "amount", "tax", ... (matching.h)
  uint64_t orders = 0;    ///< orders whose match has this field
  uint64_t mismatch = 0;  ///< of them, × at some point (see Workflow::GetFigures)
  uint64_t missing = 0;   ///< of them, not stated on the invoice (now)
};

struct Figures {
  base::Date from{2000, 1, 1}, to{2000, 1, 1};
  std::string department;  ///< the scope: "" for every department
  std::vector<MonthFigures> months;  ///< every month of the period, oldest first
  MonthFigures totals;               ///< the period (month "")
  uint64_t orders_drafted = 0;       ///< orders the × rates are counted over
  std::vector<FieldMismatchRate> mismatch_rates;  ///< in the match's field order
};

/// {"from", "to", "department", "months": [{"month", "received",
///  "electronic", "paper", "paid", "paid_late", "median_days_to_payment"
///  (number or null), "waiting_for_input"}], "totals": {same but month},
///  "orders_drafted", "mismatch_rates": [{"field", "orders", "mismatch",
///  "missing"}]}
nlohmann::json ToJson(const Figures& f);

/// The median of values (the mean of the middle two for an even count);
/// unset for none. Sorts values.
std::optional<double> Median(std::vector<int>* values);

}  // namespace workflow

#endif  // WORKFLOW_FIGURES_H_
