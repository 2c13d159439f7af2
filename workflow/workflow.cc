// Workflow: opening, the organisation and commitments. Orders and the
// inbox are in workflow_orders.cc.
#include "workflow/workflow.h"
#include "ledger/event_types.h"

#include <algorithm>
#include <cstdio>

#include "base/json.h"
#include "workflow/access.h"
#include "workflow/internal/json_util.h"
#include "workflow/internal/store.h"
#include "workflow/internal/work_lists.h"
#include "workflow/internal/workflow_rep.h"

namespace workflow {

using base::Result;
using base::Status;
using nlohmann::json;

namespace internal {
bool IsSystemLogin(std::string_view login) { return login.rfind("system:", 0) == 0; }

Status RequireAdmin(const User& actor) {
  if (!actor.HasRole(Role::kAdmin)) return Status::PermissionDenied("管理者だけが行えます");
  return Status::OK();
}

json UserRecord(const User& u, const std::string& hash) {
  json j = ToJson(u);
  j["password_hash"] = hash;
  if (u.session_generation != 0) j["session_generation"] = u.session_generation;
  if (u.unlocked_at != base::Time{}) j["unlocked_at"] = base::FormatRfc3339(u.unlocked_at);
  return j;
}
}  // namespace internal

using internal::RequireAdmin;
using internal::UserRecord;

namespace {

constexpr char kBadCredentials[] = "ログインIDまたはパスワードが違います";

}  // namespace

Result<User> Workflow::Rep::CurrentUser(const storage::ReadTxn& txn, const User& actor) const {
  if (internal::IsSystemLogin(actor.login)) return actor;
  auto record = internal::GetRecord(txn, tables.users, actor.login, "");
  if (!record.ok()) {
    if (record.status().IsNotFound()) return Status::PermissionDenied("利用者が登録されていません");
    return record.status();
  }
  ASSIGN_OR_RETURN(User user, UserFromJson(*record));
  if (!user.active) return Status::PermissionDenied("このアカウントは無効です");
  return user;
}

json Workflow::Rep::Event(std::string_view type, const User& actor) const {
  return Event(type, actor, clock->Now());
}

json Workflow::Rep::Event(std::string_view type, const User& actor, base::Time now) const {
  return {{"type", type}, {"actor", actor.login}, {"time", base::FormatRfc3339(now)}};
}

namespace {

// The record at id decoded by from_json, through cache.
template <class T>
Result<T> LoadCached(const storage::ReadTxn& txn, const storage::Table& table, std::string_view id,
                     const std::string& missing, storage::DecodedCache<T>& cache,
                     Result<T> (*from_json)(const json&)) {
  ASSIGN_OR_RETURN(const std::string_view bytes,
                   internal::GetRecordBytes(txn, table, id, missing));
  return cache.Get(id, bytes, [&](std::string_view b) -> Result<T> {
    ASSIGN_OR_RETURN(const json j, internal::ParseRecord(table, id, b));
    return from_json(j);
  });
}

}  // namespace

Result<Commitment> Workflow::Rep::LoadCommitment(const storage::ReadTxn& txn,
                                                 std::string_view id) const {
  return LoadCached<Commitment>(txn, tables.commitments, id,
                                "支出負担行為がありません: " + internal::Shown(id),
                                caches->commitments, &CommitmentFromJson);
}

Result<PaymentOrder> Workflow::Rep::LoadOrder(const storage::ReadTxn& txn,
                                              std::string_view id) const {
  return LoadCached<PaymentOrder>(txn, tables.orders, id,
                                  "支出命令がありません: " + internal::Shown(id), caches->orders,
                                  &PaymentOrderFromJson);
}

Result<PaymentOrder> Workflow::Rep::LoadRefreshedOrder(const storage::ReadTxn& txn,
                                                       std::string_view id) const {
  ASSIGN_OR_RETURN(PaymentOrder o, LoadOrder(txn, id));
  RETURN_IF_ERROR(RefreshMatch(txn, &o));
  return o;
}

Result<Vendor> Workflow::Rep::LoadVendor(const storage::ReadTxn& txn, std::string_view id) const {
  // A merged legacy number stands for its survivor (workflow_legacy.cc).
  ASSIGN_OR_RETURN(const std::string resolved, ResolveVendorId(txn, id));
  return LoadCached<Vendor>(txn, tables.vendors, resolved,
                            "債権者がありません: " + internal::Shown(id), caches->vendors,
                            &VendorFromJson);
}

Workflow::Workflow(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Workflow::~Workflow() = default;

Result<std::unique_ptr<Workflow>> Workflow::Open(archive::Archive* archive,
                                                 const base::Clock* clock,
                                                 WorkflowOptions options) {
  RETURN_IF_ERROR(Validate(options.routes));
  auto rep = std::make_unique<Rep>();
  rep->archive = archive;
  rep->ledger = &archive->ledger();
  rep->clock = clock;
  rep->options = std::move(options);
  ASSIGN_OR_RETURN(rep->tables, internal::OpenTables(rep->ledger));
  RETURN_IF_ERROR(internal::EnsureWorkLists(rep->ledger, rep->tables, *archive));
  ASSIGN_OR_RETURN(rep->dummy_hash,
                   HashPassword("kura-dummy-password-never-matches", rep->options.password));
  return std::unique_ptr<Workflow>(new Workflow(std::move(rep)));
}

User Workflow::SystemUser(std::string_view name) {
  return User{"system:" + std::string(name), std::string(name), "", {Role::kAdmin}, "", true};
}

// --- Organisation -----------------------------------------------------------

Status Workflow::CreateDepartment(const Department& department, const User& actor) {
  Department d{internal::Clean(department.code), internal::Clean(department.name)};
  RETURN_IF_ERROR(Validate(d));
  return rep_->ledger->Write([&](storage::WriteTxn& txn, const ledger::AppendEvent& append) {
    ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, actor));
    RETURN_IF_ERROR(RequireAdmin(me));
    const Status s = txn.Insert(rep_->tables.departments, d.code, base::DumpJson(ToJson(d)));
    if (s.IsAlreadyExists())
      return Status::AlreadyExists("課コードはすでに使われています: " + d.code);
    RETURN_IF_ERROR(s);
    json e = rep_->Event(ledger::event::kDepartmentCreated, me);
    e["department"] = ToJson(d);
    return append(e).status();
  });
}

Result<std::vector<Department>> Workflow::ListDepartments() const {
  std::vector<Department> out;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) {
    out.clear();
    return internal::ForEach(txn, rep_->tables.departments,
                             [&](std::string_view, std::string_view v) {
                               ASSIGN_OR_RETURN(json j, base::ParseJson(v));
                               ASSIGN_OR_RETURN(Department d, DepartmentFromJson(j));
                               out.push_back(std::move(d));
                               return Status::OK();
                             });
  }));
  return out;
}

Status Workflow::AddUser(const User& user, std::string_view password, const User& actor) {
  User u = user;
  u.login = internal::Clean(u.login);
  u.name = internal::Clean(u.name);
  u.department = internal::Clean(u.department);
  u.title = internal::Clean(u.title);
  RETURN_IF_ERROR(Validate(u));
  if (internal::IsSystemLogin(u.login)) return Status::InvalidArgument("予約されたログインIDです");
  RETURN_IF_ERROR(RequireAdmin(actor));
  RETURN_IF_ERROR(CheckNewPassword(password, u.login));
  u.session_generation = 0;
  u.unlocked_at = base::Time{};
  ASSIGN_OR_RETURN(const std::string hash, HashPassword(password, rep_->options.password));
  return rep_->ledger->Write([&](storage::WriteTxn& txn, const ledger::AppendEvent& append) {
    ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, actor));
    RETURN_IF_ERROR(RequireAdmin(me));
    if (!txn.Get(rep_->tables.departments, u.department).ok()) {
      return Status::InvalidArgument("所属課が登録されていません: " +
                                     internal::Shown(u.department));
    }
    const Status s = txn.Insert(rep_->tables.users, u.login, base::DumpJson(UserRecord(u, hash)));
    if (s.IsAlreadyExists())
      return Status::AlreadyExists("ログインIDはすでに使われています: " + u.login);
    RETURN_IF_ERROR(s);
    json e = rep_->Event(ledger::event::kUserAdded, me);
    e["user"] = ToJson(u);  // never the password or its hash
    return append(e).status();
  });
}

Result<User> Workflow::GetUser(std::string_view login) const {
  User out;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) {
    ASSIGN_OR_RETURN(json j,
                     internal::GetRecord(txn, rep_->tables.users, login,
                                         "利用者が登録されていません: " + internal::Shown(login)));
    ASSIGN_OR_RETURN(out, UserFromJson(j));
    return Status::OK();
  }));
  return out;
}

Result<std::vector<User>> Workflow::ListUsers() const {
  std::vector<User> out;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) {
    out.clear();
    return internal::ForEach(txn, rep_->tables.users, [&](std::string_view, std::string_view v) {
      ASSIGN_OR_RETURN(json j, base::ParseJson(v));
      ASSIGN_OR_RETURN(User u, UserFromJson(j));
      out.push_back(std::move(u));
      return Status::OK();
    });
  }));
  return out;
}

Result<User> Workflow::Authenticate(std::string_view login, std::string_view password) const {
  json record;
  bool found = false;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) {
    auto r = internal::GetRecord(txn, rep_->tables.users, login, "");
    found = r.ok();
    if (found) record = std::move(*r);
    return r.ok() || r.status().IsNotFound() ? Status::OK() : r.status();
  }));
  // Hash checking happens outside the read transaction.
  const std::string hash = found ? internal::StringOr(record, "password_hash") : rep_->dummy_hash;
  const bool match = CheckPassword(password, hash);
  if (!found || !match) return Status::PermissionDenied(kBadCredentials);
  ASSIGN_OR_RETURN(User user, UserFromJson(record));
  if (!user.active) return Status::FailedPrecondition("このアカウントは無効です");
  return user;
}

Status Workflow::PutVendor(const Vendor& vendor, const User& actor) {
  const Vendor v = CanonicalVendor(vendor);
  RETURN_IF_ERROR(Validate(v));
  return rep_->ledger->Write([&](storage::WriteTxn& txn, const ledger::AppendEvent& append) {
    ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, actor));
    RETURN_IF_ERROR(MayManageVendors(me));
    return rep_->PutVendorRecord(txn, append, me, rep_->clock->Now(), v, json::object());
  });
}

Status Workflow::Rep::PutVendorRecord(storage::WriteTxn& txn, const ledger::AppendEvent& append,
                                      const User& me, base::Time now, const Vendor& v,
                                      const json& extra) const {
  auto before = internal::GetRecord(txn, tables.vendors, v.id, "");
  if (!before.ok() && !before.status().IsNotFound()) return before.status();
  RETURN_IF_ERROR(internal::PutRecord(txn, tables.vendors, v.id, ToJson(v)));
  json e =
      Event(before.ok() ? ledger::event::kVendorUpdated : ledger::event::kVendorCreated, me, now);
  e["vendor"] = v.id;
  e["from"] = before.ok() ? *before : json(nullptr);
  e["to"] = ToJson(v);
  for (const auto& [key, value] : extra.items()) e[key] = value;
  return append(e).status();
}

Result<Vendor> Workflow::GetVendor(std::string_view id) const {
  Vendor out;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) {
    ASSIGN_OR_RETURN(out, rep_->LoadVendor(txn, id));
    return Status::OK();
  }));
  return out;
}

Result<std::vector<Vendor>> Workflow::ListVendors() const {
  std::vector<Vendor> out;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) {
    out.clear();
    return internal::ForEach(txn, rep_->tables.vendors, [&](std::string_view, std::string_view v) {
      ASSIGN_OR_RETURN(json j, base::ParseJson(v));
      ASSIGN_OR_RETURN(Vendor vendor, VendorFromJson(j));
      out.push_back(std::move(vendor));
      return Status::OK();
    });
  }));
  return out;
}

// --- Commitments ------------------------------------------------------------

Result<Commitment> Workflow::CreateCommitment(const Commitment& commitment, const User& actor) {
  Commitment c = commitment;
  c.department = internal::Clean(c.department);
  c.vendor_id = internal::Clean(c.vendor_id);
  c.description = internal::Clean(c.description);
  c.reserved = base::Decimal();
  c.paid = base::Decimal();
  c.created_at = rep_->clock->Now();
  RETURN_IF_ERROR(Validate(c));
  Commitment out;
  RETURN_IF_ERROR(rep_->ledger->Write([&](storage::WriteTxn& txn,
                                          const ledger::AppendEvent& append) {
    ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, actor));
    const bool clerk_here = me.HasRole(Role::kClerk) && me.department == c.department;
    if (!clerk_here && !me.HasRole(Role::kAccountant) && !me.HasRole(Role::kAdmin)) {
      return Status::PermissionDenied("この課の会計担当者だけが支出負担行為を登録できます");
    }
    if (!txn.Get(rep_->tables.departments, c.department).ok()) {
      return Status::InvalidArgument("課が登録されていません: " + internal::Shown(c.department));
    }
    ASSIGN_OR_RETURN(c.vendor_id, rep_->ResolveVendorId(txn, c.vendor_id));
    if (!txn.Get(rep_->tables.vendors, c.vendor_id).ok()) {
      return Status::InvalidArgument("債権者が登録されていません: " + internal::Shown(c.vendor_id));
    }
    ASSIGN_OR_RETURN(const uint64_t seq,
                     internal::NextSeq(txn, rep_->tables, "commitment", c.fiscal_year));
    Commitment record = c;
    char id[32];
    std::snprintf(id, sizeof id, "C%d-%04llu", c.fiscal_year, static_cast<unsigned long long>(seq));
    record.id = id;
    record.created_by = me.login;
    RETURN_IF_ERROR(
        txn.Insert(rep_->tables.commitments, record.id, base::DumpJson(ToJson(record))));
    json e = rep_->Event(ledger::event::kCommitmentCreated, me);
    e["commitment"] = ToJson(record);
    RETURN_IF_ERROR(append(e).status());
    out = std::move(record);
    return Status::OK();
  }));
  return out;
}

Result<Commitment> Workflow::GetCommitment(std::string_view id) const {
  Commitment out;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) {
    ASSIGN_OR_RETURN(out, rep_->LoadCommitment(txn, id));
    return Status::OK();
  }));
  return out;
}

Result<std::vector<Commitment>> Workflow::ListCommitments(const CommitmentFilter& filter) const {
  std::vector<Commitment> out;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) {
    out.clear();
    return internal::ForEach(
        txn, rep_->tables.commitments, [&](std::string_view, std::string_view v) {
          ASSIGN_OR_RETURN(json j, base::ParseJson(v));
          ASSIGN_OR_RETURN(Commitment c, CommitmentFromJson(j));
          if ((filter.department.empty() || c.department == filter.department) &&
              (filter.fiscal_year == 0 || c.fiscal_year == filter.fiscal_year) &&
              (filter.vendor_id.empty() || c.vendor_id == filter.vendor_id)) {
            out.push_back(std::move(c));
          }
          return Status::OK();
        });
  }));
  // "C2026-0002" < "C2026-0010" as strings, but "C2026-10000" would not be:
  // sort by (year, number).
  std::sort(out.begin(), out.end(), [](const Commitment& a, const Commitment& b) {
    return std::make_pair(a.id.size(), a.id) < std::make_pair(b.id.size(), b.id);
  });
  return out;
}

}  // namespace workflow
