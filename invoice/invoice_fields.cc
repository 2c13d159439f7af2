#include "invoice/invoice_fields.h"

#include <array>

#include "invoice/internal/field_members.h"

namespace invoice {

namespace {

constexpr std::array<std::string_view, kFieldCount> kNames = {
    "format",
    "document_type",
    "specification_id",
    "invoice_number",
    "issue_date",
    "due_date",
    "currency",
    "total",
    "tax_inclusive_total",
    "counterparty",
    "registration_number",
    "supplier_tax_ids",
    "supplier_address",
    "buyer",
    "tax_subtotals",
    "bank_account",
    "line_descriptions",
    "page_count",
    "pdf_info",
    "needs_metadata",
};

}  // namespace

std::string_view FieldName(Field field) { return kNames[static_cast<size_t>(field)]; }

std::optional<Field> FieldByName(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Field>(i);
  }
  return std::nullopt;
}

bool HasMember(const InvoiceFields& fields, Field field) {
  if (fields.legacy_members.count(std::string(FieldName(field))) != 0) return true;
  bool has = true;
  internal::ForEachMember(fields, [&](Field f, const auto& member) {
    using T = std::decay_t<decltype(member)>;
    if (f == field) has = !fields.absent.contains(f) || member != internal::AbsentValue<T>(f);
  });
  return has;
}

void RemoveMember(Field field, InvoiceFields* fields) {
  internal::ForEachMember(*fields, [&](Field f, auto& member) {
    using T = std::decay_t<decltype(member)>;
    if (f == field) member = internal::AbsentValue<T>(f);
  });
  fields->absent.insert(field);
  fields->legacy_members.erase(std::string(FieldName(field)));
}

}  // namespace invoice
