#include "base/text.h"

#include <gtest/gtest.h>

namespace base {
namespace {

TEST(NormalizeNameTest, CompanyDesignatorsAndWidthsGiveOneKey) {
  const std::string key = NormalizeName("山田商事");
  EXPECT_EQ(key, "山田商事");
  EXPECT_EQ(NormalizeName("株式会社山田商事"), key);
  EXPECT_EQ(NormalizeName("株式会社　山田商事"), key);  // ideographic space
  EXPECT_EQ(NormalizeName("(株)山田商事"), key);
  EXPECT_EQ(NormalizeName("（株）山田商事"), key);  // full-width parentheses
  EXPECT_EQ(NormalizeName("㈱山田商事"), key);      // U+3231
  EXPECT_EQ(NormalizeName("山田商事 株式会社"), key);
  EXPECT_EQ(NormalizeName("山田商事㈱"), key);
}

TEST(NormalizeNameTest, FoldsWidthAndCase) {
  EXPECT_EQ(NormalizeName("ＡＢＣ　Ｔｅｃｈ"), "abctech");
  EXPECT_EQ(NormalizeName("abc tech"), "abctech");
  EXPECT_EQ(NormalizeName("ﾔﾏﾀﾞ"), "ヤマダ");  // half-width katakana with dakuten
  EXPECT_EQ(NormalizeName("ヤマダ・テクノ"), NormalizeName("ﾔﾏﾀﾞ･ﾃｸﾉ"));
  EXPECT_EQ(NormalizeName("１２３"), "123");
}

TEST(NormalizeNameTest, OtherLegalFormsAndEmptyInput) {
  EXPECT_EQ(NormalizeName("有限会社 佐藤工務店"), "佐藤工務店");
  EXPECT_EQ(NormalizeName("(有)佐藤工務店"), "佐藤工務店");
  EXPECT_EQ(NormalizeName("一般社団法人 地域振興会"), "地域振興会");
  EXPECT_EQ(NormalizeName("合同会社ミライ"), "ミライ");
  EXPECT_EQ(NormalizeName(""), "");
  EXPECT_EQ(NormalizeName("株式会社"), "");
  // Different names stay different.
  EXPECT_NE(NormalizeName("山田商事"), NormalizeName("山田商店"));
}

TEST(NormalizeNameTest, InvalidUtf8DoesNotCrash) {
  const std::string s = NormalizeName(std::string("\xff\xfe abc", 6));
  EXPECT_NE(s.find("abc"), std::string::npos);
}

TEST(NormalizeTextTest, KeepsWordsButFoldsWidth) {
  EXPECT_EQ(NormalizeText("ＰＣ 保守"), "pc 保守");
  EXPECT_EQ(NormalizeText("株式会社"), "株式会社");
}

// Issue 12, finding 12: file names were stored with NUL bytes, 5,000
// characters and bidirectional overrides.
TEST(PrintableTextTest, ShowsControlCharactersAndKeepsTheRest) {
  EXPECT_EQ(PrintableText("1,000円"), "1,000円");
  EXPECT_EQ(PrintableText(std::string("a\0b\r\nc\td\x7f", 9)), "a␀b␍␊c␉d␡");
  EXPECT_EQ(PrintableText("\x1b[31m赤"), "␛[31m赤");
  EXPECT_EQ(PrintableText("請求書\u202Efdp.exe"), "請求書\uFFFDfdp.exe");  // bidi override
  EXPECT_EQ(PrintableText("a\u200Bb\u0085c"), "a\uFFFDb\uFFFDc");          // zero width, C1 NEL
  EXPECT_EQ(PrintableText("bad\xff"), "bad\uFFFD");
  EXPECT_EQ(PrintableText("<b>&amp;</b>"), "<b>&amp;</b>");
}

TEST(PrintableTextTest, CutsLongInputWithAnEllipsis) {
  EXPECT_EQ(PrintableText("1234567890", 4), "1234…");
  EXPECT_EQ(PrintableText("1234", 4), "1234");
  EXPECT_EQ(PrintableText("請求書番号", 3), "請求書…");
  EXPECT_EQ(PrintableText(std::string(100, 'x')).size(), 64u + std::string("…").size());
}

TEST(DisplayNameTest, DropsControlAndFormatCharactersAndCapsTheLength) {
  EXPECT_EQ(DisplayName(std::string("inv\0oice\r\n.pdf", 15)), "invoice.pdf");
  EXPECT_EQ(DisplayName("\x1b[31m請求書.pdf"), "[31m請求書.pdf");
  // With U+202E (right-to-left override), "fdp.exe" would show as "exe.pdf".
  EXPECT_EQ(DisplayName("請求書\u202Efdp.exe"), "請求書fdp.exe");
  EXPECT_EQ(DisplayName("a\u200Bb\uFEFFc\u2028d"), "abcd");
  EXPECT_EQ(DisplayName("<script>alert(1)</script>.xml"), "<script>alert(1)</script>.xml");
  EXPECT_EQ(DisplayName("bad\xff.pdf"), "bad\uFFFD.pdf");
  std::string kanji;
  for (int i = 0; i < 5000; ++i) kanji += "蔵";
  const std::string capped = DisplayName(kanji);
  EXPECT_EQ(capped.size(), 255u * 3);  // 255 code points, whole
  EXPECT_EQ(DisplayName("請求書 2026年11月.pdf", 3), "請求書");
  EXPECT_EQ(DisplayName("普通の名前_(株)山田.pdf"), "普通の名前_(株)山田.pdf");
}

}  // namespace
}  // namespace base
