// DatedIndex: counts per group and scope over day ranges, pages in (day, id)
// order that neither repeat nor skip an entry, and inserts and erases that
// keep the counts exact (idempotent both ways).
#include "storage/dated_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "tests/fakes/test_util.h"

namespace storage {
namespace {

class DatedIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto env = Env::Open(dir_.path(), EnvOptions{});
    ASSERT_TRUE(env.ok()) << env.status().ToString();
    env_ = std::move(*env);
    auto t = env_->OpenTable("idx_test");
    ASSERT_TRUE(t.ok());
    index_.emplace(*t);
  }
  void Write(const std::function<base::Status(WriteTxn&)>& fn) {
    ASSERT_TRUE(env_->Write(fn).ok());
  }
  uint64_t Count(std::string_view group, std::optional<std::string> scope, int64_t from,
                 int64_t to) {
    uint64_t n = 0;
    EXPECT_TRUE(env_->Read([&](const ReadTxn& txn) -> base::Status {
                  ASSIGN_OR_RETURN(n, index_->Count(txn, group, scope, from, to));
                  return base::Status::OK();
                }).ok());
    return n;
  }
  DatedIndex::Page List(std::string_view group, std::optional<std::string> scope, int64_t from,
                        int64_t to, std::optional<DatedIndex::Position> after, size_t limit) {
    DatedIndex::Page page;
    EXPECT_TRUE(env_->Read([&](const ReadTxn& txn) -> base::Status {
                  ASSIGN_OR_RETURN(page, index_->List(txn, group, scope, from, to, after, limit));
                  return base::Status::OK();
                }).ok());
    return page;
  }

  kura_test::TempDir dir_;
  std::unique_ptr<Env> env_;
  std::optional<DatedIndex> index_;
};

TEST_F(DatedIndexTest, CountsByScopeAndDayRange) {
  Write([&](WriteTxn& txn) -> base::Status {
    RETURN_IF_ERROR(index_->Insert(txn, "", "somu", 10, "D1"));
    RETURN_IF_ERROR(index_->Insert(txn, "", "somu", 10, "D2"));
    RETURN_IF_ERROR(index_->Insert(txn, "", "doboku", 11, "D3"));
    RETURN_IF_ERROR(index_->Insert(txn, "", "somu", -5, "D0"));  // before the epoch
    RETURN_IF_ERROR(index_->Insert(txn, "other", "somu", 10, "P1"));
    // Idempotent: a second insert changes nothing.
    return index_->Insert(txn, "", "somu", 10, "D1");
  });
  EXPECT_EQ(Count("", std::nullopt, DatedIndex::kMinDay, DatedIndex::kMaxDay), 4u);
  EXPECT_EQ(Count("", std::string("somu"), DatedIndex::kMinDay, DatedIndex::kMaxDay), 3u);
  EXPECT_EQ(Count("", std::string("somu"), 0, 10), 2u);
  EXPECT_EQ(Count("", std::nullopt, 11, 11), 1u);
  EXPECT_EQ(Count("", std::nullopt, 12, 100), 0u);
  EXPECT_EQ(Count("", std::string("kaikei"), DatedIndex::kMinDay, DatedIndex::kMaxDay), 0u);
  EXPECT_EQ(Count("other", std::nullopt, DatedIndex::kMinDay, DatedIndex::kMaxDay), 1u);

  Write([&](WriteTxn& txn) -> base::Status {
    RETURN_IF_ERROR(index_->Erase(txn, "", "somu", 10, "D1"));
    RETURN_IF_ERROR(index_->Erase(txn, "", "somu", 10, "D1"));  // idempotent
    return index_->Erase(txn, "", "somu", 99, "nothing");
  });
  EXPECT_EQ(Count("", std::string("somu"), 10, 10), 1u);
  EXPECT_EQ(Count("", std::nullopt, DatedIndex::kMinDay, DatedIndex::kMaxDay), 3u);
}

TEST_F(DatedIndexTest, PagesWalkEveryEntryOnceInDayOrder) {
  std::set<std::pair<int64_t, std::string>> expected;
  Write([&](WriteTxn& txn) -> base::Status {
    for (int i = 0; i < 57; ++i) {
      const int64_t day = 100 + (i * 7) % 13;
      const std::string id = "D" + std::to_string(1000 + i);
      const std::string scope = i % 3 == 0 ? "doboku" : "somu";
      RETURN_IF_ERROR(index_->Insert(txn, "", scope, day, id));
      if (day >= 102 && day <= 110) expected.insert({day, id});
    }
    return base::Status::OK();
  });
  std::vector<std::pair<int64_t, std::string>> seen;
  std::optional<DatedIndex::Position> after;
  int pages = 0;
  do {
    DatedIndex::Page page = List("", std::nullopt, 102, 110, after, 10);
    for (const auto& e : page.entries) {
      EXPECT_TRUE(e.scope == "somu" || e.scope == "doboku");
      seen.push_back({e.day, e.id});
    }
    after = page.next;
    ++pages;
  } while (after && pages < 100);
  EXPECT_EQ(seen.size(), expected.size());
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  using Seen = std::set<std::pair<int64_t, std::string>>;
  EXPECT_EQ(Seen(seen.begin(), seen.end()), expected);
  EXPECT_EQ(Count("", std::nullopt, 102, 110), expected.size());

  // One scope: only its entries, and the page boundary is exact.
  DatedIndex::Page doboku = List("", std::string("doboku"), DatedIndex::kMinDay,
                                 DatedIndex::kMaxDay, std::nullopt, 19);
  EXPECT_EQ(doboku.entries.size(), 19u);
  EXPECT_FALSE(doboku.next.has_value());
  for (const auto& e : doboku.entries) EXPECT_EQ(e.scope, "doboku");
}

TEST_F(DatedIndexTest, ClearEmptiesEverything) {
  Write([&](WriteTxn& txn) -> base::Status {
    RETURN_IF_ERROR(index_->Insert(txn, "", "somu", 1, "a"));
    return index_->Insert(txn, "g", "x", 2, "b");
  });
  Write([&](WriteTxn& txn) { return index_->Clear(txn); });
  EXPECT_EQ(Count("", std::nullopt, DatedIndex::kMinDay, DatedIndex::kMaxDay), 0u);
  EXPECT_TRUE(List("g", std::nullopt, DatedIndex::kMinDay, DatedIndex::kMaxDay, std::nullopt, 5)
                  .entries.empty());
}

}  // namespace
}  // namespace storage
