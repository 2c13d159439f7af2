// The part of signing/tsa_identity.cc that the PKCS#11 variant
// (signing/token_identity.cc) shares: the root CA and TSA certificates
// for given keys. Internal to signing/.
#ifndef SIGNING_INTERNAL_TOKEN_IDENTITY_UTIL_H_
#define SIGNING_INTERNAL_TOKEN_IDENTITY_UTIL_H_

#include <openssl/evp.h>

#include "base/result.h"
#include "signing/tsa_identity.h"

namespace signing::internal {

/// A self-signed root CA for ca_key and a TSA certificate it issues for
/// tsa_key (nullptr: a fresh software key, returned as tsa_key_pem). The
/// result's ca_key_pem is always empty; tsa_key_pem is empty when tsa_key
/// was given. Errors as GenerateTsaIdentity().
base::Result<TsaIdentity> IssueTsaIdentity(EVP_PKEY* ca_key, EVP_PKEY* tsa_key,
                                           const TsaIdentityOptions& options);

}  // namespace signing::internal

#endif  // SIGNING_INTERNAL_TOKEN_IDENTITY_UTIL_H_
