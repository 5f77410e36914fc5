#include "text/font_table.h"

#include <pango/pangofc-font.h>

#include <cstdio>

namespace galley {

int intern_font(FontTable& table, PangoFont* font) {
    FontFace f;
    PangoFontDescription* d = pango_font_describe_with_absolute_size(font);
    char* s = pango_font_description_to_string(d);
    f.name = s;
    g_free(s);
    f.size = pango_font_description_get_size(d) / double(PANGO_SCALE);
    pango_font_description_free(d);
    if (PANGO_IS_FC_FONT(font)) {
        FcPattern* p = pango_fc_font_get_pattern(PANGO_FC_FONT(font));
        FcChar8* file = nullptr;
        if (FcPatternGetString(p, FC_FILE, 0, &file) == FcResultMatch) f.file = reinterpret_cast<char*>(file);
        FcPatternGetInteger(p, FC_INDEX, 0, &f.index);
        FcBool bold = FcFalse;
        if (FcPatternGetBool(p, FC_EMBOLDEN, 0, &bold) == FcResultMatch) f.embolden = bold;
        FcMatrix* m = nullptr;
        if (FcPatternGetMatrix(p, FC_MATRIX, 0, &m) == FcResultMatch && m) {
            f.matrix[0] = m->xx, f.matrix[1] = m->yx, f.matrix[2] = m->xy, f.matrix[3] = m->yy;
        }
    }
    char key[128];
    std::snprintf(key, sizeof key, "|%d|%.4f|%d|%.4f %.4f %.4f %.4f", f.index, f.size, f.embolden ? 1 : 0,
                  f.matrix[0], f.matrix[1], f.matrix[2], f.matrix[3]);
    std::string k = f.name + "|" + f.file + key;
    auto it = table.ids.find(k);
    if (it != table.ids.end()) return it->second;
    int id = static_cast<int>(table.faces.size());
    table.faces.push_back(std::move(f));
    table.ids.emplace(std::move(k), id);
    return id;
}

}  // namespace galley
