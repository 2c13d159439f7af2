#include "workflow/state_machine.h"

#include <map>
#include <set>
#include <tuple>

#include <gtest/gtest.h>

#include "tests/fakes/test_util.h"

namespace workflow {
namespace {

using base::Date;
using base::Decimal;
using Code = base::Status::Code;
using S = OrderState;
using A = Action;

// The cast: every role, plus people holding two roles for the four-eyes rules.
std::map<std::string, User> People() {
  std::map<std::string, User> p;
  auto add = [&](std::string login, std::string dept, std::vector<Role> roles,
                 std::string title = "") {
    p[login] = User{login, login, dept, std::move(roles), std::move(title), true};
  };
  add("kato", "somu", {Role::kClerk});    // the drafter
  add("ito", "somu", {Role::kClerk});     // another clerk of the department
  add("mori", "doboku", {Role::kClerk});  // a clerk of another department
  add("kacho", "somu", {Role::kApprover}, "課長");
  add("kacho2", "doboku", {Role::kApprover}, "課長");  // 課長 of another department
  add("bucho", "somu", {Role::kApprover}, "部長");
  add("fuku", "hisho", {Role::kApprover}, "副市長");  // approves any department
  add("kaikei", "kaikei", {Role::kAccountant});
  add("kansa", "kansa", {Role::kAuditor});
  add("comp", "somu", {Role::kCompliance});
  add("admin", "joho", {Role::kAdmin});
  return p;
}

const base::Time kNow = *base::ParseRfc3339("2026-06-01T01:00:00Z");
const Date kToday(2026, 6, 1);

// An order of somu drafted by kato with a two-step route, in `state`.
PaymentOrder OrderIn(S state, size_t step = 0) {
  PaymentOrder o;
  o.id = "P2026-0001";
  o.version = 7;
  o.state = state;
  o.department = "somu";
  o.drafter = "kato";
  o.fiscal_year = 2026;
  o.amount = Decimal::FromInt(600'000);
  o.route = {{"課長", "", std::nullopt}, {"部長", "", std::nullopt}};
  o.step = step;
  o.round = state == S::kDraft ? 0 : 1;
  if (step > 0) o.route[0].approved_by = "kacho";
  if (state == S::kAccountingReview || state == S::kAccepted || state == S::kPaid) {
    o.route[0].approved_by = "kacho";
    o.route[1].approved_by = "bucho";
    o.step = 2;
  }
  o.match = {{"vendor", MatchStatus::kMatch, "x", "x"}, {"address", MatchStatus::kMatch, "a", "a"}};
  o.clock = StartPaymentClock(Date(2026, 5, 20), 30);
  return o;
}

// A request that satisfies every input guard.
ActionRequest GoodRequest(A action, uint32_t version = 7) {
  ActionRequest r;
  r.action = action;
  r.version = version;
  r.comment = "確認しました";
  for (std::string_view item : kChecklistItems)
    r.checklist.push_back({std::string(item), true, ""});
  return r;
}

base::Result<const Transition*> Try(const PaymentOrder& o, const ActionRequest& r, const User& u,
                                    const RouteConfig& routes = RouteConfig(), Date today = kToday,
                                    Decimal available = Decimal::FromInt(10'000'000)) {
  return Decide(GuardContext{o, r, u, routes, today, available});
}

// Every (state, action, person) the rules allow, with the resulting state.
// Everything else must be refused.
struct Allowed {
  S state;
  size_t step;
  A action;
  std::string who;
  S to;
};
const Allowed kAllowed[] = {
    {S::kDraft, 0, A::kSubmit, "kato", S::kPendingApproval},
    {S::kDraft, 0, A::kSubmit, "ito", S::kPendingApproval},
    {S::kDraft, 0, A::kWithdraw, "kato", S::kWithdrawn},
    {S::kPendingApproval, 0, A::kApprove, "kacho", S::kPendingApproval},
    {S::kPendingApproval, 0, A::kApprove, "bucho", S::kPendingApproval},  // 代決 for 課長
    {S::kPendingApproval, 0, A::kReturn, "kacho", S::kDraft},
    {S::kPendingApproval, 0, A::kReturn, "bucho", S::kDraft},
    {S::kPendingApproval, 0, A::kWithdraw, "kato", S::kWithdrawn},
    {S::kPendingApproval, 1, A::kApprove, "bucho", S::kAccountingReview},
    {S::kPendingApproval, 1, A::kApprove, "fuku", S::kAccountingReview},  // 代決 for 部長
    {S::kPendingApproval, 1, A::kReturn, "bucho", S::kDraft},
    {S::kPendingApproval, 1, A::kReturn, "fuku", S::kDraft},
    {S::kPendingApproval, 1, A::kWithdraw, "kato", S::kWithdrawn},
    {S::kAccountingReview, 0, A::kAccept, "kaikei", S::kAccepted},
    {S::kAccountingReview, 0, A::kReturn, "kaikei", S::kDraft},
    {S::kAccountingReview, 0, A::kWithdraw, "kato", S::kWithdrawn},
    {S::kAccepted, 0, A::kPay, "kaikei", S::kPaid},
};

TEST(StateMachineTest, EveryStateActionAndRoleIsAllowedOnlyWhereTheTableSays) {
  const auto people = People();
  const std::pair<S, size_t> positions[] = {{S::kDraft, 0},           {S::kPendingApproval, 0},
                                            {S::kPendingApproval, 1}, {S::kAccountingReview, 0},
                                            {S::kAccepted, 0},        {S::kPaid, 0},
                                            {S::kWithdrawn, 0}};
  int allowed = 0, refused = 0;
  for (const auto& [state, step] : positions) {
    for (A action : {A::kSubmit, A::kApprove, A::kReturn, A::kWithdraw, A::kAccept, A::kPay,
                     A::kResume, A::kOverrideVendor, A::kConfirmBankAccount}) {
      for (const auto& [login, user] : people) {
        const PaymentOrder o = OrderIn(state, step);
        const ActionRequest r = GoodRequest(action);
        const Allowed* expected = nullptr;
        for (const Allowed& a : kAllowed) {
          if (a.state == state && a.step == step && a.action == action && a.who == login)
            expected = &a;
        }
        const auto d = Try(o, r, user);
        const std::string where = std::string(StateName(state)) + "/" + std::to_string(step) + " " +
                                  std::string(ActionName(action)) + " by " + login;
        if (expected != nullptr) {
          ++allowed;
          ASSERT_OK(d) << where;
          EXPECT_EQ((*d)->to, expected->to) << where;
        } else {
          ++refused;
          ASSERT_FALSE(d.ok()) << where;
          // No row for the action in this state → 409; a row, wrong person → 403.
          bool state_has_action = false;
          for (const Transition& t : Transitions()) {
            state_has_action = state_has_action || (t.action == action && t.from == state);
          }
          // Resume by the right clerk of a running clock: nothing to resume → 409.
          const bool nothing_to_resume =
              action == A::kResume && user.HasRole(Role::kClerk) && user.department == "somu";
          // The accountant settling a × the order does not have → 409.
          const bool nothing_to_settle =
              (action == A::kOverrideVendor || action == A::kConfirmBankAccount) &&
              login == "kaikei";
          EXPECT_EQ(d.status().code(), state_has_action && !nothing_to_resume && !nothing_to_settle
                                           ? Code::kPermissionDenied
                                           : Code::kAborted)
              << where << ": " << d.status().ToString();
        }
      }
    }
  }
  EXPECT_EQ(allowed, 17);
  EXPECT_GT(refused, 600);
}

struct RefusalCase {
  const char* name;
  std::function<void(PaymentOrder&, ActionRequest&, User&, Date&, Decimal&)> setup;
  A action;
  S state;
  size_t step;
  std::string who;
  Code code;  // kOk: allowed
};

TEST(StateMachineTest, GuardsRefuseWithTheirStatus) {
  const auto people = People();
  auto none = [](PaymentOrder&, ActionRequest&, User&, Date&, Decimal&) {};
  const RefusalCase cases[] = {
      {"stale version", [](auto&, auto& r, auto&, auto&, auto&) { r.version = 6; }, A::kApprove,
       S::kPendingApproval, 0, "kacho", Code::kAborted},
      {"drafter who is 課長 approves own order",
       [](auto& o, auto&, auto&, auto&, auto&) { o.drafter = "kacho"; }, A::kApprove,
       S::kPendingApproval, 0, "kacho", Code::kPermissionDenied},
      {"drafter who is accountant accepts own order",
       [](auto& o, auto&, auto&, auto&, auto&) { o.drafter = "kaikei"; }, A::kAccept,
       S::kAccountingReview, 0, "kaikei", Code::kPermissionDenied},
      {"same person approves two steps",
       [](auto& o, auto&, auto&, auto&, auto&) {
         o.route = {{"課長", "kacho", std::nullopt}, {"課長", "", std::nullopt}};
       },
       A::kApprove, S::kPendingApproval, 1, "kacho", Code::kPermissionDenied},
      {"accountant who approved accepts",
       [](auto& o, auto&, auto& u, auto&, auto&) {
         u.roles.push_back(Role::kApprover);
         u.title = "課長";
         o.history.push_back({"approve", u.login, kNow, "pending_approval", "pending_approval", "",
                              false, 1, "課長"});
       },
       A::kAccept, S::kAccountingReview, 0, "kaikei", Code::kPermissionDenied},
      {"accountant who approved in an earlier round returns",
       [](auto& o, auto&, auto& u, auto&, auto&) {
         o.history.push_back({"approve", u.login, kNow, "pending_approval", "pending_approval", "",
                              false, 1, "課長"});
       },
       A::kReturn, S::kAccountingReview, 0, "kaikei", Code::kPermissionDenied},
      {"課長 of another department", none, A::kApprove, S::kPendingApproval, 0, "kacho2",
       Code::kPermissionDenied},
      {"副市長 approves any department's third step",
       [](auto& o, auto&, auto&, auto&, auto&) {
         o.route.push_back({"副市長", "", std::nullopt});
         o.route[1].approved_by = "bucho";
       },
       A::kApprove, S::kPendingApproval, 2, "fuku", Code::kOk},
      {"disabled approver role missing",
       [](auto&, auto&, auto& u, auto&, auto&) { u.roles = {Role::kClerk}; }, A::kApprove,
       S::kPendingApproval, 0, "kacho", Code::kPermissionDenied},
      {"return without a reason", [](auto&, auto& r, auto&, auto&, auto&) { r.comment.clear(); },
       A::kReturn, S::kPendingApproval, 0, "kacho", Code::kInvalidArgument},
      {"submit with an unacknowledged ×",
       [](auto& o, auto&, auto&, auto&, auto&) { o.match[1].status = MatchStatus::kMismatch; },
       A::kSubmit, S::kDraft, 0, "kato", Code::kFailedPrecondition},
      {"submit acknowledging the × without a comment",
       [](auto& o, auto& r, auto&, auto&, auto&) {
         o.match[1].status = MatchStatus::kMismatch;
         r.acknowledge = {"address"};
         r.comment.clear();
       },
       A::kSubmit, S::kDraft, 0, "kato", Code::kInvalidArgument},
      {"submit acknowledging the × with a comment",
       [](auto& o, auto& r, auto&, auto&, auto&) {
         o.match[1].status = MatchStatus::kMismatch;
         r.acknowledge = {"address"};
       },
       A::kSubmit, S::kDraft, 0, "kato", Code::kOk},
      {"acknowledging a field that is not matched",
       [](auto&, auto& r, auto&, auto&, auto&) { r.acknowledge = {"colour"}; }, A::kSubmit,
       S::kDraft, 0, "kato", Code::kInvalidArgument},
      {"a missing field needs no acknowledgement",
       [](auto& o, auto&, auto&, auto&, auto&) { o.match[1].status = MatchStatus::kMissing; },
       A::kSubmit, S::kDraft, 0, "kato", Code::kOk},
      {"submit over the commitment's balance",
       [](auto&, auto&, auto&, auto&, auto& available) { available = Decimal::FromInt(599'999); },
       A::kSubmit, S::kDraft, 0, "kato", Code::kFailedPrecondition},
      {"submit exactly the balance",
       [](auto&, auto&, auto&, auto&, auto& available) { available = Decimal::FromInt(600'000); },
       A::kSubmit, S::kDraft, 0, "kato", Code::kOk},
      {"submit while the clock is stopped",
       [](auto& o, auto&, auto&, auto&, auto&) { StopPaymentClock(&o.clock, Date(2026, 5, 25)); },
       A::kSubmit, S::kDraft, 0, "kato", Code::kFailedPrecondition},
      {"resume a stopped clock",
       [](auto& o, auto&, auto&, auto&, auto&) { StopPaymentClock(&o.clock, Date(2026, 5, 25)); },
       A::kResume, S::kDraft, 0, "ito", Code::kOk},
      {"resume by a clerk of another department",
       [](auto& o, auto&, auto&, auto&, auto&) { StopPaymentClock(&o.clock, Date(2026, 5, 25)); },
       A::kResume, S::kDraft, 0, "mori", Code::kPermissionDenied},
      {"accept with one checklist item unconfirmed",
       [](auto&, auto& r, auto&, auto&, auto&) { r.checklist[4].confirmed = false; }, A::kAccept,
       S::kAccountingReview, 0, "kaikei", Code::kFailedPrecondition},
      {"accept with a checklist item missing",
       [](auto&, auto& r, auto&, auto&, auto&) { r.checklist.pop_back(); }, A::kAccept,
       S::kAccountingReview, 0, "kaikei", Code::kFailedPrecondition},
      {"accept with an unknown checklist item",
       [](auto&, auto& r, auto&, auto&, auto&) {
         r.checklist.push_back({"mood", true, ""});
       },
       A::kAccept, S::kAccountingReview, 0, "kaikei", Code::kInvalidArgument},
      {"pay last year's order in 出納整理期間 (5/31)",
       [](auto& o, auto&, auto&, auto& today, auto&) {
         o.fiscal_year = 2025;
         today = Date(2026, 5, 31);
       },
       A::kPay, S::kAccepted, 0, "kaikei", Code::kOk},
      {"pay last year's order after 出納整理期間 (6/1)",
       [](auto& o, auto&, auto&, auto&, auto&) { o.fiscal_year = 2025; }, A::kPay, S::kAccepted, 0,
       "kaikei", Code::kFailedPrecondition},
      {"pay next year's order", [](auto& o, auto&, auto&, auto&, auto&) { o.fiscal_year = 2027; },
       A::kPay, S::kAccepted, 0, "kaikei", Code::kFailedPrecondition},
      {"pay by the drafter who is an accountant",
       [](auto& o, auto&, auto&, auto&, auto&) { o.drafter = "kaikei"; }, A::kPay, S::kAccepted, 0,
       "kaikei", Code::kPermissionDenied},
      {"withdraw by another clerk", none, A::kWithdraw, S::kPendingApproval, 0, "ito",
       Code::kPermissionDenied},
      {"withdraw after acceptance", none, A::kWithdraw, S::kAccepted, 0, "kato", Code::kAborted},
      {"return after acceptance", none, A::kReturn, S::kAccepted, 0, "kaikei", Code::kAborted},
  };
  for (const RefusalCase& c : cases) {
    PaymentOrder o = OrderIn(c.state, c.step);
    ActionRequest r = GoodRequest(c.action);
    User u = people.at(c.who);
    Date today = kToday;
    Decimal available = Decimal::FromInt(10'000'000);
    c.setup(o, r, u, today, available);
    const auto d = Try(o, r, u, RouteConfig(), today, available);
    EXPECT_EQ(d.status().code(), c.code) << c.name << ": " << d.status().ToString();
  }
}

TEST(StateMachineTest, RefusalsSpeakJapaneseToTheUser) {
  const auto people = People();
  PaymentOrder o = OrderIn(S::kPendingApproval);
  o.drafter = "kacho";
  const auto d = Try(o, GoodRequest(A::kApprove), people.at("kacho"));
  EXPECT_EQ(d.status().message(), "自分が起票した支出命令は承認できません");
}

TEST(StateMachineTest, ApplyWalksTheWholeRouteAndRecordsHistory) {
  const auto people = People();
  PaymentOrder o = OrderIn(S::kDraft);
  o.version = 1;
  o.match[1].status = MatchStatus::kMismatch;
  const ApplyContext ctx{kNow, kToday, std::nullopt};
  auto step = [&](A action, const std::string& who, ActionRequest r) {
    r.action = action;
    r.version = o.version;
    auto d = Try(o, r, people.at(who));
    ASSERT_OK(d) << ActionName(action) << " by " << who;
    Apply(**d, r, people.at(who), ctx, &o);
  };
  ActionRequest submit;
  submit.acknowledge = {"address"};
  submit.comment = "住所の表記違い（丁目と番地）、同一と確認";
  step(A::kSubmit, "kato", submit);
  EXPECT_EQ(o.state, S::kPendingApproval);
  EXPECT_EQ(o.version, 2u);
  EXPECT_EQ(o.round, 1);
  EXPECT_TRUE(o.UnacknowledgedMismatches().empty());
  ASSERT_EQ(o.acknowledgements.size(), 1u);
  EXPECT_EQ(o.acknowledgements[0].by, "kato");
  step(A::kApprove, "kacho", {});
  EXPECT_EQ(o.step, 1u);
  EXPECT_EQ(o.route[0].approved_by, "kacho");
  // 部長 returns: back to the drafter with the reason; the route restarts.
  ActionRequest ret;
  ret.comment = "検収日を確認してください";
  step(A::kReturn, "bucho", ret);
  EXPECT_EQ(o.state, S::kDraft);
  EXPECT_EQ(o.last_return_reason, "検収日を確認してください");
  EXPECT_FALSE(o.clock.stopped());  // not a defect of the invoice
  step(A::kSubmit, "kato", {});
  EXPECT_EQ(o.round, 2);
  EXPECT_EQ(o.step, 0u);
  EXPECT_TRUE(o.route[0].approved_by.empty());
  step(A::kApprove, "kacho", {});  // the same 課長 approves the new round
  step(A::kApprove, "bucho", {});
  EXPECT_EQ(o.state, S::kAccountingReview);
  step(A::kAccept, "kaikei", GoodRequest(A::kAccept));
  EXPECT_EQ(o.accepted_by, "kaikei");
  EXPECT_EQ(o.checklist.size(), kChecklistItems.size());
  step(A::kPay, "kaikei", {});
  EXPECT_EQ(o.state, S::kPaid);
  EXPECT_EQ(o.clock.paid_on, kToday);
  EXPECT_EQ(o.version, 9u);
  ASSERT_EQ(o.history.size(), 8u);
  EXPECT_EQ(o.history[2].action, "return");
  EXPECT_EQ(o.history[2].step, "部長");
  EXPECT_EQ(o.history[2].from, "pending_approval");
  EXPECT_EQ(o.history[2].to, "draft");
  EXPECT_EQ(o.history[7].to, "paid");
  // Round trip through the record.
  auto back = PaymentOrderFromJson(ToJson(o));
  ASSERT_OK(back);
  EXPECT_EQ(ToJson(*back), ToJson(o));
}

TEST(StateMachineTest, DefectReturnStopsTheClockUntilResumed) {
  const auto people = People();
  PaymentOrder o = OrderIn(S::kAccountingReview);
  ActionRequest r = GoodRequest(A::kReturn);
  r.defect = true;
  r.comment = "登録番号の記載がありません";
  auto d = Try(o, r, people.at("kaikei"));
  ASSERT_OK(d);
  Apply(**d, r, people.at("kaikei"), {kNow, Date(2026, 5, 30), std::nullopt}, &o);
  EXPECT_TRUE(o.clock.stopped());
  EXPECT_EQ(o.clock.used_days, 10);
  EXPECT_TRUE(o.history.back().defect);
  ActionRequest resume;
  resume.action = A::kResume;
  resume.version = o.version;
  resume.document_id = "D00000009";
  d = Try(o, resume, people.at("kato"));
  ASSERT_OK(d);
  Apply(**d, resume, people.at("kato"), {kNow, Date(2026, 6, 5), Date(2026, 6, 3)}, &o);
  EXPECT_EQ(DueDate(o.clock), Date(2026, 6, 23));  // 6/3 + (30 - 10)
  EXPECT_EQ(o.corrected_documents, std::vector<std::string>{"D00000009"});
  EXPECT_EQ(o.state, S::kDraft);
}

TEST(StateMachineTest, AvailableActionsFollowTheTable) {
  const auto people = People();
  const RouteConfig routes;
  auto names = [&](const PaymentOrder& o, const std::string& who) {
    std::set<std::string> out;
    for (A a : AvailableActions(o, people.at(who), routes, kToday))
      out.insert(std::string(ActionName(a)));
    return out;
  };
  PaymentOrder draft = OrderIn(S::kDraft);
  draft.match[1].status = MatchStatus::kMismatch;  // still offered: the clerk must acknowledge
  EXPECT_EQ(names(draft, "kato"), (std::set<std::string>{"submit", "withdraw"}));
  EXPECT_EQ(names(draft, "ito"), (std::set<std::string>{"submit"}));
  EXPECT_TRUE(names(draft, "kacho").empty());
  EXPECT_EQ(names(OrderIn(S::kPendingApproval), "kacho"),
            (std::set<std::string>{"approve", "return"}));
  // 部長 may stand in for 課長 (代決); 課長 never for 部長.
  EXPECT_EQ(names(OrderIn(S::kPendingApproval), "bucho"),
            (std::set<std::string>{"approve", "return"}));
  EXPECT_TRUE(names(OrderIn(S::kPendingApproval, 1), "kacho").empty());
  EXPECT_EQ(names(OrderIn(S::kAccountingReview), "kaikei"),
            (std::set<std::string>{"accept", "return"}));
  EXPECT_EQ(names(OrderIn(S::kAccepted), "kaikei"), (std::set<std::string>{"pay"}));
  EXPECT_TRUE(names(OrderIn(S::kPaid), "kaikei").empty());
}

// Issue 12, finding 3: the clerk acknowledged the vendor, department and
// bank-account × and the order was paid to another vendor's account.
TEST(StateMachineTest, ClerkCannotAcknowledgeTheVendorBankAccountOrDepartment) {
  const auto people = People();
  for (const char* field : {"vendor", "bank_account", "department"}) {
    PaymentOrder o = OrderIn(S::kDraft);
    const FieldMatch mismatch{field, MatchStatus::kMismatch, "請求書の値", "登録の値"};
    if (std::string(field) == "vendor") {
      o.match[0] = mismatch;
    } else {
      o.match.push_back(mismatch);
    }
    ActionRequest r = GoodRequest(A::kSubmit);
    r.acknowledge = {field};
    r.comment = "何でもよいコメント";
    const auto d = Try(o, r, people.at("kato"));
    EXPECT_EQ(d.status().code(), Code::kPermissionDenied) << field;
    EXPECT_NE(d.status().message().find(field), std::string::npos) << d.status().message();
    // Without acknowledging it the clerk may submit: the accounting office
    // sees it in 会計審査; it is no "unacknowledged" × of the clerk's.
    r.acknowledge.clear();
    EXPECT_OK(Try(o, r, people.at("kato"))) << field;
    EXPECT_TRUE(o.UnacknowledgedMismatches().empty()) << field;
    EXPECT_EQ(o.AccountingRequired(), std::vector<std::string>{field});
  }
}

TEST(StateMachineTest, OnlyTheAccountingOfficeOverridesAVendorMismatchWithAReason) {
  const auto people = People();
  PaymentOrder o = OrderIn(S::kAccountingReview);
  o.match[0] = {"vendor", MatchStatus::kMismatch, "T1234567890123 有限会社植松園芸",
                "T7010705000725 東和ビルメンテナンス株式会社"};
  // Until overridden: no acceptance, no payment (422, naming what to do).
  const auto refused = Try(o, GoodRequest(A::kAccept), people.at("kaikei"));
  EXPECT_EQ(refused.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("override_vendor"), std::string::npos);
  PaymentOrder accepted = o;
  accepted.state = S::kAccepted;
  EXPECT_EQ(Try(accepted, GoodRequest(A::kPay), people.at("kaikei")).status().code(),
            Code::kFailedPrecondition);
  // Nobody but a non-drafting, non-approving accountant overrides.
  for (const char* who : {"kato", "kacho", "bucho", "admin", "kansa"}) {
    EXPECT_EQ(Try(o, GoodRequest(A::kOverrideVendor), people.at(who)).status().code(),
              Code::kPermissionDenied)
        << who;
  }
  PaymentOrder own = o;
  own.drafter = "kaikei";
  EXPECT_EQ(Try(own, GoodRequest(A::kOverrideVendor), people.at("kaikei")).status().code(),
            Code::kPermissionDenied);
  ActionRequest no_reason = GoodRequest(A::kOverrideVendor);
  no_reason.comment.clear();
  EXPECT_EQ(Try(o, no_reason, people.at("kaikei")).status().code(), Code::kInvalidArgument);
  // With a reason: recorded with the values it settles; then accepted.
  ActionRequest r = GoodRequest(A::kOverrideVendor);
  r.comment = "商号変更（登記簿で確認）";
  auto d = Try(o, r, people.at("kaikei"));
  ASSERT_OK(d);
  EXPECT_EQ((*d)->to, S::kAccountingReview);
  Apply(**d, r, people.at("kaikei"), {kNow, kToday, std::nullopt}, &o);
  ASSERT_EQ(o.acknowledgements.size(), 1u);
  EXPECT_EQ(o.acknowledgements[0].by, "kaikei");
  EXPECT_EQ(o.acknowledgements[0].comment, "商号変更（登記簿で確認）");
  EXPECT_EQ(o.acknowledgements[0].invoice_value, "T1234567890123 有限会社植松園芸");
  EXPECT_EQ(o.history.back().action, "override_vendor");
  EXPECT_TRUE(o.AccountingRequired().empty());
  ActionRequest accept = GoodRequest(A::kAccept, o.version);
  EXPECT_OK(Try(o, accept, people.at("kaikei")));
  // Nothing left to override: not offered (409).
  EXPECT_EQ(Try(o, GoodRequest(A::kOverrideVendor, o.version), people.at("kaikei")).status().code(),
            Code::kAborted);
  // The override covers those values only: another vendor on the invoice
  // (a correction, a changed master) is a new ×.
  o.match[0].invoice_value = "T8040001079502 別の会社";
  EXPECT_EQ(Try(o, accept, people.at("kaikei")).status().code(), Code::kFailedPrecondition);
}

TEST(StateMachineTest, ANewBankAccountIsConfirmedByTheAccountingOfficeOnly) {
  const auto people = People();
  PaymentOrder o = OrderIn(S::kAccountingReview);
  o.bank_account = "0005:123:1:1234567";
  o.match.push_back(
      {"bank_account", MatchStatus::kMismatch, "0009:999:1:7654321", "0005:123:1:1234567"});
  EXPECT_EQ(Try(o, GoodRequest(A::kAccept), people.at("kaikei")).status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(Try(o, GoodRequest(A::kConfirmBankAccount), people.at("kato")).status().code(),
            Code::kPermissionDenied);
  // Not while the vendor itself is an unsettled ×.
  PaymentOrder other_vendor = o;
  other_vendor.match[0].status = MatchStatus::kMismatch;
  EXPECT_EQ(
      Try(other_vendor, GoodRequest(A::kConfirmBankAccount), people.at("kaikei")).status().code(),
      Code::kFailedPrecondition);
  ActionRequest r = GoodRequest(A::kConfirmBankAccount);
  r.comment = "口座変更届（11/1付、代表者印）を受領";
  auto d = Try(o, r, people.at("kaikei"));
  ASSERT_OK(d);
  Apply(**d, r, people.at("kaikei"), {kNow, kToday, std::nullopt}, &o);
  EXPECT_EQ(o.bank_account, "0009:999:1:7654321");  // paid to the confirmed account
  EXPECT_EQ(o.history.back().action, "confirm_bank_account");
  EXPECT_OK(Try(o, GoodRequest(A::kAccept, o.version), people.at("kaikei")));
  // Or the accounting office returns the order instead.
  PaymentOrder back = OrderIn(S::kAccountingReview);
  back.match.push_back(
      {"bank_account", MatchStatus::kMismatch, "0009:999:1:7654321", "0005:123:1:1234567"});
  EXPECT_OK(Try(back, GoodRequest(A::kReturn), people.at("kaikei")));
}

TEST(StateMachineTest, SubstituteActsAtAStepAndIsRecordedAsDaiketsu) {
  auto people = People();
  PaymentOrder o = OrderIn(S::kPendingApproval);
  o.version = 1;
  const RouteConfig routes;  // default: 部長 for 課長, 副市長 for 部長
  auto act = [&](A action, const std::string& who) {
    ActionRequest r = GoodRequest(action, o.version);
    auto d = Try(o, r, people.at(who), routes);
    if (d.ok()) Apply(**d, r, people.at(who), {kNow, kToday, std::nullopt}, &o);
    return d.status();
  };
  ASSERT_OK(act(A::kApprove, "bucho"));  // 代決 for the absent 課長
  EXPECT_EQ(o.route[0].approved_by, "bucho");
  EXPECT_EQ(o.route[0].substitute_for, "課長");
  EXPECT_EQ(o.history.back().step, "課長");
  EXPECT_EQ(o.history.back().substitute_for, "課長");
  // The same 部長 does not also take the 部長 step of this round.
  EXPECT_EQ(act(A::kApprove, "bucho").code(), Code::kPermissionDenied);
  // 課長 never stands in for 部長; the 副市長 may.
  EXPECT_EQ(act(A::kApprove, "kacho").code(), Code::kPermissionDenied);
  ASSERT_OK(act(A::kApprove, "fuku"));
  EXPECT_EQ(o.state, S::kAccountingReview);
  EXPECT_EQ(o.history.back().substitute_for, "部長");
  const nlohmann::json j = ToJson(o);
  EXPECT_EQ(j["route"][0]["substitute_for"], "課長");
  EXPECT_EQ(j["history"].back()["substitute_for"], "部長");
  auto back = PaymentOrderFromJson(j);
  ASSERT_OK(back);
  EXPECT_EQ(ToJson(*back), j);
}

TEST(StateMachineTest, SubstituteMustBeConfiguredAndOfTheOrdersDepartment) {
  auto people = People();
  people["bucho2"] = User{"bucho2", "bucho2", "doboku", {Role::kApprover}, "部長", true};
  const PaymentOrder o = OrderIn(S::kPendingApproval);
  const ActionRequest r = GoodRequest(A::kApprove);
  // Not configured: 副市長 for 課長 (not transitive through 部長).
  EXPECT_EQ(Try(o, r, people.at("fuku")).status().code(), Code::kPermissionDenied);
  // Another department's 部長.
  const auto foreign = Try(o, r, people.at("bucho2"));
  EXPECT_EQ(foreign.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(foreign.status().message(), "他の課の支出命令は決裁できません");
  // Configured otherwise: 副市長 for 課長 (any department); none at all.
  RouteConfig custom;
  custom.substitutes = {{"課長", {"副市長"}}};
  EXPECT_OK(Try(o, r, people.at("fuku"), custom));
  EXPECT_EQ(Try(o, r, people.at("bucho"), custom).status().code(), Code::kPermissionDenied);
  RouteConfig off;
  off.substitutes.clear();
  const auto refused = Try(o, r, people.at("bucho"), off);
  EXPECT_EQ(refused.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(refused.status().message(), "この決裁は課長が行います");
  // The drafter never approves their own order, as a substitute neither.
  PaymentOrder own = o;
  own.drafter = "bucho";
  EXPECT_EQ(Try(own, r, people.at("bucho")).status().code(), Code::kPermissionDenied);
}

TEST(StateMachineTest, AcknowledgementsOfAnOlderKuraCoverNoMismatch) {
  PaymentOrder o = OrderIn(S::kDraft);
  o.match[1].status = MatchStatus::kMismatch;
  nlohmann::json j = ToJson(o);
  j["acknowledgements"] = nlohmann::json::array({{{"field", "address"},
                                                  {"comment", "旧形式"},
                                                  {"by", "kato"},
                                                  {"at", "2026-05-01T00:00:00Z"}}});
  j["route"][0].erase("substitute_for");
  auto old = PaymentOrderFromJson(j);
  ASSERT_OK(old);
  EXPECT_EQ(old->acknowledgements.size(), 1u);
  EXPECT_EQ(old->UnacknowledgedMismatches(), std::vector<std::string>{"address"});
}

}  // namespace
}  // namespace workflow
