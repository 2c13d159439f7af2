#include "invoice/field_patch.h"

#include <optional>
#include <string>

#include "base/text.h"

namespace invoice {

using base::Result;
using base::Status;
using nlohmann::json;

namespace {

template <class T, class Member>
void Apply(const FieldChange<T>& change, Field field, Member* member, InvoiceFields* fields) {
  if (change.removes()) RemoveMember(field, fields);
  if (change.sets()) {
    *member = change.value();
    fields->absent.erase(field);
    fields->legacy_members.erase(std::string(FieldName(field)));
  }
}

json ValueJson(const FieldChange<std::string>& c) { return c.value(); }
json ValueJson(const FieldChange<bool>& c) { return c.value(); }

Status SetFromJson(const json& v, FieldChange<std::string>* c) {
  if (!v.is_string()) return Status::InvalidArgument("文字列か null を指定してください");
  c->Set(v.get<std::string>());
  return Status::OK();
}

Status SetFromJson(const json& v, FieldChange<bool>* c) {
  if (!v.is_boolean()) {
    return Status::InvalidArgument("true、false、null のいずれかを指定してください");
  }
  c->Set(v.get<bool>());
  return Status::OK();
}

}  // namespace

bool FieldPatch::empty() const {
  bool empty = true;
  ForEachChange(*this, [&](Field, const auto& change) { empty = empty && change.unchanged(); });
  return empty;
}

void ApplyPatch(const FieldPatch& p, InvoiceFields* f) {
  Apply(p.issue_date, Field::kIssueDate, &f->issue_date, f);
  Apply(p.due_date, Field::kDueDate, &f->due_date, f);
  Apply(p.total, Field::kTotal, &f->total, f);
  Apply(p.tax_inclusive_total, Field::kTaxInclusiveTotal, &f->tax_inclusive_total, f);
  Apply(p.counterparty, Field::kCounterparty, &f->counterparty, f);
  Apply(p.registration_number, Field::kRegistrationNumber, &f->registration_number, f);
  Apply(p.invoice_number, Field::kInvoiceNumber, &f->invoice_number, f);
  Apply(p.bank_account, Field::kBankAccount, &f->bank_account, f);
  Apply(p.currency, Field::kCurrency, &f->currency, f);
  Apply(p.document_type, Field::kDocumentType, &f->document_type, f);
  Apply(p.needs_metadata, Field::kNeedsMetadata, &f->needs_metadata, f);
}

json PatchToJson(const FieldPatch& patch) {
  json j = json::object();
  ForEachChange(patch, [&](Field field, const auto& change) {
    if (change.unchanged()) return;
    j[std::string(FieldName(field))] = change.removes() ? json(nullptr) : ValueJson(change);
  });
  return j;
}

Result<FieldPatch> PatchFromJson(const json& j) {
  if (!j.is_object()) {
    return Status::InvalidArgument("訂正内容 (changes) は JSON オブジェクトで指定してください");
  }
  FieldPatch patch;
  for (const auto& item : j.items()) {
    // Not structured bindings: C++17 lambdas cannot capture them (clang).
    const std::string& name = item.key();
    const json& value = item.value();
    bool known = false;
    Status s;
    ForEachChange(patch, [&](Field field, auto& change) {
      if (FieldName(field) != name) return;
      known = true;
      if (value.is_null()) {
        change.Remove();
      } else {
        s = SetFromJson(value, &change);
      }
    });
    if (!known) {
      return Status::InvalidArgument("訂正内容 changes." + base::PrintableText(name) +
                                     ": 訂正できる項目ではありません");
    }
    if (!s.ok()) return Status::InvalidArgument("訂正内容 changes." + name + ": " + s.message());
  }
  return patch;
}

}  // namespace invoice
