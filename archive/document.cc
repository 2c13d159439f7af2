#include "archive/document.h"

#include <cstdio>

#include "base/json.h"
#include "base/text.h"
#include "invoice/fields_json.h"

namespace archive {

using base::Result;
using base::Status;
using nlohmann::json;

std::string FormatDocumentId(uint64_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "D%08llu", static_cast<unsigned long long>(seq));
  return buf;
}

Result<uint64_t> ParseDocumentId(std::string_view id) {
  const auto bad = [&] {
    return Status::InvalidArgument("文書IDの形式ではありません: \"" + base::DisplayName(id, 40) +
                                   "\"（D に続く数字で指定してください。例: D00000042）");
  };
  if (id.size() < 2 || id.size() > 20 || (id[0] != 'D' && id[0] != 'd')) return bad();
  uint64_t v = 0;
  for (char c : id.substr(1)) {
    if (c < '0' || c > '9') return bad();
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v == 0) return bad();
  return v;
}

json ToJson(const Document& d) {
  return json{{"seq", d.seq},
              {"id", FormatDocumentId(d.seq)},
              {"sha256", d.sha256},
              {"size", d.size},
              {"media_type", d.media_type},
              {"current_version", d.current_version},
              {"receipt_count", d.receipt_count},
              {"received_event", d.received_event}};
}

json ToJson(const Receipt& r) {
  return json{{"number", r.number},     {"received_at", base::FormatRfc3339(r.received_at)},
              {"receiver", r.receiver}, {"department", r.department},
              {"source", r.source},     {"file_name", r.file_name}};
}

json ToJson(const Version& v) {
  json j{{"number", v.number},
         {"created_at", base::FormatRfc3339(v.created_at)},
         {"created_by", v.created_by},
         {"reason", v.reason},
         {"fields", invoice::FieldsToJson(v.fields)},
         {"warnings", invoice::WarningsToJson(v.warnings)}};
  if (v.scan) j["scan"] = ToJson(*v.scan);
  return j;
}

json ToJson(const Tombstone& t) {
  return json{{"sha256", t.sha256},
              {"size", t.size},
              {"media_type", t.media_type},
              {"disposed_at", base::FormatRfc3339(t.disposed_at)},
              {"requested_by", t.requested_by},
              {"approved_by", t.approved_by},
              {"reason", t.reason},
              {"details", t.details}};
}

Result<Tombstone> TombstoneFromJson(const json& j) {
  Tombstone t;
  RETURN_IF_ERROR(base::JsonField(j, "sha256", &t.sha256));
  RETURN_IF_ERROR(base::JsonField(j, "size", &t.size));
  RETURN_IF_ERROR(base::JsonField(j, "media_type", &t.media_type));
  RETURN_IF_ERROR(base::JsonTimeField(j, "disposed_at", &t.disposed_at));
  RETURN_IF_ERROR(base::JsonField(j, "requested_by", &t.requested_by));
  RETURN_IF_ERROR(base::JsonField(j, "approved_by", &t.approved_by));
  RETURN_IF_ERROR(base::JsonField(j, "reason", &t.reason));
  RETURN_IF_ERROR(base::JsonField(j, "details", &t.details));
  return t;
}

Result<Document> DocumentFromJson(const json& j) {
  Document d;
  RETURN_IF_ERROR(base::JsonField(j, "seq", &d.seq));
  RETURN_IF_ERROR(base::JsonField(j, "sha256", &d.sha256));
  RETURN_IF_ERROR(base::JsonField(j, "size", &d.size));
  RETURN_IF_ERROR(base::JsonField(j, "media_type", &d.media_type));
  RETURN_IF_ERROR(base::JsonField(j, "current_version", &d.current_version));
  RETURN_IF_ERROR(base::JsonField(j, "receipt_count", &d.receipt_count));
  RETURN_IF_ERROR(base::JsonField(j, "received_event", &d.received_event));
  return d;
}

Result<Receipt> ReceiptFromJson(const json& j) {
  Receipt r;
  RETURN_IF_ERROR(base::JsonField(j, "number", &r.number));
  RETURN_IF_ERROR(base::JsonTimeField(j, "received_at", &r.received_at));
  RETURN_IF_ERROR(base::JsonField(j, "receiver", &r.receiver));
  RETURN_IF_ERROR(base::JsonField(j, "department", &r.department));
  RETURN_IF_ERROR(base::JsonField(j, "source", &r.source));
  RETURN_IF_ERROR(base::JsonField(j, "file_name", &r.file_name));
  return r;
}

Result<Version> VersionFromJson(const json& j) {
  Version v;
  RETURN_IF_ERROR(base::JsonField(j, "number", &v.number));
  RETURN_IF_ERROR(base::JsonTimeField(j, "created_at", &v.created_at));
  RETURN_IF_ERROR(base::JsonField(j, "created_by", &v.created_by));
  RETURN_IF_ERROR(base::JsonField(j, "reason", &v.reason));
  json fields, warnings;
  RETURN_IF_ERROR(base::JsonField(j, "fields", &fields));
  RETURN_IF_ERROR(base::JsonField(j, "warnings", &warnings));
  ASSIGN_OR_RETURN(v.fields, invoice::FieldsFromJson(fields));
  ASSIGN_OR_RETURN(v.warnings, invoice::WarningsFromJson(warnings));
  if (const auto scan = j.find("scan"); scan != j.end()) {
    ASSIGN_OR_RETURN(v.scan, ScanFactsFromJson(*scan));
  }
  return v;
}

}  // namespace archive
