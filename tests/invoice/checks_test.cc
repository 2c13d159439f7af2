// The consistency checks, on small JP PINT-shaped invoices written here.
#include <gtest/gtest.h>

#include "invoice/invoice_reader.h"
#include "invoice/warning_codes.h"
#include "tests/fakes/japanese_message.h"
#include "tests/invoice/reader_test_util.h"

namespace {

namespace wc = invoice::warning_code;
using kura_test::HasWarning;
using kura_test::WarningCodes;

struct Doc {
  std::string customization = "urn:peppol:pint:billing-1@jp-1";
  std::string currency = "JPY";
  std::string supplier = "株式会社 テスト商事";
  std::string vat_id = "T7010705000725";  // valid check digit
  std::string issue_date = "2024-01-31";
  std::string buyer = "テスト市";
  // category, percent, taxable, tax
  std::vector<std::array<std::string, 4>> subtotals = {{"S", "10", "10000", "1000"},
                                                       {"AA", "8", "1881", "150"}};
  std::string tax_total = "1150";
  std::string exclusive = "11881";
  std::string inclusive = "13031";
  std::string prepaid = "0";
  std::string payable = "13031";
  std::string cac = "cac";  // prefixes, to show they do not matter
  std::string cbc = "cbc";

  std::string Xml() const {
    const auto e = [&](const std::string& p, const std::string& n, const std::string& v,
                       const std::string& attrs = "") {
      return "<" + p + ":" + n + attrs + ">" + v + "</" + p + ":" + n + ">";
    };
    const std::string amount = " currencyID=\"" + currency + "\"";
    std::string x =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\" "
        "xmlns:" +
        cac +
        "=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\" "
        "xmlns:" +
        cbc + "=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\">";
    x += e(cbc, "CustomizationID", customization) + e(cbc, "ID", "INV-1");
    if (!issue_date.empty()) x += e(cbc, "IssueDate", issue_date);
    x += e(cbc, "DocumentCurrencyCode", currency);
    std::string party;
    if (!vat_id.empty()) {
      party += e(cac, "PartyTaxScheme",
                 e(cbc, "CompanyID", vat_id) + e(cac, "TaxScheme", e(cbc, "ID", "VAT")));
    }
    if (!supplier.empty())
      party += e(cac, "PartyLegalEntity", e(cbc, "RegistrationName", supplier));
    x += e(cac, "AccountingSupplierParty", e(cac, "Party", party));
    if (!buyer.empty()) {
      x += e(cac, "AccountingCustomerParty",
             e(cac, "Party", e(cac, "PartyLegalEntity", e(cbc, "RegistrationName", buyer))));
    }
    std::string tax = e(cbc, "TaxAmount", tax_total, amount);
    for (const auto& s : subtotals) {
      std::string category = e(cbc, "ID", s[0]);
      if (!s[1].empty()) category += e(cbc, "Percent", s[1]);
      tax += e(cac, "TaxSubtotal",
               e(cbc, "TaxableAmount", s[2], amount) + e(cbc, "TaxAmount", s[3], amount) +
                   e(cac, "TaxCategory", category));
    }
    x += e(cac, "TaxTotal", tax);
    x += e(cac, "LegalMonetaryTotal",
           e(cbc, "TaxExclusiveAmount", exclusive, amount) +
               e(cbc, "TaxInclusiveAmount", inclusive, amount) +
               e(cbc, "PrepaidAmount", prepaid, amount) + e(cbc, "PayableAmount", payable, amount));
    return x + "</Invoice>";
  }
  invoice::ReadResult Read() const { return invoice::ReadInvoice(Xml()); }
};

TEST(ChecksTest, ConsistentInvoiceHasNoWarnings) {
  const auto r = Doc{}.Read();
  EXPECT_EQ(r.fields.format, "jp-pint");
  EXPECT_EQ(r.fields.registration_number, "T7010705000725");
  EXPECT_TRUE(r.warnings.empty()) << ::testing::PrintToString(WarningCodes(r));
}

TEST(ChecksTest, PrefixesDoNotMatter) {
  Doc d;
  d.cac = "Sally";
  d.cbc = "x";
  const auto r = d.Read();
  EXPECT_EQ(r.fields.invoice_number, "INV-1");
  EXPECT_EQ(r.fields.counterparty, "株式会社 テスト商事");
  EXPECT_EQ(r.fields.tax_subtotals.size(), 2u);
  EXPECT_TRUE(r.warnings.empty());
}

TEST(ChecksTest, JpyTaxMayBeRoundedDownHalfUpOrUp) {
  // 8 % of 1881 = 150.48: 150 (down, half-up) and 151 (up) are both fine.
  for (const char* tax : {"150", "151"}) {
    Doc d;
    d.subtotals[1][3] = tax;
    d.tax_total = std::to_string(1000 + std::stoi(tax));
    d.inclusive = d.payable = std::to_string(11881 + 1000 + std::stoi(tax));
    EXPECT_TRUE(d.Read().warnings.empty()) << tax;
  }
}

TEST(ChecksTest, JpyTaxOffByOneYenWarns) {
  Doc d;
  d.subtotals[1][3] = "149";  // 150.48 − 149 ≥ 1
  d.tax_total = "1149";
  d.inclusive = d.payable = "13030";
  const auto r = d.Read();
  EXPECT_EQ(WarningCodes(r), std::vector<std::string>{std::string(wc::kTaxRoundingMismatch)});
  EXPECT_EQ(
      r.warnings[0].message,
      "税率 8% の消費税額 149 が、課税対象額 1881 × 8% = 150.48 の端数処理の結果と一致しません");
}

TEST(ChecksTest, CentsCurrencyAllowsLessThanOneCent) {
  Doc d;
  d.customization = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";
  d.currency = "EUR";
  d.subtotals = {{"S", "10", "10.05", "1.01"}};  // 1.005 → 1.00 or 1.01
  d.tax_total = "1.01";
  d.exclusive = "10.05";
  d.inclusive = d.payable = "11.06";
  EXPECT_TRUE(d.Read().warnings.empty());
  d.subtotals[0][3] = "0.99";
  d.tax_total = "0.99";
  d.inclusive = d.payable = "11.04";
  EXPECT_EQ(WarningCodes(d.Read()),
            std::vector<std::string>{std::string(wc::kTaxRoundingMismatch)});
}

TEST(ChecksTest, TotalsThatDoNotAddUp) {
  Doc d;
  d.exclusive = "11880";  // Σ taxable is 11881
  d.tax_total = "1151";   // Σ tax is 1150
  d.inclusive = "13100";  // ≠ 11880 + 1151
  d.payable = "13000";    // ≠ 13100 − 0
  const auto r = d.Read();
  EXPECT_TRUE(HasWarning(r, wc::kTaxableTotalMismatch));
  EXPECT_TRUE(HasWarning(r, wc::kTaxTotalMismatch));
  EXPECT_TRUE(HasWarning(r, wc::kInclusiveTotalMismatch));
  EXPECT_TRUE(HasWarning(r, wc::kPayableTotalMismatch));
}

TEST(ChecksTest, PrepaidIsSubtracted) {
  Doc d;
  d.prepaid = "3031";
  d.payable = "10000";
  EXPECT_TRUE(d.Read().warnings.empty());
  d.payable = "13031";
  EXPECT_EQ(WarningCodes(d.Read()),
            std::vector<std::string>{std::string(wc::kPayableTotalMismatch)});
}

TEST(ChecksTest, MissingQualifiedInvoiceItems) {
  Doc d;
  d.supplier = "";
  d.vat_id = "";
  d.issue_date = "";
  d.buyer = "";
  for (auto& s : d.subtotals) s[1] = "";  // no rates
  const auto r = d.Read();
  EXPECT_EQ(WarningCodes(r),
            (std::vector<std::string>{
                std::string(wc::kMissingIssuerName), std::string(wc::kMissingRegistrationNumber),
                std::string(wc::kMissingIssueDate), std::string(wc::kMissingTaxBreakdown),
                std::string(wc::kMissingBuyerName)}));
}

TEST(ChecksTest, MandatoryItemsAreJpPintOnly) {
  Doc d;
  d.customization = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";
  d.vat_id = "";
  d.buyer = "";
  EXPECT_TRUE(d.Read().warnings.empty());
}

TEST(ChecksTest, NonTaxInvoiceNeedsNoRegistrationNumberNorTax) {
  Doc d;
  d.customization = "urn:peppol:pint:nontaxinvoice-1@jp-1";
  d.vat_id = "";
  d.subtotals = {{"S", "10", "10000", "0"}};
  d.tax_total = "0";
  d.exclusive = d.inclusive = d.payable = "10000";
  EXPECT_TRUE(d.Read().warnings.empty());
}

TEST(ChecksTest, RegistrationNumberShapeAndCheckDigit) {
  Doc d;
  d.vat_id = "7010705000725";  // no T
  auto r = d.Read();
  EXPECT_FALSE(r.fields.registration_number.has_value());
  EXPECT_EQ(WarningCodes(r),
            std::vector<std::string>{std::string(wc::kRegistrationNumberMalformed)});
  d.vat_id = "T7010705000726";
  r = d.Read();
  EXPECT_EQ(r.fields.registration_number, "T7010705000726");
  EXPECT_EQ(WarningCodes(r),
            std::vector<std::string>{std::string(wc::kRegistrationNumberCheckDigit)});
}

TEST(ChecksTest, InvalidAmountAndDateAreDroppedWithWarnings) {
  Doc d;
  d.payable = "13,031";
  d.issue_date = "2023-02-30";
  const auto r = d.Read();
  EXPECT_FALSE(r.fields.total.has_value());
  EXPECT_FALSE(r.fields.issue_date.has_value());
  EXPECT_TRUE(HasWarning(r, wc::kInvalidAmount));
  EXPECT_TRUE(HasWarning(r, wc::kInvalidDate));
  EXPECT_TRUE(HasWarning(r, wc::kMissingIssueDate));
}

TEST(ChecksTest, WarningsEchoDocumentTextWithoutControlCharacters) {
  Doc d;
  d.issue_date = "2024-01&#10;31";  // a line feed inside the element
  const auto r = d.Read();
  ASSERT_TRUE(HasWarning(r, wc::kInvalidDate));
  for (const invoice::Warning& w : r.warnings) {
    EXPECT_TRUE(kura_test::IsJapaneseText(w.message)) << w.code;
    if (w.code == wc::kInvalidDate) {
      EXPECT_NE(w.message.find("「2024-01␊31」"), std::string::npos) << w.message;
    }
  }
}

TEST(ChecksTest, AmountsStayExactDecimals) {
  Doc d;
  d.currency = "EUR";
  d.customization = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";
  d.subtotals = {{"S", "19", "1234567890123.10", "234567899123.39"}};
  d.tax_total = "234567899123.39";
  d.exclusive = "1234567890123.10";
  d.inclusive = d.payable = "1469135789246.49";
  const auto r = d.Read();
  EXPECT_EQ(r.fields.total, "1469135789246.49");
  EXPECT_EQ(r.fields.tax_subtotals[0].taxable, "1234567890123.10");
  EXPECT_TRUE(r.warnings.empty()) << ::testing::PrintToString(WarningCodes(r));
}

}  // namespace
