#include "app/demo_history.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>

#include "archive/archive.h"
#include "workflow/workflow.h"

namespace app {

using base::Status;
using workflow::Action;

namespace {

// A time in Japan (UTC+9) on day d.
base::Time AtJst(base::Date d, int hour, int minute) {
  const int64_t seconds = int64_t{d.DaysSinceEpoch()} * 86400 + (hour - 9) * 3600 + minute * 60;
  return base::FromUnixMicros(seconds * 1'000'000);
}

// How far an order of the demo gets, and how many days after the receipt
// its last step happens.
enum class Scenario { kPaidLate, kPaid, kAccepted, kReview, kPending, kReturned, kDraft };

int DaysNeeded(Scenario s) {
  switch (s) {
    case Scenario::kPaidLate: return 36;  // past the 30 days of 支払遅延防止法
    case Scenario::kPaid: return 9;
    case Scenario::kAccepted: return 6;
    case Scenario::kReview:
    case Scenario::kReturned: return 3;
    case Scenario::kPending: return 2;
    case Scenario::kDraft: return 1;
  }
  return 1;
}

// somu, the department the README's walk-through logs in to, gets one order
// at every step; the others a few, so that 課長, 部長 and 会計室 all have work.
std::vector<Scenario> ScenariosOf(const std::string& department) {
  if (department == "somu") {
    return {Scenario::kPaidLate, Scenario::kPaid,    Scenario::kAccepted, Scenario::kReview,
            Scenario::kPending,  Scenario::kReturned, Scenario::kDraft};
  }
  if (department == "doboku") return {Scenario::kPaidLate, Scenario::kReview, Scenario::kPending};
  return {Scenario::kPaid, Scenario::kReview, Scenario::kPending};
}

struct Happening {
  base::Time at;
  size_t seq = 0;
  std::function<Status()> run;
};

// One demo order: its invoice and how far it goes.
struct Plan {
  size_t invoice = 0;
  Scenario scenario = Scenario::kDraft;
  base::Date received{2000, 1, 1};
  std::string department;
  std::string commitment;
  workflow::OrderView view;
};

class History {
 public:
  explicit History(const DemoHistoryInput& in) : in_(in), today_(base::Date::InJapan(in.clock->Now())) {}

  Status Run() {
    const base::Time end = in_.clock->Now();
    PlanReceipts();
    PlanOrders();
    std::stable_sort(happenings_.begin(), happenings_.end(),
                     [](const Happening& a, const Happening& b) { return a.at < b.at; });
    for (const Happening& h : happenings_) {
      in_.clock->Set(std::min(h.at, end));
      RETURN_IF_ERROR(h.run());
    }
    in_.clock->Set(end);
    return Status::OK();
  }

 private:
  void Add(base::Time at, std::function<Status()> run) {
    happenings_.push_back({at, happenings_.size(), std::move(run)});
  }

  void PlanReceipts() {
    const auto& invoices = *in_.invoices;
    ids_.resize(invoices.size());
    received_.assign(invoices.size(), base::Date{2000, 1, 1});
    for (size_t i = 0; i < invoices.size(); ++i) {
      received_[i] = DemoReceiptDay(invoices[i].issue_date, static_cast<int>(i), today_);
      const int n = static_cast<int>(i) + 1;
      Add(AtJst(received_[i], 9 + static_cast<int>(i % 8), static_cast<int>(i * 7 % 60)),
          [this, i, n]() -> Status {
            std::vector<archive::IncomingFile> files;
            files.push_back(in_.file_of((*in_.invoices)[i], n));
            auto results = in_.archive->Ingest(std::move(files));
            if (!results.front().ok()) return results.front().status();
            ids_[i] = results.front()->id;
            return Status::OK();
          });
    }
  }

  // Every second readable invoice of a department, oldest first, gets the
  // department's next scenario it is old enough for; the others stay
  // unprocessed (and the oldest of them overdue).
  void PlanOrders() {
    const auto& invoices = *in_.invoices;
    std::map<std::string, std::vector<size_t>> by_department;
    for (size_t i = 0; i < invoices.size(); ++i) {
      if (invoices[i].format != corpus::Format::kJpPint) continue;  // PDFs: keys entered first
      by_department[invoices[i].department_code].push_back(i);
    }
    for (auto& [department, list] : by_department) {
      std::stable_sort(list.begin(), list.end(),
                       [&](size_t a, size_t b) { return received_[a] < received_[b]; });
      std::vector<Scenario> todo = ScenariosOf(department);
      for (size_t k = 0; k < list.size() && !todo.empty(); k += 2) {
        const size_t i = list[k];
        const std::string commitment = in_.commitment_of(invoices[i]);
        if (commitment.empty()) continue;
        const int age = today_.DaysSinceEpoch() - received_[i].DaysSinceEpoch();
        auto fits = std::find_if(todo.begin(), todo.end(),
                                 [&](Scenario s) { return DaysNeeded(s) < age; });
        if (fits == todo.end()) continue;
        auto plan = std::make_shared<Plan>(Plan{i, *fits, received_[i], department, commitment, {}});
        todo.erase(fits);
        PlanSteps(plan);
      }
    }
  }

  void PlanSteps(const std::shared_ptr<Plan>& p) {
    const base::Date r = p->received;
    Add(AtJst(r.AddDays(1), 10, 0), [this, p] { return DraftOrder(p); });
    if (p->scenario == Scenario::kDraft) return;
    Add(AtJst(r.AddDays(2), 10, 30), [this, p] { return Do(p, Action::kSubmit, p->department + ".tanto"); });
    if (p->scenario == Scenario::kPending) return;
    if (p->scenario == Scenario::kReturned) {
      Add(AtJst(r.AddDays(3), 14, 0), [this, p] {
        return Do(p, Action::kReturn, p->department + ".kacho", "検収日を記入してください");
      });
      return;
    }
    Add(AtJst(r.AddDays(3), 11, 0), [this, p] { return ApproveAll(p); });
    if (p->scenario == Scenario::kReview) return;
    Add(AtJst(r.AddDays(6), 15, 0), [this, p] { return Accept(p); });
    if (p->scenario == Scenario::kAccepted) return;
    const int pay_day = p->scenario == Scenario::kPaidLate ? 36 : 9;
    Add(AtJst(r.AddDays(pay_day), 10, 0), [this, p] { return Do(p, Action::kPay, "kaikei"); });
  }

  Status DraftOrder(const std::shared_ptr<Plan>& p) {
    ASSIGN_OR_RETURN(const workflow::User clerk, in_.workflow->GetUser(p->department + ".tanto"));
    ASSIGN_OR_RETURN(p->view, in_.workflow->Draft(ids_[p->invoice], p->commitment, clerk));
    return Status::OK();
  }

  Status Do(const std::shared_ptr<Plan>& p, Action action, const std::string& who,
            const std::string& comment = "") {
    workflow::ActionRequest r;
    r.action = action;
    r.version = p->view.order.version;
    r.comment = comment;
    if (action == Action::kSubmit) {
      r.acknowledge = p->view.order.UnacknowledgedMismatches();
      if (!r.acknowledge.empty()) r.comment = "請求書と検収調書を照合しました";
    }
    if (action == Action::kAccept) {
      for (std::string_view item : workflow::kChecklistItems) {
        r.checklist.push_back({std::string(item), true, ""});
      }
    }
    ASSIGN_OR_RETURN(const workflow::User actor, in_.workflow->GetUser(who));
    ASSIGN_OR_RETURN(p->view, in_.workflow->Act(p->view.order.id, r, actor));
    return Status::OK();
  }

  // Each step of the route, twenty minutes apart: 課長, then 部長 and 副市長
  // where the amount needs them.
  Status ApproveAll(const std::shared_ptr<Plan>& p) {
    const std::vector<workflow::RouteStep> route = p->view.order.route;
    for (const workflow::RouteStep& s : route) {
      const std::string who = s.title == "課長"   ? p->department + ".kacho"
                              : s.title == "部長" ? p->department + ".bucho"
                                                  : "fukushicho";
      RETURN_IF_ERROR(Do(p, Action::kApprove, who));
      in_.clock->Advance(std::chrono::minutes(20));
    }
    return Status::OK();
  }

  // 会計審査: a changed bank account is confirmed first (the vendor's
  // notice of the new account), then the checklist.
  Status Accept(const std::shared_ptr<Plan>& p) {
    if (p->view.order.NeedsAcknowledgement("bank_account")) {
      RETURN_IF_ERROR(Do(p, Action::kConfirmBankAccount, "kaikei", "口座振替依頼書（変更届）を受領しました"));
      in_.clock->Advance(std::chrono::minutes(5));
    }
    return Do(p, Action::kAccept, "kaikei");
  }

  const DemoHistoryInput& in_;
  const base::Date today_;
  std::vector<Happening> happenings_;
  std::vector<std::string> ids_;
  std::vector<base::Date> received_;
};

}  // namespace

base::Date DemoReceiptDay(base::Date issue_date, int n, base::Date today) {
  const base::Date day = issue_date.AddDays(1 + n % 3);
  return day < today ? day : today;
}

Status SeedDemoHistory(const DemoHistoryInput& in) { return History(in).Run(); }

}  // namespace app
