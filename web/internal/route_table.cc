#include "web/internal/route_table.h"

#include <array>
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

}  // namespace

void RouteTable::Add(const char* method, const char* pattern, RouteAccess access,
                     HttpHandler handler) {
  entries_.push_back(Entry{method, pattern, std::regex(pattern), access, std::move(handler)});
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
    if (e.method == "GET") {
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
  // Runs before cpp-httplib reads a body: a method no route of the path
  // serves is answered at once.
  server->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    const std::string allow = Allow(req.path);
    if (allow.empty()) {
      // No route: answered before a body is read.
      if (req.path.rfind("/api/", 0) == 0) {
        SendError(res, 404, "not_found", "このURLはありません");
      } else {
        res.status = 404;
        res.set_content("見つかりません\n", "text/plain; charset=utf-8");
      }
      return httplib::Server::HandlerResponse::Handled;
    }
    const std::string listed = ", " + allow + ",";
    if (listed.find(", " + req.method + ",") != std::string::npos) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    res.set_header("Allow", allow);
    SendError(res, 405, "method_not_allowed",
              "このURLでは " + Printable(req.method) + " は使えません（使えるのは " + allow + "）");
    return httplib::Server::HandlerResponse::Handled;
  });
}

std::vector<RouteInfo> RouteTable::List() const {
  std::vector<RouteInfo> list;
  list.reserve(entries_.size());
  for (const Entry& e : entries_) list.push_back(RouteInfo{e.method, e.pattern, e.access});
  return list;
}

}  // namespace web::internal
