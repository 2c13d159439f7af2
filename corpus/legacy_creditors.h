// A generated legacy creditor export (the old finance system's numbers)
// whose truth is known: every vendor's numbers, with duplicates planted of
// every kind the consolidation links (same registration number, same
// 法人番号, a registration number meeting a 法人番号, same bank account, same
// name and address written differently, same kana name and address), and
// look-alikes that are NOT the same vendor (the same name in another city,
// a parent and its subsidiary at one address with their own 法人番号, two
// companies paid through one factoring account). For the consolidation
// tests and bench/vendor_cluster_bench.
//
// Determinism: a pure function of the options (integer arithmetic, the
// seeded base::Random).
//
// Thread safety: a pure function.
#ifndef CORPUS_LEGACY_CREDITORS_H_
#define CORPUS_LEGACY_CREDITORS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace corpus {

struct LegacyCorpusOptions {
  size_t rows = 2000;  ///< legacy rows to write (the header aside)
  uint64_t seed = 1;
  /// Every n-th vendor also has a vendor-master entry (0: none).
  size_t master_every = 40;
};

/// A vendor-master entry (workflow::Vendor's members).
struct LegacyMasterEntry {
  std::string id, name, registration_number, bank_account, address, account_holder;
};

struct LegacyCorpus {
  /// UTF-8 CSV with the header row (債権者番号, 債権者名, 債権者名カナ, 登録番号,
  /// 法人番号, 住所, 銀行コード, 支店コード, 預金種目, 口座番号, 口座名義, 利用回数,
  /// 最終利用日, 所管課), CRLF line ends, rows shuffled.
  std::string csv;
  std::vector<LegacyMasterEntry> master;
  /// The numbers (and master ids) of each vendor: the truth.
  std::vector<std::vector<std::string>> vendors;
  /// How many duplicates of each kind were planted ("registration_number",
  /// "corporate_number", "registration_corporate", "bank_account",
  /// "name_address", "kana_address") and look-alikes ("same_name_other_city",
  /// "subsidiary_same_address", "shared_factoring_account").
  std::vector<std::pair<std::string, size_t>> planted;
};

LegacyCorpus GenerateLegacyCreditors(const LegacyCorpusOptions& options);

}  // namespace corpus

#endif  // CORPUS_LEGACY_CREDITORS_H_
