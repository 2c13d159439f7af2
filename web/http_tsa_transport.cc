#include "web/http_tsa_transport.h"

#include <cctype>
#include <cstdint>
#include <exception>
#include <memory>
#include <string_view>
#include <utility>

#include <httplib.h>

#include "base/text.h"

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
    return base::Status::InvalidArgument("TSA の URL \"" + base::DisplayName(url, 200) +
                                         "\" が正しくありません: " + std::string(why) +
                                         "（kura.toml の [timestamp] url を確かめてください）");
  };
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return bad("空白または制御文字が含まれています");
    }
  }
  const size_t sep = url.find("://");
  if (sep == std::string::npos) return bad("http:// または https:// で始まる URL ではありません");
  Url out;
  const std::string scheme = Lower(std::string_view(url).substr(0, sep));
  if (scheme == "https") {
    out.https = true;
  } else if (scheme != "http") {
    return bad("http か https の URL にしてください");
  }
  std::string_view rest = std::string_view(url).substr(sep + 3);
  rest = rest.substr(0, rest.find('#'));
  const size_t authority_end = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, authority_end);
  out.path =
      authority_end == std::string_view::npos ? "/" : std::string(rest.substr(authority_end));
  if (out.path[0] == '?') out.path.insert(0, "/");
  if (authority.find('@') != std::string_view::npos) {
    return bad("ユーザー情報（user:password@）は指定できません");
  }

  std::string_view port_text;
  if (!authority.empty() && authority[0] == '[') {  // [IPv6 literal]
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("[ が閉じていません");
    out.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return bad("] の後に余分な文字があります");
      port_text = after.substr(1);
      if (port_text.empty()) return bad("ポート番号が空です");
    }
  } else {
    const size_t colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return bad("ポート番号が空です");
    }
  }
  if (out.host.empty()) return bad("ホスト名がありません");
  if (out.host.find_first_of("[]") != std::string::npos) return bad("ホスト名が正しくありません");
  out.port = out.https ? 443 : 80;
  if (!port_text.empty()) {
    if (port_text.size() > 5) return bad("ポート番号は 1 から 65535 にしてください");
    int port = 0;
    for (const char c : port_text) {
      if (c < '0' || c > '9') return bad("ポート番号が数字ではありません");
      port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) return bad("ポート番号は 1 から 65535 にしてください");
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
    return base::Status::Unavailable(
        "TSA が HTTP " + std::to_string(res.status) +
        (res.reason.empty() ? "" : " " + base::DisplayName(res.reason, 100)) +
        " を返しました（TSA が停止中か、URL が違う可能性があります）");
  }
  if (res.get_header_value_count("Content-Type") > 1) {
    return base::Status::Corruption("TSA の応答に Content-Type が複数あります");
  }
  const std::string type = res.get_header_value("Content-Type");
  if (MediaType(type) != kReplyContentType) {
    return base::Status::Corruption("TSA の応答の Content-Type が \"" +
                                    base::DisplayName(type, 100) + "\" です（" + kReplyContentType +
                                    " ではありません。URL が違う可能性があります）");
  }
  if (res.has_header("Content-Length") &&
      res.get_header_value<uint64_t>("Content-Length") > max_bytes) {
    return base::Status::Corruption(
        "TSA の応答（" + base::DisplayName(res.get_header_value("Content-Length"), 20) +
        " バイト）が上限の " + std::to_string(max_bytes) + " バイトを超えています");
  }
  return base::Status::OK();
}

std::string Millis(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ミリ秒"; }

// An httplib failure (other than our own cancellation) as a Status.
// httplib does not keep errno, so a refused connection, an unknown host
// and a connect timeout look alike.
base::Status TransportError(httplib::Error error, const Url& u, const HttpTsaTransportOptions& o) {
  const std::string peer = u.host + ":" + std::to_string(u.port);
  const std::string what = httplib::to_string(error);
  switch (error) {
    case httplib::Error::Connection:
    case httplib::Error::ConnectionTimeout:
      return base::Status::Unavailable(
          "TSA（" + peer + "）に " + Millis(o.connect_timeout) +
          " 以内に接続できません（接続の拒否、到達できないか、ホスト名が不明です）。"
          "kura.toml の [timestamp] url とネットワークを確かめてください");
    case httplib::Error::Read:
      return base::Status::Unavailable("TSA（" + peer + "）から読み取りの制限時間 " +
                                       Millis(o.read_timeout) +
                                       " 以内に応答が届かないか、接続が切れました");
    case httplib::Error::Write:
      return base::Status::Unavailable("TSA（" + peer + "）への要求の送信に失敗しました");
    case httplib::Error::SSLConnection:
      return base::Status::Unavailable("TSA（" + peer + "）との TLS の接続確立に失敗しました");
    case httplib::Error::SSLServerVerification:
      return base::Status::Unavailable(
          "TSA（" + peer +
          "）の TLS サーバー証明書が信頼できないか、このホストのものでは"
          "ありません");
    case httplib::Error::SSLLoadingCerts:
      return base::Status::Unavailable(
          "TLS: CA 証明書を読み込めません（" +
          (o.ca_cert_path.empty() ? std::string("システムの証明書") : o.ca_cert_path) + "）");
    default:
      return base::Status::Internal("TSA への HTTP 通信でエラーが発生しました: " + what);
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
        verdict = base::Status::Corruption("TSA の応答が上限の " +
                                           std::to_string(options_.max_response_bytes) +
                                           " バイトを超えています");
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
    return base::Status::Internal(std::string("TSA への HTTP 通信でエラーが発生しました: ") +
                                  e.what());
  }
}

}  // namespace web
