// RouteTable: every route the server answers, in one table — method, path
// pattern (cpp-httplib's regular expression, matched against the whole
// path), who may call it at all, and the handler. The server registers its
// routes from it, answers a known path with a method it does not serve by
// 405 and an Allow header (before the body is read), and the authorization
// test walks the same table, so a route cannot be added without an entry
// there.
//
// Who may call a route at all is its Access; what a caller may see or do
// beyond that (their department, their role at a route step) is decided by
// the handler and the workflow.
//
// A route may read its own body as it arrives (an upload: cpp-httplib's
// content reader, so that the body is never buffered whole); its handler
// then runs before a byte of the body is read, and what it refuses before
// reading (a missing session) is refused without the body. A body such a
// handler leaves unread ends the connection (Connection: close), so that
// it is never taken for the next request.
//
// cpp-httplib stays out of this header (forward declarations only).
//
// Thread safety: built on one thread before the server starts; read-only
// afterwards, and then safe for concurrent use.
#ifndef WEB_INTERNAL_ROUTE_TABLE_H_
#define WEB_INTERNAL_ROUTE_TABLE_H_

#include <functional>
#include <regex>
#include <string>
#include <vector>

#include "web/server.h"

namespace httplib {
struct Request;
struct Response;
class Server;
class ContentReader;
}  // namespace httplib

namespace web::internal {

/// What cpp-httplib calls (httplib::Server::Handler).
using HttpHandler = std::function<void(const httplib::Request&, httplib::Response&)>;
/// What cpp-httplib calls for a route that reads its own body
/// (httplib::Server::HandlerWithContentReader).
using HttpReadingHandler =
    std::function<void(const httplib::Request&, httplib::Response&, const httplib::ContentReader&)>;

class RouteTable {
 public:
  /// Adds a route. method is "GET", "POST", "PUT", "PATCH" or "DELETE" (a
  /// GET route answers HEAD too); pattern must be a valid ECMAScript regular
  /// expression (a bad one is a programming error and aborts).
  void Add(const char* method, const char* pattern, RouteAccess access, HttpHandler handler);
  /// Adds a route whose handler reads the body itself, as it arrives.
  /// method is "POST", "PUT", "PATCH" or "DELETE" (anything else is a
  /// programming error and aborts).
  void Add(const char* method, const char* pattern, RouteAccess access, HttpReadingHandler handler);

  /// Registers every route with server, and a pre-routing handler that
  /// answers 405 with Allow for a path some route matches under another
  /// method, 404 for a path no route matches and 415 for a body with a
  /// Content-Encoding (all before the body is read). Call once, after the
  /// last Add; the table must outlive the server's use of it.
  void Install(httplib::Server* server) const;

  /// The methods served at path, as an Allow header value ("GET, HEAD,
  /// POST"), or "" if no route matches path.
  std::string Allow(const std::string& path) const;

  /// Every route, in the order added.
  std::vector<RouteInfo> List() const;

 private:
  struct Entry {
    std::string method;
    std::string pattern;
    std::regex regex;
    RouteAccess access;
    HttpHandler handler;         // or
    HttpReadingHandler reading;  // for a route that reads its own body
  };
  std::vector<Entry> entries_;
};

}  // namespace web::internal

#endif  // WEB_INTERNAL_ROUTE_TABLE_H_
