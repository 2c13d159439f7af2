#include "base/errno_text.h"

#include <cerrno>
#include <string>

#include <gtest/gtest.h>

#include "tests/fakes/japanese_message.h"

namespace base {
namespace {

TEST(ErrnoTextTest, CommonValuesAreJapaneseWithTheirName) {
  EXPECT_EQ(ErrnoText(ENOSPC), "ディスクの空き容量が不足しています (ENOSPC)");
  EXPECT_EQ(ErrnoText(ENOENT), "ファイルまたはディレクトリが見つかりません (ENOENT)");
  for (int e :
       {ENOENT,       EACCES,    EPERM,        ENOSPC,      EDQUOT,       EEXIST, EISDIR, ENOTDIR,
        EROFS,        EIO,       EMFILE,       ENFILE,      ENAMETOOLONG, EBUSY,  ELOOP,  EXDEV,
        ENOTEMPTY,    EINVAL,    ENOMEM,       EAGAIN,      EINTR,        EBADF,  EFBIG,  ETXTBSY,
        ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH, ECONNRESET,   EPIPE}) {
    const std::string text = ErrnoText(e);
    EXPECT_TRUE(kura_test::IsJapaneseText(text)) << e;
    EXPECT_EQ(text.back(), ')') << text;
    EXPECT_NE(text.find(" (E"), std::string::npos) << text;
  }
}

TEST(ErrnoTextTest, NamesAreTheRightOnes) {
  EXPECT_NE(ErrnoText(EACCES).find("(EACCES)"), std::string::npos);
  EXPECT_NE(ErrnoText(EROFS).find("(EROFS)"), std::string::npos);
  EXPECT_NE(ErrnoText(ECONNREFUSED).find("(ECONNREFUSED)"), std::string::npos);
  EXPECT_NE(ErrnoText(EPIPE).find("(EPIPE)"), std::string::npos);
}

TEST(ErrnoTextTest, OtherValuesFallBackToStrerrorAndTheNumber) {
  const std::string text = ErrnoText(EDOM);
  EXPECT_NE(text.find(std::string(" (errno ") + std::to_string(EDOM) + ")"), std::string::npos)
      << text;
  EXPECT_EQ(ErrnoText(98765).substr(ErrnoText(98765).size() - 13), "(errno 98765)");
}

}  // namespace
}  // namespace base
