#include "tests/fuzz/tsa_mutator.h"

#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "signing/sha256.h"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace kura_fuzz {

namespace {

std::string Sign(EVP_PKEY* key, const std::string& data) {
  EVP_MD_CTX* md = ::EVP_MD_CTX_new();
  size_t len = 0;
  std::string sig;
  if (::EVP_DigestSignInit(md, nullptr, ::EVP_sha256(), nullptr, key) == 1 &&
      ::EVP_DigestSign(md, nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()),
                       data.size()) == 1) {
    sig.resize(len);
    if (::EVP_DigestSign(md, reinterpret_cast<unsigned char*>(sig.data()), &len,
                         reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1) {
      sig.resize(len);
    } else {
      sig.clear();
    }
  }
  ::EVP_MD_CTX_free(md);
  ::ERR_clear_error();
  return sig;
}

std::string Sha1(const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  ::EVP_Digest(data.data(), data.size(), out, &n, ::EVP_sha1(), nullptr);
  return std::string(reinterpret_cast<char*>(out), n);
}

std::string Sha256Bytes(const std::string& data) {
  return std::string(signing::Sha256(data).AsStringView());
}

using Rng = std::mt19937;

size_t Pick(Rng& rng, size_t n) {
  return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng);
}
bool Chance(Rng& rng, int percent) { return static_cast<int>(Pick(rng, 100)) < percent; }

DerNode* Child(DerNode* n, size_t i) {
  if (n == nullptr || !n->has_children || i >= n->children.size()) return nullptr;
  return &n->children[i];
}

// The parts of a TimeStampResp the mutator aims at (nullptr if absent).
struct Parts {
  DerNode* signed_data = nullptr;
  DerNode* econtent = nullptr;  // OCTET STRING holding the TSTInfo
  DerNode* cert = nullptr;      // first embedded certificate
  DerNode* signer_info = nullptr;
  DerNode* signed_attrs = nullptr;
  DerNode* signature = nullptr;
};

Parts Locate(DerNode* root) {
  Parts p;
  p.signed_data = Child(Child(Child(root, 1), 1), 0);
  DerNode* sd = p.signed_data;
  if (sd == nullptr || !sd->has_children) return p;
  p.econtent = Child(Child(Child(sd, 2), 1), 0);
  for (size_t i = 3; i < sd->children.size(); ++i) {
    if (sd->children[i].tag == 0xa0 && p.cert == nullptr) p.cert = Child(&sd->children[i], 0);
  }
  if (!sd->children.empty() && sd->children.back().tag == 0x31) {
    p.signer_info = Child(&sd->children.back(), 0);
  }
  if (p.signer_info != nullptr && p.signer_info->has_children) {
    auto& c = p.signer_info->children;
    for (size_t i = 0; i < c.size(); ++i) {
      if (c[i].tag == 0xa0 && p.signed_attrs == nullptr) p.signed_attrs = &c[i];
      if (c[i].tag == 0x04 && p.signed_attrs != nullptr && p.signature == nullptr) {
        p.signature = &c[i];
      }
    }
  }
  return p;
}

const std::string kOidMessageDigest("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x04", 9);
const std::string kOidSigningCert("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x0c", 11);
const std::string kOidSigningCertV2("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x2f", 11);

// Signs the token again with the fixture's keys after a change: the
// certificate (if reissue) with the root's key and the ESS certificate
// hashes to match it; the messageDigest attribute; the signature over the
// signed attributes. Parts that are missing or malformed are left alone.
void Resign(const TsaMutatorContext& ctx, DerNode* root, bool reissue) {
  Parts p = Locate(root);
  if (reissue && p.cert != nullptr && p.cert->has_children && p.cert->children.size() >= 3) {
    const std::string sig = Sign(ctx.ca_key, p.cert->children[0].Encode());
    p.cert->children[2].tag = 0x03;
    p.cert->children[2].SetContent(std::string(1, '\0') + sig);
  }
  if (p.signed_attrs == nullptr || !p.signed_attrs->has_children) return;
  for (DerNode& attr : p.signed_attrs->children) {
    DerNode* oid = Child(&attr, 0);
    DerNode* value = Child(Child(&attr, 1), 0);
    if (oid == nullptr || oid->has_children || value == nullptr) continue;
    if (oid->content == kOidMessageDigest && p.econtent != nullptr) {
      value->SetContent(Sha256Bytes(p.econtent->EncodeContent()));
    } else if ((oid->content == kOidSigningCertV2 || oid->content == kOidSigningCert) && reissue &&
               p.cert != nullptr) {
      DerNode* id = Child(Child(value, 0), 0);  // SigningCertificate.certs[0]
      if (id == nullptr || !id->has_children) continue;
      for (DerNode& f : id->children) {
        if (f.tag == 0x04) {
          const std::string cert_der = p.cert->Encode();
          f.SetContent(oid->content == kOidSigningCert ? Sha1(cert_der) : Sha256Bytes(cert_der));
          break;
        }
      }
    }
  }
  if (p.signature != nullptr) {
    DerNode to_sign = *p.signed_attrs;
    to_sign.tag = 0x31;  // signed as a SET OF
    to_sign.length_bytes = 0;
    p.signature->SetContent(Sign(ctx.tsa_key, to_sign.Encode()));
  }
}

// The bytes of a string literal, embedded NULs included.
template <size_t N>
std::string Bytes(const char (&s)[N]) {
  return std::string(s, N - 1);
}

// Values worth trying, by tag.
std::vector<std::string> InterestingValues(uint8_t tag) {
  switch (tag) {
    case 0x02:
      return {Bytes(""),
              Bytes("\x00"),
              Bytes("\x01"),
              Bytes("\x02"),
              Bytes("\x7f"),
              Bytes("\x00\x80"),
              Bytes("\xff"),
              Bytes("\x80"),
              Bytes("\x01\x00"),
              Bytes("\x00\x00\x01"),
              Bytes("\xff\x7f"),
              Bytes("\x7f\xff\xff\xff\xff\xff\xff\xff"),
              Bytes("\x00\xff\xff\xff\xff\xff\xff\xff\xff"),
              Bytes("\x01\x00\x00\x00\x00\x00\x00\x00\x00"),
              Bytes("\x80\x00\x00\x00\x00\x00\x00\x00"),
              std::string(21, '\x11')};
    case 0x18:
      return {"20261122091500.123456Z", "20261122091500Z",  "20261122091500.1234567Z",
              "20261122091500.10Z",     "20261122091500.Z", "20261122091500,5Z",
              "20261122091500+0900",    "2026112209Z",      "202611220915Z",
              "20250401000000Z",        "20250331235959Z",  "20250331235959.999999Z",
              "20360401000000Z",        "20360331235959Z",  "20360331235959.999999Z",
              "20450401000000Z",        "19700101000000Z",  "19491231235959Z",
              "99991231235959Z",        "20261322091500Z",  "20261122246060Z",
              "20260229120000Z",        "00000101000000Z",  ""};
    case 0x17:
      return {
          "250401000000Z",     "250331235959Z",   "360401000000Z", "360331235959Z", "450401000000Z",
          "491231235959Z",     "500101000000Z",   "261122091500Z", "261122091501Z", "2611220915Z",
          "261122091500+0900", "261122091500.5Z", "991231235959Z", "000101000000Z", ""};
    case 0x06:
      return {Bytes("\x60\x86\x48\x01\x65\x03\x04\x02\x01"),          // sha256
              Bytes("\x60\x86\x48\x01\x65\x03\x04\x02\x03"),          // sha512
              Bytes("\x2b\x0e\x03\x02\x1a"),                          // sha1
              Bytes("\x2a\x86\x48\xce\x3d\x04\x03\x02"),              // ecdsa-with-SHA256
              Bytes("\x2a\x86\x48\xce\x3d\x04\x03\x03"),              // ecdsa-with-SHA384
              Bytes("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x01\x04"),  // id-ct-TSTInfo
              Bytes("\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02"),          // signedData
              Bytes("\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01"),          // data
              Bytes("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x03"),          // contentType
              kOidMessageDigest,
              kOidSigningCert,
              kOidSigningCertV2,
              Bytes("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x05"),  // signingTime
              Bytes("\x2b\x06\x01\x05\x05\x07\x03\x08"),      // id-kp-timeStamping
              Bytes("\x2b\x06\x01\x05\x05\x07\x03\x01"),      // id-kp-serverAuth
              Bytes("\x55\x1d\x25"),
              Bytes("\x55\x1d\x0f"),
              Bytes("\x55\x1d\x13"),  // EKU, keyUsage, basicConstr.
              Bytes("\x55\x1d\x11"),  // subjectAltName
              Bytes("\x55\x04\x03"),
              Bytes("\x55\x04\x0a"),  // CN, O
              Bytes("\x2a\x03\x04\x01"),
              Bytes("")};
    case 0x01:
      return {Bytes("\x00"), Bytes("\x01"), Bytes("\xff"), Bytes("")};
    case 0x05:
      return {Bytes(""), Bytes("\x00")};
    case 0x0c:
    case 0x13:
      return {"kura fuzz",
              "KURA FUZZ",
              "kura  fuzz",
              " kura fuzz ",
              "kura built-in time-stamping authority",
              "kura time-stamping root CA",
              ""};
    default:
      return {};
  }
}

constexpr uint8_t kTags[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c,
                             0x13, 0x16, 0x17, 0x18, 0x30, 0x31, 0x80, 0x81,
                             0x82, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0x24, 0x23};

struct NodeRef {
  DerNode* node;
  DerNode* parent;
  size_t index;
};

void Collect(DerNode* n, DerNode* parent, size_t index, std::vector<NodeRef>* out) {
  out->push_back({n, parent, index});
  for (size_t i = 0; i < n->children.size(); ++i) Collect(&n->children[i], n, i, out);
}

// One change at a random node of the subtree `within`.
void MutateNode(const TsaMutatorContext& ctx, Rng& rng, DerNode* within) {
  std::vector<NodeRef> refs;
  Collect(within, nullptr, 0, &refs);
  const NodeRef r = refs[Pick(rng, refs.size())];
  DerNode& n = *r.node;
  switch (Pick(rng, 12)) {
    case 0:
    case 1: {  // change the bytes of a leaf
      if (n.has_children) break;
      std::string c = n.content;
      switch (Pick(rng, 4)) {
        case 0:
          if (!c.empty()) c[Pick(rng, c.size())] ^= static_cast<char>(1u << Pick(rng, 8));
          break;
        case 1:
          if (!c.empty()) c[Pick(rng, c.size())] = static_cast<char>(Pick(rng, 256));
          break;
        case 2:
          c.insert(Pick(rng, c.size() + 1), 1, static_cast<char>(Pick(rng, 256)));
          break;
        default:
          if (!c.empty()) c.erase(Pick(rng, c.size()), 1);
          break;
      }
      n.SetContent(std::move(c));
      break;
    }
    case 2:
    case 3: {  // an interesting value for its tag
      const std::vector<std::string> v = InterestingValues(n.tag);
      if (!v.empty()) n.SetContent(v[Pick(rng, v.size())]);
      break;
    }
    case 4:  // another tag
      n.tag =
          Chance(rng, 80) ? kTags[Pick(rng, sizeof kTags)] : static_cast<uint8_t>(Pick(rng, 256));
      if ((n.tag & 0x1f) == 0x1f) n.tag = 0x04;
      break;
    case 5:  // delete
      if (r.parent != nullptr) r.parent->children.erase(r.parent->children.begin() + r.index);
      break;
    case 6:  // duplicate
      if (r.parent != nullptr) {
        r.parent->children.insert(r.parent->children.begin() + r.index, n);
      }
      break;
    case 7:  // swap with a sibling
      if (r.parent != nullptr && r.parent->children.size() > 1) {
        std::swap(r.parent->children[r.index],
                  r.parent->children[Pick(rng, r.parent->children.size())]);
      }
      break;
    case 8: {  // graft a subtree of another token (same tag if one exists)
      std::vector<const DerNode*> same;
      for (const DerNode& p : ctx.pool) {
        if (p.tag == n.tag) same.push_back(&p);
      }
      const DerNode& from = !same.empty() && Chance(rng, 75) ? *same[Pick(rng, same.size())]
                                                             : ctx.pool[Pick(rng, ctx.pool.size())];
      n = from;
      break;
    }
    case 9:  // insert a subtree as a new child
      if (n.has_children && n.children.size() < 64) {
        n.children.insert(n.children.begin() + Pick(rng, n.children.size() + 1),
                          ctx.pool[Pick(rng, ctx.pool.size())]);
      }
      break;
    case 10:  // length encoding: non-minimal long form, indefinite, minimal
      switch (Pick(rng, 3)) {
        case 0:
          n.length_bytes = 1 + static_cast<int>(Pick(rng, 3));
          break;
        case 1:
          n.length_bytes = n.IsConstructed() && n.has_children ? -1 : 2;
          break;
        default:
          n.length_bytes = 0;
          break;
      }
      break;
    default:  // empty it, or make a leaf of random bytes
      if (Chance(rng, 50)) {
        n.SetContent("");
      } else {
        std::string c(Pick(rng, 40), '\0');
        for (char& ch : c) ch = static_cast<char>(Pick(rng, 256));
        n.SetContent(std::move(c));
      }
      break;
  }
}

}  // namespace

size_t MutateTsaInput(const TsaMutatorContext& ctx, uint8_t* data, size_t size, size_t max_size,
                      unsigned int seed) {
  Rng rng(seed);
  if (size < 2) {
    const std::string start = std::string(1, '\0') + ctx.good.front();
    if (start.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
    std::memcpy(data, start.data(), start.size());
    return start.size();
  }
  if (Chance(rng, 25)) return LLVMFuzzerMutate(data, size, max_size);
  uint8_t opts = data[0];
  if (Chance(rng, 10)) opts = static_cast<uint8_t>(opts ^ (1u << Pick(rng, 8)));
  // The corpus fills up with refused tokens, and a change to a refused
  // token is refused again; a quarter of the time start from a good token,
  // one change away from acceptance.
  std::string_view start(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (Chance(rng, 25)) start = ctx.good[Pick(rng, ctx.good.size())];
  std::optional<DerNode> tree = ParseDer(start);
  if (!tree) return LLVMFuzzerMutate(data, size, max_size);

  const size_t changes = Chance(rng, 70) ? 1 : 2 + Pick(rng, 2);
  bool resign = false, reissue = false;
  for (size_t i = 0; i < changes; ++i) {
    Parts p = Locate(&*tree);
    DerNode* within = &*tree;
    const size_t where = Pick(rng, 100);
    if (where < 30) {
      within = &*tree;
    } else if (where < 55 && p.econtent != nullptr) {
      within = p.econtent;
      resign = true;
    } else if (where < 70 && p.signed_attrs != nullptr) {
      within = p.signed_attrs;
      resign = true;
    } else if (where < 85 && p.cert != nullptr && p.cert->has_children &&
               !p.cert->children.empty()) {
      within = &p.cert->children[0];  // tbsCertificate
      resign = reissue = true;
    } else {
      resign = true;
    }
    MutateNode(ctx, rng, within);
  }
  // Mostly sign again; now and then leave the signatures as the mutation
  // left them.
  if (resign && Chance(rng, 80)) Resign(ctx, &*tree, reissue && Chance(rng, 90));

  std::string out = std::string(1, static_cast<char>(opts)) + tree->Encode();
  if (Chance(rng, 3) && out.size() > 1) out.resize(1 + Pick(rng, out.size() - 1));  // truncate
  if (Chance(rng, 2)) out.push_back(static_cast<char>(Pick(rng, 256)));             // trailing
  if (out.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
  std::memcpy(data, out.data(), out.size());
  return out.size();
}

}  // namespace kura_fuzz
