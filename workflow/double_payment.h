// The double-payment guard (二重払い防止): an invoice must not be paid twice.
//
// An order is a duplicate of another order that is not withdrawn (drafted,
// under way, accepted, in a payment run or paid) when their invoices have
//   - the same registration number (T + 13) and the same invoice number, or
//   - the same vendor (vendor-master id), the same issue date and the same
//     total.
// The workflow stops such an order at drafting (Workflow::Draft), at
// payment (PreparePaymentRun refuses it, RecordPaymentRun and the pay
// action abort) and shows both orders and documents wherever the order is
// shown (OrderView::duplicates, DraftCandidates::duplicates). Whoever
// reads the order reads the duplicates' ids; they are the accounting
// office's and the department's to resolve by withdrawing one order.
#ifndef WORKFLOW_DOUBLE_PAYMENT_H_
#define WORKFLOW_DOUBLE_PAYMENT_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/money.h"

namespace workflow {

/// What an invoice is recognised by.
struct InvoiceIdentity {
  std::string registration_number;  ///< of the invoice ("" if it names none)
  std::string invoice_number;
  std::string vendor_id;   ///< the vendor-master entry paid
  std::string issue_date;  ///< "YYYY-MM-DD", "" if unknown
  base::Decimal amount;
  /// Not compared with itself: the order being checked (if any) and its
  /// document.
  std::string order_id;
  std::string document_id;
};

/// Another order for what looks like the same invoice.
struct DuplicatePayment {
  std::string order_id;
  std::string document_id;
  std::string state;  ///< StateName of the other order
  /// "registration_and_number" or "vendor_date_total".
  std::string rule;
  std::string detail;  ///< Japanese: the values that matched
};

/// {"order_id","document_id","state","rule","detail"}.
nlohmann::json ToJson(const DuplicatePayment& d);

/// The Japanese message that stops the order: names every other order,
/// its document and state, and what matched. REQUIRES: !duplicates.empty().
std::string DuplicateMessage(const std::vector<DuplicatePayment>& duplicates);

}  // namespace workflow

#endif  // WORKFLOW_DOUBLE_PAYMENT_H_
