// UN/CEFACT CII (XRechnung) and hybrid PDFs (Factur-X, ZUGFeRD 1.0/2.x,
// XRechnung in PDF), field by field. Expected values were read from the XML
// (for PDFs: the embedded factur-x.xml / zugferd-invoice.xml /
// ZUGFeRD-invoice.xml / xrechnung.xml, extracted with a separate script).
#include <gtest/gtest.h>

#include "invoice/warning_codes.h"
#include "tests/invoice/reader_test_util.h"

namespace {

using kura_test::ExpectSampleReadsAs;
using kura_test::ReadSample;

const std::vector<invoice::TaxSubtotal> kEinfachSubtotals = {{"S", "7.00", "275.00", "19.25"},
                                                             {"S", "19.00", "198.00", "37.62"}};

TEST(CiiTest, XRechnungCii) {
  ExpectSampleReadsAs({.path = "xrechnung/01.01a-INVOICE_uncefact.xml",
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

TEST(CiiTest, XRechnungCiiWithNegativeZeroRatedLine) {
  ExpectSampleReadsAs(
      {.path = "xrechnung/03.06a-INVOICE_uncefact.xml",
       .format = "xrechnung",
       .invoice_number = "112233",
       .issue_date = "2021-04-23",
       .due_date = "2021-04-28",
       .currency = "EUR",
       .total = "1804.00",
       .tax_inclusive_total = "1804.00",
       .counterparty = "Testverkäufer",
       .supplier_tax_ids = {"1121081508150", "DE12345464867"},
       .buyer = "Testkäufer",
       .tax_subtotals = {{"S", "19.00", "1600.00", "304.00"}, {"Z", "0.00", "-100.00", "0.00"}},
       .bank_account = "DE79000000001234567890"});
}

TEST(HybridPdfTest, Zugferd10Comfort) {
  ExpectSampleReadsAs({.path = "facturx/ZUGFeRD_1p0_COMFORT_Einfach.pdf",
                       .format = "zugferd",
                       .invoice_number = "471102",
                       .issue_date = "2013-03-05",
                       .due_date = "2013-04-04",
                       .currency = "EUR",
                       .total = "529.87",
                       .tax_inclusive_total = "529.87",
                       .counterparty = "Lieferant GmbH",
                       .supplier_tax_ids = {"201/113/40209", "DE123456789"},
                       .buyer = "Kunden AG Mitte",
                       .tax_subtotals = kEinfachSubtotals,
                       .bank_account = "DE08700901001234567890"});
  const auto r = ReadSample("facturx/ZUGFeRD_1p0_COMFORT_Einfach.pdf");
  EXPECT_EQ(r.fields.page_count, 1);
  EXPECT_EQ(r.fields.pdf_info.at("Title"), "ZUGFeRD Beispielrechnung");
  EXPECT_EQ(r.fields.pdf_info.at("Author"), "FeRD AP3");
  EXPECT_EQ(r.fields.pdf_info.at("CreationDate"), "2014-06-24T14:02:08+02:00");
  EXPECT_EQ(r.fields.specification_id, "urn:ferd:CrossIndustryDocument:invoice:1p0:comfort");
}

TEST(HybridPdfTest, FacturX10Minimum) {
  // MINIMUM carries no tax breakdown and no prepaid amount, so the due
  // amount 1453.76 cannot be derived from the grand total 2076.76.
  ExpectSampleReadsAs({.path = "facturx/fx10_Facture_UE_MINIMUM.pdf",
                       .format = "factur-x",
                       .invoice_number = "FA-2017-0008",
                       .issue_date = "2017-11-03",
                       .currency = "EUR",
                       .total = "1453.76",
                       .tax_inclusive_total = "2076.76",
                       .counterparty = "Au bon moulin",
                       .supplier_tax_ids = {"FR11999999998"},
                       .buyer = "Me gusta olive",
                       .warnings = {std::string(invoice::warning_code::kPayableTotalMismatch)}});
  const auto r = ReadSample("facturx/fx10_Facture_UE_MINIMUM.pdf");
  EXPECT_EQ(r.fields.pdf_info.at("Title"), "Au bon moulin: Facture FA-2017-0008 dated 2017-11-03");
}

TEST(HybridPdfTest, FacturXCreditNote381) {
  ExpectSampleReadsAs(
      {.path = "facturx/fx10_Avoir_FR_type381_BASIC.pdf",
       .format = "factur-x",
       .document_type = "credit_note",
       .invoice_number = "AV-2017-0005",
       .issue_date = "2017-11-16",
       .due_date = "2017-11-16",
       .currency = "EUR",
       .total = "233.47",
       .tax_inclusive_total = "233.47",
       .counterparty = "Au bon moulin",
       .supplier_tax_ids = {"FR11999999998"},
       .buyer = "Ma jolie boutique",
       .tax_subtotals = {{"S", "20.00", "20.48", "4.10"}, {"S", "5.50", "198.00", "10.89"}}});
}

TEST(HybridPdfTest, FacturXBasicWlWithPrepaid) {
  ExpectSampleReadsAs(
      {.path = "facturx/fx10_Facture_FR_BASICWL.pdf",
       .format = "factur-x",
       .invoice_number = "FA-2017-0010",
       .issue_date = "2017-11-13",
       .due_date = "2017-12-13",
       .currency = "EUR",
       .total = "470.15",
       .tax_inclusive_total = "671.15",
       .counterparty = "Au bon moulin",
       .supplier_tax_ids = {"FR11999999998"},
       .buyer = "Ma jolie boutique",
       .tax_subtotals = {{"S", "20.00", "81.90", "16.38"}, {"S", "5.50", "543.00", "29.87"}},
       .bank_account = "FR2012421242124212421242124"});
}

TEST(HybridPdfTest, GutschriftIsSelfBilledInvoice389) {
  ExpectSampleReadsAs({.path = "facturx/zf22_EN16931_Gutschrift.pdf",
                       .format = "factur-x",
                       .invoice_number = "471102",
                       .issue_date = "2018-03-05",
                       .currency = "EUR",
                       .total = "529.87",
                       .tax_inclusive_total = "529.87",
                       .counterparty = "Lieferant GmbH",
                       .supplier_tax_ids = {"201/113/40209", "DE123456789"},
                       .buyer = "Kunden AG Mitte",
                       .tax_subtotals = kEinfachSubtotals});
  EXPECT_EQ(ReadSample("facturx/zf22_EN16931_Gutschrift.pdf").fields.page_count, 2);
}

TEST(HybridPdfTest, XRechnungInPdf) {
  ExpectSampleReadsAs({.path = "facturx/zf22_XRECHNUNG_Einfach.pdf",
                       .format = "xrechnung",
                       .invoice_number = "471102",
                       .issue_date = "2018-03-05",
                       .currency = "EUR",
                       .total = "529.87",
                       .tax_inclusive_total = "529.87",
                       .counterparty = "Lieferant GmbH",
                       .supplier_tax_ids = {"201/113/40209", "DE123456789"},
                       .buyer = "Kunden AG Mitte",
                       .tax_subtotals = kEinfachSubtotals,
                       .bank_account = "DE02120300000000202051"});
  EXPECT_EQ(ReadSample("facturx/zf22_XRECHNUNG_Einfach.pdf").fields.page_count, 3);
}

TEST(HybridPdfTest, CorrectionWithNegativeAmounts) {
  ExpectSampleReadsAs(
      {.path = "facturx/zf22_EN16931_Rechnungskorrektur.pdf",
       .format = "factur-x",
       .invoice_number = "RK21012345",
       .issue_date = "2018-09-16",
       .currency = "EUR",
       .total = "-8.79",
       .tax_inclusive_total = "-8.79",
       .counterparty = "MUSTERLIEFERANT GMBH",
       .supplier_tax_ids = {"DE123456789"},
       .buyer = "MUSTER-KUNDE GMBH",
       .tax_subtotals = {{"S", "19.00", "-4.85", "-0.92"}, {"S", "7.00", "-2.82", "-0.20"}}});
}

TEST(HybridPdfTest, Zugferd20Basic) {
  ExpectSampleReadsAs({.path = "facturx/zugferd_2p0_BASIC_Taxifahrt.pdf",
                       .format = "zugferd",
                       .invoice_number = "TX-471102",
                       .issue_date = "2018-10-30",
                       .due_date = "2018-11-29",
                       .currency = "EUR",
                       .total = "18.08",
                       .tax_inclusive_total = "18.08",
                       .counterparty = "Taxiunternehmen TX GmbH",
                       .supplier_tax_ids = {"DE123456789"},
                       .buyer = "Taxi-Gast AG Mitte",
                       .tax_subtotals = {{"S", "7", "16.90", "1.18"}}});
}

TEST(HybridPdfTest, MustangTwoRates) {
  ExpectSampleReadsAs(
      {.path = "facturx/MustangGnuaccountingBeispielRE-20201121_508.pdf",
       .format = "factur-x",
       .invoice_number = "RE-20201121/508",
       .issue_date = "2020-11-21",
       .due_date = "2020-12-12",
       .currency = "EUR",
       .total = "571.04",
       .tax_inclusive_total = "571.04",
       .counterparty = "Bei Spiel GmbH",
       .supplier_tax_ids = {"DE136695976"},
       .buyer = "Theodor Est",
       .tax_subtotals = {{"S", "7.00", "160.00", "11.20"}, {"S", "19.00", "336.00", "63.84"}},
       .bank_account = "DE88200800000970375700"});
}

TEST(HybridPdfTest, PdfA4ForeignCurrencyUsesInvoiceCurrencyTaxTotal) {
  // TaxTotalAmount is stated in GBP (163.16) and EUR (183.14).
  ExpectSampleReadsAs({.path = "facturx/EXTENDED_Fremdwaehrung_wdis_fx-pdfa4.pdf",
                       .format = "factur-x",
                       .invoice_number = "47110815",
                       .issue_date = "2025-12-01",
                       .due_date = "2025-12-31",
                       .currency = "GBP",
                       .total = "521.91",
                       .tax_inclusive_total = "1021.91",
                       .counterparty = "Rohstoff AG Salzgitter",
                       .supplier_tax_ids = {"DE123456788"},
                       .buyer = "Metallbau Leipzig GmbH & Co. KG",
                       .tax_subtotals = {{"S", "19", "858.75", "163.16"}},
                       .bank_account = "DE77 3707 0060 0321 9870 00"});
}

}  // namespace
