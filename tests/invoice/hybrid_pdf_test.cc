// Hybrid PDFs built here: where the attachment is found, how the format is
// named, and the PDF-versus-XML checks.
#include <gtest/gtest.h>

#include "invoice/invoice_reader.h"
#include "invoice/warning_codes.h"
#include "tests/invoice/pdf_builder.h"
#include "tests/invoice/reader_test_util.h"
#include "tests/fakes/test_util.h"

namespace {

namespace wc = invoice::warning_code;
using kura_test::HasWarning;
using kura_test::HybridPdfSpec;
using kura_test::MakeHybridPdf;

std::string Cii(const std::string& number,
                const std::string& guideline = "urn:cen.eu:en16931:2017") {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
<rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>)" +
         guideline +
         R"(</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>
<rsm:ExchangedDocument><ram:ID>)" +
         number +
         R"(</ram:ID><ram:TypeCode>380</ram:TypeCode><ram:IssueDateTime><udt:DateTimeString format="102">20240131</udt:DateTimeString></ram:IssueDateTime></rsm:ExchangedDocument>
<rsm:SupplyChainTradeTransaction>
<ram:ApplicableHeaderTradeAgreement><ram:SellerTradeParty><ram:Name>Kura Test GmbH</ram:Name></ram:SellerTradeParty><ram:BuyerTradeParty><ram:Name>City</ram:Name></ram:BuyerTradeParty></ram:ApplicableHeaderTradeAgreement>
<ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
<ram:ApplicableTradeTax><ram:CalculatedAmount>19.00</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode><ram:BasisAmount>100.00</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>19</ram:RateApplicablePercent></ram:ApplicableTradeTax>
<ram:SpecifiedTradeSettlementHeaderMonetarySummation><ram:TaxBasisTotalAmount>100.00</ram:TaxBasisTotalAmount><ram:TaxTotalAmount currencyID="EUR">19.00</ram:TaxTotalAmount><ram:GrandTotalAmount>119.00</ram:GrandTotalAmount><ram:DuePayableAmount>119.00</ram:DuePayableAmount></ram:SpecifiedTradeSettlementHeaderMonetarySummation>
</ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction></rsm:CrossIndustryInvoice>
)";
}

std::string Xmp(const std::string& ns, const std::string& file_name) {
  return R"(<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:fx=")" +
         ns + R"("><fx:DocumentType>INVOICE</fx:DocumentType><fx:DocumentFileName>)" + file_name +
         R"(</fx:DocumentFileName><fx:Version>1.0</fx:Version><fx:ConformanceLevel>EN 16931</fx:ConformanceLevel></rdf:Description>
</rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>)";
}

constexpr char kFacturXNs[] = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#";
constexpr char kZugferdNs[] = "urn:zugferd:pdfa:CrossIndustryDocument:invoice:2p0#";

TEST(HybridPdfBuildTest, FacturXAttachmentIsRead) {
  HybridPdfSpec spec;
  spec.attachment = Cii("KURA-1");
  spec.pages = 3;
  spec.title = "Invoice KURA-1";
  spec.xmp = Xmp(kFacturXNs, "factur-x.xml");
  const auto r = invoice::ReadInvoice(MakeHybridPdf(spec));
  EXPECT_EQ(r.fields.format, "factur-x");
  EXPECT_EQ(r.fields.invoice_number, "KURA-1");
  EXPECT_EQ(r.fields.issue_date, "2024-01-31");
  EXPECT_EQ(r.fields.total, "119.00");
  EXPECT_EQ(r.fields.page_count, 3);
  EXPECT_EQ(r.fields.pdf_info.at("Title"), "Invoice KURA-1");
  EXPECT_FALSE(r.fields.needs_metadata);
  EXPECT_TRUE(r.warnings.empty()) << ::testing::PrintToString(kura_test::WarningCodes(r));
}

TEST(HybridPdfBuildTest, AttachmentOnlyInAfOrOnlyInNameTree) {
  HybridPdfSpec spec;
  spec.attachment = Cii("KURA-AF");
  spec.in_name_tree = false;
  EXPECT_EQ(invoice::ReadInvoice(MakeHybridPdf(spec)).fields.invoice_number, "KURA-AF");
  spec.in_name_tree = true;
  spec.in_af = false;
  spec.compress = false;
  EXPECT_EQ(invoice::ReadInvoice(MakeHybridPdf(spec)).fields.invoice_number, "KURA-AF");
}

TEST(HybridPdfBuildTest, AttachmentNamesAreCaseInsensitive) {
  HybridPdfSpec spec;
  spec.attachment = Cii("KURA-2");
  spec.attachment_name = "ZUGFeRD-invoice.xml";
  EXPECT_EQ(invoice::ReadInvoice(MakeHybridPdf(spec)).fields.format, "zugferd");
  spec.attachment_name = "XRechnung.XML";
  EXPECT_EQ(invoice::ReadInvoice(MakeHybridPdf(spec)).fields.format, "xrechnung");
  spec.attachment_name = "Factur-X.xml";
  EXPECT_EQ(invoice::ReadInvoice(MakeHybridPdf(spec)).fields.format, "factur-x");
}

TEST(HybridPdfBuildTest, OtherAttachmentNamesAreIgnored) {
  HybridPdfSpec spec;
  spec.attachment = Cii("KURA-3");
  spec.attachment_name = "invoice-data.xml";
  const auto r = invoice::ReadInvoice(MakeHybridPdf(spec));
  EXPECT_EQ(r.fields.format, "pdf");
  EXPECT_TRUE(r.fields.needs_metadata);
  EXPECT_TRUE(HasWarning(r, wc::kPdfNeedsMetadata));
}

TEST(HybridPdfBuildTest, ZugferdXmpNamesZugferd) {
  HybridPdfSpec spec;
  spec.attachment = Cii("KURA-4");
  spec.xmp = Xmp(kZugferdNs, "factur-x.xml");
  EXPECT_EQ(invoice::ReadInvoice(MakeHybridPdf(spec)).fields.format, "zugferd");
}

TEST(HybridPdfBuildTest, XRechnungGuidelineNamesXRechnung) {
  HybridPdfSpec spec;
  spec.attachment =
      Cii("KURA-5", "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0");
  EXPECT_EQ(invoice::ReadInvoice(MakeHybridPdf(spec)).fields.format, "xrechnung");
}

TEST(HybridPdfBuildTest, TitleWithAnotherInvoiceNumberWarns) {
  HybridPdfSpec spec;
  spec.attachment = Cii("FA-2024-0001");
  spec.title = "Facture FA-2024-0999 du 31/01/2024";
  const auto r = invoice::ReadInvoice(MakeHybridPdf(spec));
  EXPECT_EQ(r.fields.invoice_number, "FA-2024-0001");
  ASSERT_TRUE(HasWarning(r, wc::kPdfXmlMismatch));
  EXPECT_NE(r.warnings[0].message.find("FA-2024-0999"), std::string::npos);
}

TEST(HybridPdfBuildTest, TitleWithoutNumberIsNotCompared) {
  HybridPdfSpec spec;
  spec.attachment = Cii("FA-2024-0001");
  spec.title = "ZUGFeRD Beispielrechnung";
  EXPECT_TRUE(invoice::ReadInvoice(MakeHybridPdf(spec)).warnings.empty());
}

TEST(HybridPdfBuildTest, XmpNamingAnotherAttachmentWarns) {
  HybridPdfSpec spec;
  spec.attachment = Cii("KURA-6");
  spec.attachment_name = "xrechnung.xml";
  spec.xmp = Xmp(kFacturXNs, "factur-x.xml");
  const auto r = invoice::ReadInvoice(MakeHybridPdf(spec));
  EXPECT_EQ(r.fields.invoice_number, "KURA-6");
  EXPECT_TRUE(HasWarning(r, wc::kPdfXmlMismatch));
}

TEST(HybridPdfBuildTest, JpPintUblEmbeddedKeepsItsFormat) {
  HybridPdfSpec spec;
  spec.attachment = kura_test::ReadFileOrDie(
      kura_test::SamplePath("jp-pint/pint-jp-1.1.3/Japan_PINT_Invoice_UBL_Example.xml"));
  const auto r = invoice::ReadInvoice(MakeHybridPdf(spec));
  EXPECT_EQ(r.fields.format, "jp-pint");
  EXPECT_EQ(r.fields.invoice_number, "156");
  EXPECT_EQ(r.fields.page_count, 1);
}

TEST(PlainPdfTest, PdfWithoutInvoiceDataNeedsMetadata) {
  kura_test::PdfBuilder b;
  b.set_root(b.Add("<< /Type /Catalog /Pages 2 0 R >>"));
  b.Add("<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>");
  b.Add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>");
  b.Add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>");
  b.set_info(
      b.Add("<< /Title (\xFE\xFF\x8A\xCB\x6C\x42\x66\xF8) /Author (Scanner) "
            "/CreationDate (D:20240131093000+09'00') >>"));
  const auto r = invoice::ReadInvoice(b.Build());
  EXPECT_EQ(r.fields.format, "pdf");
  EXPECT_TRUE(r.fields.needs_metadata);
  EXPECT_EQ(r.fields.page_count, 2);
  EXPECT_EQ(r.fields.pdf_info.at("Title"), "請求書");  // UTF-16BE in the PDF
  EXPECT_EQ(r.fields.pdf_info.at("Author"), "Scanner");
  EXPECT_EQ(r.fields.pdf_info.at("CreationDate"), "2024-01-31T09:30:00+09:00");
  EXPECT_EQ(kura_test::WarningCodes(r),
            std::vector<std::string>{std::string(wc::kPdfNeedsMetadata)});
}

}  // namespace
