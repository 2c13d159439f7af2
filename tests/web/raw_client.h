// A client made of bare sockets, for tests that must send what no HTTP
// client library would: half a header, a trickle, nothing at all.
#ifndef TESTS_WEB_RAW_CLIENT_H_
#define TESTS_WEB_RAW_CLIENT_H_

#include <string>
#include <string_view>

namespace kura_test {

/// A TCP socket connected to 127.0.0.1:port from the loopback address
/// `from`; -1 if it cannot connect.
int Connect(int port, const char* from = "127.0.0.1");
bool SendAll(int fd, std::string_view data);
/// Everything the server sends until it closes (or timeout_ms passes with
/// nothing new).
std::string ReadAll(int fd, int timeout_ms = 5000);
/// The status of an HTTP/1.1 response, or 0.
int StatusOf(const std::string& response);

}  // namespace kura_test

#endif  // TESTS_WEB_RAW_CLIENT_H_
