#include "base/utf8.h"

#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "base/random.h"

namespace base {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

std::vector<char32_t> CodePoints(std::string_view s) {
  std::vector<char32_t> out;
  ForEachCodePoint(s, [&out](char32_t cp) {
    out.push_back(cp);
    return true;
  });
  return out;
}

// The walker archive::ValidUtf8 used before base/utf8 (kept here as the
// reference the ICU version must match byte for byte).
std::string ReferenceValidUtf8(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t n = c < 0x80                   ? 1
                     : (c >= 0xC2 && c <= 0xDF) ? 2
                     : (c >= 0xE0 && c <= 0xEF) ? 3
                     : (c >= 0xF0 && c <= 0xF4) ? 4
                                                : 0;
    bool ok = n > 0 && i + n <= s.size();
    for (size_t k = 1; ok && k < n; ++k) {
      ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    }
    if (ok && n >= 3) {
      const auto c1 = static_cast<unsigned char>(s[i + 1]);
      ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0) && !(c == 0xF0 && c1 < 0x90) &&
           !(c == 0xF4 && c1 >= 0x90);
    }
    if (ok) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += kFffd;
      ++i;
    }
  }
  return out;
}

TEST(Utf8Test, WellFormedTextIsValidAndKeptAsIs) {
  for (const std::string& s : {std::string(""), std::string("abc"), std::string("a\0b", 3),
                               std::string("請求書 2026年11月分"),
                               std::string("\xC2\x80"),                // U+0080
                               std::string("\xDF\xBF"),                // U+07FF
                               std::string("\xE0\xA0\x80"),            // U+0800
                               std::string("\xED\x9F\xBF"),            // U+D7FF
                               std::string("\xEE\x80\x80"),            // U+E000
                               std::string("\xEF\xBF\xBF"),            // U+FFFF
                               std::string("\xF0\x90\x80\x80"),        // U+10000
                               std::string("\xF4\x8F\xBF\xBF"),        // U+10FFFF
                               std::string("\xF0\x9F\x98\x80 ok")}) {  // emoji
    EXPECT_TRUE(IsValidUtf8(s)) << s;
    EXPECT_EQ(ToValidUtf8(s), s);
  }
}

TEST(Utf8Test, OverlongFormsAreIllFormed) {
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));  // '/' in two bytes
  EXPECT_FALSE(IsValidUtf8("\xC1\xBF"));
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // '/' in three bytes
  EXPECT_FALSE(IsValidUtf8("\xE0\x9F\xBF"));      // U+07FF in three bytes
  EXPECT_FALSE(IsValidUtf8("\xF0\x80\x80\xAF"));  // '/' in four bytes
  EXPECT_FALSE(IsValidUtf8("\xF0\x8F\xBF\xBF"));  // U+FFFF in four bytes
  EXPECT_EQ(ToValidUtf8("a\xC0\xAF"
                        "b"),
            "a" + Repeat(kFffd, 2) + "b");
  EXPECT_EQ(ToValidUtf8("\xE0\x80\xAF"), Repeat(kFffd, 3));
  EXPECT_EQ(ToValidUtf8("\xF0\x80\x80\xAF"), Repeat(kFffd, 4));
}

TEST(Utf8Test, SurrogatesAreIllFormed) {
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // U+D800
  EXPECT_FALSE(IsValidUtf8("\xED\xBF\xBF"));  // U+DFFF
  // CESU-8 / "modified UTF-8" form of U+1F600: two encoded surrogates.
  EXPECT_EQ(ToValidUtf8("\xED\xA0\xBD\xED\xB8\x80"), Repeat(kFffd, 6));
}

TEST(Utf8Test, ValuesAboveU10FFFFAreIllFormed) {
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(IsValidUtf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("\xF7\xBF\xBF\xBF"));
  EXPECT_FALSE(IsValidUtf8("\xF8\x88\x80\x80\x80"));  // old five-byte form
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_EQ(ToValidUtf8("\xF4\x90\x80\x80"), Repeat(kFffd, 4));
  EXPECT_EQ(ToValidUtf8("\xFE\xFF"), Repeat(kFffd, 2));
}

// The policy this file pins: one U+FFFD per byte that starts no well-formed
// sequence. ICU's u_strFromUTF8WithSub (maximal ill-formed subparts) would
// give one U+FFFD for each of the cut sequences below.
TEST(Utf8Test, TruncatedSequencesGiveOneReplacementPerByte) {
  EXPECT_FALSE(IsValidUtf8("\xE3\x81"));
  EXPECT_FALSE(IsValidUtf8("\xF0\x9F\x98"));
  EXPECT_FALSE(IsValidUtf8("\xC3"));
  EXPECT_EQ(ToValidUtf8("a\xF0\x9F\x98"), "a" + Repeat(kFffd, 3));  // cut emoji at the end
  EXPECT_EQ(ToValidUtf8("\xE3\x81"
                        "A"),
            Repeat(kFffd, 2) + "A");
  EXPECT_EQ(ToValidUtf8("\xE3\x81\xE3\x81\x82"), Repeat(kFffd, 2) + "あ");
  EXPECT_EQ(ToValidUtf8("\xC3"), kFffd);
}

TEST(Utf8Test, LoneTrailBytesAreReplacedOneByOne) {
  EXPECT_FALSE(IsValidUtf8("\x80"));
  EXPECT_EQ(ToValidUtf8("\x80\xBF"
                        "a"),
            Repeat(kFffd, 2) + "a");
}

// Regression pin: names from Windows shares arrive in Shift_JIS and are
// stored repaired. These must stay byte-identical to what kura stored
// before base/utf8 (archive::ValidUtf8).
TEST(Utf8Test, ShiftJisFileNamesAreRepairedAsBefore) {
  // 請求書.pdf: every byte is a lone trail byte.
  EXPECT_EQ(ToValidUtf8("\x90\xBF\x8B\x81\x8F\x91.pdf"), Repeat(kFffd, 6) + ".pdf");
  // 契約書.pdf: F1 8F 91 starts a four-byte sequence that '.' cuts short;
  // three U+FFFD here, where maximal subparts would give one.
  EXPECT_EQ(ToValidUtf8("\x8C\x5F\x96\xF1\x8F\x91.pdf"), kFffd + "_" + Repeat(kFffd, 4) + ".pdf");
  // まわり.pdf (82 DC 82 ED 82 E8): DC 82 is U+0702 by accident, ED 82 is cut
  // short by E8 (two U+FFFD here, one with maximal subparts).
  EXPECT_EQ(ToValidUtf8("\x82\xDC\x82\xED\x82\xE8.pdf"),
            kFffd + "\xDC\x82" + kFffd + kFffd + kFffd + ".pdf");
  // 見積書: CF 8F is a well-formed two-byte sequence (U+03CF) by accident.
  EXPECT_EQ(ToValidUtf8("\x8C\xA9\x90\xCF\x8F\x91"), Repeat(kFffd, 3) + "\xCF\x8F" + kFffd);
}

TEST(Utf8Test, MatchesThePreviousWalkerOnRandomBytes) {
  Random rnd(::testing::UnitTest::GetInstance()->random_seed());
  // Bytes that make interesting sequences more likely than uniform bytes.
  static constexpr unsigned char kBytes[] = {'a',  '.',  0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F,
                                             0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE3, 0xED,
                                             0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xFF};
  for (int round = 0; round < 20000; ++round) {
    std::string s(rnd.Uniform(12), '\0');
    for (char& c : s) c = static_cast<char>(kBytes[rnd.Uniform(sizeof(kBytes))]);
    const std::string want = ReferenceValidUtf8(s);
    ASSERT_EQ(ToValidUtf8(s), want) << testing::PrintToString(s);
    ASSERT_EQ(IsValidUtf8(s), want == s) << testing::PrintToString(s);
    ASSERT_TRUE(IsValidUtf8(want));
  }
}

TEST(Utf8Test, NextCodePointDecodesAndStepsOneByteOnIllFormedInput) {
  const std::string s =
      "a\xC3\xA9\xE8\xAB\x8B\xF0\x9F\x98\x80\xE3\x81"
      "b";
  size_t pos = 0;
  EXPECT_EQ(NextCodePoint(s, &pos), 'a');
  EXPECT_EQ(NextCodePoint(s, &pos), 0xE9);    // é
  EXPECT_EQ(NextCodePoint(s, &pos), 0x8ACB);  // 請
  EXPECT_EQ(NextCodePoint(s, &pos), 0x1F600);
  EXPECT_EQ(pos, 10u);
  EXPECT_EQ(NextCodePoint(s, &pos), kIllFormedUtf8);
  EXPECT_EQ(pos, 11u);
  EXPECT_EQ(NextCodePoint(s, &pos), kIllFormedUtf8);
  EXPECT_EQ(pos, 12u);
  EXPECT_EQ(NextCodePoint(s, &pos), 'b');
  EXPECT_EQ(pos, s.size());
}

TEST(Utf8Test, ForEachCodePointStopsAtIllFormedInputOrWhenTold) {
  EXPECT_EQ(CodePoints("a請😀"), (std::vector<char32_t>{U'a', U'請', U'😀'}));
  EXPECT_TRUE(ForEachCodePoint("", [](char32_t) { return false; }));
  std::vector<char32_t> seen;
  EXPECT_FALSE(
      ForEachCodePoint("ab\xFF"
                       "c",
                       [&seen](char32_t cp) {
                         seen.push_back(cp);
                         return true;
                       }));
  EXPECT_EQ(seen, (std::vector<char32_t>{U'a', U'b'}));
  EXPECT_FALSE(ForEachCodePoint("abc", [](char32_t cp) { return cp != U'b'; }));
}

TEST(Utf8Test, AppendCodePointWritesUtf8AndReplacesNonScalarValues) {
  std::string out;
  for (char32_t cp : {U'a', U'\u00E9', U'\u8ACB', U'\U0001F600', U'\U0010FFFF'}) {
    AppendCodePoint(cp, &out);
  }
  EXPECT_EQ(out, "a\xC3\xA9\xE8\xAB\x8B\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF");
  EXPECT_EQ(CodePoints(out).size(), 5u);
  out.clear();
  AppendCodePoint(0xD800, &out);
  AppendCodePoint(0x110000, &out);
  EXPECT_EQ(out, Repeat(kFffd, 2));
}

TEST(Utf8Test, TruncateNeverSplitsASequence) {
  const std::string s = "請求書";  // three bytes each
  EXPECT_EQ(TruncateUtf8(s, 100), s);
  EXPECT_EQ(TruncateUtf8(s, 9), s);
  EXPECT_EQ(TruncateUtf8(s, 8), "請求");
  EXPECT_EQ(TruncateUtf8(s, 7), "請求");
  EXPECT_EQ(TruncateUtf8(s, 6), "請求");
  EXPECT_EQ(TruncateUtf8(s, 2), "");
  EXPECT_EQ(TruncateUtf8("ab\xF0\x9F\x98\x80", 5), "ab");
  EXPECT_EQ(TruncateUtf8("abc", 0), "");
  // Only a sequence that is well-formed so far is dropped; stray trail
  // bytes before the cut are kept (and left for IsValidUtf8 to refuse).
  EXPECT_EQ(TruncateUtf8("ab\x80\x80\x80\x80\x80", 4), "ab\x80\x80");
  EXPECT_EQ(TruncateUtf8("\x80\x80\x80\x80", 1), "\x80");
  EXPECT_EQ(TruncateUtf8("\xE3\x81\x82", 1), "");
}

}  // namespace
}  // namespace base
