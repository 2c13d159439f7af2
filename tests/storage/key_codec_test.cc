#include "storage/key_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "base/random.h"

namespace storage {
namespace {

TEST(KeyCodecTest, SignedIntegersSortNumerically) {
  const std::vector<int64_t> values = {INT64_MIN, -1000, -1, 0, 1, 255, 256, INT64_MAX};
  for (size_t i = 0; i + 1 < values.size(); ++i) {
    EXPECT_LT(KeyEncoder().I64(values[i]).key(), KeyEncoder().I64(values[i + 1]).key());
  }
}

TEST(KeyCodecTest, StringComponentsSortAsTuples) {
  // ("a", 2) < ("a\0", 1) < ("ab", 0): a shorter string never compares by
  // the bytes of the next component.
  const std::string k1 = KeyEncoder().String("a").U64(2).key();
  const std::string k2 = KeyEncoder().String(std::string("a\0", 2)).U64(1).key();
  const std::string k3 = KeyEncoder().String("ab").U64(0).key();
  EXPECT_LT(k1, k2);
  EXPECT_LT(k2, k3);
}

TEST(KeyCodecTest, DecodeRoundTrip) {
  const std::string s("株式会社\0x", 14);
  const std::string key = KeyEncoder().U32(7).String(s).I64(-5).U64(9).Raw("tail").key();
  KeyDecoder d(key);
  uint32_t a;
  std::string b;
  int64_t c;
  uint64_t e;
  ASSERT_TRUE(d.U32(&a));
  ASSERT_TRUE(d.String(&b));
  ASSERT_TRUE(d.I64(&c));
  ASSERT_TRUE(d.U64(&e));
  EXPECT_EQ(a, 7u);
  EXPECT_EQ(b, s);
  EXPECT_EQ(c, -5);
  EXPECT_EQ(e, 9u);
  EXPECT_EQ(d.Rest(), "tail");
}

TEST(KeyCodecTest, DecodeRejectsTruncatedInput) {
  std::string key = KeyEncoder().String("abc").key();
  key.pop_back();
  std::string out;
  EXPECT_FALSE(KeyDecoder(key).String(&out));
  uint64_t v;
  EXPECT_FALSE(KeyDecoder("1234567").U64(&v));
}

TEST(KeyCodecTest, DecimalsSortNumericallyWhateverTheScale) {
  base::Random rnd(::testing::UnitTest::GetInstance()->random_seed());
  std::vector<base::Decimal> values;
  for (int i = 0; i < 500; ++i) {
    const int scale = static_cast<int>(rnd.Uniform(5));
    values.push_back(base::Decimal::FromParts(rnd.Range(-100000000, 100000000), scale));
  }
  for (size_t i = 0; i < values.size(); ++i) {
    for (size_t j = i + 1; j < values.size(); j += 7) {
      const std::string a = KeyEncoder().Decimal(values[i]).key();
      const std::string b = KeyEncoder().Decimal(values[j]).key();
      EXPECT_EQ(a < b, values[i] < values[j]) << values[i].ToString() << " " << values[j].ToString();
      EXPECT_EQ(a == b, values[i] == values[j]);
    }
  }
}

TEST(KeyCodecTest, PrefixSuccessor) {
  EXPECT_EQ(PrefixSuccessor("ab"), "ac");
  EXPECT_EQ(PrefixSuccessor(std::string("a\xff", 2)), "b");
  EXPECT_EQ(PrefixSuccessor(std::string("\xff\xff", 2)), "");
}

}  // namespace
}  // namespace storage
