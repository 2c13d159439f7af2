// An OpenSSL EVP_PKEY whose private half is an ECDSA P-256 key in a PKCS#11
// token, so that OpenSSL code that signs with an EVP_PKEY (the TSA's
// TS_RESP_CTX, X509_sign for the TSA's certificates) signs in the token.
//
// How: a legacy EC_KEY holding only the public point, with an
// EC_KEY_METHOD whose sign_sig hands the digest to Pkcs11Token::Sign
// (CKM_ECDSA) and turns r‖s into an ECDSA_SIG. OpenSSL 3 treats such a key
// as "foreign" and keeps it on its legacy code path, where the method is
// honoured. The EC_KEY holds a reference to the token (ex_data), so the
// EVP_PKEY keeps the session open for as long as it lives.
//
// Internal to signing/.
#ifndef SIGNING_INTERNAL_TOKEN_EVP_KEY_H_
#define SIGNING_INTERNAL_TOKEN_EVP_KEY_H_

#include <memory>
#include <string>

#include "base/result.h"
#include "signing/internal/openssl_util.h"
#include "signing/pkcs11.h"

namespace signing::internal {

/// The token's P-256 key `label` as an EVP_PKEY. NotFound if the token has
/// no such key; Internal if OpenSSL fails.
base::Result<OsslPtr<EVP_PKEY>> TokenP256Key(std::shared_ptr<Pkcs11Token> token,
                                             const std::string& label);

/// An EVP_PKEY of a raw uncompressed P-256 point (public only), e.g. to put
/// a token's public key into a certificate.
base::Result<OsslPtr<EVP_PKEY>> P256PublicKey(const std::string& point);

}  // namespace signing::internal

#endif  // SIGNING_INTERNAL_TOKEN_EVP_KEY_H_
