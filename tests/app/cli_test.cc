// Runs the real kura program the way an administrator would.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/fakes/test_util.h"

namespace {

using nlohmann::json;

struct KuraRun {
  int exit_code;
  std::string out;
  std::string err;
};

class CliTest : public ::testing::Test {
 protected:
  // Runs kura with args (already shell-quoted) in the temp dir.
  KuraRun Kura(const std::string& args) {
    const std::string err_file = dir_.Join("stderr.txt");
    std::string out;
    const int rc = kura_test::RunCommand("cd " + dir_.path() + " && " + KURA_PROGRAM + " " +
                                             args + " 2>" + err_file,
                                         &out);
    return KuraRun{rc, out, kura_test::ReadFileOrDie(err_file)};
  }
  std::vector<json> JsonLines(const std::string& out) {
    std::vector<json> lines;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
    return lines;
  }
  kura_test::TempDir dir_;
};

TEST_F(CliTest, HelpWorksForEveryCommand) {
  EXPECT_EQ(Kura("--help").exit_code, 0);
  for (const char* cmd : {"init", "ingest", "show", "get", "correct", "verify", "serve"}) {
    const KuraRun r = Kura(std::string(cmd) + " --help");
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << cmd;
  }
}

TEST_F(CliTest, InitIsIdempotentAndHonoursKuraData) {
  EXPECT_EQ(Kura("init").exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir_.Join("kura-data/FORMAT")));
  EXPECT_EQ(Kura("init").exit_code, 0);
  EXPECT_EQ(Kura("--data elsewhere init").exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir_.Join("elsewhere/catalog/data.mdb")));
  const std::string program = KURA_PROGRAM;
  EXPECT_EQ(kura_test::RunCommand("cd " + dir_.path() + " && KURA_DATA=viaenv " + program +
                                      " init 2>/dev/null",
                                  nullptr),
            0);
  EXPECT_TRUE(std::filesystem::exists(dir_.Join("viaenv/FORMAT")));
}

TEST_F(CliTest, IngestPrintsOneJsonLinePerFileAndRecordsDuplicates) {
  ASSERT_EQ(Kura("init").exit_code, 0);
  kura_test::WriteFileOrDie(dir_.Join("a.pdf"), "%PDF-1.4 invoice a");
  kura_test::WriteFileOrDie(dir_.Join("b.xml"), "<?xml version=\"1.0\"?><Invoice/>");
  const KuraRun r = Kura("ingest --department somu --source scan a.pdf b.xml a.pdf");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = JsonLines(r.out);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["status"], "archived");
  EXPECT_EQ(lines[0]["media_type"], "application/pdf");
  EXPECT_EQ(lines[0]["size"], 18);
  EXPECT_EQ(lines[0]["sha256"].get<std::string>().size(), 64u);
  EXPECT_TRUE(lines[0]["fields"].is_object());
  EXPECT_TRUE(lines[0]["warnings"].is_array());
  EXPECT_EQ(lines[1]["media_type"], "application/xml");
  EXPECT_EQ(lines[2]["status"], "duplicate");
  EXPECT_EQ(lines[2]["id"], lines[0]["id"]);

  const KuraRun show = Kura("show " + lines[0]["id"].get<std::string>());
  ASSERT_EQ(show.exit_code, 0);
  const json doc = json::parse(show.out);
  EXPECT_EQ(doc["receipts"].size(), 2u);
  EXPECT_EQ(doc["receipts"][0]["source"], "scan");
  EXPECT_EQ(doc["receipts"][0]["department"], "somu");
}

TEST_F(CliTest, BadFilesGetClearErrorsNamingThemAndNonZeroExit) {
  ASSERT_EQ(Kura("init").exit_code, 0);
  kura_test::WriteFileOrDie(dir_.Join("kura-data/kura.toml"), "[ingest]\nmax_file_mb = 1\n");
  kura_test::WriteFileOrDie(dir_.Join("empty.pdf"), "");
  kura_test::WriteFileOrDie(dir_.Join("huge.pdf"), std::string((1 << 20) + 1, 'x'));
  kura_test::WriteFileOrDie(dir_.Join("good.pdf"), "%PDF good");
  std::filesystem::create_directory(dir_.Join("folder"));
  const KuraRun r = Kura("ingest empty.pdf huge.pdf folder missing.pdf good.pdf");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("empty.pdf: file is empty"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("huge.pdf: file is larger than the limit of 1 MiB"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("folder: is a directory"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("missing.pdf"), std::string::npos) << r.err;
  const auto lines = JsonLines(r.out);
  ASSERT_EQ(lines.size(), 1u);  // the good file is still archived
  EXPECT_EQ(lines[0]["id"], "D00000001");
  // Nothing half-written: exactly one object, no temp files.
  size_t objects = 0;
  for (const auto& e :
       std::filesystem::recursive_directory_iterator(dir_.Join("kura-data/objects/sha256"))) {
    objects += e.is_regular_file();
  }
  EXPECT_EQ(objects, 1u);
  EXPECT_TRUE(std::filesystem::is_empty(dir_.Join("kura-data/objects/tmp")));
}

TEST_F(CliTest, GetReturnsTheOriginalBytesUnchanged) {
  ASSERT_EQ(Kura("init").exit_code, 0);
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  kura_test::WriteFileOrDie(dir_.Join("binary.tif"), "II*" + bytes);
  ASSERT_EQ(Kura("ingest binary.tif").exit_code, 0);
  ASSERT_EQ(Kura("get D00000001 --out copy.tif").exit_code, 0);
  EXPECT_EQ(kura_test::ReadFileOrDie(dir_.Join("copy.tif")), "II*" + bytes);
  EXPECT_EQ(Kura("get D00000001 > piped.tif").exit_code, 0);
  EXPECT_EQ(kura_test::ReadFileOrDie(dir_.Join("piped.tif")), "II*" + bytes);
  EXPECT_EQ(Kura("get D00000042 --out x").exit_code, 1);
}

TEST_F(CliTest, VerifyExitsNonZeroAndNamesTheChangedDocument) {
  ASSERT_EQ(Kura("init").exit_code, 0);
  kura_test::WriteFileOrDie(dir_.Join("a.pdf"), "%PDF original a");
  kura_test::WriteFileOrDie(dir_.Join("b.pdf"), "%PDF original b");
  const auto lines = JsonLines(Kura("ingest a.pdf b.pdf").out);
  ASSERT_EQ(lines.size(), 2u);
  KuraRun ok = Kura("verify");
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  const json good = JsonLines(ok.out).back();
  EXPECT_EQ(good["documents"], 2);
  EXPECT_EQ(good["ok"], 2);
  EXPECT_EQ(good["failed"], json::array());
  EXPECT_EQ(good["timestamps_checked"], 2);
  EXPECT_EQ(good["events"], 2);
  EXPECT_EQ(good["checkpoint"], 2);

  const std::string sha = lines[1]["sha256"];
  const std::string object =
      dir_.Join("kura-data/objects/sha256/" + sha.substr(0, 2) + "/" + sha.substr(2, 2) + "/" + sha);
  std::filesystem::permissions(object, std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  {
    std::fstream f(object, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(10);
    f.put('B');  // was 'b'
  }
  const KuraRun bad = Kura("verify");
  EXPECT_EQ(bad.exit_code, 1);
  const json summary = JsonLines(bad.out).back();
  EXPECT_EQ(summary["documents"], 2);
  EXPECT_EQ(summary["ok"], 1);
  ASSERT_EQ(summary["failed"].size(), 1u);
  EXPECT_EQ(summary["failed"][0]["id"], lines[1]["id"]);
  EXPECT_EQ(summary["failed"][0]["reason"], "changed");
}

TEST_F(CliTest, CorrectKeepsHistory) {
  ASSERT_EQ(Kura("init").exit_code, 0);
  kura_test::WriteFileOrDie(dir_.Join("scan.pdf"), "%PDF scanned");
  ASSERT_EQ(Kura("ingest scan.pdf").exit_code, 0);
  const KuraRun r = Kura("correct D00000001 --set total=55000 --set issue_date=2026-11-01 "
                     "--reason '紙の請求書から入力'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = json::parse(Kura("show D00000001").out);
  ASSERT_EQ(doc["versions"].size(), 2u);
  EXPECT_TRUE(doc["versions"][0]["fields"]["total"].is_null());
  EXPECT_EQ(doc["versions"][0]["fields"]["needs_metadata"], true);
  EXPECT_EQ(doc["current"]["fields"]["total"], "55000");
  EXPECT_EQ(doc["current"]["reason"], "紙の請求書から入力");
  EXPECT_EQ(doc["current"]["created_by"].get<std::string>().rfind("cli:", 0), 0u);
  EXPECT_EQ(Kura("correct D00000001 --set total=1 --reason x --expect-version 1").exit_code, 1);
}

TEST_F(CliTest, TokenAndTsaCertVerifyWithOpensslTsVerify) {
  ASSERT_EQ(Kura("init").exit_code, 0);
  kura_test::WriteFileOrDie(dir_.Join("inv.pdf"), "%PDF-1.4 請求書 2026年11月分");
  ASSERT_EQ(Kura("ingest inv.pdf").exit_code, 0);
  ASSERT_EQ(Kura("token D00000001 --out inv.tsr").exit_code, 0);
  ASSERT_EQ(Kura("tsa-cert --out chain.pem").exit_code, 0);
  std::string out;
  ASSERT_EQ(kura_test::RunCommand("cd " + dir_.path() +
                                      " && openssl ts -verify -data inv.pdf -in inv.tsr "
                                      "-CAfile chain.pem 2>&1",
                                  &out),
            0)
      << out;
  EXPECT_NE(out.find("Verification: OK"), std::string::npos) << out;
  kura_test::WriteFileOrDie(dir_.Join("changed.pdf"), "%PDF-1.4 請求書 2026年12月分");
  EXPECT_NE(kura_test::RunCommand("cd " + dir_.path() +
                                      " && openssl ts -verify -data changed.pdf -in inv.tsr "
                                      "-CAfile chain.pem 2>&1",
                                  &out),
            0);
  EXPECT_EQ(out.find("Verification: OK"), std::string::npos) << out;
}

TEST_F(CliTest, LogCheckpointAndProofArePrinted) {
  ASSERT_EQ(Kura("init").exit_code, 0);
  kura_test::WriteFileOrDie(dir_.Join("a.pdf"), "%PDF a");
  kura_test::WriteFileOrDie(dir_.Join("b.pdf"), "%PDF b");
  ASSERT_EQ(Kura("ingest a.pdf b.pdf").exit_code, 0);
  const KuraRun cp = Kura("log checkpoint");
  ASSERT_EQ(cp.exit_code, 0) << cp.err;
  EXPECT_EQ(cp.out.rfind("kura/", 0), 0u) << cp.out;
  EXPECT_NE(cp.out.find("\n2\n"), std::string::npos) << cp.out;
  const KuraRun proof = Kura("log proof D00000002");
  ASSERT_EQ(proof.exit_code, 0) << proof.err;
  const json p = json::parse(proof.out);
  EXPECT_EQ(p["event_index"], 1);
  EXPECT_EQ(p["tree_size"], 2);
  EXPECT_EQ(p["inclusion_proof"].size(), 1u);
}

TEST_F(CliTest, DemoDataIsDeterministicAndIngestsWithFields) {
  ASSERT_EQ(Kura("demo-data --out a --count 6 --seed 3").exit_code, 0);
  ASSERT_EQ(Kura("demo-data --out b --count 6 --seed 3").exit_code, 0);
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir_.Join("a"))) {
    ++files;
    EXPECT_EQ(kura_test::ReadFileOrDie(e.path().string()),
              kura_test::ReadFileOrDie(dir_.Join("b/" + e.path().filename().string())));
  }
  EXPECT_EQ(files, 6u);
  ASSERT_EQ(Kura("init").exit_code, 0);
  const KuraRun r = Kura("ingest a/invoice-000003.xml");  // 1 and 2 are PDFs for seed 3
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json line = json::parse(r.out);
  EXPECT_EQ(line["fields"]["format"], "jp-pint");
  EXPECT_EQ(line["fields"]["buyer"], "蔵前市");
  EXPECT_EQ(line["fields"]["registration_number"].get<std::string>().size(), 14u);
}

TEST_F(CliTest, SearchPrintsJsonPagesAndCsvWithBomForEveryHit) {
  ASSERT_EQ(Kura("demo-data --out inv --count 30 --seed 5").exit_code, 0);
  ASSERT_EQ(Kura("init").exit_code, 0);
  ASSERT_EQ(Kura("ingest --department somu inv/*").exit_code, 0);
  KuraRun r = Kura("search --department somu --limit 4");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json page = json::parse(r.out);
  EXPECT_EQ(page["count"], 30);
  EXPECT_EQ(page["items"].size(), 4u);
  ASSERT_TRUE(page["next"].is_string());
  r = Kura("search --department somu --limit 4 --after " + page["next"].get<std::string>());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(json::parse(r.out)["items"][0]["id"], page["items"][0]["id"]);

  // A structured invoice found by the three 電帳法 keys.
  r = Kura("search --type invoice --limit 1 --sort amount --desc");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json top = json::parse(r.out)["items"][0];
  const std::string date = top["issue_date"], total = top["total"];
  r = Kura("search --date-from " + date + " --date-to " + date + " --amount-min " + total +
           " --amount-max " + total + " --counterparty '" + top["counterparty"].get<std::string>() +
           "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["items"][0]["id"], top["id"]);

  r = Kura("search --format csv --department somu");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, 3), "\xEF\xBB\xBF");
  size_t rows = 0;
  for (size_t pos = 0; (pos = r.out.find("\r\n", pos)) != std::string::npos; pos += 2) ++rows;
  EXPECT_EQ(rows, 31u);  // header + every hit, not one page
  EXPECT_NE(r.err.find("30 件"), std::string::npos) << r.err;

  r = Kura("search --date-from 2025-02-30");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("date_from"), std::string::npos) << r.err;
}

TEST_F(CliTest, NewerDataDirectoryIsRefusedClearly) {
  ASSERT_EQ(Kura("init").exit_code, 0);
  kura_test::WriteFileOrDie(dir_.Join("kura-data/FORMAT"), "kura-data-format 99\n");
  kura_test::WriteFileOrDie(dir_.Join("a.pdf"), "%PDF");
  const KuraRun r = Kura("ingest a.pdf");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("newer version of kura (format 99)"), std::string::npos) << r.err;
  EXPECT_EQ(Kura("verify").exit_code, 2);
}

TEST_F(CliTest, CommandsBeforeInitSayWhatToDo) {
  const KuraRun r = Kura("verify");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("kura init"), std::string::npos) << r.err;
}

TEST_F(CliTest, ServeCreatesTheDataDirectoryAndAnswersHealthz) {
  int err_pipe[2];
  ASSERT_EQ(::pipe(err_pipe), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::dup2(err_pipe[1], 2);
    ::close(err_pipe[0]);
    if (::chdir(dir_.path().c_str()) != 0) _exit(9);
    ::execl(KURA_PROGRAM, KURA_PROGRAM, "serve", "--listen", "127.0.0.1:0",
            static_cast<char*>(nullptr));
    _exit(127);
  }
  ::close(err_pipe[1]);
  // Read the log until the server says where it listens.
  std::string log;
  int port = 0;
  char buf[512];
  while (port == 0) {
    const ssize_t n = ::read(err_pipe[0], buf, sizeof buf);
    ASSERT_GT(n, 0) << "kura serve exited early: " << log;
    log.append(buf, static_cast<size_t>(n));
    const size_t at = log.find("http://127.0.0.1:");
    if (at != std::string::npos && log.find('/', at + 17) != std::string::npos) {
      port = std::stoi(log.substr(at + 17));
    }
  }
  httplib::Client client("127.0.0.1", port);
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, "ok\n");
  auto version = client.Get("/api/v1/version");
  ASSERT_TRUE(version);
  EXPECT_EQ(json::parse(version->body)["name"], "kura");
  EXPECT_TRUE(std::filesystem::exists(dir_.Join("kura-data/FORMAT")));
  // A second writer is refused while serve holds the directory.
  kura_test::WriteFileOrDie(dir_.Join("a.pdf"), "%PDF");
  const KuraRun second = Kura("ingest a.pdf");
  EXPECT_EQ(second.exit_code, 2);
  EXPECT_NE(second.err.find("in use by another kura process"), std::string::npos) << second.err;
  // ... while readers are fine.
  EXPECT_EQ(Kura("verify").exit_code, 0);

  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  ::close(err_pipe[0]);
}

}  // namespace
