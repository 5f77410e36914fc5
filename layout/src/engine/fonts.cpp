// What each text role of a style asks for and the faces the shaper gives it
// (`galley fonts`): found by shaping a Han and a Latin sample, as a
// document in the style's language would be.
#include <pango/pango.h>

#include <algorithm>
#include <sstream>

#include "common/language.h"
#include "galley/engine.h"
#include "style/cascade.h"
#include "text/font_context.h"
#include "text/font_table.h"
#include "text/shaped.h"

namespace galley {

namespace {

std::string request(const TextRole& role) {
    std::ostringstream out;
    out.imbue(std::locale::classic());
    const char* sep = "";
    for (const std::string& f : role.font) out << sep << f, sep = ", ";
    out << " " << role.size << " pt" << (role.bold ? " bold" : "") << (role.italic ? " italic" : "");
    return out.str();
}

// The faces the sample's characters are set in, in order, each once.
std::string faces(const std::string& sample, const TextRole& role, const std::string& lang, FontContext& fonts,
                  PangoContext* ctx) {
    FontTable table;
    int calls = 0;
    ShapedParagraph shaped = shape_paragraph(style_text(sample, role, lang, {}), fonts, ctx, table, calls);
    std::string out;
    std::vector<int> seen;
    for (const ShapedRun& run : shaped.runs) {
        if (std::find(seen.begin(), seen.end(), run.font) != seen.end()) continue;
        seen.push_back(run.font);
        const FontFace& f = table.faces[static_cast<size_t>(run.font)];
        out += (out.empty() ? "" : "; ") + f.name + " (" + f.file + ")";
    }
    return out;
}

}  // namespace

std::vector<RoleFonts> role_fonts(const Style& base, FontContext& fonts, Diagnostics& diags) {
    add_font_dirs(fonts, base.font_dirs);
    check_fonts(base, fonts, diags);
    Style style = style_for_language(base, base.lang);
    PangoContext* ctx = new_pango_context(fonts);
    std::vector<RoleFonts> out;
    for (auto& [name, role] : text_roles(style))
        out.push_back({name, request(*role), faces("中文汉字", *role, style.lang, fonts, ctx),
                       faces("Latin", *role, style.lang, fonts, ctx)});
    g_object_unref(ctx);
    return out;
}

}  // namespace galley
