// EC_KEY_METHOD and EVP_PKEY_set1_EC_KEY are deprecated in OpenSSL 3 in
// favour of providers; a provider for one sign callback would be far more
// code, and these calls remain in OpenSSL 3.x.
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include "signing/internal/token_evp_key.h"

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>

#include <mutex>
#include <utility>

namespace signing::internal {

using base::Result;

namespace {

struct TokenRef {
  std::shared_ptr<Pkcs11Token> token;
  std::string label;
};

void FreeTokenRef(void* /*parent*/, void* ptr, CRYPTO_EX_DATA* /*ad*/, int /*idx*/,
                  long /*argl*/, void* /*argp*/) {  // NOLINT(runtime/int)
  delete static_cast<TokenRef*>(ptr);
}

int ExIndex() {
  static const int index = ::EC_KEY_get_ex_new_index(0, nullptr, nullptr, nullptr, &FreeTokenRef);
  return index;
}

// EC_KEY_METHOD sign_sig: the digest is signed by the token. A digest
// longer than the order is truncated to its leftmost 256 bits, as ECDSA
// prescribes (and as CKM_ECDSA would).
ECDSA_SIG* TokenSignSig(const unsigned char* dgst, int dgst_len, const BIGNUM* /*kinv*/,
                        const BIGNUM* /*r*/, EC_KEY* eckey) {
  auto* ref = static_cast<TokenRef*>(::EC_KEY_get_ex_data(eckey, ExIndex()));
  if (ref == nullptr || dgst_len < 32) {
    ERR_raise_data(ERR_LIB_EC, ERR_R_INTERNAL_ERROR, "PKCS#11 の鍵がないか、ダイジェストが短すぎます");
    return nullptr;
  }
  const std::string digest(reinterpret_cast<const char*>(dgst), 32);
  base::Result<std::string> sig = ref->token->Sign(TokenKeyType::kEcdsaP256, ref->label, digest);
  if (!sig.ok()) {
    ERR_raise_data(ERR_LIB_EC, ERR_R_INTERNAL_ERROR, "%s", sig.status().message().c_str());
    return nullptr;
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(sig->data());
  BIGNUM* r = ::BN_bin2bn(bytes, 32, nullptr);
  BIGNUM* s = ::BN_bin2bn(bytes + 32, 32, nullptr);
  ECDSA_SIG* out = ::ECDSA_SIG_new();
  if (r == nullptr || s == nullptr || out == nullptr || ::ECDSA_SIG_set0(out, r, s) != 1) {
    ::BN_free(r);
    ::BN_free(s);
    ::ECDSA_SIG_free(out);
    return nullptr;
  }
  return out;
}

const EC_KEY_METHOD* TokenMethod() {
  static EC_KEY_METHOD* method = [] {
    EC_KEY_METHOD* m = ::EC_KEY_METHOD_new(::EC_KEY_OpenSSL());
    int (*sign)(int, const unsigned char*, int, unsigned char*, unsigned int*, const BIGNUM*,
                const BIGNUM*, EC_KEY*) = nullptr;
    int (*setup)(EC_KEY*, BN_CTX*, BIGNUM**, BIGNUM**) = nullptr;
    ::EC_KEY_METHOD_get_sign(::EC_KEY_OpenSSL(), &sign, &setup, nullptr);
    // sign (DER in and out) stays OpenSSL's: it calls sign_sig.
    ::EC_KEY_METHOD_set_sign(m, sign, setup, &TokenSignSig);
    return m;
  }();
  return method;
}

struct EcKeyFree {
  void operator()(EC_KEY* k) const { ::EC_KEY_free(k); }
};
using EcKeyPtr = std::unique_ptr<EC_KEY, EcKeyFree>;

Result<EcKeyPtr> PublicEcKey(const std::string& point) {
  ::ERR_clear_error();
  EcKeyPtr ec(::EC_KEY_new_by_curve_name(NID_X9_62_prime256v1));
  if (!ec || ::EC_KEY_oct2key(ec.get(), reinterpret_cast<const unsigned char*>(point.data()),
                              point.size(), nullptr) != 1) {
    return InternalError("PKCS#11 の鍵: P-256 の公開鍵を読めません");
  }
  return ec;
}

Result<OsslPtr<EVP_PKEY>> Wrap(EC_KEY* ec) {
  OsslPtr<EVP_PKEY> key(::EVP_PKEY_new());
  if (!key || ::EVP_PKEY_set1_EC_KEY(key.get(), ec) != 1) {
    return InternalError("PKCS#11 の鍵: EVP_PKEY を作れません");
  }
  return key;
}

}  // namespace

Result<OsslPtr<EVP_PKEY>> P256PublicKey(const std::string& point) {
  ASSIGN_OR_RETURN(EcKeyPtr ec, PublicEcKey(point));
  return Wrap(ec.get());
}

Result<OsslPtr<EVP_PKEY>> TokenP256Key(std::shared_ptr<Pkcs11Token> token,
                                       const std::string& label) {
  ASSIGN_OR_RETURN(const std::string point, token->PublicKey(TokenKeyType::kEcdsaP256, label));
  ASSIGN_OR_RETURN(EcKeyPtr ec, PublicEcKey(point));
  if (::EC_KEY_set_method(ec.get(), TokenMethod()) != 1) {
    return InternalError("PKCS#11 の鍵: 署名の方法を設定できません");
  }
  auto* ref = new TokenRef{std::move(token), label};
  if (::EC_KEY_set_ex_data(ec.get(), ExIndex(), ref) != 1) {
    delete ref;
    return InternalError("PKCS#11 の鍵: トークンを鍵に結び付けられません");
  }
  return Wrap(ec.get());
}

}  // namespace signing::internal
