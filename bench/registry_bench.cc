// The 国税庁 registry offline (workflow/nta_registry.h): N generated rows in
// the published layout (UTF-8 CSV, no header, 24 columns, numbers in random
// order) imported — read, sorted, bulk-loaded into a new LMDB snapshot with
// MDB_APPEND and swapped in — beside PostgreSQL 15's `COPY … FROM STDIN
// (FORMAT csv)` of the same bytes into a table with a primary key on the
// registration number (a throwaway cluster started by the program, default
// durability: fsync on). Then the look-up time per invoice check.
//
//   cd build && bench/registry_bench [--rows 4000000] [--dir DIR]
#include <libpq-fe.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "base/registration_number.h"
#include "workflow/nta_registry.h"

namespace {

struct Args {
  long rows = 4'000'000;
  long lookups = 1'000'000;
  std::string dir = "/var/tmp/kura-registry-bench";
  std::string pg_bin = "/usr/lib/postgresql/15/bin";
};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "registry_bench: %s\n", what.c_str());
  std::exit(1);
}

void Sh(const std::string& cmd) {
  if (std::system(cmd.c_str()) != 0) Die("failed: " + cmd);
}

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// The i-th number: a permutation of 12-digit bodies with its check digit.
std::string Number(uint64_t i) {
  const uint64_t body = (i * 7919ULL + 100000000000ULL) % 1000000000000ULL;
  char digits[16];
  std::snprintf(digits, sizeof digits, "%012llu", static_cast<unsigned long long>(body));
  return std::string("T") + base::CorporateNumberCheckDigit(digits) + digits;
}

std::string Generate(long n, std::vector<std::string>* numbers) {
  std::vector<uint64_t> order(n);
  for (long i = 0; i < n; ++i) order[i] = i;
  std::mt19937_64 rng(42);
  std::shuffle(order.begin(), order.end(), rng);
  static const char* kForms[] = {"株式会社", "有限会社", "合同会社", "一般社団法人"};
  std::string csv;
  csv.reserve(static_cast<size_t>(n) * 190);
  char line[512];
  for (long k = 0; k < n; ++k) {
    const uint64_t i = order[k];
    const std::string number = Number(i);
    numbers->push_back(number);
    const bool cancelled = i % 50 == 0, individual = i % 3 == 0;
    std::snprintf(line, sizeof line,
                  "%ld,%s,%s,0,%c,1,1,2023-%02d-%02d,2024-01-10,%s,,"
                  "\"東京都千代田区霞が関%d丁目%d番%d号\",13,101,,,,"
                  "\"テストショウジ\",\"%s%s商事%llu\",,,,,\n",
                  k + 1, number.c_str(), cancelled ? "04" : "01", individual ? '1' : '2',
                  static_cast<int>(i % 12) + 1, static_cast<int>(i % 28) + 1,
                  cancelled ? "2025-06-30" : "", static_cast<int>(i % 9) + 1,
                  static_cast<int>(i % 30) + 1, static_cast<int>(i % 20) + 1,
                  individual ? "" : kForms[i % 4], individual ? "山田" : "テスト",
                  static_cast<unsigned long long>(i));
    csv += line;
  }
  return csv;
}

double KuraImport(const Args& a, const std::string& csv) {
  const auto t0 = std::chrono::steady_clock::now();
  auto registry = workflow::NtaRegistry::Open(a.dir + "/registry");
  if (!registry.ok()) Die(registry.status().ToString());
  workflow::RegistryRows rows;
  std::vector<workflow::RegistryRowError> errors;
  workflow::RegistryFileInfo info;
  auto s = workflow::ReadRegistryFile("registry.csv", csv, &rows, &errors, &info);
  if (!s.ok() || !errors.empty()) Die("read: " + s.ToString());
  const double read = Since(t0);
  workflow::RegistrySnapshot snap;
  snap.seq = (*registry)->snapshot().seq + 1;
  snap.id = "R" + std::to_string(snap.seq);
  snap.kind = "full";
  auto done = (*registry)->InstallFull(std::move(rows), snap, [] { return base::Status::OK(); });
  if (!done.ok()) Die("install: " + done.status().ToString());
  const double total = Since(t0);
  std::printf("kura: read+parse+hash %.2f s, sort+load+swap %.2f s, %llu rows in snapshot\n", read,
              total - read, static_cast<unsigned long long>(done->rows));
  return total;
}

double PostgresCopy(const Args& a, const std::string& csv) {
  const std::string dir = a.dir + "/pg";
  const std::string as = getuid() == 0 ? "runuser -u postgres -- " : "";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  if (getuid() == 0) Sh("chown postgres " + dir);
  const int port = 20000 + getpid() % 20000;
  Sh(as + a.pg_bin + "/initdb -D " + dir + "/data -U kura --auth=trust -E UTF8 --locale=C.UTF-8 > " +
     dir + "/initdb.log 2>&1");
  {
    std::ofstream conf(dir + "/data/postgresql.auto.conf", std::ios::app);
    conf << "listen_addresses = '127.0.0.1'\nport = " << port << "\nunix_socket_directories = '"
         << dir << "'\nshared_buffers = '2GB'\nmaintenance_work_mem = '1GB'\nmax_wal_size = '8GB'\n";
  }
  Sh(as + a.pg_bin + "/pg_ctl -D " + dir + "/data -l " + dir + "/server.log -w start > /dev/null");
  PGconn* c = PQconnectdb(("host=127.0.0.1 port=" + std::to_string(port) + " user=kura dbname=postgres").c_str());
  if (PQstatus(c) != CONNECTION_OK) Die(std::string("connect: ") + PQerrorMessage(c));
  auto exec = [&](const std::string& sql) {
    PGresult* r = PQexec(c, sql.c_str());
    const auto st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_COPY_IN) {
      Die(sql.substr(0, 80) + ": " + PQerrorMessage(c));
    }
    PQclear(r);
  };
  std::string cols = "seq bigint, number text primary key";
  for (int i = 3; i <= 24; ++i) cols += ", c" + std::to_string(i) + " text";
  exec("CREATE TABLE registry (" + cols + ")");
  const auto t0 = std::chrono::steady_clock::now();
  exec("COPY registry FROM STDIN WITH (FORMAT csv)");
  for (size_t pos = 0; pos < csv.size(); pos += 1 << 20) {
    const size_t len = std::min<size_t>(1 << 20, csv.size() - pos);
    if (PQputCopyData(c, csv.data() + pos, static_cast<int>(len)) != 1) Die("copy data");
  }
  PQputCopyEnd(c, nullptr);
  PGresult* r = PQgetResult(c);
  if (PQresultStatus(r) != PGRES_COMMAND_OK) Die(std::string("COPY: ") + PQerrorMessage(c));
  PQclear(r);
  const double seconds = Since(t0);
  PQfinish(c);
  std::system((as + a.pg_bin + "/pg_ctl -D " + dir + "/data -m fast -w stop > /dev/null").c_str());
  std::filesystem::remove_all(dir);
  return seconds;
}

void Lookups(const Args& a, const std::vector<std::string>& numbers) {
  auto registry = workflow::NtaRegistry::Open(a.dir + "/registry");
  if (!registry.ok()) Die(registry.status().ToString());
  std::mt19937_64 rng(7);
  long found = 0, valid = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (long i = 0; i < a.lookups; ++i) {
    const std::string& n = numbers[rng() % numbers.size()];
    auto e = (*registry)->Lookup(n);
    found += e.ok() && e->has_value();
  }
  const double lookup = Since(t0) / a.lookups * 1e6;
  const auto t1 = std::chrono::steady_clock::now();
  for (long i = 0; i < a.lookups; ++i) {
    const std::string& n = numbers[rng() % numbers.size()];
    valid += workflow::CheckRegistration(registry->get(), n, "2024-04-15", "株式会社テスト商事1",
                                         "2026-12-03")
                 .ok();
  }
  const double check = Since(t1) / a.lookups * 1e6;
  std::printf("look-up: %.2f µs per number (%ld of %ld found); full check per invoice "
              "(look-up, dates, NFKC name comparison): %.2f µs\n",
              lookup, found, a.lookups, check);
  (void)valid;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    if (k == "--rows") a.rows = std::atol(argv[i + 1]);
    else if (k == "--lookups") a.lookups = std::atol(argv[i + 1]);
    else if (k == "--dir") a.dir = argv[i + 1];
    else Die("unknown option " + k);
  }
  std::filesystem::remove_all(a.dir);
  std::filesystem::create_directories(a.dir);
  std::vector<std::string> numbers;
  numbers.reserve(a.rows);
  const std::string csv = Generate(a.rows, &numbers);
  std::printf("%ld rows, %.0f MB of CSV in the published layout\n", a.rows, csv.size() / 1e6);
  const double kura = KuraImport(a, csv);
  const double pg = PostgresCopy(a, csv);
  std::printf("kura registry import: %.2f s, %.0f rows/s\n", kura, a.rows / kura);
  std::printf("PostgreSQL COPY (primary key): %.2f s, %.0f rows/s\n", pg, a.rows / pg);
  std::printf("ratio kura/PostgreSQL: %.2fx\n", pg / kura);
  Lookups(a, numbers);
  std::filesystem::remove_all(a.dir);
  return 0;
}
