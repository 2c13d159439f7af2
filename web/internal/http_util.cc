#include "web/internal/http_util.h"

#include <algorithm>

#include <optional>

#include <httplib.h>
#include <spdlog/spdlog.h>

#include "base/status_text.h"
#include "base/text.h"
#include "web/api.h"

namespace web::internal {

using base::Result;
using base::Status;
using nlohmann::json;
using Code = base::Status::Code;

std::string Dump(const json& j) {
  // replace: invalid UTF-8 in a stored field must not throw here.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

void SendJson(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(Dump(body), kJsonType);
}

std::string ForDisplay(std::string_view message) { return base::DisplayName(message, 1000); }

std::string ForLog(std::string_view client_text) { return base::DisplayName(client_text, 200); }

std::string LogText(const Status& s) {
  return std::string(base::JapaneseSummary(s.code())) + ": " + ForDisplay(s.message());
}

void SendError(httplib::Response& res, int status, std::string_view code,
               std::string_view message) {
  SendJson(res, status, json{{"error", {{"code", code}, {"message", ForDisplay(message)}}}});
}

json ErrorJson(const httplib::Request& req, const Status& s) {
  const int http = HttpStatusFor(s);
  if (http >= 500) {
    // Corruption and I/O errors are "internal" to the user too; the detail
    // is in the log.
    spdlog::error("{} {}: {}", req.method, ForLog(req.path), LogText(s));
    return json{
        {"code", ErrorCodeFor(s)},
        {"message", base::JapaneseSummary(http == 503 ? Code::kUnavailable : Code::kInternal)}};
  }
  return json{{"code", ErrorCodeFor(s)}, {"message", ForDisplay(s.message())}};
}

void SendStatus(const httplib::Request& req, httplib::Response& res, const Status& s) {
  SendJson(res, HttpStatusFor(s), json{{"error", ErrorJson(req, s)}});
}

namespace {

// The Status code an HTTP status that cpp-httplib set itself stands for;
// nullopt for 401 and 405 (HTTP's own) and other 4xx.
std::optional<Code> CodeForHttpStatus(int status) {
  switch (status) {
    case 400:
      return Code::kInvalidArgument;
    case 403:
      return Code::kPermissionDenied;
    case 404:
      return Code::kNotFound;
    case 409:
      return Code::kAborted;
    case 413:
      return Code::kResourceExhausted;
    case 422:
      return Code::kFailedPrecondition;
    default:
      if (status >= 500) return Code::kInternal;
      return std::nullopt;
  }
}

}  // namespace

std::string DefaultMessage(int status) {
  if (status == 401) return "ログインしてください";
  if (status == 405) return "このメソッドは使えません";
  if (const std::optional<Code> code = CodeForHttpStatus(status)) {
    return std::string(base::JapaneseSummary(*code));
  }
  return "リクエストを処理できませんでした";
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

namespace {

// No request of the API nests deeper than a few levels; a deeper body is
// refused before the (recursive) JSON code sees it.
constexpr int kMaxJsonDepth = 32;

// The deepest nesting of [ and { in text, outside strings.
int JsonDepth(std::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

Result<json> ParseBody(const httplib::Request& req) {
  // Only JSON: a form or text/plain body can be sent by any web page without
  // a preflight (a login CSRF), a JSON one cannot.
  const std::string type = req.get_header_value("Content-Type");
  if (type.substr(0, type.find(';')) != "application/json") {
    return Status::InvalidArgument(
        "リクエスト本文の形式（Content-Type）は application/json にしてください");
  }
  if (JsonDepth(req.body) > kMaxJsonDepth) {
    return Status::InvalidArgument("リクエスト本文の JSON の入れ子が深すぎます");
  }
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

std::string BaseName(const std::string& name) {
  const size_t slash = name.find_last_of("/\\");
  // Shown to people: without control or format characters, capped.
  const std::string base =
      base::DisplayName(slash == std::string::npos ? name : name.substr(slash + 1));
  return base.empty() ? "upload" : base;
}

std::string ContentDisposition(std::string_view kind, const std::string& file_name,
                               const std::string& ascii_fallback) {
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
  if (!ascii_fallback.empty()) ascii = ascii_fallback;
  return std::string(kind) + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace web::internal
