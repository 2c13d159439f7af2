// JSON form of the reader's output, as stored in the catalog and returned by
// the API. Shape of FieldsToJson (absent optionals are null):
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
// value the document does not state is null.
//
// Thread safety: pure functions.
#ifndef INVOICE_FIELDS_JSON_H_
#define INVOICE_FIELDS_JSON_H_

#include <vector>

#include <nlohmann/json.hpp>

#include "invoice/invoice_reader.h"

namespace invoice {

/// The fields object described above.
nlohmann::json FieldsToJson(const InvoiceFields& fields);

/// [{"code": "...", "message": "..."}, ...] in order.
nlohmann::json WarningsToJson(const std::vector<Warning>& warnings);

/// {"fields": FieldsToJson(...), "warnings": WarningsToJson(...)}.
nlohmann::json ReadResultToJson(const ReadResult& result);

}  // namespace invoice

#endif  // INVOICE_FIELDS_JSON_H_
