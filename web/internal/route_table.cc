#include "web/internal/route_table.h"

#include <array>
#include <cstdlib>
#include <utility>

#include <httplib.h>

#include "web/internal/http_util.h"

namespace web::internal {

namespace {

// Methods in the order the Allow header lists them.
const std::array<const char*, 6>& AllowOrder() {
  static const std::array<const char*, 6> order = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"};
  return order;
}

// The method as the refusal names it: only a plain token is echoed.
std::string Printable(const std::string& method) {
  if (method.empty() || method.size() > 16) return "この方法";
  for (char c : method) {
    if (c < 'A' || c > 'Z') return "この方法";
  }
  return method;
}

// Runs a handler that reads its own body with a reader that notes whether
// the body was read to its end. If not (refused before the body, or the
// body was malformed), the answer says Connection: close, and the guarded
// server closes the connection, so that the rest is never taken for the
// next request.
void RunReading(const HttpReadingHandler& handler, const httplib::Request& req,
                httplib::Response& res, const httplib::ContentReader& reader) {
  bool read = false;
  const httplib::ContentReader noted(
      [&](httplib::ContentReceiver receiver) {
        read = reader(std::move(receiver));
        return read;
      },
      [&](httplib::MultipartContentHeader header, httplib::ContentReceiver receiver) {
        read = reader(std::move(header), std::move(receiver));
        return read;
      });
  handler(req, res, noted);
  if (!read) res.set_header("Connection", "close");
}

// Whether cpp-httplib reads a body for the request's method.
bool MayHaveBody(const httplib::Request& req) {
  return req.method == "POST" || req.method == "PUT" || req.method == "PATCH" ||
         req.method == "DELETE";
}

// For an answer given before the body is read: if a body was announced, the
// connection ends after the answer (the guarded server closes it), and the
// client is told so.
void CloseIfBodyUnread(const httplib::Request& req, httplib::Response& res) {
  const std::string length = req.get_header_value("Content-Length");
  if (req.has_header("Transfer-Encoding") || (!length.empty() && length != "0")) {
    res.set_header("Connection", "close");
  }
}

// What is answered before cpp-httplib reads a body (or routes at all): an
// encoded body, a path no route has, a method no route of the path serves.
httplib::Server::HandlerResponse PreRoute(const RouteTable& table, const httplib::Request& req,
                                          httplib::Response& res) {
  // cpp-httplib would inflate a gzip, deflate or br body into memory
  // without any limit (the guarded server bounds the bytes on the wire: a
  // 1 MiB body became 1 GiB), and an upload is archived as sent: no route
  // takes an encoded body.
  const std::string encoding = req.get_header_value("Content-Encoding");
  if (MayHaveBody(req) && !encoding.empty() && encoding != "identity") {
    SendError(res, 415, "unsupported_media_type",
              "圧縮した本文（Content-Encoding）は受け付けていません。圧縮せずに送ってください");
    CloseIfBodyUnread(req, res);
    return httplib::Server::HandlerResponse::Handled;
  }
  const std::string allow = table.Allow(req.path);
  if (allow.empty()) {
    // No route: answered before a body is read.
    if (req.path.rfind("/api/", 0) == 0) {
      SendError(res, 404, "not_found", "このURLはありません");
    } else {
      res.status = 404;
      res.set_content("見つかりません\n", "text/plain; charset=utf-8");
    }
    CloseIfBodyUnread(req, res);
    return httplib::Server::HandlerResponse::Handled;
  }
  const std::string listed = ", " + allow + ",";
  if (listed.find(", " + req.method + ",") != std::string::npos) {
    return httplib::Server::HandlerResponse::Unhandled;
  }
  res.set_header("Allow", allow);
  SendError(res, 405, "method_not_allowed",
            "このURLでは " + Printable(req.method) + " は使えません（使えるのは " + allow + "）");
  CloseIfBodyUnread(req, res);
  return httplib::Server::HandlerResponse::Handled;
}

}  // namespace

void RouteTable::Add(const char* method, const char* pattern, RouteAccess access,
                     HttpHandler handler) {
  entries_.push_back(
      Entry{method, pattern, std::regex(pattern), access, std::move(handler), nullptr});
}

void RouteTable::Add(const char* method, const char* pattern, RouteAccess access,
                     HttpReadingHandler handler) {
  const std::string m = method;
  if (m != "POST" && m != "PUT" && m != "PATCH" && m != "DELETE") std::abort();
  entries_.push_back(
      Entry{method, pattern, std::regex(pattern), access, nullptr, std::move(handler)});
}

std::string RouteTable::Allow(const std::string& path) const {
  bool served[6] = {};
  bool any = false;
  for (const Entry& e : entries_) {
    if (!std::regex_match(path, e.regex)) continue;
    any = true;
    for (size_t i = 0; i < AllowOrder().size(); ++i) {
      if (e.method == AllowOrder()[i] || (e.method == "GET" && i == 1)) served[i] = true;
    }
  }
  if (!any) return "";
  std::string allow;
  for (size_t i = 0; i < AllowOrder().size(); ++i) {
    if (!served[i]) continue;
    if (!allow.empty()) allow += ", ";
    allow += AllowOrder()[i];
  }
  return allow;
}

void RouteTable::Install(httplib::Server* server) const {
  for (const Entry& e : entries_) {
    if (e.reading) {
      const httplib::Server::HandlerWithContentReader h =
          [reading = e.reading](const httplib::Request& req, httplib::Response& res,
                                const httplib::ContentReader& reader) {
            RunReading(reading, req, res, reader);
          };
      if (e.method == "POST") {
        server->Post(e.pattern, h);
      } else if (e.method == "PUT") {
        server->Put(e.pattern, h);
      } else if (e.method == "PATCH") {
        server->Patch(e.pattern, h);
      } else {
        server->Delete(e.pattern, h);
      }
    } else if (e.method == "GET") {
      server->Get(e.pattern, e.handler);
    } else if (e.method == "POST") {
      server->Post(e.pattern, e.handler);
    } else if (e.method == "PUT") {
      server->Put(e.pattern, e.handler);
    } else if (e.method == "PATCH") {
      server->Patch(e.pattern, e.handler);
    } else if (e.method == "DELETE") {
      server->Delete(e.pattern, e.handler);
    }
  }
  // Runs before cpp-httplib reads a body.
  server->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    return PreRoute(*this, req, res);
  });
}

std::vector<RouteInfo> RouteTable::List() const {
  std::vector<RouteInfo> list;
  list.reserve(entries_.size());
  for (const Entry& e : entries_) list.push_back(RouteInfo{e.method, e.pattern, e.access});
  return list;
}

}  // namespace web::internal
