#include "ledger/internal/write_set.h"

#include "base/hex.h"
#include "base/text.h"

namespace ledger {

using base::Result;
using base::Status;
using nlohmann::json;

void WriteSet::Record(const std::string& table, std::string_view key,
                      std::optional<std::string_view> value) {
  std::optional<signing::Digest> hash;
  if (value) hash = signing::Sha256(*value);
  tables[table][std::string(key)] = hash;  // the last change of a key wins
}

json WriteSet::ToJson() const {
  json out = json::object();
  for (const auto& [table, keys] : tables) {
    json t = json::object();
    for (const auto& [key, hash] : keys) {
      t[base::HexEncode(key)] = hash ? json(hash->Hex()) : json(nullptr);
    }
    out[table] = std::move(t);
  }
  return out;
}

Result<WriteSet> WriteSet::FromJson(const json& j) {
  if (!j.is_object()) {
    return Status::InvalidArgument("変更の記録 (writes) が JSON オブジェクトではありません");
  }
  WriteSet w;
  for (const auto& [table, keys] : j.items()) {
    if (table.empty() || !keys.is_object() || keys.empty()) {
      return Status::InvalidArgument("変更の記録 (writes): テーブル「" +
                                     base::PrintableText(table) + "」がキーの集まりではありません");
    }
    auto& out = w.tables[table];
    for (const auto& [hex, hash] : keys.items()) {
      auto key = base::HexDecode(hex);
      if (!key.ok() || base::HexEncode(*key) != hex || key->empty()) {
        return Status::InvalidArgument(
            "変更の記録 (writes): テーブル " + base::PrintableText(table) + " のキー「" +
            base::PrintableText(hex) + "」が小文字の 16 進数ではありません");
      }
      std::optional<signing::Digest> digest;
      if (!hash.is_null()) {
        if (!hash.is_string() || !base::IsLowerHex(hash.get<std::string>(), 64)) {
          return Status::InvalidArgument("変更の記録 (writes): テーブル " +
                                         base::PrintableText(table) + " のキー " + hex +
                                         " の値が SHA-256 でも null でもありません");
        }
        ASSIGN_OR_RETURN(digest, signing::Digest::FromHex(hash.get<std::string>()));
      }
      out[*key] = digest;
    }
  }
  return w;
}

}  // namespace ledger
