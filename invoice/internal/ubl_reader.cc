#include "invoice/internal/ubl_reader.h"

#include <string>
#include <vector>

#include "invoice/internal/field_values.h"
#include "invoice/internal/xml_nav.h"

namespace invoice::internal {
namespace {

constexpr char kCac[] = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
constexpr char kCbc[] = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

XmlStep Cac(const char* local) { return {kCac, local}; }
XmlStep Cbc(const char* local) { return {kCbc, local}; }

// A party's name: PartyLegalEntity/RegistrationName, else PartyName/Name.
std::optional<std::string> PartyName(const xmlNode* party) {
  if (auto legal =
          NonEmptyText(Descend(party, {Cac("PartyLegalEntity"), Cbc("RegistrationName")}))) {
    return legal;
  }
  return NonEmptyText(Descend(party, {Cac("PartyName"), Cbc("Name")}));
}

// The TaxTotal whose TaxAmount is in the document currency. JP PINT allows a
// second TaxTotal in the tax accounting currency (Example2-TaxAcctCur); the
// record uses the document currency's. Falls back to the first one.
const xmlNode* DocumentCurrencyTaxTotal(const xmlNode* root, const std::string& currency) {
  const std::vector<const xmlNode*> totals = Children(root, Cac("TaxTotal"));
  for (const xmlNode* t : totals) {
    if (AttributeOf(Child(t, Cbc("TaxAmount")), "currencyID") == currency) return t;
  }
  return totals.empty() ? nullptr : totals.front();
}

void ReadSupplier(const xmlNode* root, ParsedInvoice* out) {
  const xmlNode* party = Descend(root, {Cac("AccountingSupplierParty"), Cac("Party")});
  InvoiceFields& f = out->fields;
  f.counterparty = PartyName(party).value_or("");
  std::vector<std::string> vat_ids;
  for (const xmlNode* scheme : Children(party, Cac("PartyTaxScheme"))) {
    std::optional<std::string> id = NonEmptyText(Child(scheme, Cbc("CompanyID")));
    if (!id) continue;
    f.supplier_tax_ids.push_back(*id);
    if (TextOf(Descend(scheme, {Cac("TaxScheme"), Cbc("ID")})) == "VAT") {
      vat_ids.push_back(*id);
      if (!out->supplier_vat_id) out->supplier_vat_id = *id;
    }
  }
  // The registration number is the VAT-scheme CompanyID (JP PINT IBT-031);
  // fall back to any stated identifier that has its shape.
  f.registration_number = FirstRegistrationNumber(vat_ids);
  if (!f.registration_number) f.registration_number = FirstRegistrationNumber(f.supplier_tax_ids);
}

void ReadTaxes(const xmlNode* root, ParsedInvoice* out, WarningList* warnings) {
  const xmlNode* tax_total = DocumentCurrencyTaxTotal(root, out->fields.currency);
  if (tax_total == nullptr) return;
  out->amounts.tax_total =
      ValidAmount(NonEmptyText(Child(tax_total, Cbc("TaxAmount"))), "消費税額合計", warnings);
  for (const xmlNode* sub : Children(tax_total, Cac("TaxSubtotal"))) {
    const xmlNode* category = Child(sub, Cac("TaxCategory"));
    TaxSubtotal s;
    s.category = TextOf(Child(category, Cbc("ID")));
    s.rate =
        ValidAmount(NonEmptyText(Child(category, Cbc("Percent"))), "税率", warnings).value_or("");
    s.taxable = ValidAmount(NonEmptyText(Child(sub, Cbc("TaxableAmount"))), "課税対象額", warnings)
                    .value_or("");
    s.tax = ValidAmount(NonEmptyText(Child(sub, Cbc("TaxAmount"))), "税率ごとの消費税額", warnings)
                .value_or("");
    out->fields.tax_subtotals.push_back(std::move(s));
  }
}

void ReadTotals(const xmlNode* root, ParsedInvoice* out, WarningList* warnings) {
  const xmlNode* totals = Child(root, Cac("LegalMonetaryTotal"));
  const auto amount = [&](const char* local, std::string_view label) {
    return ValidAmount(NonEmptyText(Child(totals, Cbc(local))), label, warnings);
  };
  out->fields.total = amount("PayableAmount", "支払金額");
  out->fields.tax_inclusive_total = amount("TaxInclusiveAmount", "税込合計額");
  out->amounts.tax_exclusive = amount("TaxExclusiveAmount", "税抜合計額");
  out->amounts.prepaid = amount("PrepaidAmount", "前払額");
  out->amounts.rounding = amount("PayableRoundingAmount", "端数調整額");
}

void ReadLines(const xmlNode* root, bool credit_note, InvoiceFields* f) {
  const XmlStep line_step = Cac(credit_note ? "CreditNoteLine" : "InvoiceLine");
  for (const xmlNode* line = root->children; line != nullptr; line = line->next) {
    if (!IsElement(line, line_step.ns, line_step.local)) continue;
    const xmlNode* item = Child(line, Cac("Item"));
    std::optional<std::string> text = NonEmptyText(Child(item, Cbc("Name")));
    if (!text) text = NonEmptyText(Child(item, Cbc("Description")));
    f->line_descriptions.push_back(text.value_or(""));
  }
}

}  // namespace

bool IsUblRoot(const xmlNode* root) {
  return IsElement(root, kUblInvoiceNs, "Invoice") ||
         IsElement(root, kUblCreditNoteNs, "CreditNote");
}

ParsedInvoice ReadUbl(const xmlNode* root, WarningList* warnings) {
  ParsedInvoice out;
  InvoiceFields& f = out.fields;
  const bool credit_note = IsElement(root, kUblCreditNoteNs, "CreditNote");

  f.specification_id = TextOf(Child(root, Cbc("CustomizationID")));
  f.invoice_number = TextOf(Child(root, Cbc("ID")));
  if (credit_note) {
    f.document_type = "credit_note";
  } else {
    f.document_type = DocumentTypeFromCode(TextOf(Child(root, Cbc("InvoiceTypeCode"))));
  }
  f.issue_date = ValidIsoDate(NonEmptyText(Child(root, Cbc("IssueDate"))), "発行日", warnings);
  // Invoice has cbc:DueDate; CreditNote (and UBL 2.0) state it per payment
  // means.
  std::optional<std::string> due = NonEmptyText(Child(root, Cbc("DueDate")));
  if (!due) {
    for (const xmlNode* means : Children(root, Cac("PaymentMeans"))) {
      due = NonEmptyText(Child(means, Cbc("PaymentDueDate")));
      if (due) break;
    }
  }
  f.due_date = ValidIsoDate(due, "支払期日", warnings);

  // UBL 2.0 and trivial examples omit DocumentCurrencyCode; the amounts
  // still carry currencyID.
  f.currency = TextOf(Child(root, Cbc("DocumentCurrencyCode")));
  if (f.currency.empty()) {
    f.currency =
        AttributeOf(Descend(root, {Cac("LegalMonetaryTotal"), Cbc("PayableAmount")}), "currencyID")
            .value_or("");
  }

  ReadSupplier(root, &out);
  f.buyer = PartyName(Descend(root, {Cac("AccountingCustomerParty"), Cac("Party")}));
  ReadTaxes(root, &out, warnings);
  ReadTotals(root, &out, warnings);
  for (const xmlNode* means : Children(root, Cac("PaymentMeans"))) {
    f.bank_account = NonEmptyText(Descend(means, {Cac("PayeeFinancialAccount"), Cbc("ID")}));
    if (f.bank_account) break;
  }
  ReadLines(root, credit_note, &f);
  f.needs_metadata = false;
  return out;
}

}  // namespace invoice::internal
