// The 全銀協 総合振込 file: compared byte for byte with a golden file written
// by hand from the format description (testdata/zengin_sogo_furikomi.golden,
// Shift_JIS, CRLF), every record 120 bytes, the trailer's count and sum,
// names converted to half-width kana through ICU, and refusals that name the
// field.
//
// The golden file, field by field:
//   header  1 | 21 | 0 | 1234567890 | ｸﾗﾏｴｼ (40) | 1225 | 0005 ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ (15)
//           | 001 ﾏﾙﾉｳﾁ (15) | 1 | 1234567 | 17 spaces
//   data    2 | 0009 ﾐﾂｲｽﾐﾄﾓ | 123 (no name) | 0000 | 1 | 0765432
//           | ｶ)ｵｵｽﾐｼﾖｳｼﾞ (30) | 0001530956 | 0 | 0000000001 | 0020260018 | 7 | ' ' | 7 spaces
//   data    2 | 0001 ﾐｽﾞﾎ | 002 ﾁﾖｳﾁﾖｳ | 0000 | 2 | 0000123 | ﾕ)ｳｴﾏﾂｴﾝｹﾞｲ | 0000060860
//           | 0 | 0000000000 | 0000000000 | 7 | ' ' | 7 spaces
//   trailer 8 | 000002 | 000001591816 | 101 spaces
//   end     9 | 119 spaces
#include "workflow/zengin.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/fakes/test_util.h"

namespace workflow::zengin {
namespace {

std::string Golden() {
  std::ifstream in(std::string(KURA_SOURCE_DIR) +
                       "/tests/workflow/testdata/zengin_sogo_furikomi.golden",
                   std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Remitter City() {
  // Full-width and hiragana on purpose: the conversion makes them 全銀 kana.
  return Remitter{"1234567890", "クラマエシ",
                  Account{"0005", "ミツビシユーエフジエイ", "001", "マルノウチ", '1', "1234567"}};
}

std::vector<Transfer> TwoTransfers() {
  return {
      Transfer{Account{"0009", "ミツイスミトモ", "123", "", '1', "765432"}, "カ）オオスミショウジ",
               1530956, "1", "20260018"},
      Transfer{Account{"0001", "ﾐｽﾞﾎ", "002", "ちょうちょう", '2', "0000123"},
               "ゆ）うえまつえんげい", 60860, "", ""},
  };
}

TEST(ZenginTest, MatchesTheHandWrittenGoldenFileByteForByte) {
  const std::string golden = Golden();
  ASSERT_EQ(golden.size(), 5u * 122);
  auto file = EncodeTransfers(City(), base::Date(2026, 12, 25), TwoTransfers());
  ASSERT_OK(file);
  EXPECT_EQ(*file, golden);
}

TEST(ZenginTest, EveryRecordIs120BytesAndTheTrailerCountsAndSums) {
  std::vector<Transfer> many;
  uint64_t sum = 0;
  for (int i = 1; i <= 37; ++i) {
    many.push_back(TwoTransfers()[i % 2]);
    many.back().amount = 1000ULL * i + 7;
    sum += many.back().amount;
  }
  auto file = EncodeTransfers(City(), base::Date(2027, 1, 5), many);
  ASSERT_OK(file);
  ASSERT_EQ(file->size(), (37u + 3) * 122);
  for (size_t at = 0; at < file->size(); at += 122) {
    EXPECT_EQ(file->substr(at + 120, 2), "\r\n") << at;
    EXPECT_EQ(file->find("\r\n", at), at + 120) << at;
  }
  EXPECT_EQ(file->substr(54, 4), "0105");  // 振込指定日 MMDD
  const std::string trailer = file->substr(38 * 122, 120);
  EXPECT_EQ(trailer.substr(0, 1), "8");
  EXPECT_EQ(trailer.substr(1, 6), "000037");
  EXPECT_EQ(std::stoull(trailer.substr(7, 12)), sum);
  EXPECT_EQ(file->substr(39 * 122, 1), "9");
}

TEST(ZenginTest, NamesBecomeHalfWidthKanaUpperCaseAndFullSize) {
  EXPECT_EQ(*ToZenginText("カ）オオスミショウジ"), "ｶ)ｵｵｽﾐｼﾖｳｼﾞ");
  EXPECT_EQ(*ToZenginText("ﾕ)ｳｴﾏﾂｴﾝｹﾞｲ"), "ﾕ)ｳｴﾏﾂｴﾝｹﾞｲ");  // already half width
  EXPECT_EQ(*ToZenginText("ぱーきんぐ　ｓｅｒｖｉｃｅ"), "ﾊﾟ-ｷﾝｸﾞ SERVICE");
  EXPECT_EQ(*ToZenginText("ｷｯﾌﾟ"), "ｷﾂﾌﾟ");
}

TEST(ZenginTest, RefusesWhatTheBankCannotTakeAndNamesIt) {
  auto kanji = ToZenginText("株式会社大住商事");
  ASSERT_FALSE(kanji.ok());
  EXPECT_NE(kanji.status().message().find("「株」"), std::string::npos);

  std::vector<Transfer> t = TwoTransfers();
  t[1].payee = "植松園芸";
  auto r = EncodeTransfers(City(), base::Date(2026, 12, 25), t);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("振込 2 件目の受取人名"), std::string::npos);

  t = TwoTransfers();
  t[0].to.number = "12345678";
  EXPECT_FALSE(EncodeTransfers(City(), base::Date(2026, 12, 25), t).ok());
  t = TwoTransfers();
  t[0].to.bank_code = "9";
  EXPECT_FALSE(EncodeTransfers(City(), base::Date(2026, 12, 25), t).ok());
  t = TwoTransfers();
  t[0].amount = 0;
  EXPECT_FALSE(EncodeTransfers(City(), base::Date(2026, 12, 25), t).ok());
  t = TwoTransfers();
  t[0].to.type = '3';
  EXPECT_FALSE(EncodeTransfers(City(), base::Date(2026, 12, 25), t).ok());
  EXPECT_FALSE(EncodeTransfers(City(), base::Date(2026, 12, 25), {}).ok());
}

}  // namespace
}  // namespace workflow::zengin
