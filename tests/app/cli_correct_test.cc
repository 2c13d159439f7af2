// `kura correct` keeps the workflow's rule for corrections (issue 12,
// finding 4), like POST /api/v1/documents/{id}/corrections: refused while
// the invoice's payment order is under way, followed by a draft.
#include <chrono>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "corpus/corpus.h"
#include "tests/fakes/test_util.h"
#include "workflow/workflow.h"

namespace {

using nlohmann::json;
using workflow::Role;

class CliCorrectTest : public ::testing::Test {
 protected:
  // Runs kura with args (already shell-quoted) in the temp dir; *err gets
  // its standard error.
  int Kura(const std::string& args, std::string* err = nullptr, std::string* out = nullptr) {
    const std::string err_file = dir_.Join("stderr.txt");
    const int rc = kura_test::RunCommand(
        "cd " + dir_.path() + " && " + KURA_PROGRAM + " " + args + " 2>" + err_file, out);
    if (err) *err = kura_test::ReadFileOrDie(err_file);
    return rc;
  }
  // The archive and workflow of the temp dir's kura-data, in this process
  // (no kura runs meanwhile).
  void Open() {
    archive::ArchiveOptions ao;
    ao.data_dir = dir_.Join("kura-data");
    auto a = archive::Archive::Open(ao, fs_.get(), &clock_);
    ASSERT_OK(a);
    archive_ = std::move(*a);
    workflow::WorkflowOptions wo;
    wo.password = workflow::PasswordParams{64, 1, 1};
    auto w = workflow::Workflow::Open(archive_.get(), &clock_, wo);
    ASSERT_OK(w);
    wf_ = std::move(*w);
  }
  void Close() {
    wf_.reset();
    archive_.reset();
  }
  workflow::User U(const std::string& login) { return *wf_->GetUser(login); }

  // An order of somu for a generated invoice, submitted to its 課長.
  void SubmittedOrder() {
    ASSERT_EQ(Kura("init"), 0);
    // After init: its built-in TSA's certificate is valid from init's now.
    clock_.Set(base::SystemClock().Now() + std::chrono::seconds(1));
    ASSERT_NO_FATAL_FAILURE(Open());
    const workflow::User root = workflow::Workflow::SystemUser("test");
    ASSERT_OK(wf_->CreateDepartment({"somu", "総務課"}, root));
    for (auto [login, role, title] : {std::tuple{"tanto", Role::kClerk, ""},
                                      {"kacho", Role::kApprover, "課長"},
                                      {"bucho", Role::kApprover, "部長"},
                                      {"fuku", Role::kApprover, "副市長"}}) {
      ASSERT_OK(wf_->AddUser({login, login, "somu", {role}, title, true}, "a long password", root));
    }
    corpus::Options options;
    options.from = base::Date(2026, 5, 1);
    options.to = base::Date(2026, 5, 15);
    options.target_xml_bytes = 0;
    corpus::Generator gen(options);
    const corpus::Invoice inv = gen.Next();
    ASSERT_OK(wf_->PutVendor({"V00001", inv.vendor.name, inv.vendor.registration_number,
                              inv.vendor.bank_account, inv.vendor.address},
                             root));
    std::vector<archive::IncomingFile> files;
    files.push_back({"invoice.xml", "somu", "cli", "cli:test", corpus::RenderJpPint(inv)});
    auto received = archive_->Ingest(std::move(files));
    ASSERT_OK(received[0]);
    doc_ = received[0]->id;
    workflow::Commitment c;
    c.department = "somu";
    c.vendor_id = "V00001";
    c.budget_line = "02-01-01-13";
    c.fiscal_year = 2026;
    c.description = "単価契約";
    c.amount = base::Decimal::FromInt(100'000'000);
    c.contract_from = base::Date(2026, 4, 1);
    c.contract_to = base::Date(2027, 3, 31);
    c.expense_type = "services";
    auto commitment = wf_->CreateCommitment(c, root);
    ASSERT_OK(commitment);
    auto draft = wf_->Draft(doc_, commitment->id, U("tanto"));
    ASSERT_OK(draft);
    order_ = draft->order.id;
    workflow::ActionRequest submit;
    submit.action = workflow::Action::kSubmit;
    submit.version = draft->order.version;
    submit.acknowledge = draft->order.UnacknowledgedMismatches();
    submit.comment = "確認";
    auto submitted = wf_->Act(order_, submit, U("tanto"));
    ASSERT_OK(submitted);
    version_ = submitted->order.version;
    Close();
  }

  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  base::FakeClock clock_{base::SystemClock().Now()};
  std::unique_ptr<archive::Archive> archive_;
  std::unique_ptr<workflow::Workflow> wf_;
  std::string doc_, order_;
  uint32_t version_ = 0;
};

TEST_F(CliCorrectTest, RefusedWhileTheOrderIsUnderWayAndFollowedByADraft) {
  ASSERT_NO_FATAL_FAILURE(SubmittedOrder());
  std::string err;
  const std::string correct = "correct " + doc_ + " --set total=990000 --reason 訂正";
  EXPECT_EQ(Kura(correct, &err), 1);
  EXPECT_NE(err.find("支出命令 " + order_ + " が手続き中（決裁待ち）のため訂正できません"),
            std::string::npos)
      << err;
  std::string out;
  ASSERT_EQ(Kura("show " + doc_, nullptr, &out), 0);
  EXPECT_EQ(json::parse(out)["versions"].size(), 1u);

  // Returned to draft by the 課長: the correction goes through and the
  // draft follows it.
  ASSERT_NO_FATAL_FAILURE(Open());
  workflow::ActionRequest ret;
  ret.action = workflow::Action::kReturn;
  ret.version = version_;
  ret.comment = "金額を確認してください";
  ASSERT_OK(wf_->Act(order_, ret, U("kacho")));
  Close();
  ASSERT_EQ(Kura(correct, &err), 0) << err;
  ASSERT_NO_FATAL_FAILURE(Open());
  auto order = wf_->GetOrder(order_, U("tanto"));
  ASSERT_OK(order);
  EXPECT_EQ(order->order.amount, base::Decimal::FromInt(990'000));
  EXPECT_EQ(order->order.history.back().action, "document_corrected");
  EXPECT_EQ(order->order.history.back().actor.rfind("system:", 0), 0u);
  auto view = archive_->Get(doc_);
  ASSERT_OK(view);
  EXPECT_EQ(view->versions.back().created_by.rfind("cli:", 0), 0u);
  Close();
  std::string report;
  EXPECT_EQ(Kura("verify --quiet", &err, &report), 0) << report << err;
}

}  // namespace
