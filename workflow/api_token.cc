#include "workflow/api_token.h"

#include <algorithm>
#include <exception>

#include <botan/system_rng.h>

#include "base/hex.h"
#include "base/json.h"
#include "signing/sha256.h"
#include "workflow/internal/json_util.h"

namespace workflow {

using base::Result;
using base::Status;
using nlohmann::json;

namespace {

constexpr std::string_view kSecretPrefix = "kura_";

Result<std::string> RandomHex(size_t bytes) {
  try {
    Botan::System_RNG rng;
    std::string raw(bytes, '\0');
    rng.randomize(reinterpret_cast<uint8_t*>(raw.data()), raw.size());
    return base::HexEncode(raw);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("OS の乱数を取得できません: ") + e.what());
  }
}

}  // namespace

bool ApiToken::HasScope(std::string_view scope) const {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

json ToJson(const ApiToken& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"department", t.department},
          {"scopes", t.scopes},
          {"created_by", t.created_by},
          {"created_at", base::FormatRfc3339(t.created_at)},
          {"revoked_at", t.revoked_at ? json(base::FormatRfc3339(*t.revoked_at)) : json(nullptr)},
          {"revoked_by", t.revoked_by}};
}

Result<ApiToken> ApiTokenFromJson(const json& j) {
  ApiToken t;
  RETURN_IF_ERROR(internal::Decode("APIトークンの記録", [&] {
    t.id = j.at("id").get<std::string>();
    t.name = j.at("name").get<std::string>();
    t.department = j.at("department").get<std::string>();
    t.scopes = j.at("scopes").get<std::vector<std::string>>();
    t.created_by = j.at("created_by").get<std::string>();
    t.revoked_by = j.value("revoked_by", "");
  }));
  ASSIGN_OR_RETURN(t.created_at, base::ParseRfc3339(j.value("created_at", "")));
  if (auto r = j.find("revoked_at"); r != j.end() && r->is_string()) {
    ASSIGN_OR_RETURN(const base::Time at, base::ParseRfc3339(r->get<std::string>()));
    t.revoked_at = at;
  }
  return t;
}

Status ValidateNewToken(std::string_view name, std::string_view department) {
  if (name.empty()) return Status::InvalidArgument("トークンの用途（name）を入力してください");
  const auto code_points = std::count_if(name.begin(), name.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
  if (code_points > 100) return Status::InvalidArgument("トークンの用途は100文字までです");
  if (department.empty()) return Status::InvalidArgument("トークンの課（department）を指定してください");
  return Status::OK();
}

Result<std::string> NewTokenSecret() {
  ASSIGN_OR_RETURN(const std::string hex, RandomHex(32));
  return std::string(kSecretPrefix) + hex;
}

Result<std::string> NewTokenId() {
  ASSIGN_OR_RETURN(const std::string hex, RandomHex(4));
  return "tok-" + hex;
}

std::string TokenKey(std::string_view secret) { return signing::Sha256(secret).Hex(); }

bool LooksLikeTokenSecret(std::string_view secret) {
  return secret.size() == kSecretPrefix.size() + 64 && secret.substr(0, kSecretPrefix.size()) == kSecretPrefix &&
         base::IsLowerHex(secret.substr(kSecretPrefix.size()), 64);
}

User TokenUser(const ApiToken& t) {
  return User{"token:" + t.id, t.name, t.department, {Role::kClerk}, "", t.active()};
}

}  // namespace workflow
