// The legacy creditor export reader (workflow/legacy_creditors.h): RFC 4180
// quoting through libcsv, UTF-8 with and without BOM, CP932 through ICU
// (a file written by iconv, not by kura), header names and aliases, and
// malformed rows listed with their line numbers in Japanese.
#include "workflow/legacy_creditors.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/fakes/test_util.h"

namespace workflow {
namespace {

constexpr char kHeader[] = "債権者番号,債権者名,住所,利用回数\r\n";

LegacyParse Parse(std::string_view csv, LegacyEncoding e = LegacyEncoding::kAuto) {
  auto p = ParseLegacyCreditors(csv, e);
  EXPECT_OK(p);
  return p.ok() ? *p : LegacyParse{};
}

std::string ReadTestData(const std::string& name) {
  std::ifstream in(std::string(KURA_SOURCE_DIR) + "/tests/workflow/testdata/" + name,
                   std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(LegacyCreditorsTest, QuotedFieldsKeepCommasQuotesAndLineBreaks) {
  const LegacyParse p = Parse(std::string(kHeader) +
                              "001,\"大隅商事, 本社\",\"千代田区\r\n丸の内1-2-3\",5\r\n"
                              "002,\"\"\"山田\"\"建設\",港区,7\r\n");
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_TRUE(p.errors.empty());
  EXPECT_EQ(p.rows[0].name, "大隅商事, 本社");
  EXPECT_EQ(p.rows[0].address, "千代田区\r\n丸の内1-2-3");
  EXPECT_EQ(p.rows[0].use_count, 5);
  EXPECT_EQ(p.rows[1].name, "\"山田\"建設");
  EXPECT_EQ(p.lines, (std::vector<int>{2, 4}));  // the second record begins on line 4
}

TEST(LegacyCreditorsTest, ByteOrderMarkIsSkippedAndUtf8Detected) {
  const LegacyParse p = Parse("\xEF\xBB\xBF" + std::string(kHeader) + "001,大隅商事,,\r\n");
  EXPECT_EQ(p.encoding, "utf-8");
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0].number, "001");
}

TEST(LegacyCreditorsTest, HeadersAreFoundByNameAliasAndWidthInAnyOrder) {
  const LegacyParse p = Parse(
      "メモ,最終支払日,金融機関コード,支店コード,口座番号,預金種別,相手方名,債権者コード,"
      "ｲﾝﾎﾞｲｽ登録番号,法人番号\n"
      "x,2024/3/1,5,12,123,当座,大隅商事,ＡＢ－０１,T7010705000725,7010705000725\n");
  ASSERT_EQ(p.rows.size(), 1u) << (p.errors.empty() ? "" : p.errors[0].message);
  const LegacyCreditor& c = p.rows[0];
  EXPECT_EQ(c.number, "AB-01");  // NFKC, case kept
  EXPECT_EQ(c.name, "大隅商事");
  EXPECT_EQ(c.last_used, "2024-03-01");
  EXPECT_EQ(c.bank_code, "0005");
  EXPECT_EQ(c.branch_code, "012");
  EXPECT_EQ(c.account_number, "0000123");
  EXPECT_EQ(c.account_type, "2");
  EXPECT_EQ(c.registration_number, "T7010705000725");
  EXPECT_EQ(c.corporate_number, "7010705000725");
  EXPECT_EQ(p.ignored_columns, std::vector<std::string>{"メモ"});
}

TEST(LegacyCreditorsTest, MissingRequiredColumnOrColumnTwiceRefusesTheFile) {
  auto missing = ParseLegacyCreditors("債権者番号,住所\n1,港区\n", LegacyEncoding::kAuto);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("債権者名"), std::string::npos);
  auto twice =
      ParseLegacyCreditors("債権者番号,債権者名,名称\n1,a,b\n", LegacyEncoding::kAuto);
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("二つ"), std::string::npos);
  EXPECT_FALSE(ParseLegacyCreditors("", LegacyEncoding::kAuto).ok());
}

TEST(LegacyCreditorsTest, MalformedRowsAreListedWithLineAndReason) {
  const std::string csv =
      "債権者番号,債権者名,登録番号,銀行コード,支店コード,口座番号,利用回数,最終利用日\n"
      "001,良い行,T7010705000725,0001,001,1234567,3,2024-01-01\n"  // line 2
      "002,列が足りない\n"                                          // line 3
      "003,番号違い,T7010705000726,,,,,\n"                            // line 4
      "004,口座が半端,,0001,,1234567,,\n"                             // line 5
      "005,回数,,,,,たくさん,\n"                                      // line 6
      "006,日付,,,,,,2024-02-30\n"                                    // line 7
      ",名前だけ,,,,,,\n"                                             // line 8
      "001,同じ番号,,,,,,\n"                                          // line 9
      "007,\"閉じ\"た後,,,,,,\n"                                      // line 10
      "008,最後の良い行,,,,,,\n";                                     // line 11
  const LegacyParse p = Parse(csv);
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[1].number, "008");
  std::vector<int> lines;
  for (const LegacyRowError& e : p.errors) lines.push_back(e.line);
  EXPECT_EQ(lines, (std::vector<int>{3, 4, 5, 6, 7, 8, 9, 10}));
  auto message = [&](int line) {
    for (const LegacyRowError& e : p.errors) {
      if (e.line == line) return e.message;
    }
    return std::string();
  };
  EXPECT_NE(message(3).find("列の数"), std::string::npos);
  EXPECT_NE(message(4).find("登録番号"), std::string::npos);
  EXPECT_NE(message(5).find("口座"), std::string::npos);
  EXPECT_NE(message(6).find("利用回数"), std::string::npos);
  EXPECT_NE(message(7).find("最終利用日"), std::string::npos);
  EXPECT_NE(message(8).find("債権者番号がありません"), std::string::npos);
  EXPECT_NE(message(9).find("2 行目にもあります"), std::string::npos);
  EXPECT_NE(message(10).find("引用符"), std::string::npos);
}

TEST(LegacyCreditorsTest, UnterminatedQuoteAtTheEndIsAnError) {
  const LegacyParse p = Parse(std::string(kHeader) + "001,a,b,1\n002,\"never closed,x,1\n");
  ASSERT_EQ(p.rows.size(), 1u);
  ASSERT_EQ(p.errors.size(), 1u);
  EXPECT_EQ(p.errors[0].line, 3);
  EXPECT_NE(p.errors[0].message.find("閉じられない"), std::string::npos);
}

TEST(LegacyCreditorsTest, Cp932FileIsDetectedAndDecodedThroughIcu) {
  const std::string bytes = ReadTestData("legacy_cp932.csv");  // written by iconv -t CP932
  ASSERT_FALSE(bytes.empty());
  const LegacyParse p = Parse(bytes);
  EXPECT_EQ(p.encoding, "cp932");
  ASSERT_EQ(p.rows.size(), 3u) << (p.errors.empty() ? "" : p.errors[0].message);
  EXPECT_EQ(p.rows[0].name, "株式会社大隅商事");
  EXPECT_EQ(p.rows[0].address, "東京都千代田区丸の内一丁目2番3号");
  EXPECT_EQ(p.rows[0].last_used, "2024-03-31");
  EXPECT_EQ(p.rows[1].name, "㈱大隅商事　本社");  // NEC special character
  EXPECT_EQ(p.rows[1].name_kana, "ｵｵｽﾐｼｮｳｼﾞ");      // half-width kana kept as written
  EXPECT_EQ(p.rows[2].name, "髙橋工務店");          // IBM extension: CP932, not JIS X 0208
  EXPECT_EQ(p.rows[2].account_type, "2");
  // Forced, the encoding is what the person said: UTF-8 fails on every row.
  auto forced = ParseLegacyCreditors(bytes, LegacyEncoding::kUtf8);
  if (forced.ok()) {
    EXPECT_TRUE(forced->rows.empty());
  }
  const LegacyParse cp = Parse(bytes, LegacyEncoding::kCp932);
  EXPECT_EQ(cp.rows.size(), 3u);
}

TEST(LegacyCreditorsTest, UndecodableBytesMarkOnlyTheirRow) {
  // 0x82 0xA0 is an empty code point in CP932 and not UTF-8 either.
  const std::string csv = std::string("\x8D\xC2\x8C\xA0\x8E\xD2\x94\xD4\x8D\x86,") +
                          "\x8D\xC2\x8C\xA0\x8E\xD2\x96\xBC\n" +  // 債権者番号,債権者名
                          "1,\x82\xA0\x82\xA0\n" +                // line 2: あ in CP932
                          "2,\x82\xF5\n";                         // line 3: undefined
  const LegacyParse p = Parse(csv, LegacyEncoding::kCp932);
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0].name, "ああ");
  ASSERT_EQ(p.errors.size(), 1u);
  EXPECT_EQ(p.errors[0].line, 3);
  EXPECT_NE(p.errors[0].message.find("文字コード"), std::string::npos);
}

TEST(LegacyCreditorsTest, StoredFormRoundTrips) {
  LegacyCreditor c{"001", "大隅", "オオスミ", "T7010705000725", "7010705000725", "港区",
                   "0001", "001", "1", "1234567", "ｵｵｽﾐ", 42, "2024-01-01", "総務課"};
  auto back = LegacyCreditorFromJson(ToJson(c));
  ASSERT_OK(back);
  EXPECT_EQ(ToJson(*back), ToJson(c));
  EXPECT_EQ(back->use_count, 42);
  EXPECT_FALSE(LegacyCreditorFromJson(nlohmann::json::array({"x"})).ok());
}

TEST(LegacyCreditorsTest, EncodingNames) {
  EXPECT_EQ(*ParseLegacyEncoding("auto"), LegacyEncoding::kAuto);
  EXPECT_EQ(*ParseLegacyEncoding("UTF-8"), LegacyEncoding::kUtf8);
  EXPECT_EQ(*ParseLegacyEncoding("Shift_JIS"), LegacyEncoding::kCp932);
  EXPECT_FALSE(ParseLegacyEncoding("latin1").ok());
}

}  // namespace
}  // namespace workflow
