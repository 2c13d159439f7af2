// Legacy creditor consolidation at the city's scale: 130,000 generated
// legacy rows (corpus/legacy_creditors.h, planted duplicates and
// look-alikes) read from CSV and clustered (workflow::FindVendorClusters),
// each time printed beside the limit of 5 s, with precision and
// recall against the generator's truth.
//
//   cd build && bench/vendor_cluster_bench [rows]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "corpus/legacy_creditors.h"
#include "workflow/legacy_creditors.h"
#include "workflow/vendor_clusters.h"

namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

using Pairs = std::set<std::pair<std::string, std::string>>;
void AddPairs(const std::vector<std::string>& g, Pairs* out) {
  for (size_t i = 0; i < g.size(); ++i) {
    for (size_t j = i + 1; j < g.size(); ++j) out->insert(std::minmax(g[i], g[j]));
  }
}

}  // namespace

int main(int argc, char** argv) {
  const size_t rows = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 130000;
  const corpus::LegacyCorpus corpus = corpus::GenerateLegacyCreditors({rows, 42, 40});
  auto t0 = std::chrono::steady_clock::now();
  auto parsed = workflow::ParseLegacyCreditors(corpus.csv, workflow::LegacyEncoding::kAuto);
  if (!parsed.ok() || !parsed->errors.empty()) {
    std::fprintf(stderr, "vendor_cluster_bench: the generated export did not parse\n");
    return 1;
  }
  const double parse_s = Seconds(t0);
  workflow::ClusterInput in;
  in.legacy = std::move(parsed->rows);
  for (const auto& m : corpus.master) {
    in.master.push_back(workflow::Vendor{m.id, m.name, m.registration_number, m.bank_account,
                                         m.address, m.account_holder});
  }
  t0 = std::chrono::steady_clock::now();
  const auto clusters = workflow::FindVendorClusters(in);
  const double cluster_s = Seconds(t0);
  Pairs truth, predicted;
  for (const auto& g : corpus.vendors) AddPairs(g, &truth);
  for (const auto& c : clusters) {
    std::vector<std::string> g;
    for (const auto& m : c.members) g.push_back(m.number);
    AddPairs(g, &predicted);
  }
  size_t hit = 0;
  for (const auto& p : predicted) hit += truth.count(p);
  std::printf("rows %zu (+%zu master entries), %zu bytes of CSV\n", in.legacy.size(),
              in.master.size(), corpus.csv.size());
  std::printf("parse (CSV, normalise, validate): %.2f s\n", parse_s);
  std::printf("cluster (union-find over blocking keys): %.2f s   limit 5.00 s   %s\n", cluster_s,
              cluster_s < 5 ? "within" : "OVER");
  std::printf("parse + cluster: %.2f s   limit 5.00 s\n", parse_s + cluster_s);
  std::printf("clusters %zu; pairs true %zu, predicted %zu, correct %zu; precision %.4f recall %.4f\n",
              clusters.size(), truth.size(), predicted.size(), hit,
              predicted.empty() ? 0.0 : double(hit) / predicted.size(),
              truth.empty() ? 0.0 : double(hit) / truth.size());
  return cluster_s < 5 ? 0 : 1;
}
