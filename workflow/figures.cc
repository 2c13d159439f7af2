// Workflow::GetFigures (効果の見える化, figures.h) and its JSON.
//
// What it costs. A request reads (1) every current search row first
// received in the period, from the receive-date index in pages of 1,000
// (one read transaction each: a document received meanwhile is counted or
// not, never twice); (2) the rows of the period that still need input,
// each with one lookup of its payment order (the workflow's state filter);
// (3) every payment order of the fiscal years FY(from) − 1 … FY(to) + 1,
// each parsed from its JSON record (order ids begin with the fiscal year of
// their commitment, so the older years are skipped by key). For a city of
// about 50,000 invoices and as many orders a year that is some 150,000
// records for one year — on the order of a second. It is for a few
// managers now and then, never for the home screen or anything polled;
// nothing of it is kept.
#include "workflow/figures.h"

#include <algorithm>
#include <functional>
#include <map>
#include <string_view>

#include "archive/search.h"
#include "workflow/access.h"
#include "workflow/internal/json_util.h"
#include "workflow/internal/workflow_rep.h"
#include "workflow/workflow.h"

namespace workflow {

using base::Date;
using base::Result;
using base::Status;
using nlohmann::json;

namespace {

// The formats whose documents carry the invoice as data (XML, or a PDF with
// its XML embedded): nobody types their keys.
constexpr std::string_view kElectronicFormats[] = {"jp-pint", "peppol-bis", "xrechnung", "ubl",
                                                   "cii",     "factur-x",   "zugferd"};

bool IsElectronic(std::string_view format) {
  return std::find(std::begin(kElectronicFormats), std::end(kElectronicFormats), format) !=
         std::end(kElectronicFormats);
}

std::string MonthOf(Date d) { return d.ToString().substr(0, 7); }

json MonthJson(const MonthFigures& m) {
  json j = {{"received", m.received},
            {"electronic", m.electronic},
            {"paper", m.paper},
            {"paid", m.paid},
            {"paid_late", m.paid_late},
            {"median_days_to_payment",
             m.median_days_to_payment ? json(*m.median_days_to_payment) : json(nullptr)},
            {"waiting_for_input", m.waiting_for_input}};
  if (!m.month.empty()) j["month"] = m.month;
  return j;
}

// Calls fn for every hit of q, page by page (q's limit, sort and cursor
// are set here).
Status ForEachHit(const archive::Archive& archive, archive::SearchQuery q,
                  const std::function<void(const archive::SearchItem&)>& fn) {
  q.sort = archive::SearchSort::kReceived;
  q.limit = 1000;
  q.count = false;
  while (true) {
    ASSIGN_OR_RETURN(archive::SearchResult page, archive.Search(q));
    for (const archive::SearchItem& item : page.items) fn(item);
    if (!page.next) return Status::OK();
    q.after = *page.next;
  }
}

// True if field m was × on order o at some point: it is now, or a clerk
// acknowledged it, or the accounting office settled it (the vendor
// overridden, a new bank account confirmed) — after which the current
// match may show ○.
bool WasMismatch(const PaymentOrder& o, const FieldMatch& m) {
  if (m.status == MatchStatus::kMismatch) return true;
  for (const Acknowledgement& a : o.acknowledgements) {
    if (a.field == m.field) return true;
  }
  const std::string_view settled = m.field == "vendor"         ? "override_vendor"
                                   : m.field == "bank_account" ? "confirm_bank_account"
                                                               : "";
  if (settled.empty()) return false;
  for (const HistoryEntry& h : o.history) {
    if (h.action == settled) return true;
  }
  return false;
}

// The figures being gathered: months by "YYYY-MM", days to payment per
// month, × counts per field in the order fields were first seen.
struct Tally {
  std::map<std::string, MonthFigures> months;
  std::map<std::string, std::vector<int>> days;
  std::vector<FieldMismatchRate> rates;
  uint64_t orders_drafted = 0;

  MonthFigures* Month(const std::string& month) {
    auto it = months.find(month);
    return it == months.end() ? nullptr : &it->second;
  }
  FieldMismatchRate& Rate(const std::string& field) {
    for (FieldMismatchRate& r : rates) {
      if (r.field == field) return r;
    }
    rates.push_back(FieldMismatchRate{field, 0, 0, 0});
    return rates.back();
  }
};

// One order's part: its payment, if in the period, and its match, if
// drafted in the period.
void CountOrder(const PaymentOrder& o, Date from, Date to, Tally* tally) {
  if (o.state == OrderState::kPaid && o.clock.paid_on && *o.clock.paid_on >= from &&
      *o.clock.paid_on <= to) {
    const std::string month = MonthOf(*o.clock.paid_on);
    if (MonthFigures* m = tally->Month(month)) {
      ++m->paid;
      if (Classify(o.clock, *o.clock.paid_on) == DeadlineStatus::kPaidLate) ++m->paid_late;
      tally->days[month].push_back(base::DaysBetween(o.clock.received_on, *o.clock.paid_on));
    }
  }
  const Date drafted = Date::InJapan(o.created_at);
  if (o.state == OrderState::kWithdrawn || drafted < from || drafted > to) return;
  ++tally->orders_drafted;
  for (const FieldMatch& m : o.match) {
    FieldMismatchRate& r = tally->Rate(m.field);
    ++r.orders;
    if (WasMismatch(o, m)) ++r.mismatch;
    if (m.status == MatchStatus::kMissing) ++r.missing;
  }
}

Figures Summarise(Tally tally, Date from, Date to, std::string department) {
  Figures f;
  f.from = from;
  f.to = to;
  f.department = std::move(department);
  std::vector<int> all_days;
  for (auto& [month, m] : tally.months) {
    std::vector<int>& days = tally.days[month];
    all_days.insert(all_days.end(), days.begin(), days.end());
    m.median_days_to_payment = Median(&days);
    f.totals.received += m.received;
    f.totals.electronic += m.electronic;
    f.totals.paper += m.paper;
    f.totals.paid += m.paid;
    f.totals.paid_late += m.paid_late;
    f.totals.waiting_for_input += m.waiting_for_input;
    f.months.push_back(m);
  }
  f.totals.median_days_to_payment = Median(&all_days);
  f.orders_drafted = tally.orders_drafted;
  f.mismatch_rates = std::move(tally.rates);
  return f;
}

Status CheckPeriod(Date from, Date to) {
  if (from > to) {
    return Status::InvalidArgument("期間: 開始日（from）が終了日（to）より後になっています");
  }
  if (base::DaysBetween(from, to) >= kFiguresMaxDays) {
    return Status::InvalidArgument("期間: 一度に見られるのは3年までです。期間を短くしてください");
  }
  return Status::OK();
}

}  // namespace

Result<FiguresQuery> FiguresQueryFromParams(
    const std::vector<std::pair<std::string, std::string>>& params) {
  FiguresQuery q;
  for (const auto& [name, value] : params) {
    if (name == "from" || name == "to") {
      auto d = Date::Parse(value);
      if (!d.ok()) {
        return Status::InvalidArgument(name + ": 日付は YYYY-MM-DD の形で指定してください（" +
                                       internal::Shown(value) + "）");
      }
      (name == "from" ? q.from : q.to) = *d;
    } else if (name == "department") {
      q.department = value;
    } else {
      return Status::InvalidArgument(internal::Shown(name) +
                                     ": 使えない条件です（from、to、department が使えます）");
    }
  }
  return q;
}

std::optional<double> Median(std::vector<int>* values) {
  if (values->empty()) return std::nullopt;
  std::sort(values->begin(), values->end());
  const size_t n = values->size();
  if (n % 2 == 1) return (*values)[n / 2];
  return ((*values)[n / 2 - 1] + (*values)[n / 2]) / 2.0;
}

json ToJson(const Figures& f) {
  json months = json::array();
  for (const MonthFigures& m : f.months) months.push_back(MonthJson(m));
  json rates = json::array();
  for (const FieldMismatchRate& r : f.mismatch_rates) {
    rates.push_back(
        {{"field", r.field}, {"orders", r.orders}, {"mismatch", r.mismatch}, {"missing", r.missing}});
  }
  return {{"from", f.from.ToString()},
          {"to", f.to.ToString()},
          {"department", f.department},
          {"months", std::move(months)},
          {"totals", MonthJson(f.totals)},
          {"orders_drafted", f.orders_drafted},
          {"mismatch_rates", std::move(rates)}};
}

Result<Figures> Workflow::GetFigures(FiguresQuery q, const User& viewer) const {
  RETURN_IF_ERROR(MayViewFigures(viewer));
  const std::string scope = ReadScope(viewer);
  if (!scope.empty() && q.department.empty()) q.department = scope;
  if (!q.department.empty()) RETURN_IF_ERROR(CheckRead(viewer, q.department));
  const Date today = Date::InJapan(rep_->clock->Now());
  const Date from = q.from.value_or(base::FiscalYearStart(base::FiscalYearOf(today)));
  const Date to = q.to.value_or(today);
  RETURN_IF_ERROR(CheckPeriod(from, to));

  Tally tally;
  for (Date d = from; d <= to; d = d.AddDays(28)) tally.months[MonthOf(d)].month = MonthOf(d);
  tally.months[MonthOf(to)].month = MonthOf(to);

  archive::SearchQuery received;
  received.received_from = from;
  received.received_to = to;
  received.department = q.department;
  RETURN_IF_ERROR(ForEachHit(*rep_->archive, received, [&](const archive::SearchItem& item) {
    if (MonthFigures* m = tally.Month(item.received_date.substr(0, 7))) {
      ++m->received;
      ++(IsElectronic(item.format) ? m->electronic : m->paper);
    }
  }));
  archive::SearchQuery waiting = received;
  waiting.needs_metadata = true;
  RETURN_IF_ERROR(NarrowToState(&waiting, "received"));
  RETURN_IF_ERROR(ForEachHit(*rep_->archive, waiting, [&](const archive::SearchItem& item) {
    if (MonthFigures* m = tally.Month(item.received_date.substr(0, 7))) ++m->waiting_for_input;
  }));

  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(storage::Cursor cursor, txn.NewCursor(rep_->tables.orders));
    for (int fy = base::FiscalYearOf(from) - 1; fy <= base::FiscalYearOf(to) + 1; ++fy) {
      const std::string prefix = "P" + std::to_string(fy) + "-";
      for (bool ok = cursor.Seek(prefix); ok && cursor.key().starts_with(prefix);
           ok = cursor.Next()) {
        ASSIGN_OR_RETURN(const PaymentOrder o, rep_->LoadOrder(txn, cursor.key()));
        if (q.department.empty() || o.department == q.department) CountOrder(o, from, to, &tally);
      }
      RETURN_IF_ERROR(cursor.status());
    }
    return Status::OK();
  }));
  return Summarise(std::move(tally), from, to, q.department);
}

}  // namespace workflow
