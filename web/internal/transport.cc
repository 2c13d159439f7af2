#include "web/internal/transport.h"

#include <cerrno>

#include <poll.h>
#include <sys/socket.h>

namespace web::internal {

bool WaitFor(int sock, short events, int timeout_ms) {
  pollfd p{sock, events, 0};
  for (;;) {
    const int r = ::poll(&p, 1, timeout_ms);
    if (r < 0 && errno == EINTR) continue;
    return r > 0;
  }
}

IoResult PlainTransport::Read(char* buf, size_t size, int timeout_ms) {
  if (!WaitFor(sock_, POLLIN, timeout_ms)) return {IoStatus::kTimeout, 0};
  for (;;) {
    const ssize_t n = ::recv(sock_, buf, size, 0);
    if (n > 0) return {IoStatus::kOk, static_cast<size_t>(n)};
    if (n == 0) return {IoStatus::kClosed, 0};
    if (errno == EINTR) continue;
    // Readable but nothing there (a non-blocking socket): nothing new.
    if (errno == EAGAIN || errno == EWOULDBLOCK) return {IoStatus::kTimeout, 0};
    return {IoStatus::kError, 0};
  }
}

bool PlainTransport::Write(std::string_view data, int timeout_ms) {
  while (!data.empty()) {
    if (!WaitFor(sock_, POLLOUT, timeout_ms)) return false;
    const ssize_t n = ::send(sock_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void PlainTransport::FinishSending() { ::shutdown(sock_, SHUT_WR); }

}  // namespace web::internal
