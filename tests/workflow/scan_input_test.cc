// スキャナ保存 in the workflow (issue 15): the input deadline of a scan's keys
// on the city's business days, the inbox's 入力期限間近 / 入力期限超過 lists
// on a fake clock, and the duplicate flag across channels (a paper scan of
// an invoice that also arrived electronically), which keeps it from being
// paid twice.
#include <gtest/gtest.h>

#include "tests/workflow/order_fixture.h"
#include "workflow/duplicates.h"
#include "workflow/input_deadline.h"

namespace workflow {
namespace {

using Code = base::Status::Code;

TEST(InputDeadlineTest, SevenBusinessDaysOrTheBusinessCycleRule) {
  InputDeadlineRule prompt;
  prompt.city_holidays = {};
  const base::BusinessCalendar plain;
  // Tue 11/24 + 7 business days: 11/25, 26, 27, 30, 12/1, 2, 3.
  EXPECT_EQ(InputDeadline(Date(2026, 11, 24), prompt, plain), Date(2026, 12, 3));
  // Golden week: from Fri 5/1 the 7th business day is 5/15.
  EXPECT_EQ(InputDeadline(Date(2026, 5, 1), prompt, plain), Date(2026, 5, 15));
  // The city's own closed day pushes it on.
  const base::BusinessCalendar city({Date(2026, 12, 2)});
  EXPECT_EQ(InputDeadline(Date(2026, 11, 24), prompt, city), Date(2026, 12, 4));
  // 業務処理サイクル: two months, then 7 business days (7/1 → 7/10).
  InputDeadlineRule cycle = prompt;
  cycle.business_cycle = true;
  EXPECT_EQ(InputDeadline(Date(2026, 5, 1), cycle, plain), Date(2026, 7, 10));
  // A month end is clamped: 12/31 + 2 months is 2/28 (Sun) → Mon 3/1 + 7.
  EXPECT_EQ(InputDeadline(Date(2026, 12, 31), cycle, plain), Date(2027, 3, 10));
}

TEST(InputDeadlineTest, DueSoonWithinTwoBusinessDaysThenOverdue) {
  const InputDeadlineRule rule;
  const base::BusinessCalendar cal;
  const Date due(2026, 12, 3);  // Thursday
  EXPECT_EQ(ClassifyInput(due, Date(2026, 11, 30), rule, cal), InputStatus::kOnTime);
  EXPECT_EQ(ClassifyInput(due, Date(2026, 12, 1), rule, cal), InputStatus::kDueSoon);
  EXPECT_EQ(ClassifyInput(due, Date(2026, 12, 3), rule, cal), InputStatus::kDueSoon);
  EXPECT_EQ(ClassifyInput(due, Date(2026, 12, 4), rule, cal), InputStatus::kOverdue);
  EXPECT_EQ(InputStatusLabel(InputStatus::kOverdue), "入力期限超過");
}

TEST(InputDeadlineTest, ReceiptDaysOfADueRangeAreExactlyThoseWhoseDeadlineFallsInIt) {
  InputDeadlineRule rule;
  for (bool cycle : {false, true}) {
    rule.business_cycle = cycle;
    const base::BusinessCalendar cal(rule.city_holidays);
    const Date first(2026, 12, 28), last(2027, 1, 8);
    const ReceiptDays days = ReceiptDaysDueBetween(first, last, rule);
    for (Date r(2026, 9, 1); r <= last; r = r.AddDays(1)) {
      const Date due = InputDeadline(r, rule, cal);
      const bool in = r.DaysSinceEpoch() >= days.from && r.DaysSinceEpoch() <= days.to;
      EXPECT_EQ(in, due >= first && due <= last) << r.ToString() << " cycle=" << cycle;
    }
  }
}

class ScanInputTest : public OrderFixture {
 protected:
  void Configure(WorkflowOptions* wo) override { wo->input_deadline.city_holidays = {}; }
  invoice::InvoiceFields Paper(int pages) {
    invoice::InvoiceFields f;
    f.format = "scan";
    f.page_count = pages;
    f.needs_metadata = true;
    return f;
  }
  std::vector<std::string> Ids(const InboxPage& page) {
    std::vector<std::string> out;
    for (const InboxItem& i : page.items) out.push_back(i.id);
    return out;
  }
  void EnterKeys(const std::string& id, const invoice::FieldPatch& patch) {
    ASSERT_OK(archive_->Correct(id, patch, "kato", "紙の請求書から入力"));
  }
  invoice::FieldPatch Keys(const std::string& date, const std::string& total,
                           const std::string& counterparty) {
    invoice::FieldPatch p;
    p.issue_date.Set(date);
    p.total.Set(total);
    p.counterparty.Set(counterparty);
    return p;
  }
};

TEST_F(ScanInputTest, TheInboxListsScansDueSoonAndOverdueUntilTheirKeysAreEntered) {
  clock_.Set(Jst("2026-11-24"));  // Tuesday: due Thursday 12/3
  const std::string scan = Receive(Paper(1));
  const std::string xml = Receive(Xml("E-1"));
  Receive(Paper(2), "doboku");  // another department's
  auto inbox = wf_->GetInbox(U("kato"));
  ASSERT_OK(inbox);
  EXPECT_TRUE(inbox->input_due_soon.items.empty());
  EXPECT_TRUE(inbox->input_overdue.items.empty());

  clock_.Set(Jst("2026-12-01"));  // two business days before the deadline
  inbox = wf_->GetInbox(U("kato"));
  ASSERT_OK(inbox);
  EXPECT_EQ(Ids(inbox->input_due_soon), std::vector<std::string>{scan});
  EXPECT_EQ(inbox->input_due_soon.items[0].due, Date(2026, 12, 3));
  EXPECT_EQ(inbox->input_due_soon.items[0].state, "awaiting_keys");
  EXPECT_EQ(ToJson(*inbox)["counts"]["input_due_soon"], 1);
  auto standing = wf_->GetDocumentStanding(scan, U("kato"));
  ASSERT_OK(standing);
  ASSERT_TRUE(standing->input_deadline.has_value());
  EXPECT_EQ(standing->input_deadline->status, InputStatus::kDueSoon);
  EXPECT_FALSE(wf_->GetDocumentStanding(xml, U("kato"))->input_deadline.has_value());

  clock_.Set(Jst("2026-12-04"));
  inbox = wf_->GetInbox(U("kato"));
  ASSERT_OK(inbox);
  EXPECT_TRUE(inbox->input_due_soon.items.empty());
  EXPECT_EQ(Ids(inbox->input_overdue), std::vector<std::string>{scan});
  EXPECT_EQ(inbox->input_overdue.items[0].deadline, DeadlineStatus::kOverdue);
  // The accounting office sees every department's.
  EXPECT_EQ(wf_->GetInbox(U("kaikei"))->input_overdue.count, 2u);
  auto page = wf_->GetInboxList(U("kaikei"), InboxList::kInputOverdue, "", 1);
  ASSERT_OK(page);
  EXPECT_EQ(page->count, 2u);
  ASSERT_TRUE(page->next.has_value());
  auto rest = wf_->GetInboxList(U("kaikei"), InboxList::kInputOverdue, *page->next, 1);
  ASSERT_OK(rest);
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_NE(rest->items[0].id, page->items[0].id);

  // Two keys are not enough; the third takes it off the lists.
  invoice::FieldPatch partial;
  partial.issue_date.Set("2026-11-20");
  partial.total.Set("11000");
  EnterKeys(scan, partial);
  EXPECT_EQ(wf_->GetInbox(U("kato"))->input_overdue.count, 1u);
  invoice::FieldPatch last;
  last.counterparty.Set("山田商事株式会社");
  EnterKeys(scan, last);
  inbox = wf_->GetInbox(U("kato"));
  ASSERT_OK(inbox);
  EXPECT_EQ(inbox->input_overdue.count, 0u);
  standing = wf_->GetDocumentStanding(scan, U("kato"));
  ASSERT_OK(standing);
  EXPECT_EQ(standing->input_deadline->status, InputStatus::kEntered);
  EXPECT_EQ(standing->input_deadline->entered_version, 3u);
  EXPECT_TRUE(standing->input_deadline->entered_late);
  EXPECT_EQ(ToJson(*standing)["input_deadline"]["label"], "入力済み");
}

TEST_F(ScanInputTest, APaperScanOfAnElectronicInvoiceIsFlaggedOnBothByNumbers) {
  const std::string xml = Receive(Xml("E-100"));
  const std::string scan = Receive(Paper(1));
  // Before its keys are entered the scan has nothing to compare.
  EXPECT_TRUE(wf_->GetDocumentStanding(xml, U("kato"))->duplicates.empty());
  invoice::FieldPatch keys = Keys("2026-04-02", "11000", "山田商事");
  keys.registration_number.Set(kVendor.registration_number);
  keys.invoice_number.Set("E-100");
  EnterKeys(scan, keys);  // a different date and name: the numbers decide
  auto on_xml = wf_->GetDocumentStanding(xml, U("kato"));
  ASSERT_OK(on_xml);
  ASSERT_EQ(on_xml->duplicates.size(), 1u);
  EXPECT_EQ(on_xml->duplicates[0].id, scan);
  EXPECT_EQ(on_xml->duplicates[0].rule, "registration_and_invoice_number");
  EXPECT_EQ(on_xml->duplicates[0].channel, "scan");
  auto on_scan = wf_->GetDocumentStanding(scan, U("kato"));
  ASSERT_OK(on_scan);
  ASSERT_EQ(on_scan->duplicates.size(), 1u);
  EXPECT_EQ(on_scan->duplicates[0].id, xml);
  EXPECT_EQ(on_scan->duplicates[0].channel, "electronic");
  const json j = ToJson(*on_scan)["duplicates"][0];
  EXPECT_NE(j["message"].get<std::string>().find("電子でも届いています"), std::string::npos);
}

TEST_F(ScanInputTest, SameVendorDateAndTotalIsADuplicateAndIsNeverDraftedTwice) {
  commitment_ = Commitment();
  const std::string xml = Receive(Xml("E-200"));
  const std::string scan = Receive(Paper(1));
  // No numbers on the paper: the vendor's name (normalised), date and total.
  EnterKeys(scan, Keys(*Xml("E-200").issue_date, "11000", "山田商事（株）"));
  auto on_scan = wf_->GetDocumentStanding(scan, U("kato"));
  ASSERT_OK(on_scan);
  ASSERT_EQ(on_scan->duplicates.size(), 1u);
  EXPECT_EQ(on_scan->duplicates[0].rule, "vendor_date_total");
  EXPECT_EQ(wf_->GetDocumentStanding(xml, U("kato"))->duplicates.size(), 1u);

  // Once the electronic one has an order, the scan cannot be drafted.
  ASSERT_OK(wf_->Draft(xml, commitment_, U("kato")));
  on_scan = wf_->GetDocumentStanding(scan, U("kato"));
  ASSERT_OK(on_scan);
  EXPECT_FALSE(on_scan->order.has_value());
  EXPECT_FALSE(on_scan->duplicates[0].order_id.empty());
  EXPECT_FALSE(on_scan->may_draft);
  EXPECT_NE(on_scan->draft_refusal.find("二重払い"), std::string::npos);
  const auto second = wf_->Draft(scan, commitment_, U("kato"));
  EXPECT_EQ(second.status().code(), Code::kAborted);
  EXPECT_NE(second.status().message().find(xml), std::string::npos);
}

TEST_F(ScanInputTest, ALookAlikeIsNotADuplicate) {
  const std::string xml = Receive(Xml("E-300"));
  const std::string date = *Xml("E-300").issue_date;
  ASSERT_NE(date, "2026-05-01");
  // Same vendor and total, another date (next month's invoice on paper).
  const std::string next_month = Receive(Paper(1));
  EnterKeys(next_month, Keys("2026-05-01", "11000", "山田商事株式会社"));
  // Same date and total, another vendor.
  const std::string other_vendor = Receive(Paper(2));
  EnterKeys(other_vendor, Keys(date, "11000", "川田商事株式会社"));
  // Same registration number, another invoice number and total.
  const std::string other_number = Receive(Paper(3));
  invoice::FieldPatch keys = Keys(date, "22000", "山田商事株式会社");
  keys.registration_number.Set(kVendor.registration_number);
  keys.invoice_number.Set("E-301");
  EnterKeys(other_number, keys);
  // Two electronic invoices alike are not across channels.
  const std::string xml_again = Receive([&] {
    invoice::InvoiceFields f = Xml("E-300");
    f.line_descriptions = {"再送"};
    return f;
  }());
  for (const std::string& id : {xml, next_month, other_vendor, other_number}) {
    auto s = wf_->GetDocumentStanding(id, U("kato"));
    ASSERT_OK(s);
    EXPECT_TRUE(s->duplicates.empty()) << id;
  }
  EXPECT_TRUE(wf_->GetDocumentStanding(xml_again, U("kato"))->duplicates.empty());
}

}  // namespace
}  // namespace workflow
