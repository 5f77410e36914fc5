// The CommonMark body of an article, flattened into Document::body.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "galley/document.h"
#include "model/source_map.h"

namespace galley::model {

// Parses map.text() from byte `body_offset` on and appends blocks to
// doc.body. Positions are reported in the whole file's coordinates.
void read_body(const SourceMap& map, std::size_t body_offset, Document& doc, Diagnostics& diags);

// A Chinese official document's 落款 at the body's end — one or two short
// issuer lines, then a date line (2024年3月5日, 二〇二四年三月五日), then
// notes wholly in （…） — moved from the body into doc.signature.
void find_signature(Document& doc);

// Decodes an HTML entity as md4c reports it ("&amp;", "&#8212;", "&#x4E2D;").
// Unknown named entities are returned unchanged.
std::string decode_entity(std::string_view entity);

}  // namespace galley::model
