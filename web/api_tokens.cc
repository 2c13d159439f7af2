// API tokens for integrations (workflow/api_token.h): an admin lists,
// creates and revokes them. The secret is in the creation's answer only.
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "web/internal/api_context.h"
#include "web/internal/http_util.h"
#include "workflow/workflow.h"

namespace web::internal {
namespace {

using nlohmann::json;

void ListTokens(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                const Caller& c) {
  auto list = ctx.workflow->ListApiTokens(c.user);
  if (!list.ok()) return SendStatus(req, res, list.status());
  json items = json::array();
  for (const auto& t : *list) items.push_back(workflow::ToJson(t));
  SendJson(res, 200, json{{"items", items}});
}

void CreateToken(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                 const Caller& c) {
  auto body = ParseBody(req);
  if (!body.ok()) return SendStatus(req, res, body.status());
  auto created = ctx.workflow->CreateApiToken(StringMember(*body, "name"),
                                              StringMember(*body, "department"), c.user);
  if (!created.ok()) return SendStatus(req, res, created.status());
  json j = workflow::ToJson(created->token);
  j["secret"] = created->secret;
  j["notice"] = "このトークンはいま一度だけ表示されます。連携先に設定し、ここには保存されません";
  SendJson(res, 201, j);
}

void RevokeToken(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                 const Caller& c) {
  const base::Status s = ctx.workflow->RevokeApiToken(req.matches[1].str(), c.user);
  if (!s.ok()) return SendStatus(req, res, s);
  res.status = 204;
}

}  // namespace

void AddTokenRoutes(const ApiRoutes& r) {
  r.Read("GET", "/api/v1/api-tokens", ListTokens);
  r.Change("POST", "/api/v1/api-tokens", CreateToken);
  r.Change("POST", R"(/api/v1/api-tokens/([^/]+)/revoke)", RevokeToken);
}

}  // namespace web::internal
