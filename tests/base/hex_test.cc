#include "base/hex.h"

#include <gtest/gtest.h>

#include "tests/fakes/japanese_message.h"

namespace base {
namespace {

TEST(HexTest, EncodeDecodeRoundTrip) {
  EXPECT_EQ(HexEncode(std::string("\x00\xab\xff", 3)), "00abff");
  EXPECT_EQ(HexDecode("00ABff").value(), std::string("\x00\xab\xff", 3));
}

TEST(HexTest, DecodeErrorsAreJapaneseAndNameTheInput) {
  const Status odd = HexDecode("abc").status();
  EXPECT_TRUE(odd.IsInvalidArgument());
  EXPECT_EQ(odd.message(), "「abc」は 16 進数の文字列ではありません（長さが奇数の 3 文字です）");
  const Status bad = HexDecode("ab\x1bz").status();
  EXPECT_TRUE(bad.IsInvalidArgument());
  EXPECT_EQ(bad.message(),
            "「ab␛z」は 16 進数の文字列ではありません（0〜9 と a〜f 以外の文字を含みます）");
  EXPECT_TRUE(kura_test::IsJapaneseError(bad));
}

}  // namespace
}  // namespace base
