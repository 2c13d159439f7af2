#include "base/status.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "base/result.h"
#include "tests/fakes/japanese_message.h"

namespace base {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_EQ(s.message(), "");
}

TEST(StatusTest, ErrorCarriesCodeAndMessage) {
  const Status s = Status::NotFound("document 42");
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.IsNotFound());
  EXPECT_EQ(s.ToString(), "NotFound: document 42");
  const Status copy = s;
  EXPECT_EQ(copy.ToString(), s.ToString());
}

TEST(StatusTest, WithContextPrefixesMessageAndKeepsCode) {
  const Status s = Status::Corruption("bad byte").WithContext("objects/ab");
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_EQ(s.message(), "objects/ab: bad byte");
  EXPECT_TRUE(Status::OK().WithContext("x").ok());
}

TEST(StatusTest, FromErrnoMapsCommonErrors) {
  EXPECT_TRUE(Status::FromErrno("f", ENOENT).IsNotFound());
  EXPECT_EQ(Status::FromErrno("f", EACCES).code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(Status::FromErrno("f", ENOSPC).code(), Status::Code::kResourceExhausted);
  EXPECT_EQ(Status::FromErrno("f", EIO).code(), Status::Code::kIOError);
}

TEST(StatusTest, FromErrnoMessageIsJapaneseAfterTheContext) {
  const Status s = Status::FromErrno("/var/lib/kura/objects/ab", ENOSPC);
  EXPECT_EQ(s.message(), "/var/lib/kura/objects/ab: ディスクの空き容量が不足しています (ENOSPC)");
  EXPECT_TRUE(kura_test::IsJapaneseError(s));
}

Result<int> Half(int v) {
  if (v % 2 != 0) return Status::InvalidArgument("odd");
  return v / 2;
}

Status Quarter(int v, int* out) {
  ASSIGN_OR_RETURN(const int h, Half(v));
  ASSIGN_OR_RETURN(*out, Half(h));
  return Status::OK();
}

TEST(ResultTest, AssignOrReturnPropagatesFirstError) {
  int out = 0;
  EXPECT_TRUE(Quarter(8, &out).ok());
  EXPECT_EQ(out, 2);
  const Status s = Quarter(6, &out);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "odd");
}

TEST(ResultTest, ValueAndStatus) {
  Result<std::string> r = std::string("x");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "x");
  EXPECT_EQ(r->size(), 1u);
  Result<std::string> e = Status::NotFound("nope");
  EXPECT_FALSE(e.ok());
  EXPECT_TRUE(e.status().IsNotFound());
}

}  // namespace
}  // namespace base
