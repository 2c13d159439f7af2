// Headers every response carries (issue 12, item 7): a page, the CSS, the
// JSON API, a 404 — over real HTTP on loopback.
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

#include "archive/archive.h"
#include "ledger/data_dir.h"
#include "tests/fakes/test_util.h"
#include "web/server.h"

namespace web {
namespace {

TEST(SecurityHeadersTest, EveryResponseForbidsFramingSniffingAndInlineScript) {
  kura_test::TempDir dir;
  auto fs = base::NewPosixFileSystem();
  base::SystemClock clock;
  archive::ArchiveOptions options;
  options.data_dir = dir.Join("kura-data");
  ASSERT_TRUE(ledger::InitDataDir(fs.get(), ledger::DataDirLayout{options.data_dir}, "").ok());
  auto arc = archive::Archive::Open(options, fs.get(), &clock);
  ASSERT_TRUE(arc.ok());
  ServerOptions so;
  so.port = 0;
  Server server(so, arc->get());
  auto port = server.Bind();
  ASSERT_TRUE(port.ok());
  std::thread t([&] { server.Run().IgnoreError(); });
  httplib::Client client("127.0.0.1", *port);
  for (const char* path : {"/", "/ui/kura.css", "/ui/js/app.js", "/api/v1/version", "/no/such/page"}) {
    auto res = client.Get(path);
    ASSERT_TRUE(res) << path;
    const std::string csp = res->get_header_value("Content-Security-Policy");
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << path;
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << path;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << path;
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(res->get_header_value("Referrer-Policy"), "no-referrer") << path;
    EXPECT_EQ(res->get_header_value("X-Frame-Options"), "DENY") << path;
  }
  EXPECT_EQ(client.Get("/api/v1/version")->get_header_value("Cache-Control"), "no-store");
  // The start page has no inline style or script: its CSS and its one
  // script are files.
  const std::string page = client.Get("/")->body;
  EXPECT_EQ(page.find("<style"), std::string::npos);
  EXPECT_EQ(page.find(" style="), std::string::npos);
  EXPECT_NE(page.find("<script type=\"module\" src=\"/ui/js/app.js\"></script>"), std::string::npos);
  size_t scripts = 0;
  for (size_t at = page.find("<script"); at != std::string::npos; at = page.find("<script", at + 1)) {
    ++scripts;
  }
  EXPECT_EQ(scripts, 1u);
  EXPECT_EQ(client.Get("/ui/kura.css")->get_header_value("Content-Type"),
            "text/css; charset=utf-8");
  server.Stop();
  t.join();
}

}  // namespace
}  // namespace web
