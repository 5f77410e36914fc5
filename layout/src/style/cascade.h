// style: resolve each piece of a document's text to a TextRole.
#pragma once
#include "galley/document.h"
#include "galley/style.h"
#include "style/styled.h"

namespace galley {

// The style with the document's language applied (Latin faces first for
// documents that are not Chinese).
Style style_for_language(const Style& style, const std::string& lang);

StyledParagraph style_text(const std::string& text, const TextRole& role, const std::string& lang,
                           const SourcePos& pos);
// The style stage: an article's text resolved against the style in its
// language.
StyledDocument style_document(const Document& doc, const Style& style, const std::string& lang);

StyledParagraph style_spans(const std::vector<Span>& spans, const TextRole& role, const Style& style,
                            const std::string& lang, const SourcePos& pos);

}  // namespace galley
