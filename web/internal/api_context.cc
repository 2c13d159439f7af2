#include "web/internal/api_context.h"

#include <optional>
#include <utility>

#include <httplib.h>
#include <spdlog/spdlog.h>

#include "base/status_text.h"
#include "web/internal/http_util.h"
#include "workflow/access.h"
#include "workflow/api_token.h"
#include "workflow/workflow.h"

namespace web::internal {

ApiContext::ApiContext(ApiOptions o, archive::Archive* a, workflow::Workflow* w,
                       const base::Clock* c)
    : options(std::move(o)),
      archive(a),
      workflow(w),
      clock(c),
      sessions(c, options.sessions),
      throttle(c, options.login_throttle) {}

base::Result<retention::Retention*> ApiContext::Retention() {
  std::lock_guard<std::mutex> l(retention_mu_);
  if (!retention_) {
    ASSIGN_OR_RETURN(retention_, retention::Retention::Open(archive, clock, options.retention));
  }
  return retention_.get();
}

base::Result<compliance::ExportJobs*> ApiContext::Exports() {
  std::lock_guard<std::mutex> l(exports_mu_);
  if (options.exports.dir.empty()) {
    return base::Status::Unavailable("このサーバーでは証跡出力の保存先が設定されていません");
  }
  if (!exports_) {
    exports_fs_ = base::NewPosixFileSystem();
    exports_ = std::make_unique<compliance::ExportJobs>(archive, exports_fs_.get(), clock,
                                                        options.exports);
  }
  return exports_.get();
}

base::Result<archive::OcrStore*> ApiContext::OcrProposals() {
  std::lock_guard<std::mutex> l(ocr_mu_);
  if (!ocr_) {
    ASSIGN_OR_RETURN(ocr_, archive::OcrStore::Open(archive));
  }
  return ocr_.get();
}

std::string ApiContext::SessionCookie(const std::string& value, int64_t max_age) const {
  std::string c = std::string(kCookieName) + "=" + value +
                  "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
  if (options.secure_cookie) c += "; Secure";
  return c;
}

namespace {

// What a user with a temporary password (must_change_password) may do:
// see and end the session, and change the password.
bool AllowedBeforePasswordChange(const httplib::Request& req) {
  return req.path == "/api/v1/session" || req.path == "/api/v1/session/password";
}

// The caller of req, or nullopt after answering 401 or 403.
std::optional<Caller> CheckSession(ApiContext& ctx, const httplib::Request& req,
                                   httplib::Response& res, RequestKind kind) {
  const std::string id = CookieValue(req, kCookieName);
  std::optional<Session> session;
  if (!id.empty()) session = ctx.sessions.Touch(id);
  if (!session) {
    SendError(res, 401, "unauthenticated",
              "ログインしてください（セッションがないか、有効期限が切れています）");
    return std::nullopt;
  }
  auto user = ctx.workflow->GetUser(session->login);
  if (!user.ok() || !workflow::MayUseSession(*user).ok()) {
    ctx.sessions.Remove(session->id);
    SendError(res, 401, "unauthenticated", "このアカウントは使用できません");
    return std::nullopt;
  }
  if (user->session_generation != session->user_generation) {
    // The password, the roles or the department changed since the login
    // (in this process or another, e.g. the CLI).
    ctx.sessions.Remove(session->id);
    SendError(res, 401, "unauthenticated",
              "パスワードまたは権限が変更されたため、もう一度ログインしてください");
    return std::nullopt;
  }
  if (user->must_change_password && !AllowedBeforePasswordChange(req)) {
    SendError(res, 403, "password_change_required",
              "管理者が設定した仮のパスワードです。先にパスワードを変更してください");
    return std::nullopt;
  }
  if (kind != RequestKind::kRead &&
      !ConstantTimeEquals(req.get_header_value(kCsrfHeader), session->csrf_token)) {
    SendError(res, 403, "csrf", "CSRF トークンがありません（X-CSRF-Token ヘッダーが必要です）");
    return std::nullopt;
  }
  return Caller{std::move(*session), std::move(*user)};
}

// The caller of a request that presents an API token, or nullopt after
// answering 401 or 403.
std::optional<Caller> CheckToken(ApiContext& ctx, const std::string& authorization,
                                 httplib::Response& res) {
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.compare(0, kBearer.size(), kBearer) != 0) {
    SendError(res, 401, "unauthenticated", "Authorization は Bearer トークンで指定してください");
    return std::nullopt;
  }
  auto token = ctx.workflow->AuthenticateToken(authorization.substr(kBearer.size()));
  if (!token.ok()) {
    SendError(res, 401, "unauthenticated", token.status().message());
    return std::nullopt;
  }
  if (!token->HasScope(workflow::kUploadScope)) {
    SendError(res, 403, "permission_denied", "このAPIトークンでは書類を登録できません");
    return std::nullopt;
  }
  return Caller{Session{}, workflow::TokenUser(*token)};
}

void InternalError(const httplib::Request& req, httplib::Response& res, const std::exception& e) {
  spdlog::error("{} {}: 処理中に例外が発生しました: {}", req.method, ForLog(req.path),
                ForLog(e.what()));
  SendError(res, 500, "internal", base::JapaneseSummary(base::Status::Code::kInternal));
}

}  // namespace

// The caller: by API token where the route takes one and the request
// presents one, else by session.
std::optional<Caller> CheckCaller(ApiContext& ctx, const httplib::Request& req,
                                  httplib::Response& res, RequestKind kind) {
  const std::string authorization = req.get_header_value("Authorization");
  if (kind == RequestKind::kChangeOrUploadToken && !authorization.empty()) {
    return CheckToken(ctx, authorization, res);
  }
  return CheckSession(ctx, req, res, kind);
}

HttpHandler Authed(ApiContext* ctx, AuthedHandler h, RequestKind kind) {
  return [ctx, h, kind](const httplib::Request& req, httplib::Response& res) {
    try {
      const std::optional<Caller> caller = CheckCaller(*ctx, req, res, kind);
      if (caller) h(*ctx, req, res, *caller);
    } catch (const std::exception& e) {
      InternalError(req, res, e);
    }
  };
}

HttpReadingHandler AuthedReading(ApiContext* ctx, AuthedReadingHandler h, RequestKind kind) {
  return [ctx, h, kind](const httplib::Request& req, httplib::Response& res,
                        const httplib::ContentReader& body) {
    try {
      const std::optional<Caller> caller = CheckCaller(*ctx, req, res, kind);
      if (caller) h(*ctx, req, res, *caller, body);
    } catch (const std::exception& e) {
      InternalError(req, res, e);
    }
  };
}

HttpHandler Open(ApiContext* ctx, OpenHandler h) {
  return [ctx, h](const httplib::Request& req, httplib::Response& res) {
    try {
      h(*ctx, req, res);
    } catch (const std::exception& e) {
      InternalError(req, res, e);
    }
  };
}

base::Status NarrowToReadScope(const ApiContext& ctx, const workflow::User& user,
                               std::string* department) {
  const std::string scope = ctx.workflow->ReadScope(user);
  if (scope.empty() || *department == scope) return base::Status::OK();
  if (department->empty()) {
    *department = scope;
    return base::Status::OK();
  }
  return ctx.workflow->CheckRead(user, *department);
}

void ApiRoutes::Read(const char* method, const char* pattern, AuthedHandler h) const {
  table->Add(method, pattern, RouteAccess::kSession, Authed(ctx, h, RequestKind::kRead));
}

void ApiRoutes::Change(const char* method, const char* pattern, AuthedHandler h) const {
  table->Add(method, pattern, RouteAccess::kChange, Authed(ctx, h, RequestKind::kChange));
}

void ApiRoutes::ChangeReading(const char* method, const char* pattern,
                              AuthedReadingHandler h) const {
  table->Add(method, pattern, RouteAccess::kChange, AuthedReading(ctx, h, RequestKind::kChange));
}

void ApiRoutes::UploadReading(const char* method, const char* pattern,
                              AuthedReadingHandler h) const {
  table->Add(method, pattern, RouteAccess::kChangeOrToken,
             AuthedReading(ctx, h, RequestKind::kChangeOrUploadToken));
}

void ApiRoutes::Public(const char* method, const char* pattern, OpenHandler h) const {
  table->Add(method, pattern, RouteAccess::kPublic, Open(ctx, h));
}

}  // namespace web::internal
