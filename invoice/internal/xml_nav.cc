#include "invoice/internal/xml_nav.h"

#include <cstring>

#include "invoice/internal/text_util.h"

namespace invoice::internal {
namespace {

const char* AsChars(const xmlChar* s) { return reinterpret_cast<const char*>(s); }

}  // namespace

std::string_view NamespaceOf(const xmlNode* node) {
  if (node == nullptr || node->ns == nullptr || node->ns->href == nullptr) return {};
  return AsChars(node->ns->href);
}

std::string_view LocalNameOf(const xmlNode* node) {
  if (node == nullptr || node->name == nullptr) return {};
  return AsChars(node->name);
}

bool IsElement(const xmlNode* node, const char* ns, const char* local) {
  if (node == nullptr || node->type != XML_ELEMENT_NODE || node->name == nullptr) return false;
  if (std::strcmp(AsChars(node->name), local) != 0) return false;
  const char* href =
      (node->ns != nullptr && node->ns->href != nullptr) ? AsChars(node->ns->href) : "";
  return std::strcmp(href, ns) == 0;
}

const xmlNode* Child(const xmlNode* parent, XmlStep step) {
  if (parent == nullptr) return nullptr;
  for (const xmlNode* c = parent->children; c != nullptr; c = c->next) {
    if (IsElement(c, step.ns, step.local)) return c;
  }
  return nullptr;
}

std::vector<const xmlNode*> Children(const xmlNode* parent, XmlStep step) {
  std::vector<const xmlNode*> out;
  if (parent == nullptr) return out;
  for (const xmlNode* c = parent->children; c != nullptr; c = c->next) {
    if (IsElement(c, step.ns, step.local)) out.push_back(c);
  }
  return out;
}

const xmlNode* Descend(const xmlNode* node, std::initializer_list<XmlStep> path) {
  for (const XmlStep& step : path) {
    node = Child(node, step);
    if (node == nullptr) return nullptr;
  }
  return node;
}

std::string TextOf(const xmlNode* node) {
  if (node == nullptr) return {};
  std::string text;
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content != nullptr) {
      text += AsChars(c->content);
    }
  }
  return std::string(TrimAscii(text));
}

std::optional<std::string> NonEmptyText(const xmlNode* node) {
  std::string text = TextOf(node);
  if (text.empty()) return std::nullopt;
  return text;
}

std::optional<std::string> AttributeOf(const xmlNode* node, const char* name) {
  if (node == nullptr) return std::nullopt;
  for (const xmlAttr* a = node->properties; a != nullptr; a = a->next) {
    if (a->ns != nullptr || a->name == nullptr || std::strcmp(AsChars(a->name), name) != 0) {
      continue;
    }
    std::string value;
    for (const xmlNode* c = a->children; c != nullptr; c = c->next) {
      if (c->type == XML_TEXT_NODE && c->content != nullptr) value += AsChars(c->content);
    }
    return value;
  }
  return std::nullopt;
}

}  // namespace invoice::internal
