// Retention (retention/retention.h) with a fake clock: the fiscal-year
// boundaries of retain-until, extension allowed and shortening refused,
// holds that block disposal, the four-eyes rule of disposal, the tombstone
// that `kura verify` accepts, a missing original without one that it still
// reports, and the events in the log.
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "archive/archive.h"
#include "invoice/fields_json.h"
#include "ledger/data_dir.h"
#include "retention/retention.h"
#include "retention/schedule.h"
#include "tests/fakes/test_util.h"

namespace retention {
namespace {

using Code = base::Status::Code;
using nlohmann::json;
using workflow::Role;
using workflow::User;

base::Date D(const char* s) { return *base::Date::Parse(s); }

TEST(ScheduleTest, RetainUntilCountsFromTheEndOfTheFiscalYear) {
  // FY2026 is 2026-04-01 .. 2027-03-31: ten years after its end.
  EXPECT_EQ(RetainUntil(D("2026-04-01"), 10), D("2037-03-31"));
  EXPECT_EQ(RetainUntil(D("2027-03-31"), 10), D("2037-03-31"));
  // 31 March belongs to the fiscal year before, 1 April to the next.
  EXPECT_EQ(RetainUntil(D("2026-03-31"), 10), D("2036-03-31"));
  EXPECT_EQ(RetainUntil(D("2026-04-01"), 5), D("2032-03-31"));
  EXPECT_FALSE(IsExpired(D("2037-03-31"), D("2037-03-31")));
  EXPECT_TRUE(IsExpired(D("2037-03-31"), D("2037-04-01")));
}

TEST(ScheduleTest, ClassesComeFromTheDocumentTypeAndUnknownIsKeptLongest) {
  Schedule s;
  EXPECT_OK(s.Validate());
  EXPECT_EQ(ClassOf(s, "invoice"), "payment_evidence");
  EXPECT_EQ(ClassOf(s, "credit_note"), "payment_evidence");
  EXPECT_EQ(ClassOf(s, "unknown"), "payment_evidence");
  s.document_types["unknown"] = "other";
  EXPECT_EQ(ClassOf(s, "unknown"), "other");
  s.document_types["receipt"] = "nonexistent";
  EXPECT_EQ(s.Validate().code(), Code::kInvalidArgument);
  Schedule bad;
  bad.years["other"] = 0;
  EXPECT_EQ(bad.Validate().code(), Code::kInvalidArgument);
}

TEST(ScheduleTest, HoldKindsByKeyOrJapaneseLabel) {
  EXPECT_EQ(*ParseHoldKind("litigation"), "litigation");
  EXPECT_EQ(*ParseHoldKind("訴訟"), "litigation");
  EXPECT_EQ(*ParseHoldKind("住民監査請求"), "resident_audit");
  EXPECT_EQ(*ParseHoldKind("情報公開請求"), "disclosure");
  EXPECT_EQ(*ParseHoldKind("監査"), "audit");
  EXPECT_EQ(ParseHoldKind("whim").status().code(), Code::kInvalidArgument);
}

class RetentionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.data_dir = dir_.Join("kura-data");
    ASSERT_OK(ledger::InitDataDir(fs_.get(), ledger::DataDirLayout{options_.data_dir}, ""));
    Reopen();
  }
  void Reopen() {
    retention_.reset();
    archive_.reset();
    auto a = archive::Archive::Open(options_, fs_.get(), &clock_);
    ASSERT_OK(a);
    archive_ = std::move(*a);
    archive_->SetFieldReader([](std::string_view bytes) {
      invoice::ReadResult r;
      r.fields = *invoice::FieldsFromJson(json::parse(bytes));
      return r;
    });
    auto r = Retention::Open(archive_.get(), &clock_);
    ASSERT_OK(r);
    retention_ = std::move(*r);
  }
  // Receives an invoice issued on `issued` ("" for none: a scan).
  std::string Receive(const std::string& issued, const std::string& type = "invoice") {
    invoice::InvoiceFields f;
    f.document_type = type;
    if (!issued.empty()) f.issue_date = issued;
    f.invoice_number = "INV-" + std::to_string(++files_);
    auto results = archive_->Ingest({archive::IncomingFile{
        "invoice-" + std::to_string(files_) + ".json", "somu", "upload", "kato",
        invoice::FieldsToJson(f).dump()}});
    EXPECT_OK(results[0]);
    return results[0].ok() ? results[0]->id : "";
  }
  void SetToday(const char* rfc3339) { clock_.Set(*base::ParseRfc3339(rfc3339)); }
  static User Person(const std::string& login, Role role) {
    return User{login, login + "さん", "somu", {role}, "", true};
  }
  std::vector<json> EventsOfType(std::string_view prefix) {
    std::vector<json> out;
    EXPECT_OK(archive_->ledger().ForEachEvent(0, [&](uint64_t, std::string_view e) {
      json j = json::parse(e);
      if (j["type"].get<std::string>().rfind(prefix, 0) == 0) out.push_back(j);
      return base::Status::OK();
    }));
    return out;
  }
  base::Result<DisposalRequest> Dispose(const std::string& id) {
    auto r = retention_->RequestDisposal(id, "保存期間満了", sato_);
    if (!r.ok()) return r.status();
    return retention_->ApproveDisposal(r->id, suzuki_);
  }
  std::vector<std::string> Failures() {
    auto report = archive_->Verify();
    EXPECT_OK(report);
    std::vector<std::string> out;
    if (!report.ok()) return out;
    for (const auto& f : report->failed) out.push_back(f.id + ":" + f.reason);
    return out;
  }

  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  base::FakeClock clock_{*base::ParseRfc3339("2026-05-12T01:00:00Z")};
  archive::ArchiveOptions options_;
  std::unique_ptr<archive::Archive> archive_;
  std::unique_ptr<Retention> retention_;
  int files_ = 0;
  const User sato_ = Person("sato", Role::kCompliance);
  const User suzuki_ = Person("suzuki", Role::kCompliance);
  const User kansa_ = Person("kansa", Role::kAuditor);
  const User clerk_ = Person("kato", Role::kClerk);
};

TEST_F(RetentionTest, FiscalYearBoundaryOfTheTransactionDate) {
  const std::string march = Receive("2026-03-31");
  const std::string april = Receive("2026-04-01");
  auto m = retention_->Show(march, kansa_);
  auto a = retention_->Show(april, kansa_);
  ASSERT_OK(m);
  ASSERT_OK(a);
  EXPECT_EQ(m->retain_until, D("2036-03-31"));
  EXPECT_EQ(a->retain_until, D("2037-03-31"));
  EXPECT_EQ(a->date_source, "issue_date");
  EXPECT_EQ(a->document_class, "payment_evidence");
  // The day after retain-until the March one is due, the April one not.
  SetToday("2036-03-31T14:59:59Z");  // 23:59:59 in Japan
  EXPECT_TRUE(retention_->Due(kansa_)->empty());
  SetToday("2036-03-31T15:00:00Z");  // 2036-04-01 00:00 in Japan
  auto due = retention_->Due(kansa_);
  ASSERT_OK(due);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].id, march);
}

TEST_F(RetentionTest, WithoutAnIssueDateTheReceiptDateCounts) {
  SetToday("2027-03-31T03:00:00Z");  // received on 2027-03-31: FY2026
  const std::string scan = Receive("", "unknown");
  auto d = retention_->Show(scan, sato_);
  ASSERT_OK(d);
  EXPECT_EQ(d->date_source, "received");
  EXPECT_EQ(d->transaction_date, D("2027-03-31"));
  EXPECT_EQ(d->retain_until, D("2037-03-31"));
}

TEST_F(RetentionTest, ExtensionAllowedShorteningRefused) {
  const std::string id = Receive("2026-06-01");
  auto later = retention_->Extend(id, D("2040-03-31"), "訴訟の見込み", sato_);
  ASSERT_OK(later);
  EXPECT_EQ(later->retain_until, D("2040-03-31"));
  EXPECT_EQ(retention_->Show(id, kansa_)->retain_until, D("2040-03-31"));
  // Back towards the schedule, or to the same day: refused in Japanese.
  auto shorter = retention_->Extend(id, D("2038-03-31"), "誤り", sato_);
  EXPECT_EQ(shorter.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(shorter.status().message().find("短縮はできません"), std::string::npos);
  EXPECT_EQ(retention_->Extend(id, D("2040-03-31"), "同じ日", sato_).status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(retention_->Extend(id, D("2045-03-31"), "", sato_).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(retention_->Extend(id, D("2045-03-31"), "理由", kansa_).status().code(),
            Code::kPermissionDenied);
  // An extended document is not due when the schedule alone would say so.
  SetToday("2038-04-01T03:00:00Z");
  EXPECT_TRUE(retention_->Due(kansa_)->empty());
  EXPECT_EQ(retention_->RequestDisposal(id, "満了", sato_).status().code(),
            Code::kFailedPrecondition);
  auto events = EventsOfType("retention.extended");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["from"], "2037-03-31");
  EXPECT_EQ(events[0]["to"], "2040-03-31");
  EXPECT_EQ(events[0]["actor"], "sato");
  EXPECT_TRUE(Failures().empty());
}

TEST_F(RetentionTest, HoldBlocksDisposalUntilReleased) {
  const std::string id = Receive("2020-06-01");  // FY2020: kept until 2031-03-31
  const std::string other = Receive("2020-07-01");
  SetToday("2031-04-01T03:00:00Z");
  HoldRequest by_doc{"住民監査請求", "令和13年 住民監査請求第2号", {id}, {}};
  auto hold = retention_->PlaceHold(by_doc, sato_);
  ASSERT_OK(hold);
  EXPECT_EQ(hold->kind, "resident_audit");
  EXPECT_EQ(retention_->PlaceHold(by_doc, kansa_).status().code(), Code::kPermissionDenied);
  auto due = retention_->Due(kansa_);
  ASSERT_OK(due);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].id, other);
  auto refused = retention_->RequestDisposal(id, "満了", sato_);
  EXPECT_EQ(refused.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("法的保存"), std::string::npos);

  // A hold placed between request and approval stops the approval.
  auto request = retention_->RequestDisposal(other, "満了", sato_);
  ASSERT_OK(request);
  HoldRequest by_query{"litigation", "損害賠償請求事件", {}, {{"invoice_number", "INV-2"}}};
  auto query_hold = retention_->PlaceHold(by_query, sato_);
  ASSERT_OK(query_hold);
  EXPECT_EQ(retention_->ApproveDisposal(request->id, suzuki_).status().code(),
            Code::kFailedPrecondition);
  EXPECT_OK(archive_->ReadOriginal(other));

  // Released with a reason: an event; then the document may go.
  EXPECT_EQ(retention_->ReleaseHold(query_hold->id, "", sato_).status().code(),
            Code::kInvalidArgument);
  ASSERT_OK(retention_->ReleaseHold(query_hold->id, "訴訟終結", sato_));
  EXPECT_EQ(retention_->ReleaseHold(query_hold->id, "再度", sato_).status().code(),
            Code::kFailedPrecondition);
  ASSERT_OK(retention_->ApproveDisposal(request->id, suzuki_));
  EXPECT_EQ(retention_->ListHolds(false, kansa_)->size(), 1u);
  EXPECT_EQ(retention_->ListHolds(true, kansa_)->size(), 2u);
  EXPECT_EQ(retention_->ListHolds(false, clerk_).status().code(), Code::kPermissionDenied);
  auto released = EventsOfType("retention.hold.released");
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(released[0]["reason"], "訴訟終結");
  EXPECT_EQ(EventsOfType("retention.hold.placed").size(), 2u);
  EXPECT_TRUE(Failures().empty());
}

TEST_F(RetentionTest, OnePersonCannotDisposeAlone) {
  const std::string id = Receive("2020-06-01");
  SetToday("2031-04-01T03:00:00Z");
  auto request = retention_->RequestDisposal(id, "保存期間満了", sato_);
  ASSERT_OK(request);
  auto self = retention_->ApproveDisposal(request->id, sato_);
  EXPECT_EQ(self.status().code(), Code::kPermissionDenied);
  EXPECT_NE(self.status().message().find("別の文書管理担当者"), std::string::npos);
  // Neither an auditor nor a clerk may approve.
  EXPECT_EQ(retention_->ApproveDisposal(request->id, kansa_).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(retention_->ApproveDisposal(request->id, clerk_).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(retention_->RequestDisposal(id, "二重", suzuki_).status().code(),
            Code::kAlreadyExists);
  EXPECT_OK(archive_->ReadOriginal(id));
  EXPECT_EQ(retention_->ListDisposals(false, kansa_)->size(), 1u);
  auto approved = retention_->ApproveDisposal(request->id, suzuki_);
  ASSERT_OK(approved);
  EXPECT_EQ(approved->state, "disposed");
  EXPECT_EQ(approved->approved_by, "suzuki");
  EXPECT_EQ(retention_->ApproveDisposal(request->id, suzuki_).status().code(),
            Code::kFailedPrecondition);
}

TEST_F(RetentionTest, NotDueIsRefused) {
  const std::string id = Receive("2026-06-01");
  auto r = retention_->RequestDisposal(id, "早すぎる", sato_);
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("保存期間中"), std::string::npos);
}

TEST_F(RetentionTest, DisposalLeavesATombstoneThatVerifyAccepts) {
  const std::string id = Receive("2020-06-01");
  const std::string kept = Receive("2026-06-01");
  auto before = archive_->Get(id);
  ASSERT_OK(before);
  const std::string sha = before->document.sha256;
  SetToday("2031-04-01T03:00:00Z");
  bool removed = false;
  auto request = retention_->RequestDisposal(id, "保存期間満了", sato_);
  ASSERT_OK(request);
  ASSERT_OK(retention_->ApproveDisposal(request->id, suzuki_, &removed));
  EXPECT_TRUE(removed);

  // The bytes are gone; the tombstone says what they were and who decided.
  ledger::DataDirLayout layout{options_.data_dir};
  EXPECT_TRUE(fs_->Stat(layout.objects() + "/sha256/" + sha.substr(0, 2) + "/" +
                        sha.substr(2, 2) + "/" + sha)
                  .status()
                  .IsNotFound());
  auto view = archive_->Get(id);
  ASSERT_OK(view);
  ASSERT_TRUE(view->disposed.has_value());
  EXPECT_EQ(view->disposed->sha256, sha);
  EXPECT_EQ(view->disposed->size, before->document.size);
  EXPECT_EQ(view->disposed->requested_by, "sato");
  EXPECT_EQ(view->disposed->approved_by, "suzuki");
  EXPECT_EQ(view->disposed->details["class"], "payment_evidence");
  EXPECT_EQ(view->disposed->details["transaction_date"], "2020-06-01");
  EXPECT_EQ(view->disposed->details["retain_until"], "2031-03-31");
  const json shown = archive::ToJson(*view);
  EXPECT_EQ(shown["state_label"], "廃棄済み");
  auto original = archive_->ReadOriginal(id);
  EXPECT_EQ(original.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(original.status().message().find("廃棄済み"), std::string::npos);
  // Search shows it as disposed.
  auto hits = archive_->Search(archive::SearchQuery{});
  ASSERT_OK(hits);
  ASSERT_EQ(hits->items.size(), 2u);
  for (const auto& item : hits->items) EXPECT_EQ(item.disposed, item.id == id) << item.id;
  EXPECT_EQ(archive::ToJson(*hits)["items"][0]["state_label"], "廃棄済み");
  EXPECT_EQ(retention_->Show(id, kansa_)->disposed, true);
  EXPECT_TRUE(retention_->Due(kansa_)->empty());

  // The events: the archive's tombstone, then retention's approval.
  auto disposed = EventsOfType("document.disposed");
  ASSERT_EQ(disposed.size(), 1u);
  EXPECT_EQ(disposed[0]["id"], id);
  EXPECT_EQ(disposed[0]["tombstone"]["sha256"], sha);
  EXPECT_EQ(EventsOfType("retention.disposal.requested").size(), 1u);
  auto approved = EventsOfType("retention.disposal.approved");
  ASSERT_EQ(approved.size(), 1u);
  EXPECT_EQ(approved[0]["actor"], "suzuki");
  EXPECT_EQ(approved[0]["requested_by"], "sato");

  // verify: disposed, not missing; and after a reopen too.
  EXPECT_TRUE(Failures().empty());
  Reopen();
  EXPECT_TRUE(Failures().empty());
  EXPECT_OK(archive_->ReadOriginal(kept));
}

TEST_F(RetentionTest, MissingOriginalWithoutTombstoneStillFailsVerify) {
  const std::string id = Receive("2020-06-01");
  const std::string gone = Receive("2020-07-01");
  SetToday("2031-04-01T03:00:00Z");
  ASSERT_OK(Dispose(id));
  const std::string sha = archive_->Get(gone)->document.sha256;
  ledger::DataDirLayout layout{options_.data_dir};
  ASSERT_OK(fs_->RemoveFile(layout.objects() + "/sha256/" + sha.substr(0, 2) + "/" +
                            sha.substr(2, 2) + "/" + sha));
  EXPECT_EQ(Failures(), std::vector<std::string>{gone + ":missing"});
}

TEST_F(RetentionTest, LeftoverBytesOfADisposalAreToleratedAndRemovedOnOpen) {
  const std::string id = Receive("2020-06-01");
  const std::string sha = archive_->Get(id)->document.sha256;
  const std::string bytes = *archive_->ReadOriginal(id);
  SetToday("2031-04-01T03:00:00Z");
  ASSERT_OK(Dispose(id));
  // As if the process died after the commit, before the removal: the
  // bytes are back and the removal is still to do.
  ledger::DataDirLayout layout{options_.data_dir};
  const std::string path =
      layout.objects() + "/sha256/" + sha.substr(0, 2) + "/" + sha.substr(2, 2) + "/" + sha;
  kura_test::WriteFileOrDie(path, bytes);
  auto unremoved = archive_->ledger().OpenDerivedTable("idx_unremoved");
  ASSERT_OK(unremoved);
  ASSERT_OK(archive_->ledger().Write([&](storage::WriteTxn& txn, const ledger::AppendEvent&) {
    return txn.Put(*unremoved, std::string(7, '\0') + '\1', sha);
  }));
  EXPECT_TRUE(Failures().empty());  // tolerated, not a failure
  EXPECT_OK(fs_->Stat(path));
  Reopen();  // a writer's open removes them
  EXPECT_TRUE(fs_->Stat(path).status().IsNotFound());
  EXPECT_TRUE(Failures().empty());
}

TEST_F(RetentionTest, AnEditedTombstoneIsReportedByVerify) {
  const std::string id = Receive("2020-06-01");
  SetToday("2031-04-01T03:00:00Z");
  ASSERT_OK(Dispose(id));
  // Rewrite the catalog's tombstone behind kura's back.
  auto table = archive_->ledger().OpenReplayedTable("disposed");
  ASSERT_OK(table);
  ASSERT_OK(archive_->ledger().Write([&](storage::WriteTxn& txn, const ledger::AppendEvent&) {
    std::string key(8, '\0');
    key[7] = 1;
    auto v = txn.Get(*table, key);
    if (!v.ok()) return v.status();
    std::string edited(*v);
    edited.replace(edited.find("suzuki"), 6, "sato00");
    return txn.Put(*table, key, edited);
  }));
  EXPECT_EQ(Failures(), std::vector<std::string>{id + ":record_mismatch"});
}

TEST_F(RetentionTest, TheScheduleCannotBeShortenedByConfiguration) {
  const std::string id = Receive("2020-06-01");
  Schedule longer;
  longer.years["payment_evidence"] = 12;
  auto raised = Retention::Open(archive_.get(), &clock_, longer);
  ASSERT_OK(raised);
  EXPECT_EQ((*raised)->Show(id, kansa_)->retain_until, D("2033-03-31"));
  auto recorded = EventsOfType("retention.schedule.recorded");
  ASSERT_EQ(recorded.size(), 2u);  // the first open's, then the raise
  EXPECT_EQ(recorded[1]["from"]["class:payment_evidence"], 10);
  EXPECT_EQ(recorded[1]["to"]["class:payment_evidence"], 12);
  // Back to 10 years, or invoices moved to a shorter class: refused.
  auto back = Retention::Open(archive_.get(), &clock_, Schedule{});
  EXPECT_EQ(back.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(back.status().message().find("短縮できません"), std::string::npos);
  Schedule moved = longer;
  moved.document_types["invoice"] = "other";
  EXPECT_EQ(Retention::Open(archive_.get(), &clock_, moved).status().code(),
            Code::kFailedPrecondition);
  // Reopening with what was recorded writes nothing more.
  ASSERT_OK(Retention::Open(archive_.get(), &clock_, longer));
  EXPECT_EQ(EventsOfType("retention.schedule.recorded").size(), 2u);
  EXPECT_TRUE(Failures().empty());
}

TEST_F(RetentionTest, AuditorsReadClerksDoNot) {
  const std::string id = Receive("2026-06-01");
  EXPECT_OK(retention_->Show(id, kansa_));
  EXPECT_OK(retention_->Due(kansa_));
  EXPECT_EQ(retention_->Show(id, clerk_).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(retention_->Due(clerk_).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(retention_->ListDisposals(false, clerk_).status().code(), Code::kPermissionDenied);
  User disabled = sato_;
  disabled.active = false;
  EXPECT_EQ(retention_->Extend(id, D("2050-03-31"), "理由", disabled).status().code(),
            Code::kPermissionDenied);
}

}  // namespace
}  // namespace retention
