// The first start of `kura serve --demo` writes eight weeks of history
// (app/demo_history.h): receipts spread over past weeks, orders at every
// step, one paid late — and the archive still verifies, with the clock back
// where it began.
#include <cstdio>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "app/commands.h"
#include "archive/archive.h"
#include "archive/search.h"
#include "ledger/data_dir.h"
#include "tests/fakes/test_util.h"
#include "workflow/workflow.h"

namespace app {
namespace {

constexpr int64_t kDay = int64_t{86'400} * 1'000'000;

TEST(DemoHistoryTest, ReceiptsOverWeeksAndOrdersAtEveryStep) {
  kura_test::TempDir dir;
  auto fs = base::NewPosixFileSystem();
  const base::Time now = *base::ParseRfc3339("2026-11-20T01:00:00Z");
  // The data directory (and the built-in TSA's certificate) from before
  // the history, as serve.cc creates it.
  base::FakeClock clock(now - std::chrono::hours(24 * 70));
  archive::ArchiveOptions ao;
  ao.data_dir = dir.Join("kura-data");
  ASSERT_OK(ledger::InitDataDir(fs.get(), ledger::DataDirLayout{ao.data_dir}, ""));
  auto arc = archive::Archive::Open(ao, fs.get(), &clock);
  ASSERT_OK(arc);
  clock.Set(now);
  workflow::WorkflowOptions wo;
  wo.password = workflow::PasswordParams{64, 1, 1};  // cheap for tests
  auto wf = workflow::Workflow::Open(arc->get(), &clock, wo);
  ASSERT_OK(wf);
  Context ctx;
  ctx.fs = fs.get();
  ctx.clock = &clock;
  ctx.data_dir = ao.data_dir;
  ctx.user = "test";
  ASSERT_OK(SeedDemo(ctx, arc->get(), wf->get(), 60, &clock));
  EXPECT_EQ(clock.Now(), now);

  // Receipts: spread over more than five weeks, none in the future.
  archive::SearchQuery q;
  q.limit = 1000;
  auto docs = (*arc)->Search(q);
  ASSERT_OK(docs);
  ASSERT_EQ(docs->items.size(), 60u);
  base::Time first = now, last = base::FromUnixMicros(0);
  std::set<std::string> sources;
  for (const archive::SearchItem& item : docs->items) {
    auto doc = (*arc)->Get(item.id);
    ASSERT_OK(doc);
    const base::Time at = doc->receipts.front().received_at;
    first = std::min(first, at);
    last = std::max(last, at);
    sources.insert(doc->receipts.front().source);
  }
  EXPECT_GT(base::ToUnixMicros(now) - base::ToUnixMicros(first), 35 * kDay);
  EXPECT_LE(last, now);
  EXPECT_TRUE(sources.count("scan")) << "paper invoices scanned at the counter";

  // Orders: one in each state, and one paid after its 30 days.
  const workflow::User kaikei = *(*wf)->GetUser("kaikei");
  std::map<std::string, int> states;
  int paid_late = 0;
  for (int n = 1;; ++n) {
    char id[32];
    std::snprintf(id, sizeof id, "P2026-%04d", n);
    auto v = (*wf)->GetOrder(id, kaikei);
    if (!v.ok()) break;
    ++states[std::string(workflow::StateName(v->order.state))];
    const auto& c = v->order.clock;
    if (c.paid_on && c.paid_on->DaysSinceEpoch() - c.received_on.DaysSinceEpoch() > 30) ++paid_late;
  }
  for (const char* s : {"draft", "pending_approval", "accounting_review", "accepted", "paid"}) {
    EXPECT_GT(states[s], 0) << s;
  }
  EXPECT_GT(paid_late, 0);

  // The home screens have something in every count.
  auto somu = (*wf)->GetInbox(*(*wf)->GetUser("somu.tanto"));
  ASSERT_OK(somu);
  EXPECT_FALSE(somu->unprocessed.items.empty());
  EXPECT_FALSE(somu->overdue.items.empty());
  EXPECT_FALSE(somu->due_soon.items.empty());
  bool returned = false;
  for (const auto& i : somu->waiting_for_me.items) returned = returned || !i.return_reason.empty();
  EXPECT_TRUE(returned) << "a draft sent back by the 課長, with its reason";
  auto kacho = (*wf)->GetInbox(*(*wf)->GetUser("somu.kacho"));
  ASSERT_OK(kacho);
  EXPECT_FALSE(kacho->waiting_for_me.items.empty());

  // The invented history is still a consistent archive, and a second start
  // adds nothing.
  auto report = (*arc)->Verify();
  ASSERT_OK(report);
  EXPECT_TRUE(report->failed.empty()) << archive::ToJson(*report).dump();
  ASSERT_OK(SeedDemo(ctx, arc->get(), wf->get(), 60, &clock));
  auto again = (*arc)->Search(q);
  ASSERT_OK(again);
  EXPECT_EQ(again->items.size(), 60u);
}

}  // namespace
}  // namespace app
