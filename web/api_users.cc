// Users and accounts, for administrators: GET /api/v1/users (the list, with
// each name's login throttle), POST /api/v1/users (create), POST
// /api/v1/users/{login} (name, roles, department, title, enable/disable),
// POST /api/v1/users/{login}/password (a temporary password) and POST
// /api/v1/users/{login}/unlock (lift the login throttle). The decisions and
// the events are the workflow's; a change that ends the user's sessions
// also drops them from this server's store at once (other servers end them
// on their next request: Session::user_generation).
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "web/internal/api_context.h"
#include "web/internal/http_util.h"
#include "workflow/access.h"
#include "workflow/requests.h"
#include "workflow/workflow.h"

namespace web::internal {
namespace {

using nlohmann::json;

// A user as the administrator's screens show it: ToJson and, if this
// server is making the name wait after failed logins, until when.
json UserAnswer(const ApiContext& ctx, const workflow::User& u) {
  json j = workflow::ToJson(u);
  const auto until = ctx.throttle.ThrottledUntil(u.login);
  j["throttled_until"] = until ? json(base::FormatRfc3339(*until)) : json(nullptr);
  return j;
}

// The {login} of the path.
std::string PathLogin(const httplib::Request& req) {
  return req.matches.size() > 1 ? req.matches[1].str() : std::string();
}

// Drops this server's sessions that the change ended and forgives the
// name's failed logins if the change lifted its throttle; answers the user.
void Changed(ApiContext& ctx, httplib::Response& res, const workflow::User& u, int status = 200) {
  ctx.sessions.RemoveStale(u.login, u.session_generation);
  if (u.unlocked_at != base::Time{}) ctx.throttle.Unlock(u.login, u.unlocked_at);
  SendJson(res, status, UserAnswer(ctx, u));
}

void ListUsers(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
               const Caller& c) {
  if (const base::Status s = workflow::MayManageUsers(c.user); !s.ok()) {
    return SendStatus(req, res, s);
  }
  auto list = ctx.workflow->ListUsers();
  if (!list.ok()) return SendStatus(req, res, list.status());
  json items = json::array();
  for (const auto& u : *list) items.push_back(UserAnswer(ctx, u));
  SendJson(res, 200, json{{"items", items}});
}

void CreateUser(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                const Caller& c) {
  if (const base::Status s = workflow::MayManageUsers(c.user); !s.ok()) {
    return SendStatus(req, res, s);
  }
  auto body = ParseBody(req);
  if (!body.ok()) return SendStatus(req, res, body.status());
  auto request = workflow::NewUserFromRequest(*body);
  if (!request.ok()) return SendStatus(req, res, request.status());
  if (const base::Status s = ctx.workflow->AddUser(request->user, request->password, c.user);
      !s.ok()) {
    return SendStatus(req, res, s);
  }
  auto created = ctx.workflow->GetUser(request->user.login);
  if (!created.ok()) return SendStatus(req, res, created.status());
  SendJson(res, 201, UserAnswer(ctx, *created));
}

void UpdateUser(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                const Caller& c) {
  if (const base::Status s = workflow::MayManageUsers(c.user); !s.ok()) {
    return SendStatus(req, res, s);
  }
  auto body = ParseBody(req);
  if (!body.ok()) return SendStatus(req, res, body.status());
  auto change = workflow::UserChangeFromRequest(*body);
  if (!change.ok()) return SendStatus(req, res, change.status());
  auto user = ctx.workflow->UpdateUser(PathLogin(req), *change, c.user);
  if (!user.ok()) return SendStatus(req, res, user.status());
  Changed(ctx, res, *user);
}

void ResetPassword(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                   const Caller& c) {
  if (const base::Status s = workflow::MayManageUsers(c.user); !s.ok()) {
    return SendStatus(req, res, s);
  }
  auto body = ParseBody(req);
  if (!body.ok()) return SendStatus(req, res, body.status());
  const std::string password = StringMember(*body, "password");
  if (password.empty()) {
    return SendError(res, 400, "invalid_argument", "password（仮のパスワード）を指定してください");
  }
  auto user = ctx.workflow->ResetPassword(PathLogin(req), password, c.user);
  if (!user.ok()) return SendStatus(req, res, user.status());
  Changed(ctx, res, *user);
}

void Unlock(ApiContext& ctx, const httplib::Request& req, httplib::Response& res, const Caller& c) {
  if (const base::Status s = workflow::MayManageUsers(c.user); !s.ok()) {
    return SendStatus(req, res, s);
  }
  auto user = ctx.workflow->UnlockLogin(PathLogin(req), c.user);
  if (!user.ok()) return SendStatus(req, res, user.status());
  Changed(ctx, res, *user);
}

}  // namespace

void AddUserRoutes(const ApiRoutes& r) {
  r.Read("GET", "/api/v1/users", ListUsers);
  r.Change("POST", "/api/v1/users", CreateUser);
  r.Change("POST", "/api/v1/users/([^/]+)", UpdateUser);
  r.Change("POST", "/api/v1/users/([^/]+)/password", ResetPassword);
  r.Change("POST", "/api/v1/users/([^/]+)/unlock", Unlock);
}

}  // namespace web::internal
