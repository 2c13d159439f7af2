#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <podofo/podofo.h>
#include <unistd.h>

#include "corpus/corpus.h"
#include "tests/fakes/japanese_message.h"
#include "tests/fakes/test_util.h"

namespace corpus {
namespace {

constexpr char kFont[] =
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf";

bool HaveFont() { return ::access(kFont, R_OK) == 0; }

bool HavePdftotext() {
  std::string out;
  return kura_test::RunCommand(
             "command -v pdftotext >/dev/null 2>&1 && echo yes", &out) == 0 &&
         out.find("yes") != std::string::npos;
}

// The first invoice of a corpus that has lines at both 10% and 8% (軽減).
Invoice MixedRateInvoice() {
  Options o;
  o.target_xml_bytes = 6000;
  Generator g(o);
  while (true) {
    Invoice inv = g.Next();
    if (inv.tax_subtotals.size() == 2 && inv.tax_subtotals[1].reduced) {
      return inv;
    }
  }
}

struct PdfFacts {
  int pages = -1;
  std::string title;
};

PdfFacts OpenWithPoDoFo(const std::string& pdf) {
  PdfFacts facts;
  try {
    PoDoFo::PdfMemDocument doc;
    doc.LoadFromBuffer(pdf.data(), static_cast<long>(pdf.size()));
    facts.pages = doc.GetPageCount();
    facts.title = doc.GetInfo()->GetTitle().GetStringUtf8();
  } catch (const PoDoFo::PdfError& e) {
    ADD_FAILURE() << "PoDoFo cannot open the PDF: " << e.what();
  }
  return facts;
}

std::string PdfToText(const std::string& pdf) {
  kura_test::TempDir dir;
  const std::string path = dir.Join("invoice.pdf");
  kura_test::WriteFileOrDie(path, pdf);
  std::string text;
  EXPECT_EQ(kura_test::RunCommand("pdftotext -enc UTF-8 " + path + " -", &text),
            0);
  return text;
}

TEST(PdfWriterTest, OpensWithPoDoFoWithTitle) {
  if (!HaveFont()) GTEST_SKIP() << "fonts-ipaexfont not installed";
  const Invoice inv = MixedRateInvoice();
  const auto pdf = RenderPdf(inv);
  ASSERT_OK(pdf);
  EXPECT_TRUE(pdf->starts_with("%PDF-"));
  const PdfFacts facts = OpenWithPoDoFo(*pdf);
  EXPECT_GE(facts.pages, 1);
  EXPECT_EQ(facts.title, inv.id);
}

TEST(PdfWriterTest, IsByteForByteDeterministic) {
  if (!HaveFont()) GTEST_SKIP() << "fonts-ipaexfont not installed";
  Options o;
  o.target_xml_bytes = 4000;
  Generator a(o), b(o);
  for (int i = 0; i < 3; ++i) {
    const auto x = RenderPdf(a.Next());
    const auto y = RenderPdf(b.Next());
    ASSERT_OK(x);
    ASSERT_OK(y);
    EXPECT_EQ(*x, *y);
  }
  Options other = o;
  other.seed = 2;
  const auto x = RenderPdf(Generator(o).Next());
  const auto y = RenderPdf(Generator(other).Next());
  ASSERT_OK(x);
  ASSERT_OK(y);
  EXPECT_NE(*x, *y);
}

TEST(PdfWriterTest, FileIdDiffersWhenOnlyTheLinesDiffer) {
  if (!HaveFont()) GTEST_SKIP() << "fonts-ipaexfont not installed";
  // Same seed, so same number, vendor and dates; different lines.
  Options few, many;
  few.target_xml_bytes = 0;
  many.target_xml_bytes = 20000;
  const auto x = RenderPdf(Generator(few).Next());
  const auto y = RenderPdf(Generator(many).Next());
  ASSERT_OK(x);
  ASSERT_OK(y);
  const auto id = [](const std::string& pdf) {
    const size_t at = pdf.rfind("/ID[");
    return at == std::string::npos ? std::string() : pdf.substr(at, 70);
  };
  ASSERT_FALSE(id(*x).empty());
  EXPECT_NE(id(*x), id(*y));
}

TEST(PdfWriterTest, CreationDateComesFromTheIssueDate) {
  if (!HaveFont()) GTEST_SKIP() << "fonts-ipaexfont not installed";
  Invoice inv = Generator(Options{}).Next();
  inv.issue_date = base::Date(2025, 11, 4);
  const auto pdf = RenderPdf(inv);
  ASSERT_OK(pdf);
  EXPECT_NE(pdf->find("/CreationDate(D:20251104090000+09'00')"),
            std::string::npos);
}

TEST(PdfWriterTest, TextIsExtractableJapanese) {
  if (!HaveFont()) GTEST_SKIP() << "fonts-ipaexfont not installed";
  if (!HavePdftotext()) {
    GTEST_SKIP() << "pdftotext (poppler-utils) not installed";
  }
  const Invoice inv = MixedRateInvoice();
  const auto pdf = RenderPdf(inv);
  ASSERT_OK(pdf);
  const std::string text = PdfToText(*pdf);
  EXPECT_NE(text.find("請求書"), std::string::npos) << text;
  EXPECT_NE(text.find(inv.vendor.name_on_invoice), std::string::npos) << text;
  EXPECT_NE(text.find(inv.vendor.registration_number), std::string::npos);
  EXPECT_NE(text.find(inv.id), std::string::npos);
  EXPECT_NE(text.find("蔵前市"), std::string::npos);
  EXPECT_NE(text.find("10%対象"), std::string::npos);
  EXPECT_NE(text.find("8%対象 ※軽減税率"), std::string::npos);
  EXPECT_NE(text.find(inv.lines[0].description), std::string::npos);
  // The total with thousands separators, e.g. ¥1,234,567.
  std::string digits = inv.payable_amount.ToString(), grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(digits[i]);
  }
  EXPECT_NE(text.find("¥" + grouped), std::string::npos) << grouped;
}

TEST(PdfWriterTest, ManyLinesMakeSeveralPages) {
  if (!HaveFont()) GTEST_SKIP() << "fonts-ipaexfont not installed";
  Options o;
  o.target_xml_bytes = 100000;  // ~120 lines
  const Invoice inv = Generator(o).Next();
  ASSERT_GT(inv.lines.size(), 100u);
  const auto pdf = RenderPdf(inv);
  ASSERT_OK(pdf);
  EXPECT_GE(OpenWithPoDoFo(*pdf).pages, 3);
  if (HavePdftotext()) {
    const std::string text = PdfToText(*pdf);
    EXPECT_NE(text.find(inv.lines.back().description), std::string::npos);
    EXPECT_NE(text.find("請求書（続き）"), std::string::npos);
  }
}

TEST(PdfWriterTest, ConcurrentRenderingGivesTheSameBytes) {
  if (!HaveFont()) GTEST_SKIP() << "fonts-ipaexfont not installed";
  Options o;
  o.target_xml_bytes = 3000;
  Generator g(o);
  std::vector<Invoice> invoices;
  for (int i = 0; i < 8; ++i) invoices.push_back(g.Next());
  std::vector<std::string> serial, parallel(invoices.size());
  for (const Invoice& inv : invoices) serial.push_back(RenderPdf(inv).value());
  std::vector<std::thread> threads;
  for (size_t t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = t; i < invoices.size(); i += 2) {
        const auto pdf = RenderPdf(invoices[i]);
        if (pdf.ok()) parallel[i] = *pdf;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(serial, parallel);
}

TEST(PdfWriterTest, MissingFontIsNotFound) {
  PdfOptions options;
  options.font_file = "/nonexistent/font.ttf";
  const auto pdf = RenderPdf(Generator(Options{}).Next(), options);
  ASSERT_FALSE(pdf.ok());
  EXPECT_TRUE(pdf.status().IsNotFound()) << pdf.status().ToString();
  EXPECT_EQ(pdf.status().message(),
            "PDF の請求書を作るためのフォント /nonexistent/font.ttf が見つかりません"
            "（fonts-ipaexfont-gothic などの日本語フォントをインストールしてください）");
  EXPECT_TRUE(kura_test::IsJapaneseError(pdf));
}

TEST(PdfWriterTest, FontThatIsNotAFontIsAnError) {
  kura_test::TempDir dir;
  const std::string path = dir.Join("bogus.ttf");
  kura_test::WriteFileOrDie(path, "this is not a font");
  PdfOptions options;
  options.font_file = path;
  const auto pdf = RenderPdf(Generator(Options{}).Next(), options);
  EXPECT_FALSE(pdf.ok());
  EXPECT_TRUE(kura_test::IsJapaneseError(pdf));
}

}  // namespace
}  // namespace corpus
