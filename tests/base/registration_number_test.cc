#include "base/registration_number.h"

#include <gtest/gtest.h>

#include "base/random.h"

namespace base {
namespace {

TEST(RegistrationNumberTest, KnownCorporateNumbersAreValid) {
  // Examples from the National Tax Agency's corporate number site (DOMAIN.md).
  for (const char* n : {"7010705000725", "8040001079502", "2010401059681", "4011001098993"}) {
    EXPECT_TRUE(IsValidCorporateNumber(n)) << n;
    EXPECT_EQ(CorporateNumberCheckDigit(std::string_view(n).substr(1)), n[0]) << n;
    EXPECT_TRUE(IsValidRegistrationNumber(std::string("T") + n)) << n;
  }
}

TEST(RegistrationNumberTest, OfficialPintSampleNumberFailsTheCheck) {
  EXPECT_TRUE(LooksLikeRegistrationNumber("T1234567890123"));
  EXPECT_FALSE(IsValidRegistrationNumber("T1234567890123"));
}

TEST(RegistrationNumberTest, EveryWrongCheckDigitIsRejected) {
  for (char c = '0'; c <= '9'; ++c) {
    std::string n = "7010705000725";
    n[0] = c;
    EXPECT_EQ(IsValidCorporateNumber(n), c == '7') << n;
  }
}

TEST(RegistrationNumberTest, ShapeChecks) {
  EXPECT_FALSE(LooksLikeRegistrationNumber("7010705000725"));
  EXPECT_FALSE(LooksLikeRegistrationNumber("T701070500072"));
  EXPECT_FALSE(LooksLikeRegistrationNumber("T70107050007250"));
  EXPECT_FALSE(LooksLikeRegistrationNumber("t7010705000725"));
  EXPECT_FALSE(IsValidCorporateNumber("70107050007a5"));
}

TEST(RandomTest, SameSeedSameSequence) {
  Random a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    (void)c.Next();
  }
  EXPECT_NE(Random(42).Next(), Random(43).Next());
  Random r(7);
  for (int i = 0; i < 1000; ++i) {
    const int64_t v = r.Range(-3, 3);
    EXPECT_GE(v, -3);
    EXPECT_LE(v, 3);
  }
}

}  // namespace
}  // namespace base
