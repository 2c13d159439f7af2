// Retention: open, records, where a document stands, due documents and the
// extension of retain-until. Holds and disposal are in disposal.cc.
#include "retention/retention.h"

#include <charconv>
#include <cstdio>
#include <map>

#include "archive/document.h"
#include "base/json.h"
#include "base/text.h"
#include "base/utf8.h"
#include "ledger/event_types.h"
#include "retention/internal/retention_rep.h"
#include "workflow/access.h"

namespace retention {

using base::Result;
using base::Status;
using nlohmann::json;

namespace {

json QueryJson(const std::vector<std::pair<std::string, std::string>>& query) {
  json q = json::array();
  for (const auto& [k, v] : query) q.push_back(json::array({k, v}));
  return q;
}

std::optional<std::string> OptionalTime(const std::optional<base::Time>& t) {
  if (!t) return std::nullopt;
  return base::FormatRfc3339(*t);
}

json OrNull(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

}  // namespace

std::string FormatId(char prefix, uint64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%c%08llu", prefix, static_cast<unsigned long long>(n));
  return buf;
}

json ToJson(const Hold& h) {
  return json{{"id", h.id},
              {"kind", h.kind},
              {"kind_label", HoldKindLabel(h.kind)},
              {"reason", h.reason},
              {"documents", h.documents},
              {"query", QueryJson(h.query)},
              {"placed_by", h.placed_by},
              {"placed_at", base::FormatRfc3339(h.placed_at)},
              {"state", h.active ? "active" : "released"},
              {"state_label", h.active ? "法的保存中" : "解除済み"},
              {"released_by", h.released_by},
              {"released_at", OrNull(OptionalTime(h.released_at))},
              {"release_reason", h.release_reason}};
}

Result<Hold> HoldFromJson(const json& j) {
  Hold h;
  std::string state;
  json query;
  RETURN_IF_ERROR(base::JsonField(j, "id", &h.id));
  RETURN_IF_ERROR(base::JsonField(j, "kind", &h.kind));
  RETURN_IF_ERROR(base::JsonField(j, "reason", &h.reason));
  RETURN_IF_ERROR(base::JsonField(j, "documents", &h.documents));
  RETURN_IF_ERROR(base::JsonField(j, "query", &query));
  RETURN_IF_ERROR(base::JsonField(j, "placed_by", &h.placed_by));
  RETURN_IF_ERROR(base::JsonTimeField(j, "placed_at", &h.placed_at));
  RETURN_IF_ERROR(base::JsonField(j, "state", &state));
  RETURN_IF_ERROR(base::JsonField(j, "released_by", &h.released_by));
  RETURN_IF_ERROR(base::JsonField(j, "release_reason", &h.release_reason));
  h.active = state == "active";
  if (j.contains("released_at") && j["released_at"].is_string()) {
    base::Time t;
    RETURN_IF_ERROR(base::JsonTimeField(j, "released_at", &t));
    h.released_at = t;
  }
  if (!query.is_array()) return Status::Corruption("法的保存の記録の query が壊れています");
  for (const json& p : query) {
    if (!p.is_array() || p.size() != 2 || !p[0].is_string() || !p[1].is_string()) {
      return Status::Corruption("法的保存の記録の query が壊れています");
    }
    h.query.emplace_back(p[0].get<std::string>(), p[1].get<std::string>());
  }
  return h;
}

json ToJson(const DisposalRequest& r) {
  return json{{"id", r.id},
              {"document", r.document},
              {"reason", r.reason},
              {"requested_by", r.requested_by},
              {"requested_at", base::FormatRfc3339(r.requested_at)},
              {"state", r.state},
              {"state_label", r.state == "disposed" ? "廃棄済み" : "承認待ち"},
              {"approved_by", r.approved_by},
              {"approved_at", OrNull(OptionalTime(r.approved_at))},
              {"retain_until", r.retain_until},
              {"class", r.document_class}};
}

Result<DisposalRequest> RequestFromJson(const json& j) {
  DisposalRequest r;
  RETURN_IF_ERROR(base::JsonField(j, "id", &r.id));
  RETURN_IF_ERROR(base::JsonField(j, "document", &r.document));
  RETURN_IF_ERROR(base::JsonField(j, "reason", &r.reason));
  RETURN_IF_ERROR(base::JsonField(j, "requested_by", &r.requested_by));
  RETURN_IF_ERROR(base::JsonTimeField(j, "requested_at", &r.requested_at));
  RETURN_IF_ERROR(base::JsonField(j, "state", &r.state));
  RETURN_IF_ERROR(base::JsonField(j, "approved_by", &r.approved_by));
  RETURN_IF_ERROR(base::JsonField(j, "retain_until", &r.retain_until));
  RETURN_IF_ERROR(base::JsonField(j, "class", &r.document_class));
  if (j.contains("approved_at") && j["approved_at"].is_string()) {
    base::Time t;
    RETURN_IF_ERROR(base::JsonTimeField(j, "approved_at", &t));
    r.approved_at = t;
  }
  return r;
}

json ToJson(const DocumentRetention& d) {
  const bool held = !d.holds.empty();
  const bool due = d.expired && !held && !d.disposed;
  const char* state = d.disposed ? "廃棄済み" : held ? "法的保存中" : due ? "廃棄可能" : "保存中";
  return json{{"id", d.id},
              {"class", d.document_class},
              {"class_label", d.class_label},
              {"years", d.years},
              {"transaction_date", d.transaction_date.ToString()},
              {"date_source", d.date_source},
              {"scheduled_until", d.scheduled_until.ToString()},
              {"retain_until", d.retain_until.ToString()},
              {"extension", d.extension ? *d.extension : json(nullptr)},
              {"holds", d.holds},
              {"expired", d.expired},
              {"due", due},
              {"disposed", d.disposed},
              {"state", state},
              {"disposal_request", d.request ? ToJson(*d.request) : json(nullptr)},
              {"tombstone", d.tombstone ? archive::ToJson(*d.tombstone) : json(nullptr)}};
}

Result<std::optional<json>> GetJson(const storage::ReadTxn& txn,
                                    const std::optional<storage::Table>& table,
                                    std::string_view key) {
  if (!table) return std::optional<json>();
  auto v = txn.Get(*table, key);
  if (!v.ok()) {
    if (v.status().IsNotFound()) return std::optional<json>();
    return v.status();
  }
  ASSIGN_OR_RETURN(json j, base::ParseJson(*v));
  return std::optional<json>(std::move(j));
}

// ---- Rep ----

Status Retention::Rep::Writable() const {
  if (!extensions || !holds || !disposals || !meta) {
    return Status::FailedPrecondition("読み取り専用で開いているため変更できません");
  }
  return Status::OK();
}

Result<uint64_t> Retention::Rep::NextSeq(storage::WriteTxn& txn, std::string_view kind) const {
  const std::string key = "seq/" + std::string(kind);
  uint64_t last = 0;
  auto v = txn.Get(*meta, key);
  if (v.ok()) {
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), last);
    if (ec != std::errc() || p != v->data() + v->size()) {
      return Status::Corruption("rt_meta/" + key + " の記録が数値ではありません（壊れています）");
    }
  } else if (!v.status().IsNotFound()) {
    return v.status();
  }
  RETURN_IF_ERROR(txn.Put(*meta, key, std::to_string(last + 1)));
  return last + 1;
}

Result<std::vector<Hold>> Retention::Rep::AllHolds(const storage::ReadTxn& txn) const {
  std::vector<Hold> out;
  if (!holds) return out;
  ASSIGN_OR_RETURN(storage::Cursor c, txn.NewCursor(*holds));
  for (bool ok = c.First(); ok; ok = c.Next()) {
    ASSIGN_OR_RETURN(const json j, base::ParseJson(c.value()));
    ASSIGN_OR_RETURN(Hold h, HoldFromJson(j));
    out.push_back(std::move(h));
  }
  RETURN_IF_ERROR(c.status());
  return out;
}

Result<std::vector<DisposalRequest>> Retention::Rep::AllRequests(
    const storage::ReadTxn& txn) const {
  std::vector<DisposalRequest> out;
  if (!disposals) return out;
  ASSIGN_OR_RETURN(storage::Cursor c, txn.NewCursor(*disposals));
  for (bool ok = c.First(); ok; ok = c.Next()) {
    ASSIGN_OR_RETURN(const json j, base::ParseJson(c.value()));
    ASSIGN_OR_RETURN(DisposalRequest r, RequestFromJson(j));
    out.push_back(std::move(r));
  }
  RETURN_IF_ERROR(c.status());
  return out;
}

Result<Standing> Retention::Rep::Load(const storage::ReadTxn& txn) const {
  Standing s;
  ASSIGN_OR_RETURN(const std::vector<Hold> all, AllHolds(txn));
  for (const Hold& h : all) {
    if (!h.active) continue;
    for (const std::string& d : h.documents) s.holds[d].push_back(h.id);
    if (h.query.empty()) continue;
    // Evaluated now, in this transaction: what the query covers today.
    ASSIGN_OR_RETURN(archive::SearchQuery q, archive::SearchQueryFromParams(h.query));
    q.limit = 1000;
    q.count = false;
    q.offset = 0;
    for (;;) {
      ASSIGN_OR_RETURN(const archive::SearchResult page, archive->Search(txn, q));
      for (const archive::SearchItem& item : page.items) s.holds[item.id].push_back(h.id);
      if (!page.next || page.items.empty()) break;
      q.after = *page.next;
    }
  }
  ASSIGN_OR_RETURN(const std::vector<DisposalRequest> requests, AllRequests(txn));
  for (const DisposalRequest& r : requests) {
    if (r.state == "requested") s.open[r.document] = r;
  }
  return s;
}

Result<DocumentRetention> Retention::Rep::Evaluate(const storage::ReadTxn& txn,
                                                   std::string_view id,
                                                   const Standing& standing) const {
  ASSIGN_OR_RETURN(const archive::DocumentView view, archive->Get(txn, id));
  DocumentRetention d;
  d.id = archive::FormatDocumentId(view.document.seq);
  const invoice::InvoiceFields& fields = view.versions.back().fields;
  d.document_class = ClassOf(schedule, fields.document_type);
  d.years = schedule.years.at(d.document_class);
  auto label = schedule.labels.find(d.document_class);
  d.class_label = label != schedule.labels.end() ? label->second : d.document_class;
  auto issued = fields.issue_date ? base::Date::Parse(*fields.issue_date)
                                  : Result<base::Date>(Status::NotFound(""));
  if (issued.ok()) {
    d.transaction_date = *issued;
    d.date_source = "issue_date";
  } else {
    d.transaction_date = base::Date::InJapan(view.receipts.front().received_at);
    d.date_source = "received";
  }
  d.scheduled_until = RetainUntil(d.transaction_date, d.years);
  d.retain_until = d.scheduled_until;
  ASSIGN_OR_RETURN(d.extension, GetJson(txn, extensions, d.id));
  if (d.extension && d.extension->contains("until") && (*d.extension)["until"].is_string()) {
    ASSIGN_OR_RETURN(const base::Date until,
                     base::Date::Parse((*d.extension)["until"].get<std::string>()));
    if (until > d.retain_until) d.retain_until = until;
  }
  if (auto h = standing.holds.find(d.id); h != standing.holds.end()) d.holds = h->second;
  if (auto r = standing.open.find(d.id); r != standing.open.end()) d.request = r->second;
  d.expired = IsExpired(d.retain_until, Today());
  d.disposed = view.disposed.has_value();
  d.tombstone = view.disposed;
  return d;
}

// ---- The recorded schedule ----

// What a schedule promises, key by key: each class's years, the years of
// each document type's class and of the default class. None may go down.
std::map<std::string, int> Promises(const Schedule& s) {
  std::map<std::string, int> out;
  for (const auto& [cls, years] : s.years) out["class:" + cls] = years;
  for (const auto& [type, cls] : s.document_types) out["type:" + type] = s.years.at(cls);
  out["default"] = s.years.at(s.default_class);
  return out;
}

// The schedule in force must keep every promise recorded before
// (FailedPrecondition, Japanese, otherwise); a writer records what it adds
// or raises (event "retention.schedule.recorded").
Status CheckAndRecordSchedule(Retention::Rep* rep) {
  const std::map<std::string, int> now = Promises(rep->schedule);
  std::map<std::string, int> recorded;
  RETURN_IF_ERROR(rep->archive->ledger().Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(const std::optional<json> j, GetJson(txn, rep->meta, "schedule"));
    if (j && j->is_object()) {
      for (const auto& [k, v] : j->items()) {
        if (v.is_number_integer()) recorded[k] = v.get<int>();
      }
    }
    return Status::OK();
  }));
  bool raised = false;
  for (const auto& [key, years] : recorded) {
    auto it = now.find(key);
    if (it == now.end() || it->second < years) {
      return Status::FailedPrecondition(
          "kura.toml の [retention] が記録済みの保存期間を短縮しています（" +
          base::DisplayName(key, 60) + ": 記録 " + std::to_string(years) + " 年、設定 " +
          (it == now.end() ? std::string("なし") : std::to_string(it->second) + " 年") +
          "）。保存期間は短縮できません。kura.toml を記録どおり以上に戻してください");
    }
    raised = raised || it->second > years;
  }
  const bool added = now.size() > recorded.size();
  if ((!raised && !added) || rep->archive->ledger().read_only()) return Status::OK();
  json to = json::object(), from = json::object();
  for (const auto& [k, v] : now) to[k] = v;
  for (const auto& [k, v] : recorded) from[k] = v;
  const base::Time t = rep->clock->Now();
  return rep->archive->ledger().Write([&](storage::WriteTxn& txn,
                                          const ledger::AppendEvent& append) -> Status {
    RETURN_IF_ERROR(txn.Put(*rep->meta, "schedule", base::DumpJson(to)));
    return append(json{{"type", ledger::event::kRetentionScheduleRecorded},
                       {"from", from},
                       {"to", to},
                       {"actor", "system:kura.toml"},
                       {"time", base::FormatRfc3339(t)}})
        .status();
  });
}

// ---- Retention ----

Retention::Retention(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Retention::~Retention() = default;

const Schedule& Retention::schedule() const { return rep_->schedule; }

Result<std::unique_ptr<Retention>> Retention::Open(archive::Archive* archive,
                                                   const base::Clock* clock, Schedule schedule) {
  RETURN_IF_ERROR(schedule.Validate());
  auto rep = std::make_unique<Rep>();
  rep->archive = archive;
  rep->clock = clock;
  rep->schedule = std::move(schedule);
  ledger::Ledger& l = archive->ledger();
  std::optional<storage::Table>* tables[] = {&rep->extensions, &rep->holds, &rep->disposals,
                                             &rep->meta};
  const char* names[] = {"rt_extensions", "rt_holds", "rt_disposals", "rt_meta"};
  for (size_t i = 0; i < 4; ++i) {
    auto t = l.OpenTable(names[i]);
    if (t.ok()) {
      *tables[i] = std::move(*t);
    } else if (!l.read_only()) {
      return t.status();
    }
  }
  RETURN_IF_ERROR(CheckAndRecordSchedule(rep.get()));
  return std::unique_ptr<Retention>(new Retention(std::move(rep)));
}

Result<DocumentRetention> Retention::Show(std::string_view id, const workflow::User& actor) const {
  RETURN_IF_ERROR(workflow::MayReadRetention(actor));
  DocumentRetention d;
  RETURN_IF_ERROR(rep_->archive->ledger().Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(const Standing standing, rep_->Load(txn));
    ASSIGN_OR_RETURN(d, rep_->Evaluate(txn, id, standing));
    return Status::OK();
  }));
  return d;
}

Result<std::vector<DocumentRetention>> Retention::Due(const workflow::User& actor,
                                                      size_t limit) const {
  RETURN_IF_ERROR(workflow::MayReadRetention(actor));
  std::vector<DocumentRetention> out;
  // Documents are numbered from 1 without gaps; a chunk per read
  // transaction, so no reader lives long.
  uint64_t seq = 1;
  bool more = true;
  while (more && (limit == 0 || out.size() < limit)) {
    RETURN_IF_ERROR(rep_->archive->ledger().Read([&](const storage::ReadTxn& txn) -> Status {
      ASSIGN_OR_RETURN(const Standing standing, rep_->Load(txn));
      for (const uint64_t end = seq + 1000; seq < end; ++seq) {
        auto d = rep_->Evaluate(txn, archive::FormatDocumentId(seq), standing);
        if (!d.ok() && d.status().IsNotFound()) {
          more = false;
          return Status::OK();
        }
        RETURN_IF_ERROR(d.status());
        if (d->expired && d->holds.empty() && !d->disposed) out.push_back(std::move(*d));
        if (limit != 0 && out.size() >= limit) return Status::OK();
      }
      return Status::OK();
    }));
  }
  return out;
}

Result<DocumentRetention> Retention::Extend(std::string_view id, base::Date until,
                                            const std::string& reason,
                                            const workflow::User& actor) {
  RETURN_IF_ERROR(workflow::MayManageRetention(actor));
  RETURN_IF_ERROR(rep_->Writable());
  if (reason.empty()) return Status::InvalidArgument("延長の理由を入力してください");
  const base::Time now = rep_->clock->Now();
  DocumentRetention d;
  RETURN_IF_ERROR(rep_->archive->ledger().Write([&](storage::WriteTxn& txn,
                                                    const ledger::AppendEvent& append) -> Status {
    ASSIGN_OR_RETURN(d, rep_->Evaluate(txn, id, Standing{}));
    if (d.disposed) return Status::FailedPrecondition(d.id + " は廃棄済みです");
    if (until <= d.retain_until) {
      return Status::FailedPrecondition(
          d.id + " の保存期限は延長だけができます。短縮はできません（現在の保存期限 " +
          d.retain_until.ToString() + "、指定 " + until.ToString() + "）");
    }
    const json record{{"id", d.id},
                      {"until", until.ToString()},
                      {"previous", d.retain_until.ToString()},
                      {"reason", base::ToValidUtf8(reason)},
                      {"actor", actor.login},
                      {"at", base::FormatRfc3339(now)}};
    RETURN_IF_ERROR(txn.Put(*rep_->extensions, d.id, base::DumpJson(record)));
    RETURN_IF_ERROR(append(json{{"type", ledger::event::kRetentionExtended},
                                {"id", d.id},
                                {"from", d.retain_until.ToString()},
                                {"to", until.ToString()},
                                {"reason", record["reason"]},
                                {"actor", actor.login},
                                {"time", base::FormatRfc3339(now)}})
                        .status());
    d.extension = record;
    d.retain_until = until;
    d.expired = IsExpired(until, rep_->Today());
    return Status::OK();
  }));
  return d;
}

}  // namespace retention
