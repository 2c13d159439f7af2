// Safe XML parsing for untrusted invoices: libxml2 owned through RAII, no
// network, no external entities, no DTD entity declarations at all, and caps
// on nesting depth, node count and time enforced while parsing (not after),
// so a hostile document cannot make the parser use much memory.
//
// Thread safety: ParseXmlSafely may be called from many threads at once;
// each call uses its own parser context. libxml2 is initialised once, on
// first use, under std::call_once.
#ifndef INVOICE_INTERNAL_XML_DOC_H_
#define INVOICE_INTERNAL_XML_DOC_H_

#include <memory>
#include <string>
#include <string_view>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "invoice/internal/deadline.h"
#include "invoice/invoice_reader.h"

namespace invoice::internal {

/// One deleter for every libxml2 type we own (after shaka-packager's
/// scoped_xml_ptr.h).
struct XmlDeleter {
  void operator()(xmlDoc* doc) const { ::xmlFreeDoc(doc); }
  void operator()(xmlParserCtxt* ctxt) const { ::xmlFreeParserCtxt(ctxt); }
  void operator()(xmlChar* s) const { ::xmlFree(s); }
};
template <class T>
using XmlPtr = std::unique_ptr<T, XmlDeleter>;

enum class XmlParseError {
  kNone,
  kMalformed,         ///< not well-formed (detail: libxml2's message)
  kDoctypeForbidden,  ///< entity declaration or external DTD reference
  kTooDeep,           ///< nesting beyond ReadLimits::max_xml_depth
  kTooManyNodes,      ///< beyond ReadLimits::max_xml_nodes
  kTooLarge,          ///< more bytes than libxml2 accepts in one call
  kTimeLimit,         ///< ReadLimits::max_time ran out while parsing
};

struct XmlParseResult {
  XmlPtr<xmlDoc> doc;  ///< set iff error == kNone
  XmlParseError error = XmlParseError::kNone;
  std::string detail;  ///< for kMalformed: libxml2's message (English; shown in parentheses)
  int line = 0;        ///< for kMalformed: line of the error, 0 if unknown
};

/// Parses bytes as XML with XML_PARSE_NONET and without entity substitution
/// or DTD loading. A DOCTYPE is accepted only if it neither declares entities
/// nor names an external subset. Prints nothing to stderr.
XmlParseResult ParseXmlSafely(std::string_view bytes, const ReadLimits& limits,
                              const Deadline& deadline);

}  // namespace invoice::internal

#endif  // INVOICE_INTERNAL_XML_DOC_H_
