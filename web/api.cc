#include "web/api.h"

#include <functional>
#include <utility>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "archive/archive.h"
#include "archive/correction.h"
#include "archive/search.h"
#include "base/date.h"
#include "workflow/requests.h"
#include "workflow/workflow.h"

namespace web {

using base::Result;
using base::Status;
using nlohmann::json;
using Code = base::Status::Code;

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case Code::kOk:
      return 200;
    case Code::kInvalidArgument:
      return 400;
    case Code::kPermissionDenied:
      return 403;
    case Code::kNotFound:
      return 404;
    case Code::kAborted:
    case Code::kAlreadyExists:
      return 409;
    case Code::kResourceExhausted:
      return 413;
    case Code::kFailedPrecondition:
      return 422;
    case Code::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

std::string ErrorCodeFor(const Status& status) {
  switch (status.code()) {
    case Code::kOk:
      return "ok";
    case Code::kInvalidArgument:
      return "invalid_argument";
    case Code::kPermissionDenied:
      return "permission_denied";
    case Code::kNotFound:
      return "not_found";
    case Code::kAborted:
      return "conflict";
    case Code::kAlreadyExists:
      return "already_exists";
    case Code::kResourceExhausted:
      return "too_large";
    case Code::kFailedPrecondition:
      return "failed_precondition";
    case Code::kUnavailable:
      return "unavailable";
    default:
      return "internal";
  }
}

namespace {

constexpr char kCookieName[] = "kura_session";
constexpr char kCsrfHeader[] = "X-CSRF-Token";
constexpr char kJsonType[] = "application/json; charset=utf-8";
// How many documents the inbox looks at, at most (pages of 1000).
constexpr int kInboxMaxPages = 20;
// A CSV export of every hit stops here; narrow the search for more.
constexpr uint64_t kCsvMaxRows = 200'000;

std::string Dump(const json& j) {
  // replace: invalid UTF-8 in a stored field must not throw here.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

void SendJson(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(Dump(body), kJsonType);
}

void SendError(httplib::Response& res, int status, std::string_view code,
               std::string_view message) {
  SendJson(res, status, json{{"error", {{"code", code}, {"message", message}}}});
}

// The one place a Status becomes a response. Internal errors are logged
// here (once) and not shown in detail.
void SendStatus(const httplib::Request& req, httplib::Response& res, const Status& s) {
  const int http = HttpStatusFor(s);
  if (http >= 500) {
    spdlog::error("{} {}: {}", req.method, req.path, s.ToString());
    SendError(res, http, ErrorCodeFor(s),
              http == 503 ? "一時的に処理できません。しばらくしてから再度お試しください"
                          : "内部エラーが発生しました");
    return;
  }
  SendError(res, http, ErrorCodeFor(s), s.message());
}

std::string DefaultMessage(int status) {
  switch (status) {
    case 400:
      return "リクエストが正しくありません";
    case 401:
      return "ログインしてください";
    case 403:
      return "この操作は許可されていません";
    case 404:
      return "見つかりません";
    case 405:
      return "このメソッドは使えません";
    case 409:
      return "他の操作と競合しました";
    case 413:
      return "ファイルが大きすぎます";
    case 422:
      return "処理できない内容です";
    default:
      return status >= 500 ? "内部エラーが発生しました" : "リクエストを処理できませんでした";
  }
}

std::string CodeForHttp(int status) {
  switch (status) {
    case 400:
      return "invalid_argument";
    case 401:
      return "unauthenticated";
    case 403:
      return "permission_denied";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 409:
      return "conflict";
    case 413:
      return "too_large";
    case 422:
      return "failed_precondition";
    default:
      return status >= 500 ? "internal" : "error";
  }
}

// The JSON body of a request; InvalidArgument if it is not a JSON object.
Result<json> ParseBody(const httplib::Request& req) {
  json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    return Status::InvalidArgument("リクエスト本文が JSON として読めません");
  }
  if (!body.is_object()) {
    return Status::InvalidArgument("リクエスト本文は JSON オブジェクトにしてください");
  }
  return body;
}

std::string StringMember(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string CookieValue(const httplib::Request& req, std::string_view name) {
  const std::string header = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string_view part(header.data() + pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    const size_t eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) {
      return std::string(part.substr(eq + 1));
    }
    pos = end + 1;
  }
  return "";
}

// The base name of an uploaded file name (browsers on Windows may send a
// path).
std::string BaseName(const std::string& name) {
  const size_t slash = name.find_last_of("/\\");
  std::string base = slash == std::string::npos ? name : name.substr(slash + 1);
  return base.empty() ? "upload" : base;
}

// Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266).
std::string ContentDisposition(std::string_view kind, const std::string& file_name) {
  std::string ascii, encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : file_name) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '-' || c == '_';
    ascii += plain ? static_cast<char>(c) : '_';
    if (plain) {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
  }
  return std::string(kind) + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

bool HasAnyRole(const workflow::User& u, std::initializer_list<workflow::Role> roles) {
  for (workflow::Role r : roles) {
    if (u.HasRole(r)) return true;
  }
  return false;
}

// A search item as the workflow's inbox takes it. The search knows the
// receipt's Japan date only; midnight JST of that date stands for the time.
workflow::DocumentSummary ToSummary(const archive::SearchItem& item) {
  workflow::DocumentSummary d;
  d.id = item.id;
  d.department = item.department;
  if (auto date = base::Date::Parse(item.received_date); date.ok()) {
    const int64_t seconds = int64_t{date->DaysSinceEpoch()} * 86400 - 9 * 3600;
    d.received_at = base::FromUnixMicros(seconds * 1'000'000);
  }
  d.counterparty = item.counterparty;
  d.total = item.total.value_or("");
  d.issue_date = item.issue_date.value_or("");
  return d;
}

}  // namespace

struct Api::Rep {
  ApiOptions options;
  archive::Archive* archive;
  workflow::Workflow* workflow;
  const base::Clock* clock;
  SessionStore sessions;
  LoginThrottle throttle;

  Rep(ApiOptions o, archive::Archive* a, workflow::Workflow* w, const base::Clock* c)
      : options(std::move(o)),
        archive(a),
        workflow(w),
        clock(c),
        sessions(c, options.sessions),
        throttle(c, options.login_throttle) {}

  struct Caller {
    Session session;
    workflow::User user;
  };
  using Handler = std::function<void(const httplib::Request&, httplib::Response&, const Caller&)>;

  // Wraps h with the session check (401), the CSRF check for requests that
  // change something (403), and the exception net.
  httplib::Server::Handler Authed(Handler h, bool mutating) {
    return [this, h = std::move(h), mutating](const httplib::Request& req, httplib::Response& res) {
      try {
        const std::string id = CookieValue(req, kCookieName);
        std::optional<Session> session;
        if (!id.empty()) session = sessions.Touch(id);
        if (!session) {
          SendError(res, 401, "unauthenticated",
                    "ログインしてください（セッションがないか、有効期限が切れています）");
          return;
        }
        auto user = workflow->GetUser(session->login);
        if (!user.ok() || !user->active) {
          sessions.Remove(session->id);
          SendError(res, 401, "unauthenticated", "このアカウントは使用できません");
          return;
        }
        if (mutating &&
            !ConstantTimeEquals(req.get_header_value(kCsrfHeader), session->csrf_token)) {
          SendError(res, 403, "csrf",
                    "CSRF トークンがありません（X-CSRF-Token ヘッダーが必要です）");
          return;
        }
        h(req, res, Caller{std::move(*session), std::move(*user)});
      } catch (const std::exception& e) {
        spdlog::error("{} {}: {}", req.method, req.path, e.what());
        SendError(res, 500, "internal", "内部エラーが発生しました");
      }
    };
  }

  std::string SessionCookie(const std::string& value, int64_t max_age) const {
    std::string c = std::string(kCookieName) + "=" + value +
                    "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
    if (options.secure_cookie) c += "; Secure";
    return c;
  }

  // --- Session -------------------------------------------------------------

  void Login(const httplib::Request& req, httplib::Response& res) {
    auto body = ParseBody(req);
    if (!body.ok()) return SendStatus(req, res, body.status());
    const std::string login = StringMember(*body, "login");
    const std::string password = StringMember(*body, "password");
    if (login.empty() || password.empty()) {
      return SendError(res, 400, "invalid_argument", "login と password を指定してください");
    }
    // Password guessing is slowed down per login name and per client
    // address; a locked caller is refused before the password is checked.
    const std::string& address = req.remote_addr;
    if (const auto wait = throttle.Wait(login, address); wait.count() > 0) {
      const long long minutes = (wait.count() + 59) / 60;
      res.set_header("Retry-After", std::to_string(wait.count()));
      return SendError(res, 429, "too_many_attempts",
                       "ログインに続けて失敗したため、一時的にログインできません。約" +
                           std::to_string(minutes) + "分後にもう一度お試しください");
    }
    auto user = workflow->Authenticate(login, password);
    if (!user.ok()) {
      if (user.status().code() == Code::kPermissionDenied) {
        throttle.Failed(login, address);
        return SendError(res, 401, "unauthenticated", user.status().message());
      }
      if (user.status().code() == Code::kFailedPrecondition) {
        return SendError(res, 403, "account_disabled", user.status().message());
      }
      return SendStatus(req, res, user.status());
    }
    throttle.Succeeded(login);
    auto session = sessions.Create(user->login);
    if (!session.ok()) return SendStatus(req, res, session.status());
    res.set_header("Set-Cookie", SessionCookie(session->id, options.sessions.absolute.count()));
    res.set_header("Cache-Control", "no-store");
    SendJson(res, 200,
             json{{"user", workflow::ToJson(*user)}, {"csrf_token", session->csrf_token}});
  }

  void CurrentSession(const httplib::Request&, httplib::Response& res, const Caller& c) {
    res.set_header("Cache-Control", "no-store");
    SendJson(res, 200,
             json{{"user", workflow::ToJson(c.user)}, {"csrf_token", c.session.csrf_token}});
  }

  void Logout(const httplib::Request&, httplib::Response& res, const Caller& c) {
    sessions.Remove(c.session.id);
    res.set_header("Set-Cookie", SessionCookie("", 0));
    res.status = 204;
  }

  // --- Inbox ---------------------------------------------------------------

  void Inbox(const httplib::Request& req, httplib::Response& res, const Caller& c) {
    archive::SearchQuery q;
    const base::Date today = base::Date::InJapan(clock->Now());
    q.received_from = today.AddDays(-options.inbox_days);
    q.limit = 1000;
    // A clerk sees the own department; everyone else may see more, and the
    // workflow keeps to each user's scope (workflow/inbox.h).
    if (!HasAnyRole(c.user, {workflow::Role::kApprover, workflow::Role::kAccountant,
                             workflow::Role::kAuditor, workflow::Role::kCompliance,
                             workflow::Role::kAdmin})) {
      q.department = c.user.department;
    }
    std::vector<workflow::DocumentSummary> received;
    for (int page = 0; page < kInboxMaxPages; ++page) {
      auto r = archive->Search(q);
      if (!r.ok()) return SendStatus(req, res, r.status());
      for (const archive::SearchItem& item : r->items) received.push_back(ToSummary(item));
      if (!r->next) break;
      q.after = *r->next;
      q.count = false;
    }
    auto inbox = workflow->GetInbox(c.user, received);
    if (!inbox.ok()) return SendStatus(req, res, inbox.status());
    json j = workflow::ToJson(*inbox);
    j["user"] = workflow::ToJson(c.user);
    j["today"] = today.ToString();
    SendJson(res, 200, j);
  }

  // --- Documents -----------------------------------------------------------

  void Upload(const httplib::Request& req, httplib::Response& res, const Caller& c) {
    if (!req.is_multipart_form_data() || !req.has_file("file")) {
      return SendError(res, 400, "invalid_argument",
                       "multipart/form-data の file にファイルを指定してください");
    }
    const httplib::MultipartFormData file = req.get_file_value("file");
    if (file.content.size() > options.max_upload_bytes) {
      return SendError(res, 413, "too_large",
                       "ファイルが大きすぎます（上限 " +
                           std::to_string(options.max_upload_bytes >> 20) +
                           " MiB）: " + BaseName(file.filename));
    }
    std::string department = c.user.department;
    if (req.has_file("department")) department = req.get_file_value("department").content;
    if (department != c.user.department &&
        !HasAnyRole(c.user, {workflow::Role::kAccountant, workflow::Role::kAdmin})) {
      return SendError(res, 403, "permission_denied",
                       "自分の課（" + c.user.department + "）の書類だけを登録できます");
    }
    auto departments = workflow->ListDepartments();
    if (!departments.ok()) return SendStatus(req, res, departments.status());
    bool known = false;
    for (const workflow::Department& d : *departments) known = known || d.code == department;
    if (!known) {
      return SendError(res, 400, "invalid_argument", "登録されていない課です: " + department);
    }
    std::vector<archive::IncomingFile> files;
    files.push_back({BaseName(file.filename), department, "upload", c.user.login, file.content});
    auto results = archive->Ingest(std::move(files));
    if (results.empty()) return SendStatus(req, res, Status::Internal("ingest returned nothing"));
    if (!results[0].ok()) return SendStatus(req, res, results[0].status());
    SendJson(res, results[0]->duplicate ? 200 : 201, archive::ToJson(*results[0]));
  }

  void Search(const httplib::Request& req, httplib::Response& res, const Caller&) {
    std::vector<std::pair<std::string, std::string>> params;
    std::string output = "json";
    bool paged = false;
    for (const auto& [key, value] : req.params) {
      if (key == "output") {
        output = value;
        continue;
      }
      paged = paged || key == "limit" || key == "offset" || key == "after";
      params.emplace_back(key, value);
    }
    if (req.get_header_value("Accept").find("text/csv") != std::string::npos) output = "csv";
    if (output != "json" && output != "csv") {
      return SendError(res, 400, "invalid_argument", "output は json か csv です");
    }
    auto q = archive::SearchQueryFromParams(params);
    if (!q.ok()) return SendStatus(req, res, q.status());
    if (output == "json") {
      auto r = archive->Search(*q);
      if (!r.ok()) return SendStatus(req, res, r.status());
      return SendJson(res, 200, archive::ToJson(*r));
    }
    // CSV: one page if the request pages, else every hit (電帳法: hand over
    // the data in the form asked).
    std::string csv = archive::SearchCsvHeader();
    uint64_t rows = 0;
    if (!paged) q->limit = 1000;
    while (true) {
      auto r = archive->Search(*q);
      if (!r.ok()) return SendStatus(req, res, r.status());
      csv += archive::SearchCsvRows(r->items);
      rows += r->items.size();
      if (paged || !r->next) break;
      if (rows >= kCsvMaxRows) {
        return SendError(res, 413, "too_large",
                         "該当件数が多すぎます（" + std::to_string(kCsvMaxRows) +
                             " 件まで）。条件を絞ってください");
      }
      q->after = *r->next;
      q->count = false;
    }
    res.status = 200;
    res.set_header("Content-Disposition", ContentDisposition("attachment", "kura-search.csv"));
    res.set_content(csv, "text/csv; charset=utf-8");
  }

  void Document(const httplib::Request& req, httplib::Response& res, const Caller&) {
    auto view = archive->Get(req.matches[1].str());
    if (!view.ok()) return SendStatus(req, res, view.status());
    SendJson(res, 200, archive::ToJson(*view));
  }

  // A person enters or corrects a document's metadata (a scanned paper
  // invoice has none until someone types it): a new version with the
  // reason, the old one kept. The receiving department's staff, the
  // accounting office and administrators may; approvers and auditors read.
  void Correct(const httplib::Request& req, httplib::Response& res, const Caller& c) {
    const std::string id = req.matches[1].str();
    auto body = ParseBody(req);
    if (!body.ok()) return SendStatus(req, res, body.status());
    const std::string reason = StringMember(*body, "reason");
    if (reason.empty()) {
      return SendError(res, 400, "invalid_argument", "訂正の理由（reason）を入力してください");
    }
    auto changes = archive::NormalizeCorrection(body->value("changes", json()));
    if (!changes.ok()) return SendStatus(req, res, changes.status());
    uint32_t expected_version = 0;
    if (auto v = body->find("version"); v != body->end()) {
      if (!v->is_number_unsigned() || v->get<uint64_t>() > UINT32_MAX) {
        return SendError(res, 400, "invalid_argument", "version は正の整数で指定してください");
      }
      expected_version = v->get<uint32_t>();
    }
    auto view = archive->Get(id);
    if (!view.ok()) return SendStatus(req, res, view.status());
    const std::string department =
        view->receipts.empty() ? std::string() : view->receipts.front().department;
    const bool own_department = c.user.HasRole(workflow::Role::kClerk) &&
                                !department.empty() && c.user.department == department;
    if (!own_department && !c.user.HasRole(workflow::Role::kAccountant) &&
        !c.user.HasRole(workflow::Role::kAdmin)) {
      return SendError(res, 403, "permission_denied",
                       "この書類の項目は、受け付けた課の担当者か会計室だけが入力・訂正できます");
    }
    auto version = archive->Correct(id, *changes, c.user.login, reason, expected_version);
    if (!version.ok()) return SendStatus(req, res, version.status());
    SendJson(res, 200, archive::ToJson(*version));
  }

  void Original(const httplib::Request& req, httplib::Response& res, const Caller&) {
    const std::string id = req.matches[1].str();
    auto view = archive->Get(id);
    if (!view.ok()) return SendStatus(req, res, view.status());
    auto bytes = archive->ReadOriginal(id);
    if (!bytes.ok()) return SendStatus(req, res, bytes.status());
    const std::string& type = view->document.media_type;
    const std::string name =
        view->receipts.empty() ? id : BaseName(view->receipts.front().file_name);
    // PDFs open in the browser; anything else (XML may carry script) is a
    // download, and nothing runs in our origin (sandbox, nosniff).
    const bool pdf = type == "application/pdf";
    res.status = 200;
    res.set_header("Content-Disposition", ContentDisposition(pdf ? "inline" : "attachment", name));
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Content-Security-Policy", "sandbox");
    res.set_header("Cache-Control", "private, no-cache");
    res.set_content(std::move(*bytes), type.empty() ? "application/octet-stream" : type);
  }

  // --- Organisation and commitments ----------------------------------------

  void Departments(const httplib::Request& req, httplib::Response& res, const Caller&) {
    auto list = workflow->ListDepartments();
    if (!list.ok()) return SendStatus(req, res, list.status());
    json items = json::array();
    for (const auto& d : *list) items.push_back(workflow::ToJson(d));
    SendJson(res, 200, json{{"items", items}});
  }

  void Vendors(const httplib::Request& req, httplib::Response& res, const Caller&) {
    auto list = workflow->ListVendors();
    if (!list.ok()) return SendStatus(req, res, list.status());
    json items = json::array();
    for (const auto& v : *list) items.push_back(workflow::ToJson(v));
    SendJson(res, 200, json{{"items", items}});
  }

  void Commitments(const httplib::Request& req, httplib::Response& res, const Caller&) {
    workflow::CommitmentFilter filter;
    filter.department = req.get_param_value("department");
    filter.vendor_id = req.get_param_value("vendor_id");
    if (const std::string fy = req.get_param_value("fiscal_year"); !fy.empty()) {
      int year = 0;
      for (char ch : fy) {
        if (ch < '0' || ch > '9' || year > 100000) {
          return SendError(res, 400, "invalid_argument", "fiscal_year は年（例: 2026）です");
        }
        year = year * 10 + (ch - '0');
      }
      filter.fiscal_year = year;
    }
    auto list = workflow->ListCommitments(filter);
    if (!list.ok()) return SendStatus(req, res, list.status());
    json items = json::array();
    for (const auto& cm : *list) items.push_back(workflow::ToJson(cm));
    SendJson(res, 200, json{{"items", items}});
  }

  void CreateCommitment(const httplib::Request& req, httplib::Response& res, const Caller& c) {
    auto body = ParseBody(req);
    if (!body.ok()) return SendStatus(req, res, body.status());
    auto commitment = workflow::CommitmentFromRequest(*body);
    if (!commitment.ok()) return SendStatus(req, res, commitment.status());
    auto created = workflow->CreateCommitment(*commitment, c.user);
    if (!created.ok()) return SendStatus(req, res, created.status());
    SendJson(res, 201, workflow::ToJson(*created));
  }

  // --- Payment orders ------------------------------------------------------

  void DraftOrder(const httplib::Request& req, httplib::Response& res, const Caller& c) {
    auto body = ParseBody(req);
    if (!body.ok()) return SendStatus(req, res, body.status());
    const std::string document_id = StringMember(*body, "document_id");
    const std::string commitment_id = StringMember(*body, "commitment_id");
    if (document_id.empty() || commitment_id.empty()) {
      return SendError(res, 400, "invalid_argument",
                       "document_id と commitment_id を指定してください");
    }
    auto view = workflow->Draft(document_id, commitment_id, c.user);
    if (!view.ok()) return SendStatus(req, res, view.status());
    SendJson(res, 201, workflow::ToJson(*view));
  }

  void GetOrder(const httplib::Request& req, httplib::Response& res, const Caller& c) {
    auto view = workflow->GetOrder(req.matches[1].str(), c.user);
    if (!view.ok()) return SendStatus(req, res, view.status());
    SendJson(res, 200, workflow::ToJson(*view));
  }

  void Act(const httplib::Request& req, httplib::Response& res, const Caller& c) {
    auto body = ParseBody(req);
    if (!body.ok()) return SendStatus(req, res, body.status());
    auto request = workflow::ActionRequestFromJson(*body);
    if (!request.ok()) return SendStatus(req, res, request.status());
    auto view = workflow->Act(req.matches[1].str(), *request, c.user);
    if (!view.ok()) return SendStatus(req, res, view.status());
    SendJson(res, 200, workflow::ToJson(*view));
  }
};

Api::Api(ApiOptions options, archive::Archive* archive, workflow::Workflow* workflow,
         const base::Clock* clock)
    : rep_(std::make_unique<Rep>(std::move(options), archive, workflow, clock)) {}

Api::~Api() = default;

SessionStore* Api::sessions() { return &rep_->sessions; }

void Api::Register(httplib::Server* server) {
  Rep* r = rep_.get();
  auto bind = [r](void (Rep::*fn)(const httplib::Request&, httplib::Response&, const Rep::Caller&),
                  bool mutating) {
    return r->Authed([r, fn](const httplib::Request& req, httplib::Response& res,
                             const Rep::Caller& c) { (r->*fn)(req, res, c); },
                     mutating);
  };
  constexpr bool kRead = false, kWrite = true;
  // Multipart overhead beyond the file itself; the handler checks the
  // file's own size and answers 413 with a message.
  server->set_payload_max_length(static_cast<size_t>(r->options.max_upload_bytes + (1 << 20)));

  server->Post("/api/v1/session", [r](const httplib::Request& req, httplib::Response& res) {
    try {
      r->Login(req, res);
    } catch (const std::exception& e) {
      spdlog::error("{} {}: {}", req.method, req.path, e.what());
      SendError(res, 500, "internal", "内部エラーが発生しました");
    }
  });
  server->Get("/api/v1/session", bind(&Rep::CurrentSession, kRead));
  server->Delete("/api/v1/session", bind(&Rep::Logout, kWrite));
  server->Get("/api/v1/inbox", bind(&Rep::Inbox, kRead));
  server->Post("/api/v1/documents", bind(&Rep::Upload, kWrite));
  server->Get("/api/v1/documents", bind(&Rep::Search, kRead));
  server->Get(R"(/api/v1/documents/([^/]+))", bind(&Rep::Document, kRead));
  server->Get(R"(/api/v1/documents/([^/]+)/original)", bind(&Rep::Original, kRead));
  server->Post(R"(/api/v1/documents/([^/]+)/corrections)", bind(&Rep::Correct, kWrite));
  server->Get("/api/v1/departments", bind(&Rep::Departments, kRead));
  server->Get("/api/v1/vendors", bind(&Rep::Vendors, kRead));
  server->Get("/api/v1/commitments", bind(&Rep::Commitments, kRead));
  server->Post("/api/v1/commitments", bind(&Rep::CreateCommitment, kWrite));
  server->Post("/api/v1/payment-orders", bind(&Rep::DraftOrder, kWrite));
  server->Get(R"(/api/v1/payment-orders/([^/]+))", bind(&Rep::GetOrder, kRead));
  server->Post(R"(/api/v1/payment-orders/([^/]+)/actions)", bind(&Rep::Act, kWrite));

  // Statuses httplib sets itself (404 for an unknown path, 413 for a body
  // over the limit, 400 for a malformed request) get the same JSON shape.
  server->set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty() || req.path.rfind("/api/", 0) != 0) return;
    SendError(res, res.status, CodeForHttp(res.status), DefaultMessage(res.status));
  });
}

}  // namespace web
