#include "web/http_tsa_transport.h"

#include <cctype>
#include <cstdint>
#include <exception>
#include <memory>
#include <string_view>
#include <utility>

#include <httplib.h>

namespace web {
namespace {

constexpr char kReplyContentType[] = "application/timestamp-reply";

struct Url {
  bool https = false;
  std::string host;  // without the brackets of an IPv6 literal
  int port = 0;
  std::string path;  // "/..." including any query; never empty
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Parses "http[s]://host[:port][/path][?query][#fragment]". The fragment is
// dropped; user information ("user:pw@") is refused rather than silently
// sent in the clear.
base::Result<Url> ParseUrl(const std::string& url) {
  const auto bad = [&](std::string_view why) {
    return base::Status::InvalidArgument("TSA URL \"" + url + "\": " + std::string(why));
  };
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return bad("contains a space or control character");
    }
  }
  const size_t sep = url.find("://");
  if (sep == std::string::npos) return bad("not an http:// or https:// URL");
  Url out;
  const std::string scheme = Lower(std::string_view(url).substr(0, sep));
  if (scheme == "https") {
    out.https = true;
  } else if (scheme != "http") {
    return bad("scheme must be http or https");
  }
  std::string_view rest = std::string_view(url).substr(sep + 3);
  rest = rest.substr(0, rest.find('#'));
  const size_t authority_end = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, authority_end);
  out.path =
      authority_end == std::string_view::npos ? "/" : std::string(rest.substr(authority_end));
  if (out.path[0] == '?') out.path.insert(0, "/");
  if (authority.find('@') != std::string_view::npos) {
    return bad("user information is not supported");
  }

  std::string_view port_text;
  if (!authority.empty() && authority[0] == '[') {  // [IPv6 literal]
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("unterminated [");
    out.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return bad("junk after ]");
      port_text = after.substr(1);
      if (port_text.empty()) return bad("empty port");
    }
  } else {
    const size_t colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return bad("empty port");
    }
  }
  if (out.host.empty()) return bad("no host");
  if (out.host.find_first_of("[]") != std::string::npos) return bad("bad host");
  out.port = out.https ? 443 : 80;
  if (!port_text.empty()) {
    if (port_text.size() > 5) return bad("port out of range");
    int port = 0;
    for (const char c : port_text) {
      if (c < '0' || c > '9') return bad("port is not a number");
      port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) return bad("port out of range");
    out.port = port;
  }
  return out;
}

// The media type of a Content-Type value, without parameters, lower case.
std::string MediaType(const std::string& content_type) {
  std::string_view v(content_type);
  v = v.substr(0, v.find(';'));
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  return Lower(v);
}

// Judges the status line and headers of a reply; OK if the body may follow.
base::Status CheckHead(const httplib::Response& res, size_t max_bytes) {
  if (res.status != 200) {
    return base::Status::Unavailable("HTTP " + std::to_string(res.status) +
                                     (res.reason.empty() ? "" : " " + res.reason));
  }
  if (res.get_header_value_count("Content-Type") > 1) {
    return base::Status::Corruption("reply has more than one Content-Type");
  }
  const std::string type = res.get_header_value("Content-Type");
  if (MediaType(type) != kReplyContentType) {
    return base::Status::Corruption("reply has Content-Type \"" + type + "\", expected " +
                                    kReplyContentType);
  }
  if (res.has_header("Content-Length") &&
      res.get_header_value<uint64_t>("Content-Length") > max_bytes) {
    return base::Status::Corruption("reply of " + res.get_header_value("Content-Length") +
                                    " bytes exceeds the limit of " + std::to_string(max_bytes));
  }
  return base::Status::OK();
}

std::string Millis(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

// An httplib failure (other than our own cancellation) as a Status.
// httplib does not keep errno, so a refused connection, an unknown host
// and a connect timeout look alike.
base::Status TransportError(httplib::Error error, const Url& u, const HttpTsaTransportOptions& o) {
  const std::string peer = u.host + ":" + std::to_string(u.port);
  const std::string what = httplib::to_string(error);
  switch (error) {
    case httplib::Error::Connection:
    case httplib::Error::ConnectionTimeout:
      return base::Status::Unavailable("cannot connect to " + peer + " within " +
                                       Millis(o.connect_timeout) +
                                       " (refused, unreachable or unknown host)");
    case httplib::Error::Read:
      return base::Status::Unavailable("no complete reply from " + peer +
                                       " within the read timeout of " + Millis(o.read_timeout) +
                                       ", or the connection broke");
    case httplib::Error::Write:
      return base::Status::Unavailable("sending the request to " + peer + " failed");
    case httplib::Error::SSLConnection:
      return base::Status::Unavailable("TLS handshake with " + peer + " failed");
    case httplib::Error::SSLServerVerification:
      return base::Status::Unavailable("TLS server certificate of " + peer +
                                       " not trusted or not for this host");
    case httplib::Error::SSLLoadingCerts:
      return base::Status::Unavailable(
          "TLS: cannot load the CA certificates " +
          (o.ca_cert_path.empty() ? std::string("of the system") : o.ca_cert_path));
    default:
      return base::Status::Internal("HTTP client: " + what);
  }
}

}  // namespace

HttpTsaTransport::HttpTsaTransport(HttpTsaTransportOptions options)
    : options_(std::move(options)) {}

base::Result<std::string> HttpTsaTransport::Post(const std::string& url,
                                                 const std::string& content_type,
                                                 const std::string& body) {
  ASSIGN_OR_RETURN(const Url u, ParseUrl(url));
  // cpp-httplib throws little (std::bad_alloc, std::regex_error, ...), but
  // nothing may escape: convert at this adapter.
  try {
    std::unique_ptr<httplib::ClientImpl> client =
        u.https ? std::make_unique<httplib::SSLClient>(u.host, u.port)
                : std::make_unique<httplib::ClientImpl>(u.host, u.port);
    client->set_connection_timeout(options_.connect_timeout);
    client->set_read_timeout(options_.read_timeout);
    client->set_write_timeout(options_.read_timeout);
    client->set_keep_alive(false);
    client->set_follow_location(false);
    if (u.https) {
      client->enable_server_certificate_verification(true);
      if (!options_.ca_cert_path.empty()) client->set_ca_cert_path(options_.ca_cert_path);
    }

    httplib::Request req;
    req.method = "POST";
    req.path = u.path;
    req.body = body;
    req.set_header("Content-Type", content_type);
    req.set_header("Accept", kReplyContentType);
    // Verdict on what the server sent, when we stop reading because of it.
    base::Status verdict;
    std::string reply;
    req.response_handler = [&](const httplib::Response& res) {
      verdict = CheckHead(res, options_.max_response_bytes);
      return verdict.ok();
    };
    req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
      if (reply.size() + n > options_.max_response_bytes) {
        verdict = base::Status::Corruption("reply exceeds the limit of " +
                                           std::to_string(options_.max_response_bytes) + " bytes");
        return false;
      }
      reply.append(data, n);
      return true;
    };

    httplib::Response res;
    httplib::Error error = httplib::Error::Success;
    if (!client->send(req, res, error)) {
      if (!verdict.ok()) return verdict;
      return TransportError(error, u, options_);
    }
    // The response handler is skipped for some replies (e.g. 204): judge
    // the head again.
    RETURN_IF_ERROR(CheckHead(res, options_.max_response_bytes));
    return reply;
  } catch (const std::exception& e) {
    return base::Status::Internal(std::string("HTTP client: ") + e.what());
  }
}

}  // namespace web
