// Time-stamp renewal (RFC 4998 in spirit): before the certificate of the
// TSA that signed the tokens ends (or SHA-256's configured end of life),
// one new RFC 3161 token is taken over the root of a Merkle tree whose
// leaves are the tokens that still need covering, so every document's
// evidence becomes a chain that verifies at any later date:
//
//   original token → (its path in T1's tree) → T1's token → (T1's token's
//   path in T2's tree) → T2's token → …
//
// Leaf rule (the same as batch time-stamps): leaf hash = SHA-256(0x00 ‖
// SHA-256(covered token's DER TimeStampResp)) over the raw 32-byte digest;
// nodes SHA-256(0x01 ‖ left ‖ right), the RFC 9162 tree over the leaves in
// record order. The new token's message imprint is the root.
//
// What a renewal covers: the latest renewal's token (if any) and every
// document token that no renewal covers yet, in document order. Earlier
// renewals are covered through the latest, so each chain has one link per
// renewal made after its document's token.
//
// Table (recorded: every change is listed in its event's write set and
// replayed by `kura verify`):
//   rt_renewals  "T00000001" → RenewalRecord JSON (the token as hex DER)
// Event: "retention.timestamps.renewed" (ledger/event_types.h).
//
// Verification at a date (`kura verify --at`, VerifyChainAt): each link is
// verified with its certificate chain checked at the next link's genTime,
// the last at the date; links made after the date are left out. A token
// whose certificate ended before the date is accepted only through such a
// chain.
//
// Thread safety: a Renewal is safe for concurrent use; a renewal is one
// Ledger::Write (the TSA is asked before it).
#ifndef RETENTION_RENEWAL_H_
#define RETENTION_RENEWAL_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "base/date.h"
#include "base/result.h"
#include "base/time.h"
#include "ledger/verify.h"
#include "signing/sha256.h"
#include "signing/timestamper.h"
#include "signing/tsa_verify.h"

namespace retention {

/// kura.toml [renewal].
struct RenewalPolicy {
  /// A renewal is due once a covered token's TSA certificate ends within
  /// this margin (margin_days, default 365).
  std::chrono::days margin{365};
  /// sha256_end_of_life = "YYYY-MM-DD": a renewal is due from margin before
  /// it (once). kura hashes with SHA-256 only; the date is a trigger.
  std::optional<base::Date> sha256_end_of_life;
};

struct RenewalLeaf {
  std::string covers;             ///< document id "D…" or renewal id "T…"
  signing::Digest token_sha256;   ///< SHA-256 of the covered token's DER
};

struct RenewalRecord {
  std::string id;  ///< "T00000001"
  base::Time at;   ///< when kura made it (the clock)
  /// certificate_expiring | hash_end_of_life | forced
  std::string reason;
  std::string actor;
  std::vector<RenewalLeaf> leaves;
  signing::Digest root;
  std::string token_der;
  base::Time gen_time;
  std::string serial_hex;
  std::string tsa;  ///< "builtin" or the TSA's URL
};
/// The rt_renewals record: {"id","at","reason","actor","hash":"sha256",
/// "tree_size","root","leaves":[["D00000001","<token sha256>"],…],
/// "token" (hex DER),"gen_time","serial","tsa"}.
nlohmann::json ToJson(const RenewalRecord& r);
base::Result<RenewalRecord> RenewalFromJson(const nlohmann::json& j);

/// One link of a document's chain. Link 0 is the document's own token
/// (covered: its SHA-256 or batch root); link i > 0 is renewal token i,
/// whose tree holds link i-1's token as leaf `index` with `path`.
struct ChainLink {
  std::string renewal_id;  ///< empty for link 0
  std::string token_der;
  signing::Digest covered;  ///< what the token's imprint must be
  uint64_t index = 0, tree_size = 0;
  std::vector<signing::Digest> path;
};
struct EvidenceChain {
  std::string document;
  std::vector<ChainLink> links;
};
/// {"document","leaf_rule","links":[{"renewal","token_sha256","covered",
/// "index","tree_size","path"}]} (tokens themselves go in files beside it).
nlohmann::json ToJson(const EvidenceChain& c);

/// Verifies chain as if today were `at` (see the file comment). OK;
/// FailedPrecondition (Japanese, naming the document) when the last link's
/// TSA certificate ended before `at` ("…更新（再タイムスタンプ）がありません"
/// when there is no renewal at all); Corruption for a path that does not
/// lead to the next token's imprint or a token that does not verify.
base::Status VerifyChainAt(const EvidenceChain& chain, base::Time at,
                           const signing::TimestampVerifier& verifier);

/// What Renew did or would do.
struct RenewalOutcome {
  bool due = false;
  bool renewed = false;  ///< false for a dry run or when nothing was due
  std::string reason;    ///< as RenewalRecord::reason, or "not_due"
  std::string message;   ///< Japanese, for people
  /// The earliest end of a covered token's TSA certificate.
  std::optional<base::Time> earliest_end;
  uint64_t documents = 0;  ///< document tokens the renewal covers
  std::string previous;    ///< the renewal it covers, if any
  std::optional<RenewalRecord> record;
};
/// {"due","renewed","reason","message","earliest_certificate_end",
///  "documents","previous","renewal":{id,tree_size,root,gen_time,serial,tsa}}
nlohmann::json ToJson(const RenewalOutcome& o);

class Renewal {
 public:
  /// Opens rt_renewals in archive's ledger (archive and clock must outlive
  /// the Renewal; a read-only open before any writer made it reads empty).
  static base::Result<std::unique_ptr<Renewal>> Open(archive::Archive* archive,
                                                     const base::Clock* clock,
                                                     RenewalPolicy policy = {});
  ~Renewal();

  /// Renews if due (always with force; never writes with dry_run). The TSA
  /// is asked outside any transaction; the record and its event are one
  /// write, which refuses (Aborted) if another renewal was made meanwhile.
  /// FailedPrecondition when read-only or nothing is stamped yet;
  /// Unavailable when the TSA cannot be reached.
  /// stamper, if given, takes the token instead of the ledger's own (a
  /// server whose built-in TSA certificate rolled after it opened the
  /// archive: app/renewal_timer.h).
  base::Result<RenewalOutcome> Renew(bool force, bool dry_run, const std::string& actor,
                                     signing::Timestamper* stamper = nullptr);

  /// Every renewal, oldest first.
  base::Result<std::vector<RenewalRecord>> List() const;

  /// Document id's chain; NotFound for an unknown document,
  /// FailedPrecondition while its time-stamp is pending.
  base::Result<EvidenceChain> ChainOf(std::string_view id) const;

  /// `kura verify --at`: every stamped document's chain verified at `at`
  /// (VerifyChainAt); one failure per document that fails, naming it:
  /// "timestamp_expired" (FailedPrecondition of VerifyChainAt: the last
  /// link's certificate ended before `at`) or "renewal_invalid" (anything
  /// else). *checked counts the chains.
  base::Result<std::vector<ledger::VerifyFailure>> VerifyAt(base::Time at,
                                                            uint64_t* checked) const;

  struct Rep;

 private:
  explicit Renewal(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace retention

#endif  // RETENTION_RENEWAL_H_
