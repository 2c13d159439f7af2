// `kura retention ...` run the way compliance officers would (issue 14):
// a document of FY2014 is due, a hold stops its disposal request, the
// requester cannot approve, another officer does, and then `kura get`,
// `kura show`, `kura search` and `kura verify` see it as disposed, and
// `kura compliance report` counts the hold and the disposal.
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/open_archive.h"
#include "app/renewal_timer.h"
#include "base/file_system.h"
#include "ledger/data_dir.h"
#include "signing/tsa_cert_info.h"
#include "tests/fakes/test_util.h"

namespace {

using nlohmann::json;

struct KuraRun {
  int exit_code;
  std::string out;
  std::string err;
};

constexpr char kSatoPassword[] = "compliance pass one";
constexpr char kSuzukiPassword[] = "compliance pass two";

class RetentionCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(Kura("init").exit_code, 0);
    ASSERT_EQ(Kura("department add --code somu --name 総務課").exit_code, 0);
    for (auto [login, pw] : {std::pair{"sato", kSatoPassword}, {"suzuki", kSuzukiPassword}}) {
      ASSERT_EQ(Kura(std::string("user add --login ") + login +
                         " --name x --department somu --role compliance",
                     std::string(pw) + "\n")
                    .exit_code,
                0);
    }
    ASSERT_EQ(Kura("demo-data --out inv --count 1").exit_code, 0);
    // The demo invoice, issued in FY2014: kept until 2025-03-31.
    std::string xml = kura_test::ReadFileOrDie(dir_.Join("inv/invoice-000001.xml"));
    const size_t at = xml.find("<cbc:IssueDate>");
    ASSERT_NE(at, std::string::npos);
    xml.replace(at + 15, 10, "2014-05-01");
    kura_test::WriteFileOrDie(dir_.Join("old.xml"), xml);
    ASSERT_EQ(Kura("ingest --department somu old.xml").exit_code, 0);
  }
  // Runs kura with args (already shell-quoted) in the temp dir, with input
  // on its standard input (a file, not a tty).
  KuraRun Kura(const std::string& args, const std::string& input = "") {
    kura_test::WriteFileOrDie(dir_.Join("stdin.txt"), input);
    const std::string err_file = dir_.Join("stderr.txt");
    std::string out;
    const int rc = kura_test::RunCommand("cd " + dir_.path() + " && " + KURA_PROGRAM + " " + args +
                                             " < " + dir_.Join("stdin.txt") + " 2>" + err_file,
                                         &out);
    return KuraRun{rc, out, kura_test::ReadFileOrDie(err_file)};
  }
  KuraRun As(const std::string& args, const char* password) {
    return Kura(args, std::string(password) + "\n");
  }

  kura_test::TempDir dir_;
};

TEST_F(RetentionCliTest, TwoOfficersDisposeOfAnExpiredDocumentAndVerifyAcceptsIt) {
  auto due = Kura("retention due");
  ASSERT_EQ(due.exit_code, 0) << due.err;
  const json d = json::parse(due.out);
  EXPECT_EQ(d["id"], "D00000001");
  EXPECT_EQ(d["retain_until"], "2025-03-31");
  EXPECT_EQ(d["state"], "廃棄可能");

  // Shortening is refused in Japanese; a hold blocks the request.
  auto shorter =
      As("retention extend D00000001 --until 2020-03-31 --reason x --as sato", kSatoPassword);
  EXPECT_EQ(shorter.exit_code, 1);
  EXPECT_NE(shorter.err.find("短縮はできません"), std::string::npos) << shorter.err;
  auto hold = As("retention hold add --document D00000001 --kind 住民監査請求 --reason 第2号 --as sato",
                 kSatoPassword);
  ASSERT_EQ(hold.exit_code, 0) << hold.err;
  EXPECT_EQ(json::parse(hold.out)["id"], "H00000001");
  auto report = Kura("compliance report");  // the text for people counts the hold
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_NE(report.out.find("法的保存: 1 件が有効"), std::string::npos) << report.out;
  auto held = As("retention dispose request D00000001 --reason 満了 --as sato", kSatoPassword);
  EXPECT_EQ(held.exit_code, 1);
  EXPECT_NE(held.err.find("法的保存"), std::string::npos) << held.err;
  ASSERT_EQ(As("retention hold release H00000001 --reason 監査終了 --as sato", kSatoPassword)
                .exit_code,
            0);

  // A wrong password acts for nobody; the requester cannot approve.
  ASSERT_EQ(As("retention dispose request D00000001 --reason 満了 --as sato", "wrong password")
                .exit_code,
            1);
  auto request = As("retention dispose request D00000001 --reason 満了 --as sato", kSatoPassword);
  ASSERT_EQ(request.exit_code, 0) << request.err;
  EXPECT_EQ(json::parse(request.out)["id"], "R00000001");
  auto self = As("retention dispose approve R00000001 --as sato", kSatoPassword);
  EXPECT_EQ(self.exit_code, 1);
  EXPECT_NE(self.err.find("別の文書管理担当者"), std::string::npos) << self.err;
  auto approve = As("retention dispose approve R00000001 --as suzuki", kSuzukiPassword);
  ASSERT_EQ(approve.exit_code, 0) << approve.err;
  EXPECT_EQ(json::parse(approve.out)["state"], "disposed");

  auto get = Kura("get D00000001 --out copy.xml");
  EXPECT_EQ(get.exit_code, 1);
  EXPECT_NE(get.err.find("廃棄済み"), std::string::npos) << get.err;
  auto show = Kura("show D00000001");
  ASSERT_EQ(show.exit_code, 0);
  EXPECT_EQ(json::parse(show.out)["state_label"], "廃棄済み");
  EXPECT_EQ(json::parse(show.out)["disposed"]["approved_by"], "suzuki");
  auto search = Kura("search --date-from 2014-04-01 --date-to 2015-03-31");
  ASSERT_EQ(search.exit_code, 0);
  EXPECT_EQ(json::parse(search.out)["items"][0]["state_label"], "廃棄済み");
  auto verify = Kura("verify --quiet");
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_TRUE(Kura("retention due").out.empty());
  EXPECT_NE(Kura("retention dispose list --all").out.find("\"disposed\""), std::string::npos);

  // `kura compliance report` counts the tombstone and the stamps.
  auto json_report = Kura("compliance report --format json");
  ASSERT_EQ(json_report.exit_code, 0) << json_report.err;
  const json state = json::parse(json_report.out)["state"];
  EXPECT_EQ(state["documents"], 1);
  EXPECT_EQ(state["disposed"], 1);
  EXPECT_EQ(state["timestamped"], 1);
  EXPECT_EQ(state["holds_active"], 0);
  EXPECT_EQ(state["disposal_requests_open"], 0);
  EXPECT_TRUE(state["last_checkpoint"].is_object());
}

TEST_F(RetentionCliTest, ScheduleComesFromKuraToml) {
  auto schedule = Kura("retention schedule");
  ASSERT_EQ(schedule.exit_code, 0) << schedule.err;
  EXPECT_NE(schedule.out.find("\"payment_evidence\""), std::string::npos);
  std::string toml = kura_test::ReadFileOrDie(dir_.Join("kura-data/kura.toml"));
  const size_t at = toml.find("payment_evidence = 10");
  ASSERT_NE(at, std::string::npos);
  toml.replace(at, 21, "payment_evidence = 20");
  kura_test::WriteFileOrDie(dir_.Join("kura-data/kura.toml"), toml);
  auto show = Kura("retention show D00000001");
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(json::parse(show.out)["retain_until"], "2035-03-31");
  EXPECT_TRUE(Kura("retention due").out.empty());
}

}  // namespace

namespace {

base::Time T(const char* rfc3339) { return *base::ParseRfc3339(rfc3339); }

// `kura serve`'s renewal check (app/renewal_timer.h): nothing while the TSA
// certificate has years left; within the margin of its end, the built-in
// TSA's certificate rolls and a renewal covers every token, signed with the
// NEW key even though the archive opened with the old one, so the chain
// verifies after the old certificate ended; right after, nothing is due;
// the timer checks at start and then every interval, and stops when
// destroyed.
TEST(RenewalTimerTest, RollsAndRenewsWhenDueWithTheNewKey) {
  kura_test::TempDir dir;
  auto fs = base::NewPosixFileSystem();
  // kura init now makes a TSA certificate valid 11 years: to 2037-05-12.
  base::FakeClock clock(T("2026-05-12T01:00:00Z"));
  FILE* sink = std::fopen("/dev/null", "w");
  ASSERT_NE(sink, nullptr);
  app::Context ctx{fs.get(), &clock, dir.Join("kura-data"), "test", stdin, sink, sink};
  ASSERT_EQ(app::CmdInit(ctx), 0);
  auto opened = app::OpenArchiveFor(ctx, /*read_only=*/false);
  ASSERT_OK(opened);
  archive::Archive* arc = opened->archive.get();
  for (const char* body : {"<Invoice>1</Invoice>", "<Invoice>2</Invoice>"}) {
    ASSERT_OK(arc->Ingest({archive::IncomingFile{"a.xml", "somu", "cli", "test", body}})[0]);
  }

  auto early = app::RollAndRenewIfDue(ctx, opened->config, arc, "test");
  ASSERT_OK(early);
  EXPECT_FALSE(early->rolled);
  EXPECT_FALSE(early->renewal.due);

  clock.Set(T("2036-09-01T00:00:00Z"));  // within a year of 2037-05-12
  auto due = app::RollAndRenewIfDue(ctx, opened->config, arc, "test");
  ASSERT_OK(due);
  EXPECT_TRUE(due->rolled) << due->roll_message;
  ASSERT_TRUE(due->renewal.renewed) << due->renewal.message;
  ASSERT_TRUE(due->renewal.record.has_value());
  const std::string new_cert = kura_test::ReadFileOrDie(
      base::JoinPath(ledger::DataDirLayout{ctx.data_dir}.keys(), "tsa.crt"));
  auto signer = signing::TokenSignerValidity(due->renewal.record->token_der);
  ASSERT_OK(signer);
  auto current = signing::PemCertificateValidity(new_cert);
  ASSERT_OK(current);
  EXPECT_EQ(signer->serial_hex, current->serial_hex);  // the rolled key signed it
  EXPECT_GT(signer->not_after, T("2040-01-01T00:00:00Z"));

  auto renewal = retention::Renewal::Open(arc, &clock, opened->config.renewal);
  ASSERT_OK(renewal);
  uint64_t checked = 0;
  auto failed = (*renewal)->VerifyAt(T("2038-01-01T00:00:00Z"), &checked);
  ASSERT_OK(failed);
  EXPECT_TRUE(failed->empty());
  EXPECT_EQ(checked, 2u);

  auto again = app::RollAndRenewIfDue(ctx, opened->config, arc, "test");
  ASSERT_OK(again);
  EXPECT_FALSE(again->rolled);
  EXPECT_FALSE(again->renewal.renewed);

  {
    const app::RenewalTimer timer(ctx, opened->config, arc, std::chrono::milliseconds(10));
    for (int i = 0; i < 500 && timer.checks() < 2; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_GE(timer.checks(), 2);
  }
  ASSERT_OK((*renewal)->List());
  EXPECT_EQ((*renewal)->List()->size(), 1u);  // the timer found nothing more due
  std::fclose(sink);
}

}  // namespace
