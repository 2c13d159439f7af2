// Vendor clusters: which legacy creditor numbers (legacy_creditors.h) and
// vendor-master entries are the same vendor, with the reason for every
// link, so that the accounting office decides each merge from evidence.
//
// Two numbers are linked when they share
//   - a registration number (登録番号) or 法人番号 (a 法人's registration
//     number is "T" + its 法人番号, so the two also meet each other);
//   - a bank account (銀行・支店・口座番号);
//   - the normalised name AND the normalised address, or the normalised
//     kana name AND the normalised address;
//   - an earlier merge (Workflow::MergeCreditors), the person's decision.
// A link never joins two groups that each carry a registration or 法人番号
// and share none: a parent and its subsidiary at one address, or two
// companies paid through one factoring account, stay apart. The same name
// in another city has another address and is not linked.
//
// Normalisation (all through ICU NFKC first): names as base::NormalizeName
// (width, case, spaces, 株式会社/(株)/㈱ and the other designators);
// kana names also hiragana → katakana, small kana → large, long-vowel
// marks and the bank abbreviations カ) (カ ユ) ド) … removed; addresses
// as NormalizeAddress (matching.h) keys them for invoice matching: without
// spaces, block numbers in kanji as digits, 丁目/番地/番/号/の between
// numbers as "-" (一丁目2番地の3 = 1-2-3).
//
// Clustering is union-find over blocking keys (one hash map per kind of
// link), linear in the number of rows: 130,000 rows in well under a second
// (bench/vendor_cluster_bench).
//
// Thread safety: values and pure functions.
#ifndef WORKFLOW_VENDOR_CLUSTERS_H_
#define WORKFLOW_VENDOR_CLUSTERS_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "workflow/legacy_creditors.h"
#include "workflow/organization.h"

namespace workflow {

/// The kana key clustering compares (addresses: NormalizeAddress of
/// matching.h, the key invoice matching uses): "" unless the result is
/// katakana (a kana name).
std::string NormalizeKana(std::string_view kana);

struct ClusterMember {
  std::string number;
  bool in_master = false;  ///< a vendor-master entry, not a legacy number
  std::string name;
  std::string address;
  int64_t use_count = 0;
  std::string last_used;  ///< "YYYY-MM-DD" or ""
  std::string department;
  std::string merged_into;  ///< the survivor it is merged into now, or ""
};

struct ClusterLink {
  std::string from, to;  ///< member numbers
  /// "registration_number", "corporate_number", "bank_account",
  /// "name_address", "kana_address", "merged".
  std::string kind;
  std::string reason;  ///< Japanese, with the shared value
};

struct VendorCluster {
  std::vector<ClusterMember> members;  ///< master entries first, then most used
  std::vector<ClusterLink> links;      ///< a spanning tree of the members
  std::string survivor;                ///< suggested
  std::string survivor_reason;         ///< Japanese
};

struct ClusterInput {
  std::vector<LegacyCreditor> legacy;
  std::vector<Vendor> master;
  /// Active merges: legacy number → survivor.
  std::map<std::string, std::string> merged;
};

/// The clusters of two or more members that still need a decision (some
/// legacy member is not merged into the suggested survivor), ordered by
/// survivor. The suggested survivor: a vendor-master entry (the lowest id
/// if several), else a number others are already merged into, else the
/// most used legacy number (then the latest last use, then the lowest
/// number).
std::vector<VendorCluster> FindVendorClusters(const ClusterInput& input);

/// {"survivor","survivor_reason","members":[{"number","source":"master"|
/// "legacy","name","address","use_count","last_used","department",
/// "merged_into"}],"links":[{"from","to","kind","reason"}]}
nlohmann::json ToJson(const VendorCluster& c);
/// One row per member, UTF-8 with BOM: クラスタ, 統合先候補, 債権者番号, 区分,
/// 債権者名, 住所, 利用回数, 最終利用日, 所管課, 統合済み, 理由.
std::string ClustersCsv(const std::vector<VendorCluster>& clusters);

}  // namespace workflow

#endif  // WORKFLOW_VENDOR_CLUSTERS_H_
