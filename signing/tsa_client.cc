#include "signing/tsa_client.h"

#include <utility>

#include <openssl/ts.h>

#include "signing/internal/openssl_util.h"
#include "signing/internal/ts_util.h"

namespace signing {

namespace {
constexpr char kQueryContentType[] = "application/timestamp-query";
}  // namespace

TsaClient::TsaClient(TsaTransport* transport, TsaClientOptions options)
    : transport_(transport), options_(std::move(options)) {}

base::Result<VerifiedTimestamp> TsaClient::Timestamp(const Digest& digest,
                                                     base::Time now) const {
  const std::string context = "タイムスタンプ局 " + options_.url;
  ASSIGN_OR_RETURN(const uint64_t nonce, internal::RandomNonce());
  ASSIGN_OR_RETURN(
      internal::OsslPtr<TS_REQ> req,
      internal::BuildTsRequest(digest, nonce, options_.policy_oid));
  const std::string query = internal::ToDer(req.get(), ::i2d_TS_REQ);
  if (query.empty()) {
    return internal::InternalError(context + ": タイムスタンプ要求を DER に符号化できません");
  }

  base::Result<std::string> reply =
      transport_->Post(options_.url, kQueryContentType, query);
  if (!reply.ok()) return reply.status().WithContext(context);

  TimestampVerifyOptions verify;
  verify.expected_nonce = nonce;
  verify.validation_time = now;
  base::Result<TimestampInfo> info =
      VerifyTimestampResponse(*reply, digest, options_.trusted_pem, verify);
  if (!info.ok()) {
    if (info.status().code() == base::Status::Code::kFailedPrecondition) {
      // The TSA answered, but refused: a peer problem, worth a retry later.
      return base::Status::Unavailable(context + ": " +
                                       info.status().message());
    }
    return info.status().WithContext(context);
  }
  if (!options_.policy_oid.empty() && info->policy_oid != options_.policy_oid) {
    return base::Status::Corruption(context + ": トークンのポリシー " + info->policy_oid +
                                    " が要求したポリシー " + options_.policy_oid +
                                    " と一致しません");
  }
  if (options_.max_clock_skew) {
    const auto skew =
        info->gen_time > now ? info->gen_time - now : now - info->gen_time;
    if (skew > *options_.max_clock_skew) {
      return base::Status::FailedPrecondition(
          context + ": タイムスタンプの時刻 " + base::FormatRfc3339(info->gen_time) +
          " がこのサーバーの時計 " + base::FormatRfc3339(now) + " と " +
          std::to_string(options_.max_clock_skew->count() / 1000000) +
          " 秒を超えてずれています（サーバーの時計を確認してください）");
    }
  }
  VerifiedTimestamp out;
  out.response_der = std::move(reply).value();
  out.info = std::move(info).value();
  return out;
}

}  // namespace signing
