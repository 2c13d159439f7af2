// Issue 12, item 11: every error the kura program prints for a person is
// Japanese, and nothing someone typed or received (a document id, a file
// name) is echoed with its control characters. A table of failing
// invocations of the real program, each run in a fresh data directory that
// has the department somu and one archived document, D00000001.
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/status_text.h"
#include "base/utf8.h"
#include "tests/fakes/test_util.h"

namespace {

// True if text has a hiragana, katakana or kanji (CJK unified ideograph).
bool HasJapanese(std::string_view text) {
  bool found = false;
  base::ForEachCodePoint(text, [&](char32_t c) {
    found = (c >= 0x3040 && c <= 0x30FF) || (c >= 0x4E00 && c <= 0x9FFF);
    return !found;
  });
  return found;
}

// The first ASCII control character of text (line ends included), or -1.
int FirstControl(std::string_view text) {
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) return u;
  }
  return -1;
}

// What a line says beyond kura's own framing: without "kura: " and without
// the Japanese phrase of a status code ("見つかりません: "), which every
// error line has. So a line whose detail is English is caught.
std::string_view Detail(std::string_view line) {
  if (line.substr(0, 6) == "kura: ") line.remove_prefix(6);
  for (int c = 0; c <= static_cast<int>(base::Status::Code::kInternal); ++c) {
    const std::string phrase =
        std::string(base::JapaneseSummary(static_cast<base::Status::Code>(c))) + ": ";
    if (line.substr(0, phrase.size()) == phrase) return line.substr(phrase.size());
  }
  return line;
}

// Expects every line of a program's standard error to be Japanese (in its
// detail, too) and free of control characters.
void ExpectJapaneseLines(const std::string& err) {
  EXPECT_FALSE(err.empty()) << "no message at all";
  EXPECT_EQ(err.find('\r'), std::string::npos) << err;
  std::istringstream in(err);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    EXPECT_EQ(FirstControl(line), -1) << line;
    EXPECT_TRUE(base::IsValidUtf8(line)) << line;
    EXPECT_TRUE(HasJapanese(Detail(line))) << "not Japanese: " << line;
  }
}

struct Row {
  const char* name;
  // Run in the test's directory (where kura-data is) after the common
  // setup, before the command.
  std::function<void(const kura_test::TempDir&)> setup;
  std::string args;  // shell words after `kura`
};

// gtest prints a failing row by its name.
void PrintTo(const Row& row, std::ostream* os) { *os << row.name; }

void WriteConfig(const kura_test::TempDir& dir, const std::string& text) {
  kura_test::WriteFileOrDie(dir.Join("kura-data/kura.toml"), text);
}

// Appends to the one archived original (mode 0444) behind kura's back.
void TamperWithOriginal(const kura_test::TempDir& dir) {
  for (const auto& e :
       std::filesystem::recursive_directory_iterator(dir.Join("kura-data/objects/sha256"))) {
    if (!e.is_regular_file()) continue;
    std::filesystem::permissions(e.path(), std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::add);
    std::ofstream(e.path(), std::ios::app) << "tampered";
  }
}

const Row kRows[] = {
    {"ShowUnknownDocument", nullptr, "show D09999999"},
    {"GetUnknownDocument", nullptr, "get D09999999 --out x.pdf"},
    {"CorrectUnknownDocument", nullptr, "correct D09999999 --set total=1000 --reason 誤記"},
    {"CorrectUnknownField", nullptr, "correct D00000001 --set colour=red --reason 誤記"},
    {"CorrectWithoutEquals", nullptr, "correct D00000001 --set total --reason 誤記"},
    {"CorrectBadAmount", nullptr, "correct D00000001 --set total=千円 --reason 誤記"},
    {"CorrectStaleVersion", nullptr,
     "correct D00000001 --set total=1000 --reason 誤記 --expect-version 7"},
    {"DocumentIdWithControlCharacters", nullptr, "show \"$(printf 'D\\033[2J\\n1')\""},
    {"ConfigValueOutOfRange",
     [](const kura_test::TempDir& d) { WriteConfig(d, "[ingest]\nmax_file_mb = 0\n"); },
     "show D00000001"},
    {"ConfigValueOfWrongType",
     [](const kura_test::TempDir& d) { WriteConfig(d, "[timestamp]\nbatch = \"yes\"\n"); },
     "show D00000001"},
    {"ConfigSyntaxError",
     [](const kura_test::TempDir& d) { WriteConfig(d, "[ingest\nmax_file_mb = 1\n"); },
     "show D00000001"},
    {"ConfigTsaUrlNotHttp",
     [](const kura_test::TempDir& d) {
       WriteConfig(d, "[timestamp]\nurl = \"ftp://tsa.example.jp\"\ntrusted_ca = \"ca.pem\"\n");
     },
     "show D00000001"},
    {"ConfigRouteWithoutTitles",
     [](const kura_test::TempDir& d) {
       WriteConfig(d, "[routes]\ntiers = [{ max_amount = 500000, titles = [] }]\n");
     },
     "correct D00000001 --set total=1000 --reason 誤記"},
    {"IngestEmptyFile",
     [](const kura_test::TempDir& d) { kura_test::WriteFileOrDie(d.Join("empty.pdf"), ""); },
     "ingest --department somu empty.pdf"},
    {"IngestFileNameWithControlCharacters",
     [](const kura_test::TempDir& d) { kura_test::WriteFileOrDie(d.Join("a\x1b[31m\nb.pdf"), ""); },
     "ingest --department somu \"$(printf 'a\\033[31m\\nb.pdf')\""},
    {"IngestToUnknownDepartment", nullptr, "ingest --department nosuchdept a.pdf"},
    {"IngestWithoutDepartment", nullptr, "ingest a.pdf"},
    {"IngestDepartmentWithControlCharacters", nullptr,
     "ingest --department \"$(printf 'x\\033]0;owned\\007')\" a.pdf"},
    // lower module: translated on branch ja-core (base's "No such file or
    // directory" after the file name).
    {"IngestMissingFile", nullptr, "ingest --department somu missing.pdf"},
    {"SearchLimitOutOfRange", nullptr, "search --limit 0"},
    {"SearchImpossibleDate", nullptr, "search --date-from 2026-02-30"},
    {"SearchAmountNotANumber", nullptr, "search --amount-min 一万円"},
    {"SearchUnknownType", nullptr, "search --type receipt"},
    {"SearchUnknownFormat", nullptr, "search --format xml"},
    {"SearchBadCursor", nullptr, "search --after zz"},
    // lower module: translated on branch ja-core (base::Date::Parse's
    // "no such date").
    {"VerifyImpossibleDate", nullptr, "verify --from 2026-13-45"},
    {"VerifyDamagedArchive", &TamperWithOriginal, "verify"},
    {"GetDamagedOriginal", &TamperWithOriginal, "get D00000001 --out x.pdf"},
    {"OutIsAFolder", nullptr, "token D00000001 --out ."},
    {"UnknownCommand", nullptr, "archive-everything"},
    {"MissingArgument", nullptr, "ingest"},
    {"UnexpectedArgument", nullptr, "show D00000001 D00000002"},
    {"OptionOutOfRange", nullptr, "demo-data --out demo --count 0"},
    {"OptionNotANumber", nullptr, "demo-data --out demo --seed many"},
    {"WatchMissingFolder", nullptr, "watch no-such-folder --department somu"},
    // lower module: translated on branch ja-core (ledger's "is not a kura
    // data directory").
    {"NoDataDirectory", nullptr, "--data nowhere show D00000001"},
    {"UnknownRole", nullptr,
     "user add --login sato --name 佐藤 --department somu --role king < /dev/null"},
    {"DepartmentCodeWithSpace", nullptr, "department add --code 'a b' --name 企画課"},
    {"RevokeUnknownToken", nullptr, "api-token revoke tok-00000000"},
};

class JapaneseErrorsTest : public ::testing::TestWithParam<Row> {
 protected:
  struct Run {
    int exit_code;
    std::string out, err;
  };
  Run Kura(const std::string& args) {
    const std::string err_file = dir_.Join("stderr.txt");
    std::string out;
    const int rc = kura_test::RunCommand(
        "cd " + dir_.path() + " && " + KURA_PROGRAM + " " + args + " 2>" + err_file, &out);
    return Run{rc, out, kura_test::ReadFileOrDie(err_file)};
  }
  // kura-data with the department somu and D00000001 (a.pdf).
  void SetUpArchive() {
    ASSERT_EQ(Kura("init").exit_code, 0);
    ASSERT_EQ(Kura("department add --code somu --name 総務課").exit_code, 0);
    kura_test::WriteFileOrDie(dir_.Join("a.pdf"), "%PDF-1.4 一通目");
    const Run r = Kura("ingest --department somu a.pdf");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  kura_test::TempDir dir_;
};

TEST_P(JapaneseErrorsTest, FailsWithJapaneseLinesAndNoControlCharacters) {
  ASSERT_NO_FATAL_FAILURE(SetUpArchive());
  const Row& row = GetParam();
  if (row.setup) row.setup(dir_);
  const Run r = Kura(row.args);
  EXPECT_NE(r.exit_code, 0) << row.args;
  ExpectJapaneseLines(r.err);
}

INSTANTIATE_TEST_SUITE_P(Cli, JapaneseErrorsTest, ::testing::ValuesIn(kRows),
                         [](const ::testing::TestParamInfo<Row>& row) {
                           return std::string(row.param.name);
                         });

// The problems `kura verify` reports in its JSON (stdout) are described in
// Japanese too; the machine-readable reason stays a code.
TEST_F(JapaneseErrorsTest, VerifyReportDescribesProblemsInJapanese) {
  ASSERT_NO_FATAL_FAILURE(SetUpArchive());
  TamperWithOriginal(dir_);
  const Run r = Kura("verify --quiet");
  EXPECT_EQ(r.exit_code, 1);
  const nlohmann::json report = nlohmann::json::parse(r.out);
  ASSERT_EQ(report["failed"].size(), 1u) << r.out;
  EXPECT_EQ(report["failed"][0]["reason"], "changed");
  const std::string detail = report["failed"][0]["detail"];
  EXPECT_TRUE(HasJapanese(detail)) << detail;
}

// Our own descriptions in `kura --help` and `kura <command> --help` are
// Japanese: every option, argument and command has a Japanese line.
TEST_F(JapaneseErrorsTest, HelpDescribesEverythingInJapanese) {
  for (const char* cmd : {"",
                          "init",
                          "ingest",
                          "show",
                          "search",
                          "get",
                          "correct",
                          "verify",
                          "token",
                          "tsa-cert",
                          "log",
                          "log checkpoint",
                          "log proof",
                          "timestamp",
                          "watch",
                          "demo-data",
                          "user",
                          "user add",
                          "user list",
                          "user set",
                          "user enable",
                          "user disable",
                          "user passwd",
                          "user reset-password",
                          "user unlock",
                          "department",
                          "department add",
                          "vendor",
                          "vendor add",
                          "api-token",
                          "api-token create",
                          "api-token list",
                          "api-token revoke",
                          "serve"}) {
    const Run r = Kura(std::string(cmd) + " --help");
    ASSERT_EQ(r.exit_code, 0) << cmd;
    EXPECT_NE(r.out.find("使い方"), std::string::npos) << cmd;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
      // "  --name TEXT   description": the description follows the padding;
      // a long name has it on the next line, indented alone.
      const size_t first = line.find_first_not_of(' ');
      if (first < 2 || first == std::string::npos) continue;  // a heading
      size_t start = first;  // a continuation line is all description
      if (first < 20) {
        const size_t name_end = line.find("  ", first);
        if (name_end == std::string::npos) continue;  // described on the next line
        start = line.find_first_not_of(' ', name_end);
      }
      EXPECT_TRUE(HasJapanese(line.substr(start))) << "kura " << cmd << " --help: " << line;
    }
  }
}

}  // namespace
