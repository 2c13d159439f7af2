#include "archive/archive.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <sys/stat.h>

#include "ledger/data_dir.h"
#include "signing/sha256.h"
#include "tests/fakes/test_util.h"

namespace archive {
namespace {

using base::Status;
using nlohmann::json;

invoice::FieldPatch Total(const std::string& total) {
  invoice::FieldPatch p;
  p.total.Set(total);
  return p;
}

class ArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.data_dir = dir_.Join("kura-data");
    ASSERT_OK(ledger::InitDataDir(fs_.get(), ledger::DataDirLayout{options_.data_dir}, ""));
    Reopen();
  }
  void Reopen() {
    archive_.reset();
    auto a = Archive::Open(options_, fs_.get(), &clock_);
    ASSERT_OK(a);
    archive_ = std::move(*a);
  }
  IncomingFile File(std::string name, std::string bytes) {
    return IncomingFile{std::move(name), "somu", "cli", "cli:test", std::move(bytes)};
  }
  IngestOutcome IngestOne(std::string name, std::string bytes) {
    std::vector<IncomingFile> files;
    files.push_back(File(std::move(name), std::move(bytes)));
    auto results = archive_->Ingest(std::move(files));
    EXPECT_EQ(results.size(), 1u);
    EXPECT_OK(results[0]);
    return results[0].ok() ? *results[0] : IngestOutcome{};
  }
  // A file received into a spool in pieces of `piece` bytes, closed.
  IncomingFile Spooled(std::string name, const std::string& bytes, size_t piece = 1000) {
    IncomingFile f = File(std::move(name), "");
    auto spool = archive_->NewSpool();
    EXPECT_OK(spool);
    if (!spool.ok()) return f;
    for (size_t at = 0; at < bytes.size(); at += piece) {
      EXPECT_OK((*spool)->Append(std::string_view(bytes).substr(at, piece)));
    }
    EXPECT_OK((*spool)->Close());
    f.spooled = std::move(*spool);
    return f;
  }
  // Names in objects/tmp other than the writers' live locks and intent logs.
  std::vector<std::string> TempFiles() {
    std::vector<std::string> left;
    for (const auto& e : std::filesystem::directory_iterator(options_.data_dir + "/objects/tmp")) {
      const std::string name = e.path().filename().string();
      if (name.find(".live") == std::string::npos && name.find(".intents") == std::string::npos) {
        left.push_back(name);
      }
    }
    return left;
  }
  static uint64_t Inode(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_ino) : 0;
  }
  std::string ObjectPath(const std::string& sha) {
    return options_.data_dir + "/objects/sha256/" + sha.substr(0, 2) + "/" + sha.substr(2, 2) +
           "/" + sha;
  }

  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  base::FakeClock clock_{*base::ParseRfc3339("2026-11-22T01:00:00Z")};
  ArchiveOptions options_;
  std::unique_ptr<Archive> archive_;
};

TEST_F(ArchiveTest, IngestedDocumentSurvivesReopenWithItsReceipt) {
  const IngestOutcome out = IngestOne("請求書.pdf", "%PDF-1.4 an invoice");
  EXPECT_EQ(out.id, "D00000001");
  EXPECT_EQ(out.sha256, signing::Sha256("%PDF-1.4 an invoice").Hex());
  EXPECT_FALSE(out.duplicate);
  EXPECT_EQ(out.media_type, "application/pdf");
  EXPECT_EQ(out.size, 19u);
  Reopen();
  auto view = archive_->Get("D00000001");
  ASSERT_OK(view);
  ASSERT_EQ(view->receipts.size(), 1u);
  EXPECT_EQ(view->receipts[0].file_name, "請求書.pdf");
  EXPECT_EQ(view->receipts[0].department, "somu");
  EXPECT_EQ(view->receipts[0].receiver, "cli:test");
  EXPECT_EQ(base::FormatRfc3339(view->receipts[0].received_at), "2026-11-22T01:00:00.000000Z");
  EXPECT_EQ(*archive_->ReadOriginal("D00000001"), "%PDF-1.4 an invoice");
  const json j = ToJson(out);
  EXPECT_EQ(j["status"], "archived");
  EXPECT_TRUE(j["fields"].is_object());
  EXPECT_TRUE(j["warnings"].is_array());
}

TEST_F(ArchiveTest, IdenticalBytesAreASecondReceiptNotASecondCopy) {
  const IngestOutcome first = IngestOne("a.xml", "<Invoice/>");
  clock_.Advance(std::chrono::hours(24));
  const IngestOutcome second = IngestOne("a-resent.xml", "<Invoice/>");
  EXPECT_TRUE(second.duplicate);
  EXPECT_EQ(second.id, first.id);
  EXPECT_EQ(second.receipt_number, 2u);
  EXPECT_EQ(ToJson(second)["status"], "duplicate");
  auto view = archive_->Get(first.id);
  ASSERT_OK(view);
  ASSERT_EQ(view->receipts.size(), 2u);
  EXPECT_EQ(view->receipts[1].file_name, "a-resent.xml");
  EXPECT_EQ(view->document.receipt_count, 2u);
  // One object on disk.
  size_t objects = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(options_.data_dir + "/objects/sha256")) {
    objects += e.is_regular_file();
  }
  EXPECT_EQ(objects, 1u);
}

TEST_F(ArchiveTest, DuplicatesWithinOneBatchShareTheDocument) {
  std::vector<IncomingFile> files;
  files.push_back(File("a", "same bytes"));
  files.push_back(File("b", "other bytes"));
  files.push_back(File("c", "same bytes"));
  auto results = archive_->Ingest(std::move(files));
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0]->id, "D00000001");
  EXPECT_EQ(results[1]->id, "D00000002");
  EXPECT_EQ(results[2]->id, "D00000001");
  EXPECT_TRUE(results[2]->duplicate);
  EXPECT_EQ(results[2]->receipt_number, 2u);
}

TEST_F(ArchiveTest, EmptyAndOversizedFilesAreRefusedOthersProceed) {
  options_.max_file_bytes = 10;
  Reopen();
  std::vector<IncomingFile> files;
  files.push_back(File("empty.pdf", ""));
  files.push_back(File("big.pdf", std::string(11, 'x')));
  files.push_back(File("ok.txt", "fine"));
  auto results = archive_->Ingest(std::move(files));
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(results[0].status().message().find("empty.pdf"), std::string::npos);
  EXPECT_EQ(results[1].status().code(), Status::Code::kResourceExhausted);
  EXPECT_NE(results[1].status().message().find("big.pdf"), std::string::npos);
  ASSERT_OK(results[2]);
  EXPECT_EQ(results[2]->id, "D00000001");
  EXPECT_EQ(*archive_->ledger().EventCount(), 1u);
}

// An upload streamed into a spool: hashed as it arrived, read from a
// mapping, and renamed into the store, never copied.
TEST_F(ArchiveTest, ASpooledFileIsTakenOverByTheStoreNotCopied) {
  std::string bytes = "%PDF-1.4 a large scan ";
  for (int i = 0; bytes.size() < 300'000; ++i) bytes += std::to_string(i * 7919 % 10007);
  IncomingFile file = Spooled("scan.pdf", bytes, 4096);
  ASSERT_TRUE(file.spooled);
  EXPECT_EQ(file.spooled->sha256(), signing::Sha256(bytes).Hex());
  EXPECT_EQ(file.spooled->size(), bytes.size());
  const std::string incoming = file.spooled->path();
  const uint64_t inode = Inode(incoming);
  ASSERT_NE(inode, 0u);
  std::vector<IncomingFile> files;
  files.push_back(std::move(file));
  auto results = archive_->Ingest(std::move(files));
  ASSERT_EQ(results.size(), 1u);
  ASSERT_OK(results[0]);
  EXPECT_EQ(results[0]->sha256, signing::Sha256(bytes).Hex());
  EXPECT_EQ(results[0]->size, bytes.size());
  EXPECT_EQ(results[0]->media_type, "application/pdf");
  EXPECT_EQ(Inode(ObjectPath(results[0]->sha256)), inode);  // the same file, renamed
  EXPECT_FALSE(std::filesystem::exists(incoming));
  EXPECT_TRUE(TempFiles().empty());
  EXPECT_EQ(fs_->Stat(ObjectPath(results[0]->sha256))->mode, 0444u);
  Reopen();
  EXPECT_EQ(*archive_->ReadOriginal(results[0]->id), bytes);
  auto report = archive_->Verify();
  ASSERT_OK(report);
  EXPECT_TRUE(report->failed.empty()) << ToJson(*report).dump();
}

// Spooled and in-memory files mix in one batch; what is not taken over (a
// duplicate, a refusal) is removed with its spool.
TEST_F(ArchiveTest, SpooledDuplicatesAndRefusalsLeaveNoTempFiles) {
  options_.max_file_bytes = 100;
  Reopen();
  const IngestOutcome first = IngestOne("a.txt", "the same bytes");
  std::vector<IncomingFile> files;
  files.push_back(Spooled("again.txt", "the same bytes"));
  files.push_back(Spooled("empty.pdf", ""));
  files.push_back(Spooled("big.pdf", std::string(101, 'x')));
  files.push_back(File("mem.txt", "in memory"));
  files.push_back(Spooled("new.txt", "spooled and new"));
  files.push_back(Spooled("new-twice.txt", "spooled and new"));
  IncomingFile open = File("open.txt", "");
  open.spooled = *archive_->NewSpool();
  ASSERT_OK(open.spooled->Append("not closed"));
  files.push_back(open);
  open.spooled.reset();
  auto results = archive_->Ingest(std::move(files));
  ASSERT_EQ(results.size(), 7u);
  ASSERT_OK(results[0]);
  EXPECT_TRUE(results[0]->duplicate);
  EXPECT_EQ(results[0]->id, first.id);
  EXPECT_EQ(results[1].status().message(), "empty.pdf: ファイルが空です");
  EXPECT_EQ(results[2].status().code(), Status::Code::kResourceExhausted);
  ASSERT_OK(results[3]);
  ASSERT_OK(results[4]);
  ASSERT_OK(results[5]);
  EXPECT_EQ(results[5]->id, results[4]->id);
  EXPECT_EQ(results[6].status().code(), Status::Code::kFailedPrecondition);
  EXPECT_TRUE(TempFiles().empty());
  EXPECT_EQ(*archive_->ReadOriginal(results[4]->id), "spooled and new");
  EXPECT_EQ(*archive_->ReadOriginal(results[3]->id), "in memory");
}

TEST_F(ArchiveTest, ASpoolNeverIngestedIsRemovedAndAReaderHasNone) {
  {
    auto spool = archive_->NewSpool();
    ASSERT_OK(spool);
    ASSERT_OK((*spool)->Append("an upload refused halfway"));
    EXPECT_EQ(TempFiles().size(), 1u);
  }
  EXPECT_TRUE(TempFiles().empty());
  ArchiveOptions ro = options_;
  ro.read_only = true;
  auto reader = Archive::Open(ro, fs_.get(), &clock_);
  ASSERT_OK(reader);
  EXPECT_EQ((*reader)->NewSpool().status().code(), Status::Code::kFailedPrecondition);
}

TEST_F(ArchiveTest, CorrectionsAddVersionsAndKeepTheOldOnes) {
  const IngestOutcome out = IngestOne("scan.pdf", "%PDF-1.4 scanned paper");
  clock_.Advance(std::chrono::minutes(5));
  invoice::FieldPatch entered;
  entered.issue_date.Set("2026-11-01");
  entered.total.Set("55000");
  auto v2 = archive_->Correct(out.id, entered, "tanaka", "紙の請求書から入力");
  ASSERT_OK(v2);
  EXPECT_EQ(v2->number, 2u);
  auto v3 = archive_->Correct(out.id, Total("55500"), "suzuki", "金額の誤りを訂正", 2);
  ASSERT_OK(v3);
  // A stale version is refused.
  EXPECT_EQ(archive_->Correct(out.id, Total("1"), "x", "stale", 2).status().code(),
            Status::Code::kAborted);
  Reopen();
  auto view = archive_->Get(out.id);
  ASSERT_OK(view);
  ASSERT_EQ(view->versions.size(), 3u);
  EXPECT_EQ(view->document.current_version, 3u);
  // Version 1 is what the reader found: a PDF without invoice data.
  EXPECT_EQ(view->versions[0].fields.format, "pdf");
  EXPECT_TRUE(view->versions[0].fields.needs_metadata);
  EXPECT_FALSE(view->versions[0].fields.total.has_value());
  EXPECT_EQ(view->versions[1].fields.total, "55000");
  EXPECT_EQ(view->versions[1].created_by, "tanaka");
  EXPECT_EQ(view->versions[2].fields.total, "55500");
  EXPECT_EQ(view->versions[2].fields.issue_date, "2026-11-01");
  EXPECT_EQ(view->versions[2].reason, "金額の誤りを訂正");
  EXPECT_EQ(*archive_->ledger().EventCount(), 3u);
  // The original bytes never change.
  EXPECT_EQ(*archive_->ReadOriginal(out.id), "%PDF-1.4 scanned paper");
}

TEST_F(ArchiveTest, CorrectionNeedsReasonAndFields) {
  const IngestOutcome out = IngestOne("a", "x");
  EXPECT_EQ(archive_->Correct(out.id, Total("1"), "tanaka", "").status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(archive_->Correct(out.id, invoice::FieldPatch{}, "tanaka", "why").status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_TRUE(archive_->Correct("D00000099", Total("1"), "t", "r").status().IsNotFound());
}

TEST_F(ArchiveTest, VerifyPassesOnAnIntactArchive) {
  IngestOne("a", "first");
  IngestOne("b", "second");
  VerifyOptions options;
  std::vector<std::string> stages;
  options.on_stage = [&](std::string_view s) { stages.emplace_back(s); };
  auto report = archive_->Verify(options);
  ASSERT_OK(report);
  EXPECT_EQ(report->documents, 2u);
  EXPECT_EQ(report->ok, 2u);
  EXPECT_TRUE(report->failed.empty());
  EXPECT_EQ(stages, (std::vector<std::string>{"checkpoints", "log", "modules", "catalog",
                                              "documents"}));
}

TEST_F(ArchiveTest, VerifyCatchesAFlippedByte) {
  const IngestOutcome a = IngestOne("a", "the original invoice bytes");
  IngestOne("b", "another");
  const std::string path = ObjectPath(a.sha256);
  std::filesystem::permissions(path, std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4);
    f.put('O' ^ 0x01);
  }
  auto report = archive_->Verify();
  ASSERT_OK(report);
  EXPECT_EQ(report->documents, 2u);
  EXPECT_EQ(report->ok, 1u);
  ASSERT_EQ(report->failed.size(), 1u);
  EXPECT_EQ(report->failed[0].id, a.id);
  EXPECT_EQ(report->failed[0].reason, "changed");
  EXPECT_EQ(archive_->ReadOriginal(a.id).status().code(), Status::Code::kCorruption);
}

// An original that grew is a changed original (Corruption), not a file over
// some size limit (ResourceExhausted, "サイズの上限を超えています").
TEST_F(ArchiveTest, AnOriginalThatGrewIsCorruptionNotASizeLimit) {
  const IngestOutcome a = IngestOne("a", "the original invoice bytes");
  const std::string path = ObjectPath(a.sha256);
  std::filesystem::permissions(path, std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  std::ofstream(path, std::ios::app | std::ios::binary) << " and more";
  const auto read = archive_->ReadOriginal(a.id);
  EXPECT_EQ(read.status().code(), Status::Code::kCorruption) << read.status().ToString();
  EXPECT_NE(read.status().message().find("kura verify"), std::string::npos);
}

TEST_F(ArchiveTest, VerifyCatchesAMissingObject) {
  const IngestOutcome a = IngestOne("a", "will vanish");
  std::filesystem::remove(ObjectPath(a.sha256));
  auto report = archive_->Verify();
  ASSERT_OK(report);
  ASSERT_EQ(report->failed.size(), 1u);
  EXPECT_EQ(report->failed[0].reason, "missing");
  const json j = ToJson(*report);
  EXPECT_EQ(j["documents"], 1);
  EXPECT_EQ(j["ok"], 0);
  EXPECT_EQ(j["failed"][0]["id"], a.id);
}

TEST_F(ArchiveTest, ObjectsAreStoredReadOnly) {
  const IngestOutcome a = IngestOne("a", "immutable");
  EXPECT_EQ(fs_->Stat(ObjectPath(a.sha256))->mode, 0444u);
}

TEST_F(ArchiveTest, TwoWritersShareTheDataDirectoryAndReadersToo) {
  auto second = Archive::Open(options_, fs_.get(), &clock_);
  ASSERT_OK(second);
  IngestOne("a", "from the first writer");
  std::vector<IncomingFile> theirs;
  theirs.push_back(File("b", "from the second writer"));
  ASSERT_OK((*second)->Ingest(std::move(theirs))[0]);
  EXPECT_OK(archive_->Get("D00000002"));
  EXPECT_OK((*second)->Get("D00000001"));
  ArchiveOptions ro = options_;
  ro.read_only = true;
  auto reader = Archive::Open(ro, fs_.get(), &clock_);
  ASSERT_OK(reader);
  EXPECT_OK((*reader)->Get("D00000002"));
  std::vector<IncomingFile> files;
  files.push_back(File("c", "no"));
  EXPECT_EQ((*reader)->Ingest(std::move(files))[0].status().code(),
            Status::Code::kFailedPrecondition);
  second->reset();
  auto report = archive_->Verify();
  ASSERT_OK(report);
  EXPECT_TRUE(report->failed.empty()) << ToJson(*report).dump();
  EXPECT_EQ(report->documents, 2u);
}

// Regression (review finding): a Shift_JIS file name from a Windows share
// made the catalog's JSON dump throw and the process abort.
TEST_F(ArchiveTest, FileNameThatIsNotUtf8IsStoredWithReplacementCharacters) {
  std::vector<IncomingFile> files;
  files.push_back(File("ok.txt", "fine"));
  files.push_back(File("\x90\xbf\x8b\x81\x8f\x91.pdf", "%PDF sjis name"));  // 請求書 in Shift_JIS
  auto results = archive_->Ingest(std::move(files));
  ASSERT_EQ(results.size(), 2u);
  ASSERT_OK(results[0]);
  ASSERT_OK(results[1]);
  auto view = archive_->Get(results[1]->id);
  ASSERT_OK(view);
  EXPECT_NE(view->receipts[0].file_name.find("\xEF\xBF\xBD"), std::string::npos);
  EXPECT_NE(view->receipts[0].file_name.find(".pdf"), std::string::npos);
  auto report = archive_->Verify();
  ASSERT_OK(report);
  EXPECT_TRUE(report->failed.empty()) << ToJson(*report).dump();
  EXPECT_OK(archive_->Correct(results[1]->id, Total("1"), "cli:\xff", "\x82\xa0"));
}

TEST_F(ArchiveTest, UnknownIdsAreClearErrors) {
  EXPECT_EQ(archive_->Get("invoice-7").status().code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(archive_->Get("D00000007").status().IsNotFound());
}

TEST_F(ArchiveTest, FieldReaderFillsFieldsAndWarnings) {
  archive_->SetFieldReader([](std::string_view bytes) {
    invoice::ReadResult r;
    r.fields.format = "test";
    r.fields.page_count = static_cast<int>(bytes.size());
    r.warnings.push_back({"w", "注意"});
    return r;
  });
  const IngestOutcome out = IngestOne("a", "12345");
  EXPECT_EQ(out.fields.format, "test");
  EXPECT_EQ(out.fields.page_count, 5);
  ASSERT_EQ(out.warnings.size(), 1u);
  EXPECT_EQ(out.warnings[0].code, "w");
  auto view = archive_->Get(out.id);
  ASSERT_OK(view);
  EXPECT_EQ(view->versions[0].fields, out.fields);
  EXPECT_EQ(view->versions[0].warnings, out.warnings);
}

TEST_F(ArchiveTest, ModuleWriteCommitsItsTableAndEventTogether) {
  IngestOne("a.xml", "<Invoice/>");
  auto table = archive_->ledger().OpenTable("test_module");
  ASSERT_OK(table);
  ASSERT_OK(archive_->ledger().Write([&](storage::WriteTxn& txn, const ledger::AppendEvent& append) {
    RETURN_IF_ERROR(txn.Put(*table, "k", "v"));
    return append(json{{"type", "test.changed"}, {"key", "k"}}).status();
  }));
  EXPECT_EQ(*archive_->ledger().EventCount(), 2u);
  // A failing change leaves neither its record nor its event.
  EXPECT_FALSE(archive_->ledger().Write([&](storage::WriteTxn& txn, const ledger::AppendEvent& append) {
    RETURN_IF_ERROR(txn.Put(*table, "k2", "v2"));
    RETURN_IF_ERROR(append(json{{"type", "test.changed"}, {"key", "k2"}}).status());
    return Status::Aborted("guard failed");
  }).ok());
  EXPECT_EQ(*archive_->ledger().EventCount(), 2u);
  ASSERT_OK(archive_->ledger().Read([&](const storage::ReadTxn& txn) {
    EXPECT_TRUE(txn.Get(*table, "k").ok());
    EXPECT_FALSE(txn.Get(*table, "k2").ok());
    return Status::OK();
  }));
  // The archive's own event types cannot be forged by a module.
  EXPECT_FALSE(archive_->ledger().Write([&](storage::WriteTxn&, const ledger::AppendEvent& append) {
    return append(json{{"type", "document.received"}, {"id", "D00000009"}}).status();
  }).ok());
  auto report = archive_->Verify();
  ASSERT_OK(report);
  EXPECT_TRUE(report->failed.empty()) << ToJson(*report).dump();
  EXPECT_EQ(report->events, 2u);
  // Not yet signed: pending publication, which is not a failure.
  EXPECT_EQ(report->checkpoint_size, 0u);
  EXPECT_EQ(report->unpublished_events, 2u);
  ASSERT_OK(archive_->ledger().PublishCheckpoint());
  report = archive_->Verify();
  ASSERT_OK(report);
  EXPECT_TRUE(report->failed.empty()) << ToJson(*report).dump();
  EXPECT_EQ(report->checkpoint_size, 2u);
  EXPECT_EQ(report->unpublished_events, 0u);
}

}  // namespace
}  // namespace archive
