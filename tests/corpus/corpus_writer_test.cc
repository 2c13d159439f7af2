#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "corpus/corpus.h"
#include "tests/fakes/fake_file_system.h"
#include "tests/fakes/test_util.h"

namespace corpus {
namespace {

Options SmallCorpus(int count) {
  Options o;
  o.count = count;
  o.target_xml_bytes = 4000;
  return o;
}

TEST(CorpusWriterTest, FileNamesAreNumbered) {
  EXPECT_EQ(CorpusFileName(1, Format::kJpPint), "invoice-000001.xml");
  EXPECT_EQ(CorpusFileName(123456, Format::kPdf), "invoice-123456.pdf");
}

TEST(CorpusWriterTest, WritesExactlyNFilesMatchingTheGenerator) {
  kura_test::FakeFileSystem fs;
  const Options o = SmallCorpus(20);
  std::vector<std::pair<int, int>> calls;
  ASSERT_OK(WriteCorpus(o, &fs, "/corpus", [&](int done, int total) {
    calls.emplace_back(done, total);
  }));
  const auto names = fs.ListDir("/corpus");
  ASSERT_OK(names);
  ASSERT_EQ(names->size(), 20u);

  Generator g(o);
  int pdfs = 0;
  for (int n = 1; n <= 20; ++n) {
    const Invoice inv = g.Next();
    const std::string name = CorpusFileName(n, inv.format);
    EXPECT_EQ((*names)[n - 1], name);
    const std::string data = fs.Contents("/corpus/" + name);
    if (inv.format == Format::kPdf) {
      ++pdfs;
      const auto pdf = RenderPdf(inv);
      ASSERT_OK(pdf);
      EXPECT_EQ(data, *pdf) << name;
    } else {
      EXPECT_EQ(data, RenderJpPint(inv)) << name;
    }
  }
  EXPECT_GT(pdfs, 0);
  EXPECT_LT(pdfs, 20);

  ASSERT_EQ(calls.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(calls[i], std::make_pair(i + 1, 20));
}

TEST(CorpusWriterTest, CorpusIsDurableWhenItReturns) {
  kura_test::FakeFileSystem fs;
  ASSERT_OK(WriteCorpus(SmallCorpus(5), &fs, "/c", nullptr));
  fs.DropUnsyncedData();
  const auto names = fs.ListDir("/c");
  ASSERT_OK(names);
  EXPECT_EQ(names->size(), 5u);
  for (const std::string& name : *names) {
    EXPECT_FALSE(fs.Contents("/c/" + name).empty());
  }
}

TEST(CorpusWriterTest, SameSeedSameFiles) {
  kura_test::FakeFileSystem fs;
  ASSERT_OK(WriteCorpus(SmallCorpus(8), &fs, "/a", nullptr));
  ASSERT_OK(WriteCorpus(SmallCorpus(8), &fs, "/b", nullptr));
  Options other = SmallCorpus(8);
  other.seed = 7;
  ASSERT_OK(WriteCorpus(other, &fs, "/c", nullptr));
  const auto a = fs.ListDir("/a");
  const auto c = fs.ListDir("/c");
  ASSERT_OK(a);
  ASSERT_OK(c);
  EXPECT_EQ(*a, *fs.ListDir("/b"));
  for (const std::string& name : *a) {
    EXPECT_EQ(fs.Contents("/a/" + name), fs.Contents("/b/" + name)) << name;
    if (fs.Exists("/c/" + name)) {
      EXPECT_NE(fs.Contents("/a/" + name), fs.Contents("/c/" + name)) << name;
    }
  }
}

TEST(CorpusWriterTest, WriteFailureNamesTheFile) {
  kura_test::FakeFileSystem fs;
  fs.FailNext(kura_test::FakeFileSystem::Op::kCreate);
  const base::Status s = WriteCorpus(SmallCorpus(3), &fs, "/corpus", nullptr);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), base::Status::Code::kIOError);
  EXPECT_NE(s.message().find("invoice-000001"), std::string::npos)
      << s.ToString();
}

TEST(CorpusWriterTest, PdfFailureNamesTheFile) {
  kura_test::FakeFileSystem fs;
  Options o = SmallCorpus(3);
  o.pdf_share = 1;
  PdfOptions pdf;
  pdf.font_file = "/nonexistent/font.ttf";
  const base::Status s = WriteCorpus(o, &fs, "/corpus", nullptr, pdf);
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_NE(s.message().find("invoice-000001.pdf"), std::string::npos);
}

TEST(CorpusWriterTest, RejectsBadOptions) {
  kura_test::FakeFileSystem fs;
  Options o = SmallCorpus(-1);
  EXPECT_EQ(WriteCorpus(o, &fs, "/x", nullptr).code(),
            base::Status::Code::kInvalidArgument);
  o = SmallCorpus(1);
  o.pdf_share = 1.5;
  EXPECT_EQ(WriteCorpus(o, &fs, "/x", nullptr).code(),
            base::Status::Code::kInvalidArgument);
  o = SmallCorpus(1);
  o.from = base::Date(2026, 1, 2);
  o.to = base::Date(2026, 1, 1);
  EXPECT_EQ(WriteCorpus(o, &fs, "/x", nullptr).code(),
            base::Status::Code::kInvalidArgument);
}

TEST(CorpusWriterTest, WritesToTheRealFileSystem) {
  kura_test::TempDir dir;
  auto fs = base::NewPosixFileSystem();
  const std::string out = dir.Join("corpus");
  ASSERT_OK(WriteCorpus(SmallCorpus(4), fs.get(), out, nullptr));
  const auto names = fs->ListDir(out);
  ASSERT_OK(names);
  EXPECT_EQ(names->size(), 4u);
}

}  // namespace
}  // namespace corpus
