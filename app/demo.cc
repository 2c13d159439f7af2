// `kura demo-data` (write a synthetic invoice corpus to a folder) and the
// demo organisation of `kura serve --demo`: departments, users for every
// role, the vendor master, commitments and invoices, so that a newcomer can
// click through the whole payment-order flow.
#include <algorithm>
#include <cstdio>
#include <map>

#include <spdlog/spdlog.h>
#include <unistd.h>

#include "app/commands.h"
#include "app/demo_history.h"
#include "app/demo_legacy.h"
#include "app/error_text.h"
#include "archive/archive.h"
#include "archive/search.h"
#include "base/date.h"
#include "corpus/corpus.h"
#include "workflow/workflow.h"

namespace app {

int CmdDemoData(const Context& ctx, const DemoDataArgs& args) {
  corpus::Options options;
  options.seed = args.seed;
  options.count = args.count;
  options.pdf_share = args.pdf_share;
  const bool tty = ::isatty(::fileno(ctx.err));
  const base::Status s = corpus::WriteCorpus(options, ctx.fs, args.out, [&](int done, int total) {
    if (tty && (done % 50 == 0 || done == total)) {
      std::fprintf(ctx.err, "\r請求書を生成中 %d / %d", done, total);
    }
  });
  if (tty) std::fprintf(ctx.err, "\n");
  if (!s.ok()) {
    PrintError(ctx.err, s);
    return 1;
  }
  std::fprintf(ctx.err, "kura: %d 件の請求書を %s に書き出しました (seed %llu)\n", args.count,
               ForDisplay(args.out).c_str(), static_cast<unsigned long long>(args.seed));
  return 0;
}

namespace {

using base::Result;
using base::Status;

// The departments of the demo organisation: a handful of the generator's,
// and an audit office that receives no invoices.
constexpr const char* kDemoDepartments[] = {"somu",    "kaikei", "joho",
                                            "fukushi", "doboku", "kyoiku"};

struct DemoUser {
  std::string login;
  std::string name;
  std::string department;
  workflow::Role role;
  std::string title;
};

std::vector<DemoUser> DemoUsers(const std::vector<workflow::Department>& departments) {
  std::vector<DemoUser> users;
  for (const workflow::Department& d : departments) {
    if (d.code == "kansa") continue;
    users.push_back({d.code + ".tanto", d.name + " 会計担当", d.code, workflow::Role::kClerk, ""});
    users.push_back(
        {d.code + ".kacho", d.name + " 課長", d.code, workflow::Role::kApprover, "課長"});
    users.push_back(
        {d.code + ".bucho", d.name + " 部長", d.code, workflow::Role::kApprover, "部長"});
  }
  users.push_back({"fukushicho", "副市長", "somu", workflow::Role::kApprover, "副市長"});
  users.push_back({"kaikei", "会計管理者", "kaikei", workflow::Role::kAccountant, ""});
  users.push_back({"kansa", "監査委員事務局 監査担当", "kansa", workflow::Role::kAuditor, ""});
  users.push_back({"compliance", "文書管理担当", "somu", workflow::Role::kCompliance, ""});
  users.push_back({"admin", "システム管理者", "joho", workflow::Role::kAdmin, ""});
  return users;
}

// 節 of the vendor's budget item → (expense type, budget line 款-項-目-節).
std::pair<std::string, std::string> ExpenseOf(const std::string& budget_item) {
  if (budget_item == "工事請負費") return {"works", "08-02-01-14"};
  if (budget_item == "委託料") return {"services", "02-01-01-12"};
  if (budget_item == "使用料及び賃借料") return {"services", "02-01-01-13"};
  if (budget_item == "備品購入費") return {"goods", "02-01-01-17"};
  return {"goods", "02-01-01-10"};  // 需用費
}

std::string VendorId(int index) {
  char id[16];
  std::snprintf(id, sizeof id, "V%05d", index + 1);
  return id;
}

// The demo invoices: deterministic, issued over the last eight weeks (not
// before the fiscal year began), addressed to the demo departments.
std::vector<corpus::Invoice> DemoInvoices(base::Date today, int count) {
  corpus::Options options;
  options.seed = 2026;
  options.from = std::max(base::FiscalYearStart(base::FiscalYearOf(today)), today.AddDays(-56));
  options.to = std::max(options.from, today.AddDays(-1));
  options.pdf_share = 0.3;
  options.target_xml_bytes = 0;
  corpus::Generator gen(options);
  std::vector<corpus::Invoice> out;
  while (static_cast<int>(out.size()) < count) {
    corpus::Invoice inv = gen.Next();
    for (const char* code : kDemoDepartments) {
      if (inv.department_code == code) {
        out.push_back(std::move(inv));
        break;
      }
    }
  }
  return out;
}

// The n-th demo invoice as it arrives: XML over Peppol; PDFs by e-mail, or
// every second one as a paper invoice scanned at the counter (スキャナ保存).
Result<archive::IncomingFile> DemoFile(const corpus::Invoice& inv, int n) {
  archive::IncomingFile f;
  f.department = inv.department_code;
  f.receiver = "demo";
  f.file_name = corpus::CorpusFileName(n, inv.format);
  if (inv.format == corpus::Format::kPdf) {
    ASSIGN_OR_RETURN(f.bytes, corpus::RenderPdf(inv));
    f.source = n % 2 == 0 ? "scan" : "email";
  } else {
    f.bytes = corpus::RenderJpPint(inv);
    f.source = "peppol";
  }
  return f;
}

Status SeedInvoices(archive::Archive* arc, const std::vector<corpus::Invoice>& invoices) {
  std::vector<archive::IncomingFile> files;
  int n = 0;
  for (const corpus::Invoice& inv : invoices) {
    ASSIGN_OR_RETURN(archive::IncomingFile f, DemoFile(inv, ++n));
    files.push_back(std::move(f));
  }
  for (const auto& r : arc->Ingest(std::move(files))) RETURN_IF_ERROR(r.status());
  return Status::OK();
}

}  // namespace

namespace {

// The departments of the generator that the demo uses, and its users; what
// exists already is kept. Returns how many users were added.
Result<int> SeedOrganisation(workflow::Workflow* wf, const corpus::Generator& master,
                             const workflow::User& root) {
  std::vector<workflow::Department> departments;
  for (const auto& d : master.departments()) {
    for (const char* code : kDemoDepartments) {
      if (d.code == code) departments.push_back({d.code, d.name});
    }
  }
  departments.push_back({"kansa", "監査委員事務局"});
  ASSIGN_OR_RETURN(const auto existing_departments, wf->ListDepartments());
  for (const workflow::Department& d : departments) {
    bool exists = false;
    for (const auto& e : existing_departments) exists = exists || e.code == d.code;
    if (!exists) RETURN_IF_ERROR(wf->CreateDepartment(d, root));
  }
  int added = 0;
  for (const DemoUser& u : DemoUsers(departments)) {
    auto got = wf->GetUser(u.login);
    if (got.ok()) continue;
    if (!got.status().IsNotFound()) return got.status();
    RETURN_IF_ERROR(
        wf->AddUser({u.login, u.name, u.department, {u.role}, u.title, true}, kDemoPassword, root));
    ++added;
  }
  return added;
}

// The generator's vendor master; every tenth vendor's account differs from
// what its invoices say (the × the accounting office must confirm).
Result<int> SeedVendors(workflow::Workflow* wf, const corpus::Generator& master,
                        const workflow::User& root) {
  int added = 0;
  for (size_t i = 0; i < master.vendors().size(); ++i) {
    const auto& v = master.vendors()[i];
    const std::string id = VendorId(static_cast<int>(i));
    auto got = wf->GetVendor(id);
    if (got.ok()) continue;
    if (!got.status().IsNotFound()) return got.status();
    std::string account = v.bank_account;
    if (i % 10 == 3 && !account.empty()) account.back() = account.back() == '9' ? '0' : '9';
    RETURN_IF_ERROR(wf->PutVendor(
        {id, v.name, v.registration_number, account, v.address, v.account_name}, root));
    ++added;
  }
  return added;
}

// One commitment per department and vendor of the invoices, half again as
// large as what they bill, unless there are commitments already.
Result<int> SeedCommitments(workflow::Workflow* wf, const corpus::Generator& master,
                            const std::vector<corpus::Invoice>& invoices, int fiscal_year,
                            const workflow::User& root) {
  ASSIGN_OR_RETURN(const auto commitments, wf->ListCommitments({}));
  if (!commitments.empty()) return 0;
  std::map<std::pair<std::string, int>, int64_t> totals;
  for (const auto& inv : invoices) {
    totals[{inv.department_code, inv.vendor_index}] += inv.payable_amount.Normalized().mantissa();
  }
  int added = 0;
  for (const auto& [key, total] : totals) {
    const auto& v = master.vendors()[static_cast<size_t>(key.second)];
    const auto [type, budget_line] = ExpenseOf(v.expense_type);
    workflow::Commitment c;
    c.department = key.first;
    c.vendor_id = VendorId(key.second);
    c.budget_line = budget_line;
    c.fiscal_year = fiscal_year;
    c.description = v.name + " " + v.expense_type + "（" + std::to_string(fiscal_year) + "年度）";
    c.amount = base::Decimal::FromInt((total * 3 / 2 / 100'000 + 1) * 100'000);
    c.contract_from = base::FiscalYearStart(fiscal_year);
    c.contract_to = base::FiscalYearEnd(fiscal_year);
    c.expense_type = type;
    RETURN_IF_ERROR(wf->CreateCommitment(c, root).status());
    ++added;
  }
  return added;
}

}  // namespace

namespace {

// The demo's history (demo_history.h): the organisation, the vendor master
// and the commitments exist from the day before the first receipt; then
// the receipts and orders of the last eight weeks happen in time order.
Status SeedWithHistory(archive::Archive* arc, workflow::Workflow* wf, base::FakeClock* clock,
                       const std::vector<corpus::Invoice>& invoices, int fiscal_year) {
  const workflow::User root = workflow::Workflow::SystemUser("demo");
  const base::Time now = clock->Now();
  const base::Date today = base::Date::InJapan(now);
  base::Date first = today;
  for (size_t i = 0; i < invoices.size(); ++i) {
    first = std::min(first, DemoReceiptDay(invoices[i].issue_date, static_cast<int>(i), today));
  }
  clock->Set(base::FromUnixMicros(int64_t{first.AddDays(-1).DaysSinceEpoch()} * 86'400'000'000));
  corpus::Generator master(corpus::Options{});
  RETURN_IF_ERROR(SeedOrganisation(wf, master, root).status());
  RETURN_IF_ERROR(SeedVendors(wf, master, root).status());
  RETURN_IF_ERROR(SeedCommitments(wf, master, invoices, fiscal_year, root).status());
  clock->Set(now);
  Status file_error;
  DemoHistoryInput in;
  in.archive = arc;
  in.workflow = wf;
  in.clock = clock;
  in.invoices = &invoices;
  in.file_of = [&file_error](const corpus::Invoice& inv, int n) {
    auto f = DemoFile(inv, n);
    if (!f.ok()) {
      file_error = f.status();
      return archive::IncomingFile{};
    }
    return std::move(*f);
  };
  in.commitment_of = [wf](const corpus::Invoice& inv) -> std::string {
    auto list = wf->ListCommitments({inv.department_code, 0, VendorId(inv.vendor_index)});
    return list.ok() && !list->empty() ? list->front().id : "";
  };
  const Status s = SeedDemoHistory(in);
  return file_error.ok() ? s : file_error;
}

}  // namespace

Status SeedDemo(const Context& ctx, archive::Archive* arc, workflow::Workflow* wf,
                int invoice_count, base::FakeClock* history) {
  const workflow::User root = workflow::Workflow::SystemUser("demo");
  const base::Date today = base::Date::InJapan(ctx.clock->Now());
  const int fiscal_year = base::FiscalYearOf(today);
  corpus::Generator master(corpus::Options{});
  const std::vector<corpus::Invoice> invoices = DemoInvoices(today, invoice_count);
  archive::SearchQuery any;
  any.limit = 1;
  ASSIGN_OR_RETURN(const archive::SearchResult docs, arc->Search(any));
  if (docs.count == 0 && history != nullptr) {
    spdlog::info("デモ用の請求書 {} 件と支出命令を、過去8週間の出来事として保存しています...",
                 invoices.size());
    return SeedWithHistory(arc, wf, history, invoices, fiscal_year);
  }
  ASSIGN_OR_RETURN(const int added_users, SeedOrganisation(wf, master, root));
  ASSIGN_OR_RETURN(const int added_vendors, SeedVendors(wf, master, root));
  if (docs.count == 0) {
    spdlog::info("デモ用の請求書 {} 件を保存しています...", invoices.size());
    RETURN_IF_ERROR(SeedInvoices(arc, invoices));
  }
  ASSIGN_OR_RETURN(const int added_commitments,
                   SeedCommitments(wf, master, invoices, fiscal_year, root));
  if (added_users + added_vendors + added_commitments > 0) {
    spdlog::info("デモ組織を作成しました: ユーザー {} 人、債権者 {} 件、支出負担行為 {} 件",
                 added_users, added_vendors, added_commitments);
  }
  return SeedDemoLegacyCreditors(wf);
}

void PrintDemoLogins(const Context& ctx, const std::string& url) {
  corpus::Generator master(corpus::Options{});
  std::vector<workflow::Department> departments;
  for (const auto& d : master.departments()) {
    for (const char* code : kDemoDepartments) {
      if (d.code == code) departments.push_back({d.code, d.name});
    }
  }
  std::string logins;
  for (const DemoUser& u : DemoUsers(departments)) {
    char line[256];
    std::snprintf(line, sizeof line, "\n    %-14s %s", u.login.c_str(), u.name.c_str());
    logins += line;
  }
  std::fprintf(ctx.err,
               "\n==== kura デモ (serve --demo) =====================================\n"
               "  パスワード (全ユーザー共通): %s\n"
               "  ログインID:%s\n"
               "  試し方 (docs/API.md):\n"
               "    curl -c jar -H 'Content-Type: application/json' \\\n"
               "      -d '{\"login\":\"somu.tanto\",\"password\":\"%s\"}' %sapi/v1/session\n"
               "    curl -b jar %sapi/v1/inbox\n"
               "===================================================================\n\n",
               kDemoPassword, logins.c_str(), kDemoPassword, url.c_str(), url.c_str());
  std::fflush(ctx.err);
}

}  // namespace app
