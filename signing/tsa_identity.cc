#include "signing/tsa_identity.h"

#include <chrono>
#include <ctime>
#include <utility>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "signing/internal/openssl_util.h"
#include "signing/internal/token_identity_util.h"
#include "signing/internal/ts_util.h"

namespace signing {
namespace {

using internal::OsslPtr;

struct Extension {
  int nid;
  const char* value;  // OpenSSL's config syntax, as in an x509v3 extfile
};

base::Result<OsslPtr<EVP_PKEY>> NewP256Key() {
  ::ERR_clear_error();
  OsslPtr<EVP_PKEY> key(::EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) {
    return internal::InternalError("タイムスタンプ局の鍵: P-256 の鍵を生成できません");
  }
  return key;
}

time_t ToTimeT(base::Time t) {
  return static_cast<time_t>(
      std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count());
}

// t plus whole calendar years; 29 February becomes 28 February.
base::Time AddYears(base::Time t, int years) {
  namespace chr = std::chrono;
  const chr::sys_days day = chr::floor<chr::days>(t);
  chr::year_month_day ymd{day};
  ymd += chr::years(years);
  if (!ymd.ok()) ymd = ymd.year() / ymd.month() / chr::last;
  return chr::sys_days(ymd) + (t - day);
}

base::Result<OsslPtr<X509_NAME>> MakeName(const std::string& organization,
                                          const std::string& common_name) {
  OsslPtr<X509_NAME> name(::X509_NAME_new());
  const auto add = [&name](const char* field, const std::string& value) {
    return ::X509_NAME_add_entry_by_txt(
               name.get(), field, MBSTRING_UTF8,
               reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1,
               0) == 1;
  };
  if (!name || !add("O", organization) || !add("CN", common_name)) {
    return internal::InternalError("タイムスタンプ局の証明書: 主体者名を作成できません");
  }
  return name;
}

// Makes a certificate for subject_key. issuer == nullptr: self-signed (the
// issuer key is then the subject key).
base::Result<OsslPtr<X509>> MakeCertificate(
    X509_NAME* subject, EVP_PKEY* subject_key, X509* issuer,
    EVP_PKEY* issuer_key, base::Time not_before, base::Time not_after,
    std::initializer_list<Extension> extensions) {
  ::ERR_clear_error();
  OsslPtr<X509> cert(::X509_new());
  if (!cert) return internal::InternalError("タイムスタンプ局の証明書: 証明書を作成できません");
  ASSIGN_OR_RETURN(OsslPtr<ASN1_INTEGER> serial, internal::RandomSerial128());
  if (::X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      ::X509_set_serialNumber(cert.get(), serial.get()) != 1 ||
      ::X509_set_subject_name(cert.get(), subject) != 1 ||
      ::X509_set_issuer_name(
          cert.get(), issuer ? ::X509_get_subject_name(issuer) : subject) !=
          1 ||
      ::ASN1_TIME_set(::X509_getm_notBefore(cert.get()), ToTimeT(not_before)) ==
          nullptr ||
      ::ASN1_TIME_set(::X509_getm_notAfter(cert.get()), ToTimeT(not_after)) ==
          nullptr ||
      ::X509_set_pubkey(cert.get(), subject_key) != 1) {
    return internal::InternalError("タイムスタンプ局の証明書: 証明書の項目を設定できません");
  }
  X509V3_CTX ctx;
  ::X509V3_set_ctx(&ctx, issuer ? issuer : cert.get(), cert.get(), nullptr,
                   nullptr, 0);
  for (const Extension& e : extensions) {
    OsslPtr<X509_EXTENSION> ext(
        ::X509V3_EXT_conf_nid(nullptr, &ctx, e.nid, e.value));
    if (!ext || ::X509_add_ext(cert.get(), ext.get(), -1) != 1) {
      return internal::InternalError(std::string("タイムスタンプ局の証明書: 拡張 ") +
                                     ::OBJ_nid2sn(e.nid) + "=" + e.value + " を追加できません");
    }
  }
  if (::X509_sign(cert.get(), issuer_key, ::EVP_sha256()) <= 0) {
    return internal::InternalError("タイムスタンプ局の証明書: 証明書に署名できません");
  }
  return cert;
}

base::Status CheckOptions(const TsaIdentityOptions& o) {
  if (o.organization.empty() || o.ca_common_name.empty() ||
      o.tsa_common_name.empty()) {
    return base::Status::InvalidArgument(
        "タイムスタンプ局の証明書: 組織名と共通名 (CN) は空にできません");
  }
  if (o.tsa_validity_years <= 0 || o.ca_validity_years < o.tsa_validity_years) {
    return base::Status::InvalidArgument(
        "タイムスタンプ局の証明書: 有効期間は正の年数で、ルート CA の有効期間はタイムスタンプ局の"
        "証明書以上にしてください");
  }
  return base::Status::OK();
}

// Issues the TSA key and certificate under (ca_key, ca_cert) into *id.
// With token_key the certificate is for that key (held in a PKCS#11
// token) and id->tsa_key_pem stays empty; else a fresh software key.
base::Status IssueTsa(EVP_PKEY* ca_key, X509* ca_cert,
                      const TsaIdentityOptions& o, TsaIdentity* id,
                      EVP_PKEY* token_key = nullptr) {
  base::Time not_after = AddYears(o.not_before, o.tsa_validity_years);
  time_t end = ToTimeT(not_after);
  if (::X509_cmp_time(::X509_get0_notAfter(ca_cert), &end) != 1) {
    struct tm ca_end {};
    if (!o.clamp_to_ca || ::ASN1_TIME_to_tm(::X509_get0_notAfter(ca_cert), &ca_end) != 1) {
      return base::Status::InvalidArgument(
          "タイムスタンプ局の証明書: ルート CA の有効期限がタイムスタンプ局の証明書より先に切れます");
    }
    not_after = base::Time(std::chrono::seconds(::timegm(&ca_end)));
    if (not_after <= o.not_before) {
      return base::Status::InvalidArgument(
          "タイムスタンプ局の証明書: ルート CA の有効期限が切れています");
    }
  }
  OsslPtr<EVP_PKEY> key;
  if (token_key != nullptr) {
    ::EVP_PKEY_up_ref(token_key);
    key.reset(token_key);
  } else {
    ASSIGN_OR_RETURN(key, NewP256Key());
  }
  ASSIGN_OR_RETURN(OsslPtr<X509_NAME> name,
                   MakeName(o.organization, o.tsa_common_name));
  ASSIGN_OR_RETURN(
      OsslPtr<X509> cert,
      MakeCertificate(name.get(), key.get(), ca_cert, ca_key, o.not_before,
                      not_after,
                      {{NID_basic_constraints, "critical,CA:FALSE"},
                       {NID_key_usage, "critical,digitalSignature"},
                       {NID_ext_key_usage, "critical,timeStamping"},
                       {NID_subject_key_identifier, "hash"},
                       {NID_authority_key_identifier, "keyid:always"}}));
  if (token_key == nullptr) {
    ASSIGN_OR_RETURN(id->tsa_key_pem, internal::PrivateKeyToPem(key.get()));
  }
  ASSIGN_OR_RETURN(id->tsa_cert_pem, internal::CertificateToPem(cert.get()));
  return base::Status::OK();
}

}  // namespace

base::Result<TsaIdentity> GenerateTsaIdentity(
    const TsaIdentityOptions& options) {
  RETURN_IF_ERROR(CheckOptions(options));
  ASSIGN_OR_RETURN(OsslPtr<EVP_PKEY> ca_key, NewP256Key());
  ASSIGN_OR_RETURN(TsaIdentity id, internal::IssueTsaIdentity(ca_key.get(), nullptr, options));
  ASSIGN_OR_RETURN(id.ca_key_pem, internal::PrivateKeyToPem(ca_key.get()));
  return id;
}

base::Result<TsaIdentity> internal::IssueTsaIdentity(EVP_PKEY* ca_key, EVP_PKEY* tsa_key,
                                                     const TsaIdentityOptions& options) {
  RETURN_IF_ERROR(CheckOptions(options));
  ASSIGN_OR_RETURN(OsslPtr<X509_NAME> ca_name,
                   MakeName(options.organization, options.ca_common_name));
  ASSIGN_OR_RETURN(
      OsslPtr<X509> ca_cert,
      MakeCertificate(ca_name.get(), ca_key, nullptr, ca_key,
                      options.not_before,
                      AddYears(options.not_before, options.ca_validity_years),
                      {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
                       {NID_key_usage, "critical,keyCertSign,cRLSign"},
                       {NID_subject_key_identifier, "hash"}}));
  TsaIdentity id;
  ASSIGN_OR_RETURN(id.ca_cert_pem, internal::CertificateToPem(ca_cert.get()));
  RETURN_IF_ERROR(IssueTsa(ca_key, ca_cert.get(), options, &id, tsa_key));
  return id;
}

base::Result<TsaIdentity> RenewTsaIdentity(const std::string& ca_key_pem,
                                           const std::string& ca_cert_pem,
                                           const TsaIdentityOptions& options) {
  RETURN_IF_ERROR(CheckOptions(options));
  ASSIGN_OR_RETURN(OsslPtr<EVP_PKEY> ca_key,
                   internal::PrivateKeyFromPem(ca_key_pem));
  ASSIGN_OR_RETURN(OsslPtr<X509> ca_cert,
                   internal::CertificateFromPem(ca_cert_pem));
  ::ERR_clear_error();
  if (::X509_check_private_key(ca_cert.get(), ca_key.get()) != 1) {
    ::ERR_clear_error();
    return base::Status::InvalidArgument(
        "タイムスタンプ局の証明書: ルート CA の秘密鍵が CA 証明書と対になっていません");
  }
  TsaIdentity id;
  id.ca_key_pem = ca_key_pem;
  id.ca_cert_pem = ca_cert_pem;
  RETURN_IF_ERROR(IssueTsa(ca_key.get(), ca_cert.get(), options, &id));
  return id;
}

}  // namespace signing
