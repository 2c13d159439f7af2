#include "invoice/internal/cii_reader.h"

#include <string>
#include <vector>

#include "invoice/internal/field_values.h"
#include "invoice/internal/xml_nav.h"

namespace invoice::internal {
namespace {

// Namespaces and the element names that differ between the variants.
struct CiiSchema {
  const char* rsm;
  const char* ram;
  const char* udt;
  const char* context;
  const char* header;
  const char* transaction;
  const char* agreement;
  const char* settlement;
  const char* summation;
  const char* rate;
};

constexpr CiiSchema kD16B = {
    "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "ExchangedDocumentContext",
    "ExchangedDocument",
    "SupplyChainTradeTransaction",
    "ApplicableHeaderTradeAgreement",
    "ApplicableHeaderTradeSettlement",
    "SpecifiedTradeSettlementHeaderMonetarySummation",
    "RateApplicablePercent",
};

constexpr CiiSchema kZugferd1 = {
    "urn:ferd:CrossIndustryDocument:invoice:1p0",
    "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12",
    "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15",
    "SpecifiedExchangedDocumentContext",
    "HeaderExchangedDocument",
    "SpecifiedSupplyChainTradeTransaction",
    "ApplicableSupplyChainTradeAgreement",
    "ApplicableSupplyChainTradeSettlement",
    "SpecifiedTradeSettlementMonetarySummation",
    "ApplicablePercent",
};

class CiiExtractor {
 public:
  CiiExtractor(const CiiSchema& s, WarningList* warnings) : s_(s), warnings_(warnings) {}

  ParsedInvoice Read(const xmlNode* root) {
    InvoiceFields& f = out_.fields;
    f.specification_id = TextOf(Descend(
        root, {Rsm(s_.context), Ram("GuidelineSpecifiedDocumentContextParameter"), Ram("ID")}));
    const xmlNode* header = Child(root, Rsm(s_.header));
    f.invoice_number = TextOf(Child(header, Ram("ID")));
    f.document_type = DocumentTypeFromCode(TextOf(Child(header, Ram("TypeCode"))));
    f.issue_date = Date(Descend(header, {Ram("IssueDateTime"), Udt("DateTimeString")}), "発行日");

    const xmlNode* transaction = Child(root, Rsm(s_.transaction));
    const xmlNode* agreement = Child(transaction, Ram(s_.agreement));
    const xmlNode* settlement = Child(transaction, Ram(s_.settlement));
    f.currency = TextOf(Child(settlement, Ram("InvoiceCurrencyCode")));

    ReadSeller(Child(agreement, Ram("SellerTradeParty")));
    f.buyer = NonEmptyText(Descend(agreement, {Ram("BuyerTradeParty"), Ram("Name")}));
    for (const xmlNode* terms : Children(settlement, Ram("SpecifiedTradePaymentTerms"))) {
      f.due_date =
          Date(Descend(terms, {Ram("DueDateDateTime"), Udt("DateTimeString")}), "支払期日");
      if (f.due_date) break;
    }
    ReadTaxes(settlement);
    ReadTotals(Child(settlement, Ram(s_.summation)));
    ReadBankAccount(settlement);
    for (const xmlNode* item : Children(transaction, Ram("IncludedSupplyChainTradeLineItem"))) {
      f.line_descriptions.push_back(
          TextOf(Descend(item, {Ram("SpecifiedTradeProduct"), Ram("Name")})));
    }
    f.needs_metadata = false;
    return std::move(out_);
  }

 private:
  XmlStep Rsm(const char* local) const { return {s_.rsm, local}; }
  XmlStep Ram(const char* local) const { return {s_.ram, local}; }
  XmlStep Udt(const char* local) const { return {s_.udt, local}; }

  std::optional<std::string> Date(const xmlNode* date_time_string, std::string_view label) {
    return CefactDate(NonEmptyText(date_time_string), AttributeOf(date_time_string, "format"),
                      label, warnings_);
  }
  std::optional<std::string> Amount(const xmlNode* node, std::string_view label) {
    return ValidAmount(NonEmptyText(node), label, warnings_);
  }

  void ReadSeller(const xmlNode* seller) {
    InvoiceFields& f = out_.fields;
    f.counterparty = TextOf(Child(seller, Ram("Name")));
    std::vector<std::string> vat_ids;
    for (const xmlNode* reg : Children(seller, Ram("SpecifiedTaxRegistration"))) {
      const xmlNode* id_node = Child(reg, Ram("ID"));
      std::optional<std::string> id = NonEmptyText(id_node);
      if (!id) continue;
      f.supplier_tax_ids.push_back(*id);
      if (AttributeOf(id_node, "schemeID") == "VA") {
        vat_ids.push_back(*id);
        if (!out_.supplier_vat_id) out_.supplier_vat_id = *id;
      }
    }
    f.registration_number = FirstRegistrationNumber(vat_ids);
    if (!f.registration_number) f.registration_number = FirstRegistrationNumber(f.supplier_tax_ids);
  }

  void ReadTaxes(const xmlNode* settlement) {
    for (const xmlNode* tax : Children(settlement, Ram("ApplicableTradeTax"))) {
      TaxSubtotal s;
      s.category = TextOf(Child(tax, Ram("CategoryCode")));
      s.rate = Amount(Child(tax, Ram(s_.rate)), "税率").value_or("");
      s.taxable = Amount(Child(tax, Ram("BasisAmount")), "課税対象額").value_or("");
      s.tax = Amount(Child(tax, Ram("CalculatedAmount")), "税率ごとの消費税額").value_or("");
      out_.fields.tax_subtotals.push_back(std::move(s));
    }
  }

  void ReadTotals(const xmlNode* summation) {
    InvoiceFields& f = out_.fields;
    f.total = Amount(Child(summation, Ram("DuePayableAmount")), "支払金額");
    f.tax_inclusive_total = Amount(Child(summation, Ram("GrandTotalAmount")), "税込合計額");
    out_.amounts.tax_exclusive = Amount(Child(summation, Ram("TaxBasisTotalAmount")), "税抜合計額");
    out_.amounts.prepaid = Amount(Child(summation, Ram("TotalPrepaidAmount")), "前払額");
    out_.amounts.rounding = Amount(Child(summation, Ram("RoundingAmount")), "端数調整額");
    // TaxTotalAmount may be stated twice: in the invoice currency and in the
    // tax accounting currency. Take the invoice currency's (or the one
    // without currencyID).
    const xmlNode* chosen = nullptr;
    for (const xmlNode* t : Children(summation, Ram("TaxTotalAmount"))) {
      const std::optional<std::string> cur = AttributeOf(t, "currencyID");
      if (!cur || *cur == f.currency) {
        chosen = t;
        break;
      }
    }
    out_.amounts.tax_total = Amount(chosen, "消費税額合計");
  }

  void ReadBankAccount(const xmlNode* settlement) {
    for (const xmlNode* means : Children(settlement, Ram("SpecifiedTradeSettlementPaymentMeans"))) {
      const xmlNode* account = Child(means, Ram("PayeePartyCreditorFinancialAccount"));
      std::optional<std::string> id = NonEmptyText(Child(account, Ram("IBANID")));
      if (!id) id = NonEmptyText(Child(account, Ram("ProprietaryID")));
      if (id) {
        out_.fields.bank_account = id;
        return;
      }
    }
  }

  const CiiSchema& s_;
  WarningList* warnings_;
  ParsedInvoice out_;
};

}  // namespace

CiiVariant CiiVariantOf(const xmlNode* root) {
  if (IsElement(root, kD16B.rsm, "CrossIndustryInvoice")) return CiiVariant::kD16B;
  if (IsElement(root, kZugferd1.rsm, "CrossIndustryDocument")) return CiiVariant::kZugferd1;
  return CiiVariant::kNone;
}

ParsedInvoice ReadCii(const xmlNode* root, WarningList* warnings) {
  const CiiSchema& schema = CiiVariantOf(root) == CiiVariant::kZugferd1 ? kZugferd1 : kD16B;
  return CiiExtractor(schema, warnings).Read(root);
}

}  // namespace invoice::internal
