// Scans at receipt (issue 15): archived byte for byte, marked format "scan"
// waiting for their keys, and checked against スキャナ保存's requirements —
// warnings, never a refusal.
#include "archive/scan.h"

#include <gtest/gtest.h>

#include "archive/archive.h"
#include "invoice/warning_codes.h"
#include "ledger/data_dir.h"
#include "tests/fakes/test_util.h"

namespace archive {
namespace {

namespace code = invoice::warning_code;
using base::Status;

const std::string kJpeg300 = std::string("\xFF\xD8\xFF\xE0", 4) + "rgb300";
const std::string kJpeg150 = std::string("\xFF\xD8\xFF\xE0", 4) + "rgb150";
const std::string kPngGrey = std::string("\x89PNG\r\n\x1A\n", 8) + "grey300";
const std::string kTiffTwoPages = std::string("II*\0", 4) + "two pages";
const std::string kImagePdf = "%PDF-1.4 image only";
const std::string kTextPdf = "%PDF-1.4 with text";

// Stands in for ocr::ReadScan: the test's bytes say what the pages are.
base::Result<std::vector<ScanPage>> FakeInspect(std::string_view whole, std::string_view) {
  // The test's files may carry a tail so that their bytes differ.
  const std::string_view bytes = whole.substr(0, whole.find('|'));
  if (bytes == kJpeg300 || bytes == kImagePdf) return std::vector<ScanPage>{{300, "rgb", 8}};
  if (bytes == kJpeg150) return std::vector<ScanPage>{{150, "rgb", 8}};
  if (bytes == kPngGrey) return std::vector<ScanPage>{{300, "grey", 8}};
  if (bytes == kTiffTwoPages) {
    return std::vector<ScanPage>{{300, "rgb", 8}, {200, "bw", 1}};
  }
  if (bytes == kTextPdf) return Status::InvalidArgument("text PDF");
  return Status::Corruption("cannot decode");
}

bool Has(const std::vector<invoice::Warning>& ws, std::string_view c) {
  for (const auto& w : ws) {
    if (w.code == c) return true;
  }
  return false;
}

class ScanIntakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.data_dir = dir_.Join("kura-data");
    options_.scan.max_image_bytes = 1 << 10;
    ASSERT_OK(ledger::InitDataDir(fs_.get(), ledger::DataDirLayout{options_.data_dir}, ""));
    auto a = Archive::Open(options_, fs_.get(), &clock_);
    ASSERT_OK(a);
    archive_ = std::move(*a);
    archive_->SetScanInspector(&FakeInspect);
  }
  IngestOutcome One(std::string name, std::string bytes, std::string document_class = "") {
    std::vector<IncomingFile> files;
    IncomingFile f{std::move(name), "somu", "watch", "cli:test", std::move(bytes)};
    f.document_class = std::move(document_class);
    files.push_back(std::move(f));
    auto results = archive_->Ingest(std::move(files));
    EXPECT_EQ(results.size(), 1u);
    EXPECT_OK(results[0]);
    return results[0].ok() ? *results[0] : IngestOutcome{};
  }
  uint64_t AwaitingKeys() {
    uint64_t n = 0;
    EXPECT_OK(archive_->ledger().Read([&](const storage::ReadTxn& txn) -> Status {
      ASSIGN_OR_RETURN(n, archive_->pending()->Count(txn, kAwaitingKeysGroup, std::nullopt,
                                                     storage::DatedIndex::kMinDay,
                                                     storage::DatedIndex::kMaxDay));
      return Status::OK();
    }));
    return n;
  }

  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  base::FakeClock clock_{*base::ParseRfc3339("2026-11-24T01:00:00Z")};
  ArchiveOptions options_;
  std::unique_ptr<Archive> archive_;
};

TEST_F(ScanIntakeTest, JpegIsArchivedByteForByteAsAScanNeedingItsKeys) {
  const IngestOutcome out = One("scan001.jpg", kJpeg300);
  EXPECT_EQ(out.media_type, "image/jpeg");
  EXPECT_EQ(out.fields.format, "scan");
  EXPECT_TRUE(out.fields.needs_metadata);
  EXPECT_EQ(out.fields.page_count, 1);
  EXPECT_TRUE(Has(out.warnings, code::kScanNeedsMetadata));
  EXPECT_FALSE(Has(out.warnings, code::kUnrecognizedFormat));
  EXPECT_FALSE(Has(out.warnings, code::kScanResolutionLow));
  EXPECT_FALSE(Has(out.warnings, code::kScanColourInsufficient));
  EXPECT_EQ(out.timestamp, "granted");
  EXPECT_EQ(*archive_->ReadOriginal(out.id), kJpeg300);
  auto view = archive_->Get(out.id);
  ASSERT_OK(view);
  ASSERT_TRUE(view->versions[0].scan.has_value());
  EXPECT_EQ(view->versions[0].scan->min_dpi, 300);
  EXPECT_EQ(view->versions[0].scan->colour, "rgb");
  EXPECT_EQ(view->versions[0].scan->document_class, "payment_evidence");
  // The facts are part of the recorded version: verify replays them.
  auto report = archive_->Verify();
  ASSERT_OK(report);
  EXPECT_TRUE(report->failed.empty());
}

TEST_F(ScanIntakeTest, A150DpiScanIsWarnedNotRefused) {
  const IngestOutcome out = One("low.jpg", kJpeg150);
  EXPECT_FALSE(out.id.empty());
  ASSERT_TRUE(Has(out.warnings, code::kScanResolutionLow));
  for (const auto& w : out.warnings) {
    if (w.code == code::kScanResolutionLow) {
      EXPECT_NE(w.message.find("150 dpi"), std::string::npos) << w.message;
    }
  }
}

TEST_F(ScanIntakeTest, GreyIsWarnedForAnImportantDocumentNotForAGeneralOne) {
  const IngestOutcome invoice = One("grey.png", kPngGrey);
  EXPECT_TRUE(Has(invoice.warnings, code::kScanColourInsufficient));
  clock_.Advance(std::chrono::seconds(1));
  // Other bytes, same images: a 一般書類 (class "other") may be 8-bit grey.
  const IngestOutcome general = One("grey2.png", kPngGrey + "|2", "other");
  EXPECT_FALSE(Has(general.warnings, code::kScanColourInsufficient));
  EXPECT_FALSE(Has(general.warnings, code::kScanUnreadable));
}

TEST_F(ScanIntakeTest, EveryPageCountsAndThePoorestDecides) {
  const IngestOutcome out = One("two.tif", kTiffTwoPages);
  EXPECT_EQ(out.fields.page_count, 2);
  EXPECT_TRUE(Has(out.warnings, code::kScanColourInsufficient));  // page 2 is 白黒
  EXPECT_FALSE(Has(out.warnings, code::kScanResolutionLow));      // 200 dpi is enough
}

TEST_F(ScanIntakeTest, AnImageOnlyPdfIsAScanAPdfWithTextIsNot) {
  const IngestOutcome scanned = One("scan.pdf", kImagePdf);
  EXPECT_EQ(scanned.fields.format, "scan");
  EXPECT_FALSE(Has(scanned.warnings, code::kPdfNeedsMetadata));
  const IngestOutcome text = One("text.pdf", kTextPdf);
  EXPECT_EQ(text.fields.format, "pdf");
  auto view = archive_->Get(text.id);
  ASSERT_OK(view);
  EXPECT_FALSE(view->versions[0].scan.has_value());
}

TEST_F(ScanIntakeTest, AnUndecodableImageIsStillArchivedAsAScan) {
  const std::string broken = std::string("\xFF\xD8\xFF", 3) + "truncated";
  const IngestOutcome out = One("broken.jpg", broken);
  EXPECT_EQ(out.fields.format, "scan");
  EXPECT_TRUE(Has(out.warnings, code::kScanUnreadable));
  EXPECT_EQ(*archive_->ReadOriginal(out.id), broken);
}

TEST_F(ScanIntakeTest, AnImageOverTheScanLimitIsRefusedWithTheLimit) {
  std::vector<IncomingFile> files;
  files.push_back(IncomingFile{"huge.png", "somu", "watch", "cli:test",
                               std::string("\x89PNG\r\n\x1A\n", 8) + std::string(2000, 'x')});
  auto results = archive_->Ingest(std::move(files));
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status().code(), Status::Code::kResourceExhausted);
  EXPECT_NE(results[0].status().message().find("スキャン画像が上限"), std::string::npos);
}

TEST_F(ScanIntakeTest, AScanAwaitsItsKeysUntilACorrectionSuppliesAllThree) {
  const IngestOutcome out = One("scan001.jpg", kJpeg300);
  EXPECT_EQ(AwaitingKeys(), 1u);
  invoice::FieldPatch some;
  some.issue_date.Set("2026-11-20");
  some.total.Set("55000");
  ASSERT_OK(archive_->Correct(out.id, some, "tanaka", "紙の請求書から入力"));
  EXPECT_EQ(AwaitingKeys(), 1u);  // 取引先 is still missing
  invoice::FieldPatch rest;
  rest.counterparty.Set("株式会社サンプル");
  ASSERT_OK(archive_->Correct(out.id, rest, "tanaka", "取引先を入力"));
  EXPECT_EQ(AwaitingKeys(), 0u);
  auto view = archive_->Get(out.id);
  ASSERT_OK(view);
  EXPECT_EQ(view->versions.back().fields.format, "scan");
  ASSERT_TRUE(view->versions.back().scan.has_value());  // corrections keep the facts
  // A PDF with text never enters the list.
  One("text.pdf", kTextPdf);
  EXPECT_EQ(AwaitingKeys(), 0u);
}

TEST_F(ScanIntakeTest, WithoutAnInspectorAnImageIsAScanWithItsImagesUnchecked) {
  auto a = Archive::Open(options_, fs_.get(), &clock_);
  ASSERT_OK(a);
  std::vector<IncomingFile> files;
  files.push_back(IncomingFile{"x.jpg", "somu", "cli", "cli:test", kJpeg150 + "|x"});
  auto results = (*a)->Ingest(std::move(files));
  ASSERT_OK(results[0]);
  EXPECT_EQ(results[0]->fields.format, "scan");
  EXPECT_FALSE(Has(results[0]->warnings, code::kScanResolutionLow));
  EXPECT_FALSE(Has(results[0]->warnings, code::kScanUnreadable));
}

TEST(ScanChecksTest, ColourRulesPerDocumentClass) {
  const ScanPolicy policy;
  auto grey = SummarizeScan({{300, "grey", 8}}, policy, "");
  EXPECT_EQ(grey.document_class, "payment_evidence");
  EXPECT_EQ(CheckScan(grey, policy).size(), 1u);
  grey = SummarizeScan({{300, "grey", 8}}, policy, "other");
  EXPECT_TRUE(CheckScan(grey, policy).empty());
  const auto bw = SummarizeScan({{300, "bw", 1}}, policy, "other");
  EXPECT_EQ(CheckScan(bw, policy).size(), 1u);
  const auto rgb4 = SummarizeScan({{300, "rgb", 4}}, policy, "");
  EXPECT_EQ(CheckScan(rgb4, policy).size(), 1u);
  const auto ok = SummarizeScan({{200, "rgb", 8}}, policy, "");
  EXPECT_TRUE(CheckScan(ok, policy).empty());
  const auto low = SummarizeScan({{199, "rgb", 8}}, policy, "");
  ASSERT_EQ(CheckScan(low, policy).size(), 1u);
  EXPECT_EQ(CheckScan(low, policy)[0].code, code::kScanResolutionLow);
}

}  // namespace
}  // namespace archive
