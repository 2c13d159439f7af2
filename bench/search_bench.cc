// search_bench: kura's search over 1,000,000 generated records beside
// PostgreSQL 15 over the same rows, with the B-tree and pg_trgm indexes a
// competent DBA would add, started by this program on loopback in a
// temporary directory. Prints p50/p99 per query for both and the ratio, and
// checks that both return the same count and the same first page.
//
//   bench/search_bench [--records 1000000] [--runs 200] [--dir /var/tmp/sb]
//                      [--pg-bin /usr/lib/postgresql/15/bin]
#include <libpq-fe.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "corpus/corpus.h"
#include "archive/search_index.h"
#include "base/text.h"
#include "base/utf8.h"
#include "bench/bench_util.h"
#include "storage/lmdb_env.h"

namespace {

using archive::SearchQuery;
using archive::SearchRow;
using base::Date;
using base::Decimal;

struct Args {
  long records = 1'000'000;
  int runs = 200;
  std::string dir = "/var/tmp/kura-search-bench";
  std::string pg_bin = "/usr/lib/postgresql/15/bin";
};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "search_bench: %s\n", what.c_str());
  std::exit(1);
}

void Check(const base::Status& s, const char* what) {
  if (!s.ok()) Die(std::string(what) + ": " + s.ToString());
}

std::string Sh(const std::string& cmd) {
  if (std::system(cmd.c_str()) != 0) Die("failed: " + cmd);
  return cmd;
}

// --- PostgreSQL --------------------------------------------------------------

class Postgres {
 public:
  Postgres(const Args& a, const std::string& dir) : bin_(a.pg_bin), dir_(dir) {
    if (!std::filesystem::exists(bin_ + "/initdb")) {
      Die("PostgreSQL 15 is not installed (" + bin_ +
          "/initdb). Install it with: bash scripts/install-deps.sh --bench");
    }
    port_ = 20000 + getpid() % 20000;
    std::filesystem::create_directories(dir_);
    // The server refuses to run as root: run it as the postgres user.
    as_ = getuid() == 0 ? "runuser -u postgres -- " : "";
    if (getuid() == 0) Sh("chown postgres " + dir_);
    Sh(as_ + bin_ + "/initdb -D " + dir_ + "/data -U kura --auth=trust -E UTF8 " +
       "--locale=C.UTF-8 > " + dir_ + "/initdb.log 2>&1");
    // What a DBA would set for a read-mostly archive on this machine.
    std::ofstream conf(dir_ + "/data/postgresql.auto.conf", std::ios::app);
    conf << "listen_addresses = '127.0.0.1'\nport = " << port_ << "\nunix_socket_directories = '"
         << dir_ << "'\nshared_buffers = '2GB'\nwork_mem = '64MB'\n"
         << "maintenance_work_mem = '1GB'\neffective_cache_size = '8GB'\n"
         << "random_page_cost = 1.1\njit = off\nfsync = off\nsynchronous_commit = off\n";
    conf.close();
    Sh(as_ + bin_ + "/pg_ctl -D " + dir_ + "/data -l " + dir_ + "/server.log -w start > /dev/null");
    started_ = true;
    conn_ = PQconnectdb(("host=127.0.0.1 port=" + std::to_string(port_) +
                         " user=kura dbname=postgres")
                            .c_str());
    if (PQstatus(conn_) != CONNECTION_OK) Die(std::string("connect: ") + PQerrorMessage(conn_));
  }
  ~Postgres() {
    if (conn_) PQfinish(conn_);
    if (started_) {
      std::system((as_ + bin_ + "/pg_ctl -D " + dir_ + "/data -m fast -w stop > /dev/null").c_str());
    }
  }

  void Exec(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    const auto st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      Die("SQL failed: " + sql.substr(0, 200) + ": " + PQerrorMessage(conn_));
    }
    PQclear(r);
  }
  void CopyIn(const std::string& sql, const std::function<bool(std::string*)>& next) {
    PGresult* r = PQexec(conn_, sql.c_str());
    if (PQresultStatus(r) != PGRES_COPY_IN) Die(std::string("COPY: ") + PQerrorMessage(conn_));
    PQclear(r);
    std::string buf;
    while (next(&buf)) {
      if (buf.size() > (1 << 20)) {
        PQputCopyData(conn_, buf.data(), static_cast<int>(buf.size()));
        buf.clear();
      }
    }
    if (!buf.empty()) PQputCopyData(conn_, buf.data(), static_cast<int>(buf.size()));
    PQputCopyEnd(conn_, nullptr);
    r = PQgetResult(conn_);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) Die(std::string("COPY: ") + PQerrorMessage(conn_));
    PQclear(r);
  }
  void Prepare(const std::string& name, const std::string& sql, int params) {
    PGresult* r = PQprepare(conn_, name.c_str(), sql.c_str(), params, nullptr);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) Die("prepare " + name + ": " + PQerrorMessage(conn_));
    PQclear(r);
  }
  // Runs a prepared statement; returns the rows' first column.
  std::vector<std::string> Run(const std::string& name, const std::vector<std::string>& params) {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p.c_str());
    PGresult* r = PQexecPrepared(conn_, name.c_str(), static_cast<int>(values.size()),
                                 values.data(), nullptr, nullptr, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) Die("run " + name + ": " + PQerrorMessage(conn_));
    std::vector<std::string> out;
    for (int i = 0; i < PQntuples(r); ++i) out.emplace_back(PQgetvalue(r, i, 0));
    PQclear(r);
    return out;
  }
  std::string DatabaseSize() {
    PGresult* r = PQexec(conn_, "SELECT pg_size_pretty(pg_database_size('postgres'))");
    std::string s = PQgetvalue(r, 0, 0);
    PQclear(r);
    return s;
  }

 private:
  std::string bin_, dir_, as_;
  int port_ = 0;
  bool started_ = false;
  PGconn* conn_ = nullptr;
};

// --- the query mix -----------------------------------------------------------

struct Case {
  SearchQuery q;
  std::vector<std::string> pg_params;
};

struct QueryType {
  std::string name;
  std::string where;     // SQL condition with $n parameters
  std::string order;     // ORDER BY ... LIMIT ... OFFSET ...
  std::vector<Case> cases;
};

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

std::string Id(uint64_t seq) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "D%08llu", static_cast<unsigned long long>(seq));
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--records") {
      a.records = std::stol(v);
    } else if (k == "--runs") {
      a.runs = std::stoi(v);
    } else if (k == "--dir") {
      a.dir = v;
    } else if (k == "--pg-bin") {
      a.pg_bin = v;
    } else {
      Die("unknown option " + k);
    }
  }
  std::filesystem::remove_all(a.dir);
  std::filesystem::create_directories(a.dir + "/kura");

  // 1. The records: ten fiscal years of generated invoices.
  corpus::Options co;
  co.seed = 2026;
  co.from = Date(2016, 4, 1);
  co.to = Date(2026, 3, 31);
  co.target_xml_bytes = 0;
  corpus::Generator gen(co);
  std::vector<SearchRow> rows;
  rows.reserve(a.records);
  bench::Stopwatch gen_time;
  for (long i = 0; i < a.records; ++i) {
    const corpus::Invoice inv = gen.Next();
    SearchRow r;
    r.seq = i + 1;
    r.version = 1;
    r.issue_date = inv.issue_date;
    r.amount = inv.payable_amount;
    r.currency = inv.currency;
    r.counterparty = inv.vendor.name_on_invoice;
    r.registration_number = inv.vendor.registration_number;
    r.department = inv.department_code;
    r.type = "invoice";
    r.format = inv.format == corpus::Format::kPdf ? "pdf" : "jp-pint";
    r.invoice_number = inv.id;
    r.file_name = corpus::CorpusFileName(static_cast<int>(i + 1), inv.format);
    r.received = inv.issue_date.AddDays(static_cast<int>(i % 5));
    for (const auto& l : inv.lines) r.line_descriptions.push_back(l.description);
    rows.push_back(std::move(r));
  }
  std::printf("generated %ld records in %.1f s\n", a.records, gen_time.Seconds());

  // 2. kura: the search index in its own LMDB environment.
  storage::EnvOptions eo;
  auto env = storage::Env::Open(a.dir + "/kura", eo);
  if (!env.ok()) Die(env.status().ToString());
  auto index = archive::SearchIndex::Open(
      [&](const std::string& name) { return (*env)->OpenTable(name); });
  if (!index.ok()) Die(index.status().ToString());
  bench::Stopwatch build;
  for (size_t start = 0; start < rows.size(); start += 20000) {
    Check((*env)->Write([&](storage::WriteTxn& txn) -> base::Status {
      for (size_t i = start; i < std::min(rows.size(), start + 20000); ++i) {
        RETURN_IF_ERROR(index->Put(txn, rows[i], nullptr));
      }
      return base::Status::OK();
    }),
          "kura index");
  }
  const double kura_build = build.Seconds();
  const auto kura_bytes = std::filesystem::file_size(a.dir + "/kura/data.mdb");

  // 3. PostgreSQL: the same rows, with the indexes a DBA would add.
  Postgres pg(a, a.dir + "/pg");
  pg.Exec(
      "CREATE TABLE invoices (id bigint PRIMARY KEY, issue_date date, amount numeric, "
      "currency text, counterparty text, counterparty_norm text, registration_number text, "
      "department text, type text, format text, invoice_number text, file_name text, "
      "received date)");
  bench::Stopwatch load;
  size_t next_row = 0;
  pg.CopyIn("COPY invoices FROM STDIN", [&](std::string* buf) {
    if (next_row == rows.size()) return false;
    const SearchRow& r = rows[next_row++];
    *buf += std::to_string(r.seq) + "\t" + r.issue_date->ToString() + "\t" + r.amount->ToString() +
            "\t" + r.currency + "\t" + r.counterparty + "\t" + base::NormalizeName(r.counterparty) +
            "\t" + r.registration_number + "\t" + r.department + "\t" + r.type + "\t" + r.format +
            "\t" + r.invoice_number + "\t" + r.file_name + "\t" + r.received.ToString() + "\n";
    return true;
  });
  pg.Exec("CREATE EXTENSION pg_trgm");
  pg.Exec("CREATE INDEX ON invoices (issue_date, amount, id)");
  pg.Exec("CREATE INDEX ON invoices (amount, id)");
  pg.Exec("CREATE INDEX ON invoices (counterparty_norm, issue_date)");
  pg.Exec("CREATE INDEX ON invoices USING gin (counterparty_norm gin_trgm_ops)");
  pg.Exec("CREATE INDEX ON invoices (registration_number, issue_date)");
  pg.Exec("CREATE INDEX ON invoices (department, issue_date)");
  pg.Exec("CREATE INDEX ON invoices (invoice_number)");
  pg.Exec("VACUUM ANALYZE invoices");
  const double pg_build = load.Seconds();
  std::printf("kura index: %.1f s, %.0f MB | PostgreSQL load + indexes: %.1f s, %s\n", kura_build,
              kura_bytes / 1e6, pg_build, pg.DatabaseSize().c_str());

  // 4. The query mix, drawn deterministically.
  base::Random rng(42);
  const auto& vendors = gen.vendors();
  std::vector<QueryType> types = {
      {"one counterparty in a month",
       "counterparty_norm LIKE $1 AND issue_date BETWEEN $2 AND $3",
       "ORDER BY issue_date, amount, id LIMIT 50",
       {}},
      {"amount band over a year", "issue_date BETWEEN $1 AND $2 AND amount BETWEEN $3 AND $4",
       "ORDER BY issue_date, amount, id LIMIT 50", {}},
      {"all three combined",
       "counterparty_norm LIKE $1 AND issue_date BETWEEN $2 AND $3 AND amount BETWEEN $4 AND $5",
       "ORDER BY issue_date, amount, id LIMIT 50", {}},
      {"page 400 of three years", "issue_date BETWEEN $1 AND $2",
       "ORDER BY issue_date, amount, id LIMIT 50 OFFSET 20000", {}},
      {"registration number, newest first", "registration_number = $1",
       "ORDER BY issue_date DESC, amount DESC, id DESC LIMIT 50", {}},
  };
  for (int i = 0; i < a.runs; ++i) {
    const auto& v = vendors[rng.Uniform(vendors.size())];
    const std::string cp = base::NormalizeName(v.name_on_invoice);
    const int year = 2016 + static_cast<int>(rng.Uniform(10));
    const int month = 1 + static_cast<int>(rng.Uniform(12));
    const Date m_from(year, month, 1);
    const Date m_to = Date(month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, 1).AddDays(-1);
    const Date fy_from(year, 4, 1), fy_to(year + 1, 3, 31);
    const int64_t lo = 50'000 * (1 + static_cast<int64_t>(rng.Uniform(10)));
    const int64_t hi = lo + 200'000;
    {
      Case c;
      c.q.counterparty = cp;
      c.q.date_from = m_from;
      c.q.date_to = m_to;
      c.pg_params = {"%" + cp + "%", m_from.ToString(), m_to.ToString()};
      types[0].cases.push_back(c);
    }
    {
      Case c;
      c.q.date_from = fy_from;
      c.q.date_to = fy_to;
      c.q.amount_min = Decimal::FromInt(lo);
      c.q.amount_max = Decimal::FromInt(hi);
      c.pg_params = {fy_from.ToString(), fy_to.ToString(), std::to_string(lo), std::to_string(hi)};
      types[1].cases.push_back(c);
    }
    {
      // Part of the name (a user types a few characters), a quarter, a band.
      size_t cut = 0;
      for (int chars = 0; cut < cp.size() && chars < 3; ++chars) base::NextCodePoint(cp, &cut);
      const std::string part = cp.substr(0, cut);  // the first three characters
      const Date q_to = m_from.AddDays(90);
      Case c;
      c.q.counterparty = part;
      c.q.date_from = m_from;
      c.q.date_to = q_to;
      c.q.amount_min = Decimal::FromInt(lo / 5);
      c.q.amount_max = Decimal::FromInt(hi * 2);
      c.pg_params = {"%" + part + "%", m_from.ToString(), q_to.ToString(), std::to_string(lo / 5),
                     std::to_string(hi * 2)};
      types[2].cases.push_back(c);
    }
    {
      const int y = 2016 + static_cast<int>(rng.Uniform(7));
      Case c;
      c.q.date_from = Date(y, 4, 1);
      c.q.date_to = Date(y + 3, 3, 31);
      c.q.offset = 20000;
      c.pg_params = {c.q.date_from->ToString(), c.q.date_to->ToString()};
      types[3].cases.push_back(c);
    }
    {
      Case c;
      c.q.registration_numbers = {v.registration_number};
      c.q.descending = true;
      c.pg_params = {v.registration_number};
      types[4].cases.push_back(c);
    }
  }
  for (size_t t = 0; t < types.size(); ++t) {
    const std::string n = std::to_string(t);
    pg.Prepare("page" + n, "SELECT id FROM invoices WHERE " + types[t].where + " " + types[t].order,
               static_cast<int>(types[t].cases[0].pg_params.size()));
    pg.Prepare("count" + n, "SELECT count(*) FROM invoices WHERE " + types[t].where,
               static_cast<int>(types[t].cases[0].pg_params.size()));
  }

  // 5. Run: a warm-up pass, then kura and PostgreSQL alternately, so that
  // both see the same noise.
  std::printf("\n%-36s %12s %12s %12s %12s %9s %9s\n", "query (50 per page, with count)",
              "kura p50 ms", "kura p99 ms", "pg p50 ms", "pg p99 ms", "p99 ratio", "hits avg");
  int mismatches = 0;
  bool all_under_10ms = true, all_ahead = true;
  for (size_t t = 0; t < types.size(); ++t) {
    std::vector<double> kt, pt;
    double hits = 0;
    for (int pass = 0; pass < 2; ++pass) {
      for (const Case& c : types[t].cases) {
        archive::SearchResult res;
        bench::Stopwatch k;
        Check((*env)->Read([&](const storage::ReadTxn& txn) -> base::Status {
          auto r = index->Search(txn, c.q);
          if (!r.ok()) return r.status();
          res = std::move(*r);
          return base::Status::OK();
        }),
              "kura search");
        const double kms = k.Seconds() * 1e3;
        bench::Stopwatch p;
        const auto page = pg.Run("page" + std::to_string(t), c.pg_params);
        const auto count = pg.Run("count" + std::to_string(t), c.pg_params);
        const double pms = p.Seconds() * 1e3;
        if (pass == 0) continue;
        kt.push_back(kms);
        pt.push_back(pms);
        hits += res.count;
        bool same = std::to_string(res.count) == count[0] && page.size() == res.items.size();
        for (size_t i = 0; same && i < page.size(); ++i) {
          same = Id(std::stoull(page[i])) == res.items[i].id;
        }
        if (!same && mismatches++ < 3) {
          std::fprintf(stderr, "MISMATCH in %s: kura %llu hits, PostgreSQL %s\n",
                       types[t].name.c_str(), static_cast<unsigned long long>(res.count),
                       count[0].c_str());
        }
      }
    }
    const double k99 = Percentile(kt, 0.99), p99 = Percentile(pt, 0.99);
    if (t < 4) {  // the issue's fixed mix; the registration-number query is extra
      all_under_10ms &= k99 < 10;
      all_ahead &= k99 < p99;
    }
    std::printf("%-36s %12.3f %12.3f %12.3f %12.3f %8.1fx %9.0f\n", types[t].name.c_str(),
                Percentile(kt, 0.5), k99, Percentile(pt, 0.5), p99, p99 / k99, hits / kt.size());
  }
  std::printf("\n%d runs per query over %ld records; results identical to PostgreSQL: %s\n", a.runs,
              a.records, mismatches == 0 ? "yes" : "NO");
  std::printf("goal for the four queries of the mix, p99 < 10 ms: %s; kura ahead of PostgreSQL on "
              "each: %s\n",
              all_under_10ms ? "met" : "NOT met", all_ahead ? "yes" : "NO");
  std::filesystem::remove_all(a.dir + "/kura");
  return mismatches == 0 ? 0 : 1;
}
