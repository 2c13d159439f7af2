#include "base/status_text.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace base {
namespace {

using Code = Status::Code;

// Every code, kOk through kInternal (status.h declares them in this order).
std::vector<Code> AllCodes() {
  std::vector<Code> codes;
  for (int c = static_cast<int>(Code::kOk); c <= static_cast<int>(Code::kInternal); ++c) {
    codes.push_back(static_cast<Code>(c));
  }
  return codes;
}

TEST(StatusTextTest, EveryCodeHasItsOwnJapanesePhrase) {
  std::set<std::string_view> seen;
  for (Code code : AllCodes()) {
    const std::string_view phrase = JapaneseSummary(code);
    EXPECT_FALSE(phrase.empty()) << CodeName(code);
    // Japanese: no ASCII letters, and not the fallback for unknown codes.
    for (char ch : phrase) {
      EXPECT_FALSE((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z')) << phrase;
    }
    EXPECT_NE(phrase, JapaneseSummary(static_cast<Code>(-1))) << CodeName(code);
    EXPECT_TRUE(seen.insert(phrase).second) << "two codes say " << phrase;
  }
}

TEST(StatusTextTest, PhrasesPeopleSee) {
  EXPECT_EQ(JapaneseSummary(Code::kNotFound), "見つかりません");
  EXPECT_EQ(JapaneseSummary(Code::kInvalidArgument), "入力が正しくありません");
  EXPECT_EQ(JapaneseSummary(Code::kPermissionDenied), "権限がありません");
  EXPECT_EQ(JapaneseSummary(Code::kResourceExhausted), "サイズの上限を超えています");
  EXPECT_EQ(JapaneseSummary(Code::kAborted), "他の更新と競合しました");
  EXPECT_EQ(JapaneseSummary(Code::kInternal), "内部エラーが発生しました");
  EXPECT_EQ(JapaneseSummary(Code::kUnavailable),
            "一時的に処理できません。しばらくしてから再度お試しください");
}

TEST(StatusTextTest, PhraseIsNulTerminatedForPrintf) {
  for (Code code : AllCodes()) {
    const std::string_view phrase = JapaneseSummary(code);
    EXPECT_EQ(phrase.data()[phrase.size()], '\0') << CodeName(code);
  }
}

}  // namespace
}  // namespace base
