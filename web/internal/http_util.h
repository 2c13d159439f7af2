// Helpers the API's handlers share to read requests and write responses:
// JSON bodies and members, cookies, file names for Content-Disposition, and
// the one place a base::Status becomes an error response. Internal to web/.
//
// cpp-httplib stays out of this header (forward declarations only).
//
// Thread safety: pure functions; each touches only the request and
// response it is given.
#ifndef WEB_INTERNAL_HTTP_UTIL_H_
#define WEB_INTERNAL_HTTP_UTIL_H_

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "base/status.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace web::internal {

inline constexpr char kJsonType[] = "application/json; charset=utf-8";

/// j as compact UTF-8 JSON; invalid UTF-8 in a stored field is replaced
/// (U+FFFD) instead of throwing.
std::string Dump(const nlohmann::json& j);

/// Sets status and body (application/json).
void SendJson(httplib::Response& res, int status, const nlohmann::json& body);
/// Sets status and {"error": {"code": code, "message": message}}; the
/// message through ForDisplay (it may quote what the client sent).
void SendError(httplib::Response& res, int status, std::string_view code, std::string_view message);
/// The one place a Status becomes a response: HttpStatusFor and
/// ErrorCodeFor (api.h), with the Status's message (through ForDisplay) for
/// statuses below 500. Errors of 500 and above are logged here (once, as
/// LogText) and answered with the base::JapaneseSummary of kInternal (or
/// kUnavailable for 503), so no detail of the server leaks.
void SendStatus(const httplib::Request& req, httplib::Response& res, const base::Status& s);
/// The {"code", "message"} object SendStatus puts under "error", for a
/// response that reports several outcomes (one per uploaded file). Errors of
/// 500 and above are logged and summarised the same way.
nlohmann::json ErrorJson(const httplib::Request& req, const base::Status& s);

/// A message fit to show a person: without control or format characters
/// (a client's line breaks or escape sequences quoted in it), at most 1000
/// characters (base::DisplayName).
std::string ForDisplay(std::string_view message);
/// Text a client sent (a path, a login name), fit for one log line: no
/// control characters, at most 200 characters.
std::string ForLog(std::string_view client_text);
/// "<JapaneseSummary>: <message>" of s, for the server log.
std::string LogText(const base::Status& s);

/// The message and "code" for an error status cpp-httplib set itself (no
/// route, body too large, malformed request), which has no Status: the
/// message is base::JapaneseSummary of the code the status stands for
/// (404: kNotFound, ...), HTTP's own words for 401 and 405.
std::string DefaultMessage(int status);
std::string CodeForHttp(int status);

/// The JSON body of a request; InvalidArgument if it is not a JSON object.
base::Result<nlohmann::json> ParseBody(const httplib::Request& req);
/// j[key] if it is a string, else "".
std::string StringMember(const nlohmann::json& j, const char* key);
/// The value of the cookie `name` in the request's Cookie header, or "".
std::string CookieValue(const httplib::Request& req, std::string_view name);

/// The base name of an uploaded file name (browsers on Windows may send a
/// path); "upload" if nothing is left.
std::string BaseName(const std::string& name);
/// A Content-Disposition value of kind ("inline" or "attachment") with an
/// ASCII fallback (ascii_fallback if given, else the name with '_' for
/// other characters) and the UTF-8 file name (RFC 6266).
std::string ContentDisposition(std::string_view kind, const std::string& file_name,
                               const std::string& ascii_fallback = "");

}  // namespace web::internal

#endif  // WEB_INTERNAL_HTTP_UTIL_H_
