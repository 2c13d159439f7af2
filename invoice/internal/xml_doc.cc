#include "invoice/internal/xml_doc.h"

#include <climits>
#include <mutex>

#include <libxml/xmlerror.h>

#include "invoice/internal/text_util.h"

namespace invoice::internal {
namespace {

// Refuses every external resource, whatever the parser options say: an
// invoice is read from its own bytes only. libxml2 is owned by this module
// (STYLE.md §1), so the process-wide loader is ours to set.
xmlParserInputPtr RefuseExternalEntity(const char* /*url*/, const char* /*id*/,
                                       xmlParserCtxtPtr /*ctxt*/) {
  return nullptr;
}

void IgnoreGenericError(void* /*ctx*/, const char* /*msg*/, ...) {}
void IgnoreStructuredError(void* /*ctx*/, xmlErrorPtr /*error*/) {}

void InitLibxmlOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    ::xmlInitParser();
    ::xmlSetExternalEntityLoader(&RefuseExternalEntity);
  });
}

// Per-parse state reached from the SAX callbacks through ctxt->_private.
struct ParseGuard {
  startElementNsSAX2Func start_element = nullptr;
  endElementNsSAX2Func end_element = nullptr;
  commentSAXFunc comment = nullptr;
  processingInstructionSAXFunc processing_instruction = nullptr;
  internalSubsetSAXFunc internal_subset = nullptr;

  const Deadline* deadline = nullptr;
  int max_depth = 0;
  size_t max_nodes = 0;
  int depth = 0;
  size_t nodes = 0;
  XmlParseError error = XmlParseError::kNone;
};

ParseGuard* GuardOf(void* ctx) {
  return static_cast<ParseGuard*>(static_cast<xmlParserCtxtPtr>(ctx)->_private);
}

void Stop(void* ctx, ParseGuard* guard, XmlParseError error) {
  if (guard->error == XmlParseError::kNone) guard->error = error;
  ::xmlStopParser(static_cast<xmlParserCtxtPtr>(ctx));
}

// Counts nodes; returns false (after stopping the parser) past a limit.
bool CountNodes(void* ctx, ParseGuard* g, size_t n) {
  g->nodes += n;
  if (g->nodes > g->max_nodes) {
    Stop(ctx, g, XmlParseError::kTooManyNodes);
    return false;
  }
  // Reading the clock is cheap, but not free: look every 4096 nodes.
  if ((g->nodes & 0xFFF) < n && g->deadline->Expired()) {
    Stop(ctx, g, XmlParseError::kTimeLimit);
    return false;
  }
  return true;
}

void GuardedStartElementNs(void* ctx, const xmlChar* localname, const xmlChar* prefix,
                           const xmlChar* uri, int nb_namespaces, const xmlChar** namespaces,
                           int nb_attributes, int nb_defaulted, const xmlChar** attributes) {
  ParseGuard* g = GuardOf(ctx);
  if (g->error != XmlParseError::kNone) return;
  if (++g->depth > g->max_depth) {
    Stop(ctx, g, XmlParseError::kTooDeep);
    return;
  }
  // An attribute costs an attribute node and a text node.
  const size_t cost =
      1 + static_cast<size_t>(nb_namespaces) + 2 * static_cast<size_t>(nb_attributes);
  if (!CountNodes(ctx, g, cost)) return;
  g->start_element(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
                   nb_defaulted, attributes);
}

void GuardedEndElementNs(void* ctx, const xmlChar* localname, const xmlChar* prefix,
                         const xmlChar* uri) {
  ParseGuard* g = GuardOf(ctx);
  if (g->error != XmlParseError::kNone) return;
  --g->depth;
  g->end_element(ctx, localname, prefix, uri);
}

void GuardedComment(void* ctx, const xmlChar* value) {
  ParseGuard* g = GuardOf(ctx);
  if (g->error != XmlParseError::kNone || !CountNodes(ctx, g, 1)) return;
  if (g->comment != nullptr) g->comment(ctx, value);
}

void GuardedProcessingInstruction(void* ctx, const xmlChar* target, const xmlChar* data) {
  ParseGuard* g = GuardOf(ctx);
  if (g->error != XmlParseError::kNone || !CountNodes(ctx, g, 1)) return;
  if (g->processing_instruction != nullptr) g->processing_instruction(ctx, target, data);
}

// <!DOCTYPE x SYSTEM "..."> or PUBLIC: nothing may be fetched, and an
// invoice has no business naming a DTD.
void GuardedInternalSubset(void* ctx, const xmlChar* name, const xmlChar* external_id,
                           const xmlChar* system_id) {
  ParseGuard* g = GuardOf(ctx);
  if (external_id != nullptr || system_id != nullptr) {
    Stop(ctx, g, XmlParseError::kDoctypeForbidden);
    return;
  }
  if (g->internal_subset != nullptr) g->internal_subset(ctx, name, external_id, system_id);
}

// Any <!ENTITY ...>: internal ones enable billion-laughs expansion, external
// ones XXE. Stop before libxml2 records it.
void RefuseEntityDecl(void* ctx, const xmlChar* /*name*/, int /*type*/,
                      const xmlChar* /*public_id*/, const xmlChar* /*system_id*/,
                      xmlChar* /*content*/) {
  Stop(ctx, GuardOf(ctx), XmlParseError::kDoctypeForbidden);
}

xmlParserInputPtr RefuseResolveEntity(void* /*ctx*/, const xmlChar* /*public_id*/,
                                      const xmlChar* /*system_id*/) {
  return nullptr;
}

void IgnoreExternalSubset(void* /*ctx*/, const xmlChar* /*name*/, const xmlChar* /*external_id*/,
                          const xmlChar* /*system_id*/) {}

// NONET: no network even if something asks. NOBLANKS/COMPACT: fewer, smaller
// nodes. NOCDATA: CDATA becomes plain text. NOERROR/NOWARNING: silence.
// Deliberately absent: NOENT and DTDLOAD (XXE), DTDATTR, DTDVALID, XINCLUDE,
// HUGE (keeps libxml2's own depth and text-size caps), RECOVER.
constexpr int kParseOptions = XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_COMPACT |
                              XML_PARSE_NOCDATA | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;

}  // namespace

XmlParseResult ParseXmlSafely(std::string_view bytes, const ReadLimits& limits,
                              const Deadline& deadline) {
  InitLibxmlOnce();
  XmlParseResult result;
  if (bytes.size() > static_cast<size_t>(INT_MAX)) {
    result.error = XmlParseError::kTooLarge;
    return result;
  }
  // Both are per-thread in libxml2; nothing of ours may print to stderr.
  ::xmlSetGenericErrorFunc(nullptr, &IgnoreGenericError);
  ::xmlSetStructuredErrorFunc(nullptr, &IgnoreStructuredError);

  XmlPtr<xmlParserCtxt> ctxt(::xmlNewParserCtxt());
  if (ctxt == nullptr) {
    result.error = XmlParseError::kMalformed;
    result.detail = "XML パーサーを確保できません";
    return result;
  }
  ParseGuard guard;
  guard.deadline = &deadline;
  guard.max_depth = limits.max_xml_depth;
  guard.max_nodes = limits.max_xml_nodes;

  xmlSAXHandler* sax = ctxt->sax;
  guard.start_element = sax->startElementNs;
  guard.end_element = sax->endElementNs;
  guard.comment = sax->comment;
  guard.processing_instruction = sax->processingInstruction;
  guard.internal_subset = sax->internalSubset;
  sax->startElementNs = &GuardedStartElementNs;
  sax->endElementNs = &GuardedEndElementNs;
  sax->comment = &GuardedComment;
  sax->processingInstruction = &GuardedProcessingInstruction;
  sax->internalSubset = &GuardedInternalSubset;
  sax->externalSubset = &IgnoreExternalSubset;
  sax->entityDecl = &RefuseEntityDecl;
  sax->resolveEntity = &RefuseResolveEntity;
  sax->serror = &IgnoreStructuredError;
  sax->warning = nullptr;
  sax->error = nullptr;
  ctxt->vctxt.error = nullptr;
  ctxt->vctxt.warning = nullptr;
  ctxt->_private = &guard;

  XmlPtr<xmlDoc> doc(::xmlCtxtReadMemory(ctxt.get(), bytes.data(), static_cast<int>(bytes.size()),
                                         /*URL=*/nullptr, /*encoding=*/nullptr, kParseOptions));
  if (guard.error != XmlParseError::kNone) {
    // A stopped parse may still hand back a partial tree; drop it.
    result.error = guard.error;
    return result;
  }
  if (doc == nullptr || !ctxt->wellFormed || ::xmlDocGetRootElement(doc.get()) == nullptr) {
    result.error = XmlParseError::kMalformed;
    const xmlError* e = &ctxt->lastError;
    if (e->message != nullptr) {
      result.detail = SanitizeUtf8(TrimAscii(e->message));
      result.line = e->line;
    } else {
      result.detail = "ルート要素がありません";
    }
    return result;
  }
  result.doc = std::move(doc);
  return result;
}

}  // namespace invoice::internal
