// RenderJpPint: JP PINT (UBL 2.1) XML written straight into a string. The
// structure is fixed and small, so a hand-written writer with careful
// escaping is simpler and several times faster than xmlTextWriter.

#include <string>
#include <string_view>

#include "base/utf8.h"
#include "corpus/corpus.h"

namespace corpus {
namespace {

void AppendEscaped(std::string* out, std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '&':
          out->append("&amp;");
          break;
        case '<':
          out->append("&lt;");
          break;
        case '>':
          out->append("&gt;");
          break;
        case '"':
          out->append("&quot;");
          break;
        default:
          // Other C0 controls are not allowed in XML 1.0: dropped.
          if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
            out->push_back(s[i]);
          }
      }
      ++i;
      continue;
    }
    const size_t start = i;
    const int32_t cp = base::NextCodePoint(s, &i);
    if (cp == base::kIllFormedUtf8 || cp == 0xFFFE || cp == 0xFFFF) {
      // One U+FFFD per byte, as base::ToValidUtf8 does; the noncharacters
      // U+FFFE and U+FFFF are not allowed in XML 1.0.
      for (size_t k = start; k < i; ++k) out->append(base::kReplacementCharacter);
    } else {
      out->append(s.substr(start, i - start));
    }
  }
}

class Writer {
 public:
  explicit Writer(std::string* out, std::string_view currency)
      : out_(out), currency_(currency) {}

  void Open(std::string_view tag) {
    Indent();
    Tag(tag, true);
    out_->push_back('\n');
    ++depth_;
  }
  void Close(std::string_view tag) {
    --depth_;
    Indent();
    Tag(tag, false);
    out_->push_back('\n');
  }
  void Leaf(std::string_view tag, std::string_view text) {
    Indent();
    Tag(tag, true);
    AppendEscaped(out_, text);
    Tag(tag, false);
    out_->push_back('\n');
  }
  // <tag attr="value">text</tag>
  void Leaf(std::string_view tag, std::string_view attr, std::string_view value,
            std::string_view text) {
    Indent();
    out_->push_back('<');
    out_->append(tag);
    out_->push_back(' ');
    out_->append(attr);
    out_->append("=\"");
    AppendEscaped(out_, value);
    out_->append("\">");
    AppendEscaped(out_, text);
    Tag(tag, false);
    out_->push_back('\n');
  }
  void Amount(std::string_view tag, const base::Decimal& amount) {
    Leaf(tag, "currencyID", currency_, amount.ToString());
  }

 private:
  void Indent() { out_->append(2 * depth_, ' '); }
  void Tag(std::string_view tag, bool open) {
    out_->append(open ? "<" : "</");
    out_->append(tag);
    out_->push_back('>');
  }

  std::string* out_;
  std::string_view currency_;
  int depth_ = 1;
};

std::string_view CategoryCode(int rate, bool reduced) {
  if (reduced) return "AA";  // JP PINT: reduced rate (8%)
  return rate == 0 ? "E" : "S";
}

void TaxScheme(Writer& w) {
  w.Open("cac:TaxScheme");
  w.Leaf("cbc:ID", "VAT");
  w.Close("cac:TaxScheme");
}

void Supplier(Writer& w, const Vendor& v) {
  const std::string corporate_number = v.registration_number.substr(1);
  w.Open("cac:AccountingSupplierParty");
  w.Open("cac:Party");
  w.Leaf("cbc:EndpointID", "schemeID", "0188", corporate_number);
  w.Open("cac:PartyName");
  w.Leaf("cbc:Name", v.name_on_invoice);
  w.Close("cac:PartyName");
  w.Open("cac:PostalAddress");
  w.Leaf("cbc:StreetName", v.street);
  w.Leaf("cbc:CityName", v.city);
  w.Leaf("cbc:PostalZone", v.postal_code);
  w.Leaf("cbc:CountrySubentity", v.prefecture);
  w.Open("cac:Country");
  w.Leaf("cbc:IdentificationCode", "JP");
  w.Close("cac:Country");
  w.Close("cac:PostalAddress");
  w.Open("cac:PartyTaxScheme");
  w.Leaf("cbc:CompanyID", v.registration_number);
  TaxScheme(w);
  w.Close("cac:PartyTaxScheme");
  w.Open("cac:PartyLegalEntity");
  w.Leaf("cbc:RegistrationName", v.name_on_invoice);
  w.Leaf("cbc:CompanyID", "schemeID", "0188", corporate_number);
  w.Close("cac:PartyLegalEntity");
  w.Close("cac:Party");
  w.Close("cac:AccountingSupplierParty");
}

void Customer(Writer& w, const Invoice& inv) {
  w.Open("cac:AccountingCustomerParty");
  w.Open("cac:Party");
  w.Leaf("cbc:EndpointID", "schemeID", "0188", inv.buyer_corporate_number);
  w.Open("cac:PartyName");
  w.Leaf("cbc:Name", inv.buyer);
  w.Close("cac:PartyName");
  w.Open("cac:PostalAddress");
  w.Leaf("cbc:StreetName", inv.buyer_address);
  w.Open("cac:Country");
  w.Leaf("cbc:IdentificationCode", "JP");
  w.Close("cac:Country");
  w.Close("cac:PostalAddress");
  w.Open("cac:PartyLegalEntity");
  w.Leaf("cbc:RegistrationName", inv.buyer);
  w.Leaf("cbc:CompanyID", "schemeID", "0188", inv.buyer_corporate_number);
  w.Close("cac:PartyLegalEntity");
  w.Open("cac:Contact");
  w.Leaf("cbc:Name", inv.department_name);
  w.Close("cac:Contact");
  w.Close("cac:Party");
  w.Close("cac:AccountingCustomerParty");
}

void Line(Writer& w, const Invoice& inv, size_t index) {
  const LineItem& line = inv.lines[index];
  w.Open("cac:InvoiceLine");
  w.Leaf("cbc:ID", std::to_string(index + 1));
  w.Leaf("cbc:InvoicedQuantity", "unitCode", line.unit_code,
         line.quantity.ToString());
  w.Amount("cbc:LineExtensionAmount", line.amount);
  w.Open("cac:Item");
  w.Leaf("cbc:Name", line.description);
  w.Open("cac:ClassifiedTaxCategory");
  w.Leaf("cbc:ID", CategoryCode(line.tax_rate, line.reduced));
  w.Leaf("cbc:Percent", std::to_string(line.tax_rate));
  TaxScheme(w);
  w.Close("cac:ClassifiedTaxCategory");
  w.Open("cac:AdditionalItemProperty");
  w.Leaf("cbc:Name", "表示単位名称");
  w.Leaf("cbc:Value", line.unit_name);
  w.Close("cac:AdditionalItemProperty");
  w.Close("cac:Item");
  w.Open("cac:Price");
  w.Amount("cbc:PriceAmount", line.unit_price);
  w.Leaf("cbc:BaseQuantity", "unitCode", line.unit_code, "1");
  w.Close("cac:Price");
  w.Close("cac:InvoiceLine");
}

}  // namespace

std::string RenderJpPint(const Invoice& inv) {
  std::string out;
  out.reserve(4096 + inv.lines.size() * 900);
  out.append(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<Invoice "
      "xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\""
      " xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:"
      "CommonAggregateComponents-2\""
      " xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:"
      "CommonBasicComponents-2\">\n");
  Writer w(&out, inv.currency);
  w.Leaf("cbc:CustomizationID", "urn:peppol:pint:billing-1@jp-1");
  w.Leaf("cbc:ProfileID", "urn:peppol:bis:billing");
  w.Leaf("cbc:ID", inv.id);
  w.Leaf("cbc:IssueDate", inv.issue_date.ToString());
  w.Leaf("cbc:DueDate", inv.due_date.ToString());
  w.Leaf("cbc:InvoiceTypeCode", "380");
  w.Leaf("cbc:Note", inv.vendor.expense_type);
  w.Leaf("cbc:DocumentCurrencyCode", inv.currency);
  w.Leaf("cbc:BuyerReference", inv.department_code);
  Supplier(w, inv.vendor);
  Customer(w, inv);

  w.Open("cac:PaymentMeans");
  w.Leaf("cbc:PaymentMeansCode", "name", "Credit transfer", "30");
  w.Open("cac:PayeeFinancialAccount");
  w.Leaf("cbc:ID", inv.vendor.bank_account);
  w.Leaf("cbc:Name", inv.vendor.account_name);
  w.Close("cac:PayeeFinancialAccount");
  w.Close("cac:PaymentMeans");
  w.Open("cac:PaymentTerms");
  w.Leaf("cbc:Note", "支払期日 " + inv.due_date.ToString() +
                         "（銀行振込、振込手数料は貴方負担）");
  w.Close("cac:PaymentTerms");

  w.Open("cac:TaxTotal");
  w.Amount("cbc:TaxAmount", inv.tax_amount);
  for (const TaxSubtotal& t : inv.tax_subtotals) {
    w.Open("cac:TaxSubtotal");
    w.Amount("cbc:TaxableAmount", t.taxable);
    w.Amount("cbc:TaxAmount", t.tax);
    w.Open("cac:TaxCategory");
    w.Leaf("cbc:ID", CategoryCode(t.rate, t.reduced));
    w.Leaf("cbc:Percent", std::to_string(t.rate));
    TaxScheme(w);
    w.Close("cac:TaxCategory");
    w.Close("cac:TaxSubtotal");
  }
  w.Close("cac:TaxTotal");

  w.Open("cac:LegalMonetaryTotal");
  w.Amount("cbc:LineExtensionAmount", inv.line_extension_amount);
  w.Amount("cbc:TaxExclusiveAmount", inv.tax_exclusive_amount);
  w.Amount("cbc:TaxInclusiveAmount", inv.tax_inclusive_amount);
  w.Amount("cbc:PayableAmount", inv.payable_amount);
  w.Close("cac:LegalMonetaryTotal");

  for (size_t i = 0; i < inv.lines.size(); ++i) Line(w, inv, i);
  out.append("</Invoice>\n");
  return out;
}

}  // namespace corpus
