#include "base/money.h"

#include <gtest/gtest.h>

#include "tests/fakes/japanese_message.h"

namespace base {
namespace {

Decimal D(const char* s) {
  auto r = Decimal::Parse(s);
  EXPECT_TRUE(r.ok()) << s << ": " << r.status().ToString();
  return r.ok() ? *r : Decimal();
}

TEST(DecimalTest, ParseKeepsScaleAsWritten) {
  EXPECT_EQ(D("1234.50").ToString(), "1234.50");
  EXPECT_EQ(D("110000").ToString(), "110000");
  EXPECT_EQ(D("-0.05").ToString(), "-0.05");
  EXPECT_EQ(D("+7").ToString(), "7");
  EXPECT_EQ(D("  42 \n").ToString(), "42");
  EXPECT_EQ(D("0.00").ToString(), "0.00");
  EXPECT_EQ(D("007.1").ToString(), "7.1");
  EXPECT_EQ(D(".5").ToString(), "0.5");
}

TEST(DecimalTest, ParseRejectsMalformedText) {
  for (const char* bad : {"", "-", "1.2.3", "1e5", "1,000", "¥100", "abc", "1 000", "."}) {
    auto r = Decimal::Parse(bad);
    EXPECT_FALSE(r.ok()) << bad;
  }
  EXPECT_EQ(Decimal::Parse("1234567890123456789").status().code(),
            Status::Code::kResourceExhausted);
}

TEST(DecimalTest, ParseErrorIsJapaneseAndNamesTheInputWithoutControlCharacters) {
  const Status s = Decimal::Parse("1,000").status();
  EXPECT_EQ(s.message(),
            "「1,000」は数値として読めません"
            "（例: 1234.50。桁区切りのカンマ、全角数字、単位は使えません）");
  const Status esc = Decimal::Parse("12\x1b[31m3").status();
  EXPECT_NE(esc.message().find("「12␛[31m3」"), std::string::npos) << esc.message();
  EXPECT_TRUE(kura_test::IsJapaneseError(esc));
  EXPECT_TRUE(kura_test::IsJapaneseError(Decimal::Parse("1234567890123456789")));
}

TEST(DecimalTest, ComparisonIsNumeric) {
  EXPECT_EQ(D("1.50"), D("1.5"));
  EXPECT_LT(D("-2"), D("-1.99"));
  EXPECT_GT(D("100000.01"), D("100000"));
  EXPECT_EQ(D("0"), D("-0.000"));
}

TEST(DecimalTest, AddAndSubAlignScales) {
  EXPECT_EQ(D("1.5").Add(D("2.25"))->ToString(), "3.75");
  EXPECT_EQ(D("100").Sub(D("0.01"))->ToString(), "99.99");
  EXPECT_EQ(D("-5").Add(D("5"))->ToString(), "0");
}

TEST(DecimalTest, OverflowIsAnErrorNotAWrap) {
  const Decimal big = D("999999999999999999");
  auto r = big.Add(big);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kResourceExhausted);
  EXPECT_FALSE(big.Mul(big).ok());
}

TEST(DecimalTest, MulIsExact) {
  EXPECT_EQ(D("100000").Mul(D("0.10"))->ToString(), "10000.00");
  EXPECT_EQ(D("12345").Mul(D("0.08"))->ToString(), "987.60");
  EXPECT_EQ(D("1.5").Mul(D("1.5"))->ToString(), "2.25");
}

TEST(DecimalTest, RoundingModes) {
  const Decimal x = D("987.60");
  EXPECT_EQ(x.Round(0, RoundingMode::kDown)->ToString(), "987");
  EXPECT_EQ(x.Round(0, RoundingMode::kHalfUp)->ToString(), "988");
  EXPECT_EQ(x.Round(0, RoundingMode::kUp)->ToString(), "988");
  EXPECT_EQ(D("-2.5").Round(0, RoundingMode::kHalfUp)->ToString(), "-3");
  EXPECT_EQ(D("-2.5").Round(0, RoundingMode::kDown)->ToString(), "-2");
  EXPECT_EQ(D("-2.1").Round(0, RoundingMode::kFloor)->ToString(), "-3");
  EXPECT_EQ(D("2.5").Round(0, RoundingMode::kHalfEven)->ToString(), "2");
  EXPECT_EQ(D("3.5").Round(0, RoundingMode::kHalfEven)->ToString(), "4");
  EXPECT_EQ(D("3").Round(2, RoundingMode::kDown)->ToString(), "3.00");
}

TEST(DecimalTest, NormalizedDropsTrailingZeros) {
  EXPECT_EQ(D("1234.500").Normalized().ToString(), "1234.5");
  EXPECT_EQ(D("10.00").Normalized().ToString(), "10");
  EXPECT_EQ(D("100").Normalized().ToString(), "100");
}

TEST(MoneyTest, MinorUnits) {
  EXPECT_EQ(MinorUnits("JPY"), 0);
  EXPECT_EQ(MinorUnits("EUR"), 2);
  EXPECT_EQ(MinorUnits("KWD"), 3);
}

}  // namespace
}  // namespace base
