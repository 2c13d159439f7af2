#include "signing/internal/ts_util.h"

#include <chrono>
#include <cstring>

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/rand.h>

#include "base/text.h"

namespace signing::internal {

base::Result<OsslPtr<TS_REQ>> BuildTsRequest(const Digest& imprint,
                                             std::optional<uint64_t> nonce,
                                             const std::string& policy_oid) {
  ::ERR_clear_error();
  OsslPtr<TS_REQ> req(::TS_REQ_new());
  OsslPtr<TS_MSG_IMPRINT> msg(::TS_MSG_IMPRINT_new());
  OsslPtr<X509_ALGOR> alg(::X509_ALGOR_new());
  if (!req || !msg || !alg) return InternalError("タイムスタンプ要求: メモリが不足しています");
  // AlgorithmIdentifier sha256 with NULL parameters, as `openssl ts -query`
  // writes it.
  if (::X509_ALGOR_set0(alg.get(), ::OBJ_nid2obj(NID_sha256), V_ASN1_NULL,
                        nullptr) != 1 ||
      ::TS_MSG_IMPRINT_set_algo(msg.get(), alg.get()) != 1 ||
      ::TS_MSG_IMPRINT_set_msg(msg.get(),
                               const_cast<unsigned char*>(imprint.bytes.data()),
                               static_cast<int>(imprint.bytes.size())) != 1 ||
      ::TS_REQ_set_version(req.get(), 1) != 1 ||
      ::TS_REQ_set_msg_imprint(req.get(), msg.get()) != 1 ||
      ::TS_REQ_set_cert_req(req.get(), 1) != 1) {
    return InternalError("タイムスタンプ要求を作成できません");
  }
  if (nonce) {
    OsslPtr<ASN1_INTEGER> n(::ASN1_INTEGER_new());
    if (!n || ::ASN1_INTEGER_set_uint64(n.get(), *nonce) != 1 ||
        ::TS_REQ_set_nonce(req.get(), n.get()) != 1) {
      return InternalError("タイムスタンプ要求: ナンス (nonce) を設定できません");
    }
  }
  if (!policy_oid.empty()) {
    OsslPtr<ASN1_OBJECT> oid(::OBJ_txt2obj(policy_oid.c_str(), /*no_name=*/1));
    if (!oid) {
      return base::Status::InvalidArgument("タイムスタンプ要求: ポリシー OID「" +
                                           base::PrintableText(policy_oid) +
                                           "」が正しくありません（例: 1.2.3.4.1）");
    }
    if (::TS_REQ_set_policy_id(req.get(), oid.get()) != 1) {
      return InternalError("タイムスタンプ要求: ポリシーを設定できません");
    }
  }
  return req;
}

namespace {

base::Status BadGenTime(const std::string& s) {
  return base::Status::Corruption("タイムスタンプの時刻 (genTime)「" + base::PrintableText(s) +
                                  "」の形式が正しくありません");
}

}  // namespace

base::Result<base::Time> GeneralizedTimeToTime(const ASN1_GENERALIZEDTIME* t) {
  if (t == nullptr || ::ASN1_STRING_type(t) != V_ASN1_GENERALIZEDTIME) {
    return base::Status::Corruption(
        "タイムスタンプの時刻 (genTime) が GeneralizedTime ではありません");
  }
  const std::string s(reinterpret_cast<const char*>(::ASN1_STRING_get0_data(t)),
                      static_cast<size_t>(::ASN1_STRING_length(t)));
  auto digits = [&s](size_t pos, size_t n, int* out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
  };
  int year, month, day, hour, minute, second;
  if (!digits(0, 4, &year) || !digits(4, 2, &month) || !digits(6, 2, &day) ||
      !digits(8, 2, &hour) || !digits(10, 2, &minute) ||
      !digits(12, 2, &second) || s.empty() || s.back() != 'Z') {
    return BadGenTime(s);
  }
  int64_t micros = 0;
  size_t pos = 14;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int scale = 100000;
    const size_t start = pos;
    for (; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos) {
      micros += (s[pos] - '0') * scale;
      scale /= 10;
    }
    if (pos == start) return BadGenTime(s);
  }
  if (pos + 1 != s.size()) return BadGenTime(s);
  namespace chr = std::chrono;
  const chr::year_month_day ymd{chr::year(year),
                                chr::month(static_cast<unsigned>(month)),
                                chr::day(static_cast<unsigned>(day))};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 59) {
    return base::Status::Corruption("タイムスタンプの時刻 (genTime)「" + base::PrintableText(s) +
                                    "」は存在しない日時です");
  }
  const chr::sys_days date(ymd);
  return base::Time(
      chr::duration_cast<chr::microseconds>(date.time_since_epoch()) +
      chr::hours(hour) + chr::minutes(minute) + chr::seconds(second) +
      chr::microseconds(micros));
}

base::Result<std::string> RandomBytes(size_t n) {
  std::string out(n, '\0');
  ::ERR_clear_error();
  if (::RAND_bytes(reinterpret_cast<unsigned char*>(out.data()),
                   static_cast<int>(n)) != 1) {
    return InternalError("乱数を生成できません");
  }
  return out;
}

base::Result<OsslPtr<ASN1_INTEGER>> RandomSerial128() {
  ASSIGN_OR_RETURN(std::string bytes, RandomBytes(16));
  bytes[0] = static_cast<char>(static_cast<unsigned char>(bytes[0]) | 0x80);
  OsslPtr<BIGNUM> bn(
      ::BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                  static_cast<int>(bytes.size()), nullptr));
  if (!bn) return InternalError("シリアル番号を作成できません");
  OsslPtr<ASN1_INTEGER> serial(::BN_to_ASN1_INTEGER(bn.get(), nullptr));
  if (!serial) return InternalError("シリアル番号を作成できません");
  return serial;
}

base::Result<uint64_t> RandomNonce() {
  ASSIGN_OR_RETURN(const std::string bytes, RandomBytes(8));
  uint64_t n = 0;
  std::memcpy(&n, bytes.data(), sizeof n);
  return n;
}

}  // namespace signing::internal
