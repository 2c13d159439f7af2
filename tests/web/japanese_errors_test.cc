// Issue 12, item 11: every error the JSON API answers carries a Japanese
// message a person can act on, and what the client sent (a path segment, a
// query value, a file name) comes back without its control characters. A
// table of failing requests over real HTTP on loopback, each against a
// fresh archive with one document (D00000001, somu) already uploaded.
#include <functional>
#include <memory>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "base/utf8.h"
#include "ledger/data_dir.h"
#include "tests/fakes/test_util.h"
#include "web/server.h"
#include "workflow/workflow.h"

namespace web {
namespace {

using nlohmann::json;
using workflow::Role;

constexpr char kPassword[] = "correct horse battery";

// True if text has a hiragana, katakana or kanji (CJK unified ideograph).
bool HasJapanese(std::string_view text) {
  bool found = false;
  base::ForEachCodePoint(text, [&](char32_t c) {
    found = (c >= 0x3040 && c <= 0x30FF) || (c >= 0x4E00 && c <= 0x9FFF);
    return !found;
  });
  return found;
}

bool HasControl(std::string_view text) {
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) return true;
  }
  return false;
}

// Expects error (an {"code", "message"} object) to say in Japanese what is
// wrong, without control characters.
void ExpectJapaneseError(const json& error, const std::string& where) {
  ASSERT_TRUE(error.is_object()) << where;
  EXPECT_TRUE(error["code"].is_string()) << where << ": " << error.dump();
  ASSERT_TRUE(error["message"].is_string()) << where << ": " << error.dump();
  const std::string message = error["message"];
  EXPECT_TRUE(HasJapanese(message)) << where << ": " << message;
  EXPECT_FALSE(HasControl(message)) << where << ": " << error.dump();
}

class JapaneseApiErrorsTest;

struct Row {
  const char* name;
  std::function<httplib::Result(JapaneseApiErrorsTest&)> request;
  int status;
};

// gtest prints a failing row by its name.
void PrintTo(const Row& row, std::ostream* os) { *os << row.name; }

class JapaneseApiErrorsTest : public ::testing::TestWithParam<Row> {
 public:
  struct Login {
    httplib::Headers headers;  // cookie and CSRF token
  };

  void SetUp() override {
    archive::ArchiveOptions ao;
    ao.data_dir = dir_.Join("kura-data");
    ASSERT_OK(ledger::InitDataDir(fs_.get(), ledger::DataDirLayout{ao.data_dir}, ""));
    auto a = archive::Archive::Open(ao, fs_.get(), &clock_);
    ASSERT_OK(a);
    archive_ = std::move(*a);
    workflow::WorkflowOptions wo;
    wo.password = workflow::PasswordParams{64, 1, 1};  // cheap for tests
    auto w = workflow::Workflow::Open(archive_.get(), &clock_, wo);
    ASSERT_OK(w);
    wf_ = std::move(*w);
    const workflow::User root = workflow::Workflow::SystemUser("test");
    ASSERT_OK(wf_->CreateDepartment({"somu", "総務課"}, root));
    ASSERT_OK(wf_->CreateDepartment({"kaikei", "会計課"}, root));
    for (const workflow::User& u :
         {workflow::User{"kato", "加藤", "somu", {Role::kClerk}, "", true},
          workflow::User{"kaikei", "会計", "kaikei", {Role::kAccountant}, "", true},
          workflow::User{"kansa", "監査", "kaikei", {Role::kAuditor}, "", true},
          workflow::User{"admin", "管理", "kaikei", {Role::kAdmin}, "", true}}) {
      ASSERT_OK(wf_->AddUser(u, kPassword, root));
    }
    ServerOptions so;
    so.host = "127.0.0.1";
    so.port = 0;
    so.api.max_upload_bytes = 64 << 10;
    server_ = std::make_unique<Server>(so, archive_.get(), wf_.get(), &clock_);
    auto port = server_->Bind();
    ASSERT_OK(port);
    thread_ = std::thread([this] { server_->Run().IgnoreError(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
    ASSERT_TRUE(client_->Get("/healthz"));
    auto up = Upload(LogIn("kato"), "%PDF-1.4 一通目", "a.pdf");
    ASSERT_TRUE(up);
    ASSERT_EQ(up->status, 201) << up->body;
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  Login LogIn(const std::string& login) {
    auto res =
        client_->Post("/api/v1/session", json{{"login", login}, {"password", kPassword}}.dump(),
                      "application/json");
    Login l;
    EXPECT_TRUE(res && res->status == 200) << login;
    if (!res) return l;
    const std::string set_cookie = res->get_header_value("Set-Cookie");
    l.headers.emplace("Cookie", set_cookie.substr(0, set_cookie.find(';')));
    l.headers.emplace("X-CSRF-Token",
                      json::parse(res->body, nullptr, false).value("csrf_token", ""));
    return l;
  }
  httplib::Result Get(const std::string& who, const std::string& path) {
    return client_->Get(path.c_str(), LogIn(who).headers);
  }
  httplib::Result Post(const std::string& who, const std::string& path, const std::string& body,
                       const char* type = "application/json") {
    return client_->Post(path.c_str(), LogIn(who).headers, body, type);
  }
  httplib::Result Upload(const Login& l, const std::string& bytes, const std::string& name,
                         const std::string& department = "somu") {
    httplib::MultipartFormDataItems items{{"file", bytes, name, "application/pdf"},
                                          {"department", department, "", ""}};
    return client_->Post("/api/v1/documents", l.headers, items);
  }
  httplib::Client& client() { return *client_; }

 private:
  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  base::SystemClock clock_;
  std::unique_ptr<archive::Archive> archive_;
  std::unique_ptr<workflow::Workflow> wf_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

const std::string kCorrection = "/api/v1/documents/D00000001/corrections";

const Row kRows[] = {
    {"BodyNotJson",
     [](JapaneseApiErrorsTest& t) { return t.Post("kato", "/api/v1/payment-orders", "{not json"); },
     400},
    {"BodyNotAnObject",
     [](JapaneseApiErrorsTest& t) { return t.Post("kato", "/api/v1/commitments", "[1, 2]"); }, 400},
    {"LoginAsTextPlain",
     [](JapaneseApiErrorsTest& t) {
       return t.client().Post("/api/v1/session",
                              json{{"login", "kato"}, {"password", kPassword}}.dump(),
                              "text/plain");
     },
     400},
    {"LoginWrongPassword",
     [](JapaneseApiErrorsTest& t) {
       return t.client().Post("/api/v1/session",
                              json{{"login", "kato"}, {"password", "wrong"}}.dump(),
                              "application/json");
     },
     401},
    {"LoginNameWithControlCharacters",
     [](JapaneseApiErrorsTest& t) {
       return t.client().Post("/api/v1/session",
                              json{{"login", "\x1b[2Jroot\n"}, {"password", "x"}}.dump(),
                              "application/json");
     },
     401},
    {"LoginWithoutPassword",
     [](JapaneseApiErrorsTest& t) {
       return t.client().Post("/api/v1/session", json{{"login", "kato"}}.dump(),
                              "application/json");
     },
     400},
    {"NoSession", [](JapaneseApiErrorsTest& t) { return t.client().Get("/api/v1/inbox"); }, 401},
    {"InvalidBearerToken",
     [](JapaneseApiErrorsTest& t) {
       return t.client().Get("/api/v1/inbox", {{"Authorization", "Bearer not-a-token"}});
     },
     401},
    {"NoCsrfToken",
     [](JapaneseApiErrorsTest& t) {
       httplib::Headers cookie_only = t.LogIn("kato").headers;
       cookie_only.erase("X-CSRF-Token");
       return t.client().Post(kCorrection.c_str(), cookie_only, "{}", "application/json");
     },
     403},
    {"UnknownDocument",
     [](JapaneseApiErrorsTest& t) { return t.Get("kato", "/api/v1/documents/D09999999"); }, 404},
    {"DocumentIdWithControlCharacters",
     [](JapaneseApiErrorsTest& t) { return t.Get("kato", "/api/v1/documents/D%1B%5B2J%0A1"); },
     400},
    {"UnknownOrder",
     [](JapaneseApiErrorsTest& t) { return t.Get("kato", "/api/v1/payment-orders/P2026-9999"); },
     404},
    {"UnknownPath", [](JapaneseApiErrorsTest& t) { return t.Get("kato", "/api/v1/no-such-thing"); },
     404},
    {"WrongMethod",
     [](JapaneseApiErrorsTest& t) {
       return t.client().Put("/api/v1/documents", t.LogIn("kato").headers, "{}",
                             "application/json");
     },
     405},
    {"SearchLimitNotANumber",
     [](JapaneseApiErrorsTest& t) { return t.Get("kaikei", "/api/v1/documents?limit=abc"); }, 400},
    {"SearchUnknownParameter",
     [](JapaneseApiErrorsTest& t) { return t.Get("kaikei", "/api/v1/documents?colour=red"); }, 400},
    {"SearchValueWithControlCharacters",
     [](JapaneseApiErrorsTest& t) {
       return t.Get("kaikei", "/api/v1/documents?date_from=%1B%5B31m2026%0D%0A");
     },
     400},
    {"SearchUnknownOutput",
     [](JapaneseApiErrorsTest& t) { return t.Get("kaikei", "/api/v1/documents?output=xml"); }, 400},
    {"SearchOtherDepartment",
     [](JapaneseApiErrorsTest& t) { return t.Get("kato", "/api/v1/documents?department=kaikei"); },
     403},
    {"CorrectionOfAStaleVersion",
     [](JapaneseApiErrorsTest& t) {
       const std::string entry =
           json{{"changes", {{"total", "1000"}}}, {"reason", "誤記"}, {"version", 1}}.dump();
       EXPECT_EQ(t.Post("kato", kCorrection, entry)->status, 200);
       return t.Post("kato", kCorrection, entry);  // made against version 1 again
     },
     409},
    {"CorrectionOfAnUnknownField",
     [](JapaneseApiErrorsTest& t) {
       return t.Post("kato", kCorrection,
                     json{{"changes", {{"colour\x1b[31m", "red"}}}, {"reason", "誤記"}}.dump());
     },
     400},
    {"CorrectionWithoutReason",
     [](JapaneseApiErrorsTest& t) {
       return t.Post("kato", kCorrection, json{{"changes", {{"total", "1000"}}}}.dump());
     },
     400},
    {"CorrectionByAnAuditor",
     [](JapaneseApiErrorsTest& t) {
       return t.Post("kansa", kCorrection,
                     json{{"changes", {{"total", "1000"}}}, {"reason", "誤記"}}.dump());
     },
     403},
    {"UploadOfAnEmptyFile",
     [](JapaneseApiErrorsTest& t) { return t.Upload(t.LogIn("kato"), "", "empty.pdf"); }, 400},
    {"UploadOfAnEmptyFileNamedWithControlCharacters",
     [](JapaneseApiErrorsTest& t) { return t.Upload(t.LogIn("kato"), "", "a\x1b[31m\x07\tb.pdf"); },
     400},
    {"UploadTooLarge",
     [](JapaneseApiErrorsTest& t) {
       return t.Upload(t.LogIn("kato"), std::string((64 << 10) + 1, 'x'), "big.pdf");
     },
     413},
    {"UploadForAnotherDepartment",
     [](JapaneseApiErrorsTest& t) {
       return t.Upload(t.LogIn("kato"), "%PDF-1.4 b", "b.pdf", "kaikei");
     },
     403},
    {"UploadForAnUnknownDepartment",
     [](JapaneseApiErrorsTest& t) {
       return t.Upload(t.LogIn("kaikei"), "%PDF-1.4 b", "b.pdf", "nowhere\x1b[0m");
     },
     400},
    {"UploadByAnAuditor",
     [](JapaneseApiErrorsTest& t) { return t.Upload(t.LogIn("kansa"), "%PDF-1.4 b", "b.pdf"); },
     403},
    {"UploadNotMultipart",
     [](JapaneseApiErrorsTest& t) {
       return t.Post("kato", "/api/v1/documents", "%PDF-1.4 b", "application/pdf");
     },
     400},
    {"DraftOrderWithoutCommitment",
     [](JapaneseApiErrorsTest& t) {
       return t.Post("kato", "/api/v1/payment-orders", json{{"document_id", "D00000001"}}.dump());
     },
     400},
    {"CommitmentsOfAYearThatIsNoYear",
     [](JapaneseApiErrorsTest& t) { return t.Get("kato", "/api/v1/commitments?fiscal_year=令和"); },
     400},
    {"UsersListedByAClerk", [](JapaneseApiErrorsTest& t) { return t.Get("kato", "/api/v1/users"); },
     403},
    {"UserWithAnUnknownRole",
     [](JapaneseApiErrorsTest& t) {
       return t.Post("admin", "/api/v1/users",
                     json{{"login", "sato"},
                          {"name", "佐藤"},
                          {"department", "somu"},
                          {"roles", {"king"}},
                          {"password", "a long enough password"}}
                         .dump());
     },
     400},
    {"UnknownUserNamedWithControlCharacters",
     [](JapaneseApiErrorsTest& t) {
       return t.Post("admin", "/api/v1/users/%1B%5B2Jnobody", json{{"name", "誰か"}}.dump());
     },
     404},
    {"RevokeUnknownToken",
     [](JapaneseApiErrorsTest& t) {
       return t.Post("admin", "/api/v1/api-tokens/tok-00000000/revoke", "{}");
     },
     404},
};

TEST_P(JapaneseApiErrorsTest, AnswersAJapaneseMessageWithoutControlCharacters) {
  const Row& row = GetParam();
  const httplib::Result res = row.request(*this);
  ASSERT_TRUE(res) << row.name;
  EXPECT_EQ(res->status, row.status) << res->body;
  RecordProperty("body", res->body);  // in --gtest_output reports, for review
  const json body = json::parse(res->body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << res->body;
  ExpectJapaneseError(body["error"], "error");
  // An upload reports every file too.
  if (body.contains("results")) {
    for (const json& r : body["results"]) {
      if (r.contains("error")) ExpectJapaneseError(r["error"], "results[].error");
      if (r.contains("file")) {
        EXPECT_FALSE(HasControl(r["file"].get<std::string>())) << r.dump();
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Api, JapaneseApiErrorsTest, ::testing::ValuesIn(kRows),
                         [](const ::testing::TestParamInfo<Row>& row) {
                           return std::string(row.param.name);
                         });

}  // namespace
}  // namespace web
