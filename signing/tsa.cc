#include "signing/tsa.h"

#include <ctime>
#include <utility>

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>

#include "base/text.h"
#include "signing/internal/openssl_util.h"
#include "signing/internal/token_evp_key.h"
#include "signing/internal/ts_util.h"

namespace signing {

using internal::OsslPtr;

namespace {

// TS_RESP_CTX callback: a fresh random serial for each token.
ASN1_INTEGER* SerialCallback(TS_RESP_CTX* ctx, void* /*data*/) {
  base::Result<OsslPtr<ASN1_INTEGER>> serial = internal::RandomSerial128();
  if (!serial.ok()) {
    ::TS_RESP_CTX_set_status_info(ctx, TS_STATUS_REJECTION, "シリアル番号を生成できませんでした");
    ::TS_RESP_CTX_add_failure_info(ctx, TS_INFO_ADD_INFO_NOT_AVAILABLE);
    return nullptr;
  }
  return serial->release();
}

// TS_RESP_CTX callback: genTime is the injected instant, not the system
// clock OpenSSL would read by default.
int TimeCallback(TS_RESP_CTX* /*ctx*/, void* data, long* sec,
                 long* usec) {  // NOLINT(runtime/int)
  const int64_t micros =
      base::ToUnixMicros(*static_cast<const base::Time*>(data));
  int64_t s = micros / 1000000;
  int64_t us = micros % 1000000;
  if (us < 0) {
    us += 1000000;
    --s;
  }
  *sec = static_cast<long>(s);    // NOLINT(runtime/int)
  *usec = static_cast<long>(us);  // NOLINT(runtime/int)
  return 1;
}

time_t Seconds(base::Time t) {
  return static_cast<time_t>(
      std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count());
}

}  // namespace

struct Tsa::Impl {
  OsslPtr<EVP_PKEY> key;
  OsslPtr<X509> cert;
  OsslPtr<ASN1_OBJECT> policy;
  TsaOptions options;

  base::Status CheckValidity(base::Time now) const {
    time_t t = Seconds(now);
    if (::X509_cmp_time(::X509_get0_notBefore(cert.get()), &t) != -1 ||
        ::X509_cmp_time(::X509_get0_notAfter(cert.get()), &t) != 1) {
      return base::Status::FailedPrecondition(
          "内蔵タイムスタンプ局: 時刻 " + base::FormatRfc3339(now) +
          " が証明書の有効期間の外です（証明書が期限切れか、サーバーの時計が狂っています）");
    }
    return base::Status::OK();
  }

  // Runs OpenSSL's TSA on a DER request read from req_bio.
  base::Result<OsslPtr<TS_RESP>> Respond(BIO* req_bio, base::Time now) const {
    RETURN_IF_ERROR(CheckValidity(now));
    ::ERR_clear_error();
    OsslPtr<TS_RESP_CTX> ctx(::TS_RESP_CTX_new());
    if (!ctx || ::TS_RESP_CTX_set_signer_cert(ctx.get(), cert.get()) != 1 ||
        ::TS_RESP_CTX_set_signer_key(ctx.get(), key.get()) != 1 ||
        ::TS_RESP_CTX_set_signer_digest(ctx.get(), ::EVP_sha256()) != 1 ||
        ::TS_RESP_CTX_set_ess_cert_id_digest(ctx.get(), ::EVP_sha256()) != 1 ||
        ::TS_RESP_CTX_set_def_policy(ctx.get(), policy.get()) != 1 ||
        ::TS_RESP_CTX_add_md(ctx.get(), ::EVP_sha256()) != 1 ||
        ::TS_RESP_CTX_add_md(ctx.get(), ::EVP_sha384()) != 1 ||
        ::TS_RESP_CTX_add_md(ctx.get(), ::EVP_sha512()) != 1 ||
        ::TS_RESP_CTX_set_clock_precision_digits(ctx.get(), 6) != 1) {
      return internal::InternalError("内蔵タイムスタンプ局: 応答の準備ができません");
    }
    const int64_t acc = options.accuracy.count();
    if (acc > 0 &&
        ::TS_RESP_CTX_set_accuracy(ctx.get(), static_cast<int>(acc / 1000000),
                                   static_cast<int>(acc / 1000 % 1000),
                                   static_cast<int>(acc % 1000)) != 1) {
      return internal::InternalError("内蔵タイムスタンプ局: 精度 (accuracy) を設定できません");
    }
    ::TS_RESP_CTX_add_flags(ctx.get(), TS_TSA_NAME);
    ::TS_RESP_CTX_set_serial_cb(ctx.get(), &SerialCallback, nullptr);
    ::TS_RESP_CTX_set_time_cb(ctx.get(), &TimeCallback, &now);
    OsslPtr<TS_RESP> resp(::TS_RESP_create_response(ctx.get(), req_bio));
    if (!resp) return internal::InternalError("内蔵タイムスタンプ局: 応答を作成できません");
    ::ERR_clear_error();  // a rejection leaves the reason in the queue too
    return resp;
  }
};

Tsa::Tsa(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Tsa::~Tsa() = default;

base::Result<std::unique_ptr<Tsa>> Tsa::Create(std::string_view key_pem,
                                               std::string_view cert_pem,
                                               const TsaOptions& options) {
  auto impl = std::make_unique<Impl>();
  ASSIGN_OR_RETURN(impl->key, internal::PrivateKeyFromPem(key_pem));
  return Finish(std::move(impl), cert_pem, options);
}

base::Result<std::unique_ptr<Tsa>> Tsa::CreateWithToken(std::shared_ptr<Pkcs11Token> token,
                                                        const std::string& key_label,
                                                        std::string_view cert_pem,
                                                        const TsaOptions& options) {
  auto impl = std::make_unique<Impl>();
  ASSIGN_OR_RETURN(impl->key, internal::TokenP256Key(std::move(token), key_label));
  return Finish(std::move(impl), cert_pem, options);
}

// The checks and settings Create() and CreateWithToken() share, for a key
// already in impl.
base::Result<std::unique_ptr<Tsa>> Tsa::Finish(std::unique_ptr<Impl> impl,
                                               std::string_view cert_pem,
                                               const TsaOptions& options) {
  ASSIGN_OR_RETURN(impl->cert, internal::CertificateFromPem(cert_pem));
  ::ERR_clear_error();
  if (::X509_check_private_key(impl->cert.get(), impl->key.get()) != 1) {
    ::ERR_clear_error();
    return base::Status::InvalidArgument(
        "内蔵タイムスタンプ局: 秘密鍵が証明書と対になっていません");
  }
  if (::X509_check_purpose(impl->cert.get(), X509_PURPOSE_TIMESTAMP_SIGN, 0) !=
      1) {
    ::ERR_clear_error();
    return base::Status::InvalidArgument(
        "内蔵タイムスタンプ局: タイムスタンプ局の証明書ではありません（critical の拡張鍵用途 "
        "timeStamping だけを持つ証明書が必要です）");
  }
  impl->policy.reset(::OBJ_txt2obj(options.policy_oid.c_str(), /*no_name=*/1));
  if (!impl->policy) {
    ::ERR_clear_error();
    return base::Status::InvalidArgument("内蔵タイムスタンプ局: ポリシー OID「" +
                                         base::PrintableText(options.policy_oid) +
                                         "」が正しくありません（例: 1.2.3.4.1）");
  }
  if (options.accuracy.count() < 0) {
    return base::Status::InvalidArgument("内蔵タイムスタンプ局: 精度 (accuracy) が負の値です");
  }
  impl->options = options;
  return std::unique_ptr<Tsa>(new Tsa(std::move(impl)));
}

base::Result<std::string> Tsa::Timestamp(const Digest& imprint,
                                         std::optional<uint64_t> nonce,
                                         base::Time now,
                                         std::string* serial_hex) const {
  ASSIGN_OR_RETURN(OsslPtr<TS_REQ> req,
                   internal::BuildTsRequest(imprint, nonce));
  const std::string der = internal::ToDer(req.get(), ::i2d_TS_REQ);
  if (der.empty()) {
    return internal::InternalError("内蔵タイムスタンプ局: 要求を DER に符号化できません");
  }
  OsslPtr<BIO> bio = internal::MemBio(der);
  ASSIGN_OR_RETURN(OsslPtr<TS_RESP> resp, impl_->Respond(bio.get(), now));
  const long status =  // NOLINT(runtime/int)
      ::ASN1_INTEGER_get(
          ::TS_STATUS_INFO_get0_status(::TS_RESP_get_status_info(resp.get())));
  if (status != TS_STATUS_GRANTED) {
    return base::Status::Internal("内蔵タイムスタンプ局: 自分の要求が許可されませんでした（状態 " +
                                  std::to_string(status) + "）");
  }
  std::string out = internal::ToDer(resp.get(), ::i2d_TS_RESP);
  if (out.empty()) {
    return internal::InternalError("内蔵タイムスタンプ局: 応答を DER に符号化できません");
  }
  if (serial_hex != nullptr) {
    *serial_hex = internal::IntegerToHex(
        ::TS_TST_INFO_get_serial(::TS_RESP_get_tst_info(resp.get())));
  }
  return out;
}

base::Result<std::string> Tsa::Respond(std::string_view der_request,
                                       base::Time now) const {
  OsslPtr<BIO> bio = internal::MemBio(der_request);
  ASSIGN_OR_RETURN(OsslPtr<TS_RESP> resp, impl_->Respond(bio.get(), now));
  std::string out = internal::ToDer(resp.get(), ::i2d_TS_RESP);
  if (out.empty()) {
    return internal::InternalError("内蔵タイムスタンプ局: 応答を DER に符号化できません");
  }
  return out;
}

}  // namespace signing
