// Time-stamping in the write path: pending stamps when the TSA fails, retry,
// batch mode, and the built-in TSA checked by the real `openssl ts -verify`.
#include <gtest/gtest.h>

#include "archive/archive.h"
#include "ledger/data_dir.h"
#include "signing/sha256.h"
#include "signing/tsa.h"
#include "signing/tsa_identity.h"
#include "tests/fakes/test_util.h"

namespace archive {
namespace {

using base::Result;
using base::Status;

// An "external" TSA in-process: a real signing::Tsa behind the transport
// interface, which a test can switch off.
class FakeTsaTransport final : public signing::TsaTransport {
 public:
  explicit FakeTsaTransport(base::Time not_before) {
    signing::TsaIdentityOptions o;
    o.not_before = not_before - std::chrono::hours(24);
    identity_ = *signing::GenerateTsaIdentity(o);
    tsa_ = std::move(signing::Tsa::Create(identity_.tsa_key_pem, identity_.tsa_cert_pem)).value();
  }
  Result<std::string> Post(const std::string&, const std::string&,
                           const std::string& body) override {
    ++calls;
    if (down) return Status::Unavailable("connection refused");
    return tsa_->Respond(body, now);
  }
  std::string trusted_pem() const { return identity_.ca_cert_pem; }

  bool down = false;
  int calls = 0;
  base::Time now;

 private:
  signing::TsaIdentity identity_;
  std::unique_ptr<signing::Tsa> tsa_;
};

class TimestampTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.data_dir = dir_.Join("kura-data");
    ASSERT_OK(ledger::InitDataDir(fs_.get(), ledger::DataDirLayout{options_.data_dir}, ""));
    tsa_.now = clock_.Now();
  }
  void Open() {
    archive_.reset();
    auto a = Archive::Open(options_, fs_.get(), &clock_);
    ASSERT_OK(a);
    archive_ = std::move(*a);
  }
  void UseExternalTsa() {
    options_.timestamp.url = "http://tsa.example/";
    options_.timestamp.trusted_pem = tsa_.trusted_pem();
    options_.timestamp.transport = &tsa_;
  }
  std::vector<IngestOutcome> Ingest(std::vector<std::string> contents) {
    std::vector<IncomingFile> files;
    for (auto& c : contents) files.push_back({"f", "somu", "cli", "cli:test", std::move(c)});
    std::vector<IngestOutcome> out;
    for (auto& r : archive_->Ingest(std::move(files))) {
      EXPECT_OK(r);
      if (r.ok()) out.push_back(*r);
    }
    return out;
  }
  std::string Write(const std::string& name, const std::string& data) {
    kura_test::WriteFileOrDie(dir_.Join(name), data);
    return dir_.Join(name);
  }

  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  base::FakeClock clock_{*base::ParseRfc3339("2026-11-22T01:00:00Z")};
  FakeTsaTransport tsa_{clock_.Now()};
  ArchiveOptions options_;
  std::unique_ptr<Archive> archive_;
};

TEST_F(TimestampTest, BuiltinTokenVerifiesWithOpensslAndFailsForChangedBytes) {
  Open();
  const std::string original = "%PDF-1.4 請求書 No. 42";
  const auto out = Ingest({original});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].timestamp, "granted");
  auto checked = archive_->CheckTimestamp(out[0].id);
  ASSERT_OK(checked);
  EXPECT_EQ(checked->status, "verified") << checked->problem;
  EXPECT_EQ(checked->gen_time, clock_.Now());
  EXPECT_FALSE(checked->serial.empty());
  EXPECT_TRUE(archive_->CheckTimestamp("D99999999").status().IsNotFound());
  auto der = archive_->TimestampResponse(out[0].id);
  ASSERT_OK(der);
  const std::string tsr = Write("token.tsr", *der);
  const std::string chain = Write("chain.pem", archive_->ledger().TrustedTsaPem());
  const std::string data = Write("original.pdf", original);
  std::string output;
  ASSERT_EQ(kura_test::RunCommand("openssl ts -verify -data " + data + " -in " + tsr +
                                      " -CAfile " + chain + " 2>&1",
                                  &output),
            0)
      << output;
  EXPECT_NE(output.find("Verification: OK"), std::string::npos) << output;

  std::string changed = original;
  changed[5] ^= 0x01;
  const std::string bad = Write("changed.pdf", changed);
  EXPECT_NE(kura_test::RunCommand("openssl ts -verify -data " + bad + " -in " + tsr +
                                      " -CAfile " + chain + " 2>&1",
                                  &output),
            0);
  EXPECT_EQ(output.find("Verification: OK"), std::string::npos) << output;
}

TEST_F(TimestampTest, TsaOutageKeepsTheDocumentAndMarksItPending) {
  UseExternalTsa();
  tsa_.down = true;
  Open();
  const auto out = Ingest({"%PDF-1.4 arrives while the TSA is down"});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].timestamp, "pending");
  ASSERT_FALSE(out[0].warnings.empty());
  EXPECT_EQ(out[0].warnings.back().code, "timestamp_pending");
  EXPECT_OK(archive_->ReadOriginal(out[0].id));  // archived all the same
  EXPECT_TRUE(archive_->TimestampResponse(out[0].id).status().IsNotFound());
  EXPECT_EQ(*archive_->PendingTimestampCount(), 1u);
  auto checked = archive_->CheckTimestamp(out[0].id);
  ASSERT_OK(checked);
  EXPECT_EQ(checked->status, "pending");
  EXPECT_EQ(checked->pending_since, clock_.Now());
  EXPECT_FALSE(checked->gen_time);

  auto report = archive_->Verify();
  ASSERT_OK(report);
  ASSERT_EQ(report->failed.size(), 1u) << ToJson(*report).dump();
  EXPECT_EQ(report->failed[0].reason, "timestamp_pending");

  // Not due yet: no call to the TSA.
  const int calls = tsa_.calls;
  EXPECT_EQ(*archive_->RetryPendingTimestamps(), 0u);
  EXPECT_EQ(tsa_.calls, calls);
  // Due, TSA still down: backoff grows.
  clock_.Advance(std::chrono::minutes(2));
  EXPECT_EQ(*archive_->RetryPendingTimestamps(), 0u);
  EXPECT_EQ(tsa_.calls, calls + 1);
  // Back up: the token arrives and everything verifies.
  tsa_.down = false;
  clock_.Advance(std::chrono::minutes(5));
  tsa_.now = clock_.Now();
  EXPECT_EQ(*archive_->RetryPendingTimestamps(), 1u);
  EXPECT_EQ(*archive_->PendingTimestampCount(), 0u);
  report = archive_->Verify();
  ASSERT_OK(report);
  EXPECT_TRUE(report->failed.empty()) << ToJson(*report).dump();
  EXPECT_EQ(report->tokens_checked, 1u);
  checked = archive_->CheckTimestamp(out[0].id);
  ASSERT_OK(checked);
  EXPECT_EQ(checked->status, "verified") << checked->problem;
  EXPECT_EQ(checked->gen_time, clock_.Now());
}

TEST_F(TimestampTest, GarbageFromTheTsaIsNeverStoredAsAToken) {
  class Garbage final : public signing::TsaTransport {
   public:
    Result<std::string> Post(const std::string&, const std::string&,
                             const std::string&) override {
      return std::string("\x30\x03\x02\x01\x00", 5);
    }
  } garbage;
  options_.timestamp.url = "http://tsa.example/";
  options_.timestamp.trusted_pem = tsa_.trusted_pem();
  options_.timestamp.transport = &garbage;
  Open();
  const auto out = Ingest({"%PDF-1.4 x"});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].timestamp, "pending");
  EXPECT_TRUE(archive_->TimestampResponse(out[0].id).status().IsNotFound());
  archive_.reset();  // before the transport goes: closing publishes a checkpoint
}

TEST_F(TimestampTest, BatchModeCallsTheTsaOncePerBatchAndVerifies) {
  UseExternalTsa();
  options_.timestamp.batch = true;
  Open();
  const int calls_before = tsa_.calls;
  const auto out = Ingest({"%PDF a", "%PDF b", "%PDF c", "%PDF a"});
  ASSERT_EQ(out.size(), 4u);
  // One call for the batch's documents; the checkpoint's comes later, from
  // the publisher.
  EXPECT_EQ(tsa_.calls - calls_before, 1);
  auto record = archive_->TimestampRecord(out[1].id);
  ASSERT_OK(record);
  EXPECT_EQ((*record)["kind"], "batch");
  EXPECT_EQ((*record)["batch"]["size"], 3);
  EXPECT_EQ((*record)["batch"]["index"], 1);
  for (const auto& o : out) {
    auto checked = archive_->CheckTimestamp(o.id);
    ASSERT_OK(checked);
    EXPECT_EQ(checked->status, "verified") << o.id << " " << checked->problem;
    EXPECT_TRUE(checked->batch);
  }
  auto report = archive_->Verify();
  ASSERT_OK(report);
  EXPECT_TRUE(report->failed.empty()) << ToJson(*report).dump();
  EXPECT_EQ(report->tokens_checked, 3u);
}

TEST_F(TimestampTest, CheckpointsAreSignedAndTimestamped) {
  Open();
  Ingest({"%PDF one"});
  ASSERT_OK(archive_->ledger().PublishCheckpoint());
  auto first = archive_->ledger().LatestCheckpoint();
  ASSERT_OK(first);
  Ingest({"%PDF two", "%PDF three"});
  ASSERT_OK(archive_->ledger().PublishCheckpoint());
  auto second = archive_->ledger().LatestCheckpoint();
  ASSERT_OK(second);
  EXPECT_NE(*first, *second);
  EXPECT_NE(second->find("\n3\n"), std::string::npos) << *second;
  EXPECT_NE(second->find("\u2014 kura/"), std::string::npos) << *second;
  auto report = archive_->Verify();
  ASSERT_OK(report);
  EXPECT_EQ(report->checkpoint_size, 3u);
  EXPECT_TRUE(report->failed.empty()) << ToJson(*report).dump();
}

}  // namespace
}  // namespace archive
