// The JSON form of InvoiceFields and of the readers' warnings: the one codec
// for a version's fields, as stored in the catalog, hashed into the event
// log and returned by the API. Shape of FieldsToJson for a reader's output
// (absent optionals are null):
//
//   {"format": "jp-pint", "document_type": "invoice",
//    "specification_id": "urn:peppol:pint:billing-1@jp-1",
//    "invoice_number": "156", "issue_date": "2023-10-24",
//    "due_date": "2023-11-20" | null, "currency": "JPY",
//    "total": "289490" | null, "tax_inclusive_total": "289490" | null,
//    "counterparty": "株式会社 〇〇商事",
//    "registration_number": "T1234567890123" | null,
//    "supplier_tax_ids": ["T1234567890123"], "buyer": "…" | null,
//    "tax_subtotals": [{"category": "S", "rate": "10",
//                       "taxable": "260000", "tax": "26000"}],
//    "bank_account": "…" | null, "line_descriptions": ["…"],
//    "needs_metadata": false, "page_count": 2 | null, "pdf_info": {…}}
//
// Amounts are exact decimal strings, never JSON numbers. Within a subtotal a
// value the document does not state is null. A member in
// InvoiceFields::absent is left out ("supplier_address" is, unless a
// correction set it); InvoiceFields::legacy_members are written as the text
// they hold.
//
// The codec is exact: for every fields object kura has written,
// FieldsToJson(FieldsFromJson(j)) == j, so base::DumpJson of the result is
// the stored bytes; and FieldsFromJson(FieldsToJson(f)) == f for every f
// whose absent members hold their absent values.
//
// Thread safety: pure functions.
#ifndef INVOICE_FIELDS_JSON_H_
#define INVOICE_FIELDS_JSON_H_

#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "invoice/invoice_fields.h"
#include "invoice/invoice_reader.h"

namespace invoice {

/// The fields object described above.
nlohmann::json FieldsToJson(const InvoiceFields& fields);

/// The inverse of FieldsToJson. Corruption naming the member ("fields.total:
/// ...") for a value of a type kura never wrote there: a non-object, a
/// number or object in a text member, null in a member that is never null,
/// a subtotal with other keys or an empty string, a non-integer page count,
/// a non-string list element or pdf_info value, or an unknown member that is
/// not text.
base::Result<InvoiceFields> FieldsFromJson(const nlohmann::json& j);

/// [{"code": "...", "message": "..."}, ...] in order.
nlohmann::json WarningsToJson(const std::vector<Warning>& warnings);

/// The inverse of WarningsToJson. Corruption naming the element
/// ("warnings[2]: ...") unless j is an array of objects holding exactly a
/// string "code" and a string "message".
base::Result<std::vector<Warning>> WarningsFromJson(const nlohmann::json& j);

/// {"fields": FieldsToJson(...), "warnings": WarningsToJson(...)}.
nlohmann::json ReadResultToJson(const ReadResult& result);

}  // namespace invoice

#endif  // INVOICE_FIELDS_JSON_H_
