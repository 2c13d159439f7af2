// Assertions on messages people read (issue 12, item 11): Japanese, and no
// raw control characters echoed.
#ifndef TESTS_FAKES_JAPANESE_MESSAGE_H_
#define TESTS_FAKES_JAPANESE_MESSAGE_H_

#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "base/result.h"
#include "base/status.h"
#include "base/utf8.h"

namespace kura_test {

/// Success if text is valid UTF-8 holding at least one kana or kanji and no
/// ASCII control character (U+0000..U+001F, U+007F).
inline ::testing::AssertionResult IsJapaneseText(std::string_view text) {
  if (!base::IsValidUtf8(text)) return ::testing::AssertionFailure() << "not UTF-8: " << text;
  bool japanese = false;
  for (size_t pos = 0; pos < text.size();) {
    const int32_t cp = base::NextCodePoint(text, &pos);
    if (cp < 0x20 || cp == 0x7F) {
      return ::testing::AssertionFailure()
             << "control character U+" << std::hex << cp << " in: " << text;
    }
    if ((cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x4E00 && cp <= 0x9FFF)) japanese = true;
  }
  if (!japanese) return ::testing::AssertionFailure() << "no Japanese in: " << text;
  return ::testing::AssertionSuccess();
}

/// IsJapaneseText of an error's message; an OK status fails.
inline ::testing::AssertionResult IsJapaneseError(const base::Status& s) {
  if (s.ok()) return ::testing::AssertionFailure() << "expected an error, got OK";
  return IsJapaneseText(s.message());
}
template <class T>
::testing::AssertionResult IsJapaneseError(const base::Result<T>& r) {
  if (r.ok()) return ::testing::AssertionFailure() << "expected an error, got a value";
  return IsJapaneseText(r.status().message());
}

}  // namespace kura_test

#endif  // TESTS_FAKES_JAPANESE_MESSAGE_H_
