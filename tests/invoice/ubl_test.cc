// Peppol BIS Billing 3 (incl. A-NZ), plain OASIS UBL and XRechnung UBL
// samples, field by field. Expected values were read from the XML.
#include <gtest/gtest.h>

#include "invoice/warning_codes.h"
#include "tests/invoice/reader_test_util.h"

namespace {

using kura_test::ExpectSampleReadsAs;

TEST(PeppolBisTest, BaseExample) {
  ExpectSampleReadsAs({.path = "peppol-bis/bis3/base-example.xml",
                       .format = "peppol-bis",
                       .invoice_number = "Snippet1",
                       .issue_date = "2017-11-13",
                       .due_date = "2017-12-01",
                       .currency = "EUR",
                       .total = "1656.25",
                       .tax_inclusive_total = "1656.25",
                       .counterparty = "SupplierOfficialName Ltd",
                       .supplier_tax_ids = {"GB1232434"},
                       .buyer = "Buyer Official Name",
                       .tax_subtotals = {{"S", "25.0", "1325", "331.25"}},
                       .bank_account = "IBAN32423940"});
}

TEST(PeppolBisTest, CreditNoteCorrection) {
  ExpectSampleReadsAs({.path = "peppol-bis/bis3/base-creditnote-correction.xml",
                       .format = "peppol-bis",
                       .document_type = "credit_note",
                       .invoice_number = "Snippet1",
                       .issue_date = "2017-11-13",
                       .currency = "EUR",
                       .total = "1656.25",
                       .tax_inclusive_total = "1656.25",
                       .counterparty = "SupplierOfficialName Ltd",
                       .supplier_tax_ids = {"GB1232434"},
                       .buyer = "Buyer Official Name",
                       .tax_subtotals = {{"S", "25.0", "1325", "331.25"}},
                       .bank_account = "IBAN32423940"});
}

TEST(PeppolBisTest, CreditNoteSnippetWithPrepaidAndSecondTaxTotal) {
  ExpectSampleReadsAs({.path = "peppol-bis/bis3/Snippet-cn.xml",
                       .format = "peppol-bis",
                       .document_type = "credit_note",
                       .invoice_number = "Snippet1",
                       .issue_date = "2017-11-13",
                       .currency = "EUR",
                       .total = "4000",
                       .tax_inclusive_total = "5000",
                       .counterparty = "SupplierOfficialName Ltd",
                       .supplier_tax_ids = {"GB1232434", "TaxRegistrationID"},
                       .buyer = "Buyer Official Name",
                       .tax_subtotals = {{"S", "25", "4000.0", "1000"}},
                       .bank_account = "IBAN32423940"});
}

TEST(PeppolBisTest, NorwegianWithRoundingAndThreeRates) {
  // 25 % of 1460.5 = 365.125 → 365.13; payable 1801.78 − 1000 + 0.22.
  ExpectSampleReadsAs({.path = "peppol-bis/bis3/NO-Norwegian-example-1.xml",
                       .format = "peppol-bis",
                       .invoice_number = "TOSL108",
                       .issue_date = "2013-06-30",
                       .due_date = "2013-07-20",
                       .currency = "NOK",
                       .total = "802.00",
                       .tax_inclusive_total = "1801.78",
                       .counterparty = "The Sellercompany ASA",
                       .supplier_tax_ids = {"NO123456785MVA", "Foretaksregisteret"},
                       .buyer = "Buyercompany ASA",
                       .tax_subtotals = {{"S", "25", "1460.5", "365.13"},
                                         {"S", "15", "1", "0.15"},
                                         {"E", "0", "-25", "0"}},
                       .bank_account = "NO9386011117947"});
}

TEST(PeppolBisTest, AllowanceExample) {
  ExpectSampleReadsAs({.path = "peppol-bis/bis3/Allowance-example.xml",
                       .format = "peppol-bis",
                       .invoice_number = "Snippet1",
                       .issue_date = "2017-11-13",
                       .due_date = "2017-12-01",
                       .currency = "EUR",
                       .total = "6125.00",
                       .tax_inclusive_total = "7125",
                       .counterparty = "SupplierOfficialName Ltd",
                       .supplier_tax_ids = {"GB1232434"},
                       .buyer = "Buyer Official Name",
                       .tax_subtotals = {{"S", "25", "4900.0", "1225"}, {"E", "0", "1000.0", "0"}},
                       .bank_account = "IBAN32423940"});
}

TEST(PeppolBisTest, CategoryOHasNoRate) {
  ExpectSampleReadsAs({.path = "peppol-bis/bis3/vat-category-O.xml",
                       .format = "peppol-bis",
                       .invoice_number = "Vat-O",
                       .issue_date = "2018-08-30",
                       .currency = "SEK",
                       .total = "3200.00",
                       .tax_inclusive_total = "3200.00",
                       .counterparty = "The Sellercompany Incorporated",
                       .buyer = "The Buyercompany",
                       .tax_subtotals = {{"O", "", "3200.00", "0.00"}},
                       .bank_account = "SE1212341234123412"});
}

TEST(PeppolBisTest, AnzInvoice) {
  ExpectSampleReadsAs({.path = "peppol-bis/aunz/AU_Invoice.xml",
                       .format = "peppol-bis",
                       .invoice_number = "Invoice01",
                       .issue_date = "2019-07-29",
                       .due_date = "2019-08-30",
                       .currency = "AUD",
                       .total = "1636.14",
                       .tax_inclusive_total = "1636.14",
                       .counterparty = "Supplier Official Name Ltd",
                       .supplier_tax_ids = {"47555222000"},
                       .buyer = "Buyer Official Name",
                       .tax_subtotals = {{"S", "10", "1487.40", "148.74"}},
                       .bank_account = "AccountNumber"});
}

TEST(PeppolBisTest, AnzPrepaidGstOnly) {
  ExpectSampleReadsAs({.path = "peppol-bis/aunz/AU_GST_Only_-_Prepaid.xml",
                       .format = "peppol-bis",
                       .invoice_number = "Invoice number 116",
                       .issue_date = "2019-10-28",
                       .due_date = "2019-11-30",
                       .currency = "AUD",
                       .total = "6.83",
                       .tax_inclusive_total = "75.12",
                       .counterparty = "Supplier ABC Pty Ltd",
                       .buyer = "Buyer CDE Pty Ltd",
                       .tax_subtotals = {{"S", "10", "68.29", "6.83"}},
                       .bank_account = "AccountNumber"});
}

TEST(PeppolBisTest, AnzCreditNotes) {
  ExpectSampleReadsAs({.path = "peppol-bis/aunz/NZ_Credit_note.xml",
                       .format = "peppol-bis",
                       .document_type = "credit_note",
                       .invoice_number = "Snippet1",
                       .issue_date = "2019-07-29",
                       .currency = "NZD",
                       .total = "1955.85",
                       .tax_inclusive_total = "4455.85",
                       .counterparty = "SupplierOfficialName Ltd",
                       .supplier_tax_ids = {"888-888-888"},
                       .buyer = "Buyer Official Name",
                       .tax_subtotals = {{"S", "15", "3874.65", "581.20"}},
                       .bank_account = "IBAN32423940"});
  ExpectSampleReadsAs({.path = "peppol-bis/aunz/AU_Credit_note.xml",
                       .format = "peppol-bis",
                       .document_type = "credit_note",
                       .invoice_number = "CN03",
                       .issue_date = "2022-07-31",
                       .currency = "AUD",
                       .total = "175.37",
                       .tax_inclusive_total = "175.37",
                       .counterparty = "Grey Roo Energy",
                       .buyer = "Trotters Incorporated",
                       .tax_subtotals = {{"S", "10", "159.43", "15.94"}}});
}

TEST(UblTest, OasisInvoiceRoundingInsideInclusiveTotal) {
  // 1436.5 + 292.20 + 0.30 rounding = 1729; 1729 − 1000 prepaid = 729.
  ExpectSampleReadsAs({.path = "ubl/UBL-Invoice-2.1-Example.xml",
                       .format = "ubl",
                       .invoice_number = "TOSL108",
                       .issue_date = "2009-12-15",
                       .due_date = "2009-12-31",
                       .currency = "EUR",
                       .total = "729",
                       .tax_inclusive_total = "1729",
                       .counterparty = "The Sellercompany Incorporated",
                       .supplier_tax_ids = {"DK12345"},
                       .buyer = "The buyercompany inc.",
                       .tax_subtotals = {{"S", "20", "1460.5", "292.1"},
                                         {"AA", "10", "1", "0.1"},
                                         {"E", "0", "-25", "0"}},
                       .bank_account = "DK1212341234123412"});
}

TEST(UblTest, OasisCreditNote) {
  ExpectSampleReadsAs(
      {.path = "ubl/UBL-CreditNote-2.1-Example.xml",
       .format = "ubl",
       .document_type = "credit_note",
       .invoice_number = "TOSL108",
       .issue_date = "2009-12-15",
       .currency = "EUR",
       .total = "729",
       .tax_inclusive_total = "1729",
       .counterparty = "The Sellercompany Incorporated",
       .supplier_tax_ids = {"DK12345"},
       .buyer = "The buyercompany inc.",
       .tax_subtotals = {
           {"S", "20", "1460.5", "292.1"}, {"AA", "10", "1", "0.1"}, {"E", "0", "-25", "0"}}});
}

TEST(UblTest, UnusualPrefixesAndUbl20) {
  // Bob:Invoice, Sally:* for cac, default namespace for cbc. The example's
  // own totals disagree (TaxExclusiveAmount 90.00 vs taxable 100.00).
  ExpectSampleReadsAs({.path = "ubl/UBL-Invoice-2.0-Example-NS2.xml",
                       .format = "ubl",
                       .invoice_number = "A00095678",
                       .issue_date = "2005-06-21",
                       .due_date = "2005-07-21",
                       .currency = "GBP",
                       .total = "107.50",
                       .counterparty = "Consortial",
                       .supplier_tax_ids = {"175 269 2355"},
                       .buyer = "IYT Corporation",
                       .tax_subtotals = {{"A", "", "100.00", "17.50"}},
                       .bank_account = "12345678",
                       .warnings = {std::string(invoice::warning_code::kTaxableTotalMismatch)}});
}

TEST(UblTest, TrivialInvoiceTakesCurrencyFromAmount) {
  ExpectSampleReadsAs({.path = "ubl/UBL-Invoice-2.1-Example-Trivial.xml",
                       .format = "ubl",
                       .invoice_number = "123",
                       .issue_date = "2011-09-22",
                       .currency = "CAD",
                       .total = "100.00",
                       .counterparty = "Custom Cotter Pins",
                       .buyer = "North American Veeblefetzer"});
}

TEST(XRechnungTest, UblStandardCase) {
  ExpectSampleReadsAs({.path = "xrechnung/01.01a-INVOICE_ubl.xml",
                       .format = "xrechnung",
                       .invoice_number = "123456XX",
                       .issue_date = "2016-04-04",
                       .currency = "EUR",
                       .total = "336.9",
                       .tax_inclusive_total = "336.9",
                       .counterparty = "[Seller name]",
                       .supplier_tax_ids = {"DE 123456789"},
                       .buyer = "[Buyer name]",
                       .tax_subtotals = {{"S", "7", "314.86", "22.04"}},
                       .bank_account = "DE79000000001234567890"});
}

TEST(XRechnungTest, UblWithDueDate) {
  ExpectSampleReadsAs({.path = "xrechnung/01.07a-INVOICE_ubl.xml",
                       .format = "xrechnung",
                       .invoice_number = "R1234567",
                       .issue_date = "2016-06-30",
                       .due_date = "2016-08-14",
                       .currency = "EUR",
                       .total = "45.22",
                       .tax_inclusive_total = "45.22",
                       .counterparty = "[Seller name]",
                       .supplier_tax_ids = {"DE123456789"},
                       .buyer = "[Buyer name]",
                       .tax_subtotals = {{"S", "19", "38", "7.22"}},
                       .bank_account = "DE79000000001234567890"});
}

TEST(XRechnungTest, UblSelfBilledType389IsInvoice) {
  ExpectSampleReadsAs({.path = "xrechnung/01.20a-INVOICE_ubl.xml",
                       .format = "xrechnung",
                       .invoice_number = "1234567890",
                       .issue_date = "2021-01-25",
                       .due_date = "2021-02-04",
                       .currency = "EUR",
                       .total = "357.00",
                       .tax_inclusive_total = "357.00",
                       .counterparty = "Betriebsstätte",
                       .supplier_tax_ids = {"DE123456789"},
                       .buyer = "Kunde 1",
                       .tax_subtotals = {{"S", "19", "300.00", "57.00"}},
                       .bank_account = "DE79000000001234567890"});
}

TEST(XRechnungTest, UblNotSubjectToVat) {
  ExpectSampleReadsAs({.path = "xrechnung/01.04a-INVOICE_ubl.xml",
                       .format = "xrechnung",
                       .invoice_number = "1234/78/901",
                       .issue_date = "2016-06-16",
                       .currency = "EUR",
                       .total = "120",
                       .tax_inclusive_total = "120",
                       .counterparty = "[Seller name]",
                       .supplier_tax_ids = {"12/345/67890"},
                       .buyer = "[Buyer name]",
                       .tax_subtotals = {{"O", "0", "120", "0"}},
                       .bank_account = "DE79000000001234567890"});
}

}  // namespace
