#include "ledger/data_dir.h"

#include <gtest/gtest.h>

#include "tests/fakes/fake_file_system.h"
#include "tests/fakes/japanese_message.h"
#include "tests/fakes/test_util.h"

namespace ledger {
namespace {

using base::Status;

class DataDirTest : public ::testing::Test {
 protected:
  kura_test::FakeFileSystem fs_;
  DataDirLayout layout_{"/srv/kura-data"};
};

TEST_F(DataDirTest, InitCreatesLayoutAndIsIdempotent) {
  ASSERT_OK(InitDataDir(&fs_, layout_, "# config\n"));
  EXPECT_TRUE(fs_.Exists(layout_.catalog()));
  EXPECT_TRUE(fs_.Exists(layout_.objects()));
  EXPECT_TRUE(fs_.Exists(layout_.keys()));
  EXPECT_EQ(fs_.Contents(layout_.config()), "# config\n");
  fs_.Overwrite(layout_.config(), "# edited by the admin\n");
  ASSERT_OK(InitDataDir(&fs_, layout_, "# config\n"));
  EXPECT_EQ(fs_.Contents(layout_.config()), "# edited by the admin\n");
  ASSERT_OK(CheckDataDir(&fs_, layout_));
}

TEST_F(DataDirTest, MissingDirectoryAsksForInit) {
  const Status s = CheckDataDir(&fs_, layout_);
  EXPECT_EQ(s.code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(s.message().find("kura init"), std::string::npos) << s.message();
  EXPECT_TRUE(kura_test::IsJapaneseError(s));
}

TEST_F(DataDirTest, NewerFormatIsRefusedWithAClearMessage) {
  ASSERT_OK(InitDataDir(&fs_, layout_, ""));
  fs_.Overwrite(layout_.format(), "kura-data-format 2\n");
  const Status s = CheckDataDir(&fs_, layout_);
  EXPECT_EQ(s.code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(s.message().find("新しい版の kura で作成されています（形式 2。"), std::string::npos)
      << s.message();
  EXPECT_FALSE(InitDataDir(&fs_, layout_, "").ok());
}

TEST_F(DataDirTest, UnknownFormatIsRefused) {
  ASSERT_OK(InitDataDir(&fs_, layout_, ""));
  fs_.Overwrite(layout_.format(), "something\x1b[2Jelse\n");
  const Status s = CheckDataDir(&fs_, layout_);
  EXPECT_EQ(s.code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(s.message().find("形式「something␛[2Jelse」が分かりません"), std::string::npos)
      << s.message();
  EXPECT_TRUE(kura_test::IsJapaneseError(s));
}

TEST_F(DataDirTest, ForeignNonEmptyDirectoryIsNotTakenOver) {
  ASSERT_OK(fs_.CreateDirs(layout_.root));
  fs_.Overwrite(layout_.root + "/thesis.docx", "precious");
  const Status s = InitDataDir(&fs_, layout_, "");
  EXPECT_EQ(s.code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(s.message().find("（thesis.docx があります）"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace ledger
