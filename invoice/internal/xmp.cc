#include "invoice/internal/xmp.h"

#include <vector>

#include "invoice/internal/text_util.h"
#include "invoice/internal/xml_doc.h"
#include "invoice/internal/xml_nav.h"

namespace invoice::internal {
namespace {

// The extension schemas' namespaces all name CrossIndustryDocument.
bool IsInvoiceSchema(std::string_view ns) { return ns.find("CrossIndustryDocument") != ns.npos; }

void Take(std::string_view local, std::string value, std::string_view ns, XmpInvoiceInfo* out) {
  if (!IsInvoiceSchema(ns)) return;
  value = TruncateUtf8(SanitizeUtf8(TrimAscii(value)), 256);
  if (local == "DocumentFileName" && out->document_file_name.empty()) {
    out->document_file_name = value;
  } else if (local == "ConformanceLevel" && out->conformance_level.empty()) {
    out->conformance_level = value;
  } else {
    return;
  }
  if (out->schema_namespace.empty()) out->schema_namespace = std::string(ns);
}

}  // namespace

XmpInvoiceInfo ParseXmpInvoiceInfo(std::string_view xmp, const ReadLimits& limits,
                                   const Deadline& deadline) {
  XmpInvoiceInfo out;
  if (xmp.empty()) return out;
  const XmlParseResult parsed = ParseXmlSafely(xmp, limits, deadline);
  if (parsed.error != XmlParseError::kNone) return out;
  // Iterative walk; the parser already capped depth and node count.
  std::vector<const xmlNode*> stack{::xmlDocGetRootElement(parsed.doc.get())};
  while (!stack.empty()) {
    const xmlNode* n = stack.back();
    stack.pop_back();
    if (n == nullptr || n->type != XML_ELEMENT_NODE) continue;
    Take(LocalNameOf(n), TextOf(n), NamespaceOf(n), &out);
    for (const xmlAttr* a = n->properties; a != nullptr; a = a->next) {
      if (a->ns == nullptr || a->ns->href == nullptr || a->name == nullptr) continue;
      std::string value;
      for (const xmlNode* c = a->children; c != nullptr; c = c->next) {
        if (c->type == XML_TEXT_NODE && c->content != nullptr) {
          value += reinterpret_cast<const char*>(c->content);
        }
      }
      Take(reinterpret_cast<const char*>(a->name), std::move(value),
           reinterpret_cast<const char*>(a->ns->href), &out);
    }
    for (const xmlNode* c = n->children; c != nullptr; c = c->next) stack.push_back(c);
  }
  return out;
}

}  // namespace invoice::internal
