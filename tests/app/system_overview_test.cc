// docs/SYSTEM-OVERVIEW.md is the システム概要書 a city hands to the tax
// office, and `kura compliance report` tells auditors which commands show
// each requirement: every `kura …` command line they name must be a command
// of this kura, with the options it names, and every kura.toml key
// ("[section] key") must be one kura.toml has. The document is parsed here:
// its code spans and fenced blocks.
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/config.h"
#include "compliance/requirements.h"
#include "tests/fakes/test_util.h"

namespace app {
namespace {

// The code of a Markdown text: each line of a fenced block, each inline span.
std::vector<std::string> CodeOf(const std::string& markdown) {
  static const std::regex kSpan("`([^`]+)`");
  std::vector<std::string> code;
  std::istringstream lines(markdown);
  bool fenced = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("```", 0) == 0) {
      fenced = !fenced;
    } else if (fenced) {
      code.push_back(line);
    } else {
      for (std::sregex_iterator m(line.begin(), line.end(), kSpan), end; m != end; ++m) {
        code.push_back((*m)[1].str());
      }
    }
  }
  return code;
}

// A command line as written: the words after "kura" up to a shell
// separator or comment.
struct Invocation {
  std::string text;
  std::vector<std::string> words;  // leading lower-case words: the command path and arguments
  std::vector<std::string> flags;  // --name of every option given
};

std::vector<Invocation> InvocationsIn(const std::string& code) {
  static const std::regex kWord("[a-z][a-z0-9-]*");
  std::vector<std::string> tokens;
  std::istringstream in(code);
  for (std::string t; in >> t;) tokens.push_back(t);
  std::vector<Invocation> out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i] != "kura") continue;
    Invocation inv{code, {}, {}};
    bool path = true;
    for (size_t j = i + 1; j < tokens.size(); ++j) {
      const std::string& t = tokens[j];
      if (t == "|" || t == ";" || t == "&&" || t[0] == '#' || t[0] == '>') break;
      if (t == "--data") {  // the global option and its value
        ++j;
        continue;
      }
      if (t.rfind("--", 0) == 0) {
        inv.flags.push_back(t.substr(0, t.find('=')));
        path = false;
      } else if (path && std::regex_match(t, kWord)) {
        inv.words.push_back(t);
      } else {
        path = false;
      }
    }
    if (!inv.words.empty()) out.push_back(std::move(inv));
  }
  return out;
}

// Asks the kura program for the help of command paths (cached).
class Commands {
 public:
  // The help of `kura <path> --help`.
  const std::string& Help(const std::string& path) {
    auto it = help_.find(path);
    if (it != help_.end()) return it->second;
    std::string out;
    const int rc = kura_test::RunCommand(std::string(KURA_PROGRAM) + " " + path + " --help", &out);
    EXPECT_EQ(rc, 0) << path;
    return help_[path] = out;
  }
  // Whether `kura <path>` is a command: its help's usage line names it.
  bool IsCommand(const std::string& path) {
    const std::string usage = "使い方: " + std::string(KURA_PROGRAM) + " " + path + " [";
    return Help(path).find(usage) != std::string::npos;
  }
  // Whether the command at path has subcommands (its help lists them).
  bool HasSubcommands(const std::string& path) {
    return Help(path).find("\nコマンド:\n") != std::string::npos;
  }

  // Empty if inv is a command of kura with the options it names; else why not.
  std::string Check(const Invocation& inv) {
    std::string path = inv.words[0];
    if (!IsCommand(path)) return "no command `kura " + path + "`";
    for (size_t i = 1; i < inv.words.size(); ++i) {
      const std::string longer = path + " " + inv.words[i];
      if (IsCommand(longer)) {
        path = longer;
      } else if (HasSubcommands(path)) {
        return "`kura " + path + "` has no subcommand " + inv.words[i];
      } else {
        break;  // an argument
      }
    }
    for (const std::string& flag : inv.flags) {
      if (flag == "--help" || flag == "--version") continue;
      const std::regex option("\\s" + flag + "[\\s,]");
      if (!std::regex_search(Help(path), option)) return "`kura " + path + "` has no " + flag;
    }
    return "";
  }

 private:
  std::map<std::string, std::string> help_;
};

// "section key" and "section" of every key and table of the kura.toml that
// `kura init` writes (commented examples included).
std::set<std::string> ConfigKeys() {
  static const std::regex kSection(R"(^#?\s*\[([a-z][a-z0-9_.]*)\]\s*$)");
  static const std::regex kKey(R"(^#?\s*([a-z][a-z0-9_]*)\s*=)");
  std::set<std::string> keys;
  std::istringstream lines(DefaultConfigText());
  std::string section;
  std::smatch m;
  for (std::string line; std::getline(lines, line);) {
    if (std::regex_match(line, m, kSection)) {
      section = m[1];
      keys.insert(section);
    } else if (!section.empty() && std::regex_search(line, m, kKey)) {
      keys.insert(section + " " + m[1].str());
    }
  }
  return keys;
}

std::string Overview() {
  return kura_test::ReadFileOrDie(std::string(KURA_SOURCE_DIR) + "/docs/SYSTEM-OVERVIEW.md");
}

TEST(SystemOverviewTest, EveryCommandAndSettingItNamesExists) {
  const std::vector<std::string> code = CodeOf(Overview());
  Commands commands;
  std::set<std::string> seen;
  for (const std::string& c : code) {
    for (const Invocation& inv : InvocationsIn(c)) {
      seen.insert(inv.words[0]);
      const std::string problem = commands.Check(inv);
      EXPECT_TRUE(problem.empty()) << problem << " (docs/SYSTEM-OVERVIEW.md: " << inv.text << ")";
    }
  }
  // The parse found the document's commands: receipt, verification, search,
  // retention, pinning and the report at least.
  for (const char* command :
       {"init", "ingest", "watch", "verify", "token", "tsa-cert", "log", "export", "search",
        "retention", "keys", "compliance", "user"}) {
    EXPECT_TRUE(seen.contains(command)) << command;
  }

  static const std::regex kSetting(R"(^\[([a-z][a-z0-9_.]*)\](?: ([a-z][a-z0-9_]*))?$)");
  const std::set<std::string> keys = ConfigKeys();
  ASSERT_TRUE(keys.contains("timestamp url"));  // the parse of kura.toml found its keys
  size_t settings = 0;
  std::smatch m;
  for (const std::string& c : code) {
    if (!std::regex_match(c, m, kSetting)) continue;
    ++settings;
    const std::string key = m[2].matched ? m[1].str() + " " + m[2].str() : m[1].str();
    EXPECT_TRUE(keys.contains(key)) << "kura.toml has no " << c;
  }
  EXPECT_GT(settings, 15u);
}

TEST(SystemOverviewTest, EveryCommandTheComplianceReportNamesExists) {
  Commands commands;
  size_t checked = 0;
  for (const compliance::Requirement& r : compliance::Requirements()) {
    for (const std::string& line : r.commands) {
      const auto invocations = InvocationsIn(line);
      EXPECT_EQ(invocations.size(), 1u) << r.id << ": " << line;
      for (const Invocation& inv : invocations) {
        ++checked;
        const std::string problem = commands.Check(inv);
        EXPECT_TRUE(problem.empty()) << problem << " (requirement " << r.id << ": " << line << ")";
      }
    }
  }
  EXPECT_GT(checked, 20u);
}

// The checker itself: a misspelt command, subcommand or option is caught.
TEST(SystemOverviewTest, MisspeltCommandsAndOptionsAreCaught) {
  Commands commands;
  const auto check = [&](const std::string& line) {
    const auto inv = InvocationsIn(line);
    return inv.empty() ? std::string("no invocation") : commands.Check(inv[0]);
  };
  EXPECT_EQ(check("kura retention dispose approve R00000001 --as suzuki"), "");
  EXPECT_EQ(check("kura show D00000001"), "");
  EXPECT_NE(check("kura verfiy"), "");
  EXPECT_NE(check("kura retention dispose aprove R00000001"), "");
  EXPECT_NE(check("kura search --date-form 2026-04-01"), "");
  EXPECT_FALSE(ConfigKeys().contains("timestamp uri"));
}

}  // namespace
}  // namespace app
