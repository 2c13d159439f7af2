// How the command line and the log show an error to a person: the Japanese
// phrase of its code (base/status_text.h) before the message, and every
// piece of text that may hold what someone else wrote (a file name, a
// message quoting one) without control characters and capped
// (base::DisplayName), so nothing echoes escape sequences or line breaks
// into a terminal or a log line.
//
// Thread safety: pure functions; PrintError writes one line with one call.
#ifndef APP_ERROR_TEXT_H_
#define APP_ERROR_TEXT_H_

#include <cstdio>
#include <string>
#include <string_view>

#include "base/status.h"

namespace app {

/// text fit for a terminal or a log line: no control or format characters
/// (line breaks, escape sequences, bidirectional overrides), at most
/// max_chars characters.
std::string ForDisplay(std::string_view text, size_t max_chars = 2000);

/// "<JapaneseSummary>: <message>" ("見つかりません: 文書 D00000042 はありません"),
/// the message through ForDisplay.
std::string ErrorText(const base::Status& s);

/// Prints "kura: " + ErrorText(s) and a line end to err.
void PrintError(std::FILE* err, const base::Status& s);

}  // namespace app

#endif  // APP_ERROR_TEXT_H_
