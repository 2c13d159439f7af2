// FieldPatch: a correction of a version's fields, as a typed value. One
// member per field a person may correct (the 電子帳簿保存法 search keys —
// 取引年月日, 取引金額, 取引先 — and what identifies an invoice), each left
// unchanged, set to a value, or removed. A misspelt field is a compile error:
//
//   invoice::FieldPatch patch;
//   patch.issue_date.Set("2026-10-31");
//   patch.total.Set("55000");
//   patch.registration_number.Remove();
//   invoice::ApplyPatch(patch, &fields);
//
// The patch does not check values; archive::NormalizeCorrection
// (archive/correction.h) makes one from what a person typed, with the rules
// and messages for each field.
//
// Thread safety: plain values; pure functions.
#ifndef INVOICE_FIELD_PATCH_H_
#define INVOICE_FIELD_PATCH_H_

#include <cassert>
#include <concepts>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "invoice/invoice_fields.h"

namespace invoice {

/// What a patch does to one member: nothing (the default), set it to a
/// value, or remove it from the record (InvoiceFields::absent).
template <class T>
class FieldChange {
 public:
  FieldChange() = default;

  /// Sets the member to value. Only a T (or, for text, anything a
  /// std::string_view converts from) is accepted, so that a bool member
  /// cannot be set from text or a number by accident.
  template <class U>
    requires std::same_as<std::remove_cvref_t<U>, T> ||
             (std::same_as<T, std::string> && std::convertible_to<U, std::string_view>)
  void Set(U&& value) {
    op_ = Op::kSet;
    value_ = T(std::forward<U>(value));
  }
  /// Removes the member.
  void Remove() {
    op_ = Op::kRemove;
    value_ = T{};
  }

  bool unchanged() const { return op_ == Op::kKeep; }
  bool removes() const { return op_ == Op::kRemove; }
  bool sets() const { return op_ == Op::kSet; }
  /// The value it sets. REQUIRES: sets().
  const T& value() const {
    assert(sets());
    return value_;
  }

  friend bool operator==(const FieldChange&, const FieldChange&) = default;

 private:
  enum class Op { kKeep, kSet, kRemove };
  Op op_ = Op::kKeep;
  T value_{};
};

/// A correction: one member per correctable field of InvoiceFields, of the
/// same name.
struct FieldPatch {
  FieldChange<std::string> issue_date;           ///< "YYYY-MM-DD"
  FieldChange<std::string> due_date;             ///< "YYYY-MM-DD"
  FieldChange<std::string> total;                ///< plain decimal
  FieldChange<std::string> tax_inclusive_total;  ///< plain decimal
  FieldChange<std::string> counterparty;
  FieldChange<std::string> registration_number;  ///< "T" + 13 digits
  FieldChange<std::string> invoice_number;
  FieldChange<std::string> bank_account;
  FieldChange<std::string> currency;       ///< ISO 4217
  FieldChange<std::string> document_type;  ///< invoice | credit_note
  FieldChange<bool> needs_metadata;

  /// True if no member changes.
  bool empty() const;

  friend bool operator==(const FieldPatch&, const FieldPatch&) = default;
};

/// Calls fn(Field, change) for every member of p (FieldPatch or const
/// FieldPatch), with the InvoiceFields member it changes.
template <class Patch, class Fn>
void ForEachChange(Patch& p, Fn&& fn) {
  static_assert(std::is_same_v<std::remove_const_t<Patch>, FieldPatch>);
  fn(Field::kIssueDate, p.issue_date);
  fn(Field::kDueDate, p.due_date);
  fn(Field::kTotal, p.total);
  fn(Field::kTaxInclusiveTotal, p.tax_inclusive_total);
  fn(Field::kCounterparty, p.counterparty);
  fn(Field::kRegistrationNumber, p.registration_number);
  fn(Field::kInvoiceNumber, p.invoice_number);
  fn(Field::kBankAccount, p.bank_account);
  fn(Field::kCurrency, p.currency);
  fn(Field::kDocumentType, p.document_type);
  fn(Field::kNeedsMetadata, p.needs_metadata);
}

/// Applies patch to *fields: a set member holds the new value and is
/// present; a removed member is taken out (RemoveMember). A legacy member
/// of the same name (InvoiceFields::legacy_members) goes in both cases.
void ApplyPatch(const FieldPatch& patch, InvoiceFields* fields);

/// The patch as the "changes" of a "document.corrected" event: an object
/// with one member per changed field, its new value (a string, or a boolean
/// for needs_metadata) or null for a removed one.
nlohmann::json PatchToJson(const FieldPatch& patch);

/// The inverse of PatchToJson. InvalidArgument naming the member for a name
/// that is not a correctable field or a value of the wrong type.
base::Result<FieldPatch> PatchFromJson(const nlohmann::json& j);

}  // namespace invoice

#endif  // INVOICE_FIELD_PATCH_H_
