// Workflow: account administration — profile and role changes, enabling and
// disabling, the user's own password change, an administrator's reset, the
// unlock of a login throttle, and the log entry of a throttle's onset. Each
// change is one Ledger::Write with its "workflow.user.*" event; passwords
// are hashed (and checked) before the transaction opens.
#include "base/json.h"
#include "base/utf8.h"
#include "ledger/event_types.h"
#include "workflow/internal/json_util.h"
#include "workflow/internal/store.h"
#include "workflow/internal/workflow_rep.h"
#include "workflow/workflow.h"

namespace workflow {

using base::Result;
using base::Status;
using internal::RequireAdmin;
using internal::UserRecord;
using nlohmann::json;

namespace {

constexpr char kWrongCurrentPassword[] = "現在のパスワードが違います";

// A stored user and its password hash.
struct StoredUser {
  User user;
  std::string hash;
};

Result<StoredUser> LoadStoredUser(const storage::ReadTxn& txn, const internal::Tables& tables,
                                  const std::string& login) {
  ASSIGN_OR_RETURN(json record, internal::GetRecord(txn, tables.users, login,
                                                    "利用者が登録されていません: " + login));
  StoredUser out;
  ASSIGN_OR_RETURN(out.user, UserFromJson(record));
  out.hash = internal::StringOr(record, "password_hash");
  return out;
}

json OptionalTime(base::Time t) {
  return t == base::Time{} ? json(nullptr) : json(base::FormatRfc3339(t));
}

json RoleNames(const std::vector<Role>& roles) {
  json out = json::array();
  for (Role r : roles) out.push_back(std::string(RoleName(r)));
  return out;
}

// The user with change applied (strings cleaned).
User Applied(const User& before, const UserChange& change) {
  User after = before;
  if (change.name) after.name = internal::Clean(*change.name);
  if (change.department) after.department = internal::Clean(*change.department);
  if (change.title) after.title = internal::Clean(*change.title);
  if (change.roles) after.roles = *change.roles;
  if (change.active) after.active = *change.active;
  return after;
}

// from/to of the profile members that differ between before and after.
void ProfileDiff(const User& before, const User& after, json* from, json* to) {
  *from = json::object();
  *to = json::object();
  auto diff = [&](const char* key, const json& a, const json& b) {
    if (a == b) return;
    (*from)[key] = a;
    (*to)[key] = b;
  };
  diff("name", before.name, after.name);
  diff("department", before.department, after.department);
  diff("roles", RoleNames(before.roles), RoleNames(after.roles));
  diff("title", before.title, after.title);
}

// What an administrator may not do to themself: lock themself out.
Status CheckSelfChange(const User& me, const User& before, const User& after) {
  if (me.login != before.login) return Status::OK();
  if (!after.active || (before.HasRole(Role::kAdmin) && !after.HasRole(Role::kAdmin))) {
    return Status::PermissionDenied(
        "自分自身を無効にしたり、自分の管理者の役割を外したりはできません。"
        "別の管理者に依頼してください");
  }
  return Status::OK();
}

}  // namespace

Result<User> Workflow::UpdateUser(std::string_view login, const UserChange& change,
                                  const User& actor) {
  const std::string who = internal::Clean(login);
  RETURN_IF_ERROR(RequireAdmin(actor));
  User out;
  RETURN_IF_ERROR(
      rep_->ledger->Write([&](storage::WriteTxn& txn, const ledger::AppendEvent& append) {
        ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, actor));
        RETURN_IF_ERROR(RequireAdmin(me));
        ASSIGN_OR_RETURN(const StoredUser stored, LoadStoredUser(txn, rep_->tables, who));
        const User& before = stored.user;
        User after = Applied(before, change);
        RETURN_IF_ERROR(Validate(after));
        RETURN_IF_ERROR(CheckSelfChange(me, before, after));
        if (after.department != before.department &&
            !txn.Get(rep_->tables.departments, after.department).ok()) {
          return Status::InvalidArgument("所属課が登録されていません: " +
                                         internal::Shown(after.department));
        }
        json from, to;
        ProfileDiff(before, after, &from, &to);
        const bool active_changed = after.active != before.active;
        out = before;
        if (from.empty() && !active_changed) return Status::OK();  // nothing to do
        // Authority changed, or the account was disabled: its sessions end.
        const bool authority = from.contains("department") || from.contains("roles") ||
                               from.contains("title") || (active_changed && !after.active);
        if (authority) ++after.session_generation;
        RETURN_IF_ERROR(
            internal::PutRecord(txn, rep_->tables.users, who, UserRecord(after, stored.hash)));
        if (!from.empty()) {
          json e = rep_->Event(ledger::event::kUserUpdated, me);
          e["login"] = who;
          e["from"] = from;
          e["to"] = to;
          RETURN_IF_ERROR(append(e).status());
        }
        if (active_changed) {
          json e = rep_->Event(
              after.active ? ledger::event::kUserEnabled : ledger::event::kUserDisabled, me);
          e["login"] = who;
          e["from"] = before.active;
          e["to"] = after.active;
          RETURN_IF_ERROR(append(e).status());
        }
        out = std::move(after);
        return Status::OK();
      }));
  return out;
}

Status Workflow::SetUserActive(std::string_view login, bool active, const User& actor) {
  UserChange change;
  change.active = active;
  return UpdateUser(login, change, actor).status();
}

Result<User> Workflow::ChangePassword(std::string_view login, std::string_view current,
                                      std::string_view new_password, const User& actor) {
  const std::string who = internal::Clean(login);
  if (actor.login != who) {
    return Status::PermissionDenied("自分のパスワードだけを変更できます");
  }
  RETURN_IF_ERROR(CheckNewPassword(new_password, who));
  StoredUser stored;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) {
    ASSIGN_OR_RETURN(stored, LoadStoredUser(txn, rep_->tables, who));
    return Status::OK();
  }));
  // Argon2id outside every transaction.
  if (!CheckPassword(current, stored.hash)) return Status::PermissionDenied(kWrongCurrentPassword);
  if (current == new_password) {
    return Status::FailedPrecondition("新しいパスワードが現在のパスワードと同じです");
  }
  ASSIGN_OR_RETURN(const std::string hash, HashPassword(new_password, rep_->options.password));
  User out;
  RETURN_IF_ERROR(
      rep_->ledger->Write([&](storage::WriteTxn& txn, const ledger::AppendEvent& append) {
        ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, actor));
        ASSIGN_OR_RETURN(const StoredUser now, LoadStoredUser(txn, rep_->tables, who));
        if (now.hash != stored.hash) {
          return Status::Aborted("パスワードが同時に変更されました。もう一度お試しください");
        }
        User after = now.user;
        after.must_change_password = false;
        ++after.session_generation;
        RETURN_IF_ERROR(internal::PutRecord(txn, rep_->tables.users, who, UserRecord(after, hash)));
        json e = rep_->Event(ledger::event::kUserPasswordChanged, me);
        e["login"] = who;
        e["from"] = {{"must_change_password", now.user.must_change_password}};
        e["to"] = {{"must_change_password", false}};
        RETURN_IF_ERROR(append(e).status());
        out = std::move(after);
        return Status::OK();
      }));
  return out;
}

Result<User> Workflow::ResetPassword(std::string_view login, std::string_view temporary_password,
                                     const User& actor) {
  const std::string who = internal::Clean(login);
  RETURN_IF_ERROR(RequireAdmin(actor));
  RETURN_IF_ERROR(CheckNewPassword(temporary_password, who));
  ASSIGN_OR_RETURN(const std::string hash,
                   HashPassword(temporary_password, rep_->options.password));
  User out;
  RETURN_IF_ERROR(rep_->ledger->Write([&](storage::WriteTxn& txn,
                                          const ledger::AppendEvent& append) {
    ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, actor));
    RETURN_IF_ERROR(RequireAdmin(me));
    ASSIGN_OR_RETURN(const StoredUser stored, LoadStoredUser(txn, rep_->tables, who));
    User after = stored.user;
    after.must_change_password = true;
    after.unlocked_at = rep_->clock->Now();
    ++after.session_generation;
    RETURN_IF_ERROR(internal::PutRecord(txn, rep_->tables.users, who, UserRecord(after, hash)));
    json e = rep_->Event(ledger::event::kUserPasswordReset, me, after.unlocked_at);
    e["login"] = who;
    e["from"] = {{"must_change_password", stored.user.must_change_password},
                 {"unlocked_at", OptionalTime(stored.user.unlocked_at)}};
    e["to"] = {{"must_change_password", true}, {"unlocked_at", OptionalTime(after.unlocked_at)}};
    RETURN_IF_ERROR(append(e).status());
    out = std::move(after);
    return Status::OK();
  }));
  return out;
}

Result<User> Workflow::UnlockLogin(std::string_view login, const User& actor) {
  const std::string who = internal::Clean(login);
  RETURN_IF_ERROR(RequireAdmin(actor));
  User out;
  RETURN_IF_ERROR(
      rep_->ledger->Write([&](storage::WriteTxn& txn, const ledger::AppendEvent& append) {
        ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, actor));
        RETURN_IF_ERROR(RequireAdmin(me));
        ASSIGN_OR_RETURN(const StoredUser stored, LoadStoredUser(txn, rep_->tables, who));
        User after = stored.user;
        after.unlocked_at = rep_->clock->Now();
        RETURN_IF_ERROR(
            internal::PutRecord(txn, rep_->tables.users, who, UserRecord(after, stored.hash)));
        json e = rep_->Event(ledger::event::kUserUnlocked, me, after.unlocked_at);
        e["login"] = who;
        e["from"] = {{"unlocked_at", OptionalTime(stored.user.unlocked_at)}};
        e["to"] = {{"unlocked_at", OptionalTime(after.unlocked_at)}};
        RETURN_IF_ERROR(append(e).status());
        out = std::move(after);
        return Status::OK();
      }));
  return out;
}

Status Workflow::RecordLoginThrottled(const LoginThrottled& event) {
  json e = rep_->Event(ledger::event::kLoginThrottled, SystemUser("login-throttle"));
  e["scope"] = internal::Clean(event.scope);
  e["login"] = internal::Clean(base::TruncateUtf8(event.login, 64));
  e["address"] = internal::Clean(base::TruncateUtf8(event.address, 64));
  e["failures"] = event.failures;
  e["until"] = base::FormatRfc3339(event.until);
  e["unlogged"] = event.unlogged;
  return rep_->ledger->Write(
      [&](storage::WriteTxn&, const ledger::AppendEvent& append) { return append(e).status(); });
}

}  // namespace workflow
