// The session resource: POST /api/v1/session (log in), GET (who am I, and
// the CSRF token again), DELETE (log out), POST /api/v1/session/password
// (change one's own password).
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "web/internal/api_context.h"
#include "web/internal/http_util.h"
#include "workflow/workflow.h"

namespace web::internal {
namespace {

using Code = base::Status::Code;
using nlohmann::json;

// The client address the login throttle counts by. The one place a
// handler reads it.
std::string ClientAddress(const httplib::Request& req) { return req.remote_addr; }

// Password guessing is slowed down per login name and client address
// (web/login_throttle.h); a throttled caller is refused (429) before the
// password is checked. True if the caller must wait (the response is
// written).
bool Throttled(ApiContext& ctx, const std::string& login, const std::string& address,
               httplib::Response& res) {
  auto wait = ctx.throttle.Wait(login, address);
  if (wait.count() <= 0) return false;
  // An administrator may have unlocked the name since, in this process or
  // another (kura user unlock): the user record says when.
  if (auto user = ctx.workflow->GetUser(login); user.ok() && user->unlocked_at != base::Time{}) {
    ctx.throttle.Unlock(login, user->unlocked_at);
    wait = ctx.throttle.Wait(login, address);
    if (wait.count() <= 0) return false;
  }
  const long long minutes = (wait.count() + 59) / 60;
  res.set_header("Retry-After", std::to_string(wait.count()));
  SendError(res, 429, "too_many_attempts",
            "ログインに続けて失敗したため、一時的にログインできません。約" +
                std::to_string(minutes) + "分後にもう一度お試しください");
  return true;
}

// Counts a wrong password; a throttle that begins with it goes to the
// event log (at most a bounded number per minute: LoginThrottle).
void RecordFailure(ApiContext& ctx, const std::string& login, const std::string& address) {
  for (const ThrottleOnset& o : ctx.throttle.Failed(login, address)) {
    workflow::LoginThrottled e;
    e.scope = o.scope == ThrottleOnset::Scope::kPair ? "pair" : "address";
    e.login = o.login;
    e.address = o.address;
    e.failures = o.failures;
    e.until = o.until;
    e.unlogged = o.unlogged;
    spdlog::warn("ログインを一時的に制限しました（{}）: ログインID {}、アドレス {}、{} 回失敗",
                 e.scope == "pair" ? "ログインIDとアドレス" : "アドレス", ForLog(e.login),
                 ForLog(e.address), e.failures);
    if (const base::Status s = ctx.workflow->RecordLoginThrottled(e); !s.ok()) {
      spdlog::error("ログイン制限をイベントログに記録できません: {}", LogText(s));
    }
  }
}

// Answers a new session: the cookie, the user and the CSRF token.
void SendSession(ApiContext& ctx, httplib::Response& res, const workflow::User& user,
                 const Session& session) {
  res.set_header("Set-Cookie",
                 ctx.SessionCookie(session.id, ctx.options.sessions.absolute.count()));
  res.set_header("Cache-Control", "no-store");
  SendJson(res, 200, json{{"user", workflow::ToJson(user)}, {"csrf_token", session.csrf_token}});
}

void Login(ApiContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto body = ParseBody(req);
  if (!body.ok()) return SendStatus(req, res, body.status());
  const std::string login = StringMember(*body, "login");
  const std::string password = StringMember(*body, "password");
  if (login.empty() || password.empty()) {
    return SendError(res, 400, "invalid_argument", "login と password を指定してください");
  }
  const std::string address = ClientAddress(req);
  if (Throttled(ctx, login, address, res)) return;
  // No login ID is longer (workflow::Validate); such a name is a wrong one.
  auto user = login.size() <= 64 ? ctx.workflow->Authenticate(login, password)
                                 : base::Result<workflow::User>(base::Status::PermissionDenied(
                                       "ログインIDまたはパスワードが違います"));
  if (!user.ok()) {
    // base::Status has no "unauthenticated": a bad login or password is
    // Authenticate's PermissionDenied, and the session endpoint says 401.
    if (user.status().code() == Code::kPermissionDenied) {
      RecordFailure(ctx, login, address);
      return SendError(res, 401, "unauthenticated", user.status().message());
    }
    if (user.status().code() == Code::kFailedPrecondition) {
      return SendError(res, 403, "account_disabled", user.status().message());
    }
    return SendStatus(req, res, user.status());
  }
  ctx.throttle.Succeeded(login, address);
  auto session = ctx.sessions.Create(user->login, user->session_generation);
  if (!session.ok()) return SendStatus(req, res, session.status());
  SendSession(ctx, res, *user, *session);
}

// The caller changes their own password with the current one. The current
// password is guessed no more easily here than at the login: the same
// throttle. Every session of the user ends; the caller gets a new one.
void ChangeOwnPassword(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                       const Caller& c) {
  auto body = ParseBody(req);
  if (!body.ok()) return SendStatus(req, res, body.status());
  const std::string current = StringMember(*body, "current_password");
  const std::string next = StringMember(*body, "new_password");
  if (current.empty() || next.empty()) {
    return SendError(res, 400, "invalid_argument",
                     "current_password と new_password を指定してください");
  }
  const std::string address = ClientAddress(req);
  if (Throttled(ctx, c.user.login, address, res)) return;
  auto user = ctx.workflow->ChangePassword(c.user.login, current, next, c.user);
  if (!user.ok()) {
    if (user.status().code() == Code::kPermissionDenied) RecordFailure(ctx, c.user.login, address);
    return SendStatus(req, res, user.status());
  }
  ctx.sessions.RemoveLogin(user->login);
  auto session = ctx.sessions.Create(user->login, user->session_generation);
  if (!session.ok()) return SendStatus(req, res, session.status());
  SendSession(ctx, res, *user, *session);
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
  r.Change("POST", "/api/v1/session/password", ChangeOwnPassword);
}

}  // namespace web::internal
