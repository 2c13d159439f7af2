// The members of InvoiceFields as (Field, member) pairs, for the code in
// invoice/ that treats every member alike (the JSON codec, absent values).
// Not for use outside invoice/.
#ifndef INVOICE_INTERNAL_FIELD_MEMBERS_H_
#define INVOICE_INTERNAL_FIELD_MEMBERS_H_

#include <optional>
#include <string>
#include <type_traits>

#include "invoice/invoice_fields.h"

namespace invoice::internal {

/// Calls fn(Field, member) for every member of f (InvoiceFields or const
/// InvoiceFields), in Field order.
template <class Fields, class Fn>
void ForEachMember(Fields& f, Fn&& fn) {
  static_assert(std::is_same_v<std::remove_const_t<Fields>, InvoiceFields>);
  fn(Field::kFormat, f.format);
  fn(Field::kDocumentType, f.document_type);
  fn(Field::kSpecificationId, f.specification_id);
  fn(Field::kInvoiceNumber, f.invoice_number);
  fn(Field::kIssueDate, f.issue_date);
  fn(Field::kDueDate, f.due_date);
  fn(Field::kCurrency, f.currency);
  fn(Field::kTotal, f.total);
  fn(Field::kTaxInclusiveTotal, f.tax_inclusive_total);
  fn(Field::kCounterparty, f.counterparty);
  fn(Field::kRegistrationNumber, f.registration_number);
  fn(Field::kSupplierTaxIds, f.supplier_tax_ids);
  fn(Field::kSupplierAddress, f.supplier_address);
  fn(Field::kBuyer, f.buyer);
  fn(Field::kTaxSubtotals, f.tax_subtotals);
  fn(Field::kBankAccount, f.bank_account);
  fn(Field::kLineDescriptions, f.line_descriptions);
  fn(Field::kPageCount, f.page_count);
  fn(Field::kPdfInfo, f.pdf_info);
  fn(Field::kNeedsMetadata, f.needs_metadata);
}

/// What an absent member reads as: what kura's readers of the JSON form
/// have always taken for a missing member.
template <class T>
T AbsentValue(Field field) {
  if constexpr (std::is_same_v<T, std::string>) {
    if (field == Field::kFormat || field == Field::kDocumentType) return "unknown";
  }
  return T{};
}

/// Members whose JSON value is text (a string, or null for the optional
/// ones). `kura correct --set` stored text in any member, so text in any
/// other member is a legacy member, not a malformed record.
template <class T>
inline constexpr bool kIsText =
    std::is_same_v<T, std::string> || std::is_same_v<T, std::optional<std::string>>;

}  // namespace invoice::internal

#endif  // INVOICE_INTERNAL_FIELD_MEMBERS_H_
