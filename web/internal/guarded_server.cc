#include "web/internal/guarded_server.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace web::internal {

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

bool WaitFor(socket_t sock, short events, int timeout_ms) {
  pollfd p{sock, events, 0};
  for (;;) {
    const int r = ::poll(&p, 1, timeout_ms);
    if (r < 0 && errno == EINTR) continue;
    return r > 0;
  }
}

bool SendAll(socket_t sock, std::string_view data) {
  while (!data.empty()) {
    if (!WaitFor(sock, POLLOUT, kIoTimeoutMs)) return false;
    const ssize_t n = ::send(sock, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
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

// An error answer written straight to the socket, outside httplib.
void SendRefusal(socket_t sock, int status, std::string_view code, std::string_view message) {
  const std::string body = nlohmann::json{{"error", {{"code", code}, {"message", message}}}}.dump();
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + Reason(status) + "\r\n";
  out += "Content-Type: application/json; charset=utf-8\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += "Connection: close\r\nX-Content-Type-Options: nosniff\r\n";
  if (status == 503) out += "Retry-After: 5\r\n";
  out += "\r\n" + body;
  SendAll(sock, out);
}

void RefuseTooLarge(socket_t sock) {
  SendRefusal(sock, 413, "too_large", "送信されたデータが大きすぎます。上限を超えています");
}

// httplib's view of the connection: reads stop at the request's byte
// budget (413) and at a body slower than the minimum rate (408); after a
// refusal, what httplib writes is dropped (the refusal was the answer).
class GuardedStream final : public httplib::Stream {
 public:
  GuardedStream(socket_t sock, uint64_t budget, const ConnectionLimits& limits)
      : sock_(sock), budget_(budget), limits_(limits), start_(Clock::now()) {}

  bool refused() const { return refused_; }
  /// Bytes read so far, request line and headers included.
  uint64_t bytes_read() const { return read_; }

  bool is_readable() const override { return !refused_ && WaitFor(sock_, POLLIN, kIoTimeoutMs); }
  bool is_writable() const override { return !refused_ && WaitFor(sock_, POLLOUT, kIoTimeoutMs); }

  ssize_t read(char* ptr, size_t size) override {
    if (refused_) return -1;
    if (read_ >= budget_) return Refuse(413);
    if (TooSlow()) return Refuse(408);
    if (!WaitFor(sock_, POLLIN, kIoTimeoutMs)) return -1;
    const size_t want = static_cast<size_t>(std::min<uint64_t>(size, budget_ - read_));
    ssize_t n;
    do {
      n = ::recv(sock_, ptr, want, 0);
    } while (n < 0 && errno == EINTR);
    if (n > 0) read_ += static_cast<uint64_t>(n);
    return n;
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (refused_) return static_cast<ssize_t>(size);
    return SendAll(sock_, std::string_view(ptr, size)) ? static_cast<ssize_t>(size) : -1;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    Endpoint(sock_, true, &ip, &port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    Endpoint(sock_, false, &ip, &port);
  }
  socket_t socket() const override { return sock_; }

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
      RefuseTooLarge(sock_);
    } else {
      SendRefusal(sock_, 408, "timeout", "データの送信が遅すぎるため、接続を切りました");
    }
    return -1;
  }

  socket_t sock_;
  uint64_t budget_;
  const ConnectionLimits& limits_;
  Clock::time_point start_;
  uint64_t read_ = 0;
  bool refused_ = false;
};

// Waits until the request's header is complete in the socket's buffer
// (peeking: nothing is consumed), the deadline passes or the peer leaves.
// `idle` until the first byte: a kept-alive connection may wait that long
// for its next request; the header then has until `deadline`.
PeekedHeader PeekHeader(socket_t sock, const ConnectionLimits& limits, bool* closed,
                        bool* timed_out) {
  std::string buf(limits.max_header_bytes + 1, '\0');
  const auto idle_until = Clock::now() + limits.idle_timeout;
  auto deadline = Clock::now() + limits.header_deadline;
  size_t have = 0;
  PeekedHeader h;
  for (;;) {
    // Wake up only when more than `have` bytes are there.
    const int lowat = static_cast<int>(have + 1);
    setsockopt(sock, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof lowat);
    const auto until = have == 0 ? std::min(idle_until, deadline) : deadline;
    if (!WaitFor(sock, POLLIN, MillisUntil(until))) {
      if (Clock::now() < until) continue;  // a slice of kIoTimeoutMs ended
      *timed_out = have > 0;
      *closed = have == 0;
      break;
    }
    const ssize_t n = ::recv(sock, buf.data(), buf.size(), MSG_PEEK);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *closed = true;
      break;
    }
    if (static_cast<size_t>(n) == have) {
      // Readable but nothing new: the peer shut down its side with the
      // header incomplete (poll reports that regardless of SO_RCVLOWAT).
      *closed = true;
      break;
    }
    if (have == 0) deadline = Clock::now() + limits.header_deadline;
    have = static_cast<size_t>(n);
    h = ExamineHeader(std::string_view(buf.data(), have), limits.max_header_bytes,
                      limits.max_header_lines);
    if (h.state != PeekedHeader::State::kIncomplete) break;
  }
  const int one = 1;
  setsockopt(sock, SOL_SOCKET, SO_RCVLOWAT, &one, sizeof one);
  return h;
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
  // Content-Length, case-insensitively, at the start of a header line; and
  // whether there is a Transfer-Encoding.
  for (size_t pos = seen.find("\r\n"); pos != std::string_view::npos;
       pos = seen.find("\r\n", pos + 2)) {
    const std::string_view rest = seen.substr(pos + 2);
    constexpr std::string_view kEncoding = "transfer-encoding:";
    if (rest.size() >= kEncoding.size() &&
        std::equal(kEncoding.begin(), kEncoding.end(), rest.begin(), [](char a, char b) {
          return a == std::tolower(static_cast<unsigned char>(b));
        })) {
      h.has_transfer_encoding = true;
    }
    constexpr std::string_view kName = "content-length:";
    if (rest.size() < kName.size() ||
        !std::equal(kName.begin(), kName.end(), rest.begin(), [](char a, char b) {
          return a == std::tolower(static_cast<unsigned char>(b));
        })) {
      continue;
    }
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
}

void GuardedServer::RaiseBacklog(int backlog) {
  // httplib listens with a backlog of 5: a burst of connections (or a few
  // slow clients' retries) would be dropped by the kernel before kura sees
  // them. listen(2) again on a listening socket only changes the backlog.
  if (svr_sock_ != INVALID_SOCKET) ::listen(svr_sock_, backlog);
}

bool GuardedServer::Admit(const std::string& address) {
  std::lock_guard<std::mutex> l(mu_);
  size_t& n = open_[address];
  if (n >= limits_.max_per_address) return false;
  ++n;
  return true;
}

void GuardedServer::Release(const std::string& address) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = open_.find(address);
  if (it != open_.end() && --it->second == 0) open_.erase(it);
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
  std::string address;
  int port = 0;
  Endpoint(sock, true, &address, &port);
  bool refused = true;
  if (Admit(address)) {
    refused = ServeConnection(sock);
    Release(address);
  } else {
    SendRefusal(sock, 503, "too_many_connections",
                "この端末からの接続が多すぎます。しばらくしてからもう一度お試しください");
  }
  if (refused) {
    // A close with unread input resets the connection, and the client may
    // lose the answer it has not read yet: stop sending, and swallow what
    // it still sends for a moment (bounded) first.
    ::shutdown(sock, SHUT_WR);
    char buf[4096];
    size_t drained = 0;
    const auto until = Clock::now() + milliseconds(500);
    while (drained < (256u << 10) && WaitFor(sock, POLLIN, MillisUntil(until))) {
      const ssize_t n = ::recv(sock, buf, sizeof buf, 0);
      if (n <= 0) break;
      drained += static_cast<size_t>(n);
    }
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return true;
}

bool GuardedServer::ServeConnection(socket_t sock) {
  for (size_t n = 0; n < keep_alive_max_count_; ++n) {
    bool closed = false, timed_out = false;
    const PeekedHeader h = PeekHeader(sock, limits_, &closed, &timed_out);
    if (closed) return false;
    if (timed_out) {
      SendRefusal(sock, 408, "timeout", "リクエストの受信が時間内に終わりませんでした");
      return true;
    }
    if (h.state == PeekedHeader::State::kTooLarge) {
      SendRefusal(sock, 431, "headers_too_large", "リクエストのヘッダーが大きすぎます");
      return true;
    }
    if (h.state == PeekedHeader::State::kMalformed) {
      SendRefusal(sock, 400, "bad_request", "リクエストの形式が正しくありません");
      return true;
    }
    const uint64_t limit =
        limits_.body_limit ? limits_.body_limit(h.method, h.path) : kDefaultBodyLimit;
    if (h.has_length && h.content_length > limit) {
      RefuseTooLarge(sock);
      return true;
    }
    GuardedStream strm(sock, h.header_bytes + limit, limits_);
    bool connection_closed = false;
    // A body whose end only its framing tells may be left unread by a
    // handler that answers first: such a connection serves one request.
    const bool last = n + 1 == keep_alive_max_count_ || h.has_transfer_encoding;
    process_request(strm, last, connection_closed, nullptr);
    if (strm.refused()) return true;
    // A body left unread must not be taken for the next request: close, after
    // a lingering moment (the client may still be sending it).
    const bool unread = h.has_transfer_encoding ||
                        (h.has_length && strm.bytes_read() < h.header_bytes + h.content_length);
    if (unread) return true;
    if (connection_closed) return false;
  }
  return false;
}

}  // namespace web::internal
