#include "archive/document.h"

#include <cstdio>

#include "base/json.h"
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
  return json{{"number", r.number},     {"received_at", base::FormatRfc3339(r.received_at)},
              {"receiver", r.receiver}, {"department", r.department},
              {"source", r.source},     {"file_name", r.file_name}};
}

json ToJson(const Version& v) {
  return json{{"number", v.number},         {"created_at", base::FormatRfc3339(v.created_at)},
              {"created_by", v.created_by}, {"reason", v.reason},
              {"fields", invoice::FieldsToJson(v.fields)},
              {"warnings", invoice::WarningsToJson(v.warnings)}};
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
  return v;
}

std::string ValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80                   ? 1
               : (c >= 0xC2 && c <= 0xDF) ? 2
               : (c >= 0xE0 && c <= 0xEF) ? 3
               : (c >= 0xF0 && c <= 0xF4) ? 4
                                          : 0;
    bool ok = n > 0 && i + n <= s.size();
    for (size_t k = 1; ok && k < n; ++k) {
      ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    }
    if (ok && n >= 3) {  // reject overlongs, surrogates and > U+10FFFF
      const auto c1 = static_cast<unsigned char>(s[i + 1]);
      ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0) && !(c == 0xF0 && c1 < 0x90) &&
           !(c == 0xF4 && c1 >= 0x90);
    }
    if (ok) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    }
  }
  return out;
}

}  // namespace archive
