#include "invoice/fields_json.h"

#include <optional>
#include <string>

namespace invoice {
namespace {

nlohmann::json OrNull(const std::optional<std::string>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

// Subtotal values use "" for "not stated"; JSON says null.
nlohmann::json EmptyAsNull(const std::string& v) {
  return v.empty() ? nlohmann::json(nullptr) : nlohmann::json(v);
}

}  // namespace

nlohmann::json FieldsToJson(const InvoiceFields& f) {
  nlohmann::json subtotals = nlohmann::json::array();
  for (const TaxSubtotal& s : f.tax_subtotals) {
    subtotals.push_back({{"category", EmptyAsNull(s.category)},
                         {"rate", EmptyAsNull(s.rate)},
                         {"taxable", EmptyAsNull(s.taxable)},
                         {"tax", EmptyAsNull(s.tax)}});
  }
  nlohmann::json info = nlohmann::json::object();
  for (const auto& [key, value] : f.pdf_info) info[key] = value;

  nlohmann::json j = nlohmann::json::object();
  j["format"] = f.format;
  j["document_type"] = f.document_type;
  j["specification_id"] = f.specification_id;
  j["invoice_number"] = f.invoice_number;
  j["issue_date"] = OrNull(f.issue_date);
  j["due_date"] = OrNull(f.due_date);
  j["currency"] = f.currency;
  j["total"] = OrNull(f.total);
  j["tax_inclusive_total"] = OrNull(f.tax_inclusive_total);
  j["counterparty"] = f.counterparty;
  j["registration_number"] = OrNull(f.registration_number);
  j["supplier_tax_ids"] = f.supplier_tax_ids;
  j["buyer"] = OrNull(f.buyer);
  j["tax_subtotals"] = std::move(subtotals);
  j["bank_account"] = OrNull(f.bank_account);
  j["line_descriptions"] = f.line_descriptions;
  j["needs_metadata"] = f.needs_metadata;
  j["page_count"] = f.page_count ? nlohmann::json(*f.page_count) : nlohmann::json(nullptr);
  j["pdf_info"] = std::move(info);
  return j;
}

nlohmann::json WarningsToJson(const std::vector<Warning>& warnings) {
  nlohmann::json a = nlohmann::json::array();
  for (const Warning& w : warnings) a.push_back({{"code", w.code}, {"message", w.message}});
  return a;
}

nlohmann::json ReadResultToJson(const ReadResult& result) {
  return {{"fields", FieldsToJson(result.fields)}, {"warnings", WarningsToJson(result.warnings)}};
}

}  // namespace invoice
