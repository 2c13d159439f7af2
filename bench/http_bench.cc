// The server at a city's scale, measured with wrk on loopback.
//
//   cd build && bench/http_bench [--documents N] [--orders M] [--seconds S]
//                                [--connections C] [--kura PATH] [--dir DIR]
//
// Seeds a data directory the way a year of work leaves it: N (default
// 24,000) JP PINT invoices received over the last 90 days by every
// department of the generator's city (a clock of the benchmark's own sets
// each day's receipts), the vendor master, commitments, and M (default
// 2,000) of the invoices drafted and submitted as payment orders, waiting
// for their 課長. Then starts the real program (`kura serve`, its request
// log to /dev/null) and measures, each for S seconds (default 10) with
// `wrk -t2 -cC --latency` (C default 8; kura allows 16 connections per
// address) and a session cookie:
//
//   peer  GET /healthz                      the server's floor: no session, no data
//         GET /api/v1/inbox?limit=0         the accounting office's home counts
//         GET /api/v1/inbox                 … and the first 20 items of each list
//         GET /api/v1/inbox/overdue?limit=50  a page of its longest list
//         GET /api/v1/documents?sort=received&desc=true&limit=50  the invoice list
//         GET /api/v1/documents?…           a search: date range + amount range
//
// and approval actions: every submitted order approved once by its
// department's 課長 over HTTP, one client thread per department; actions/s
// and p50/p99 latency measured in this program. Target (issue 13): reads
// ≥ 2,000 requests/s with p99 < 50 ms on the 2-core machine.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "archive/archive.h"
#include "bench/bench_util.h"
#include "corpus/corpus.h"
#include "ledger/data_dir.h"
#include "tests/fakes/test_util.h"
#include "workflow/workflow.h"

namespace {

using nlohmann::json;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "http_bench: %s\n", what.c_str());
  std::exit(1);
}

template <class T>
T Must(base::Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return std::move(*r);
}

void Must(const base::Status& s, const char* what) {
  if (!s.ok()) Die(std::string(what) + ": " + s.ToString());
}

constexpr char kPassword[] = "bench-pass-2026";

struct Args {
  int documents = 24000;
  int orders = 2000;
  int seconds = 10;
  int connections = 8;
  std::string kura = "./kura";
  std::string dir;
};

Args ParseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--documents") a.documents = std::stoi(v);
    else if (k == "--orders") a.orders = std::stoi(v);
    else if (k == "--seconds") a.seconds = std::stoi(v);
    else if (k == "--connections") a.connections = std::stoi(v);
    else if (k == "--kura") a.kura = v;
    else if (k == "--dir") a.dir = v;
    else Die("unknown option " + k);
  }
  return a;
}

struct PendingOrder {
  std::string id;
  std::string department;
  uint32_t version = 0;
};

// --- Seeding ---------------------------------------------------------------

std::string VendorId(size_t i) {
  char id[32];
  std::snprintf(id, sizeof id, "V%05zu", i + 1);
  return id;
}

// Departments, users (<dept>.tanto clerk, <dept>.kacho 課長, kaikei), the
// vendor master and one large commitment per department and vendor.
void SeedOrganisation(workflow::Workflow* wf, const corpus::Generator& gen, int fiscal_year) {
  const workflow::User root = workflow::Workflow::SystemUser("bench");
  for (const auto& d : gen.departments()) {
    Must(wf->CreateDepartment({d.code, d.name}, root), "department");
    Must(wf->AddUser({d.code + ".tanto", d.name + " 担当", d.code, {workflow::Role::kClerk}, "", true},
                     kPassword, root),
         "clerk");
    Must(wf->AddUser({d.code + ".kacho", d.name + " 課長", d.code, {workflow::Role::kApprover},
                      "課長", true},
                     kPassword, root),
         "kacho");
  }
  Must(wf->AddUser({"kaikei", "会計管理者", gen.departments().front().code,
                    {workflow::Role::kAccountant}, "", true},
                   kPassword, root),
       "accountant");
  for (size_t i = 0; i < gen.vendors().size(); ++i) {
    const auto& v = gen.vendors()[i];
    Must(wf->PutVendor({VendorId(i), v.name, v.registration_number, v.bank_account, v.address},
                       root),
         "vendor");
    for (const auto& d : gen.departments()) {
      workflow::Commitment c;
      c.department = d.code;
      c.vendor_id = VendorId(i);
      c.budget_line = "02-01-01-13";
      c.fiscal_year = fiscal_year;
      c.description = v.name + "（ベンチマーク）";
      c.amount = base::Decimal::FromInt(int64_t{10'000'000'000});
      c.contract_from = base::FiscalYearStart(fiscal_year - 1);
      c.contract_to = base::FiscalYearEnd(fiscal_year);
      c.expense_type = "goods";
      Must(wf->CreateCommitment(c, root).status(), "commitment");
    }
  }
}

// Receives the invoices day by day (one batch per day, on that day).
std::vector<std::string> SeedReceipts(archive::Archive* arc, base::FakeClock* clock,
                                      const std::vector<corpus::Invoice>& invoices) {
  std::map<int32_t, std::vector<size_t>> by_day;
  for (size_t i = 0; i < invoices.size(); ++i) {
    by_day[invoices[i].issue_date.AddDays(1).DaysSinceEpoch()].push_back(i);
  }
  std::vector<std::string> ids(invoices.size());
  for (const auto& [day, list] : by_day) {
    clock->Set(base::FromUnixMicros(int64_t{day} * 86'400'000'000));
    std::vector<archive::IncomingFile> files;
    for (size_t i : list) {
      files.push_back({corpus::CorpusFileName(static_cast<int>(i) + 1, corpus::Format::kJpPint),
                       invoices[i].department_code, "peppol", "bench",
                       corpus::RenderJpPint(invoices[i]), nullptr});
    }
    auto results = arc->Ingest(std::move(files));
    for (size_t k = 0; k < list.size(); ++k) ids[list[k]] = Must(std::move(results[k]), "ingest").id;
  }
  return ids;
}

// Drafts and submits `count` of the invoices (spread over the departments
// and the period), four clerks at a time.
std::vector<PendingOrder> SeedOrders(workflow::Workflow* wf,
                                     const std::vector<corpus::Invoice>& invoices,
                                     const std::vector<std::string>& ids, int count) {
  std::vector<PendingOrder> out;
  std::mutex mu;
  std::atomic<size_t> next{0};
  const size_t step = std::max<size_t>(1, invoices.size() / static_cast<size_t>(count));
  auto worker = [&] {
    for (size_t k = next.fetch_add(1); k < static_cast<size_t>(count); k = next.fetch_add(1)) {
      const size_t i = (k * step) % invoices.size();
      const corpus::Invoice& inv = invoices[i];
      const workflow::User clerk = Must(wf->GetUser(inv.department_code + ".tanto"), "clerk");
      auto commitments = Must(wf->ListCommitments(
                                  {inv.department_code, 0, VendorId(static_cast<size_t>(inv.vendor_index))}),
                              "commitments");
      auto drafted = wf->Draft(ids[i], commitments.front().id, clerk);
      if (!drafted.ok()) continue;  // e.g. the same invoice picked twice
      workflow::ActionRequest submit;
      submit.action = workflow::Action::kSubmit;
      submit.version = drafted->order.version;
      submit.acknowledge = drafted->order.UnacknowledgedMismatches();
      if (!submit.acknowledge.empty()) submit.comment = "照合済み（ベンチマーク）";
      auto submitted = Must(wf->Act(drafted->order.id, submit, clerk), "submit");
      std::lock_guard<std::mutex> l(mu);
      out.push_back({submitted.order.id, inv.department_code, submitted.order.version});
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  return out;
}

std::vector<PendingOrder> Seed(const std::string& data_dir, const Args& args) {
  auto fs = base::NewPosixFileSystem();
  const base::Time now = base::SystemClock().Now();
  base::FakeClock clock(now - std::chrono::hours(24 * 100));
  Must(ledger::InitDataDir(fs.get(), ledger::DataDirLayout{data_dir}, ""), "init");
  archive::ArchiveOptions ao;
  ao.data_dir = data_dir;
  auto arc = Must(archive::Archive::Open(ao, fs.get(), &clock), "archive");
  auto wf = Must(workflow::Workflow::Open(arc.get(), &clock, {}), "workflow");
  const base::Date today = base::Date::InJapan(now);
  corpus::Options options;
  options.seed = 13;
  options.from = today.AddDays(-91);
  options.to = today.AddDays(-1);
  options.pdf_share = 0;
  options.target_xml_bytes = 0;
  corpus::Generator gen(options);
  SeedOrganisation(wf.get(), gen, base::FiscalYearOf(today));
  std::vector<corpus::Invoice> invoices;
  for (int i = 0; i < args.documents; ++i) invoices.push_back(gen.Next());
  bench::Stopwatch w;
  const std::vector<std::string> ids = SeedReceipts(arc.get(), &clock, invoices);
  std::printf("seeded %d invoices in %.1f s\n", args.documents, w.Seconds());
  clock.Set(now);
  bench::Stopwatch w2;
  std::vector<PendingOrder> orders = SeedOrders(wf.get(), invoices, ids, args.orders);
  std::printf("seeded %zu submitted orders in %.1f s\n", orders.size(), w2.Seconds());
  return orders;
}

// --- The server and its clients ----------------------------------------------

pid_t StartKura(const Args& args, const std::string& data_dir, int port) {
  const pid_t pid = fork();
  if (pid < 0) Die("fork");
  if (pid == 0) {
    FILE* null = std::fopen("/dev/null", "w");
    dup2(fileno(null), 1);
    dup2(fileno(null), 2);
    const std::string listen = "127.0.0.1:" + std::to_string(port);
    execl(args.kura.c_str(), args.kura.c_str(), "--data", data_dir.c_str(), "serve", "--listen",
          listen.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  httplib::Client c("127.0.0.1", port);
  for (int i = 0; i < 600; ++i) {
    if (auto r = c.Get("/healthz"); r && r->status == 200) return pid;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  Die("kura serve did not answer /healthz (is --kura right? " + args.kura + ")");
}

struct Session {
  std::string cookie;  // "kura_session=…"
  std::string csrf;
};

Session Login(int port, const std::string& login) {
  httplib::Client c("127.0.0.1", port);
  auto r = c.Post("/api/v1/session", json{{"login", login}, {"password", kPassword}}.dump(),
                  "application/json");
  if (!r || r->status != 200) Die("login " + login + ": " + (r ? r->body : "no answer"));
  const std::string set = r->get_header_value("Set-Cookie");
  return {set.substr(0, set.find(';')), json::parse(r->body)["csrf_token"]};
}

struct WrkResult {
  double rps = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  long non2xx = 0;
};

double ToMs(const std::string& v) {
  const double x = std::atof(v.c_str());
  if (v.find("us") != std::string::npos) return x / 1000;
  if (v.find("ms") != std::string::npos) return x;
  if (v.find('s') != std::string::npos) return x * 1000;
  return x;
}

WrkResult RunWrk(const Args& args, const std::string& url, const std::string& cookie) {
  std::string cmd = "wrk -t2 -c" + std::to_string(args.connections) + " -d" +
                    std::to_string(args.seconds) + "s --latency";
  if (!cookie.empty()) cmd += " -H 'Cookie: " + cookie + "'";
  cmd += " '" + url + "' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) Die("wrk");
  WrkResult r;
  char line[512];
  while (std::fgets(line, sizeof line, p) != nullptr) {
    char a[64] = {0};
    if (std::sscanf(line, " 50%% %63s", a) == 1) r.p50_ms = ToMs(a);
    if (std::sscanf(line, " 99%% %63s", a) == 1) r.p99_ms = ToMs(a);
    if (std::sscanf(line, "Requests/sec: %63s", a) == 1) r.rps = std::atof(a);
    if (std::sscanf(line, " Non-2xx or 3xx responses: %63s", a) == 1) r.non2xx = std::atol(a);
  }
  if (pclose(p) != 0) Die("wrk failed (is it installed? apt-get install wrk): " + cmd);
  return r;
}

// Every order approved once by its 課長, one client per department.
void RunApprovals(int port, const std::vector<PendingOrder>& orders) {
  std::map<std::string, std::vector<PendingOrder>> by_dept;
  for (const auto& o : orders) by_dept[o.department].push_back(o);
  std::vector<double> latencies;
  std::mutex mu;
  std::atomic<int> failed{0};
  bench::Stopwatch total;
  std::vector<std::thread> threads;
  for (const auto& [dept, list] : by_dept) {
    threads.emplace_back([&, dept = dept, list = list] {
      const Session s = Login(port, dept + ".kacho");
      httplib::Client c("127.0.0.1", port);
      c.set_keep_alive(true);
      const httplib::Headers h{{"Cookie", s.cookie}, {"X-CSRF-Token", s.csrf}};
      for (const PendingOrder& o : list) {
        bench::Stopwatch w;
        auto r = c.Post("/api/v1/payment-orders/" + o.id + "/actions", h,
                        json{{"action", "approve"}, {"version", o.version}}.dump(),
                        "application/json");
        const double ms = w.Seconds() * 1000;
        if (!r || r->status != 200) ++failed;
        std::lock_guard<std::mutex> l(mu);
        latencies.push_back(ms);
      }
    });
  }
  for (auto& t : threads) t.join();
  const double seconds = total.Seconds();
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double q) {
    return latencies.empty() ? 0 : latencies[static_cast<size_t>(q * (latencies.size() - 1))];
  };
  std::printf("| POST …/actions approve (%zu orders, %zu clients) | %.0f | %.1f | %.1f | %d failed |\n",
              latencies.size(), by_dept.size(), latencies.size() / seconds, pct(0.5), pct(0.99),
              failed.load());
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = ParseArgs(argc, argv);
  kura_test::TempDir tmp;
  const std::string data_dir = (args.dir.empty() ? tmp.path() : args.dir) + "/kura-data";
  const std::vector<PendingOrder> orders = Seed(data_dir, args);

  const int port = 20000 + static_cast<int>(getpid() % 20000);
  const pid_t kura = StartKura(args, data_dir, port);
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  const Session kaikei = Login(port, "kaikei");
  {
    httplib::Client c("127.0.0.1", port);
    auto r = c.Get("/api/v1/inbox", {{"Cookie", kaikei.cookie}});
    if (!r || r->status != 200) Die("inbox");
    std::printf("the accounting office's inbox: %s\n", json::parse(r->body)["counts"].dump().c_str());
  }
  const base::Date today = base::Date::InJapan(base::SystemClock().Now());
  const std::string search = "/api/v1/documents?date_from=" + today.AddDays(-60).ToString() +
                             "&date_to=" + today.AddDays(-30).ToString() +
                             "&amount_min=100000&amount_max=2000000&limit=50";
  struct Target {
    const char* name;
    std::string path;
    bool session;
  };
  const std::vector<Target> targets = {
      {"peer: GET /healthz", "/healthz", false},
      {"GET /api/v1/inbox?limit=0 (会計室のホームの件数)", "/api/v1/inbox?limit=0", true},
      {"GET /api/v1/inbox (会計室のホーム: 件数と各一覧の先頭20件)", "/api/v1/inbox", true},
      {"GET /api/v1/inbox/overdue?limit=50", "/api/v1/inbox/overdue?limit=50", true},
      {"GET /api/v1/documents?sort=received&desc=true&limit=50 (請求書一覧)",
       "/api/v1/documents?sort=received&desc=true&limit=50", true},
      {"GET /api/v1/documents?date_from…&amount_min… (検索)", search, true},
  };
  std::printf("\n| request (wrk -t2 -c%d, %d s) | requests/s | p50 ms | p99 ms | non-2xx |\n",
              args.connections, args.seconds);
  std::printf("|---|---:|---:|---:|---:|\n");
  for (const Target& t : targets) {
    const WrkResult r = RunWrk(args, base + t.path, t.session ? kaikei.cookie : "");
    std::printf("| %s | %.0f | %.2f | %.2f | %ld |\n", t.name, r.rps, r.p50_ms, r.p99_ms, r.non2xx);
    std::fflush(stdout);
  }
  std::printf("\n| action | actions/s | p50 ms | p99 ms | |\n|---|---:|---:|---:|---|\n");
  RunApprovals(port, orders);
  kill(kura, SIGTERM);
  waitpid(kura, nullptr, 0);
  return 0;
}
