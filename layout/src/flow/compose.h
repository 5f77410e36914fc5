// compose: one paragraph through shape -> items -> linebreak -> set lines.
// Shaping and breaking are separate so a paragraph shaped once can be
// broken again at another measure.
#pragma once
#include <pango/pango.h>

#include <string>
#include <vector>

#include "galley/engine.h"
#include "text/items.h"

namespace galley {

struct ComposeContext {
    FontContext& fonts;
    PangoContext* pango;  // the document's context
    const Style& style;
    std::string lang;
    Diagnostics& diags;
    StageTimes& times;
};

struct ComposeOptions {
    double measure = 0;
    double indent = 0;  // first line
    Align align = Align::Justify;
    bool hyphenate = false;
};

ShapedParagraph shape(ComposeContext& cx, const StyledParagraph& para);
std::vector<SetLine> break_and_set(ComposeContext& cx, const ShapedParagraph& para, const ComposeOptions& options);
std::vector<SetLine> compose(ComposeContext& cx, const StyledParagraph& para, const ComposeOptions& options);

}  // namespace galley
