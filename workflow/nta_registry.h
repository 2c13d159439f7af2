// The 国税庁 適格請求書発行事業者公表サイト registry, offline: the bulk
// download (全件 per 法人 / 個人 / 人格のない社団等, and the daily 差分) read
// into an LMDB environment of its own beside the catalog, and the check of
// a registration number as of an invoice date.
//
// The published layout (docs/API.md "NTA registry"): UTF-8 CSV without a
// header, one registration per record, columns in the order of the 公表
// サイト's resource definition (the Web-API's announcement): 1 一連番号,
// 2 登録番号, 3 事業者処理区分, 4 訂正区分, 5 人格区分, 6 国内外区分,
// 7 最新履歴, 8 登録年月日, 9 更新年月日, 10 取消年月日, 11 失効年月日,
// 12 本店又は主たる事務所の所在地, 13–14 its 都道府県/市区町村 codes,
// 15 所在地（公表申出）, 16–17 its codes, 18 フリガナ, 19 氏名又は名称,
// 20 国内において行う資産の譲渡等に係る事務所等の所在地, 21–22 its codes,
// 23 主たる屋号, 24 通称・旧姓. kura reads 1–12, 15, 18 and 19; a record
// needs at least the 19 columns up to the name, later ones are ignored. A
// file may be the CSV itself or the ZIP the site serves (every *.csv entry
// is read, through libarchive).
//
// Storage: public reference data, not evidence, so not in the catalog. The
// data directory's registry/ holds snapshots registry/snap-NNNNNN/ (each an
// LMDB environment: table "rows", 13 digits → the entry, bulk-loaded in
// key order with MDB_APPEND; table "meta": the snapshot record) and the
// symbolic link registry/current naming the one in use, replaced by
// rename(2) so readers see the old snapshot or the new one, never half. A
// 差分 is applied to the current snapshot in one LMDB write transaction.
// Each import is one ledger event (workflow.registry.imported) with the
// files' SHA-256, row counts and the 差分 date; every check names the
// snapshot it used.
//
// Thread safety: RegistryEntry/RegistryCheck are values; an NtaRegistry is
// safe for concurrent look-ups. Imports are serialised by registry/LOCK.
#ifndef WORKFLOW_NTA_REGISTRY_H_
#define WORKFLOW_NTA_REGISTRY_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.h"

namespace workflow {

/// What the 公共データ利用規約 (第1.0版) asks to be shown with the data.
inline constexpr std::string_view kRegistryAttribution =
    "出典：国税庁適格請求書発行事業者公表サイト（国税庁）"
    "（https://www.invoice-kohyo.nta.go.jp/）を加工して作成";

/// One registration as kura keeps it (dates "YYYY-MM-DD" or "").
struct RegistryEntry {
  std::string number;      ///< 登録番号 "T" + 13 digits
  std::string process;     ///< 事業者処理区分: 01 新規 02 変更 03 失効 04 取消 99 削除
  std::string kind;        ///< 人格区分: "1" 個人, "2" 法人 (人格のない社団等 included)
  bool latest = true;      ///< 最新履歴
  std::string registered;  ///< 登録年月日
  std::string updated;     ///< 更新年月日
  std::string cancelled;   ///< 取消年月日
  std::string expired;     ///< 失効年月日
  std::string address;     ///< 本店又は主たる事務所の所在地 (else the 公表申出 one)
  std::string kana;        ///< フリガナ
  std::string name;        ///< 氏名又は名称
  uint64_t sequence = 0;   ///< 一連番号
};

/// A record that was not taken: file, 1-based line, Japanese reason.
struct RegistryRowError {
  std::string file;
  int line = 0;
  std::string message;
};

/// One file given to an import.
struct RegistryFileInfo {
  std::string name;
  std::string sha256;
  uint64_t rows = 0;    ///< records taken
  uint64_t errors = 0;  ///< records not taken
};

/// Rows read for an import, kept compact (4 million fit in ~0.7 GB).
class RegistryRows {
 public:
  RegistryRows();
  ~RegistryRows();
  RegistryRows(RegistryRows&&) noexcept;
  RegistryRows& operator=(RegistryRows&&) noexcept;

  void Add(const RegistryEntry& e);
  uint64_t size() const;
  /// Sorts by number and keeps one entry per number: the last 最新履歴=1
  /// record read, else the last record read.
  void SortAndDeduplicate();

  struct Rep;  ///< internal/registry_codec.h

 private:
  friend class NtaRegistry;
  std::unique_ptr<Rep> rep_;
};

/// Reads one file (ZIP or CSV bytes) into rows; errors get the records not
/// taken. InvalidArgument only if the file as a whole cannot be read (a
/// ZIP without a CSV, a broken ZIP).
base::Status ReadRegistryFile(std::string_view name, std::string_view bytes, RegistryRows* rows,
                              std::vector<RegistryRowError>* errors, RegistryFileInfo* info);

/// The snapshot a registry holds.
struct RegistrySnapshot {
  uint64_t seq = 0;          ///< 0: nothing imported yet
  std::string id;            ///< "R000001"
  std::string kind;          ///< "full" | "diff" (the last import)
  std::string diff_date;     ///< the 差分's date, "" for a full import
  std::string imported_at;   ///< RFC 3339
  uint64_t rows = 0;         ///< registrations held
  nlohmann::json files = nlohmann::json::array();
};
/// {"id","seq","kind","diff_date","imported_at","rows","files"}
nlohmann::json ToJson(const RegistrySnapshot& s);

class NtaRegistry {
 public:
  /// dir: the data directory's registry/ (created by the first import,
  /// not here: reading changes nothing). A registry with nothing imported
  /// has snapshot().seq == 0.
  static base::Result<std::unique_ptr<NtaRegistry>> Open(const std::string& dir);
  ~NtaRegistry();

  /// The snapshot in use (re-read if an import replaced it).
  RegistrySnapshot snapshot() const;
  /// The registration, nullopt if the number is not in the registry.
  /// FailedPrecondition if nothing was imported.
  base::Result<std::optional<RegistryEntry>> Lookup(std::string_view number) const;

  /// A full import: builds snapshot seq from rows (sorted, deduplicated)
  /// beside the current one, then commit() (the ledger event) and, if it
  /// succeeds, makes it current. The old snapshot is removed.
  base::Result<RegistrySnapshot> InstallFull(RegistryRows rows, RegistrySnapshot snapshot,
                                             const std::function<base::Status()>& commit);
  /// A 差分: commit() first, then the rows replace their numbers in the
  /// current snapshot (process 99 削除 removes the number) in one write.
  base::Result<RegistrySnapshot> ApplyDiff(RegistryRows rows, RegistrySnapshot snapshot,
                                           const std::function<base::Status()>& commit);

  /// Holds registry/LOCK for an import (one at a time across processes).
  base::Status LockForImport();

 private:
  struct Rep;
  explicit NtaRegistry(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

/// The result of checking a registration number as of a date.
struct RegistryCheck {
  /// "valid", "not_found", "not_yet_registered", "cancelled", "expired",
  /// "no_number", "no_date", "no_registry".
  std::string status;
  std::string number, date;  ///< what was checked
  /// For a 法人: whether the registered name is the vendor's (NFKC,
  /// 株式会社/(株), spaces: base::NormalizeName); nullopt if not compared.
  std::optional<bool> name_matches;
  std::string vendor_name;
  /// The 取消/失効 date when the registration lapsed after the date and on
  /// or before today, else "".
  std::string lapsed_on;
  std::vector<std::string> reasons;  ///< Japanese, one per problem
  std::optional<RegistryEntry> entry;
  RegistrySnapshot snapshot;
  /// Valid on the date and, where compared, the name matches.
  bool ok() const { return status == "valid" && name_matches.value_or(true); }
};

/// Checks number as of date ("YYYY-MM-DD") against the registry (nullptr
/// or empty: "no_registry"); vendor_name "" skips the name comparison.
RegistryCheck CheckRegistration(const NtaRegistry* registry, std::string_view number,
                                std::string_view date, std::string_view vendor_name,
                                std::string_view today);

/// {"status","ok","number","date","name_matches","vendor_name",
///  "registered_name","registered_on","cancelled_on","expired_on",
///  "lapsed_on","reasons","snapshot":{...},"attribution"}
nlohmann::json ToJson(const RegistryCheck& c);

/// An archived invoice whose registration was valid on its date and
/// lapsed (取消/失効) after it, on or before today: listed for the
/// accounting office (Workflow::LapsedRegistrations).
struct LapsedRegistration {
  std::string document_id;          ///< "D00000042"
  std::string counterparty;         ///< as written on the invoice
  std::string registration_number;  ///< "T" + 13 digits
  std::string issue_date;           ///< the invoice's date
  std::string lapsed_on;            ///< the 取消 or 失効 date
  std::string kind;                 ///< "cancelled" (取消) | "expired" (失効)
  std::string cancelled_on, expired_on, registered_name;
};
/// The list with the snapshot it was checked against.
struct LapsedList {
  std::vector<LapsedRegistration> items;
  RegistrySnapshot snapshot;
};
/// {"count","items":[{"id","issue_date","counterparty","registration_number",
///  "lapsed_on","kind","cancelled_on","expired_on","registered_name"}],
///  "snapshot":{...},"attribution"}
nlohmann::json ToJson(const LapsedList& list);

}  // namespace workflow

#endif  // WORKFLOW_NTA_REGISTRY_H_
