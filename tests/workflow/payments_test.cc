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
  EXPECT_EQ(wf_->RecordPaymentRun(*run, U("kato")).status().code(), Code::kPermissionDenied);
  uint64_t before = 0;
  ASSERT_OK(archive_->ledger().ForEachEvent(0, [&](uint64_t, std::string_view) {
    ++before;
    return base::Status::OK();
  }));
  auto recorded = wf_->RecordPaymentRun(*run, U("kaikei"));
  ASSERT_OK(recorded);
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
  EXPECT_EQ(events[0]["run"], recorded->id);

}

TEST_F(PaymentsTest, TheAccountHolderMustBeBankKana) {
  Vendor v = kVendor;
  v.account_holder = "山田商事";
  EXPECT_EQ(wf_->PutVendor(v, U("admin")).code(), Code::kInvalidArgument);
  v.account_holder = "ﾔﾏﾀﾞｼﾖｳｼﾞ(ｶ";
  EXPECT_OK(wf_->PutVendor(v, U("admin")));
}

// Events appended since event number `from`.
std::vector<json> EventsSince(archive::Archive& a, uint64_t from) {
  std::vector<json> events;
  EXPECT_OK(a.ledger().ForEachEvent(from, [&](uint64_t, std::string_view e) {
    events.push_back(json::parse(e));
    return base::Status::OK();
  }));
  return events;
}

uint64_t EventCount(archive::Archive& a) { return EventsSince(a, 0).size(); }

TEST_F(PaymentsTest, ARecordedRunKeepsItsOrdersOutOfLaterRunsAndActions) {
  clock_.Set(Jst("2026-04-10"));
  AcceptThree();
  auto run = wf_->PreparePaymentRun(U("kaikei"), Date(2026, 4, 24));
  ASSERT_OK(run);
  auto recorded = wf_->RecordPaymentRun(*run, U("kaikei"));
  ASSERT_OK(recorded);
  EXPECT_EQ(recorded->id, "R2026-0001");
  EXPECT_EQ(recorded->state, kRunRecorded);
  // Recording the same run again: its orders are taken.
  EXPECT_EQ(wf_->RecordPaymentRun(*run, U("kaikei")).status().code(), Code::kAborted);
  auto later = wf_->PreparePaymentRun(U("kaikei"), Date(2026, 4, 25));
  ASSERT_OK(later);
  EXPECT_TRUE(later->lines.empty());
  EXPECT_TRUE(later->refused.empty());
  // Nor is an order of the run paid on its own.
  auto order = wf_->GetOrder(first_, U("kaikei"));
  ASSERT_OK(order);
  EXPECT_EQ(order->payment_run, "R2026-0001");
  auto paid = wf_->Act(first_, ActionRequest{Action::kPay, order->order.version}, U("kaikei"));
  EXPECT_EQ(paid.status().code(), Code::kAborted);
  EXPECT_NE(paid.status().message().find("R2026-0001"), std::string::npos);
}

TEST_F(PaymentsTest, ConfirmingPaysEveryOrderWithOneEventEachAndCannotBeUndone) {
  clock_.Set(Jst("2026-04-10"));
  AcceptThree();
  auto run = wf_->PreparePaymentRun(U("kaikei"), Date(2026, 4, 24));
  ASSERT_OK(run);
  auto recorded = wf_->RecordPaymentRun(*run, U("kaikei"));
  ASSERT_OK(recorded);
  EXPECT_EQ(wf_->ConfirmPaymentRun(recorded->id, U("kato")).status().code(),
            Code::kPermissionDenied);
  const uint64_t before = EventCount(*archive_);
  auto confirmed = wf_->ConfirmPaymentRun(recorded->id, U("kaikei"));
  ASSERT_OK(confirmed);
  EXPECT_EQ(confirmed->state, kRunConfirmed);
  EXPECT_EQ(confirmed->closed_by, "kaikei");
  const std::vector<json> events = EventsSince(*archive_, before);
  ASSERT_EQ(events.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(events[i]["type"], "workflow.order.paid");
    EXPECT_EQ(events[i]["payment_run"], "R2026-0001");
    EXPECT_EQ(events[i]["to"], "paid");
  }
  EXPECT_EQ(events[3]["type"], "workflow.payment_run.confirmed");
  for (const std::string& id : {first_, second_, third_}) {
    auto o = wf_->GetOrder(id, U("kaikei"));
    ASSERT_OK(o);
    EXPECT_EQ(o->order.state, OrderState::kPaid) << id;
    EXPECT_EQ(o->payment_run, "");
  }
  EXPECT_EQ(wf_->ConfirmPaymentRun(recorded->id, U("kaikei")).status().code(), Code::kAborted);
  auto cancel = wf_->CancelPaymentRun(recorded->id, "誤り", U("kaikei"));
  EXPECT_EQ(cancel.status().code(), Code::kAborted);
  EXPECT_NE(cancel.status().message().find("確定後は取り消せません"), std::string::npos);
}

TEST_F(PaymentsTest, AnOrderThatCannotBePaidStopsTheWholeConfirmation) {
  clock_.Set(Jst("2026-04-10"));
  AcceptThree();
  auto run = wf_->PreparePaymentRun(U("kaikei"), Date(2026, 4, 24));
  ASSERT_OK(run);
  auto recorded = wf_->RecordPaymentRun(*run, U("kaikei"));
  ASSERT_OK(recorded);
  // The vendor master's account changes after the file was made: the
  // orders' bank account is a × again, which pay refuses.
  Vendor v = kVendor;
  v.account_holder = "ヤマダシヨウジ（カ";
  v.bank_account = "0005:123:1:7654321";
  ASSERT_OK(wf_->PutVendor(v, U("admin")));
  const uint64_t before = EventCount(*archive_);
  auto confirmed = wf_->ConfirmPaymentRun(recorded->id, U("kaikei"));
  EXPECT_EQ(confirmed.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(confirmed.status().message().find("R2026-0001"), std::string::npos);
  EXPECT_EQ(EventCount(*archive_), before);  // nothing written
  auto o = wf_->GetOrder(first_, U("kaikei"));
  ASSERT_OK(o);
  EXPECT_EQ(o->order.state, OrderState::kAccepted);
}

TEST_F(PaymentsTest, ACancelledRunGivesItsOrdersBack) {
  clock_.Set(Jst("2026-04-10"));
  AcceptThree();
  auto run = wf_->PreparePaymentRun(U("kaikei"), Date(2026, 4, 24));
  ASSERT_OK(run);
  auto recorded = wf_->RecordPaymentRun(*run, U("kaikei"));
  ASSERT_OK(recorded);
  EXPECT_EQ(wf_->CancelPaymentRun(recorded->id, " ", U("kaikei")).status().code(),
            Code::kInvalidArgument);
  auto cancelled = wf_->CancelPaymentRun(recorded->id, "振込指定日の誤り", U("kaikei"));
  ASSERT_OK(cancelled);
  EXPECT_EQ(cancelled->state, kRunCancelled);
  EXPECT_EQ(cancelled->cancel_reason, "振込指定日の誤り");
  EXPECT_EQ(wf_->ConfirmPaymentRun(recorded->id, U("kaikei")).status().code(), Code::kAborted);
  auto again = wf_->PreparePaymentRun(U("kaikei"), Date(2026, 4, 27));
  ASSERT_OK(again);
  EXPECT_EQ(again->lines.size(), 3u);
  auto second = wf_->RecordPaymentRun(*again, U("kaikei"));
  ASSERT_OK(second);
  EXPECT_EQ(second->id, "R2026-0002");

  // The list, newest first, and the files as recorded; auditors read them.
  clock_.Set(Jst("2026-04-11"));
  auto runs = wf_->ListPaymentRuns(U("kansa"));
  ASSERT_OK(runs);
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ((*runs)[0].id, "R2026-0002");
  EXPECT_EQ((*runs)[1].state, kRunCancelled);
  EXPECT_EQ(wf_->ListPaymentRuns(U("kato")).status().code(), Code::kPermissionDenied);
  auto zengin = wf_->PaymentRunFile("R2026-0002", "zengin", U("kansa"));
  ASSERT_OK(zengin);
  EXPECT_EQ(*zengin, again->zengin);
  EXPECT_EQ(signing::Sha256(*zengin).Hex(), second->zengin_sha256);
  auto csv = wf_->PaymentRunFile("R2026-0002", "csv", U("kaikei"));
  ASSERT_OK(csv);
  EXPECT_EQ(*csv, again->csv);
  EXPECT_EQ(wf_->PaymentRunFile("R2026-0002", "pdf", U("kaikei")).status().code(),
            Code::kNotFound);
  EXPECT_EQ(wf_->GetPaymentRun("R2026-0099", U("kaikei")).status().code(), Code::kNotFound);
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
