// The command line in Japanese: CLI11's help labels and its parse errors
// ("FILE is required", "The following argument was not expected: x") as
// people in the office read them, and validators whose messages are
// Japanese. Only the kura executable (main.cc) uses this; CLI11 stays in it.
//
// Thread safety: call from main() only (it configures one CLI::App).
#ifndef APP_INTERNAL_CLI_JAPANESE_H_
#define APP_INTERNAL_CLI_JAPANESE_H_

#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

namespace app::internal {

/// Japanese help labels ("使い方", "オプション", ...), the help and version
/// flags described in Japanese, and FailureMessage as the parse-error text.
/// REQUIRES: called before any option or subcommand is added.
void UseJapanese(CLI::App* cli, const std::string& version);

/// Files every subcommand of cli (at any depth) under "コマンド" in the help.
/// Call after all subcommands are added.
void GroupSubcommands(CLI::App* cli);

/// What a parse error prints: "kura: 入力が正しくありません: <detail>" and a
/// line naming the help of the command that failed. Values the person
/// typed are repeated without control characters (base::DisplayName).
std::string FailureMessage(const CLI::App* app, const CLI::Error& e);

/// A whole number (or, with fraction, a decimal) from min to max inclusive.
CLI::Validator Between(double min, double max, bool fraction = false);
/// An existing folder.
CLI::Validator ExistingFolder();
/// One of the listed words.
CLI::Validator OneOf(std::vector<std::string> words);

}  // namespace app::internal

#endif  // APP_INTERNAL_CLI_JAPANESE_H_
