// `Archive::Verify` must notice every way the stored evidence can be changed
// behind kura's back: a catalog record edited in the LMDB file, an event
// deleted or reordered, an original swapped for other bytes.
#include <gtest/gtest.h>

#include <filesystem>

#include "archive/archive.h"
#include "ledger/data_dir.h"
#include "signing/checkpoint.h"
#include "signing/merkle.h"
#include "signing/note.h"
#include "storage/key_codec.h"
#include "storage/lmdb_env.h"
#include "tests/archive/offline.h"
#include "tests/fakes/test_util.h"

namespace archive {
namespace {

using base::Status;
using nlohmann::json;

class TamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.data_dir = dir_.Join("kura-data");
    ASSERT_OK(ledger::InitDataDir(fs_.get(), ledger::DataDirLayout{options_.data_dir}, ""));
    Open();
    for (const char* bytes : {"%PDF-1.4 first invoice", "%PDF-1.4 second invoice",
                              "%PDF-1.4 third invoice"}) {
      std::vector<IncomingFile> files;
      files.push_back({"f.pdf", "somu", "cli", "cli:test", bytes});
      auto r = archive_->Ingest(std::move(files));
      ASSERT_OK(r[0]);
      ids_.push_back(r[0]->id);
      shas_.push_back(r[0]->sha256);
      clock_.Advance(std::chrono::hours(1));
    }
    invoice::FieldPatch total;
    total.total.Set("1000");
    ASSERT_OK(archive_->Correct(ids_[1], total, "tanaka", "入力"));
    archive_.reset();  // release the writer lock: the "attacker" edits offline
  }
  void Open() {
    auto a = Archive::Open(options_, fs_.get(), &clock_);
    ASSERT_OK(a);
    archive_ = std::move(*a);
  }
  VerifyReport VerifyNow() { return VerifyReadOnly(options_, fs_.get(), &clock_); }
  // Edits one LMDB table directly, as someone with file access could.
  void EditCatalog(const std::string& table,
                   const std::function<Status(storage::WriteTxn&, const storage::Table&)>& edit) {
    EditTableOffline(options_.data_dir, table, edit);
  }
  static bool HasFailure(const VerifyReport& r, const std::string& id, const std::string& reason) {
    for (const auto& f : r.failed) {
      if (f.id == id && f.reason == reason) return true;
    }
    return false;
  }
  static std::string Dump(const VerifyReport& r) { return ToJson(r).dump(); }

  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  base::FakeClock clock_{*base::ParseRfc3339("2026-11-22T01:00:00Z")};
  ArchiveOptions options_;
  std::unique_ptr<Archive> archive_;
  std::vector<std::string> ids_, shas_;
};

TEST_F(TamperTest, UntouchedArchiveVerifies) {
  const VerifyReport r = VerifyNow();
  EXPECT_TRUE(r.failed.empty()) << Dump(r);
  EXPECT_EQ(r.documents, 3u);
  EXPECT_EQ(r.ok, 3u);
  EXPECT_EQ(r.tokens_checked, 3u);
  EXPECT_EQ(r.events, 4u);
  EXPECT_EQ(r.checkpoint_size, 4u);
}

TEST_F(TamperTest, EditedCatalogRecordIsDetected) {
  EditCatalog("versions", [&](storage::WriteTxn& txn, const storage::Table& versions) -> Status {
    const std::string key = storage::KeyEncoder().U64(2).U32(2).Release();
    ASSIGN_OR_RETURN(std::string_view v, txn.Get(versions, key));
    json j = json::parse(v);
    j["fields"]["total"] = "9000";  // someone "corrects" an amount without a trace
    return txn.Put(versions, key, j.dump());
  });
  const VerifyReport r = VerifyNow();
  EXPECT_TRUE(HasFailure(r, ids_[1], "record_mismatch")) << Dump(r);
}

// Records are compared byte for byte with what the events carry, so an edit
// that a reader would not even see (a member kura does not read, another
// layout of the same JSON) is reported too.
TEST_F(TamperTest, EditInvisibleToTheRecordReaderIsDetected) {
  EditCatalog("receipts", [&](storage::WriteTxn& txn, const storage::Table& receipts) -> Status {
    const std::string key = storage::KeyEncoder().U64(1).U32(1).Release();
    ASSIGN_OR_RETURN(std::string_view v, txn.Get(receipts, key));
    json j = json::parse(v);
    j["zz_note"] = "added later";
    return txn.Put(receipts, key, j.dump());
  });
  EditCatalog("versions", [&](storage::WriteTxn& txn, const storage::Table& versions) -> Status {
    const std::string key = storage::KeyEncoder().U64(3).U32(1).Release();
    ASSIGN_OR_RETURN(std::string_view v, txn.Get(versions, key));
    return txn.Put(versions, key, json::parse(v).dump(2));  // same JSON, indented
  });
  const VerifyReport r = VerifyNow();
  EXPECT_TRUE(HasFailure(r, ids_[0], "record_mismatch")) << Dump(r);
  EXPECT_TRUE(HasFailure(r, ids_[2], "record_mismatch")) << Dump(r);
  EXPECT_FALSE(HasFailure(r, ids_[1], "record_mismatch")) << Dump(r);
}

// The search index is what an auditor's search sees: an entry removed (a
// document hidden from a search), a row rewritten, an entry planted or a day
// count changed is reported.
TEST_F(TamperTest, SearchIndexEditsAreDetected) {
  const std::string v2 = storage::KeyEncoder().U64(2).U32(2).Release();  // D2, corrected
  EditCatalog("s_ix_amount", [&](storage::WriteTxn& txn, const storage::Table& t) -> Status {
    ASSIGN_OR_RETURN(storage::Cursor c, txn.NewCursor(t));
    for (bool ok = c.First(); ok; ok = c.Next()) {
      if (c.key().ends_with(v2)) {
        const std::string key(c.key());
        return txn.Delete(t, key);
      }
    }
    return Status::NotFound("no entry of D00000002 version 2");
  });
  EditCatalog("s_rows", [&](storage::WriteTxn& txn, const storage::Table& t) -> Status {
    const std::string key = storage::KeyEncoder().U64(1).U32(1).Release();
    ASSIGN_OR_RETURN(std::string_view v, txn.Get(t, key));
    std::string row(v);
    row.back() ^= 1;
    return txn.Put(t, key, row);
  });
  VerifyReport r = VerifyNow();
  EXPECT_TRUE(HasFailure(r, ids_[1], "index_mismatch")) << Dump(r);
  EXPECT_TRUE(HasFailure(r, ids_[0], "index_mismatch")) << Dump(r);
  EXPECT_FALSE(HasFailure(r, ids_[2], "index_mismatch")) << Dump(r);
  EXPECT_NE(Dump(r).find("s_ix_amount"), std::string::npos) << Dump(r);
  EXPECT_NE(Dump(r).find("s_rows"), std::string::npos) << Dump(r);
}

TEST_F(TamperTest, PlantedSearchEntriesAndDayCountsAreDetected) {
  EditCatalog("s_ix_date", [&](storage::WriteTxn& txn, const storage::Table& t) -> Status {
    ASSIGN_OR_RETURN(storage::Cursor c, txn.NewCursor(t));
    if (!c.First()) return Status::NotFound("empty index");
    const std::string key = std::string(c.key()) + "x", value(c.value());
    return txn.Put(t, key, value);  // an entry no version explains
  });
  VerifyReport r = VerifyNow();
  EXPECT_TRUE(HasFailure(r, "search_index", "index_mismatch")) << Dump(r);
  EXPECT_NE(Dump(r).find("s_ix_date の項目が 5 件あります（版は 4 件）"), std::string::npos)
      << Dump(r);

  EditCatalog("s_ix_date", [&](storage::WriteTxn& txn, const storage::Table& t) -> Status {
    ASSIGN_OR_RETURN(storage::Cursor c, txn.NewCursor(t));
    std::string planted;
    for (bool ok = c.First(); ok; ok = c.Next()) {
      if (c.key().ends_with("x")) planted = c.key();
    }
    return txn.Delete(t, planted);
  });
  EXPECT_TRUE(VerifyNow().failed.empty());
  EditCatalog("s_days", [&](storage::WriteTxn& txn, const storage::Table& t) -> Status {
    ASSIGN_OR_RETURN(storage::Cursor c, txn.NewCursor(t));
    if (!c.First()) return Status::NotFound("no day");
    const std::string key(c.key());
    return txn.Put(t, key, storage::KeyEncoder().U64(7).Release());
  });
  r = VerifyNow();
  EXPECT_TRUE(HasFailure(r, "search_index", "index_mismatch")) << Dump(r);
  EXPECT_NE(Dump(r).find("s_days"), std::string::npos) << Dump(r);
}

TEST_F(TamperTest, RecordWithoutEventIsDetected) {
  EditCatalog("documents", [&](storage::WriteTxn& txn, const storage::Table& docs) -> Status {
    ASSIGN_OR_RETURN(std::string_view v, txn.Get(docs, storage::KeyEncoder().U64(1).key()));
    json j = json::parse(v);
    j["seq"] = 99;
    return txn.Put(docs, storage::KeyEncoder().U64(99).key(), j.dump());
  });
  const VerifyReport r = VerifyNow();
  EXPECT_TRUE(HasFailure(r, "D00000099", "unexplained_record")) << Dump(r);
}

TEST_F(TamperTest, DeletedEventIsDetected) {
  EditCatalog("events", [&](storage::WriteTxn& txn, const storage::Table& events) -> Status {
    return txn.Delete(events, storage::KeyEncoder().U64(3).key());  // the correction
  });
  const VerifyReport r = VerifyNow();
  EXPECT_TRUE(HasFailure(r, "log", "tree_mismatch")) << Dump(r);
}

TEST_F(TamperTest, DeletedEventInTheMiddleIsDetected) {
  EditCatalog("events", [&](storage::WriteTxn& txn, const storage::Table& events) -> Status {
    return txn.Delete(events, storage::KeyEncoder().U64(1).key());
  });
  const VerifyReport r = VerifyNow();
  EXPECT_TRUE(HasFailure(r, "log", "tree_mismatch")) << Dump(r);
}

// The same event, re-serialised in another (valid JSON, same meaning) form:
// only the canonical-form check and the tree notice; the catalog still
// matches what the event says.
TEST_F(TamperTest, NonCanonicalEventIsDetected) {
  EditCatalog("events", [&](storage::WriteTxn& txn, const storage::Table& events) -> Status {
    const std::string key = storage::KeyEncoder().U64(2).Release();
    ASSIGN_OR_RETURN(std::string_view v, txn.Get(events, key));
    return txn.Put(events, key, json::parse(v).dump(1));
  });
  const VerifyReport r = VerifyNow();
  EXPECT_TRUE(HasFailure(r, "log", "record_mismatch")) << Dump(r);
  EXPECT_TRUE(HasFailure(r, "log", "tree_mismatch")) << Dump(r);
  EXPECT_FALSE(HasFailure(r, ids_[2], "record_mismatch")) << Dump(r);
  EXPECT_EQ(r.ok, 3u) << Dump(r);
}

TEST_F(TamperTest, ReorderedEventsAreDetected) {
  EditCatalog("events", [&](storage::WriteTxn& txn, const storage::Table& events) -> Status {
    const std::string k0 = storage::KeyEncoder().U64(0).Release();
    const std::string k1 = storage::KeyEncoder().U64(1).Release();
    ASSIGN_OR_RETURN(std::string_view v0, txn.Get(events, k0));
    const std::string e0(v0);
    ASSIGN_OR_RETURN(std::string_view v1, txn.Get(events, k1));
    const std::string e1(v1);
    RETURN_IF_ERROR(txn.Put(events, k0, e1));
    return txn.Put(events, k1, e0);
  });
  const VerifyReport r = VerifyNow();
  EXPECT_TRUE(HasFailure(r, "log", "tree_mismatch")) << Dump(r);
}

TEST_F(TamperTest, SwappedObjectIsDetected) {
  // Replace the first original with the bytes of the second.
  const auto path = [&](const std::string& sha) {
    return options_.data_dir + "/objects/sha256/" + sha.substr(0, 2) + "/" + sha.substr(2, 2) +
           "/" + sha;
  };
  std::filesystem::permissions(path(shas_[0]), std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  std::filesystem::copy_file(path(shas_[1]), path(shas_[0]),
                             std::filesystem::copy_options::overwrite_existing);
  const VerifyReport r = VerifyNow();
  EXPECT_TRUE(HasFailure(r, ids_[0], "changed")) << Dump(r);
  EXPECT_EQ(r.ok, 2u);
}

TEST_F(TamperTest, ForgedTokenIsDetected) {
  EditCatalog("tokens", [&](storage::WriteTxn& txn, const storage::Table& tokens) -> Status {
    // Point document 1 at document 2's token: a valid token, for other bytes.
    ASSIGN_OR_RETURN(std::string_view v, txn.Get(tokens, storage::KeyEncoder().U64(2).key()));
    return txn.Put(tokens, storage::KeyEncoder().U64(1).key(), std::string(v));
  });
  const VerifyReport r = VerifyNow();
  EXPECT_TRUE(HasFailure(r, ids_[0], "record_mismatch")) << Dump(r);
  EXPECT_TRUE(HasFailure(r, ids_[0], "timestamp_invalid")) << Dump(r);
}

// Regression (review finding): an injected by_sha256 row would make later
// receipts of new bytes "duplicates" of another document.
TEST_F(TamperTest, InjectedShaIndexRowIsDetected) {
  EditCatalog("by_sha256", [&](storage::WriteTxn& txn, const storage::Table& t) -> Status {
    return txn.Put(t, std::string(64, 'a'), storage::KeyEncoder().U64(1).key());
  });
  const VerifyReport r = VerifyNow();
  EXPECT_TRUE(HasFailure(r, "catalog", "unexplained_record")) << Dump(r);
}

// Regression: a record whose seq differs from its key made verify loop.
TEST_F(TamperTest, RecordClaimingAnotherSeqIsAnErrorNotAHang) {
  EditCatalog("documents", [&](storage::WriteTxn& txn, const storage::Table& docs) -> Status {
    const std::string key = storage::KeyEncoder().U64(2).Release();
    ASSIGN_OR_RETURN(std::string_view v, txn.Get(docs, key));
    json j = json::parse(v);
    j["seq"] = 1;
    return txn.Put(docs, key, j.dump());
  });
  ArchiveOptions ro = options_;
  ro.read_only = true;
  auto a = Archive::Open(ro, fs_.get(), &clock_);
  ASSERT_OK(a);
  auto r = (*a)->Verify();
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsCorruption()) << r.status().ToString();
}

// Regression: the stored DER must hash to the key the log committed to.
TEST_F(TamperTest, ReplacedTokenBytesAreDetected) {
  EditCatalog("tsr", [&](storage::WriteTxn& txn, const storage::Table& t) -> Status {
    ASSIGN_OR_RETURN(storage::Cursor c, txn.NewCursor(t));
    if (!c.First()) return Status::NotFound("no tsr");
    const std::string key(c.key());
    std::string der(c.value());
    der[der.size() - 1] ^= 0x01;
    return txn.Put(t, key, der);
  });
  const VerifyReport r = VerifyNow();
  EXPECT_FALSE(r.failed.empty()) << Dump(r);
  bool found = false;
  for (const auto& f : r.failed) found |= f.reason == "timestamp_invalid";
  EXPECT_TRUE(found) << Dump(r);
}

TEST_F(TamperTest, RewrittenHistoryWithAFreshCheckpointFailsTheSignature) {
  // An attacker who edits an event and replaces the checkpoint cannot sign
  // it with the log key: the checkpoint no longer verifies.
  EditCatalog("checkpoints", [&](storage::WriteTxn& txn, const storage::Table& cps) -> Status {
    ASSIGN_OR_RETURN(storage::Cursor c, txn.NewCursor(cps));
    if (!c.Last()) return Status::NotFound("no checkpoint");
    const std::string key(c.key());
    json j = json::parse(c.value());
    std::string note = j["note"];
    note[note.find('\n') + 1] = '9';  // claim another size
    j["note"] = note;
    return txn.Put(cps, key, j.dump());
  });
  const VerifyReport r = VerifyNow();
  EXPECT_TRUE(HasFailure(r, "checkpoint", "checkpoint_invalid")) << Dump(r);
}

TEST_F(TamperTest, InclusionProofLeadsToTheSignedCheckpoint) {
  ArchiveOptions ro = options_;
  ro.read_only = true;
  auto a = Archive::Open(ro, fs_.get(), &clock_);
  ASSERT_OK(a);
  auto proof = (*a)->ProveDocument(ids_[1]);
  ASSERT_OK(proof);
  auto verifier = signing::NoteVerifier::FromVerifierKey((*a)->ledger().VerifierKey());
  ASSERT_OK(verifier);
  auto cp = signing::VerifyCheckpoint(proof->checkpoint, *verifier);
  ASSERT_OK(cp);
  EXPECT_EQ(cp->size, proof->tree_size);
  EXPECT_EQ(signing::HashLeaf(proof->event), proof->leaf_hash);
  EXPECT_OK(signing::VerifyInclusion(proof->event_index, proof->tree_size, proof->leaf_hash,
                                     proof->proof, cp->root));
  EXPECT_NE(proof->event.find(shas_[1]), std::string::npos);
}

TEST_F(TamperTest, PeriodVerificationChecksOnlyThatPeriodsDocuments) {
  ArchiveOptions ro = options_;
  ro.read_only = true;
  auto a = Archive::Open(ro, fs_.get(), &clock_);
  ASSERT_OK(a);
  VerifyOptions period;
  period.from = base::Date(2026, 11, 22);
  period.to = base::Date(2026, 11, 22);
  auto r = (*a)->Verify(period);
  ASSERT_OK(r);
  EXPECT_EQ(r->documents, 3u);  // received 10:00–12:00 JST on the 22nd
  period.from = base::Date(2026, 11, 23);
  period.to = std::nullopt;
  r = (*a)->Verify(period);
  ASSERT_OK(r);
  EXPECT_EQ(r->documents, 0u);
  EXPECT_TRUE(r->failed.empty());
}

}  // namespace
}  // namespace archive
