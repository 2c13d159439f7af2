// Every file of shared/samples/jp-pint, field by field. Expected values were
// read from the XML (cbc:ID, cbc:IssueDate, cac:LegalMonetaryTotal, …), not
// from the reader.
#include <gtest/gtest.h>

#include "invoice/invoice_reader.h"
#include "invoice/warning_codes.h"
#include "tests/invoice/reader_test_util.h"

namespace {

using invoice::TaxSubtotal;
using kura_test::ExpectedInvoice;
using kura_test::ExpectSampleReadsAs;

// 〇 is U+3007 in the official samples; the EIPA draft uses ○ (U+25CB).
const std::string kSeller = "株式会社 \u3007\u3007商事";
const std::string kBuyer = "株式会社 \u3007\u3007物産";
const std::string kTNumber = "T1234567890123";  // fails the check digit on purpose
const std::string kCheckDigit(invoice::warning_code::kRegistrationNumberCheckDigit);
const std::string kBank = "1234:567:1:3242394";

const std::vector<TaxSubtotal> kFullSubtotals = {{"S", "10", "260000", "26000"},
                                                 {"E", "0", "3490", "0"}};
const std::vector<TaxSubtotal> kMinimumSubtotals = {{"S", "10", "252500", "25250"},
                                                    {"E", "0", "3490", "0"}};

// Japan_PINT_Invoice_UBL_Example.xml and the examples derived from it.
ExpectedInvoice FullExample(std::string path, std::string number = "156",
                            std::string issue = "2023-10-24") {
  return {.path = std::move(path),
          .format = "jp-pint",
          .invoice_number = std::move(number),
          .issue_date = std::move(issue),
          .due_date = "2023-11-20",
          .currency = "JPY",
          .total = "289490",
          .tax_inclusive_total = "289490",
          .counterparty = kSeller,
          .registration_number = kTNumber,
          .supplier_tax_ids = {kTNumber},
          .buyer = kBuyer,
          .tax_subtotals = kFullSubtotals,
          .bank_account = kBank,
          .warnings = {kCheckDigit}};
}

ExpectedInvoice Minimum(std::string path) {
  return {.path = std::move(path),
          .format = "jp-pint",
          .invoice_number = "156",
          .issue_date = "2023-10-24",
          .currency = "JPY",
          .total = "281240",
          .tax_inclusive_total = "281240",
          .counterparty = kSeller,
          .registration_number = kTNumber,
          .supplier_tax_ids = {kTNumber},
          .buyer = kBuyer,
          .tax_subtotals = kMinimumSubtotals,
          .warnings = {kCheckDigit}};
}

// The non-registered variant: no T-number, tax 0 at every rate.
ExpectedInvoice NonTaxRegistered(std::string path, std::string number = "156",
                                 std::string issue = "2023-10-24") {
  return {.path = std::move(path),
          .format = "jp-pint",
          .invoice_number = std::move(number),
          .issue_date = std::move(issue),
          .due_date = "2023-11-20",
          .currency = "JPY",
          .total = "263490",
          .tax_inclusive_total = "263490",
          .counterparty = kSeller,
          .buyer = kBuyer,
          .tax_subtotals = {{"S", "10", "260000", "0"}, {"E", "0", "3490", "0"}},
          .bank_account = kBank};
}

TEST(JpPintTest, OfficialExample) {
  ExpectSampleReadsAs(FullExample("jp-pint/pint-jp-1.1.3/Japan_PINT_Invoice_UBL_Example.xml"));
}

TEST(JpPintTest, OfficialExampleLineDescriptions) {
  const auto r = kura_test::ReadSample("jp-pint/pint-jp-1.1.3/Japan_PINT_Invoice_UBL_Example.xml");
  EXPECT_EQ(r.fields.specification_id, "urn:peppol:pint:billing-1@jp-1");
  EXPECT_EQ(r.fields.line_descriptions,
            (std::vector<std::string>{"デスクチェア", "コピー用紙（A4）", "検定済教科書(算数)"}));
}

TEST(JpPintTest, OfficialMinimum) {
  ExpectSampleReadsAs(Minimum("jp-pint/pint-jp-1.1.3/Japan_PINT_Invoice_UBL_Example1-minimum.xml"));
}

TEST(JpPintTest, LegacyCustomizationIdIsJpPint) {
  ExpectSampleReadsAs(
      Minimum("jp-pint/pint-jp-0.1.2-legacy/Japan_PINT_Invoice_UBL_Example1-minimum.xml"));
}

TEST(JpPintTest, TaxAccountingCurrencyUsesDocumentCurrencyTaxTotal) {
  // Two TaxTotals: EUR 250 (document currency) and JPY 32500 (accounting).
  ExpectSampleReadsAs(
      {.path = "jp-pint/pint-jp-1.1.3/Japan_PINT_Invoice_UBL_Example2-TaxAcctCur.xml",
       .format = "jp-pint",
       .invoice_number = "156",
       .issue_date = "2023-10-24",
       .due_date = "2023-11-20",
       .currency = "EUR",
       .total = "2750",
       .tax_inclusive_total = "2750",
       .counterparty = "XYZ Digital Learning Services, Inc.",
       .registration_number = kTNumber,
       .supplier_tax_ids = {kTNumber},
       .buyer = "\u3007\u3007 Bussan Co., Ltd.",
       .tax_subtotals = {{"S", "10", "2500", "250"}},
       .warnings = {kCheckDigit}});
}

TEST(JpPintTest, SummarizedInvoice) {
  ExpectSampleReadsAs(FullExample(
      "jp-pint/pint-jp-1.1.3/Japan_PINT_Invoice_UBL_Example3-SumInv1.xml", "103", "2023-11-01"));
}

TEST(JpPintTest, AllowanceCharge) {
  ExpectSampleReadsAs(
      FullExample("jp-pint/pint-jp-1.1.3/Japan_PINT_Invoice_UBL_Example5-AllowanceCharge.xml"));
}

TEST(JpPintTest, CorrectedInvoice) {
  ExpectSampleReadsAs(
      FullExample("jp-pint/pint-jp-1.1.3/Japan_PINT_Invoice_UBL_Example6-CorrInv.xml"));
}

TEST(JpPintTest, ReturnIsNegativeInvoice) {
  ExpectSampleReadsAs(
      {.path = "jp-pint/pint-jp-1.1.3/Japan_PINT_Invoice_UBL_Example7-Return.Quan.ItPr.xml",
       .format = "jp-pint",
       .invoice_number = "156",
       .issue_date = "2023-10-25",
       .currency = "JPY",
       .total = "-110000",
       .tax_inclusive_total = "-110000",
       .counterparty = kSeller,
       .registration_number = kTNumber,
       .supplier_tax_ids = {kTNumber},
       .buyer = kBuyer,
       .tax_subtotals = {{"S", "10", "-100000", "-10000"}},
       .warnings = {kCheckDigit}});
}

TEST(JpPintTest, SelfBilling) {
  ExpectSampleReadsAs(
      FullExample("jp-pint/pint-jp-sb-1.1.3/JP_BIS_Self_Billing_Invoice_UBL_Example.xml"));
  const auto r =
      kura_test::ReadSample("jp-pint/pint-jp-sb-1.1.3/JP_BIS_Self_Billing_Invoice_UBL_Example.xml");
  EXPECT_EQ(r.fields.specification_id, "urn:peppol:pint:selfbilling-1@jp-1");
}

TEST(JpPintTest, NonTaxRegisteredExample) {
  ExpectSampleReadsAs(
      NonTaxRegistered("jp-pint/pint-jp-ntr-1.1.3/"
                       "JP_BIS_Invoice_for_Non-tax_Registered_Businesses_UBL_Example.xml"));
}

TEST(JpPintTest, NonTaxRegisteredSummarized) {
  ExpectSampleReadsAs(
      NonTaxRegistered("jp-pint/pint-jp-ntr-1.1.3/"
                       "JP_BIS_Invoice_for_Non-tax_Registered_Businesses_UBL_Example2-SumInv1.xml",
                       "103", "2023-11-01"));
}

TEST(JpPintTest, NonTaxRegisteredAllowanceCharge) {
  ExpectSampleReadsAs(NonTaxRegistered(
      "jp-pint/pint-jp-ntr-1.1.3/"
      "JP_BIS_Invoice_for_Non-tax_Registered_Businesses_UBL_Example4-AllowanceCharge.xml"));
}

TEST(JpPintTest, NonTaxRegisteredCorrected) {
  ExpectSampleReadsAs(NonTaxRegistered(
      "jp-pint/pint-jp-ntr-1.1.3/"
      "JP_BIS_Invoice_for_Non-tax_Registered_Businesses_UBL_Example5-CorrInv.xml"));
}

TEST(JpPintTest, NonTaxRegisteredMinimum) {
  ExpectSampleReadsAs(
      {.path = "jp-pint/pint-jp-ntr-1.1.3/"
               "JP_BIS_Invoice_for_Non-tax_Registered_Businesses_UBL_Example1-minimum.xml",
       .format = "jp-pint",
       .invoice_number = "156",
       .issue_date = "2023-10-24",
       .currency = "JPY",
       .total = "255990",
       .tax_inclusive_total = "255990",
       .counterparty = kSeller,
       .buyer = kBuyer,
       .tax_subtotals = {{"S", "10", "252500", "0"}, {"E", "0", "3490", "0"}}});
}

TEST(JpPintTest, NonTaxRegisteredReturn) {
  ExpectSampleReadsAs(
      {.path = "jp-pint/pint-jp-ntr-1.1.3/"
               "JP_BIS_Invoice_for_Non-tax_Registered_Businesses_UBL_Example-Return.Quan.ItPr.xml",
       .format = "jp-pint",
       .invoice_number = "156",
       .issue_date = "2023-10-25",
       .currency = "JPY",
       .total = "-100000",
       .tax_inclusive_total = "-100000",
       .counterparty = kSeller,
       .buyer = kBuyer,
       .tax_subtotals = {{"S", "10", "-100000", "0"}}});
}

TEST(JpPintTest, EipaDraftReducedRate) {
  // The only samples with the 8 % reduced rate (category AA).
  ExpectSampleReadsAs(
      {.path = "jp-pint/eipa-draft/allowance1.xml",
       .format = "jp-pint",
       .invoice_number = "000016",
       .issue_date = "2003-03-04",
       .due_date = "2003-03-20",
       .currency = "JPY",
       .total = "139670",
       .tax_inclusive_total = "139670",
       .counterparty = "株式会社 \u25CB\u25CB商事",
       .registration_number = kTNumber,
       .supplier_tax_ids = {kTNumber},
       .buyer = "株式会社 藤山物産 札幌支社",
       .tax_subtotals = {{"S", "10", "87700", "8770"}, {"AA", "8", "40000", "3200"}},
       .bank_account = "1234:12:1:123456789",
       .warnings = {kCheckDigit}});
}

TEST(JpPintTest, EipaDraftRoundingWithValidRegistrationNumber) {
  // 8 % of 1881 = 150.48, stated 150 (rounded down): no warning.
  ExpectSampleReadsAs({.path = "jp-pint/eipa-draft/rounding_JPY.xml",
                       .format = "jp-pint",
                       .invoice_number = "20150483",
                       .issue_date = "2015-04-01",
                       .due_date = "2015-04-14",
                       .currency = "JPY",
                       .total = "9291",
                       .tax_inclusive_total = "9291",
                       .counterparty = "Bluem BV",
                       .registration_number = "T8700110005901",
                       .supplier_tax_ids = {"T8700110005901"},
                       .buyer = "Provide Verzekeringen",
                       .tax_subtotals = {{"AA", "8", "1881", "150"}, {"S", "10", "6600", "660"}},
                       .bank_account = "NL13RABO0377815500"});
}

TEST(JpPintTest, EipaDraftSnippetWithPrepaidAndSecondTaxTotal) {
  ExpectSampleReadsAs({.path = "jp-pint/eipa-draft/Snippet-full-EIPA.xml",
                       .format = "jp-pint",
                       .invoice_number = "Snippet1",
                       .issue_date = "2017-11-13",
                       .due_date = "2017-12-01",
                       .currency = "JPY",
                       .total = "3833",
                       .tax_inclusive_total = "6833",
                       .counterparty = "SupplierOfficialName Ltd",
                       .registration_number = "T7300010000001",
                       .supplier_tax_ids = {"T7300010000001", "TaxRegistrationID"},
                       .buyer = "Buyer Official Name",
                       .tax_subtotals = {{"S", "10", "4150", "415"}, {"AA", "8", "2100", "168"}},
                       .bank_account = "IBAN32423940",
                       .warnings = {kCheckDigit}});
}

TEST(JpPintTest, CheckDigitWarningNamesTheNumber) {
  const auto r = kura_test::ReadSample("jp-pint/pint-jp-1.1.3/Japan_PINT_Invoice_UBL_Example.xml");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].message, "登録番号 T1234567890123 のチェックデジットが正しくありません");
}

}  // namespace
