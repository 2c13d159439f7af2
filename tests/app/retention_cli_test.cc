// `kura retention ...` run the way compliance officers would (issue 14):
// a document of FY2014 is due, a hold stops its disposal request, the
// requester cannot approve, another officer does, and then `kura get`,
// `kura show`, `kura search` and `kura verify` see it as disposed, and
// `kura compliance report` counts the hold and the disposal.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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
