// Namespace-aware navigation over a libxml2 tree. Elements are matched by
// namespace URI and local name, never by prefix, so "cbc:ID", "ID" under a
// default namespace and "Bob:ID" are the same element when their URIs are.
//
// Thread safety: read-only functions over a tree nobody modifies.
#ifndef INVOICE_INTERNAL_XML_NAV_H_
#define INVOICE_INTERNAL_XML_NAV_H_

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <libxml/tree.h>

namespace invoice::internal {

/// One step of a path: an element in namespace `ns` named `local`.
struct XmlStep {
  const char* ns;
  const char* local;
};

/// The namespace URI of an element ("" if none).
std::string_view NamespaceOf(const xmlNode* node);
/// The local name of an element.
std::string_view LocalNameOf(const xmlNode* node);

/// True if node is an element named local in namespace ns.
bool IsElement(const xmlNode* node, const char* ns, const char* local);

/// The first child element of parent matching step, or nullptr (also when
/// parent is nullptr).
const xmlNode* Child(const xmlNode* parent, XmlStep step);
/// Every child element of parent matching step, in document order.
std::vector<const xmlNode*> Children(const xmlNode* parent, XmlStep step);
/// Follows path from node, taking the first match at each step; nullptr if
/// some step has no match.
const xmlNode* Descend(const xmlNode* node, std::initializer_list<XmlStep> path);

/// The text directly inside an element (its text children concatenated),
/// without leading and trailing ASCII whitespace. "" for nullptr.
std::string TextOf(const xmlNode* node);
/// TextOf(node), or nullopt if node is nullptr or the text is empty.
std::optional<std::string> NonEmptyText(const xmlNode* node);
/// The value of an attribute without namespace, or nullopt.
std::optional<std::string> AttributeOf(const xmlNode* node, const char* name);

}  // namespace invoice::internal

#endif  // INVOICE_INTERNAL_XML_NAV_H_
