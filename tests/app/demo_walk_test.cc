// `kura serve --demo` stays walkable under the workflow's integrity rules
// (issue 12): every order the demo's invoices allow goes from draft to paid
// with the demo's users — the vendor master's changed accounts confirmed by
// the accounting office, never acknowledged by a clerk.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/commands.h"
#include "archive/archive.h"
#include "archive/search.h"
#include "ledger/data_dir.h"
#include "tests/fakes/test_util.h"
#include "workflow/workflow.h"

namespace app {
namespace {

using workflow::Action;
using workflow::OrderView;

class DemoWalkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    archive::ArchiveOptions ao;
    ao.data_dir = dir_.Join("kura-data");
    ASSERT_OK(ledger::InitDataDir(fs_.get(), ledger::DataDirLayout{ao.data_dir}, ""));
    auto a = archive::Archive::Open(ao, fs_.get(), &clock_);
    ASSERT_OK(a);
    archive_ = std::move(*a);
    workflow::WorkflowOptions wo;
    wo.password = workflow::PasswordParams{64, 1, 1};  // cheap for tests
    auto w = workflow::Workflow::Open(archive_.get(), &clock_, wo);
    ASSERT_OK(w);
    wf_ = std::move(*w);
    Context ctx;
    ctx.fs = fs_.get();
    ctx.clock = &clock_;
    ctx.data_dir = ao.data_dir;
    ctx.user = "test";
    ASSERT_OK(SeedDemo(ctx, archive_.get(), wf_.get(), 60));
    auto vendors = wf_->ListVendors();
    ASSERT_OK(vendors);
    vendors_ = std::move(*vendors);
  }
  workflow::User U(const std::string& login) { return *wf_->GetUser(login); }
  base::Result<OrderView> Do(const OrderView& v, Action a, const std::string& who,
                             const std::string& comment = "") {
    workflow::ActionRequest r;
    r.action = a;
    r.version = v.order.version;
    r.comment = comment;
    if (a == Action::kSubmit) r.acknowledge = v.order.UnacknowledgedMismatches();
    if (a == Action::kAccept) {
      for (std::string_view item : workflow::kChecklistItems) {
        r.checklist.push_back({std::string(item), true, ""});
      }
    }
    return wf_->Act(v.order.id, r, U(who));
  }
  // The demo's commitment for the invoice's department and vendor.
  std::string CommitmentFor(const archive::SearchItem& item) {
    const std::string& reg = item.registration_number;
    for (const workflow::Vendor& v : vendors_) {
      if (reg.empty() || v.registration_number != reg) continue;
      auto list = wf_->ListCommitments({item.department, 0, v.id});
      if (list.ok() && !list->empty()) return list->front().id;
    }
    return "";
  }
  // draft → submit → every route step → (bank account confirmed) → accept → pay.
  void Walk(const archive::SearchItem& item, int* confirmed) {
    const std::string dept = item.department;
    auto v = wf_->Draft(item.id, CommitmentFor(item), U(dept + ".tanto"));
    ASSERT_OK(v) << item.id;
    auto step = [&](Action a, const std::string& who, const std::string& comment = "") {
      auto next = Do(*v, a, who, comment);
      ASSERT_OK(next) << item.id << " " << workflow::ActionName(a) << " by " << who;
      v = std::move(next);
    };
    ASSERT_NO_FATAL_FAILURE(step(Action::kSubmit, dept + ".tanto", "確認しました"));
    for (const workflow::RouteStep& s : std::vector<workflow::RouteStep>(v->order.route)) {
      const std::string who = s.title == "課長"   ? dept + ".kacho"
                              : s.title == "部長" ? dept + ".bucho"
                                                  : "fukushicho";
      ASSERT_NO_FATAL_FAILURE(step(Action::kApprove, who));
    }
    ASSERT_TRUE(v->order.NeedsAcknowledgement("vendor") == false) << item.id;
    if (v->order.NeedsAcknowledgement("bank_account")) {
      ASSERT_NO_FATAL_FAILURE(
          step(Action::kConfirmBankAccount, "kaikei", "口座変更届を受領（デモ）"));
      ++*confirmed;
    }
    ASSERT_NO_FATAL_FAILURE(step(Action::kAccept, "kaikei"));
    ASSERT_NO_FATAL_FAILURE(step(Action::kPay, "kaikei"));
    EXPECT_EQ(v->order.state, workflow::OrderState::kPaid);
  }

  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  base::FakeClock clock_{*base::ParseRfc3339("2026-11-20T01:00:00Z")};
  std::unique_ptr<archive::Archive> archive_;
  std::unique_ptr<workflow::Workflow> wf_;
  std::vector<workflow::Vendor> vendors_;
};

TEST_F(DemoWalkTest, EveryReadableDemoInvoiceIsPaidEndToEnd) {
  archive::SearchQuery q;
  q.limit = 1000;
  auto found = archive_->Search(q);
  ASSERT_OK(found);
  ASSERT_EQ(found->items.size(), 60u);
  int paid = 0, confirmed = 0;
  for (const archive::SearchItem& item : found->items) {
    if (item.needs_metadata) continue;  // a PDF without a total: corrected first
    ASSERT_NO_FATAL_FAILURE(Walk(item, &confirmed)) << item.id;
    ++paid;
  }
  EXPECT_GT(paid, 30);
  // The demo's changed accounts (every tenth vendor) met the new rule.
  EXPECT_GT(confirmed, 0);
  auto report = archive_->Verify();
  ASSERT_OK(report);
  EXPECT_TRUE(report->failed.empty()) << archive::ToJson(*report).dump();
}

}  // namespace
}  // namespace app
