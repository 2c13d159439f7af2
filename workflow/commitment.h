// Commitments (支出負担行為): the city's obligation to pay a vendor, made
// before the invoice comes — a contract or an order with its department,
// vendor, budget line (款項目節), fiscal year, amount and contract period.
// One commitment may be paid by several payment orders (a monthly contract),
// so it tracks what is left.
//
// Balance rule: every payment order that is not withdrawn reserves its
// amount from the moment it is drafted (draft, under approval, in 会計審査,
// accepted, paid). remaining = amount − reserved. Reserving at drafting means
// two clerks drafting against the same commitment at once cannot together
// spend more than it holds; withdrawing an order releases its amount. An
// order whose amount exceeds what the other orders leave cannot be
// submitted.
//
// Thread safety: values and pure functions.
#ifndef WORKFLOW_COMMITMENT_H_
#define WORKFLOW_COMMITMENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/date.h"
#include "base/money.h"
#include "base/result.h"
#include "base/time.h"

namespace workflow {

/// Expense types as far as the workflow cares: "works" (工事) is paid within
/// 40 days of a proper invoice, "goods" and "services" within 30
/// (支払遅延防止法 §6).
inline constexpr std::string_view kGoods = "goods";
inline constexpr std::string_view kServices = "services";
inline constexpr std::string_view kWorks = "works";

struct Commitment {
  std::string id;  ///< "C2026-0001", assigned by the Workflow
  std::string department;
  std::string vendor_id;
  std::string budget_line;  ///< 款-項-目-節, "02-01-03-13"
  int fiscal_year = 0;      ///< 会計年度 (the year it starts in April)
  std::string description;
  base::Decimal amount;  ///< yen, > 0
  base::Date contract_from{2000, 1, 1};
  base::Date contract_to{2000, 1, 1};
  std::string expense_type = std::string(kGoods);
  /// Σ amounts of the orders against it that are not withdrawn.
  base::Decimal reserved;
  /// Σ amounts of the paid orders (a subset of reserved).
  base::Decimal paid;
  std::string created_by;
  base::Time created_at;

  /// amount − reserved; negative only if records were edited behind kura.
  base::Decimal Remaining() const;
};

/// InvalidArgument with a message for people unless: department and vendor
/// set, budget line "NN-NN-NN-NN", fiscal year 2000..2999, description set,
/// 0 < amount ≤ 10^15 yen with no fraction, contract_from ≤ contract_to,
/// expense type goods/services/works.
base::Status Validate(const Commitment& c);

/// {"id","department","vendor_id","budget_line","fiscal_year","description",
///  "amount","contract_from","contract_to","expense_type","reserved","paid",
///  "remaining","created_by","created_at"}; amounts as decimal strings.
nlohmann::json ToJson(const Commitment& c);
/// The inverse (remaining is ignored); Corruption for a malformed record.
base::Result<Commitment> CommitmentFromJson(const nlohmann::json& j);

/// Days allowed to pay: 40 for works, else 30.
int PaymentDaysFor(std::string_view expense_type);

}  // namespace workflow

#endif  // WORKFLOW_COMMITMENT_H_
