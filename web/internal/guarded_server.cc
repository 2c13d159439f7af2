#include "web/internal/guarded_server.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "web/internal/tls.h"
#include "web/internal/transport.h"

namespace web::internal {

// One accepted connection: its transport, the bytes read from it and not
// yet handed to httplib (read-then-replay, see the header), and who sent it.
struct Connection {
  std::unique_ptr<Transport> transport;
  std::string buf;
  size_t pos = 0;  ///< buf[pos..] is still to be replayed
  std::string peer;
  bool via_proxy = false;

  std::string_view Buffered() const { return std::string_view(buf).substr(pos); }
  void Consume(size_t n) {
    pos += n;
    if (pos == buf.size()) {
      buf.clear();
      pos = 0;
    }
  }
};

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr uint64_t kDefaultBodyLimit = 1 << 20;
// One read or write waits at most this long (as httplib's own 5 s).
constexpr int kIoTimeoutMs = 5'000;

std::string Address(const sockaddr_storage& ss) {
  char buf[INET6_ADDRSTRLEN] = "";
  if (ss.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(ss).sin_addr, buf, sizeof buf);
  } else if (ss.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(ss).sin6_addr, buf, sizeof buf);
  }
  return buf;
}

int Port(const sockaddr_storage& ss) {
  if (ss.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(ss).sin_port);
  if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(ss).sin6_port);
  return 0;
}

void Endpoint(socket_t sock, bool peer, std::string* ip, int* port) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  const int r = peer ? getpeername(sock, reinterpret_cast<sockaddr*>(&ss), &len)
                     : getsockname(sock, reinterpret_cast<sockaddr*>(&ss), &len);
  *ip = r == 0 ? Address(ss) : "";
  *port = r == 0 ? Port(ss) : 0;
}

int MillisUntil(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<int64_t>(left, 0, kIoTimeoutMs));
}

const char* Reason(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 408:
      return "Request Timeout";
    case 413:
      return "Payload Too Large";
    case 431:
      return "Request Header Fields Too Large";
    default:
      return "Service Unavailable";
  }
}

// An error answer written straight to the transport, outside httplib.
void SendRefusal(Transport& t, int status, std::string_view code, std::string_view message) {
  const std::string body = nlohmann::json{{"error", {{"code", code}, {"message", message}}}}.dump();
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + Reason(status) + "\r\n";
  out += "Content-Type: application/json; charset=utf-8\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += "Connection: close\r\nX-Content-Type-Options: nosniff\r\n";
  if (t.secure()) out += std::string("Strict-Transport-Security: ") + kHstsValue + "\r\n";
  if (status == 503) out += "Retry-After: 5\r\n";
  out += "\r\n" + body;
  t.Write(out, kIoTimeoutMs);
}

void RefuseTooLarge(Transport& t) {
  SendRefusal(t, 413, "too_large", "送信されたデータが大きすぎます。上限を超えています");
}

// httplib's view of the connection: the bytes read ahead first, then the
// transport; reads stop at the request's byte budget (413) and at a body
// slower than the minimum rate (408); after a refusal, what httplib writes
// is dropped (the refusal was the answer).
class GuardedStream final : public httplib::Stream {
 public:
  GuardedStream(Connection& conn, uint64_t budget, const ConnectionLimits& limits)
      : conn_(conn), t_(*conn.transport), budget_(budget), limits_(limits), start_(Clock::now()) {}

  bool refused() const { return refused_; }
  /// Bytes httplib has read of this request, header included.
  uint64_t bytes_read() const { return read_; }

  bool is_readable() const override {
    return !refused_ && (!conn_.Buffered().empty() || t_.HasBuffered() ||
                         WaitFor(t_.socket(), POLLIN, kIoTimeoutMs));
  }
  bool is_writable() const override {
    return !refused_ && WaitFor(t_.socket(), POLLOUT, kIoTimeoutMs);
  }

  ssize_t read(char* ptr, size_t size) override {
    if (refused_) return -1;
    if (read_ >= budget_) return Refuse(413);
    if (TooSlow()) return Refuse(408);
    const size_t want = static_cast<size_t>(std::min<uint64_t>(size, budget_ - read_));
    size_t n = std::min(want, conn_.Buffered().size());
    if (n > 0) {
      std::memcpy(ptr, conn_.Buffered().data(), n);
      conn_.Consume(n);
    } else {
      const IoResult r = t_.Read(ptr, want, kIoTimeoutMs);
      if (r.status == IoStatus::kClosed) return 0;
      if (r.status != IoStatus::kOk) return -1;
      n = r.bytes;
    }
    read_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (refused_) return static_cast<ssize_t>(size);
    return t_.Write(std::string_view(ptr, size), kIoTimeoutMs) ? static_cast<ssize_t>(size) : -1;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    Endpoint(t_.socket(), true, &ip, &port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    Endpoint(t_.socket(), false, &ip, &port);
  }
  socket_t socket() const override { return t_.socket(); }

 private:
  bool TooSlow() const {
    const auto elapsed = Clock::now() - start_;
    if (elapsed <= limits_.body_grace) return false;
    const double seconds = std::chrono::duration<double>(elapsed).count();
    return static_cast<double>(read_) < seconds * static_cast<double>(limits_.min_body_rate);
  }

  ssize_t Refuse(int status) {
    refused_ = true;
    if (status == 413) {
      RefuseTooLarge(t_);
    } else {
      SendRefusal(t_, 408, "timeout", "データの送信が遅すぎるため、接続を切りました");
    }
    return -1;
  }

  Connection& conn_;
  Transport& t_;
  uint64_t budget_;
  const ConnectionLimits& limits_;
  Clock::time_point start_;
  uint64_t read_ = 0;
  bool refused_ = false;
};

// Reads until the request's header is complete in conn.buf (the bytes stay
// there for httplib), over a limit, the deadline passes or the peer leaves.
// `idle` until the first byte: a kept-alive connection may wait that long
// for its next request; the header then has until `deadline`.
PeekedHeader ReadHeader(Connection& conn, const ConnectionLimits& limits, bool* closed,
                        bool* timed_out) {
  const auto examine = [&] {
    return ExamineHeader(conn.Buffered(), limits.max_header_bytes, limits.max_header_lines);
  };
  PeekedHeader h = examine();
  if (h.state != PeekedHeader::State::kIncomplete) return h;  // pipelined
  const auto idle_until = Clock::now() + limits.idle_timeout;
  auto deadline = Clock::now() + limits.header_deadline;
  char chunk[4096];
  for (;;) {
    const size_t have = conn.Buffered().size();
    const auto until = have == 0 ? std::min(idle_until, deadline) : deadline;
    // Never more than one byte past the header limit (the rest is body).
    const size_t room = std::min(sizeof chunk, limits.max_header_bytes + 1 - have);
    const IoResult r = conn.transport->Read(chunk, room, MillisUntil(until));
    if (r.status == IoStatus::kTimeout) {
      if (Clock::now() < until) continue;  // a slice of kIoTimeoutMs ended
      *timed_out = have > 0;
      *closed = have == 0;
      return h;
    }
    if (r.status != IoStatus::kOk) {
      // Gone, or shut down its side with the header incomplete.
      *closed = true;
      return h;
    }
    if (have == 0) deadline = Clock::now() + limits.header_deadline;
    conn.buf.append(chunk, r.bytes);
    h = examine();
    if (h.state != PeekedHeader::State::kIncomplete) return h;
  }
}

// Every X-Forwarded-For line of req, in order, joined by ",".
std::string ForwardedFor(const httplib::Request& req) {
  std::string out;
  const size_t count = req.get_header_value_count("X-Forwarded-For");
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) out += ',';
    out += req.get_header_value("X-Forwarded-For", i);
  }
  return out;
}

// A close with unread input resets the connection, and the client may
// lose the answer it has not read yet: stop sending, and swallow what it
// still sends for a moment (bounded) first.
void LingeringClose(Transport& t) {
  t.FinishSending();
  char buf[4096];
  size_t drained = 0;
  const auto until = Clock::now() + milliseconds(500);
  while (drained < (256u << 10) && WaitFor(t.socket(), POLLIN, MillisUntil(until))) {
    const ssize_t n = ::recv(t.socket(), buf, sizeof buf, 0);
    if (n <= 0) break;
    drained += static_cast<size_t>(n);
  }
}

}  // namespace

namespace {

// True if a header line starts with name (lower case, with its colon),
// compared case-insensitively.
bool StartsWithName(std::string_view line, std::string_view name) {
  return line.size() >= name.size() &&
         std::equal(name.begin(), name.end(), line.begin(), [](char a, char b) {
           return a == std::tolower(static_cast<unsigned char>(b));
         });
}

}  // namespace

PeekedHeader ExamineHeader(std::string_view bytes, size_t max_header_bytes,
                           size_t max_header_lines) {
  PeekedHeader h;
  const size_t end = bytes.find("\r\n\r\n");
  const std::string_view seen = bytes.substr(0, std::min(end, bytes.size()));
  const size_t lines = static_cast<size_t>(std::count(seen.begin(), seen.end(), '\n'));
  if (lines > max_header_lines || (end == std::string_view::npos ? bytes.size() > max_header_bytes
                                                                 : end + 4 > max_header_bytes)) {
    h.state = PeekedHeader::State::kTooLarge;
    return h;
  }
  if (end == std::string_view::npos) return h;  // incomplete
  h.header_bytes = end + 4;
  const std::string_view line = seen.substr(0, seen.find("\r\n"));
  const size_t sp1 = line.find(' ');
  const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) {
    h.state = PeekedHeader::State::kMalformed;
    return h;
  }
  h.method = std::string(line.substr(0, sp1));
  h.path = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  h.path = h.path.substr(0, h.path.find('?'));
  // Content-Length and Transfer-Encoding, case-insensitively, at the start
  // of a header line.
  constexpr std::string_view kName = "content-length:";
  for (size_t pos = seen.find("\r\n"); pos != std::string_view::npos;
       pos = seen.find("\r\n", pos + 2)) {
    const std::string_view rest = seen.substr(pos + 2);
    if (StartsWithName(rest, "transfer-encoding:")) h.chunked = true;
    if (!StartsWithName(rest, kName)) continue;
    std::string_view v = rest.substr(kName.size(), rest.find("\r\n") - kName.size());
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    uint64_t n = 0;
    bool digits = !v.empty();
    for (char c : v) {
      if (c == ' ' || c == '\t') break;
      if (c < '0' || c > '9' || n > (UINT64_MAX - 9) / 10) {
        digits = false;
        break;
      }
      n = n * 10 + static_cast<uint64_t>(c - '0');
    }
    if (!digits) {
      h.state = PeekedHeader::State::kMalformed;
      return h;
    }
    h.has_length = true;
    h.content_length = n;
  }
  h.state = PeekedHeader::State::kComplete;
  return h;
}

GuardedServer::GuardedServer(ConnectionLimits limits) : limits_(std::move(limits)) {
  const size_t workers = limits_.workers;
  new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  // cpp-httplib closes a connection after 5 requests by default; a browser
  // (or a load generator) would reconnect all day long.
  set_keep_alive_max_count(100);
}

GuardedServer::~GuardedServer() = default;

void GuardedServer::RaiseBacklog(int backlog) {
  // httplib listens with a backlog of 5: a burst of connections (or a few
  // slow clients' retries) would be dropped by the kernel before kura sees
  // them. listen(2) again on a listening socket only changes the backlog.
  if (svr_sock_ != INVALID_SOCKET) ::listen(svr_sock_, backlog);
}

void GuardedServer::UseTls(std::shared_ptr<const TlsContext> tls) { tls_ = std::move(tls); }

void GuardedServer::SetTrustedProxies(TrustedProxies proxies) { trusted_ = std::move(proxies); }

bool GuardedServer::Admit(const std::string& address, size_t cap) {
  std::lock_guard<std::mutex> l(mu_);
  size_t& n = open_[address];
  if (n >= cap) {
    if (n == 0) open_.erase(address);
    return false;
  }
  ++n;
  return true;
}

void GuardedServer::Release(const std::string& address) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = open_.find(address);
  if (it != open_.end() && --it->second == 0) open_.erase(it);
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
  // Answers are written in a few writes (headers, then body): with Nagle's
  // algorithm on, the second waits for the client's delayed ACK (~40 ms),
  // which capped the server at ~300 requests/s on loopback.
  const int one = 1;
  ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  std::string peer;
  int port = 0;
  Endpoint(sock, true, &peer, &port);
  const bool via_proxy = trusted_.Contains(peer);
  if (Admit(peer, via_proxy ? limits_.max_per_proxy : limits_.max_per_address)) {
    Serve(sock, peer, via_proxy);
    Release(peer);
  } else if (!tls_) {  // over TLS: closed unanswered (see the header)
    PlainTransport plain(sock);
    SendRefusal(plain, 503, "too_many_connections",
                "この端末からの接続が多すぎます。しばらくしてからもう一度お試しください");
    LingeringClose(plain);
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return true;
}

void GuardedServer::Serve(socket_t sock, const std::string& peer, bool via_proxy) {
  Connection conn;
  conn.peer = peer;
  conn.via_proxy = via_proxy;
  if (!tls_) {
    conn.transport = std::make_unique<PlainTransport>(sock);
    if (ServeConnection(conn)) LingeringClose(*conn.transport);
    return;
  }
  auto tls = std::make_unique<TlsTransport>(sock, *tls_);
  switch (tls->Accept(Clock::now() + limits_.header_deadline)) {
    case TlsTransport::Handshake::kDone:
      conn.transport = std::move(tls);
      if (ServeConnection(conn)) {
        LingeringClose(*conn.transport);
      } else {
        conn.transport->FinishSending();  // close_notify
      }
      return;
    case TlsTransport::Handshake::kPlainHttp: {
      PlainTransport plain(sock);
      SendRefusal(plain, 400, "https_required",
                  "このサーバーには HTTPS で接続してください（https:// で始まるアドレス）");
      LingeringClose(plain);
      return;
    }
    case TlsTransport::Handshake::kTimeout:
    case TlsTransport::Handshake::kFailed:
      return;  // closed unanswered: there is no channel to answer on
  }
}

bool GuardedServer::ServeConnection(Connection& conn) {
  Transport& t = *conn.transport;
  for (size_t n = 0; n < keep_alive_max_count_; ++n) {
    bool closed = false, timed_out = false;
    const PeekedHeader h = ReadHeader(conn, limits_, &closed, &timed_out);
    if (closed) return false;
    if (timed_out) {
      SendRefusal(t, 408, "timeout", "リクエストの受信が時間内に終わりませんでした");
      return true;
    }
    if (h.state == PeekedHeader::State::kTooLarge) {
      SendRefusal(t, 431, "headers_too_large", "リクエストのヘッダーが大きすぎます");
      return true;
    }
    if (h.state == PeekedHeader::State::kMalformed) {
      SendRefusal(t, 400, "bad_request", "リクエストの形式が正しくありません");
      return true;
    }
    const uint64_t limit =
        limits_.body_limit ? limits_.body_limit(h.method, h.path) : kDefaultBodyLimit;
    if (h.has_length && h.content_length > limit) {
      RefuseTooLarge(t);
      return true;
    }
    GuardedStream strm(conn, h.header_bytes + limit, limits_);
    bool connection_closed = false;
    // A body whose end only its framing tells may be left unread by a
    // handler that answers first: such a connection serves one request.
    const bool last = n + 1 == keep_alive_max_count_ || h.chunked;
    process_request(strm, last, connection_closed, [&](httplib::Request& req) {
      if (conn.via_proxy) {
        req.remote_addr = ClientAddress(conn.peer, ForwardedFor(req), trusted_);
      }
    });
    if (strm.refused()) return true;
    // A body left unread (answered before it: 405, 404, 401 on a streamed
    // upload) must not be taken for the next request: close, after a
    // lingering moment (the client may still be sending it).
    const bool unread = h.chunked ||
                        (h.has_length && strm.bytes_read() < h.header_bytes + h.content_length);
    if (unread) return true;
    if (connection_closed) return false;
  }
  return false;
}

}  // namespace web::internal
