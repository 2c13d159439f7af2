// The format comes from the bytes, never from a file name: ReadInvoice only
// ever sees bytes, and these tests pin down how the bytes are sniffed.
#include <gtest/gtest.h>

#include "invoice/invoice_reader.h"
#include "invoice/warning_codes.h"
#include "tests/invoice/reader_test_util.h"
#include "tests/fakes/test_util.h"

namespace {

using kura_test::HasWarning;

const char kJpPint[] = "jp-pint/pint-jp-1.1.3/Japan_PINT_Invoice_UBL_Example.xml";
const char kFacturX[] = "facturx/fx10_Facture_FR_BASICWL.pdf";

std::string Sample(const char* relative) {
  return kura_test::ReadFileOrDie(kura_test::SamplePath(relative));
}

TEST(SniffingTest, XmlSavedUnderAPdfNameIsStillJpPint) {
  kura_test::TempDir dir;
  const std::string misnamed = dir.Join("invoice.pdf");
  kura_test::WriteFileOrDie(misnamed, Sample(kJpPint));
  const auto r = invoice::ReadInvoice(kura_test::ReadFileOrDie(misnamed));
  EXPECT_EQ(r.fields.format, "jp-pint");
  EXPECT_EQ(r.fields.invoice_number, "156");
}

TEST(SniffingTest, PdfSavedUnderAnXmlNameIsStillAPdf) {
  kura_test::TempDir dir;
  const std::string misnamed = dir.Join("factur-x.xml");
  kura_test::WriteFileOrDie(misnamed, Sample(kFacturX));
  EXPECT_EQ(invoice::ReadInvoice(kura_test::ReadFileOrDie(misnamed)).fields.format, "factur-x");
}

TEST(SniffingTest, PdfWithoutMagicIsNotAPdf) {
  std::string bytes = Sample(kFacturX);
  ASSERT_EQ(bytes.substr(0, 5), "%PDF-");
  bytes[3] = 'X';  // %PDX-
  const auto r = invoice::ReadInvoice(bytes);
  EXPECT_EQ(r.fields.format, "unknown");
  EXPECT_TRUE(HasWarning(r, invoice::warning_code::kUnrecognizedFormat));
}

TEST(SniffingTest, LeadingJunkUpToOneKibibyteIsAllowed) {
  const std::string pdf = Sample(kFacturX);
  const auto ok = invoice::ReadInvoice(std::string(1024, 'j') + pdf);
  EXPECT_EQ(ok.fields.format, "factur-x");
  EXPECT_EQ(ok.fields.invoice_number, "FA-2017-0010");
  const auto too_far = invoice::ReadInvoice(std::string(1025, 'j') + pdf);
  EXPECT_EQ(too_far.fields.format, "unknown");
}

TEST(SniffingTest, XmlWithBomAndLeadingWhitespace) {
  const auto r = invoice::ReadInvoice("\xEF\xBB\xBF\n  " + Sample(kJpPint).substr(39));
  EXPECT_EQ(r.fields.format, "jp-pint");
}

TEST(SniffingTest, XmlBehindPdfMagicIsReadAsPdf) {
  // Content decides: PDF magic means PDF, and this is a broken one.
  const auto r = invoice::ReadInvoice("%PDF-1.7\n" + Sample(kJpPint));
  EXPECT_EQ(r.fields.format, "pdf");
  EXPECT_TRUE(r.fields.needs_metadata);
  EXPECT_TRUE(HasWarning(r, invoice::warning_code::kPdfMalformed));
}

TEST(SniffingTest, PlainTextIsUnrecognized) {
  const auto r = invoice::ReadInvoice(kura_test::ReadReaderData("not_invoice.txt"));
  EXPECT_EQ(r.fields.format, "unknown");
  EXPECT_TRUE(HasWarning(r, invoice::warning_code::kUnrecognizedFormat));
}

TEST(SniffingTest, NonInvoiceUblIsUnsupported) {
  const auto r = invoice::ReadInvoice(kura_test::ReadReaderData("ubl_order.xml"));
  EXPECT_EQ(r.fields.format, "unknown");
  ASSERT_TRUE(HasWarning(r, invoice::warning_code::kXmlUnsupportedDocument));
  EXPECT_NE(r.warnings[0].message.find("Order"), std::string::npos);
}

TEST(SniffingTest, EmptyInput) {
  const auto r = invoice::ReadInvoice("");
  EXPECT_EQ(r.fields.format, "unknown");
  EXPECT_TRUE(HasWarning(r, invoice::warning_code::kEmptyInput));
}

}  // namespace
