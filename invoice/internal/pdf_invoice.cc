#include "invoice/internal/pdf_invoice.h"

#include <algorithm>
#include <string>

#include "invoice/internal/formats.h"
#include "invoice/internal/pdf_cross_check.h"
#include "invoice/internal/pdf_prescan.h"
#include "invoice/internal/pdf_reader.h"
#include "invoice/internal/text_util.h"
#include "invoice/internal/xml_invoice.h"
#include "invoice/internal/xmp.h"
#include "invoice/warning_codes.h"

namespace invoice::internal {
namespace {

constexpr char kEnterByHand[] = "取引年月日・金額・取引先を入力してください";

void WarnTimeLimit(const Deadline& deadline, WarningList* w) {
  w->Add(warning_code::kTimeLimitExceeded, "読み取りが制限時間（" +
                                               std::to_string(deadline.budget().count()) +
                                               " ミリ秒）を超えたため中断しました");
}

void WarnLoadFailure(const base::Status& s, const Deadline& deadline, WarningList* w) {
  switch (s.code()) {
    case base::Status::Code::kPermissionDenied:
      w->Add(warning_code::kPdfEncrypted,
             std::string("暗号化された PDF のため内容を読み取れません。") + kEnterByHand);
      break;
    case base::Status::Code::kResourceExhausted:
      if (deadline.Expired()) {
        WarnTimeLimit(deadline, w);
      } else {
        w->Add(
            warning_code::kPdfTooComplex,
            "PDF の構造が大きすぎるか複雑すぎるため読み取りを中止しました（" + s.message() + "）");
      }
      break;
    default:
      w->Add(warning_code::kPdfMalformed,
             "PDF を読み取れません。破損しているか途中で切れている可能性があります（" +
                 s.message() + "）");
      break;
  }
}

}  // namespace

void ReadPdfInvoice(std::string_view pdf, const ReadLimits& limits, const Deadline& deadline,
                    InvoiceFields* fields, WarningList* warnings) {
  fields->format = "pdf";
  fields->needs_metadata = true;

  const PdfPrescan prescan = PrescanPdf(pdf, limits, deadline);
  if (prescan.encrypted) {
    WarnLoadFailure(base::Status::PermissionDenied("PDF が暗号化されています"), deadline, warnings);
    return;
  }
  if (prescan.timed_out) {
    WarnTimeLimit(deadline, warnings);
    return;
  }
  if (prescan.too_complex) {
    warnings->Add(
        warning_code::kPdfTooComplex,
        "PDF の構造が大きすぎるか複雑すぎるため読み取りを中止しました（" + prescan.reason + "）");
    return;
  }

  const size_t budget =
      std::min(limits.max_pdf_decoded_bytes - prescan.decoded_bytes, limits.max_bytes);
  auto contents = ReadPdfContents(pdf, budget, deadline);
  if (!contents.ok()) {
    WarnLoadFailure(contents.status(), deadline, warnings);
    return;
  }
  fields->page_count = contents->page_count;
  fields->pdf_info = contents->info;

  if (!contents->invoice_xml) {
    warnings->Add(warning_code::kPdfNeedsMetadata,
                  std::string("PDF に請求書データ（XML）が添付されていません。") + kEnterByHand);
    return;
  }
  const PdfAttachment& attachment = *contents->invoice_xml;
  const std::string name = TruncateUtf8(attachment.name, 128);
  if (!attachment.status.ok()) {
    warnings->Add(warning_code::kPdfAttachmentUnreadable,
                  "PDF に添付された " + name + " を取り出せません（" + attachment.status.message() +
                      "）。" + kEnterByHand);
    return;
  }
  WarningList xml_warnings;
  XmlInvoice xml = ReadXmlInvoice(attachment.data, limits, deadline, &xml_warnings);
  if (!xml.ok) {
    warnings->Add(
        warning_code::kPdfAttachmentUnreadable,
        "PDF に添付された " + name + " を請求書 XML として読み取れません。" + kEnterByHand);
    warnings->Append(xml_warnings.items());
    return;
  }
  const XmpInvoiceInfo xmp = ParseXmpInvoiceInfo(contents->xmp, limits, deadline);
  InvoiceFields read = std::move(xml.invoice.fields);
  read.format = ClassifyHybridPdf(attachment.name, read.format, xmp.schema_namespace);
  read.page_count = fields->page_count;
  read.pdf_info = std::move(fields->pdf_info);
  read.needs_metadata = false;
  *fields = std::move(read);
  warnings->Append(xml_warnings.items());
  CrossCheckPdfAndXml(fields->pdf_info, xmp, attachment.name, fields->invoice_number, warnings);
}

}  // namespace invoice::internal
