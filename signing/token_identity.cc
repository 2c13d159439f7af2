#include "signing/token_identity.h"

#include "signing/internal/openssl_util.h"
#include "signing/internal/token_evp_key.h"
#include "signing/internal/token_identity_util.h"

namespace signing {

base::Result<TsaIdentity> GenerateTokenTsaIdentity(const std::shared_ptr<Pkcs11Token>& token,
                                                   const std::string& ca_label,
                                                   const std::string& tsa_label,
                                                   const TsaIdentityOptions& options) {
  if (ca_label == tsa_label) {
    return base::Status::InvalidArgument(
        "PKCS#11: ルート CA の鍵とタイムスタンプ局の鍵には別のラベルを指定してください");
  }
  RETURN_IF_ERROR(token->GenerateKey(TokenKeyType::kEcdsaP256, ca_label).status());
  RETURN_IF_ERROR(token->GenerateKey(TokenKeyType::kEcdsaP256, tsa_label).status());
  ASSIGN_OR_RETURN(internal::OsslPtr<EVP_PKEY> ca_key, internal::TokenP256Key(token, ca_label));
  ASSIGN_OR_RETURN(internal::OsslPtr<EVP_PKEY> tsa_key, internal::TokenP256Key(token, tsa_label));
  return internal::IssueTsaIdentity(ca_key.get(), tsa_key.get(), options);
}

}  // namespace signing
