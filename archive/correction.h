// What a person may enter or correct in a document's metadata (the 電帳法
// search keys — 取引年月日, 取引金額, 取引先 — and the fields that identify an
// invoice), and what each value must look like. The front ends (`kura
// correct`, POST /api/v1/documents/{id}/corrections) turn a person's input
// into an invoice::FieldPatch with it before Archive::Correct records the
// patch; the archive itself records whatever patch an authorised caller
// sends.
#ifndef ARCHIVE_CORRECTION_H_
#define ARCHIVE_CORRECTION_H_

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "invoice/field_patch.h"

namespace archive {

/// The patch a person's changes ask for ({"field": value, ...}, as the API
/// body's "changes" or `kura correct --set field=value`), each value checked
/// and normalised: dates YYYY-MM-DD, amounts as plain decimals (grouping
/// commas and full-width digits accepted), registration numbers T + 13
/// digits with a valid check digit, needs_metadata a boolean ("true"/"false"
/// accepted), document_type invoice or credit_note, currency three capital
/// letters, names and numbers non-empty text of at most 200 characters. null
/// removes a field. InvalidArgument, in Japanese, naming the field, for
/// anything else (including a field that cannot be corrected, and no field
/// at all).
base::Result<invoice::FieldPatch> NormalizeCorrection(const nlohmann::json& changes);

}  // namespace archive

#endif  // ARCHIVE_CORRECTION_H_
