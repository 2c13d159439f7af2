#include "ledger/event_log.h"

#include "base/json.h"
#include "storage/key_codec.h"

namespace ledger {

using base::Result;
using base::Status;
using signing::Digest;

namespace {
constexpr std::string_view kFrontierKey = "frontier";

std::string NodeKey(int level, uint64_t index) {
  std::string k(1, static_cast<char>(level));
  return k + storage::KeyEncoder().U64(index).key();
}

std::string EncodeFrontier(const signing::CompactRange& range) {
  std::string out = storage::KeyEncoder().U64(range.size()).Release();
  for (const Digest& d : range.hashes()) out += d.ToBytes();
  return out;
}

Result<signing::CompactRange> DecodeFrontier(std::string_view bytes) {
  storage::KeyDecoder dec(bytes);
  uint64_t size;
  if (!dec.U64(&size) || dec.Rest().size() % Digest::kSize != 0) {
    return Status::Corruption(
        "台帳: ハッシュ木の右端の記録が壊れています（台帳が壊れている可能性があります）");
  }
  std::vector<Digest> hashes;
  for (std::string_view rest = dec.Rest(); !rest.empty(); rest.remove_prefix(Digest::kSize)) {
    ASSIGN_OR_RETURN(Digest d, Digest::FromBytes(rest.substr(0, Digest::kSize)));
    hashes.push_back(d);
  }
  auto range = signing::CompactRange::FromHashes(size, std::move(hashes));
  if (!range.ok()) return Status::Corruption("台帳: " + range.status().message());
  return range;
}
}  // namespace

Result<EventLog> EventLog::Open(storage::Env* env) {
  ASSIGN_OR_RETURN(storage::Table events, env->OpenTable("events"));
  ASSIGN_OR_RETURN(storage::Table nodes, env->OpenTable("merkle_nodes"));
  ASSIGN_OR_RETURN(storage::Table state, env->OpenTable("log_state"));
  return EventLog(std::move(events), std::move(nodes), std::move(state));
}

std::string EventLog::Canonical(const nlohmann::json& event) { return base::DumpJson(event); }

Result<uint64_t> EventLog::Size(const storage::ReadTxn& txn) const {
  // Indexes are dense from 0, so the size is the entry count.
  return txn.Count(events_);
}

Result<signing::CompactRange> EventLog::Frontier(const storage::ReadTxn& txn) const {
  auto v = txn.Get(state_, kFrontierKey);
  if (!v.ok()) {
    if (v.status().IsNotFound()) return signing::CompactRange();
    return v.status();
  }
  return DecodeFrontier(*v);
}

Result<uint64_t> EventLog::Append(storage::WriteTxn& txn, const nlohmann::json& event) const {
  ASSIGN_OR_RETURN(signing::CompactRange range, Frontier(txn));
  ASSIGN_OR_RETURN(const uint64_t index, Size(txn));
  if (range.size() != index) {
    return Status::Corruption("台帳: ハッシュ木は " + std::to_string(range.size()) +
                              " 件のイベントを含みますが、イベントは " + std::to_string(index) +
                              " 件あります（台帳が壊れている可能性があります）");
  }
  const std::string bytes = Canonical(event);
  RETURN_IF_ERROR(txn.Insert(events_, storage::KeyEncoder().U64(index).key(), bytes));
  Status node_status;
  range.Append(signing::HashLeaf(bytes), [&](int level, uint64_t i, const Digest& hash) {
    if (node_status.ok()) node_status = txn.Put(nodes_, NodeKey(level, i), hash.AsStringView());
  });
  RETURN_IF_ERROR(node_status);
  RETURN_IF_ERROR(txn.Put(state_, kFrontierKey, EncodeFrontier(range)));
  return index;
}

Status EventLog::ForEach(const storage::ReadTxn& txn, uint64_t from,
                         const std::function<Status(uint64_t, std::string_view)>& fn) const {
  ASSIGN_OR_RETURN(storage::Cursor cursor, txn.NewCursor(events_));
  for (bool ok = cursor.Seek(storage::KeyEncoder().U64(from).key()); ok; ok = cursor.Next()) {
    uint64_t index;
    storage::KeyDecoder d(cursor.key());
    if (!d.U64(&index) || !d.done()) {
      return Status::Corruption(
          "台帳: イベントのキーが壊れています（台帳が壊れている可能性があります）");
    }
    RETURN_IF_ERROR(fn(index, cursor.value()));
  }
  return cursor.status();
}

Result<std::string> EventLog::Get(const storage::ReadTxn& txn, uint64_t index) const {
  auto v = txn.Get(events_, storage::KeyEncoder().U64(index).key());
  if (!v.ok()) {
    if (v.status().IsNotFound()) {
      return Status::NotFound("イベント " + std::to_string(index) + " はありません");
    }
    return v.status();
  }
  return std::string(*v);
}

signing::NodeHashFn EventLog::Nodes(const storage::ReadTxn& txn) const {
  return [this, &txn](int level, uint64_t index) -> Result<Digest> {
    auto v = txn.Get(nodes_, NodeKey(level, index));
    if (!v.ok()) {
      return Status::Corruption("台帳: ハッシュ木のノード (" + std::to_string(level) + ", " +
                                std::to_string(index) +
                                ") がありません（台帳が壊れている可能性があります）");
    }
    return Digest::FromBytes(*v);
  };
}

Result<std::vector<Digest>> EventLog::InclusionProof(const storage::ReadTxn& txn, uint64_t index,
                                                     uint64_t size) const {
  return signing::InclusionProof(index, size, Nodes(txn));
}

Result<std::vector<Digest>> EventLog::ConsistencyProof(const storage::ReadTxn& txn, uint64_t size1,
                                                       uint64_t size2) const {
  return signing::ConsistencyProof(size1, size2, Nodes(txn));
}

Result<Digest> EventLog::Root(const storage::ReadTxn& txn, uint64_t size) const {
  // The perfect subtrees covering [0, size), largest first; RFC 6962's MTH
  // folds them from the right.
  const signing::NodeHashFn nodes = Nodes(txn);
  std::vector<Digest> parts;
  uint64_t offset = 0;
  for (int level = 63; level >= 0; --level) {
    const uint64_t width = uint64_t{1} << level;
    if ((size & width) == 0) continue;
    ASSIGN_OR_RETURN(Digest d, nodes(level, offset >> level));
    parts.push_back(d);
    offset += width;
  }
  if (parts.empty()) return signing::EmptyRoot();
  Digest root = parts.back();
  for (size_t i = parts.size() - 1; i-- > 0;) root = signing::HashChildren(parts[i], root);
  return root;
}

}  // namespace ledger
