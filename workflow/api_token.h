// API tokens: credentials for integrations — an e-invoice platform connector
// that posts received documents — instead of a person's password. A token
// is created by an admin for one department and one scope ("upload": POST
// /api/v1/documents for that department, nothing else), shown once, stored
// only as its SHA-256 (a token is 256 random bits, so a fast hash is as good
// as a slow one), and revocable. Creation and revocation are events in the
// log; a document a token uploads is received by "token:<id>".
//
// The Workflow facade (workflow.h) creates, lists, revokes and checks them;
// this header has the values and the pure rules.
//
// Thread safety: values and pure functions.
#ifndef WORKFLOW_API_TOKEN_H_
#define WORKFLOW_API_TOKEN_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "base/time.h"
#include "workflow/organization.h"

namespace workflow {

/// The only scope today: upload documents for the token's department.
inline constexpr char kUploadScope[] = "upload";

struct ApiToken {
  std::string id;          ///< "tok-" + 8 hex digits, public (lists, events)
  std::string name;        ///< what it is for, e.g. "Peppol アクセスポイント"
  std::string department;  ///< the one department it uploads for
  std::vector<std::string> scopes;
  std::string created_by;  ///< login of the admin
  base::Time created_at;
  std::optional<base::Time> revoked_at;  ///< set once revoked, for good
  std::string revoked_by;

  bool active() const { return !revoked_at.has_value(); }
  bool HasScope(std::string_view scope) const;
};

/// {"id","name","department","scopes","created_by","created_at","revoked_at",
/// "revoked_by"}; never the secret or its hash.
nlohmann::json ToJson(const ApiToken& t);
/// The inverse; Corruption for a malformed record.
base::Result<ApiToken> ApiTokenFromJson(const nlohmann::json& j);

/// InvalidArgument (Japanese) unless name is non-empty text of at most 100
/// characters and department a department code.
base::Status ValidateNewToken(std::string_view name, std::string_view department);

/// A new secret: "kura_" followed by 64 hex digits (256 random bits), and
/// a new public id. Internal if the system's random source fails.
base::Result<std::string> NewTokenSecret();
base::Result<std::string> NewTokenId();
/// The key a secret is stored under: hex SHA-256 of the whole secret.
std::string TokenKey(std::string_view secret);
/// True if secret has the shape NewTokenSecret makes (checked before any
/// lookup).
bool LooksLikeTokenSecret(std::string_view secret);

/// The user a token acts as: login "token:<id>", the token's name and
/// department, the clerk role (so that the upload rules of access.h apply
/// unchanged). The web layer accepts a token only on routes of its scope.
User TokenUser(const ApiToken& t);

}  // namespace workflow

#endif  // WORKFLOW_API_TOKEN_H_
