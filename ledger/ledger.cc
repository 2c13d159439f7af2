// Ledger: opening, tables, reads, the event log and time-stamp responses.
// The writer queue is in writer_queue.cc, the checkpoint publisher in
// publisher.cc and the log half of verification in verify.cc.
#include "ledger/ledger.h"

#include <chrono>
#include <thread>

#include "ledger/internal/ledger_rep.h"
#include "signing/checkpoint.h"

namespace ledger {

using base::Result;
using base::Status;
using nlohmann::json;

namespace {

// The ledger's own tables: the event log, the tree, checkpoints, responses.
constexpr const char* kOwnTables[] = {"events", "merkle_nodes", "log_state", "checkpoints", "tsr"};

// Keys are created by the first writer to open a directory without them;
// LOCK keeps two processes starting at once from creating two sets.
// With a token the private keys are in it, not in keys/.
Status EnsureKeysOnce(base::FileSystem* fs, const DataDirLayout& layout, base::Time now,
                      const std::shared_ptr<signing::Pkcs11Token>& token,
                      const TokenKeyOptions& token_options) {
  if (LoadKeys(fs, layout, /*with_private=*/token == nullptr).ok() &&
      (token == nullptr || fs->Stat(base::JoinPath(layout.keys(), "pkcs11.txt")).ok())) {
    return Status::OK();
  }
  Result<std::unique_ptr<base::FileLock>> lock = fs->LockFile(layout.lock());
  for (int attempt = 0;
       attempt < 100 && !lock.ok() && lock.status().code() == Status::Code::kFailedPrecondition;
       ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    lock = fs->LockFile(layout.lock());
  }
  if (!lock.ok()) {
    return lock.status().WithContext("別の kura のプロセスが " + layout.root + " の鍵を作成中です");
  }
  if (token != nullptr) return EnsureTokenKeys(fs, layout, now, token, token_options);
  return EnsureKeys(fs, layout, now);
}

Status OpenSigning(Ledger::Rep* rep, const std::shared_ptr<signing::Pkcs11Token>& token) {
  ASSIGN_OR_RETURN(signing::NoteVerifier verifier,
                   signing::NoteVerifier::FromVerifierKey(rep->keys.log_vkey));
  rep->verifier = std::make_unique<signing::NoteVerifier>(std::move(verifier));
  if (rep->options.read_only) return Status::OK();
  const TimestampOptions& t = rep->options.timestamp;
  if (token != nullptr) {
    ASSIGN_OR_RETURN(rep->signer, OpenTokenNoteSigner(token, rep->options.key_token, rep->keys));
    if (t.url.empty()) {
      ASSIGN_OR_RETURN(rep->stamper,
                       OpenTokenTimestamper(token, rep->options.key_token, rep->keys));
      return Status::OK();
    }
  } else {
    ASSIGN_OR_RETURN(signing::NoteSigner signer,
                     signing::NoteSigner::FromPkcs8Pem(rep->keys.origin, rep->keys.log_key_pem));
    rep->signer = std::make_unique<signing::NoteSigner>(std::move(signer));
  }
  if (t.url.empty()) {
    ASSIGN_OR_RETURN(rep->stamper,
                     signing::NewBuiltinTimestamper(rep->keys.tsa_key_pem, rep->keys.tsa_cert_pem,
                                                    rep->keys.ChainPem()));
  } else {
    rep->stamper = signing::NewExternalTimestamper(t.transport, t.url, t.trusted_pem);
  }
  return Status::OK();
}

Status OpenTables(Ledger::Rep* rep) {
  storage::EnvOptions env_options = rep->options.env;
  env_options.read_only = rep->options.read_only;
  // Group commit: the writer queue acknowledges a commit once a later one,
  // or a flush of its own, has made it durable (writer_queue.cc).
  env_options.defer_meta_sync = rep->options.group_commit && !rep->options.read_only;
  ASSIGN_OR_RETURN(rep->env, storage::Env::Open(rep->layout.catalog(), env_options));
  ASSIGN_OR_RETURN(EventLog log, EventLog::Open(rep->env.get()));
  rep->log = std::make_unique<EventLog>(std::move(log));
  ASSIGN_OR_RETURN(CheckpointStore checkpoints, CheckpointStore::Open(rep->env.get()));
  rep->checkpoints = std::make_unique<CheckpointStore>(std::move(checkpoints));
  ASSIGN_OR_RETURN(rep->responses, rep->env->OpenTable("tsr"));
  for (const char* t : kOwnTables) rep->replayed.insert(t);
  return Status::OK();
}

}  // namespace

Ledger::Ledger(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}

Ledger::~Ledger() {
  if (rep_->options.read_only) return;
  rep_->StopPublisher();
  // Clean shutdown: the events of this process (and any others) are covered.
  PublishCheckpoint().IgnoreError();  // an error is reported by the next verify
}

Result<std::unique_ptr<Ledger>> Ledger::Open(const LedgerOptions& options, base::FileSystem* fs,
                                             const base::Clock* clock) {
  auto rep = std::make_unique<Rep>();
  rep->options = options;
  rep->layout.root = options.data_dir;
  rep->fs = fs;
  rep->clock = clock;
  RETURN_IF_ERROR(CheckDataDir(fs, rep->layout));
  if (!options.read_only) {
    if (!options.timestamp.url.empty() && options.timestamp.transport == nullptr) {
      return Status::InvalidArgument(
          "外部のタイムスタンプ局を使うには通信手段 (transport) "
          "が必要です（プログラムの誤りです）");
    }
  }
  // The token is opened (and logged in to) by writers only: kura verify
  // and other readers need no PIN.
  std::shared_ptr<signing::Pkcs11Token> token;
  if (!options.read_only && options.key_token.enabled()) {
    ASSIGN_OR_RETURN(token, OpenKeyToken(options.key_token));
    rep->options.key_token.pin.clear();  // the session is logged in; keep no copy
  } else if (!options.read_only) {
    RETURN_IF_ERROR(CheckFileKeyMode(fs, rep->layout));
  }
  if (!options.read_only) {
    RETURN_IF_ERROR(EnsureKeysOnce(fs, rep->layout, clock->Now(), token, options.key_token));
  }
  ASSIGN_OR_RETURN(rep->keys, LoadKeys(fs, rep->layout,
                                       /*with_private=*/!options.read_only && token == nullptr));
  RETURN_IF_ERROR(OpenSigning(rep.get(), token));
  RETURN_IF_ERROR(OpenTables(rep.get()));
  auto ledger = std::unique_ptr<Ledger>(new Ledger(std::move(rep)));
  if (!options.read_only && options.checkpoints.background) {
    ledger->rep_->StartPublisher(ledger.get());
  }
  return ledger;
}

bool Ledger::read_only() const { return rep_->options.read_only; }
const DataDirLayout& Ledger::layout() const { return rep_->layout; }

Result<storage::Table> Ledger::OpenTable(const std::string& name) {
  if (IsReplayedTable(name)) {
    return Status::InvalidArgument("テーブル " + name +
                                   " は台帳で記録されるテーブルではありません");
  }
  return rep_->env->OpenTable(name);
}

Result<storage::Table> Ledger::OpenDerivedTable(const std::string& name) {
  if (!IsDerivedTableName(name)) {
    return Status::InvalidArgument("派生索引の表名は " + std::string(kDerivedTablePrefix) +
                                   " で始めてください: " + name);
  }
  return rep_->env->OpenTable(name);
}

Result<storage::Table> Ledger::OpenReplayedTable(const std::string& name) {
  {
    std::unique_lock<std::shared_mutex> l(rep_->tables_mu);
    rep_->replayed.insert(name);
  }
  return rep_->env->OpenTable(name);
}

void Ledger::RegisterOwner(const std::string& prefix) {
  std::unique_lock<std::shared_mutex> l(rep_->tables_mu);
  rep_->owners.insert(prefix);
}

bool Ledger::IsReplayedTable(std::string_view name) const {
  if (IsDerivedTableName(name)) return true;
  std::shared_lock<std::shared_mutex> l(rep_->tables_mu);
  return rep_->replayed.count(name) > 0;
}

Status Ledger::Read(const std::function<Status(const storage::ReadTxn&)>& fn) const {
  return rep_->env->Read(fn);
}

Result<uint64_t> Ledger::EventCount() const {
  uint64_t n = 0;
  RETURN_IF_ERROR(rep_->env->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(n, rep_->log->Size(txn));
    return Status::OK();
  }));
  return n;
}

Status Ledger::ForEachEvent(uint64_t from,
                            const std::function<Status(uint64_t, std::string_view)>& fn) const {
  return rep_->env->Read(
      [&](const storage::ReadTxn& txn) { return rep_->log->ForEach(txn, from, fn); });
}

Result<EventProof> Ledger::ProveEvent(uint64_t index) const {
  EventProof p;
  p.index = index;
  RETURN_IF_ERROR(rep_->env->Read([&](const storage::ReadTxn& txn) -> Status {
    auto latest = rep_->checkpoints->Latest(txn);
    if (!latest.ok() && !latest.status().IsNotFound()) return latest.status();
    if (!latest.ok() || index >= latest->size) {
      return Status::FailedPrecondition("イベント " + std::to_string(index) +
                                        " はまだ署名済みのチェックポイントに含まれていません"
                                        "（次のチェックポイントの公開をお待ちください）");
    }
    p.tree_size = latest->size;
    p.checkpoint = latest->note;
    ASSIGN_OR_RETURN(p.event, rep_->log->Get(txn, index));
    p.leaf_hash = signing::HashLeaf(p.event);
    ASSIGN_OR_RETURN(p.proof, rep_->log->InclusionProof(txn, index, p.tree_size));
    return Status::OK();
  }));
  return p;
}

Status Ledger::ProveEvents(const std::vector<uint64_t>& indices,
                           const std::function<Status(const EventProof&)>& fn,
                           uint64_t* not_covered, uint64_t tree_size) const {
  if (not_covered != nullptr) *not_covered = 0;
  return rep_->env->Read([&](const storage::ReadTxn& txn) -> Status {
    auto latest =
        tree_size == 0 ? rep_->checkpoints->Latest(txn) : rep_->checkpoints->Get(txn, tree_size);
    if (!latest.ok() && latest.status().IsNotFound() && tree_size == 0) {
      return Status::FailedPrecondition("署名済みのチェックポイントがまだありません");
    }
    if (!latest.ok()) return latest.status();  // NotFound names the size asked for
    EventProof p;
    p.tree_size = latest->size;
    p.checkpoint = latest->note;
    for (const uint64_t index : indices) {
      if (index >= latest->size) {
        if (not_covered != nullptr) ++*not_covered;
        continue;
      }
      p.index = index;
      ASSIGN_OR_RETURN(p.event, rep_->log->Get(txn, index));
      p.leaf_hash = signing::HashLeaf(p.event);
      ASSIGN_OR_RETURN(p.proof, rep_->log->InclusionProof(txn, index, p.tree_size));
      RETURN_IF_ERROR(fn(p));
    }
    return Status::OK();
  });
}

Result<ConsistencyProofRecord> Ledger::ProveConsistency(uint64_t size1, uint64_t size2) const {
  ConsistencyProofRecord r;
  r.size1 = size1;
  r.size2 = size2;
  RETURN_IF_ERROR(rep_->env->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(const uint64_t size, rep_->log->Size(txn));
    if (size1 > size2 || size2 > size) {
      return Status::InvalidArgument("木の大きさは 0 ≦ OLD ≦ NEW ≦ " + std::to_string(size) +
                                     "（現在のイベント数）で指定してください（OLD=" +
                                     std::to_string(size1) + ", NEW=" + std::to_string(size2) +
                                     "）");
    }
    ASSIGN_OR_RETURN(r.root1, rep_->log->Root(txn, size1));
    ASSIGN_OR_RETURN(r.root2, rep_->log->Root(txn, size2));
    ASSIGN_OR_RETURN(r.proof, rep_->log->ConsistencyProof(txn, size1, size2));
    return Status::OK();
  }));
  return r;
}

Status Ledger::ForEachCheckpoint(const std::function<Status(const CheckpointRecord&)>& fn) const {
  return rep_->env->Read([&](const storage::ReadTxn& txn) -> Status {
    return rep_->checkpoints->ForEach(txn, [&](const StoredCheckpoint& c) -> Status {
      CheckpointRecord r;
      r.size = c.size;
      r.note = c.note;
      r.created_at = c.created_at;
      ASSIGN_OR_RETURN(r.root, rep_->log->Root(txn, c.size));
      if (c.tsr_sha256) {
        auto der = GetResponse(txn, *c.tsr_sha256);
        if (!der.ok() && !der.status().IsNotFound()) return der.status();
        if (der.ok()) r.tsr_der = std::move(*der);
      }
      return fn(r);
    });
  });
}

Result<std::string> Ledger::LatestCheckpoint() const {
  std::string note;
  RETURN_IF_ERROR(rep_->env->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(const StoredCheckpoint c, rep_->checkpoints->Latest(txn));
    note = c.note;
    return Status::OK();
  }));
  return note;
}

std::string Ledger::VerifierKey() const { return rep_->keys.log_vkey; }

signing::Timestamper* Ledger::stamper() { return rep_->stamper.get(); }
bool Ledger::batch_timestamps() const { return rep_->options.timestamp.batch; }

std::string Ledger::TrustedTsaPem() const {
  const TimestampOptions& t = rep_->options.timestamp;
  return rep_->keys.ChainPem() + (t.url.empty() ? "" : t.trusted_pem);
}

Result<std::string> Ledger::PutResponse(storage::WriteTxn& txn, std::string_view der) const {
  const std::string hex = signing::Sha256(der).Hex();
  const Status s = txn.Insert(rep_->responses, hex, der);
  if (!s.ok() && !s.IsAlreadyExists()) return s;
  return hex;
}

Result<std::string> Ledger::GetResponse(const storage::ReadTxn& txn,
                                        std::string_view sha256_hex) const {
  auto v = txn.Get(rep_->responses, sha256_hex);
  if (!v.ok()) {
    if (v.status().IsNotFound()) {
      return Status::NotFound("タイムスタンプ応答 " + std::string(sha256_hex) + " がありません");
    }
    return v.status();
  }
  return std::string(*v);
}

Result<uint64_t> AppendEvent::operator()(const json& event) const {
  if (!event.is_object()) {
    return Status::InvalidArgument("イベントは JSON オブジェクトでなければなりません");
  }
  auto type = event.find("type");
  if (type == event.end() || !type->is_string() || type->get<std::string>().empty()) {
    return Status::InvalidArgument("イベントに種類 (type) がありません");
  }
  const std::string& t = type->get_ref<const std::string&>();
  for (const std::string& prefix : *owners_) {
    if (t.rfind(prefix, 0) == 0 && owner_ != prefix) {
      return Status::FailedPrecondition("種類が " + prefix +
                                        " で始まるイベントは、そのモジュールだけが追加できます");
    }
  }
  if (event.contains("writes")) {
    return Status::InvalidArgument(
        "イベントの writes は台帳が書き込む項目です（プログラムの誤りです）");
  }
  events_->push_back(event);
  return first_ + events_->size() - 1;
}

}  // namespace ledger
