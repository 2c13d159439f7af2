#include "archive/document.h"

#include <cstdio>

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
    return Status::InvalidArgument("not a document id: \"" + std::string(id) +
                                   "\" (expected D followed by digits, e.g. D00000042)");
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
  return json{{"number", r.number},
              {"received_at", base::FormatRfc3339(r.received_at)},
              {"receiver", r.receiver},
              {"department", r.department},
              {"source", r.source},
              {"file_name", r.file_name}};
}

json ToJson(const Version& v) {
  return json{{"number", v.number},
              {"created_at", base::FormatRfc3339(v.created_at)},
              {"created_by", v.created_by},
              {"reason", v.reason},
              {"fields", v.fields},
              {"warnings", v.warnings}};
}

namespace {
// Reads j[key] as T, or fails with Corruption naming the field.
template <class T>
Status Field(const json& j, const char* key, T* out) {
  auto it = j.find(key);
  if (it == j.end()) return Status::Corruption(std::string("record lacks \"") + key + "\"");
  try {
    *out = it->template get<T>();
  } catch (const json::exception& e) {
    return Status::Corruption(std::string("record field \"") + key + "\": " + e.what());
  }
  return Status::OK();
}

Status TimeField(const json& j, const char* key, base::Time* out) {
  std::string s;
  RETURN_IF_ERROR(Field(j, key, &s));
  auto t = base::ParseRfc3339(s);
  if (!t.ok()) return Status::Corruption(t.status().message());
  *out = *t;
  return Status::OK();
}
}  // namespace

Result<Document> DocumentFromJson(const json& j) {
  Document d;
  RETURN_IF_ERROR(Field(j, "seq", &d.seq));
  RETURN_IF_ERROR(Field(j, "sha256", &d.sha256));
  RETURN_IF_ERROR(Field(j, "size", &d.size));
  RETURN_IF_ERROR(Field(j, "media_type", &d.media_type));
  RETURN_IF_ERROR(Field(j, "current_version", &d.current_version));
  RETURN_IF_ERROR(Field(j, "receipt_count", &d.receipt_count));
  RETURN_IF_ERROR(Field(j, "received_event", &d.received_event));
  return d;
}

Result<Receipt> ReceiptFromJson(const json& j) {
  Receipt r;
  RETURN_IF_ERROR(Field(j, "number", &r.number));
  RETURN_IF_ERROR(TimeField(j, "received_at", &r.received_at));
  RETURN_IF_ERROR(Field(j, "receiver", &r.receiver));
  RETURN_IF_ERROR(Field(j, "department", &r.department));
  RETURN_IF_ERROR(Field(j, "source", &r.source));
  RETURN_IF_ERROR(Field(j, "file_name", &r.file_name));
  return r;
}

Result<Version> VersionFromJson(const json& j) {
  Version v;
  RETURN_IF_ERROR(Field(j, "number", &v.number));
  RETURN_IF_ERROR(TimeField(j, "created_at", &v.created_at));
  RETURN_IF_ERROR(Field(j, "created_by", &v.created_by));
  RETURN_IF_ERROR(Field(j, "reason", &v.reason));
  RETURN_IF_ERROR(Field(j, "fields", &v.fields));
  RETURN_IF_ERROR(Field(j, "warnings", &v.warnings));
  return v;
}

Result<json> ParseJson(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::Corruption("stored record is not valid JSON");
  return j;
}

}  // namespace archive
