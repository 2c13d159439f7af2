// The session resource: POST /api/v1/session (log in), GET (who am I, and
// the CSRF token again), DELETE (log out).
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "web/internal/api_context.h"
#include "web/internal/http_util.h"
#include "workflow/workflow.h"

namespace web::internal {
namespace {

using Code = base::Status::Code;
using nlohmann::json;

// Password guessing is slowed down per login name and per client address;
// a locked caller is refused (429) before the password is checked. True if
// the caller must wait (the response is written).
bool Throttled(ApiContext& ctx, const std::string& login, const httplib::Request& req,
               httplib::Response& res) {
  const auto wait = ctx.throttle.Wait(login, req.remote_addr);
  if (wait.count() <= 0) return false;
  const long long minutes = (wait.count() + 59) / 60;
  res.set_header("Retry-After", std::to_string(wait.count()));
  SendError(res, 429, "too_many_attempts",
            "ログインに続けて失敗したため、一時的にログインできません。約" +
                std::to_string(minutes) + "分後にもう一度お試しください");
  return true;
}

void Login(ApiContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto body = ParseBody(req);
  if (!body.ok()) return SendStatus(req, res, body.status());
  const std::string login = StringMember(*body, "login");
  const std::string password = StringMember(*body, "password");
  if (login.empty() || password.empty()) {
    return SendError(res, 400, "invalid_argument", "login と password を指定してください");
  }
  if (Throttled(ctx, login, req, res)) return;
  auto user = ctx.workflow->Authenticate(login, password);
  if (!user.ok()) {
    // base::Status has no "unauthenticated": a bad login or password is
    // Authenticate's PermissionDenied, and the session endpoint says 401.
    if (user.status().code() == Code::kPermissionDenied) {
      ctx.throttle.Failed(login, req.remote_addr);
      return SendError(res, 401, "unauthenticated", user.status().message());
    }
    if (user.status().code() == Code::kFailedPrecondition) {
      return SendError(res, 403, "account_disabled", user.status().message());
    }
    return SendStatus(req, res, user.status());
  }
  ctx.throttle.Succeeded(login);
  auto session = ctx.sessions.Create(user->login);
  if (!session.ok()) return SendStatus(req, res, session.status());
  res.set_header("Set-Cookie",
                 ctx.SessionCookie(session->id, ctx.options.sessions.absolute.count()));
  res.set_header("Cache-Control", "no-store");
  SendJson(res, 200, json{{"user", workflow::ToJson(*user)}, {"csrf_token", session->csrf_token}});
}

void CurrentSession(ApiContext&, const httplib::Request&, httplib::Response& res, const Caller& c) {
  res.set_header("Cache-Control", "no-store");
  SendJson(res, 200,
           json{{"user", workflow::ToJson(c.user)}, {"csrf_token", c.session.csrf_token}});
}

void Logout(ApiContext& ctx, const httplib::Request&, httplib::Response& res, const Caller& c) {
  ctx.sessions.Remove(c.session.id);
  res.set_header("Set-Cookie", ctx.SessionCookie("", 0));
  res.status = 204;
}

}  // namespace

void AddSessionRoutes(const ApiRoutes& r) {
  r.Public("POST", "/api/v1/session", Login);
  r.Read("GET", "/api/v1/session", CurrentSession);
  r.Change("DELETE", "/api/v1/session", Logout);
}

}  // namespace web::internal
