// Renewal: when a renewal is due, making it (the TSA asked before the one
// write), the chains of documents and their verification at a date.
#include "retention/renewal.h"

#include <algorithm>
#include <map>
#include <utility>

#include "base/json.h"
#include "ledger/event_types.h"
#include "retention/internal/renewal_tree.h"
#include "retention/internal/retention_rep.h"
#include "signing/merkle.h"
#include "signing/tsa_cert_info.h"

namespace retention {

using base::Result;
using base::Status;
using nlohmann::json;
using signing::Digest;

namespace {

constexpr uint64_t kChunk = 1000;  // documents per read transaction

// A token that needs covering by the next renewal.
struct Head {
  std::string covers;
  std::string der;
};

// Where each covered token sits: covers → (renewal index, leaf index).
struct Coverage {
  std::vector<RenewalRecord> renewals;
  std::map<std::string, std::pair<size_t, uint64_t>> where;
  std::map<size_t, internal::RenewalTree> trees;  // built on first use

  explicit Coverage(std::vector<RenewalRecord> all) : renewals(std::move(all)) {
    for (size_t r = 0; r < renewals.size(); ++r) {
      for (uint64_t i = 0; i < renewals[r].leaves.size(); ++i) {
        where.emplace(renewals[r].leaves[i].covers, std::pair{r, i});
      }
    }
  }
  // The renewal covering this exact token, if any.
  std::optional<std::pair<size_t, uint64_t>> Find(const std::string& covers,
                                                  const Digest& token_sha256) const {
    auto it = where.find(covers);
    if (it == where.end()) return std::nullopt;
    if (renewals[it->second.first].leaves[it->second.second].token_sha256 != token_sha256) {
      return std::nullopt;
    }
    return it->second;
  }
  const internal::RenewalTree& Tree(size_t r) {
    auto it = trees.find(r);
    if (it == trees.end()) {
      std::vector<Digest> leaves;
      for (const RenewalLeaf& l : renewals[r].leaves) {
        leaves.push_back(signing::HashLeaf(l.token_sha256.AsStringView()));
      }
      it = trees.emplace(r, internal::RenewalTree(std::move(leaves))).first;
    }
    return it->second;
  }
  // The chain from a document's token through every renewal after it.
  Result<EvidenceChain> Chain(const archive::StoredToken& token) {
    EvidenceChain chain;
    chain.document = token.id;
    chain.links.push_back(ChainLink{"", token.der, token.covered, 0, 0, {}});
    std::string covers = token.id;
    Digest sha = signing::Sha256(token.der);
    while (auto at = Find(covers, sha)) {
      const RenewalRecord& r = renewals[at->first];
      ChainLink link{r.id, r.token_der, r.root, at->second, r.leaves.size(), {}};
      ASSIGN_OR_RETURN(link.path, Tree(at->first).Path(at->second));
      chain.links.push_back(std::move(link));
      covers = r.id;
      sha = signing::Sha256(r.token_der);
    }
    return chain;
  }
};

base::Time StartOfDayInJapan(base::Date d) {
  return base::Time(std::chrono::sys_days(std::chrono::days(d.DaysSinceEpoch()))) -
         std::chrono::hours(9);
}

}  // namespace

struct Renewal::Rep {
  archive::Archive* archive = nullptr;
  const base::Clock* clock = nullptr;
  RenewalPolicy policy;
  std::optional<storage::Table> table;  // absent: read-only before any writer

  Result<std::vector<RenewalRecord>> All(const storage::ReadTxn& txn) const {
    std::vector<RenewalRecord> out;
    if (!table) return out;
    ASSIGN_OR_RETURN(storage::Cursor c, txn.NewCursor(*table));
    for (bool ok = c.First(); ok; ok = c.Next()) {
      ASSIGN_OR_RETURN(const json j, base::ParseJson(c.value()));
      ASSIGN_OR_RETURN(RenewalRecord r, RenewalFromJson(j));
      out.push_back(std::move(r));
    }
    RETURN_IF_ERROR(c.status());
    return out;
  }

  Result<std::vector<RenewalRecord>> ReadAll() const {
    std::vector<RenewalRecord> out;
    RETURN_IF_ERROR(archive->ledger().Read([&](const storage::ReadTxn& txn) -> Status {
      ASSIGN_OR_RETURN(out, All(txn));
      return Status::OK();
    }));
    return out;
  }

  // Calls fn with every stamped document's token, a chunk of documents per
  // read transaction (documents are numbered from 1 without gaps).
  Status ForEachToken(const std::function<Status(const archive::StoredToken&)>& fn) const {
    uint64_t seq = 1;
    bool more = true;
    while (more) {
      std::vector<archive::StoredToken> chunk;
      RETURN_IF_ERROR(archive->ledger().Read([&](const storage::ReadTxn& txn) -> Status {
        for (const uint64_t end = seq + kChunk; seq < end; ++seq) {
          auto t = archive->StoredTokenOf(txn, seq);
          if (!t.ok() && t.status().IsNotFound()) {
            more = false;
            return Status::OK();
          }
          RETURN_IF_ERROR(t.status());
          if (*t) chunk.push_back(std::move(**t));
        }
        return Status::OK();
      }));
      for (const archive::StoredToken& t : chunk) RETURN_IF_ERROR(fn(t));
    }
    return Status::OK();
  }

  // Decides whether a renewal of heads is due now, and why.
  void Decide(const std::vector<Head>& heads, const std::vector<RenewalRecord>& all, bool force,
              RenewalOutcome* out) const {
    const base::Time now = clock->Now();
    for (const Head& h : heads) {
      auto v = signing::TokenSignerValidity(h.der);
      if (v.ok() && (!out->earliest_end || v->not_after < *out->earliest_end)) {
        out->earliest_end = v->not_after;
      }
    }
    const std::chrono::microseconds margin = policy.margin;
    if (out->earliest_end && *out->earliest_end <= now + margin) {
      out->due = true;
      out->reason = "certificate_expiring";
      out->message = "タイムスタンプ局の証明書が " +
                     base::Date::InJapan(*out->earliest_end).ToString() +
                     " に期限を迎えるため、タイムスタンプを更新します";
      return;
    }
    if (policy.sha256_end_of_life) {
      const base::Time from = StartOfDayInJapan(*policy.sha256_end_of_life) - margin;
      if (now >= from && (all.empty() || all.back().at < from)) {
        out->due = true;
        out->reason = "hash_end_of_life";
        out->message = "SHA-256 の使用期限 " + policy.sha256_end_of_life->ToString() +
                       " が近いため、タイムスタンプを更新します";
        return;
      }
    }
    out->reason = force ? "forced" : "not_due";
    out->due = force;
    out->message = force ? "指定により、タイムスタンプを更新します"
                         : "タイムスタンプの更新はまだ必要ありません" +
                               (out->earliest_end ? "（最も早い証明書の期限 " +
                                                        base::Date::InJapan(*out->earliest_end)
                                                            .ToString() +
                                                        "）"
                                                  : std::string());
  }

  Status Store(const RenewalRecord& record, const std::string& previous) const {
    return archive->ledger().Write([&](storage::WriteTxn& txn,
                                       const ledger::AppendEvent& append) -> Status {
      ASSIGN_OR_RETURN(const std::vector<RenewalRecord> now, All(txn));
      const std::string latest = now.empty() ? std::string() : now.back().id;
      if (latest != previous) {
        return Status::Aborted(
            "別のタイムスタンプ更新が同時に行われました。もう一度実行してください");
      }
      const json j = ToJson(record);
      RETURN_IF_ERROR(txn.Put(*table, record.id, base::DumpJson(j)));
      uint64_t documents = 0;
      for (const RenewalLeaf& l : record.leaves) documents += l.covers.starts_with("D") ? 1 : 0;
      return append(json{{"type", ledger::event::kRetentionTimestampsRenewed},
                         {"renewal",
                          {{"id", record.id},
                           {"reason", record.reason},
                           {"tree_size", record.leaves.size()},
                           {"root", record.root.Hex()},
                           {"token_sha256", signing::Sha256(record.token_der).Hex()},
                           {"gen_time", j["gen_time"]},
                           {"serial", record.serial_hex},
                           {"tsa", record.tsa},
                           {"previous", previous.empty() ? json(nullptr) : json(previous)},
                           {"documents", documents}}},
                         {"actor", record.actor},
                         {"time", j["at"]}})
          .status();
    });
  }
};

json ToJson(const RenewalOutcome& o) {
  json j{{"due", o.due},
         {"renewed", o.renewed},
         {"reason", o.reason},
         {"message", o.message},
         {"earliest_certificate_end",
          o.earliest_end ? json(base::FormatRfc3339(*o.earliest_end)) : json(nullptr)},
         {"documents", o.documents},
         {"previous", o.previous.empty() ? json(nullptr) : json(o.previous)},
         {"renewal", nullptr}};
  if (o.record) {
    j["renewal"] = json{{"id", o.record->id},
                        {"tree_size", o.record->leaves.size()},
                        {"root", o.record->root.Hex()},
                        {"gen_time", base::FormatRfc3339(o.record->gen_time)},
                        {"serial", o.record->serial_hex},
                        {"tsa", o.record->tsa}};
  }
  return j;
}

Renewal::Renewal(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Renewal::~Renewal() = default;

Result<std::unique_ptr<Renewal>> Renewal::Open(archive::Archive* archive, const base::Clock* clock,
                                               RenewalPolicy policy) {
  if (policy.margin.count() < 0) {
    return Status::InvalidArgument("[renewal] margin_days は 0 以上にしてください");
  }
  auto rep = std::make_unique<Rep>();
  rep->archive = archive;
  rep->clock = clock;
  rep->policy = policy;
  auto t = archive->ledger().OpenTable("rt_renewals");
  if (t.ok()) {
    rep->table = std::move(*t);
  } else if (!archive->ledger().read_only()) {
    return t.status();
  }
  return std::unique_ptr<Renewal>(new Renewal(std::move(rep)));
}

Result<std::vector<RenewalRecord>> Renewal::List() const { return rep_->ReadAll(); }

Result<RenewalOutcome> Renewal::Renew(bool force, bool dry_run, const std::string& actor,
                                      signing::Timestamper* stamper) {
  ASSIGN_OR_RETURN(std::vector<RenewalRecord> all, rep_->ReadAll());
  Coverage coverage(std::move(all));
  RenewalOutcome out;
  std::vector<Head> heads;
  if (!coverage.renewals.empty()) {
    out.previous = coverage.renewals.back().id;
    heads.push_back(Head{out.previous, coverage.renewals.back().token_der});
  }
  RETURN_IF_ERROR(rep_->ForEachToken([&](const archive::StoredToken& t) -> Status {
    if (!coverage.Find(t.id, signing::Sha256(t.der))) heads.push_back(Head{t.id, t.der});
    return Status::OK();
  }));
  out.documents = heads.size() - (out.previous.empty() ? 0 : 1);
  if (heads.empty()) {
    out.reason = "not_due";
    out.message = "タイムスタンプのある文書がまだないため、更新するものがありません";
    return out;
  }
  rep_->Decide(heads, coverage.renewals, force, &out);
  if (!out.due || dry_run) return out;
  ledger::Ledger& l = rep_->archive->ledger();
  if (l.read_only() || !rep_->table || l.stamper() == nullptr) {
    return Status::FailedPrecondition("読み取り専用で開いているため、タイムスタンプを更新できません");
  }
  RenewalRecord r;
  r.id = FormatId('T', coverage.renewals.size() + 1);
  r.at = rep_->clock->Now();
  r.reason = out.reason;
  r.actor = actor;
  std::vector<Digest> leaf_hashes;
  for (const Head& h : heads) {
    r.leaves.push_back(RenewalLeaf{h.covers, signing::Sha256(h.der)});
    leaf_hashes.push_back(internal::TokenLeafHash(h.der));
  }
  r.root = internal::RenewalTree(std::move(leaf_hashes)).Root();
  // The TSA outside any transaction.
  signing::Timestamper* tsa = stamper != nullptr ? stamper : l.stamper();
  ASSIGN_OR_RETURN(const signing::Stamp stamp, tsa->StampDigest(r.root, r.at));
  r.token_der = stamp.response_der;
  r.gen_time = stamp.gen_time;
  r.serial_hex = stamp.serial_hex;
  r.tsa = tsa->name();
  RETURN_IF_ERROR(rep_->Store(r, out.previous));
  out.renewed = true;
  out.message += "（" + r.id + "、トークン " + std::to_string(r.leaves.size()) + " 件を包含）";
  out.record = std::move(r);
  return out;
}

Result<EvidenceChain> Renewal::ChainOf(std::string_view id) const {
  ASSIGN_OR_RETURN(const uint64_t seq, archive::ParseDocumentId(id));
  std::optional<archive::StoredToken> token;
  std::vector<RenewalRecord> all;
  RETURN_IF_ERROR(rep_->archive->ledger().Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(all, rep_->All(txn));
    ASSIGN_OR_RETURN(token, rep_->archive->StoredTokenOf(txn, seq));
    return Status::OK();
  }));
  if (!token) {
    return Status::FailedPrecondition(archive::FormatDocumentId(seq) +
                                      " のタイムスタンプはまだ取得されていません");
  }
  Coverage coverage(std::move(all));
  return coverage.Chain(*token);
}

Result<std::vector<ledger::VerifyFailure>> Renewal::VerifyAt(base::Time at,
                                                             uint64_t* checked) const {
  ASSIGN_OR_RETURN(std::vector<RenewalRecord> all, rep_->ReadAll());
  Coverage coverage(std::move(all));
  ASSIGN_OR_RETURN(const signing::TimestampVerifier verifier,
                   signing::TimestampVerifier::Create(rep_->archive->ledger().TrustedTsaPem()));
  std::vector<ledger::VerifyFailure> failed;
  uint64_t n = 0;
  RETURN_IF_ERROR(rep_->ForEachToken([&](const archive::StoredToken& t) -> Status {
    ++n;
    ASSIGN_OR_RETURN(const EvidenceChain chain, coverage.Chain(t));
    const Status s = VerifyChainAt(chain, at, verifier);
    if (!s.ok()) {
      failed.push_back(ledger::VerifyFailure{
          t.id, s.code() == Status::Code::kFailedPrecondition ? "timestamp_expired"
                                                              : "renewal_invalid",
          s.message()});
    }
    return Status::OK();
  }));
  if (checked != nullptr) *checked = n;
  return failed;
}

}  // namespace retention
