// Runs the real kura program the way an administrator would.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

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
    const int rc = kura_test::RunCommand(
        "cd " + dir_.path() + " && " + KURA_PROGRAM + " " + args + " 2>" + err_file, &out);
    return KuraRun{rc, out, kura_test::ReadFileOrDie(err_file)};
  }
  // Runs kura with `input` on its standard input (a file, not a tty).
  KuraRun KuraWithInput(const std::string& input, const std::string& args) {
    kura_test::WriteFileOrDie(dir_.Join("stdin.txt"), input);
    return Kura(args + " < " + dir_.Join("stdin.txt"));
  }
  // Starts `kura serve ARGS --listen 127.0.0.1:0` and reads its log until
  // it is ready; returns the port (0 on failure) and fills *log.
  int StartServe(const std::vector<std::string>& args, std::string* log) {
    int err_pipe[2];
    if (::pipe(err_pipe) != 0) return 0;
    serve_pid_ = ::fork();
    if (serve_pid_ < 0) return 0;
    if (serve_pid_ == 0) {
      ::dup2(err_pipe[1], 2);
      ::close(err_pipe[0]);
      if (::chdir(dir_.path().c_str()) != 0) _exit(9);
      std::vector<const char*> argv{KURA_PROGRAM, "serve", "--listen", "127.0.0.1:0"};
      for (const std::string& a : args) argv.push_back(a.c_str());
      argv.push_back(nullptr);
      ::execv(KURA_PROGRAM, const_cast<char* const*>(argv.data()));
      _exit(127);
    }
    ::close(err_pipe[1]);
    serve_err_ = err_pipe[0];
    int port = 0;
    char buf[4096];
    while (log->find("Ctrl+C") == std::string::npos) {
      const ssize_t n = ::read(serve_err_, buf, sizeof buf);
      if (n <= 0) return 0;
      log->append(buf, static_cast<size_t>(n));
    }
    const size_t at = log->find("://127.0.0.1:");  // http or https
    if (at != std::string::npos) port = std::stoi(log->substr(at + 13));
    return port;
  }
  // Stops the server started by StartServe; true if it exited with 0.
  bool StopServe() {
    ::kill(serve_pid_, SIGTERM);
    int status = 0;
    ::waitpid(serve_pid_, &status, 0);
    ::close(serve_err_);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  static int LogIn(httplib::Client& client, const std::string& login, const std::string& password,
                   std::string* cookie = nullptr) {
    auto res = client.Post("/api/v1/session", json{{"login", login}, {"password", password}}.dump(),
                           "application/json");
    if (!res) return 0;
    if (cookie) {
      const std::string set = res->get_header_value("Set-Cookie");
      *cookie = set.substr(0, set.find(';'));
    }
    return res->status;
  }
  // `kura init` and the department somu (総務課): ingest takes files only
  // for a registered department.
  void InitWithSomu() {
    ASSERT_EQ(Kura("init").exit_code, 0);
    const KuraRun dept = Kura("department add --code somu --name 総務課");
    ASSERT_EQ(dept.exit_code, 0) << dept.err;
  }
  // Regular files under kura-data/objects/sha256 (archived originals).
  size_t ObjectCount() {
    size_t objects = 0;
    for (const auto& e :
         std::filesystem::recursive_directory_iterator(dir_.Join("kura-data/objects/sha256"))) {
      objects += e.is_regular_file();
    }
    return objects;
  }
  std::vector<json> JsonLines(const std::string& out) {
    std::vector<json> lines;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
    return lines;
  }
  kura_test::TempDir dir_;
  pid_t serve_pid_ = -1;
  int serve_err_ = -1;
};

TEST_F(CliTest, HelpWorksForEveryCommand) {
  EXPECT_EQ(Kura("--help").exit_code, 0);
  for (const char* cmd : {"init", "ingest", "show", "get", "correct", "verify", "serve", "user add",
                          "department add", "vendor add"}) {
    const KuraRun r = Kura(std::string(cmd) + " --help");
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_NE(r.out.find("使い方"), std::string::npos) << cmd;
  }
}

TEST_F(CliTest, InitIsIdempotentAndHonoursKuraData) {
  EXPECT_EQ(Kura("init").exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir_.Join("kura-data/FORMAT")));
  EXPECT_EQ(Kura("init").exit_code, 0);
  EXPECT_EQ(Kura("--data elsewhere init").exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir_.Join("elsewhere/catalog/data.mdb")));
  const std::string program = KURA_PROGRAM;
  EXPECT_EQ(
      kura_test::RunCommand(
          "cd " + dir_.path() + " && KURA_DATA=viaenv " + program + " init 2>/dev/null", nullptr),
      0);
  EXPECT_TRUE(std::filesystem::exists(dir_.Join("viaenv/FORMAT")));
}

TEST_F(CliTest, IngestPrintsOneJsonLinePerFileAndRecordsDuplicates) {
  ASSERT_NO_FATAL_FAILURE(InitWithSomu());
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
  ASSERT_NO_FATAL_FAILURE(InitWithSomu());
  kura_test::WriteFileOrDie(dir_.Join("kura-data/kura.toml"), "[ingest]\nmax_file_mb = 1\n");
  kura_test::WriteFileOrDie(dir_.Join("empty.pdf"), "");
  kura_test::WriteFileOrDie(dir_.Join("huge.pdf"), std::string((1 << 20) + 1, 'x'));
  kura_test::WriteFileOrDie(dir_.Join("good.pdf"), "%PDF good");
  std::filesystem::create_directory(dir_.Join("folder"));
  const KuraRun r = Kura("ingest --department somu empty.pdf huge.pdf folder missing.pdf good.pdf");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("empty.pdf: ファイルが空です"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("huge.pdf: ファイルが上限（1 MiB、[ingest] max_file_mb）を超えています"), std::string::npos)
      << r.err;
  // The reason after the name is base's (translated on branch ja-core).
  EXPECT_NE(r.err.find("folder はディレクトリです"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("missing.pdf"), std::string::npos) << r.err;
  const auto lines = JsonLines(r.out);
  ASSERT_EQ(lines.size(), 1u);  // the good file is still archived
  EXPECT_EQ(lines[0]["id"], "D00000001");
  // Nothing half-written: exactly one object, no temp files.
  EXPECT_EQ(ObjectCount(), 1u);
  EXPECT_TRUE(std::filesystem::is_empty(dir_.Join("kura-data/objects/tmp")));
}

// Issue 12, item 10: `--department nosuchdept` was accepted, and without
// --department a document was received for "" and sat in no inbox.
TEST_F(CliTest, IngestRefusesAnUnknownOrMissingDepartmentListingTheRegisteredOnes) {
  ASSERT_NO_FATAL_FAILURE(InitWithSomu());
  ASSERT_EQ(Kura("department add --code doboku --name 土木課").exit_code, 0);
  kura_test::WriteFileOrDie(dir_.Join("a.pdf"), "%PDF-1.4 a");
  kura_test::WriteFileOrDie(dir_.Join("b.pdf"), "%PDF-1.4 b");
  for (const std::string dept : {"--department nosuchdept ", ""}) {
    const KuraRun r = Kura("ingest " + dept + "a.pdf b.pdf");
    EXPECT_EQ(r.exit_code, 2) << dept << r.err;
    EXPECT_EQ(r.out, "") << dept;
    EXPECT_NE(r.err.find("somu（総務課）"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("doboku（土木課）"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--department"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("default_department"), std::string::npos) << r.err;
  }
  EXPECT_NE(
      Kura("ingest --department nosuchdept a.pdf").err.find("登録されていない課です: nosuchdept"),
      std::string::npos);
  EXPECT_NE(Kura("ingest a.pdf").err.find("受領する課が指定されていません"), std::string::npos);
  // Nothing was archived: no object, no document event (only the two
  // departments' events are in the log).
  EXPECT_EQ(ObjectCount(), 0u);
  const KuraRun verify = Kura("verify --quiet");
  ASSERT_EQ(verify.exit_code, 0) << verify.err;
  const json summary = JsonLines(verify.out).back();
  EXPECT_EQ(summary["documents"], 0);
  EXPECT_EQ(summary["events"], 2);
  // A registered department is taken.
  const KuraRun ok = Kura("ingest --department doboku a.pdf");
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(json::parse(Kura("show D00000001").out)["receipts"][0]["department"], "doboku");
}

TEST_F(CliTest, IngestIntoAFreshDataDirectorySaysHowToRegisterADepartment) {
  ASSERT_EQ(Kura("init").exit_code, 0);
  kura_test::WriteFileOrDie(dir_.Join("a.pdf"), "%PDF-1.4 a");
  const KuraRun r = Kura("ingest --department somu a.pdf");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("課がまだ登録されていません"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("kura department add --code"), std::string::npos) << r.err;
  EXPECT_EQ(ObjectCount(), 0u);
}

TEST_F(CliTest, IngestUsesTheConfiguredDefaultDepartment) {
  ASSERT_NO_FATAL_FAILURE(InitWithSomu());
  ASSERT_EQ(Kura("department add --code doboku --name 土木課").exit_code, 0);
  // `kura init` writes the setting, empty.
  EXPECT_NE(
      kura_test::ReadFileOrDie(dir_.Join("kura-data/kura.toml")).find("default_department = \"\""),
      std::string::npos);
  kura_test::WriteFileOrDie(dir_.Join("kura-data/kura.toml"),
                            "[ingest]\ndefault_department = \"doboku\"\n");
  kura_test::WriteFileOrDie(dir_.Join("a.pdf"), "%PDF-1.4 a");
  kura_test::WriteFileOrDie(dir_.Join("b.pdf"), "%PDF-1.4 b");
  const KuraRun r = Kura("ingest a.pdf");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(Kura("show D00000001").out)["receipts"][0]["department"], "doboku");
  // --department still wins.
  ASSERT_EQ(Kura("ingest --department somu b.pdf").exit_code, 0);
  EXPECT_EQ(json::parse(Kura("show D00000002").out)["receipts"][0]["department"], "somu");
  // A default nobody registered is refused like any unknown code.
  kura_test::WriteFileOrDie(dir_.Join("kura-data/kura.toml"),
                            "[ingest]\ndefault_department = \"kikaku\"\n");
  kura_test::WriteFileOrDie(dir_.Join("c.pdf"), "%PDF-1.4 c");
  const KuraRun bad = Kura("ingest c.pdf");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("default_department の課が登録されていません: kikaku"), std::string::npos)
      << bad.err;
  EXPECT_EQ(ObjectCount(), 2u);
}

// `kura watch` follows the same rule as ingest.
TEST_F(CliTest, WatchRefusesAnUnknownDepartmentAndUsesTheDefault) {
  ASSERT_NO_FATAL_FAILURE(InitWithSomu());
  std::filesystem::create_directory(dir_.Join("in"));
  kura_test::WriteFileOrDie(dir_.Join("in/scan.pdf"), "%PDF-1.4 scanned");
  for (const std::string dept : {"--department nosuchdept", ""}) {
    // Under `timeout`: a watch that took the department would run on.
    std::string out;
    const int rc =
        kura_test::RunCommand("cd " + dir_.path() + " && timeout 10 " + KURA_PROGRAM +
                                  " watch in --interval 1 --settle 0 " + dept + " 2>watch.err",
                              &out);
    const KuraRun r{rc, out, kura_test::ReadFileOrDie(dir_.Join("watch.err"))};
    EXPECT_EQ(r.exit_code, 2) << dept << r.err;
    EXPECT_NE(r.err.find("somu（総務課）"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("kura watch in --department somu"), std::string::npos) << r.err;
  }
  EXPECT_TRUE(std::filesystem::exists(dir_.Join("in/scan.pdf")));
  EXPECT_FALSE(std::filesystem::exists(dir_.Join("in/done")));
  EXPECT_EQ(ObjectCount(), 0u);

  kura_test::WriteFileOrDie(dir_.Join("kura-data/kura.toml"),
                            "[ingest]\ndefault_department = \"somu\"\n");
  // Two polls a second apart take the file; then SIGTERM ends the watch (0).
  std::string out;
  const int rc = kura_test::RunCommand("cd " + dir_.path() + " && { " + KURA_PROGRAM +
                                           " watch in --interval 1 --settle 0 2>watch.err & "
                                           "pid=$!; sleep 3.5; kill -TERM $pid; wait $pid; }",
                                       &out);
  const std::string log = kura_test::ReadFileOrDie(dir_.Join("watch.err"));
  EXPECT_EQ(rc, 0) << log;
  ASSERT_TRUE(std::filesystem::exists(dir_.Join("in/done/scan.pdf"))) << log;
  EXPECT_NE(log.find("課: somu"), std::string::npos) << log;
  EXPECT_EQ(json::parse(Kura("show D00000001").out)["receipts"][0]["department"], "somu");
}

TEST_F(CliTest, GetReturnsTheOriginalBytesUnchanged) {
  ASSERT_NO_FATAL_FAILURE(InitWithSomu());
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  kura_test::WriteFileOrDie(dir_.Join("binary.tif"), "II*" + bytes);
  ASSERT_EQ(Kura("ingest --department somu binary.tif").exit_code, 0);
  ASSERT_EQ(Kura("get D00000001 --out copy.tif").exit_code, 0);
  EXPECT_EQ(kura_test::ReadFileOrDie(dir_.Join("copy.tif")), "II*" + bytes);
  EXPECT_EQ(Kura("get D00000001 > piped.tif").exit_code, 0);
  EXPECT_EQ(kura_test::ReadFileOrDie(dir_.Join("piped.tif")), "II*" + bytes);
  EXPECT_EQ(Kura("get D00000042 --out x").exit_code, 1);
}

// Issue 12, finding 13: `--out /dev/null` as root replaced the machine's
// /dev/null with a regular file.
TEST_F(CliTest, OutWritesThroughDevicesAndPipesWithoutReplacingThem) {
  ASSERT_NO_FATAL_FAILURE(InitWithSomu());
  kura_test::WriteFileOrDie(dir_.Join("a.xml"), "<Invoice>fifo</Invoice>");
  ASSERT_EQ(Kura("ingest --department somu a.xml").exit_code, 0);
  const std::string fifo = dir_.Join("fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Held open for reading (and writing, so that opening it never blocks):
  // what kura writes into the pipe is waiting here afterwards.
  const int pipe_fd = ::open(fifo.c_str(), O_RDWR | O_NONBLOCK);
  ASSERT_GE(pipe_fd, 0);
  EXPECT_EQ(Kura("get D00000001 --out fifo").exit_code, 0);
  char buf[256];
  const ssize_t n = ::read(pipe_fd, buf, sizeof buf);
  ::close(pipe_fd);
  EXPECT_EQ(std::string(buf, n > 0 ? static_cast<size_t>(n) : 0), "<Invoice>fifo</Invoice>");
  struct stat st;
  ASSERT_EQ(::stat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  if (::geteuid() == 0) {  // a device node of our own, as the tester made
    const std::string null = dir_.Join("null");
    ASSERT_EQ(::mknod(null.c_str(), S_IFCHR | 0666, makedev(1, 3)), 0);
    EXPECT_EQ(Kura("tsa-cert --out null").exit_code, 0);
    ASSERT_EQ(::stat(null.c_str(), &st), 0);
    EXPECT_TRUE(S_ISCHR(st.st_mode));
  }
  const KuraRun folder = Kura("get D00000001 --out .");
  EXPECT_EQ(folder.exit_code, 1);
  EXPECT_NE(folder.err.find("フォルダー"), std::string::npos) << folder.err;
}

TEST_F(CliTest, VerifyExitsNonZeroAndNamesTheChangedDocument) {
  ASSERT_NO_FATAL_FAILURE(InitWithSomu());
  kura_test::WriteFileOrDie(dir_.Join("a.pdf"), "%PDF original a");
  kura_test::WriteFileOrDie(dir_.Join("b.pdf"), "%PDF original b");
  const auto lines = JsonLines(Kura("ingest --department somu a.pdf b.pdf").out);
  ASSERT_EQ(lines.size(), 2u);
  KuraRun ok = Kura("verify");
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  const json good = JsonLines(ok.out).back();
  EXPECT_EQ(good["documents"], 2);
  EXPECT_EQ(good["ok"], 2);
  EXPECT_EQ(good["failed"], json::array());
  EXPECT_EQ(good["timestamps_checked"], 2);
  EXPECT_EQ(good["events"], 3);  // the department, then the two documents
  EXPECT_EQ(good["checkpoint"], 3);

  const std::string sha = lines[1]["sha256"];
  const std::string object = dir_.Join("kura-data/objects/sha256/" + sha.substr(0, 2) + "/" +
                                       sha.substr(2, 2) + "/" + sha);
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
  ASSERT_NO_FATAL_FAILURE(InitWithSomu());
  kura_test::WriteFileOrDie(dir_.Join("scan.pdf"), "%PDF scanned");
  ASSERT_EQ(Kura("ingest --department somu scan.pdf").exit_code, 0);
  const KuraRun r = Kura(
      "correct D00000001 --set total=55000 --set issue_date=2026-11-01 "
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
  // What a person types is checked before anything is recorded.
  const KuraRun bad = Kura("correct D00000001 --set issue_date=2026-13-01 --reason x");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("issue_date（取引年月日）"), std::string::npos) << bad.err;
  EXPECT_EQ(Kura("correct D00000001 --set format=xml --reason x").exit_code, 2);
  EXPECT_EQ(json::parse(Kura("show D00000001").out)["versions"].size(), 2u);
}

TEST_F(CliTest, TokenAndTsaCertVerifyWithOpensslTsVerify) {
  ASSERT_NO_FATAL_FAILURE(InitWithSomu());
  kura_test::WriteFileOrDie(dir_.Join("inv.pdf"), "%PDF-1.4 請求書 2026年11月分");
  ASSERT_EQ(Kura("ingest --department somu inv.pdf").exit_code, 0);
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
  ASSERT_NO_FATAL_FAILURE(InitWithSomu());  // event 0: the department
  kura_test::WriteFileOrDie(dir_.Join("a.pdf"), "%PDF a");
  kura_test::WriteFileOrDie(dir_.Join("b.pdf"), "%PDF b");
  ASSERT_EQ(Kura("ingest --department somu a.pdf b.pdf").exit_code, 0);
  const KuraRun cp = Kura("log checkpoint");
  ASSERT_EQ(cp.exit_code, 0) << cp.err;
  EXPECT_EQ(cp.out.rfind("kura/", 0), 0u) << cp.out;
  EXPECT_NE(cp.out.find("\n3\n"), std::string::npos) << cp.out;
  const KuraRun proof = Kura("log proof D00000002");
  ASSERT_EQ(proof.exit_code, 0) << proof.err;
  const json p = json::parse(proof.out);
  EXPECT_EQ(p["event_index"], 2);
  EXPECT_EQ(p["tree_size"], 3);
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
  ASSERT_NO_FATAL_FAILURE(InitWithSomu());
  const KuraRun r =
      Kura("ingest --department somu a/invoice-000003.xml");  // 1 and 2 are PDFs for seed 3
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json line = json::parse(r.out);
  EXPECT_EQ(line["fields"]["format"], "jp-pint");
  EXPECT_EQ(line["fields"]["buyer"], "蔵前市");
  EXPECT_EQ(line["fields"]["registration_number"].get<std::string>().size(), 14u);
}

TEST_F(CliTest, SearchPrintsJsonPagesAndCsvWithBomForEveryHit) {
  ASSERT_EQ(Kura("demo-data --out inv --count 30 --seed 5").exit_code, 0);
  ASSERT_NO_FATAL_FAILURE(InitWithSomu());
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
  const KuraRun r = Kura("ingest --department somu a.pdf");
  EXPECT_EQ(r.exit_code, 2);
  // The sentence is ledger's (translated on branch ja-core); it names the format.
  EXPECT_NE(r.err.find("99"), std::string::npos) << r.err;
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
  // The command line writes while serve runs on the same directory...
  ASSERT_EQ(Kura("department add --code somu --name 総務課").exit_code, 0);
  kura_test::WriteFileOrDie(dir_.Join("a.pdf"), "%PDF");
  const KuraRun second = Kura("ingest --department somu a.pdf");
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(JsonLines(second.out)[0]["id"], "D00000001");
  const KuraRun add = KuraWithInput("while-serving-2026\n",
                                    "user add --login kato --name 加藤 --department somu "
                                    "--role clerk");
  ASSERT_EQ(add.exit_code, 0) << add.err;
  // ... and the server sees what it wrote: the new user logs in at once.
  auto login = client.Post("/api/v1/session", R"({"login":"kato","password":"while-serving-2026"})",
                           "application/json");
  ASSERT_TRUE(login);
  EXPECT_EQ(login->status, 200) << login->body;
  EXPECT_EQ(Kura("verify").exit_code, 0);

  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  ::close(err_pipe[0]);
}

TEST_F(CliTest, UserAddReadsThePasswordFromStdinAndTheUserLogsIn) {
  ASSERT_EQ(Kura("init").exit_code, 0);
  const KuraRun dept = Kura("department add --code somu --name 総務課");
  ASSERT_EQ(dept.exit_code, 0) << dept.err;
  EXPECT_EQ(JsonLines(dept.out)[0]["name"], "総務課");
  const KuraRun add = KuraWithInput(
      "a long secret 1\nsecond line ignored\n",
      "user add --login kato --name 加藤 --department somu --role clerk --role auditor");
  ASSERT_EQ(add.exit_code, 0) << add.err;
  const json user = JsonLines(add.out)[0];
  EXPECT_EQ(user["login"], "kato");
  EXPECT_EQ(user["roles"], json::array({"clerk", "auditor"}));
  EXPECT_EQ(add.out.find("a long secret"), std::string::npos);
  EXPECT_EQ(add.out.find("argon2"), std::string::npos);
  const KuraRun approver = KuraWithInput(
      "another secret\n",
      "user add --login kacho --name 課長 --department somu --role approver --title 課長");
  EXPECT_EQ(approver.exit_code, 0) << approver.err;

  // Refusals: a login taken, an unknown department, a short or missing
  // password, an unknown role, an approver without a title.
  EXPECT_EQ(KuraWithInput("a long secret 1\n",
                          "user add --login kato --name x --department somu --role clerk")
                .exit_code,
            1);
  EXPECT_NE(KuraWithInput("a long secret 1\n",
                          "user add --login ito --name x --department nowhere --role clerk")
                .exit_code,
            0);
  EXPECT_EQ(KuraWithInput("short\n", "user add --login ito --name x --department somu --role clerk")
                .exit_code,
            2);
  EXPECT_EQ(
      KuraWithInput("", "user add --login ito --name x --department somu --role clerk").exit_code,
      2);
  EXPECT_EQ(KuraWithInput("a long secret 1\n",
                          "user add --login ito --name x --department somu --role boss")
                .exit_code,
            2);
  EXPECT_EQ(KuraWithInput("a long secret 1\n",
                          "user add --login ito --name x --department somu --role approver")
                .exit_code,
            2);
  const KuraRun list = Kura("user list");
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(JsonLines(list.out).size(), 2u);
  EXPECT_EQ(list.out.find("argon2"), std::string::npos);
  const KuraRun vendor = Kura(
      "vendor add --id V00001 --name 山田商事株式会社 --registration-number T7010705000725 "
      "--bank-account 0005:123:1:1234567 --address 埼玉県草加市栄町3丁目2番8号 "
      "--corporate-number 7010705000725 --kana-name ﾔﾏﾀﾞｼｮｳｼﾞ");
  EXPECT_EQ(vendor.exit_code, 0) << vendor.err;
  ASSERT_EQ(JsonLines(vendor.out).size(), 1u) << vendor.out;
  EXPECT_EQ(JsonLines(vendor.out)[0]["kana_name"], "ヤマダショウジ");  // as stored
  EXPECT_EQ(JsonLines(vendor.out)[0]["corporate_number"], "7010705000725");
  const KuraRun disagree = Kura(
      "vendor add --id V00002 --name 山田商事株式会社 --registration-number T7010705000725 "
      "--corporate-number 4011001098993");
  EXPECT_NE(disagree.exit_code, 0);
  EXPECT_NE(disagree.err.find("一致しません"), std::string::npos) << disagree.err;

  std::string log;
  const int port = StartServe({}, &log);
  ASSERT_GT(port, 0) << log;
  httplib::Client client("127.0.0.1", port);
  EXPECT_EQ(LogIn(client, "kato", "a long secret 1"), 200);
  EXPECT_EQ(LogIn(client, "kato", "second line ignored"), 401);
  EXPECT_TRUE(StopServe());
}

TEST_F(CliTest, ServeDemoSeedsAnOrganisationOnceAndPrintsTheLogins) {
  std::string log;
  int port = StartServe({"--demo"}, &log);
  ASSERT_GT(port, 0) << log;
  EXPECT_NE(log.find("demo-pass-2026"), std::string::npos) << log;
  EXPECT_NE(log.find("somu.tanto"), std::string::npos) << log;
  EXPECT_NE(log.find("kaikei"), std::string::npos) << log;

  json first;
  {
    httplib::Client client("127.0.0.1", port);
    std::string cookie;
    ASSERT_EQ(LogIn(client, "somu.tanto", "demo-pass-2026", &cookie), 200);
    for (const char* login :
         {"somu.kacho", "somu.bucho", "fukushicho", "kaikei", "kansa", "compliance", "admin"}) {
      EXPECT_EQ(LogIn(client, login, "demo-pass-2026"), 200) << login;
    }
    const httplib::Headers h{{"Cookie", cookie}};
    auto inbox = client.Get("/api/v1/inbox", h);
    ASSERT_TRUE(inbox);
    ASSERT_EQ(inbox->status, 200) << inbox->body;
    first["unprocessed"] = json::parse(inbox->body)["counts"]["unprocessed"];
    EXPECT_GT(first["unprocessed"].get<int>(), 0) << inbox->body;
    auto commitments = client.Get("/api/v1/commitments", h);
    first["commitments"] = json::parse(commitments->body)["items"].size();
    EXPECT_GT(first["commitments"].get<int>(), 0);
    // The clerk's search counts the own department's documents only; the
    // auditor's, all 60 the demo received.
    auto docs = client.Get("/api/v1/documents", h);
    first["documents"] = json::parse(docs->body)["count"];
    EXPECT_GT(first["documents"].get<int>(), 0);
    EXPECT_LT(first["documents"].get<int>(), 60);
    std::string auditor;
    ASSERT_EQ(LogIn(client, "kansa", "demo-pass-2026", &auditor), 200);
    auto all = client.Get("/api/v1/documents", httplib::Headers{{"Cookie", auditor}});
    EXPECT_EQ(json::parse(all->body)["count"], 60);
    auto vendors = client.Get("/api/v1/vendors", h);
    first["vendors"] = json::parse(vendors->body)["items"].size();
  }
  ASSERT_TRUE(StopServe());
  const size_t users = JsonLines(Kura("user list").out).size();
  EXPECT_GE(users, 10u);

  // A second start adds nothing.
  log.clear();
  port = StartServe({"--demo"}, &log);
  ASSERT_GT(port, 0) << log;
  {
    httplib::Client client("127.0.0.1", port);
    std::string cookie;
    ASSERT_EQ(LogIn(client, "somu.tanto", "demo-pass-2026", &cookie), 200);
    const httplib::Headers h{{"Cookie", cookie}};
    EXPECT_EQ(json::parse(client.Get("/api/v1/commitments", h)->body)["items"].size(),
              first["commitments"]);
    EXPECT_EQ(json::parse(client.Get("/api/v1/documents", h)->body)["count"], first["documents"]);
    EXPECT_EQ(json::parse(client.Get("/api/v1/vendors", h)->body)["items"].size(),
              first["vendors"]);
    EXPECT_EQ(json::parse(client.Get("/api/v1/inbox", h)->body)["counts"]["unprocessed"],
              first["unprocessed"]);
  }
  ASSERT_TRUE(StopServe());
  EXPECT_EQ(JsonLines(Kura("user list").out).size(), users);
  // And everything the demo wrote verifies.
  const KuraRun verify = Kura("verify --quiet");
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

// Issue 12, item 6: [server] tls_cert and tls_key (relative to the data
// directory) make `kura serve` speak HTTPS only; files it cannot use are
// named in a clear error before it listens.
TEST_F(CliTest, ServeWithTlsFilesSpeaksHttpsAndNamesWhatIsWrongWithThem) {
  ASSERT_EQ(Kura("init").exit_code, 0);
  std::string out;
  const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
  ASSERT_EQ(kura_test::RunCommand(
                "cd " + dir_.Join("kura-data") + " && mkdir tls && cd tls && " +
                    "printf 'subjectAltName = IP:127.0.0.1\\n' > leaf.ext && openssl req -x509" +
                    ec + " -keyout ca.key -out ca.pem -days 2 -subj /CN=ca && openssl req" + ec +
                    " -keyout server.key -out server.csr -subj /CN=127.0.0.1 && openssl x509 -req"
                    " -in server.csr -CA ca.pem -CAkey ca.key -set_serial 2 -days 2"
                    " -extfile leaf.ext -out server.pem && openssl genpkey -algorithm EC"
                    " -pkeyopt ec_paramgen_curve:P-256 -out other.key 2>&1",
                &out),
            0)
      << out;
  const std::string toml = kura_test::ReadFileOrDie(dir_.Join("kura-data/kura.toml"));
  const auto configure = [&](const std::string& cert, const std::string& key) {
    std::string t = toml;
    t.replace(t.find("tls_cert = \"\""), 13, "tls_cert = \"" + cert + "\"");
    t.replace(t.find("tls_key = \"\""), 12, "tls_key = \"" + key + "\"");
    kura_test::WriteFileOrDie(dir_.Join("kura-data/kura.toml"), t);
  };

  configure("tls/server.pem", "tls/server.key");
  std::string log;
  const int port = StartServe({}, &log);
  ASSERT_GT(port, 0) << log;
  EXPECT_NE(log.find("https://127.0.0.1:"), std::string::npos) << log;
  ASSERT_EQ(kura_test::RunCommand("curl -sS --noproxy '*' --max-time 10 --cacert " +
                                      dir_.Join("kura-data/tls/ca.pem") + " https://127.0.0.1:" +
                                      std::to_string(port) + "/healthz 2>&1",
                                  &out),
            0)
      << out;
  EXPECT_EQ(out, "ok\n");
  EXPECT_TRUE(StopServe());

  configure("tls/server.pem", "tls/other.key");
  KuraRun run = Kura("serve --listen 127.0.0.1:0");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("秘密鍵が証明書と一致しません"), std::string::npos) << run.err;
  configure("tls/missing.pem", "tls/server.key");
  run = Kura("serve --listen 127.0.0.1:0");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("[server] tls_cert のファイル"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("読み込めません"), std::string::npos) << run.err;
  configure("tls/server.pem", "");
  run = Kura("serve --listen 127.0.0.1:0");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("両方指定してください"), std::string::npos) << run.err;
}

}  // namespace
