// The payment run (workflow/payments.h): the accepted orders the accounting
// office may pay go into the 全銀 file and the CSV, the others are listed
// with the reason; only 会計室 runs payments; recording the run is one
// event naming the file's hash, refused once an order is no longer waiting.
#include "workflow/payments.h"

#include <gtest/gtest.h>

#include "signing/sha256.h"
#include "tests/workflow/order_fixture.h"

namespace workflow {
namespace {

using Code = base::Status::Code;

class PaymentsTest : public OrderFixture {
 protected:
  void Configure(WorkflowOptions* wo) override {
    wo->remitter = zengin::Remitter{
        "1234567890", "クラマエシ", zengin::Account{"0005", "", "001", "", '1', "1234567"}};
  }
  // Two accepted orders of kVendor, one of a vendor with no account holder.
  void AcceptThree() {
    Vendor v = kVendor;
    v.account_holder = "ヤマダシヨウジ（カ";
    ASSERT_OK(wf_->PutVendor(v, U("admin")));
    commitment_ = Commitment();
    first_ = Accepted(Receive(Xml("A"))).order.id;
    invoice::InvoiceFields b = Xml("B");
    b.total = "22000";
    second_ = Accepted(Receive(b)).order.id;
    v.account_holder = "";
    ASSERT_OK(wf_->PutVendor(v, U("admin")));
    third_ = Accepted(Receive(Xml("C"))).order.id;
    v.account_holder = "ヤマダシヨウジ（カ";
    ASSERT_OK(wf_->PutVendor(v, U("admin")));
  }
  std::string first_, second_, third_;
};

TEST_F(PaymentsTest, AcceptedOrdersBecomeTheTransferFileAndTheCsv) {
  clock_.Set(Jst("2026-04-10"));
  AcceptThree();
  Vendor no_holder = kVendor;
  ASSERT_OK(wf_->PutVendor(no_holder, U("admin")));  // the holder is gone again
  auto run = wf_->PreparePaymentRun(U("kaikei"), Date(2026, 4, 24));
  ASSERT_OK(run);
  EXPECT_TRUE(run->lines.empty());
  ASSERT_EQ(run->refused.size(), 3u);
  EXPECT_NE(run->refused[0].reason.find("口座名義"), std::string::npos);

  Vendor v = kVendor;
  v.account_holder = "ヤマダシヨウジ（カ";
  ASSERT_OK(wf_->PutVendor(v, U("admin")));
  run = wf_->PreparePaymentRun(U("kaikei"), Date(2026, 4, 24));
  ASSERT_OK(run);
  ASSERT_EQ(run->lines.size(), 3u);
  EXPECT_TRUE(run->refused.empty());
  EXPECT_EQ(run->total, 11000u + 22000 + 11000);
  ASSERT_EQ(run->zengin.size(), (3u + 3) * 122);
  EXPECT_EQ(run->zengin.substr(54, 4), "0424");
  // The payee as the bank wants it: half-width kana, Shift_JIS.
  EXPECT_EQ(run->zengin.substr(122 + 50, 12), "\xD4\xCF\xC0\xDE\xBC\xD6\xB3\xBC\xDE(\xB6 ");
  EXPECT_EQ(run->zengin.substr(4 * 122, 19), "8000003000000044000");
  EXPECT_EQ(run->csv.rfind(PaymentCsvHeader(), 0), 0u);
  EXPECT_NE(run->csv.find(first_ + ",2026-04-24,somu,V00001,山田商事株式会社,0005,123,1,1234567,"
                                   "ヤマダシヨウジ（カ,11000\r\n"),
            std::string::npos)
      << run->csv;
}

TEST_F(PaymentsTest, OnlyTheAccountingOfficeRunsPaymentsAndTheRunIsOneEvent) {
  clock_.Set(Jst("2026-04-10"));
  AcceptThree();
  for (const char* who : {"kato", "kacho", "kansa", "admin"}) {
    EXPECT_EQ(wf_->PreparePaymentRun(U(who), Date(2026, 4, 24)).status().code(),
              Code::kPermissionDenied)
        << who;
  }
  auto run = wf_->PreparePaymentRun(U("kaikei"), Date(2026, 4, 24));
  ASSERT_OK(run);
  EXPECT_EQ(wf_->RecordPaymentRun(*run, U("kato")).code(), Code::kPermissionDenied);
  uint64_t before = 0;
  ASSERT_OK(archive_->ledger().ForEachEvent(0, [&](uint64_t, std::string_view) {
    ++before;
    return base::Status::OK();
  }));
  ASSERT_OK(wf_->RecordPaymentRun(*run, U("kaikei")));
  std::vector<json> events;
  ASSERT_OK(archive_->ledger().ForEachEvent(before, [&](uint64_t, std::string_view e) {
    events.push_back(json::parse(e));
    return base::Status::OK();
  }));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["type"], "workflow.payment_run.recorded");
  EXPECT_EQ(events[0]["actor"], "kaikei");
  EXPECT_EQ(events[0]["total"], 44000);
  EXPECT_EQ(events[0]["orders"].size(), 3u);
  EXPECT_EQ(events[0]["zengin_sha256"], signing::Sha256(run->zengin).Hex());

  // Paid meanwhile: the run must be prepared again.
  auto order = wf_->GetOrder(first_, U("kaikei"));
  ASSERT_OK(order);
  Act(*order, Action::kPay, "kaikei");
  EXPECT_EQ(wf_->RecordPaymentRun(*run, U("kaikei")).code(), Code::kAborted);
  auto again = wf_->PreparePaymentRun(U("kaikei"), Date(2026, 4, 24));
  ASSERT_OK(again);
  EXPECT_EQ(again->lines.size(), 2u);
}

TEST_F(PaymentsTest, TheAccountHolderMustBeBankKana) {
  Vendor v = kVendor;
  v.account_holder = "山田商事";
  EXPECT_EQ(wf_->PutVendor(v, U("admin")).code(), Code::kInvalidArgument);
  v.account_holder = "ﾔﾏﾀﾞｼﾖｳｼﾞ(ｶ";
  EXPECT_OK(wf_->PutVendor(v, U("admin")));
}

// kura.toml without [payments]: the workflow has no remitter.
using NoRemitterTest = OrderFixture;

TEST_F(NoRemitterTest, NoRunWithoutTheCitysAccount) {
  auto run = wf_->PreparePaymentRun(U("kaikei"), Date(2026, 4, 24));
  EXPECT_EQ(run.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(run.status().message().find("[payments]"), std::string::npos);
}

}  // namespace
}  // namespace workflow
