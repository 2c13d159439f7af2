// Workflow actions with a slow external TSA: the checkpoint publisher keeps
// the TSA out of every action's way.
//
//   build/bench/action_bench [--actions N] [--tsa-delay-ms D] [--every-events E]
//
// An external RFC 3161 TSA on loopback — the real `openssl ts -reply`,
// behind an HTTP handler that waits D ms (default 200) before answering —
// stamps every document and every checkpoint. The demo organisation is
// seeded (invoices stamped by that TSA), then N (default 200) payment-order
// actions run one after the other as the clerks, 課長/部長 and the
// accounting office would click them: draft, submit (acknowledging ×),
// approve along the route, confirm a changed bank account (the accounting
// office), accept with the 会計審査 checklist. Prints the
// latency of each action (p50/p99/max) beside the TSA's own delay, and how
// often the TSA was called during the actions (and the shutdown that
// follows) beside how many checkpoints were signed: one call per
// checkpoint, none per action (issue 11: p99 < 50 ms).
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>

#include <httplib.h>
#include <unistd.h>

#include "app/commands.h"
#include "archive/archive.h"
#include "bench/bench_util.h"
#include "ledger/data_dir.h"
#include "tests/fakes/test_util.h"
#include "tests/signing/openssl_cli.h"
#include "web/http_tsa_transport.h"
#include "workflow/workflow.h"

namespace {

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "action_bench: %s\n", what.c_str());
  std::exit(1);
}

template <class T>
T Must(base::Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return std::move(*r);
}

// `openssl ts -reply` on loopback, after a delay, counting its calls.
class SlowTsa {
 public:
  SlowTsa(const std::string& dir, std::chrono::milliseconds delay) : dir_(dir), delay_(delay) {
    std::string error;
    if (!kura_test::MakeOpensslTsa(dir, &tsa_, &error)) Die("openssl TSA: " + error);
    server_.Post("/tsa", [this](const httplib::Request& req, httplib::Response& res) {
      std::this_thread::sleep_for(delay_);
      calls_.fetch_add(1);
      std::lock_guard<std::mutex> one_openssl_at_a_time(mu_);
      res.set_content(kura_test::OpensslReply(tsa_, tsa_.config, req.body),
                      "application/timestamp-reply");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~SlowTsa() {
    while (!server_.is_running()) std::this_thread::yield();
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/tsa"; }
  std::string trusted_pem() const { return kura_test::ReadFileOrDie(tsa_.ca_pem); }
  int calls() const { return calls_.load(); }

 private:
  std::string dir_;
  std::chrono::milliseconds delay_;
  kura_test::OpensslTsa tsa_;
  httplib::Server server_;
  int port_ = -1;
  std::thread thread_;
  std::mutex mu_;
  std::atomic<int> calls_{0};
};

// The actions, timed one by one.
class Clicker {
 public:
  Clicker(workflow::Workflow* wf, int limit) : wf_(wf), limit_(limit) {}

  bool done() const { return static_cast<int>(ms_.size()) >= limit_; }
  std::vector<double>& latencies() { return ms_; }

  // Draft, submit, approve (each step), accept: one order's way.
  void WalkOrder(const std::string& doc, const workflow::Commitment& c) {
    const std::string dept = c.department;
    auto v = Timed([&] { return wf_->Draft(doc, c.id, User(dept + ".tanto")); });
    if (!v) return;
    workflow::ActionRequest submit{workflow::Action::kSubmit, v->order.version};
    submit.acknowledge = v->order.UnacknowledgedMismatches();
    if (!submit.acknowledge.empty()) submit.comment = "確認済み";
    v = Timed([&] { return wf_->Act(v->order.id, submit, User(dept + ".tanto")); });
    for (size_t step = 0; v && !done() && step < v->order.route.size(); ++step) {
      const std::string& title = v->order.route[step].title;
      const std::string who = title == "課長"   ? dept + ".kacho"
                              : title == "部長" ? dept + ".bucho"
                                                : "fukushicho";
      workflow::ActionRequest approve{workflow::Action::kApprove, v->order.version};
      v = Timed([&] { return wf_->Act(v->order.id, approve, User(who)); });
    }
    if (!v || done()) return;
    if (v->order.NeedsAcknowledgement("bank_account")) {
      // A changed account (every tenth demo vendor): the accounting office
      // confirms it before acceptance.
      workflow::ActionRequest confirm{workflow::Action::kConfirmBankAccount, v->order.version};
      confirm.comment = "口座変更届を確認済み";
      v = Timed([&] { return wf_->Act(v->order.id, confirm, User("kaikei")); });
      if (!v || done()) return;
    }
    workflow::ActionRequest accept{workflow::Action::kAccept, v->order.version};
    for (std::string_view item : workflow::kChecklistItems) {
      accept.checklist.push_back({std::string(item), true, ""});
    }
    Timed([&] { return wf_->Act(v->order.id, accept, User("kaikei")); });
  }

 private:
  workflow::User User(const std::string& login) { return Must(wf_->GetUser(login), "user"); }

  template <class Fn>
  std::optional<workflow::OrderView> Timed(Fn fn) {
    if (done()) return std::nullopt;
    bench::Stopwatch w;
    auto r = fn();
    ms_.push_back(w.Seconds() * 1000);
    if (!r.ok()) Die("action: " + r.status().ToString());
    return std::move(*r);
  }

  workflow::Workflow* wf_;
  int limit_;
  std::vector<double> ms_;
};

// The commitment an invoice is paid from (its department and vendor).
std::optional<workflow::Commitment> CommitmentFor(workflow::Workflow* wf,
                                                  const archive::SearchItem& doc) {
  for (const auto& v : Must(wf->ListVendors(), "vendors")) {
    if (v.registration_number != doc.registration_number) continue;
    auto list = Must(wf->ListCommitments({doc.department, 0, v.id}), "commitments");
    if (!list.empty()) return list.front();
  }
  return std::nullopt;
}

uint64_t CheckpointsSigned(const std::string& data, base::FileSystem* fs,
                           const base::Clock* clock) {
  archive::ArchiveOptions ro;
  ro.data_dir = data;
  ro.read_only = true;
  auto arc = Must(archive::Archive::Open(ro, fs, clock), "open");
  return Must(arc->Verify(), "verify").checkpoints;
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * (v.size() - 1) + 0.5))];
}

}  // namespace

int main(int argc, char** argv) {
  int actions = 200, delay_ms = 200, every_events = 64;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--actions")) actions = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--tsa-delay-ms")) delay_ms = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--every-events")) every_events = std::atoi(argv[i + 1]);
  }
  char templ[] = "/var/tmp/kura-action-bench-XXXXXX";
  if (!::mkdtemp(templ)) return 1;
  const std::string dir = templ, data = dir + "/kura-data";
  std::filesystem::create_directories(dir + "/tsa");
  SlowTsa tsa(dir + "/tsa", std::chrono::milliseconds(delay_ms));
  auto fs = base::NewPosixFileSystem();
  base::SystemClock clock;
  if (!ledger::InitDataDir(fs.get(), ledger::DataDirLayout{data}, "").ok()) Die("init");
  web::HttpTsaTransport transport;
  archive::ArchiveOptions options;
  options.data_dir = data;
  options.timestamp.url = tsa.url();
  options.timestamp.trusted_pem = tsa.trusted_pem();
  options.timestamp.transport = &transport;
  options.checkpoints.every_events = static_cast<uint64_t>(every_events);
  auto arc = Must(archive::Archive::Open(options, fs.get(), &clock), "open");
  workflow::WorkflowOptions wo;
  wo.password = workflow::PasswordParams{64, 1, 1};  // setup speed; logins are not measured
  auto wf = Must(workflow::Workflow::Open(arc.get(), &clock, wo), "workflow");
  app::Context ctx{fs.get(), &clock, data, "bench"};
  bench::Stopwatch seeding;
  const base::Status seeded = app::SeedDemo(ctx, arc.get(), wf.get(), 120);
  if (!seeded.ok()) Die("seed: " + seeded.ToString());
  std::printf(
      "action_bench: seeded the demo (%d TSA calls) in %.1f s; TSA delay %d ms, "
      "checkpoint every %d events\n",
      tsa.calls(), seeding.Seconds(), delay_ms, every_events);
  if (!arc->ledger().PublishCheckpoint().ok()) Die("publish");
  arc.reset();
  wf.reset();
  const uint64_t checkpoints_before = CheckpointsSigned(data, fs.get(), &clock);
  arc = Must(archive::Archive::Open(options, fs.get(), &clock), "reopen");
  wf = Must(workflow::Workflow::Open(arc.get(), &clock, wo), "workflow");

  archive::SearchQuery q;
  q.format = "jp-pint";
  q.limit = 1000;
  const auto docs = Must(arc->Search(q), "search");
  const int calls_before = tsa.calls();
  Clicker clicker(wf.get(), actions);
  bench::Stopwatch phase;
  for (const auto& doc : docs.items) {
    if (clicker.done()) break;
    if (auto c = CommitmentFor(wf.get(), doc)) clicker.WalkOrder(doc.id, *c);
  }
  const double seconds = phase.Seconds();
  wf.reset();
  arc.reset();  // the shutdown publishes the last checkpoint
  const int calls = tsa.calls() - calls_before;
  const uint64_t checkpoints = CheckpointsSigned(data, fs.get(), &clock) - checkpoints_before;
  auto& ms = clicker.latencies();
  if (static_cast<int>(ms.size()) < actions) Die("ran out of invoices to act on");
  std::printf(
      "  %d actions in %.2f s: p50 %.2f ms, p99 %.2f ms, max %.2f ms   (TSA answers "
      "after %d ms)\n",
      actions, seconds, Percentile(ms, 0.5), Percentile(ms, 0.99),
      *std::max_element(ms.begin(), ms.end()), delay_ms);
  std::printf("  p99 < 50 ms: %s\n", Percentile(ms, 0.99) < 50 ? "met" : "NOT met");
  std::printf(
      "  TSA calls during the actions and shutdown: %d; checkpoints signed: %llu "
      "(one call per checkpoint: %s)\n",
      calls, static_cast<unsigned long long>(checkpoints),
      static_cast<uint64_t>(calls) == checkpoints ? "yes" : "NO");
  std::filesystem::remove_all(dir);
  return 0;
}
