#include "workflow/requests.h"

#include <gtest/gtest.h>

#include "tests/fakes/test_util.h"

namespace workflow {
namespace {

using Code = base::Status::Code;
using nlohmann::json;

TEST(RequestsTest, ActionRequestAcceptsTheApiShape) {
  auto r = ActionRequestFromJson(json::parse(R"({
      "action": "accept", "version": 4, "comment": "審査済み",
      "acknowledge": ["address"],
      "checklist": {"fiscal_year": true, "amount": {"confirmed": true, "note": "見積書と一致"}},
      "defect": false})"));
  ASSERT_OK(r);
  EXPECT_EQ(r->action, Action::kAccept);
  EXPECT_EQ(r->version, 4u);
  EXPECT_EQ(r->acknowledge, std::vector<std::string>{"address"});
  ASSERT_EQ(r->checklist.size(), 2u);
  EXPECT_EQ(r->checklist[0].item, "amount");
  EXPECT_EQ(r->checklist[0].note, "見積書と一致");
  auto arr = ActionRequestFromJson(json::parse(
      R"({"action": "return", "version": 1, "defect": true,
          "checklist": [{"item": "delivery_done", "confirmed": false}]})"));
  ASSERT_OK(arr);
  EXPECT_TRUE(arr->defect);
  EXPECT_FALSE(arr->checklist[0].confirmed);
}

TEST(RequestsTest, MalformedBodiesAreInvalidArgument) {
  for (const char* body : {
           R"([])",
           R"({"version": 1})",
           R"({"action": "approve"})",
           R"({"action": "approve", "version": -1})",
           R"({"action": "approve", "version": "1"})",
           R"({"action": "dance", "version": 1})",
           R"({"action": "submit", "version": 1, "acknowledge": "address"})",
           R"({"action": "accept", "version": 1, "checklist": 3})",
           R"({"action": "return", "version": 1, "defect": "yes"})",
           R"({"action": "accept", "version": 1, "checklist": {"amount": {"confirmed": "yes"}}})",
       }) {
    EXPECT_EQ(ActionRequestFromJson(json::parse(body)).status().code(), Code::kInvalidArgument)
        << body;
  }
}

TEST(RequestsTest, CommitmentAndVendorBodies) {
  auto c = CommitmentFromRequest(json::parse(R"({
      "department": "somu", "vendor_id": "V00001", "budget_line": "02-01-03-11",
      "fiscal_year": 2026, "description": "用紙", "amount": 1320000,
      "contract_from": "2026-04-01", "contract_to": "2027-03-31", "expense_type": "goods"})"));
  ASSERT_OK(c);
  EXPECT_EQ(c->amount, base::Decimal::FromInt(1'320'000));
  EXPECT_EQ(c->contract_to, base::Date(2027, 3, 31));
  EXPECT_OK(Validate(*c));
  auto bad = CommitmentFromRequest(json::parse(R"({"department": "somu"})"));
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_OK(VendorFromRequest(json{{"id", "V1"}, {"name", "山田商事"}}));
  EXPECT_EQ(VendorFromRequest(json{{"id", 1}}).status().code(), Code::kInvalidArgument);
  // A new entry may leave its number to the workflow; a name it must have.
  auto unnumbered = VendorFromRequest(json{{"name", "山田商事"}});
  ASSERT_OK(unnumbered);
  EXPECT_EQ(unnumbered->id, "");
  EXPECT_EQ(VendorFromRequest(json{{"id", "V1"}}).status().code(), Code::kInvalidArgument);
}

TEST(RequestsTest, VendorChangeNamesWhatChangesAndWhatWasRead) {
  auto change = VendorChangeFromRequest(json::parse(R"({
      "bank_account": "0005:123:1:7654321",
      "expected": {"id": "V00001", "name": "山田商事", "registration_number": "T7010705000725",
                   "bank_account": "0005:123:1:1234567", "address": ""}})"));
  ASSERT_OK(change);
  EXPECT_EQ(change->bank_account, "0005:123:1:7654321");
  EXPECT_FALSE(change->name);
  EXPECT_FALSE(change->address);
  ASSERT_TRUE(change->expected);
  EXPECT_EQ(change->expected->bank_account, "0005:123:1:1234567");
  auto cleared = VendorChangeFromRequest(json{{"registration_number", ""}});
  ASSERT_OK(cleared);
  EXPECT_EQ(cleared->registration_number, "");
  auto kana = VendorChangeFromRequest(
      json{{"corporate_number", "7010705000725"}, {"kana_name", "やまだ"}});
  ASSERT_OK(kana);
  EXPECT_EQ(kana->corporate_number, "7010705000725");
  EXPECT_EQ(kana->kana_name, "やまだ");  // made katakana by CanonicalVendor, not here
  ASSERT_OK(VendorChangeFromRequest(json{{"account_holder", "ﾔﾏﾀﾞ"}}));
  auto created = VendorFromRequest(
      json{{"name", "山田商事"}, {"corporate_number", "7010705000725"}, {"kana_name", "ヤマダ"}});
  ASSERT_OK(created);
  EXPECT_EQ(created->corporate_number, "7010705000725");
  EXPECT_EQ(created->kana_name, "ヤマダ");
  // The id is the path's; nothing else is changed here; something must be.
  for (const char* body : {R"({"id": "V2", "name": "x"})", R"({"expected": {}})", "{}",
                           R"({"name": 1})", R"({"name": "x", "expected": "V00001"})", "[]"}) {
    EXPECT_EQ(VendorChangeFromRequest(json::parse(body)).status().code(), Code::kInvalidArgument)
        << body;
  }
}

}  // namespace
}  // namespace workflow
