// Hostile and broken input: every case ends in a result with a warning,
// never a crash, a hang, a network access or a file read.
#include <cerrno>

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "invoice/fields_json.h"
#include "invoice/invoice_reader.h"
#include "invoice/warning_codes.h"
#include "tests/invoice/pdf_builder.h"
#include "tests/invoice/reader_test_util.h"
#include "tests/fakes/test_util.h"

namespace {

namespace wc = invoice::warning_code;
using kura_test::HasWarning;
using kura_test::ReadReaderData;

std::string Sample(const char* relative) {
  return kura_test::ReadFileOrDie(kura_test::SamplePath(relative));
}

void ExpectUnknownWith(const invoice::ReadResult& r, std::string_view code) {
  EXPECT_EQ(r.fields.format, "unknown");
  EXPECT_TRUE(r.fields.needs_metadata);
  EXPECT_TRUE(HasWarning(r, code)) << invoice::WarningsToJson(r.warnings).dump();
}

void ExpectPdfWith(const invoice::ReadResult& r, std::string_view code) {
  EXPECT_EQ(r.fields.format, "pdf");
  EXPECT_TRUE(r.fields.needs_metadata);
  EXPECT_TRUE(HasWarning(r, code)) << invoice::WarningsToJson(r.warnings).dump();
}

// A listening socket on 127.0.0.1 that records whether anyone connected.
class LoopbackProbe {
 public:
  LoopbackProbe() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd_, 4) != 0) {
      ADD_FAILURE() << "cannot listen on loopback";
      return;
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    ::fcntl(fd_, F_SETFL, O_NONBLOCK);
  }
  ~LoopbackProbe() {
    if (fd_ >= 0) ::close(fd_);
  }
  int port() const { return port_; }
  bool SomeoneConnected() const {
    const int c = ::accept(fd_, nullptr, nullptr);
    if (c >= 0) {
      ::close(c);
      return true;
    }
    return !(errno == EAGAIN || errno == EWOULDBLOCK);
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

std::string PointAt(std::string xml, int port) {
  const std::string from = "127.0.0.1:9/";
  const size_t at = xml.find(from);
  EXPECT_NE(at, std::string::npos);
  return xml.replace(at, from.size(), "127.0.0.1:" + std::to_string(port) + "/");
}

TEST(BadXmlTest, MalformedXml) {
  const auto r = invoice::ReadInvoice(ReadReaderData("malformed.xml"));
  ExpectUnknownWith(r, wc::kXmlMalformed);
  EXPECT_NE(r.warnings[0].message.find("行目"), std::string::npos);
}

TEST(BadXmlTest, UndeclaredEntityIsMalformed) {
  ExpectUnknownWith(invoice::ReadInvoice(ReadReaderData("undeclared_entity.xml")),
                    wc::kXmlMalformed);
}

TEST(BadXmlTest, XxeFileEntityIsRefusedAndNothingIsRead) {
  const auto r = invoice::ReadInvoice(ReadReaderData("xxe_file.xml"));
  ExpectUnknownWith(r, wc::kXmlDoctypeForbidden);
  EXPECT_EQ(invoice::ReadResultToJson(r).dump().find("root:"), std::string::npos);
  EXPECT_TRUE(r.fields.invoice_number.empty());
}

TEST(BadXmlTest, XxeHttpEntityIsRefusedAndNothingIsFetched) {
  LoopbackProbe probe;
  const auto r = invoice::ReadInvoice(PointAt(ReadReaderData("xxe_http.xml"), probe.port()));
  ExpectUnknownWith(r, wc::kXmlDoctypeForbidden);
  EXPECT_FALSE(probe.SomeoneConnected());
}

TEST(BadXmlTest, ExternalParameterEntityIsRefusedAndNothingIsFetched) {
  LoopbackProbe probe;
  const auto r =
      invoice::ReadInvoice(PointAt(ReadReaderData("xxe_parameter_entity.xml"), probe.port()));
  ExpectUnknownWith(r, wc::kXmlDoctypeForbidden);
  EXPECT_FALSE(probe.SomeoneConnected());
}

TEST(BadXmlTest, ExternalDtdIsRefused) {
  ExpectUnknownWith(invoice::ReadInvoice(ReadReaderData("external_dtd.xml")),
                    wc::kXmlDoctypeForbidden);
}

TEST(BadXmlTest, BillionLaughsIsRefused) {
  const auto r = invoice::ReadInvoice(ReadReaderData("billion_laughs.xml"));
  ExpectUnknownWith(r, wc::kXmlDoctypeForbidden);
  EXPECT_LT(invoice::ReadResultToJson(r).dump().size(), 2000u);
}

TEST(BadXmlTest, DoctypeWithoutDeclarationsIsAccepted) {
  const auto r = invoice::ReadInvoice(ReadReaderData("harmless_doctype.xml"));
  EXPECT_EQ(r.fields.format, "ubl");
  EXPECT_EQ(r.fields.invoice_number, "DOCTYPE-OK-1");
}

TEST(BadXmlTest, DeepNestingIsCapped) {
  std::string xml = "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\">";
  for (int i = 0; i < 100000; ++i) xml += "<a>";
  for (int i = 0; i < 100000; ++i) xml += "</a>";
  xml += "</Invoice>";
  ExpectUnknownWith(invoice::ReadInvoice(xml), wc::kXmlTooDeep);
}

TEST(BadXmlTest, DepthLimitIsConfigurable) {
  invoice::ReadLimits limits;
  limits.max_xml_depth = 3;  // JP PINT paths are deeper
  ExpectUnknownWith(invoice::ReadInvoice(
                        Sample("jp-pint/pint-jp-1.1.3/Japan_PINT_Invoice_UBL_Example.xml"), limits),
                    wc::kXmlTooDeep);
}

TEST(BadXmlTest, NodeCountIsCapped) {
  invoice::ReadLimits limits;
  limits.max_xml_nodes = 100;
  ExpectUnknownWith(invoice::ReadInvoice(
                        Sample("jp-pint/pint-jp-1.1.3/Japan_PINT_Invoice_UBL_Example.xml"), limits),
                    wc::kXmlTooManyNodes);
  // Attributes count too: one element with 10,000 attributes.
  std::string xml = "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"";
  for (int i = 0; i < 10000; ++i) xml += " a" + std::to_string(i) + "=\"\"";
  xml += "/>";
  limits.max_xml_nodes = 1000;
  ExpectUnknownWith(invoice::ReadInvoice(xml, limits), wc::kXmlTooManyNodes);
}

TEST(BadXmlTest, HugeInputIsNotParsed) {
  const std::string huge = "<x>" + std::string((size_t{100} << 20) + 1, ' ') + "</x>";
  ExpectUnknownWith(invoice::ReadInvoice(huge), wc::kInputTooLarge);
  invoice::ReadLimits limits;
  limits.max_bytes = 1000;
  ExpectUnknownWith(invoice::ReadInvoice(
                        Sample("jp-pint/pint-jp-1.1.3/Japan_PINT_Invoice_UBL_Example.xml"), limits),
                    wc::kInputTooLarge);
}

TEST(BadXmlTest, TimeLimitStopsTheParser) {
  std::string xml = "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\">";
  for (int i = 0; i < 50000; ++i) xml += "<!--c-->";
  xml += "</Invoice>";
  invoice::ReadLimits limits;
  limits.max_time = std::chrono::milliseconds(0);
  ExpectUnknownWith(invoice::ReadInvoice(xml, limits), wc::kTimeLimitExceeded);
}

TEST(BadXmlTest, InvalidUtf8IsMalformedNotPassedThrough) {
  const std::string xml =
      "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\" "
      "xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\">"
      "<cbc:ID>\xFF\xFE</cbc:ID></Invoice>";
  const auto r = invoice::ReadInvoice(xml);
  EXPECT_EQ(r.fields.format, "unknown");
  EXPECT_NO_THROW((void)invoice::ReadResultToJson(r).dump());
}

TEST(BadPdfTest, TruncatedPdfAtManyPoints) {
  const std::string pdf = Sample("facturx/zf22_EN16931_Einfach.pdf");
  for (const size_t keep : {size_t{6}, size_t{100}, pdf.size() / 10, pdf.size() / 2,
                            pdf.size() * 9 / 10, pdf.size() - 40}) {
    SCOPED_TRACE(keep);
    const auto r = invoice::ReadInvoice(pdf.substr(0, keep));
    EXPECT_EQ(r.fields.format, "pdf");
    EXPECT_TRUE(r.fields.needs_metadata);
    EXPECT_FALSE(r.warnings.empty());
    EXPECT_NO_THROW((void)invoice::ReadResultToJson(r).dump());
  }
  ExpectPdfWith(invoice::ReadInvoice(pdf.substr(0, pdf.size() / 2)), wc::kPdfMalformed);
}

TEST(BadPdfTest, EncryptedPdfs) {
  ExpectPdfWith(invoice::ReadInvoice(ReadReaderData("encrypted_user_password.pdf")),
                wc::kPdfEncrypted);
  ExpectPdfWith(invoice::ReadInvoice(ReadReaderData("encrypted_empty_password.pdf")),
                wc::kPdfEncrypted);
}

TEST(BadPdfTest, ObjectStreamBombIsRefusedBeforeLoading) {
  const auto r = invoice::ReadInvoice(ReadReaderData("objstm_bomb.pdf"));
  ExpectPdfWith(r, wc::kPdfTooComplex);
}

TEST(BadPdfTest, LegitimateObjectStreamsPassTheBombGuard) {
  const auto r = invoice::ReadInvoice(ReadReaderData("object_streams_hybrid.pdf"));
  EXPECT_EQ(r.fields.format, "factur-x");
  EXPECT_EQ(r.fields.invoice_number, "KURA-OS-1");
  EXPECT_EQ(r.fields.total, "119.00");
  EXPECT_EQ(r.fields.page_count, 1);
}

TEST(BadPdfTest, TooManyObjectsDeclared) {
  kura_test::PdfBuilder b;
  b.set_root(b.Add("<< /Type /Catalog /Pages 2 0 R >>"));
  b.Add("<< /Type /Pages /Kids [] /Count 0 >>");
  std::string pdf = b.Build();
  const size_t at = pdf.find("/Size 3");
  ASSERT_NE(at, std::string::npos);
  pdf.replace(at, 7, "/Size 2000000000");
  ExpectPdfWith(invoice::ReadInvoice(pdf), wc::kPdfTooComplex);
}

TEST(BadPdfTest, DeeplyNestedArraysDoNotCrash) {
  kura_test::PdfBuilder b;
  b.set_root(b.Add("<< /Type /Catalog /Pages 2 0 R /Deep 3 0 R >>"));
  b.Add("<< /Type /Pages /Kids [] /Count 0 >>");
  b.Add(std::string(100000, '[') + std::string(100000, ']'));
  const auto r = invoice::ReadInvoice(b.Build());
  EXPECT_EQ(r.fields.format, "pdf");
  EXPECT_TRUE(r.fields.needs_metadata);
}

TEST(BadPdfTest, CyclicNameTreeTerminates) {
  kura_test::PdfBuilder b;
  b.set_root(b.Add("<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 3 0 R >> >>"));
  b.Add("<< /Type /Pages /Kids [] /Count 0 >>");
  b.Add("<< /Kids [3 0 R 4 0 R] >>");
  b.Add("<< /Kids [3 0 R 4 0 R] >>");
  const auto r = invoice::ReadInvoice(b.Build());
  ExpectPdfWith(r, wc::kPdfNeedsMetadata);
}

TEST(BadPdfTest, AttachmentThatIsNotXml) {
  kura_test::HybridPdfSpec spec;
  spec.attachment = std::string("%PDF-1.4\n\x00\xFF\xFE binary", 20);
  const auto r = invoice::ReadInvoice(kura_test::MakeHybridPdf(spec));
  ExpectPdfWith(r, wc::kPdfAttachmentUnreadable);
  EXPECT_EQ(r.fields.page_count, 1);
}

TEST(BadPdfTest, AttachmentThatIsOtherXml) {
  kura_test::HybridPdfSpec spec;
  spec.attachment = "<html><body>invoice</body></html>";
  const auto r = invoice::ReadInvoice(kura_test::MakeHybridPdf(spec));
  ExpectPdfWith(r, wc::kPdfAttachmentUnreadable);
  EXPECT_TRUE(HasWarning(r, wc::kXmlUnsupportedDocument));
}

TEST(BadPdfTest, AttachmentWithXxeIsRefused) {
  kura_test::HybridPdfSpec spec;
  spec.attachment = ReadReaderData("xxe_file.xml");
  const auto r = invoice::ReadInvoice(kura_test::MakeHybridPdf(spec));
  ExpectPdfWith(r, wc::kPdfAttachmentUnreadable);
  EXPECT_TRUE(HasWarning(r, wc::kXmlDoctypeForbidden));
}

TEST(BadPdfTest, AttachmentDecompressionBombIsCapped) {
  kura_test::HybridPdfSpec spec;
  spec.attachment = std::string(size_t{16} << 20, '\0');  // deflates to ~16 KB
  invoice::ReadLimits limits;
  limits.max_pdf_decoded_bytes = size_t{1} << 20;
  const auto r = invoice::ReadInvoice(kura_test::MakeHybridPdf(spec), limits);
  ExpectPdfWith(r, wc::kPdfAttachmentUnreadable);
}

TEST(BadPdfTest, GarbageAfterMagic) {
  ExpectPdfWith(invoice::ReadInvoice("%PDF-1.7\n" + std::string(5000, '\x01')), wc::kPdfMalformed);
}

}  // namespace
