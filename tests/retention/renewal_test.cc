// Time-stamp renewal (retention/renewal.h) with a fake clock: without a
// renewal, `verify --at` a date after the first TSA certificate expired
// fails and names each document; after the built-in TSA rolled its
// certificate and a renewal covered the tokens, the same check passes; a
// second renewal covers the first and the documents stamped since; a
// changed renewal token, path or index breaks the chain; nothing is renewed
// before it is due.
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "archive/archive.h"
#include "invoice/fields_json.h"
#include "ledger/data_dir.h"
#include "ledger/tsa_roll.h"
#include "retention/renewal.h"
#include "signing/tsa_verify.h"
#include "tests/fakes/test_util.h"

namespace retention {
namespace {

using Code = base::Status::Code;
using nlohmann::json;

base::Time T(const char* rfc3339) { return *base::ParseRfc3339(rfc3339); }

class RenewalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.data_dir = dir_.Join("kura-data");
    options_.checkpoints.background = false;
    ASSERT_OK(ledger::InitDataDir(fs_.get(), ledger::DataDirLayout{options_.data_dir}, ""));
    Reopen();
  }
  void Reopen() {
    renewal_.reset();
    archive_.reset();
    auto a = archive::Archive::Open(options_, fs_.get(), &clock_);
    ASSERT_OK(a);
    archive_ = std::move(*a);
    archive_->SetFieldReader([](std::string_view bytes) {
      invoice::ReadResult r;
      r.fields = *invoice::FieldsFromJson(json::parse(bytes));
      return r;
    });
    auto r = Renewal::Open(archive_.get(), &clock_);
    ASSERT_OK(r);
    renewal_ = std::move(*r);
  }
  std::string Receive() {
    invoice::InvoiceFields f;
    f.document_type = "invoice";
    f.invoice_number = "INV-" + std::to_string(++files_);
    auto results = archive_->Ingest({archive::IncomingFile{
        "invoice-" + std::to_string(files_) + ".json", "somu", "upload", "kato",
        invoice::FieldsToJson(f).dump()}});
    EXPECT_OK(results[0]);
    return results[0].ok() ? results[0]->id : "";
  }
  // What the operator does a year before the TSA certificate ends: roll
  // the built-in TSA's certificate (kura retention renew does it before
  // opening the archive), then renew.
  void RollAndReopen() {
    renewal_.reset();
    archive_.reset();
    auto roll = ledger::RollTsaCertificateIfDue(fs_.get(), ledger::DataDirLayout{options_.data_dir},
                                                clock_.Now(), std::chrono::days(365), false);
    ASSERT_OK(roll);
    EXPECT_TRUE(roll->rolled);
    Reopen();
  }
  std::vector<std::string> FailuresAt(const char* rfc3339, uint64_t* checked = nullptr) {
    auto failed = renewal_->VerifyAt(T(rfc3339), checked);
    EXPECT_OK(failed);
    std::vector<std::string> out;
    if (!failed.ok()) return out;
    for (const auto& f : *failed) out.push_back(f.id + ":" + f.reason + ":" + f.detail);
    return out;
  }

  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  // The TSA certificate kura init makes now is valid 11 years: to 2037-05-12.
  base::FakeClock clock_{T("2026-05-12T01:00:00Z")};
  archive::ArchiveOptions options_;
  std::unique_ptr<archive::Archive> archive_;
  std::unique_ptr<Renewal> renewal_;
  int files_ = 0;
};

TEST_F(RenewalTest, WithoutARenewalVerifyAtALaterDateFailsAndNamesTheDocument) {
  const std::string a = Receive(), b = Receive();
  uint64_t checked = 0;
  EXPECT_TRUE(FailuresAt("2037-01-01T00:00:00Z", &checked).empty());  // still valid
  EXPECT_EQ(checked, 2u);
  const std::vector<std::string> failed = FailuresAt("2038-01-01T00:00:00Z");
  ASSERT_EQ(failed.size(), 2u);
  EXPECT_EQ(failed[0].rfind(a + ":timestamp_expired:" + a + ": ", 0), 0u) << failed[0];
  EXPECT_NE(failed[0].find("2037-05-12 に期限が切れており"), std::string::npos) << failed[0];
  EXPECT_NE(failed[0].find("更新（再タイムスタンプ）がありません"), std::string::npos);
  EXPECT_EQ(failed[1].rfind(b + ":timestamp_expired:", 0), 0u) << failed[1];
}

TEST_F(RenewalTest, RenewalChainVerifiesAfterTheFirstCertificateExpired) {
  const std::string a = Receive(), b = Receive(), c = Receive();
  // Not due ten years ahead of the end.
  auto early = renewal_->Renew(false, false, "cli:test");
  ASSERT_OK(early);
  EXPECT_FALSE(early->due);
  EXPECT_FALSE(early->renewed);
  EXPECT_EQ(early->reason, "not_due");

  clock_.Set(T("2036-09-01T00:00:00Z"));  // within a year of 2037-05-12
  RollAndReopen();
  auto dry = renewal_->Renew(false, /*dry_run=*/true, "cli:test");
  ASSERT_OK(dry);
  EXPECT_TRUE(dry->due);
  EXPECT_FALSE(dry->renewed);
  EXPECT_EQ(dry->reason, "certificate_expiring");
  EXPECT_EQ(dry->documents, 3u);
  ASSERT_OK(renewal_->List());
  EXPECT_TRUE(renewal_->List()->empty());

  auto done = renewal_->Renew(false, false, "cli:test");
  ASSERT_OK(done);
  EXPECT_TRUE(done->renewed);
  ASSERT_TRUE(done->record.has_value());
  EXPECT_EQ(done->record->id, "T00000001");
  EXPECT_EQ(done->record->leaves.size(), 3u);

  uint64_t checked = 0;
  EXPECT_TRUE(FailuresAt("2038-01-01T00:00:00Z", &checked).empty());
  EXPECT_EQ(checked, 3u);
  EXPECT_TRUE(FailuresAt("2045-06-01T00:00:00Z").empty());
  auto chain = renewal_->ChainOf(b);
  ASSERT_OK(chain);
  ASSERT_EQ(chain->links.size(), 2u);
  EXPECT_EQ(chain->links[1].renewal_id, "T00000001");
  EXPECT_EQ(chain->links[1].index, 1u);

  // The renewal is recorded through the one write path: verify replays it.
  auto report = archive_->Verify();
  ASSERT_OK(report);
  EXPECT_TRUE(report->failed.empty()) << ToJson(*report).dump();
  int events = 0;
  ASSERT_OK(archive_->ledger().ForEachEvent(0, [&](uint64_t, std::string_view e) {
    const json j = json::parse(e);
    if (j["type"] == "retention.timestamps.renewed") {
      ++events;
      EXPECT_EQ(j["renewal"]["id"], "T00000001");
      EXPECT_EQ(j["renewal"]["documents"], 3);
    }
    return base::Status::OK();
  }));
  EXPECT_EQ(events, 1);
  // Right after, nothing is due.
  auto again = renewal_->Renew(false, false, "cli:test");
  ASSERT_OK(again);
  EXPECT_FALSE(again->renewed);
}

TEST_F(RenewalTest, ALaterRenewalCoversThePreviousOneAndNewDocuments) {
  const std::string a = Receive();
  clock_.Set(T("2036-09-01T00:00:00Z"));
  RollAndReopen();
  ASSERT_OK(renewal_->Renew(false, false, "cli:test"));
  clock_.Set(T("2036-10-01T00:00:00Z"));
  const std::string d = Receive();  // signed with the new certificate
  auto second = renewal_->Renew(/*force=*/true, false, "cli:test");
  ASSERT_OK(second);
  EXPECT_EQ(second->reason, "forced");
  ASSERT_TRUE(second->record.has_value());
  ASSERT_EQ(second->record->leaves.size(), 2u);
  EXPECT_EQ(second->record->leaves[0].covers, "T00000001");
  EXPECT_EQ(second->record->leaves[1].covers, d);
  auto chain = renewal_->ChainOf(a);
  ASSERT_OK(chain);
  ASSERT_EQ(chain->links.size(), 3u);
  EXPECT_EQ(chain->links[2].renewal_id, "T00000002");
  EXPECT_TRUE(FailuresAt("2040-01-01T00:00:00Z").empty());
  // Verified as of a day between the two renewals, the second is left out.
  EXPECT_TRUE(FailuresAt("2036-09-15T00:00:00Z").empty());
}

TEST_F(RenewalTest, ChangedRenewalTokenPathOrIndexFails) {
  const std::string a = Receive();
  Receive();
  Receive();
  clock_.Set(T("2036-09-01T00:00:00Z"));
  RollAndReopen();
  ASSERT_OK(renewal_->Renew(false, false, "cli:test"));
  auto chain = renewal_->ChainOf(a);
  ASSERT_OK(chain);
  auto verifier = signing::TimestampVerifier::Create(archive_->ledger().TrustedTsaPem());
  ASSERT_OK(verifier);
  const base::Time at = T("2038-01-01T00:00:00Z");
  ASSERT_OK(VerifyChainAt(*chain, at, *verifier));

  EvidenceChain token = *chain;
  token.links[1].token_der[token.links[1].token_der.size() - 10] ^= 0x01;
  base::Status s = VerifyChainAt(token, at, *verifier);
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_EQ(s.message().rfind(a + ": 更新タイムスタンプ T00000001", 0), 0u) << s.message();

  EvidenceChain path = *chain;
  ASSERT_FALSE(path.links[1].path.empty());
  path.links[1].path[0].bytes[0] ^= 0x80;
  s = VerifyChainAt(path, at, *verifier);
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_NE(s.message().find("包含証明が合いません"), std::string::npos) << s.message();

  EvidenceChain index = *chain;
  index.links[1].index = 1;
  EXPECT_EQ(VerifyChainAt(index, at, *verifier).code(), Code::kCorruption);

  // Without its renewal link the document's own token has expired.
  EvidenceChain cut = *chain;
  cut.links.pop_back();
  EXPECT_EQ(VerifyChainAt(cut, at, *verifier).code(), Code::kFailedPrecondition);
}

TEST_F(RenewalTest, Sha256EndOfLifeMakesARenewalDueOnce) {
  Receive();
  RenewalPolicy policy;
  policy.sha256_end_of_life = *base::Date::Parse("2030-04-01");
  auto r = Renewal::Open(archive_.get(), &clock_, policy);
  ASSERT_OK(r);
  auto early = (*r)->Renew(false, true, "cli:test");
  ASSERT_OK(early);
  EXPECT_FALSE(early->due);
  clock_.Set(T("2029-06-01T00:00:00Z"));
  auto due = (*r)->Renew(false, false, "cli:test");
  ASSERT_OK(due);
  EXPECT_TRUE(due->renewed);
  EXPECT_EQ(due->reason, "hash_end_of_life");
  auto again = (*r)->Renew(false, false, "cli:test");
  ASSERT_OK(again);
  EXPECT_FALSE(again->due);
}

}  // namespace
}  // namespace retention
