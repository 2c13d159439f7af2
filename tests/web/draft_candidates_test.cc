// GET /api/v1/documents/{id}/commitments over real HTTP: the commitments the
// drafting screen offers for an invoice — its receiving department's, of the
// invoice's vendor as the match decides it (registration number, else the
// normalised name), each with the match a draft would show — and what stops
// drafting (an order already drafted, an unreadable total).
#include <memory>
#include <set>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "corpus/corpus.h"
#include "ledger/data_dir.h"
#include "tests/fakes/test_util.h"
#include "web/server.h"
#include "workflow/workflow.h"

namespace web {
namespace {

using nlohmann::json;
using workflow::Role;

constexpr char kPassword[] = "correct horse battery";

class DraftCandidatesTest : public ::testing::Test {
 protected:
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
    ASSERT_OK(wf_->CreateDepartment({"doboku", "土木課"}, root));
    for (auto [login, dept] : {std::pair{"kato", "somu"}, {"mori", "doboku"}}) {
      ASSERT_OK(wf_->AddUser({login, login, dept, {Role::kClerk}, "", true}, kPassword, root));
    }
    ASSERT_OK(wf_->AddUser({"admin", "admin", "somu", {Role::kAdmin}, "", true}, kPassword, root));

    corpus::Options options;
    options.seed = 7;
    options.from = base::Date(2026, 5, 1);
    options.to = base::Date(2026, 5, 15);
    options.target_xml_bytes = 0;
    corpus::Generator gen(options);
    invoice_ = gen.Next();
    other_ = gen.Next();
    while (other_.vendor_index == invoice_.vendor_index) other_ = gen.Next();

    ServerOptions so;
    so.host = "127.0.0.1";
    so.port = 0;
    server_ = std::make_unique<Server>(so, archive_.get(), wf_.get(), &clock_);
    auto port = server_->Bind();
    ASSERT_OK(port);
    thread_ = std::thread([this] { server_->Run().IgnoreError(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
    ASSERT_TRUE(client_->Get("/healthz"));
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  workflow::User Admin() { return *wf_->GetUser("admin"); }

  // The vendor of inv in the master as `id`, named `name` (default: as the
  // invoice names it), with or without its registration number.
  void PutVendor(const std::string& id, const corpus::Invoice& inv, bool with_number = true,
                 const std::string& name = "") {
    ASSERT_OK(wf_->PutVendor({id, name.empty() ? inv.vendor.name : name,
                              with_number ? inv.vendor.registration_number : "",
                              inv.vendor.bank_account, inv.vendor.address},
                             Admin()));
  }
  std::string Commitment(const std::string& dept, const std::string& vendor_id, int64_t amount,
                         int fiscal_year = 2026) {
    workflow::Commitment c;
    c.department = dept;
    c.vendor_id = vendor_id;
    c.budget_line = "02-01-01-10";
    c.fiscal_year = fiscal_year;
    c.description = "単価契約";
    c.amount = base::Decimal::FromInt(amount);
    c.contract_from = base::Date(fiscal_year, 4, 1);
    c.contract_to = base::Date(fiscal_year + 1, 3, 31);
    c.expense_type = "goods";
    auto created = wf_->CreateCommitment(c, Admin());
    EXPECT_OK(created);
    return created.ok() ? created->id : "";
  }
  std::string Receive(const std::string& dept, std::string bytes) {
    auto out =
        archive_->Ingest({archive::IncomingFile{"請求書.xml", dept, "upload", "test", bytes}});
    EXPECT_TRUE(out.size() == 1 && out[0].ok());
    return out.size() == 1 && out[0].ok() ? out[0]->id : "";
  }
  httplib::Headers LogIn(const std::string& login) {
    auto res =
        client_->Post("/api/v1/session", json{{"login", login}, {"password", kPassword}}.dump(),
                      "application/json");
    EXPECT_TRUE(res && res->status == 200) << login;
    if (!res) return {};
    const std::string cookie = res->get_header_value("Set-Cookie");
    return {{"Cookie", cookie.substr(0, cookie.find(';'))},
            {"X-CSRF-Token", json::parse(res->body).value("csrf_token", "")}};
  }
  std::pair<int, json> Candidates(const httplib::Headers& who, const std::string& doc) {
    auto res = client_->Get(("/api/v1/documents/" + doc + "/commitments").c_str(), who);
    if (!res) return {0, json()};
    return {res->status, json::parse(res->body, nullptr, false)};
  }
  static std::set<std::string> Ids(const json& items) {
    std::set<std::string> out;
    for (const json& i : items) out.insert(i["id"].get<std::string>());
    return out;
  }
  static std::string StatusOf(const json& item, const std::string& field) {
    for (const json& m : item["match"]) {
      if (m["field"] == field) return m["status"];
    }
    return "";
  }

  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  base::FakeClock clock_{*base::ParseRfc3339("2026-05-20T01:00:00Z")};
  std::unique_ptr<archive::Archive> archive_;
  std::unique_ptr<workflow::Workflow> wf_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
  corpus::Invoice invoice_, other_;
};

TEST_F(DraftCandidatesTest, OffersTheReceivingDepartmentsCommitmentsOfTheInvoicesVendor) {
  PutVendor("V00001", invoice_);
  PutVendor("V00002", other_);
  const std::string small = Commitment("somu", "V00001", 1);  // less than the invoice
  const std::string large = Commitment("somu", "V00001", 50'000'000);
  const std::string last_year = Commitment("somu", "V00001", 50'000'000, 2025);
  Commitment("somu", "V00002", 50'000'000);    // another vendor
  Commitment("doboku", "V00001", 50'000'000);  // another department
  const std::string doc = Receive("somu", corpus::RenderJpPint(invoice_));

  auto [status, body] = Candidates(LogIn("kato"), doc);
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_EQ(body["document_id"], doc);
  EXPECT_EQ(body["department"], "somu");
  EXPECT_TRUE(body["order_id"].is_null());
  EXPECT_TRUE(body["blocked_reason"].is_null());
  ASSERT_EQ(body["vendors"].size(), 1u) << body.dump();
  EXPECT_EQ(body["vendors"][0]["id"], "V00001");
  ASSERT_EQ(Ids(body["items"]), (std::set<std::string>{small, large, last_year}));
  // This fiscal year's first, then by number.
  EXPECT_EQ(body["items"][0]["id"], small);
  EXPECT_EQ(body["items"][1]["id"], large);
  EXPECT_EQ(body["items"][2]["id"], last_year);
  // Each with the match a draft would show: the amount × where it does
  // not fit, the contract period × for last year's.
  EXPECT_EQ(StatusOf(body["items"][0], "amount"), "mismatch") << body["items"][0].dump();
  EXPECT_EQ(StatusOf(body["items"][1], "amount"), "match");
  EXPECT_EQ(StatusOf(body["items"][1], "vendor"), "match");
  EXPECT_EQ(StatusOf(body["items"][2], "invoice_date"), "mismatch");
  EXPECT_EQ(body["items"][1]["remaining"], "50000000");

  // Another department's clerk does not read the invoice.
  auto [foreign, refusal] = Candidates(LogIn("mori"), doc);
  EXPECT_EQ(foreign, 403) << refusal.dump();
}

TEST_F(DraftCandidatesTest, WithoutARegistrationNumberTheNormalisedNameDecides) {
  // The master knows the vendor without its number and writes its legal
  // form as ㈱ in front; a vendor of another name is not offered.
  std::string spelled = invoice_.vendor.name;
  if (const size_t at = spelled.find("株式会社"); at != std::string::npos) {
    spelled.erase(at, std::string("株式会社").size());
  }
  spelled = "㈱" + spelled;
  ASSERT_NE(spelled, invoice_.vendor.name);
  PutVendor("V00001", invoice_, false, spelled);
  PutVendor("V00002", other_, false);
  const std::string mine = Commitment("somu", "V00001", 50'000'000);
  Commitment("somu", "V00002", 50'000'000);
  const std::string doc = Receive("somu", corpus::RenderJpPint(invoice_));

  auto [status, body] = Candidates(LogIn("kato"), doc);
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_EQ(Ids(body["items"]), std::set<std::string>{mine}) << body.dump();
  EXPECT_EQ(StatusOf(body["items"][0], "vendor"), "match");
}

TEST_F(DraftCandidatesTest, SaysWhenTheInvoiceHasAnOrderOrCannotBePaid) {
  PutVendor("V00001", invoice_);
  const std::string commitment = Commitment("somu", "V00001", 50'000'000);
  const std::string doc = Receive("somu", corpus::RenderJpPint(invoice_));
  auto order = wf_->Draft(doc, commitment, *wf_->GetUser("kato"));
  ASSERT_OK(order);
  auto [status, body] = Candidates(LogIn("kato"), doc);
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_EQ(body["order_id"], order->order.id);

  // Not an invoice kura can read: no total, so no order can pay it.
  const std::string unreadable = Receive("somu", "<x>読めない書類</x>");
  auto [status2, body2] = Candidates(LogIn("kato"), unreadable);
  ASSERT_EQ(status2, 200) << body2.dump();
  EXPECT_TRUE(body2["order_id"].is_null());
  EXPECT_NE(body2["blocked_reason"].get<std::string>().find("請求金額が読み取れません"),
            std::string::npos)
      << body2.dump();
  EXPECT_TRUE(body2["items"].empty());

  auto [missing, none] = Candidates(LogIn("kato"), "D99999999");
  EXPECT_EQ(missing, 404) << none.dump();
}

}  // namespace
}  // namespace web
