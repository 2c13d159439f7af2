#include "web/server.h"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include "archive/archive.h"
#include "base/status_text.h"
#include "ledger/data_dir.h"
#include "web/internal/client_address.h"
#include "web/internal/guarded_server.h"
#include "web/internal/http_util.h"
#include "web/internal/route_table.h"
#include "web/internal/tls.h"
#include "web/internal/ui_assets.h"

namespace web {

using base::Result;
using base::Status;

Result<ServerOptions> ParseListen(const std::string& listen) {
  ServerOptions o;
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= listen.size()) {
    return Status::InvalidArgument("[server] listen は ホスト:ポート で指定してください（例: 127.0.0.1:8080）: \"" + listen + "\"");
  }
  o.host = listen.substr(0, colon);
  if (o.host.size() > 2 && o.host.front() == '[' && o.host.back() == ']') {
    o.host = o.host.substr(1, o.host.size() - 2);
  }
  int port = 0;
  for (char c : listen.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535) {
      return Status::InvalidArgument("[server] listen のポート番号が数字ではありません: \"" + listen + "\"");
    }
    port = port * 10 + (c - '0');
  }
  if (port > 65535) {
    return Status::InvalidArgument("[server] listen のポート番号は 65535 までです: \"" + listen + "\"");
  }
  o.port = port;
  return o;
}

struct Server::Rep {
  ServerOptions options;
  archive::Archive* archive;
  std::unique_ptr<internal::GuardedServer> http;
  std::unique_ptr<Api> api;
  internal::RouteTable routes;
  int port = -1;
};

namespace {
// A file of the screens (web/ui/), revalidated with its ETag on every use
// so that a new kura binary never leaves an old script in a browser.
void ServeAsset(const internal::UiAsset& asset, const httplib::Request& req,
                httplib::Response& res) {
  res.set_header("ETag", std::string(asset.etag));
  res.set_header("Cache-Control", "no-cache");
  if (req.get_header_value("If-None-Match") == asset.etag) {
    res.status = 304;
    return;
  }
  res.set_content(asset.body.data(), asset.body.size(), std::string(asset.content_type).c_str());
}

// Headers every response carries unless its handler set its own (the
// original's download sets a stricter CSP: sandbox); over HTTPS also HSTS.
void AddSecurityHeaders(bool tls, const httplib::Request& req, httplib::Response& res) {
  auto set = [&](const char* name, const char* value) {
    if (!res.has_header(name)) res.set_header(name, value);
  };
  if (tls) set("Strict-Transport-Security", internal::kHstsValue);
  set("Content-Security-Policy",
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  set("X-Content-Type-Options", "nosniff");
  set("X-Frame-Options", "DENY");
  set("Referrer-Policy", "no-referrer");
  set("Cross-Origin-Opener-Policy", "same-origin");
  set("Cross-Origin-Resource-Policy", "same-origin");
  // Nothing an API answers (documents, orders, sessions) belongs in a cache.
  if (req.path.rfind("/api/", 0) == 0) set("Cache-Control", "no-store");
}

}  // namespace

Server::Server(ServerOptions options, archive::Archive* archive, workflow::Workflow* workflow,
               const base::Clock* clock)
    : rep_(std::make_unique<Rep>()) {
  rep_->options = std::move(options);
  rep_->archive = archive;
  const bool tls = !rep_->options.tls_cert_pem.empty() || !rep_->options.tls_key_pem.empty();
  // A cookie set over HTTPS must never travel over plain HTTP.
  if (tls) rep_->options.api.secure_cookie = true;
  internal::ConnectionLimits limits;
  // Uploads may be as large as a received file may be, plus the multipart
  // framing; every other request is small JSON.
  const uint64_t upload = rep_->options.api.max_upload_bytes + (1 << 20);
  const uint64_t legacy = rep_->options.api.max_legacy_creditors_bytes + (1 << 20);
  limits.body_limit = [upload, legacy](std::string_view method,
                                       std::string_view path) -> uint64_t {
    if (method == "POST" && path == "/api/v1/documents") return upload;
    if (method == "POST" && path == "/api/v1/legacy-creditors/imports") return legacy;
    return uint64_t{1} << 20;
  };
  rep_->http = std::make_unique<internal::GuardedServer>(std::move(limits));
  auto& http = *rep_->http;
  internal::RouteTable& routes = rep_->routes;
  if (workflow != nullptr) {
    rep_->api = std::make_unique<Api>(rep_->options.api, archive, workflow, clock);
    rep_->api->Register(&routes, &http);
  }
  constexpr RouteAccess kPublic = RouteAccess::kPublic;
  routes.Add("GET", "/healthz", kPublic, [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain; charset=utf-8");
  });
  routes.Add("GET", "/api/v1/version", kPublic,
             [this](const httplib::Request&, httplib::Response& res) {
               const nlohmann::json j{{"name", "kura"},
                                      {"version", rep_->options.version},
                                      {"data_format", ledger::kDataFormatVersion}};
               res.set_content(j.dump(), "application/json; charset=utf-8");
             });
  // The screens: one page (index.html) whose script shows the rest; the
  // data come from the API, which checks the session.
  routes.Add("GET", "/", kPublic, [](const httplib::Request& req, httplib::Response& res) {
    ServeAsset(*internal::FindUiAsset("/ui/index.html"), req, res);
  });
  routes.Add("GET", "/ui/[A-Za-z0-9_./-]+", kPublic,
             [](const httplib::Request& req, httplib::Response& res) {
               const internal::UiAsset* asset = internal::FindUiAsset(req.path);
               if (asset == nullptr) {
                 res.status = 404;
                 res.set_content("見つかりません\n", "text/plain; charset=utf-8");
                 return;
               }
               ServeAsset(*asset, req, res);
             });
  routes.Install(&http);
  http.set_post_routing_handler([tls](const httplib::Request& req, httplib::Response& res) {
    AddSecurityHeaders(tls, req, res);
  });
  // The client's address: behind a trusted proxy, the one it forwarded.
  http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    spdlog::info("{} {} {} {}", req.remote_addr, req.method, internal::ForLog(req.path),
                 res.status);
  });
  // Last-resort net: a handler that throws is a bug; log it and answer 500.
  http.set_exception_handler([](const httplib::Request& req, httplib::Response& res,
                                std::exception_ptr ep) {
    std::string what = "不明な例外";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    spdlog::error("{} {}: 処理されなかった例外（不具合です）: {}", req.method,
                  internal::ForLog(req.path), internal::ForLog(what));
    internal::SendError(res, 500, "internal", base::JapaneseSummary(base::Status::Code::kInternal));
  });
}

Server::~Server() = default;

Result<int> Server::Bind() {
  auto& o = rep_->options;
  if (!o.tls_cert_pem.empty() || !o.tls_key_pem.empty()) {
    if (o.tls_cert_pem.empty() || o.tls_key_pem.empty()) {
      return Status::InvalidArgument("HTTPS には証明書と秘密鍵の両方が必要です");
    }
    auto tls = internal::TlsContext::Create(o.tls_cert_pem, o.tls_key_pem);
    if (!tls.ok()) return tls.status();
    rep_->http->UseTls(std::move(*tls));
    // The key is in OpenSSL's context now; no second copy lingers here.
    OPENSSL_cleanse(o.tls_key_pem.data(), o.tls_key_pem.size());
    o.tls_key_pem.clear();
  }
  auto proxies = internal::TrustedProxies::Parse(o.trusted_proxies);
  if (!proxies.ok()) return proxies.status();
  rep_->http->SetTrustedProxies(std::move(*proxies));
  if (o.port == 0) {
    rep_->port = rep_->http->bind_to_any_port(o.host);
  } else if (rep_->http->bind_to_port(o.host, o.port)) {
    rep_->port = o.port;
  }
  if (rep_->port > 0) rep_->http->RaiseBacklog();
  if (rep_->port <= 0) {
    return Status::Unavailable(internal::ForLog(o.host) + ":" + std::to_string(o.port) +
                               " で待ち受けできません（ほかのプログラムが使用中か、このマシンの"
                               "アドレスではありません）");
  }
  return rep_->port;
}

Status Server::Run() {
  if (!rep_->http->listen_after_bind()) {
    return Status::IOError("HTTP サーバーが予期せず停止しました");
  }
  return Status::OK();
}

void Server::Stop() { rep_->http->stop(); }

std::vector<RouteInfo> Server::Routes() const { return rep_->routes.List(); }

}  // namespace web
