// The built-in TSA's identity (signing/tsa_identity.h) with its keys in a
// PKCS#11 token: the root CA key and the TSA key are generated inside the
// token (ECDSA P-256, sensitive, non-extractable) and the same certificate
// profile is issued for them, signed by the token. Only certificates leave
// the token.
//
// Thread safety: a function over a token (which serialises its calls).
#ifndef SIGNING_TOKEN_IDENTITY_H_
#define SIGNING_TOKEN_IDENTITY_H_

#include <memory>
#include <string>

#include "base/result.h"
#include "signing/pkcs11.h"
#include "signing/tsa_identity.h"

namespace signing {

/// Generates the keys ca_label and tsa_label in the token and returns the
/// certificates (ca_key_pem and tsa_key_pem are empty). AlreadyExists if
/// the token already holds a key with either label; other errors as
/// GenerateTsaIdentity() and Pkcs11Token.
base::Result<TsaIdentity> GenerateTokenTsaIdentity(const std::shared_ptr<Pkcs11Token>& token,
                                                   const std::string& ca_label,
                                                   const std::string& tsa_label,
                                                   const TsaIdentityOptions& options);

}  // namespace signing

#endif  // SIGNING_TOKEN_IDENTITY_H_
