// Retention: legal holds, and disposal by two different compliance
// officers (request, then approval that disposes through
// Archive::Dispose in the same write).
#include "archive/document.h"
#include "base/json.h"
#include "base/text.h"
#include "base/utf8.h"
#include "ledger/event_types.h"
#include "retention/internal/retention_rep.h"
#include "retention/retention.h"
#include "workflow/access.h"

namespace retention {

using base::Result;
using base::Status;
using nlohmann::json;

namespace {

// Why document d may not be disposed of now; OK if it may.
Status MayDispose(const DocumentRetention& d) {
  if (d.disposed) return Status::FailedPrecondition(d.id + " は既に廃棄済みです");
  if (!d.holds.empty()) {
    std::string ids;
    for (const std::string& h : d.holds) ids += (ids.empty() ? "" : "、") + h;
    return Status::FailedPrecondition(d.id + " は法的保存（" + ids +
                                      "）の対象のため廃棄できません。保存を解除してから申請してください");
  }
  if (!d.expired) {
    return Status::FailedPrecondition(d.id + " は保存期間中のため廃棄できません（保存期限 " +
                                      d.retain_until.ToString() + "）");
  }
  return Status::OK();
}

Status CheckHoldRequest(const HoldRequest& r) {
  if (r.reason.empty()) return Status::InvalidArgument("法的保存の理由を入力してください");
  if (r.documents.empty() == r.query.empty()) {
    return Status::InvalidArgument(
        "法的保存の対象は、文書IDか検索条件のどちらか一方で指定してください");
  }
  if (!r.query.empty()) RETURN_IF_ERROR(archive::SearchQueryFromParams(r.query).status());
  return Status::OK();
}

}  // namespace

Result<Hold> Retention::PlaceHold(const HoldRequest& request, const workflow::User& actor) {
  RETURN_IF_ERROR(workflow::MayManageRetention(actor));
  RETURN_IF_ERROR(rep_->Writable());
  ASSIGN_OR_RETURN(const std::string kind, ParseHoldKind(request.kind));
  RETURN_IF_ERROR(CheckHoldRequest(request));
  const base::Time now = rep_->clock->Now();
  Hold h;
  RETURN_IF_ERROR(rep_->archive->ledger().Write([&](storage::WriteTxn& txn,
                                                    const ledger::AppendEvent& append) -> Status {
    h = Hold{};
    h.kind = kind;
    h.reason = base::ToValidUtf8(request.reason);
    for (const std::string& id : request.documents) {
      ASSIGN_OR_RETURN(const archive::DocumentView v, rep_->archive->Get(txn, id));
      h.documents.push_back(archive::FormatDocumentId(v.document.seq));
    }
    h.query = request.query;
    h.placed_by = actor.login;
    h.placed_at = now;
    ASSIGN_OR_RETURN(const uint64_t n, rep_->NextSeq(txn, "hold"));
    h.id = FormatId('H', n);
    const json record = ToJson(h);
    RETURN_IF_ERROR(txn.Put(*rep_->holds, h.id, base::DumpJson(record)));
    return append(json{{"type", ledger::event::kRetentionHoldPlaced},
                       {"hold", record},
                       {"actor", actor.login},
                       {"time", base::FormatRfc3339(now)}})
        .status();
  }));
  return h;
}

Result<Hold> Retention::ReleaseHold(std::string_view hold_id, const std::string& reason,
                                    const workflow::User& actor) {
  RETURN_IF_ERROR(workflow::MayManageRetention(actor));
  RETURN_IF_ERROR(rep_->Writable());
  if (reason.empty()) return Status::InvalidArgument("解除の理由を入力してください");
  const base::Time now = rep_->clock->Now();
  Hold h;
  RETURN_IF_ERROR(rep_->archive->ledger().Write([&](storage::WriteTxn& txn,
                                                    const ledger::AppendEvent& append) -> Status {
    ASSIGN_OR_RETURN(const std::optional<json> j, GetJson(txn, rep_->holds, hold_id));
    if (!j) {
      return Status::NotFound("法的保存 " + base::DisplayName(hold_id, 20) + " はありません");
    }
    ASSIGN_OR_RETURN(h, HoldFromJson(*j));
    if (!h.active) return Status::FailedPrecondition(h.id + " は既に解除されています");
    h.active = false;
    h.released_by = actor.login;
    h.released_at = now;
    h.release_reason = base::ToValidUtf8(reason);
    RETURN_IF_ERROR(txn.Put(*rep_->holds, h.id, base::DumpJson(ToJson(h))));
    return append(json{{"type", ledger::event::kRetentionHoldReleased},
                       {"hold", h.id},
                       {"reason", h.release_reason},
                       {"actor", actor.login},
                       {"time", base::FormatRfc3339(now)}})
        .status();
  }));
  return h;
}

Result<std::vector<Hold>> Retention::ListHolds(bool include_released,
                                               const workflow::User& actor) const {
  RETURN_IF_ERROR(workflow::MayReadRetention(actor));
  std::vector<Hold> out;
  RETURN_IF_ERROR(rep_->archive->ledger().Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(std::vector<Hold> all, rep_->AllHolds(txn));
    for (Hold& h : all) {
      if (include_released || h.active) out.push_back(std::move(h));
    }
    return Status::OK();
  }));
  return out;
}

Result<DisposalRequest> Retention::RequestDisposal(std::string_view id, const std::string& reason,
                                                   const workflow::User& actor) {
  RETURN_IF_ERROR(workflow::MayManageRetention(actor));
  RETURN_IF_ERROR(rep_->Writable());
  if (reason.empty()) return Status::InvalidArgument("廃棄の理由を入力してください");
  const base::Time now = rep_->clock->Now();
  DisposalRequest r;
  RETURN_IF_ERROR(rep_->archive->ledger().Write([&](storage::WriteTxn& txn,
                                                    const ledger::AppendEvent& append) -> Status {
    ASSIGN_OR_RETURN(const Standing standing, rep_->Load(txn));
    ASSIGN_OR_RETURN(const DocumentRetention d, rep_->Evaluate(txn, id, standing));
    RETURN_IF_ERROR(MayDispose(d));
    if (d.request) {
      return Status::AlreadyExists(d.id + " には承認待ちの廃棄申請 " + d.request->id +
                                   " があります");
    }
    r = DisposalRequest{};
    ASSIGN_OR_RETURN(const uint64_t n, rep_->NextSeq(txn, "request"));
    r.id = FormatId('R', n);
    r.document = d.id;
    r.reason = base::ToValidUtf8(reason);
    r.requested_by = actor.login;
    r.requested_at = now;
    r.retain_until = d.retain_until.ToString();
    r.document_class = d.document_class;
    const json record = ToJson(r);
    RETURN_IF_ERROR(txn.Put(*rep_->disposals, r.id, base::DumpJson(record)));
    return append(json{{"type", ledger::event::kRetentionDisposalRequested},
                       {"request", record},
                       {"actor", actor.login},
                       {"time", base::FormatRfc3339(now)}})
        .status();
  }));
  return r;
}

Result<DisposalRequest> Retention::ApproveDisposal(std::string_view request_id,
                                                   const workflow::User& actor,
                                                   bool* bytes_removed) {
  RETURN_IF_ERROR(workflow::MayManageRetention(actor));
  RETURN_IF_ERROR(rep_->Writable());
  // Read first for the document and the decision that needs no
  // transaction; everything is checked again inside the write.
  DisposalRequest r;
  DocumentRetention before;
  RETURN_IF_ERROR(rep_->archive->ledger().Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(const std::optional<json> j, GetJson(txn, rep_->disposals, request_id));
    if (!j) {
      return Status::NotFound("廃棄申請 " + base::DisplayName(request_id, 20) + " はありません");
    }
    ASSIGN_OR_RETURN(r, RequestFromJson(*j));
    ASSIGN_OR_RETURN(before, rep_->Evaluate(txn, r.document, Standing{}));
    return Status::OK();
  }));
  if (r.requested_by == actor.login) {
    return Status::PermissionDenied(
        "廃棄は申請した本人とは別の文書管理担当者が承認してください（二人で確認します）");
  }
  const base::Time now = rep_->clock->Now();
  archive::Tombstone disposal;
  disposal.requested_by = r.requested_by;
  disposal.approved_by = actor.login;
  disposal.reason = r.reason;
  DisposalRequest done;
  auto hook = [&](storage::WriteTxn& txn, const ledger::AppendEvent& append,
                  const archive::DocumentView&) -> Status {
    ASSIGN_OR_RETURN(const std::optional<json> j, GetJson(txn, rep_->disposals, r.id));
    if (!j) return Status::NotFound("廃棄申請 " + r.id + " はありません");
    ASSIGN_OR_RETURN(done, RequestFromJson(*j));
    if (done.state != "requested") {
      return Status::FailedPrecondition(done.id + " は既に処理されています");
    }
    ASSIGN_OR_RETURN(const Standing standing, rep_->Load(txn));
    ASSIGN_OR_RETURN(DocumentRetention d, rep_->Evaluate(txn, done.document, standing));
    d.disposed = false;  // the archive's tombstone of this very write
    RETURN_IF_ERROR(MayDispose(d));
    done.state = "disposed";
    done.approved_by = actor.login;
    done.approved_at = now;
    RETURN_IF_ERROR(txn.Put(*rep_->disposals, done.id, base::DumpJson(ToJson(done))));
    return append(json{{"type", ledger::event::kRetentionDisposalApproved},
                       {"request", done.id},
                       {"document", done.document},
                       {"requested_by", done.requested_by},
                       {"actor", actor.login},
                       {"time", base::FormatRfc3339(now)}})
        .status();
  };
  // The tombstone's details: what the schedule said, as the request saw it.
  disposal.details = json{{"request", r.id},
                          {"class", r.document_class},
                          {"transaction_date", before.transaction_date.ToString()},
                          {"date_source", before.date_source},
                          {"retain_until", before.retain_until.ToString()},
                          {"requested_at", base::FormatRfc3339(r.requested_at)}};
  RETURN_IF_ERROR(rep_->archive->Dispose(r.document, disposal, hook, bytes_removed).status());
  return done;
}

Result<std::vector<DisposalRequest>> Retention::ListDisposals(bool include_done,
                                                              const workflow::User& actor) const {
  RETURN_IF_ERROR(workflow::MayReadRetention(actor));
  std::vector<DisposalRequest> out;
  RETURN_IF_ERROR(rep_->archive->ledger().Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(std::vector<DisposalRequest> all, rep_->AllRequests(txn));
    for (DisposalRequest& r : all) {
      if (include_done || r.state == "requested") out.push_back(std::move(r));
    }
    return Status::OK();
  }));
  return out;
}

}  // namespace retention
