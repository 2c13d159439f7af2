// Scans at receipt (issue 15): archived byte for byte, marked format "scan"
// waiting for their keys, and checked against スキャナ保存's requirements —
// warnings, never a refusal.
#include "archive/scan.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "archive/archive.h"
#include "archive/ocr_store.h"
#include "archive/ocr_worker.h"
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

// OCR in the background (archive/ocr_worker.h) with a reader that stands in
// for Tesseract: it can be held open until the test releases it, so that
// what must not wait for OCR is shown not to, without timing.
class FakeOcr {
 public:
  OcrReader Reader() {
    return [this](std::string_view id, std::string_view bytes,
                  const std::atomic<bool>* cancelled) -> base::Result<nlohmann::json> {
      std::unique_lock<std::mutex> lock(mu_);
      ++calls_;
      reading_ = std::string(id);
      changed_.notify_all();
      // Held until released or the worker stops (10 s at most: a test that
      // waits for the reading then fails instead of hanging).
      const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (hold_ && !cancelled->load() && std::chrono::steady_clock::now() < until) {
        changed_.wait_for(lock, std::chrono::milliseconds(5));
      }
      reading_.clear();
      if (cancelled->load()) return Status::Aborted("cancelled");
      if (bytes.find("unreadable") != std::string_view::npos) {
        return Status::Corruption("画像を読み取れません");
      }
      return nlohmann::json{{"proposal", {{"total", "11000"}}}, {"engine", "fake"}};
    };
  }
  void Hold() {
    std::lock_guard<std::mutex> lock(mu_);
    hold_ = true;
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu_);
    hold_ = false;
    changed_.notify_all();
  }
  bool released() {
    std::lock_guard<std::mutex> lock(mu_);
    return !hold_;
  }
  // Waits until document id is being read (false after 10 s).
  bool WaitReading(const std::string& id) {
    std::unique_lock<std::mutex> lock(mu_);
    return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return reading_ == id; });
  }
  int calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  bool hold_ = false;
  int calls_ = 0;
  std::string reading_;
};

class OcrWorkerTest : public ScanIntakeTest {
 protected:
  void SetUp() override {
    ScanIntakeTest::SetUp();
    auto store = OcrStore::Open(archive_.get());
    ASSERT_OK(store);
    store_ = std::move(*store);
  }
  std::unique_ptr<OcrWorker> NewWorker() {
    return std::make_unique<OcrWorker>(archive_.get(), store_.get(), ocr_.Reader(), &clock_);
  }

  FakeOcr ocr_;
  std::unique_ptr<OcrStore> store_;
};

TEST_F(OcrWorkerTest, IngestAndEnqueueAnswerBeforeOcrAndTheProposalAppearsAfter) {
  ocr_.Hold();
  auto worker = NewWorker();
  worker->Start();
  const IngestOutcome first = One("first.png", kPngGrey);
  ASSERT_TRUE(worker->Enqueue(first.id));
  ASSERT_TRUE(ocr_.WaitReading(first.id));
  // The reading is held open: the next scan's ingest and hand-over still
  // answer, and nothing is stored for the first one yet.
  const IngestOutcome second = One("second.jpg", kJpeg300);
  EXPECT_TRUE(worker->Enqueue(second.id));
  EXPECT_FALSE(ocr_.released());
  EXPECT_EQ(worker->StateOf(first.id), OcrState::kReading);
  EXPECT_EQ(worker->StateOf(second.id), OcrState::kWaiting);
  EXPECT_TRUE(store_->Get(first.id).status().IsNotFound());
  ocr_.Release();
  worker->WaitIdle();
  for (const std::string& id : {first.id, second.id}) {
    EXPECT_EQ(worker->StateOf(id), OcrState::kDone) << id;
    auto record = store_->Get(id);
    ASSERT_OK(record);
    EXPECT_EQ((*record)["proposal"]["total"], "11000");
    EXPECT_EQ((*record)["by"], "ocr:background");
  }
  EXPECT_EQ(worker->stats().read, 2u);
}

TEST_F(OcrWorkerTest, BacklogPassReadsTheScansIngestedBeforeItStarted) {
  const IngestOutcome a = One("a.png", kPngGrey);
  const IngestOutcome b = One("b.jpg", kJpeg300);
  const IngestOutcome xml = One("note.txt", "not a scan at all");
  ASSERT_OK(store_->Put(b.id, nlohmann::json{{"proposal", nlohmann::json::object()}}, "cli:test",
                        clock_.Now()));
  auto worker = NewWorker();
  worker->Start();
  worker->WaitIdle();
  EXPECT_EQ(ocr_.calls(), 1);  // a only: b was read before, the text is no scan
  EXPECT_EQ(worker->StateOf(a.id), OcrState::kDone);
  EXPECT_EQ((*store_->Get(b.id))["by"], "cli:test");
  EXPECT_TRUE(store_->Get(xml.id).status().IsNotFound());
}

TEST_F(OcrWorkerTest, StopWithAReadingAndAQueuedScanIsCleanAndTheNextStartReadsThem) {
  const IngestOutcome a = One("a.png", kPngGrey);
  const IngestOutcome b = One("b.jpg", kJpeg300);
  ocr_.Hold();
  OcrWorkerOptions no_backlog;
  no_backlog.backlog = false;
  auto worker =
      std::make_unique<OcrWorker>(archive_.get(), store_.get(), ocr_.Reader(), &clock_, no_backlog);
  worker->Start();
  ASSERT_TRUE(worker->Enqueue(a.id));
  ASSERT_TRUE(worker->Enqueue(b.id));
  ASSERT_TRUE(ocr_.WaitReading(a.id));
  worker->Stop();  // cancels a's reading (the reader sees the flag), drops b
  EXPECT_FALSE(ocr_.released());
  EXPECT_FALSE(worker->Enqueue(b.id));
  for (const std::string& id : {a.id, b.id}) {
    EXPECT_EQ(worker->StateOf(id), OcrState::kWaiting) << id;  // nothing recorded
  }
  EXPECT_EQ(ocr_.calls(), 1);
  worker.reset();
  ocr_.Release();
  auto again = NewWorker();
  again->Start();
  again->WaitIdle();
  EXPECT_EQ(again->StateOf(a.id), OcrState::kDone);
  EXPECT_EQ(again->StateOf(b.id), OcrState::kDone);
}

TEST_F(OcrWorkerTest, AFailureIsRecordedOnceAndNeverRetriedByTheWorker) {
  const IngestOutcome bad = One("bad.png", kPngGrey + "|unreadable");
  auto worker = NewWorker();
  worker->Start();
  worker->WaitIdle();
  EXPECT_EQ(worker->StateOf(bad.id), OcrState::kFailed);
  auto failure = store_->GetFailure(bad.id);
  ASSERT_OK(failure);
  EXPECT_EQ((*failure)["error"], "画像を読み取れません");
  EXPECT_EQ(worker->stats().failed, 1u);
  // Handed over again, or found by the next start's backlog: not read again.
  EXPECT_TRUE(worker->Enqueue(bad.id));
  worker->WaitIdle();
  worker.reset();
  auto again = NewWorker();
  again->Start();
  again->WaitIdle();
  EXPECT_EQ(ocr_.calls(), 1);
  // A proposal stored later (kura ocr --again) ends the failure.
  ASSERT_OK(store_->Put(bad.id, nlohmann::json::object(), "cli:test", clock_.Now()));
  EXPECT_TRUE(store_->GetFailure(bad.id).status().IsNotFound());
  EXPECT_EQ(again->StateOf(bad.id), OcrState::kDone);
}

TEST_F(OcrWorkerTest, AFullQueueDropsAndTheBacklogPassStillReadsTheScan) {
  OcrWorkerOptions small;
  small.backlog = false;
  small.max_queue = 1;
  ocr_.Hold();
  OcrWorker worker(archive_.get(), store_.get(), ocr_.Reader(), &clock_, small);
  worker.Start();
  const IngestOutcome a = One("a.png", kPngGrey);
  const IngestOutcome b = One("b.jpg", kJpeg300);
  const IngestOutcome c = One("c.png", kPngGrey + "|c");
  ASSERT_TRUE(worker.Enqueue(a.id));
  ASSERT_TRUE(ocr_.WaitReading(a.id));
  EXPECT_TRUE(worker.Enqueue(b.id));
  EXPECT_FALSE(worker.Enqueue(c.id));  // full
  ocr_.Release();
  worker.WaitIdle();
  EXPECT_EQ(worker.stats().dropped, 1u);
  EXPECT_EQ(worker.StateOf(c.id), OcrState::kDone);
  EXPECT_EQ(ocr_.calls(), 3);
}

}  // namespace
}  // namespace archive
