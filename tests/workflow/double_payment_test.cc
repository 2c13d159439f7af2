// The double-payment guard (workflow/double_payment.h): an invoice that
// looks like one another order pays — same registration number and invoice
// number, or same vendor, issue date and total — is stopped at drafting and
// again at payment, with the other order and document named; a look-alike
// that differs in its date is not a duplicate, and a withdrawn order counts
// for nothing.
#include "workflow/double_payment.h"

#include <gtest/gtest.h>

#include "tests/workflow/order_fixture.h"

namespace workflow {
namespace {

using Code = base::Status::Code;

class DoublePaymentTest : public OrderFixture {
 protected:
  void Configure(WorkflowOptions* wo) override {
    wo->remitter = zengin::Remitter{
        "1234567890", "クラマエシ", zengin::Account{"0005", "", "001", "", '1', "1234567"}};
  }
  void SetUp() override {
    OrderFixture::SetUp();
    Vendor v = kVendor;
    v.account_holder = "ヤマダシヨウジ（カ";
    ASSERT_OK(wf_->PutVendor(v, U("admin")));
    commitment_ = Commitment();
    first_doc_ = Receive(Xml("A"));
    auto first = wf_->Draft(first_doc_, commitment_, U("kato"));
    ASSERT_OK(first);
    first_ = first->order.id;
  }
  std::string first_doc_, first_;
};

TEST_F(DoublePaymentTest, TheSameRegistrationAndInvoiceNumberIsStoppedAtDrafting) {
  invoice::InvoiceFields again = Xml("A");
  again.total = "12100";           // another total
  again.issue_date = "2026-04-20";  // and another date: the number decides
  again.tax_subtotals = {{"S", "10", "11000", "1100"}};
  const std::string doc = Receive(again);
  auto draft = wf_->Draft(doc, commitment_, U("kato"));
  EXPECT_EQ(draft.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(draft.status().message().find("二重払い"), std::string::npos);
  EXPECT_NE(draft.status().message().find(first_), std::string::npos);
  EXPECT_NE(draft.status().message().find(first_doc_), std::string::npos);
  EXPECT_NE(draft.status().message().find("請求書番号 A"), std::string::npos);
  // The drafting screen sees it before anyone presses the button.
  auto candidates = wf_->DraftCandidatesFor(doc, U("kato"));
  ASSERT_OK(candidates);
  ASSERT_EQ(candidates->duplicates.size(), 1u);
  EXPECT_EQ(candidates->duplicates[0].order_id, first_);
  EXPECT_EQ(candidates->duplicates[0].document_id, first_doc_);
  EXPECT_EQ(candidates->duplicates[0].rule, "registration_and_number");
}

TEST_F(DoublePaymentTest, TheSameVendorDateAndTotalIsStoppedAtDrafting) {
  invoice::InvoiceFields resent = Xml("A");
  resent.invoice_number = "A-再発行";  // a new number on the same bill
  const std::string doc = Receive(resent);
  auto draft = wf_->Draft(doc, commitment_, U("kato"));
  EXPECT_EQ(draft.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(draft.status().message().find(first_), std::string::npos);
  EXPECT_NE(draft.status().message().find("債権者 V00001・請求日 2026-04-"), std::string::npos);
}

TEST_F(DoublePaymentTest, ALookAlikeOnAnotherDateIsNotADuplicate) {
  invoice::InvoiceFields next_month = Xml("A");
  next_month.invoice_number = "A-2";
  next_month.issue_date = "2026-05-10";  // same vendor, same total
  const std::string doc = Receive(next_month);
  auto candidates = wf_->DraftCandidatesFor(doc, U("kato"));
  ASSERT_OK(candidates);
  EXPECT_TRUE(candidates->duplicates.empty());
  EXPECT_OK(wf_->Draft(doc, commitment_, U("kato")));
}

TEST_F(DoublePaymentTest, AWithdrawnOrderIsNoLongerInFlight) {
  auto first = wf_->GetOrder(first_, U("kato"));
  ASSERT_OK(first);
  Act(*first, Action::kWithdraw, "kato");
  invoice::InvoiceFields resent = Xml("A");
  resent.invoice_number = "A-再発行";
  EXPECT_OK(wf_->Draft(Receive(resent), commitment_, U("kato")));
}

TEST_F(DoublePaymentTest, ADuplicateMadeByACorrectionIsStoppedAtPayment) {
  // Drafted on another date, then corrected to the first invoice's: the
  // draft follows its invoice, and the guard stops it at payment.
  invoice::InvoiceFields other = Xml("A");
  other.invoice_number = "B-1";
  other.issue_date = "2026-05-10";
  const std::string doc = Receive(other);
  auto second = wf_->Draft(doc, commitment_, U("kato"));
  ASSERT_OK(second);
  invoice::FieldPatch patch;
  patch.issue_date.Set(*Xml("A").issue_date);
  ASSERT_OK(wf_->CorrectDocument({doc, patch, "請求日の読み違い", 0}, U("kato")));
  auto view = wf_->GetOrder(second->order.id, U("kaikei"));
  ASSERT_OK(view);
  ASSERT_EQ(view->duplicates.size(), 1u);
  EXPECT_EQ(view->duplicates[0].order_id, first_);
  EXPECT_EQ(view->duplicates[0].rule, "vendor_date_total");
  // Both go through approval and 会計審査 …
  OrderView a = *wf_->GetOrder(first_, U("kato"));
  a = Act(Act(a, Action::kSubmit, "kato"), Action::kApprove, "kacho");
  a = Act(a, Action::kAccept, "kaikei");
  OrderView b = Act(Act(*view, Action::kSubmit, "kato"), Action::kApprove, "kacho");
  b = Act(b, Action::kAccept, "kaikei");
  // … and neither is paid: not by a run, not by the pay action.
  auto run = wf_->PreparePaymentRun(U("kaikei"), Date(2026, 5, 25));
  ASSERT_OK(run);
  EXPECT_TRUE(run->lines.empty());
  ASSERT_EQ(run->refused.size(), 2u);
  EXPECT_NE(run->refused[0].reason.find("二重払い"), std::string::npos);
  ASSERT_EQ(run->refused[0].duplicates.size(), 1u);
  auto pay = wf_->Act(b.order.id, ActionRequest{Action::kPay, b.order.version}, U("kaikei"));
  EXPECT_EQ(pay.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(pay.status().message().find(first_), std::string::npos);
  EXPECT_NE(pay.status().message().find(first_doc_), std::string::npos);
}

}  // namespace
}  // namespace workflow
