// Workflow: API tokens (api_token.h) — created and revoked by admins, each
// change one write with its event; checked on every request that presents
// one.
#include <algorithm>
#include <string>
#include <vector>

#include "base/json.h"
#include "ledger/event_types.h"
#include "workflow/api_token.h"
#include "workflow/internal/json_util.h"
#include "workflow/internal/workflow_rep.h"
#include "workflow/workflow.h"

namespace workflow {

using base::Result;
using base::Status;
using nlohmann::json;

namespace {

constexpr char kInvalidToken[] = "APIトークンが無効です（取り消されたか、誤っています）";

Status RequireTokenAdmin(const User& actor) {
  if (!actor.HasRole(Role::kAdmin)) {
    return Status::PermissionDenied("APIトークンは管理者だけが発行・取消できます");
  }
  return Status::OK();
}

}  // namespace

Result<Workflow::CreatedToken> Workflow::CreateApiToken(std::string_view name,
                                                        std::string_view department,
                                                        const User& actor) {
  const std::string clean_name = internal::Clean(name);
  const std::string clean_department = internal::Clean(department);
  RETURN_IF_ERROR(ValidateNewToken(clean_name, clean_department));
  RETURN_IF_ERROR(RequireTokenAdmin(actor));
  CreatedToken created;
  ASSIGN_OR_RETURN(created.secret, NewTokenSecret());
  ASSIGN_OR_RETURN(created.token.id, NewTokenId());
  created.token.name = clean_name;
  created.token.department = clean_department;
  created.token.scopes = {kUploadScope};
  created.token.created_at = rep_->clock->Now();
  RETURN_IF_ERROR(rep_->ledger->Write([&](storage::WriteTxn& txn,
                                          const ledger::AppendEvent& append) {
    ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, actor));
    RETURN_IF_ERROR(RequireTokenAdmin(me));
    if (!txn.Get(rep_->tables.departments, created.token.department).ok()) {
      return Status::InvalidArgument("登録されていない課です: " +
                                     internal::Shown(created.token.department));
    }
    created.token.created_by = me.login;
    RETURN_IF_ERROR(txn.Insert(rep_->tables.api_tokens, TokenKey(created.secret),
                               base::DumpJson(ToJson(created.token))));
    json e = rep_->Event(ledger::event::kApiTokenCreated, me);
    e["token"] = ToJson(created.token);  // never the secret or its hash
    return append(e).status();
  }));
  return created;
}

Result<std::vector<ApiToken>> Workflow::ListApiTokens(const User& actor) const {
  RETURN_IF_ERROR(RequireTokenAdmin(actor));
  std::vector<ApiToken> out;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) {
    out.clear();
    return internal::ForEach(txn, rep_->tables.api_tokens,
                             [&](std::string_view, std::string_view v) {
                               ASSIGN_OR_RETURN(json j, base::ParseJson(v));
                               ASSIGN_OR_RETURN(ApiToken t, ApiTokenFromJson(j));
                               out.push_back(std::move(t));
                               return Status::OK();
                             });
  }));
  std::sort(out.begin(), out.end(),
            [](const ApiToken& a, const ApiToken& b) { return a.created_at < b.created_at; });
  return out;
}

Status Workflow::RevokeApiToken(std::string_view id, const User& actor) {
  RETURN_IF_ERROR(RequireTokenAdmin(actor));
  const std::string want = internal::Clean(id);
  const base::Time now = rep_->clock->Now();
  return rep_->ledger->Write([&](storage::WriteTxn& txn, const ledger::AppendEvent& append) {
    ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, actor));
    RETURN_IF_ERROR(RequireTokenAdmin(me));
    std::string key;
    ApiToken token;
    RETURN_IF_ERROR(internal::ForEach(txn, rep_->tables.api_tokens,
                                      [&](std::string_view k, std::string_view v) {
                                        ASSIGN_OR_RETURN(json j, base::ParseJson(v));
                                        if (j.value("id", "") != want) return Status::OK();
                                        ASSIGN_OR_RETURN(token, ApiTokenFromJson(j));
                                        key = std::string(k);
                                        return Status::OK();
                                      }));
    if (key.empty()) return Status::NotFound("APIトークンがありません: " + internal::Shown(want));
    if (!token.active()) return Status::OK();  // revoked already: nothing to record
    token.revoked_at = now;
    token.revoked_by = me.login;
    RETURN_IF_ERROR(internal::PutRecord(txn, rep_->tables.api_tokens, key, ToJson(token)));
    json e = rep_->Event(ledger::event::kApiTokenRevoked, me, now);
    e["id"] = token.id;
    return append(e).status();
  });
}

Result<ApiToken> Workflow::AuthenticateToken(std::string_view secret) const {
  if (!LooksLikeTokenSecret(secret)) return Status::PermissionDenied(kInvalidToken);
  ApiToken token;
  bool found = false;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) {
    auto v = txn.Get(rep_->tables.api_tokens, TokenKey(secret));
    if (!v.ok()) return v.status().IsNotFound() ? Status::OK() : v.status();
    ASSIGN_OR_RETURN(json j, base::ParseJson(*v));
    ASSIGN_OR_RETURN(token, ApiTokenFromJson(j));
    found = true;
    return Status::OK();
  }));
  if (!found || !token.active()) return Status::PermissionDenied(kInvalidToken);
  return token;
}

}  // namespace workflow
