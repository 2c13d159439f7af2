// Consistency checks on a read invoice. Each finding is a warning for the
// clerk, never a refusal:
//   - the registration number's check digit (法人番号 rule, base/);
//   - tax per rate = taxable × rate, rounded once per rate to the currency's
//     minor unit in any direction (切り捨て・四捨五入・切り上げ): the
//     difference must be below one minor unit;
//   - Σ taxable per rate = total without tax; Σ tax per rate = total tax;
//     total without tax + tax = total with tax; amount due = total with tax
//     − prepaid + rounding (the rounding may sit in either of the last two,
//     as UBL 2.1's own examples put it in the total with tax);
//   - JP PINT only: the items a qualified invoice (適格請求書) must state.
//
// Thread safety: pure functions (the WarningList is the caller's).
#ifndef INVOICE_INTERNAL_CHECKS_H_
#define INVOICE_INTERNAL_CHECKS_H_

#include "invoice/internal/parsed_invoice.h"
#include "invoice/internal/warning_list.h"

namespace invoice::internal {

/// Runs every check that applies to invoice.fields.format.
/// REQUIRES: invoice.fields.format is set.
void CheckInvoice(const ParsedInvoice& invoice, WarningList* warnings);

}  // namespace invoice::internal

#endif  // INVOICE_INTERNAL_CHECKS_H_
