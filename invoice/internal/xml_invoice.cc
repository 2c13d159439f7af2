#include "invoice/internal/xml_invoice.h"

#include <string>

#include "base/text.h"
#include "invoice/internal/checks.h"
#include "invoice/internal/cii_reader.h"
#include "invoice/internal/formats.h"
#include "invoice/internal/text_util.h"
#include "invoice/internal/ubl_reader.h"
#include "invoice/internal/xml_doc.h"
#include "invoice/internal/xml_nav.h"
#include "invoice/warning_codes.h"

namespace invoice::internal {
namespace {

void WarnParseFailure(const XmlParseResult& r, const ReadLimits& limits, const Deadline& deadline,
                      WarningList* w) {
  switch (r.error) {
    case XmlParseError::kNone:
      break;
    case XmlParseError::kMalformed: {
      std::string where = r.line > 0 ? std::to_string(r.line) + " 行目: " : "";
      w->Add(warning_code::kXmlMalformed, "XML の構文が正しくないため読み取れません（" + where +
                                              base::PrintableText(r.detail, 200) + "）");
      break;
    }
    case XmlParseError::kDoctypeForbidden:
      w->Add(warning_code::kXmlDoctypeForbidden,
             "XML に DOCTYPE のエンティティ宣言または外部 DTD の参照が含まれているため、"
             "安全のため読み取りません");
      break;
    case XmlParseError::kTooDeep:
      w->Add(warning_code::kXmlTooDeep, "XML の入れ子が深すぎるため読み取りません（上限 " +
                                            std::to_string(limits.max_xml_depth) + " 階層）");
      break;
    case XmlParseError::kTooManyNodes:
      w->Add(warning_code::kXmlTooManyNodes, "XML の要素が多すぎるため読み取りません（上限 " +
                                                 std::to_string(limits.max_xml_nodes) + "）");
      break;
    case XmlParseError::kTooLarge:
      w->Add(warning_code::kInputTooLarge, "XML が大きすぎるため読み取りません");
      break;
    case XmlParseError::kTimeLimit:
      w->Add(warning_code::kTimeLimitExceeded, "読み取りが制限時間（" +
                                                   std::to_string(deadline.budget().count()) +
                                                   " ミリ秒）を超えたため中断しました");
      break;
  }
}

}  // namespace

XmlInvoice ReadXmlInvoice(std::string_view bytes, const ReadLimits& limits,
                          const Deadline& deadline, WarningList* warnings) {
  XmlInvoice out;
  const XmlParseResult parsed = ParseXmlSafely(bytes, limits, deadline);
  if (parsed.error != XmlParseError::kNone) {
    WarnParseFailure(parsed, limits, deadline, warnings);
    return out;
  }
  const xmlNode* root = ::xmlDocGetRootElement(parsed.doc.get());
  if (IsUblRoot(root)) {
    out.invoice = ReadUbl(root, warnings);
    out.invoice.fields.format = ClassifyUbl(out.invoice.fields.specification_id);
  } else if (const CiiVariant variant = CiiVariantOf(root); variant != CiiVariant::kNone) {
    out.invoice = ReadCii(root, warnings);
    out.invoice.fields.format =
        ClassifyCii(variant == CiiVariant::kZugferd1, out.invoice.fields.specification_id);
  } else {
    std::string ns(NamespaceOf(root));
    warnings->Add(warning_code::kXmlUnsupportedDocument,
                  "対応していない XML 文書です（ルート要素 " +
                      base::PrintableText(LocalNameOf(root), 64) +
                      (ns.empty() ? "" : "、名前空間 " + base::PrintableText(ns, 128)) + "）");
    return out;
  }
  out.ok = true;
  CheckInvoice(out.invoice, warnings);
  return out;
}

}  // namespace invoice::internal
