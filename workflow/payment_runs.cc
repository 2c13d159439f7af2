// The life of a recorded payment run (payments.h): record, confirm,
// cancel, list, and the stored files.
#include <cstdio>
#include <string>
#include <vector>

#include "base/json.h"
#include "signing/sha256.h"
#include "workflow/access.h"
#include "workflow/internal/json_util.h"
#include "workflow/internal/store.h"
#include "workflow/internal/workflow_rep.h"
#include "workflow/payments.h"
#include "workflow/state_machine.h"
#include "workflow/workflow.h"

namespace workflow {

using base::Date;
using base::Result;
using base::Status;
using nlohmann::json;

json ToJson(const PaymentRunRecord& r) {
  json lines = json::array();
  for (const PaymentRunLine& l : r.lines) lines.push_back(ToJson(l));
  return {{"id", r.id},
          {"state", r.state},
          {"date", r.date.ToString()},
          {"count", r.lines.size()},
          {"total", r.total},
          {"lines", std::move(lines)},
          {"zengin_sha256", r.zengin_sha256},
          {"csv_sha256", r.csv_sha256},
          {"created_by", r.created_by},
          {"created_at", base::FormatRfc3339(r.created_at)},
          {"closed_by", r.closed_by},
          {"closed_at", r.closed_at ? json(base::FormatRfc3339(*r.closed_at)) : json(nullptr)},
          {"cancel_reason", r.cancel_reason}};
}

Result<PaymentRunRecord> PaymentRunRecordFromJson(const json& j) {
  PaymentRunRecord r;
  RETURN_IF_ERROR(internal::Decode("支払処理の記録", [&] {
    r.id = j.at("id").get<std::string>();
    r.state = j.at("state").get<std::string>();
    r.date = internal::DateAt(j, "date");
    r.total = j.at("total").get<uint64_t>();
    for (const json& l : j.at("lines")) {
      r.lines.push_back({l.at("order_id").get<std::string>(), l.at("department").get<std::string>(),
                         l.at("vendor_id").get<std::string>(),
                         l.at("vendor_name").get<std::string>(),
                         l.at("bank_account").get<std::string>(),
                         l.at("account_holder").get<std::string>(),
                         internal::DecimalAt(l, "amount")});
    }
    r.zengin_sha256 = j.at("zengin_sha256").get<std::string>();
    r.csv_sha256 = j.at("csv_sha256").get<std::string>();
    r.created_by = j.at("created_by").get<std::string>();
    r.created_at = internal::TimeAt(j, "created_at");
    r.closed_by = j.at("closed_by").get<std::string>();
    if (!j.at("closed_at").is_null()) r.closed_at = internal::TimeAt(j, "closed_at");
    r.cancel_reason = j.at("cancel_reason").get<std::string>();
  }));
  return r;
}

namespace {

std::string RunId(int fiscal_year, uint64_t seq) {
  char id[32];
  std::snprintf(id, sizeof id, "R%d-%04llu", fiscal_year, static_cast<unsigned long long>(seq));
  return id;
}

Result<PaymentRunRecord> LoadRun(const storage::ReadTxn& txn, const internal::Tables& t,
                                 std::string_view id) {
  ASSIGN_OR_RETURN(const json j, internal::GetRecord(txn, t.payment_runs, id,
                                                     "支払処理がありません: " +
                                                         internal::Shown(id)));
  return PaymentRunRecordFromJson(j);
}

// Aborted unless run r is still recorded (neither confirmed nor cancelled).
Status RequireRecorded(const PaymentRunRecord& r) {
  if (r.state == kRunConfirmed) {
    return Status::Aborted("支払処理 " + r.id + " は確定済みです。確定後は取り消せません");
  }
  if (r.state == kRunCancelled) return Status::Aborted("支払処理 " + r.id + " は取消済みです");
  return Status::OK();
}

// The run's event: e (type, actor, time) with its id, date, total, orders.
json RunEvent(json e, const PaymentRunRecord& r) {
  json orders = json::array();
  for (const PaymentRunLine& l : r.lines) {
    orders.push_back({{"order_id", l.order_id}, {"amount", l.amount.ToString()}});
  }
  e["run"] = r.id;
  e["date"] = r.date.ToString();
  e["total"] = r.total;
  e["orders"] = std::move(orders);
  return e;
}

}  // namespace

Result<std::string> Workflow::Rep::RunOf(const storage::ReadTxn& txn,
                                         std::string_view order_id) const {
  auto run = txn.Get(tables.run_orders, order_id);
  if (run.ok()) return std::string(*run);
  if (run.status().IsNotFound()) return std::string();
  return run.status();
}

Status Workflow::Rep::CheckNotInRun(const storage::ReadTxn& txn,
                                    std::string_view order_id) const {
  ASSIGN_OR_RETURN(const std::string run, RunOf(txn, order_id));
  if (run.empty()) return Status::OK();
  return Status::Aborted("支出命令 " + internal::Shown(order_id) + " は支払処理 " + run +
                         "（未確定）に含まれています。支払処理を確定するか取り消してから操作して"
                         "ください");
}

Result<PaymentRunRecord> Workflow::RecordPaymentRun(const PaymentRun& run, const User& actor) {
  if (run.lines.empty()) return Status::InvalidArgument("支払う支出命令が 1 件もありません");
  PaymentRunRecord r;
  r.date = run.date;
  r.total = run.total;
  r.lines = run.lines;
  r.zengin_sha256 = signing::Sha256(run.zengin).Hex();
  r.csv_sha256 = signing::Sha256(run.csv).Hex();
  r.created_at = rep_->clock->Now();
  RETURN_IF_ERROR(rep_->ledger->Write([&](storage::WriteTxn& txn,
                                          const ledger::AppendEvent& append) {
    const internal::Tables& t = rep_->tables;
    ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, actor));
    RETURN_IF_ERROR(MayRunPayments(me));
    for (const PaymentRunLine& l : run.lines) {
      ASSIGN_OR_RETURN(const PaymentOrder o, rep_->LoadOrder(txn, l.order_id));
      if (o.state != OrderState::kAccepted) {
        return Status::Aborted("支出命令 " + o.id + " は支払待ちではなくなりました（" +
                               StateLabel(o.state) + "）。支払処理をやり直してください");
      }
      RETURN_IF_ERROR(rep_->CheckNotInRun(txn, o.id));
      RETURN_IF_ERROR(rep_->CheckNoDuplicate(txn, o.id));
    }
    ASSIGN_OR_RETURN(const uint64_t seq,
                     internal::NextSeq(txn, t, "payment_run", base::FiscalYearOf(run.date)));
    r.id = RunId(base::FiscalYearOf(run.date), seq);
    r.created_by = me.login;
    r.state = kRunRecorded;
    RETURN_IF_ERROR(txn.Insert(t.payment_runs, r.id, base::DumpJson(ToJson(r))));
    RETURN_IF_ERROR(txn.Put(t.payment_files, r.id + "/zengin", run.zengin));
    RETURN_IF_ERROR(txn.Put(t.payment_files, r.id + "/csv", run.csv));
    for (const PaymentRunLine& l : run.lines) {
      RETURN_IF_ERROR(txn.Put(t.run_orders, l.order_id, r.id));
    }
    json event = RunEvent(rep_->Event("workflow.payment_run.recorded", me, r.created_at), r);
    event["zengin_sha256"] = r.zengin_sha256;
    event["csv_sha256"] = r.csv_sha256;
    return append(event).status();
  }));
  return r;
}

Result<PaymentRunRecord> Workflow::ConfirmPaymentRun(std::string_view id, const User& actor) {
  const base::Time now = rep_->clock->Now();
  const ApplyContext apply{now, Date::InJapan(now), std::nullopt};
  PaymentRunRecord out;
  RETURN_IF_ERROR(rep_->ledger->Write([&](storage::WriteTxn& txn,
                                          const ledger::AppendEvent& append) {
    const internal::Tables& t = rep_->tables;
    ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, actor));
    RETURN_IF_ERROR(MayRunPayments(me));
    ASSIGN_OR_RETURN(PaymentRunRecord r, LoadRun(txn, t, id));
    RETURN_IF_ERROR(RequireRecorded(r));
    // Each order is paid as the pay action would pay it (its guards, its
    // event), naming the run; the bank has made the transfers.
    for (const PaymentRunLine& l : r.lines) {
      ASSIGN_OR_RETURN(const PaymentOrder o, rep_->LoadOrder(txn, l.order_id));
      RETURN_IF_ERROR(txn.Delete(t.run_orders, l.order_id));
      PaymentOrder paid;
      Commitment commitment;
      const Status s = rep_->ActInWrite(txn, append, me, apply, l.order_id,
                                        ActionRequest{Action::kPay, o.version}, {{"payment_run", r.id}},
                                        &paid, &commitment);
      RETURN_IF_ERROR(s.WithContext("支払処理 " + r.id + " を確定できません（支出命令 " +
                                    l.order_id + "）"));
    }
    r.state = kRunConfirmed;
    r.closed_by = me.login;
    r.closed_at = now;
    RETURN_IF_ERROR(internal::PutRecord(txn, t.payment_runs, r.id, ToJson(r)));
    RETURN_IF_ERROR(
        append(RunEvent(rep_->Event("workflow.payment_run.confirmed", me, now), r)).status());
    out = std::move(r);
    return Status::OK();
  }));
  return out;
}

Result<PaymentRunRecord> Workflow::CancelPaymentRun(std::string_view id, std::string_view reason,
                                                    const User& actor) {
  const std::string why = internal::Clean(reason);
  if (why.find_first_not_of(" \t\r\n") == std::string::npos || why == "\u3000") {
    return Status::InvalidArgument("取消の理由を入力してください");
  }
  const base::Time now = rep_->clock->Now();
  PaymentRunRecord out;
  RETURN_IF_ERROR(rep_->ledger->Write([&](storage::WriteTxn& txn,
                                          const ledger::AppendEvent& append) {
    const internal::Tables& t = rep_->tables;
    ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, actor));
    RETURN_IF_ERROR(MayRunPayments(me));
    ASSIGN_OR_RETURN(PaymentRunRecord r, LoadRun(txn, t, id));
    RETURN_IF_ERROR(RequireRecorded(r));
    for (const PaymentRunLine& l : r.lines) {
      RETURN_IF_ERROR(txn.Delete(t.run_orders, l.order_id));
    }
    r.state = kRunCancelled;
    r.closed_by = me.login;
    r.closed_at = now;
    r.cancel_reason = why;
    RETURN_IF_ERROR(internal::PutRecord(txn, t.payment_runs, r.id, ToJson(r)));
    json event = RunEvent(rep_->Event("workflow.payment_run.cancelled", me, now), r);
    event["reason"] = why;
    RETURN_IF_ERROR(append(event).status());
    out = std::move(r);
    return Status::OK();
  }));
  return out;
}

Result<std::vector<PaymentRunRecord>> Workflow::ListPaymentRuns(const User& viewer) const {
  std::vector<PaymentRunRecord> runs;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) -> Status {
    runs.clear();
    ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, viewer));
    RETURN_IF_ERROR(MayReadPaymentRuns(me));
    return internal::ForEach(txn, rep_->tables.payment_runs,
                             [&](std::string_view key, std::string_view bytes) -> Status {
                               ASSIGN_OR_RETURN(const json j, internal::ParseRecord(
                                                                  rep_->tables.payment_runs, key,
                                                                  bytes));
                               ASSIGN_OR_RETURN(PaymentRunRecord r, PaymentRunRecordFromJson(j));
                               runs.push_back(std::move(r));
                               return Status::OK();
                             });
  }));
  // Ids are R<fiscal year>-<seq>: newest first is the reverse of the
  // created times (the ids of two fiscal years do not sort by creation).
  std::stable_sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) {
    return a.created_at != b.created_at ? b.created_at < a.created_at : b.id < a.id;
  });
  return runs;
}

Result<PaymentRunRecord> Workflow::GetPaymentRun(std::string_view id, const User& viewer) const {
  PaymentRunRecord r;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, viewer));
    RETURN_IF_ERROR(MayReadPaymentRuns(me));
    ASSIGN_OR_RETURN(r, LoadRun(txn, rep_->tables, id));
    return Status::OK();
  }));
  return r;
}

Result<std::string> Workflow::PaymentRunFile(std::string_view id, std::string_view kind,
                                             const User& viewer) const {
  if (kind != "zengin" && kind != "csv") {
    return Status::NotFound("支払処理のファイルは zengin か csv です");
  }
  std::string bytes;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, viewer));
    RETURN_IF_ERROR(MayReadPaymentRuns(me));
    RETURN_IF_ERROR(LoadRun(txn, rep_->tables, id).status());
    ASSIGN_OR_RETURN(const std::string_view stored,
                     internal::GetRecordBytes(txn, rep_->tables.payment_files,
                                              std::string(id) + "/" + std::string(kind),
                                              "支払処理のファイルがありません"));
    bytes.assign(stored);
    return Status::OK();
  }));
  return bytes;
}

}  // namespace workflow
