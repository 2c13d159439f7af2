#include "tests/fuzz/der_tree.h"

#include <utility>

namespace kura_fuzz {

namespace {

constexpr int kMaxDepth = 48;

// Reads one TLV at in[*pos]; advances *pos past it.
std::optional<DerNode> ParseOne(std::string_view in, size_t* pos, int depth);

// Children filling all of `content`, or nullopt.
std::optional<std::vector<DerNode>> ParseAll(std::string_view content, int depth) {
  std::vector<DerNode> children;
  size_t pos = 0;
  while (pos < content.size()) {
    std::optional<DerNode> c = ParseOne(content, &pos, depth + 1);
    if (!c) return std::nullopt;
    children.push_back(std::move(*c));
  }
  return children;
}

std::optional<DerNode> ParseOne(std::string_view in, size_t* pos, int depth) {
  if (depth > kMaxDepth || in.size() - *pos < 2) return std::nullopt;
  const auto* b = reinterpret_cast<const unsigned char*>(in.data()) + *pos;
  const size_t avail = in.size() - *pos;
  DerNode n;
  n.tag = b[0];
  if ((n.tag & 0x1f) == 0x1f) return std::nullopt;  // high tag numbers: opaque
  size_t header = 2;
  size_t len = 0;
  if (b[1] == 0x80) {
    // Indefinite (BER): constructed only, children up to 00 00.
    if (!n.IsConstructed()) return std::nullopt;
    n.length_bytes = -1;
    n.has_children = true;
    size_t p = *pos + 2;
    for (;;) {
      if (in.size() - p < 2) return std::nullopt;
      if (in[p] == 0 && in[p + 1] == 0) {
        p += 2;
        break;
      }
      std::optional<DerNode> c = ParseOne(in, &p, depth + 1);
      if (!c) return std::nullopt;
      n.children.push_back(std::move(*c));
    }
    *pos = p;
    return n;
  }
  if (b[1] < 0x80) {
    len = b[1];
  } else {
    const size_t k = b[1] & 0x7f;
    if (k > 4 || avail < 2 + k) return std::nullopt;
    for (size_t i = 0; i < k; ++i) len = (len << 8) | b[2 + i];
    header += k;
    // Keep a non-minimal length as it was; a minimal one is rewritten
    // minimally whatever the new content size.
    if (DerLength(len).size() != 1 + k) n.length_bytes = static_cast<int>(k);
  }
  if (avail - header < len) return std::nullopt;
  const std::string_view content = in.substr(*pos + header, len);
  *pos += header + len;
  if (n.IsConstructed()) {
    if (auto children = ParseAll(content, depth)) {
      n.has_children = true;
      n.children = std::move(*children);
      return n;
    }
  } else if (n.tag == 0x04 || (n.tag == 0x03 && !content.empty() && content[0] == 0)) {
    // Encapsulated DER: the content is one or more TLVs, the first a
    // SEQUENCE or SET.
    const std::string_view inner = n.tag == 0x03 ? content.substr(1) : content;
    if (!inner.empty() && (inner[0] == 0x30 || inner[0] == 0x31)) {
      if (auto children = ParseAll(inner, depth)) {
        n.has_children = true;
        n.children = std::move(*children);
        if (n.tag == 0x03) n.prefix = std::string(content.substr(0, 1));
        return n;
      }
    }
  }
  n.content = std::string(content);
  return n;
}

}  // namespace

std::string DerLength(size_t n) {
  if (n < 0x80) return std::string(1, static_cast<char>(n));
  std::string bytes;
  for (size_t v = n; v > 0; v >>= 8) bytes.insert(bytes.begin(), static_cast<char>(v & 0xff));
  return std::string(1, static_cast<char>(0x80 | bytes.size())) + bytes;
}

std::string DerNode::EncodeContent() const {
  if (!has_children) return content;
  std::string out = prefix;
  for (const DerNode& c : children) out += c.Encode();
  return out;
}

std::string DerNode::Encode() const {
  const std::string body = EncodeContent();
  std::string out(1, static_cast<char>(tag));
  if (length_bytes < 0 && IsConstructed()) {
    out += '\x80';
    out += body;
    out += std::string(2, '\0');
    return out;
  }
  std::string len = DerLength(body.size());
  if (length_bytes > 0 && static_cast<size_t>(length_bytes) + 1 > len.size()) {
    // Long form padded with leading zero bytes.
    std::string digits =
        body.size() < 0x80 ? std::string(1, static_cast<char>(body.size())) : len.substr(1);
    while (digits.size() < static_cast<size_t>(length_bytes)) digits.insert(digits.begin(), '\0');
    len = std::string(1, static_cast<char>(0x80 | digits.size())) + digits;
  }
  out += len;
  out += body;
  return out;
}

void DerNode::SetContent(std::string bytes) {
  has_children = false;
  children.clear();
  prefix.clear();
  content = std::move(bytes);
  if (length_bytes < 0) length_bytes = 0;
}

std::optional<DerNode> ParseDer(std::string_view der) {
  size_t pos = 0;
  std::optional<DerNode> n = ParseOne(der, &pos, 0);
  if (!n || pos != der.size()) return std::nullopt;
  return n;
}

void CollectNodes(DerNode* root, std::vector<DerNode*>* out) {
  out->push_back(root);
  for (DerNode& c : root->children) CollectNodes(&c, out);
}

}  // namespace kura_fuzz
