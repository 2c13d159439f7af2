// The screens compiled into the binary (web/ui/ via web/embed_ui.cmake):
// every file is there byte for byte, served under /ui/ with its type and an
// ETag, and every module a script imports is one of them.
#include "web/internal/ui_assets.h"

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

#include "archive/archive.h"
#include "ledger/data_dir.h"
#include "tests/fakes/test_util.h"
#include "web/server.h"

namespace web::internal {
namespace {

std::string ReadSource(std::string_view ui_path) {
  const std::string file = std::string(KURA_SOURCE_DIR) + "/web" + std::string(ui_path);
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(UiAssetsTest, EveryFileIsEmbeddedUnchanged) {
  ASSERT_GT(kUiAssetCount, 5u);
  ASSERT_NE(FindUiAsset("/ui/index.html"), nullptr);
  ASSERT_NE(FindUiAsset("/ui/js/app.js"), nullptr);
  EXPECT_EQ(FindUiAsset("/ui/no-such-file.js"), nullptr);
  std::set<std::string_view> etags;
  for (size_t i = 0; i < kUiAssetCount; ++i) {
    const UiAsset& a = kUiAssets[i];
    EXPECT_EQ(a.body, ReadSource(a.path)) << a.path;
    EXPECT_TRUE(etags.insert(a.etag).second || a.body.empty()) << a.path;
  }
}

// A relative import ('./x.js', '../api.js') must name an embedded file, or
// the page would fail in the browser with nothing but a console message.
TEST(UiAssetsTest, EveryImportedModuleIsEmbedded) {
  const std::regex import_re(R"((?:from|import)\s*\(?\s*'(\.{1,2}/[^']+)')");
  for (size_t i = 0; i < kUiAssetCount; ++i) {
    const UiAsset& a = kUiAssets[i];
    if (!a.path.ends_with(".js")) continue;
    const std::string body(a.body);
    const std::string dir(a.path.substr(0, a.path.rfind('/')));
    for (auto m = std::sregex_iterator(body.begin(), body.end(), import_re);
         m != std::sregex_iterator(); ++m) {
      std::string target = dir + "/" + (*m)[1].str();
      // Resolve ./ and ../ segments.
      std::vector<std::string> parts;
      std::stringstream ss(target);
      for (std::string part; std::getline(ss, part, '/');) {
        if (part.empty() || part == ".") continue;
        if (part == "..") {
          if (!parts.empty()) parts.pop_back();
        } else {
          parts.push_back(part);
        }
      }
      std::string resolved;
      for (const auto& p : parts) resolved += "/" + p;
      EXPECT_NE(FindUiAsset(resolved), nullptr) << a.path << " imports " << (*m)[1].str();
    }
  }
}

TEST(UiAssetsTest, ServedWithTypeAndRevalidatedByEtag) {
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

  auto page = client.Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(page->body, FindUiAsset("/ui/index.html")->body);

  auto js = client.Get("/ui/js/app.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js->get_header_value("Cache-Control"), "no-cache");
  const std::string etag = js->get_header_value("ETag");
  EXPECT_EQ(etag, FindUiAsset("/ui/js/app.js")->etag);

  auto again = client.Get("/ui/js/app.js", {{"If-None-Match", etag}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());

  auto missing = client.Get("/ui/js/no-such-page.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  auto traversal = client.Get("/ui/../CMakeLists.txt");
  ASSERT_TRUE(traversal);
  EXPECT_EQ(traversal->status, 404);
  server.Stop();
  t.join();
}

}  // namespace
}  // namespace web::internal
