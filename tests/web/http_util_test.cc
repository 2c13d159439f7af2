// The HTTP helpers the API's handlers share, on httplib's request and
// response values (no server).
#include "web/internal/http_util.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "base/status_text.h"

namespace web::internal {
namespace {

using base::Status;
using Code = base::Status::Code;
using nlohmann::json;

std::string Summary(Code code) { return std::string(base::JapaneseSummary(code)); }

TEST(HttpUtilTest, ErrorsBelow500CarryTheirOwnMessage) {
  httplib::Request req;
  httplib::Response res;
  SendStatus(req, res, Status::NotFound("支出命令がありません: P2026-9999"));
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.get_header_value("Content-Type"), kJsonType);
  EXPECT_EQ(res.body,
            R"({"error":{"code":"not_found","message":"支出命令がありません: P2026-9999"}})");
}

TEST(HttpUtilTest, ServerErrorsSayOnlyTheSharedPhrase) {
  httplib::Request req;
  for (const auto& [status, http, phrase] :
       {std::tuple{Status::Internal("lmdb: MDB_CORRUPTED at page 7"), 500, Code::kInternal},
        {Status::Corruption("catalog row D00000001"), 500, Code::kInternal},
        {Status::IOError("fsync /var/kura: EIO"), 500, Code::kInternal},
        {Status::Unavailable("TSA timed out"), 503, Code::kUnavailable}}) {
    httplib::Response res;
    SendStatus(req, res, status);
    EXPECT_EQ(res.status, http) << status.ToString();
    const json body = json::parse(res.body);
    EXPECT_EQ(body["error"]["message"], Summary(phrase)) << status.ToString();
    EXPECT_EQ(res.body.find(status.message()), std::string::npos) << res.body;
  }
}

TEST(HttpUtilTest, StatusesHttplibSetsGetTheSharedPhrases) {
  EXPECT_EQ(DefaultMessage(400), Summary(Code::kInvalidArgument));
  EXPECT_EQ(DefaultMessage(404), Summary(Code::kNotFound));
  EXPECT_EQ(DefaultMessage(413), Summary(Code::kResourceExhausted));
  EXPECT_EQ(DefaultMessage(500), Summary(Code::kInternal));
  EXPECT_EQ(DefaultMessage(401), "ログインしてください");
  EXPECT_EQ(DefaultMessage(405), "このメソッドは使えません");
  EXPECT_EQ(DefaultMessage(418), "リクエストを処理できませんでした");
  EXPECT_EQ(CodeForHttp(404), "not_found");
  EXPECT_EQ(CodeForHttp(401), "unauthenticated");
  EXPECT_EQ(CodeForHttp(502), "internal");
}

TEST(HttpUtilTest, BodyMustBeAJsonObject) {
  httplib::Request req;
  req.set_header("Content-Type", "application/json; charset=utf-8");
  req.body = R"({"login": "kato", "n": 1})";
  auto body = ParseBody(req);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(StringMember(*body, "login"), "kato");
  EXPECT_EQ(StringMember(*body, "n"), "");  // not a string
  EXPECT_EQ(StringMember(*body, "missing"), "");
  for (const char* bad : {"{not json", "[1, 2]", "\"text\"", ""}) {
    req.body = bad;
    EXPECT_EQ(ParseBody(req).status().code(), Code::kInvalidArgument) << bad;
  }
}

// A body of a million nested arrays (under the 1 MiB limit) would overflow
// the stack of the recursive JSON code: refused before it is parsed.
TEST(HttpUtilTest, DeeplyNestedBodiesAreRefusedBeforeParsing) {
  httplib::Request req;
  req.set_header("Content-Type", "application/json");
  req.body = "{\"a\":" + std::string(1'000'000, '[') + std::string(1'000'000, ']') + "}";
  const auto deep = ParseBody(req);
  EXPECT_EQ(deep.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(deep.status().message(), "リクエスト本文の JSON の入れ子が深すぎます");
  // Brackets inside strings do not count; 32 levels are fine.
  req.body = R"({"note": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ \" [[["})";
  EXPECT_TRUE(ParseBody(req).ok());
  req.body = "{\"a\":" + std::string(31, '[') + std::string(31, ']') + "}";
  EXPECT_TRUE(ParseBody(req).ok());
  req.body = "{\"a\":" + std::string(32, '[') + std::string(32, ']') + "}";
  EXPECT_FALSE(ParseBody(req).ok());
}

// Issue 12, finding 12: a text/plain or form login can be sent by any web
// page without a preflight (login CSRF).
TEST(HttpUtilTest, BodyMustBeSentAsJson) {
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded",
                           "multipart/form-data; boundary=x", ""}) {
    httplib::Request req;
    if (*type) req.set_header("Content-Type", type);
    req.body = R"({"login": "kato"})";
    const auto body = ParseBody(req);
    EXPECT_EQ(body.status().code(), Code::kInvalidArgument) << type;
    EXPECT_NE(body.status().message().find("application/json"), std::string::npos);
  }
}

TEST(HttpUtilTest, CookieValueFindsTheNamedCookie) {
  httplib::Request req;
  req.headers.emplace("Cookie", "theme=dark; kura_session=abc123;other=1");
  EXPECT_EQ(CookieValue(req, "kura_session"), "abc123");
  EXPECT_EQ(CookieValue(req, "other"), "1");
  EXPECT_EQ(CookieValue(req, "kura"), "");
}

TEST(HttpUtilTest, FileNamesAreSafeInContentDisposition) {
  EXPECT_EQ(BaseName(R"(C:\Users\kato\請求書.pdf)"), "請求書.pdf");
  EXPECT_EQ(BaseName("dir/"), "upload");
  EXPECT_EQ(ContentDisposition("attachment", "a b\".pdf"),
            R"(attachment; filename="a_b_.pdf"; filename*=UTF-8''a%20b%22.pdf)");
}

}  // namespace
}  // namespace web::internal
