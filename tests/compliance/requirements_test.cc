// The requirement table of `kura compliance report` (compliance/
// requirements.h) names tests as proof; every name must be a test in
// tests/, so that the report cannot drift from the code.
#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "compliance/requirements.h"
#include "tests/fakes/test_util.h"

namespace compliance {
namespace {

namespace fs = std::filesystem;

// "Suite.Name" of every TEST, TEST_F and TEST_P under tests/.
std::set<std::string> TestsInTheTree() {
  static const std::regex kTest(R"(\bTEST(?:_F|_P)?\(\s*(\w+)\s*,\s*(\w+)\s*\))");
  std::set<std::string> names;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(KURA_SOURCE_DIR) / "tests")) {
    if (!e.is_regular_file() || e.path().extension() != ".cc") continue;
    const std::string text = kura_test::ReadFileOrDie(e.path().string());
    for (std::sregex_iterator m(text.begin(), text.end(), kTest), end; m != end; ++m) {
      names.insert((*m)[1].str() + "." + (*m)[2].str());
    }
  }
  return names;
}

TEST(RequirementsTest, EveryTestNamedInTheReportExists) {
  const std::set<std::string> tests = TestsInTheTree();
  ASSERT_GT(tests.size(), 500u);  // the scan found the tree
  size_t named = 0;
  for (const Requirement& r : Requirements()) {
    for (const std::string& t : r.tests) {
      ++named;
      if (t.find('/') != std::string::npos) {
        EXPECT_TRUE(fs::is_regular_file(fs::path(KURA_SOURCE_DIR) / t)) << r.id << ": " << t;
      } else {
        EXPECT_TRUE(tests.contains(t)) << r.id << " names a test that does not exist: " << t;
      }
    }
  }
  EXPECT_GT(named, 30u);
}

TEST(RequirementsTest, EveryRequirementSaysHowAndIsProvedUnlessLeftToTheCity) {
  std::set<std::string> ids;
  for (const Requirement& r : Requirements()) {
    EXPECT_TRUE(ids.insert(r.id).second) << "duplicate id " << r.id;
    EXPECT_FALSE(r.title.empty() || r.basis.empty() || r.how.empty()) << r.id;
    EXPECT_TRUE(r.status == "対応" || r.status == "一部対応" || r.status == "運用で対応") << r.id;
    if (r.status != "運用で対応") {
      EXPECT_FALSE(r.tests.empty()) << r.id;
      EXPECT_FALSE(r.commands.empty() && r.screens.empty()) << r.id;
    }
    const nlohmann::json j = ToJson(r);
    EXPECT_EQ(j["tests"].size(), r.tests.size());
  }
  for (const char* group : {"真実性", "可視性", "保存期間", "スキャナ保存", "相互関連性"}) {
    bool found = false;
    for (const Requirement& r : Requirements()) found = found || r.group == group;
    EXPECT_TRUE(found) << group;
  }
}

}  // namespace
}  // namespace compliance
