#include "app/internal/cli_japanese.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include <sys/stat.h>

#include "base/text.h"

namespace app::internal {

namespace {

// Text from the command line, fit to repeat: no control characters, capped.
std::string Shown(std::string_view raw) { return base::DisplayName(raw, 200); }

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The rest of s after its first occurrence of sep; "" if none.
std::string_view After(std::string_view s, std::string_view sep) {
  const size_t at = s.find(sep);
  return at == std::string_view::npos ? std::string_view() : s.substr(at + sep.size());
}

// CLI11's sentence (CLI/Error.hpp) as a Japanese one, by the error's type
// (its get_name() is the command's name for some types). Validators of
// ours already speak Japanese ("--count: 1 から ... で指定してください");
// other texts of CLI11 are recognised by their fixed words, and anything
// else is kept in parentheses after a Japanese sentence. unknown: the
// first word the failing command did not take ("" if none).
std::string Detail(const CLI::Error& e, std::string_view unknown) {
  const std::string_view what = e.what();
  if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr) {
    if (what == "A subcommand is required") {
      if (!unknown.empty()) return "知らないコマンドです: " + Shown(unknown);
      return "コマンドを指定してください";
    }
    if (EndsWith(what, " is required")) {
      return Shown(what.substr(0, what.size() - 12)) + " を指定してください";
    }
  } else if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
    const std::string_view extras = After(what, "not expected: ");
    if (!extras.empty()) {
      return "余分な引数があります: " + Shown(extras) +
             "（コマンド名・オプションの綴りと、値の数を確かめてください）";
    }
  } else if (dynamic_cast<const CLI::ConversionError*>(&e) != nullptr &&
             StartsWith(what, "Could not convert: ")) {
    const std::string_view rest = what.substr(19);
    const size_t eq = rest.find(" = ");
    if (eq != std::string_view::npos) {
      return Shown(rest.substr(0, eq)) + " の値を読み取れません: " + Shown(rest.substr(eq + 3));
    }
  } else if (dynamic_cast<const CLI::ValidationError*>(&e) != nullptr) {
    return Shown(what);
  } else if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) != nullptr) {
    const size_t colon = what.find(':');
    if (colon != std::string_view::npos && colon > 0) {
      return Shown(what.substr(0, colon)) + " の値の数が正しくありません";
    }
  }
  return "コマンドラインを解釈できません（" + Shown(what) + "）";
}

}  // namespace

// The value placeholders (TEXT, INT, DIR) stay as CLI11 writes them: help
// aligns its columns by bytes, and they are names rather than words.
void UseJapanese(CLI::App* cli, const std::string& version) {
  auto formatter = cli->get_formatter();
  for (const auto& [key, label] : std::initializer_list<std::pair<const char*, const char*>>{
           {"Usage", "使い方"},
           {"OPTIONS", "オプション"},
           {"SUBCOMMAND", "コマンド"},
           {"SUBCOMMANDS", "コマンド"},
           {"REQUIRED", "必須"},
           {"Positionals", "引数"},
       }) {
    formatter->label(key, label);
  }
  cli->option_defaults()->group("オプション");
  cli->set_help_flag("-h,--help", "この使い方を表示して終了する");
  cli->set_version_flag("--version", version, "kura の版を表示して終了する");
  cli->failure_message(&FailureMessage);
}

void GroupSubcommands(CLI::App* cli) {
  for (CLI::App* sub : cli->get_subcommands([](CLI::App*) { return true; })) {
    sub->group("コマンド");
    // A subcommand copies its parent's help flag before its option
    // defaults, so the flag is filed under CLI11's "Options".
    if (CLI::Option* help = sub->get_help_ptr()) help->group("オプション");
    GroupSubcommands(sub);
  }
}

std::string FailureMessage(const CLI::App* app, const CLI::Error& e) {
  // The command that failed: the deepest one given (kura user add ...).
  std::string command = "kura";
  const CLI::App* failed = app;
  for (std::vector<CLI::App*> chosen = app->get_subcommands(); !chosen.empty();
       chosen = failed->get_subcommands()) {
    failed = chosen.front();
    command += " " + failed->get_name();
  }
  const std::vector<std::string> left = failed->remaining();
  return "kura: 入力が正しくありません: " + Detail(e, left.empty() ? "" : left.front()) + "\n" +
         "kura: 使い方は「" + command + " --help」で表示できます\n";
}

CLI::Validator Between(double min, double max, bool fraction) {
  const auto text = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.15g", v);
    return std::string(buf);
  };
  const std::string range = text(min) + " から " + text(max);
  return CLI::Validator(
      [=](std::string& value) -> std::string {
        double v = 0;
        const char* end = value.data() + value.size();
        const auto [p, ec] = std::from_chars(value.data(), end, v);
        const bool whole = fraction || std::floor(v) == v;
        if (value.empty() || ec != std::errc() || p != end || !whole || v < min || v > max) {
          return (fraction ? range + " の数値" : range + " の整数") + "で指定してください（" +
                 Shown(value) + "）";
        }
        return std::string();
      },
      "[" + text(min) + "〜" + text(max) + "]");
}

CLI::Validator ExistingFolder() {
  return CLI::Validator(
      [](std::string& path) -> std::string {
        struct stat st {};
        if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return std::string();
        return "フォルダがありません: " + Shown(path) +
               "（先に作成するか、パスを確かめてください）";
      },
      "フォルダ");
}

CLI::Validator OneOf(std::vector<std::string> words) {
  std::string list;
  for (const std::string& w : words) list += (list.empty() ? "" : ", ") + w;
  return CLI::Validator(
      [words, list](std::string& value) -> std::string {
        for (const std::string& w : words) {
          if (value == w) return std::string();
        }
        return list + " のいずれかで指定してください（" + Shown(value) + "）";
      },
      "{" + list + "}");
}

}  // namespace app::internal
