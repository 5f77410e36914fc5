#include "text/font_context.h"

#include "render/cairo_fonts.h"

#include <cairo.h>
#include <pango/pangofc-fontmap.h>

#include <algorithm>
#include <filesystem>

namespace galley {

FontContext::~FontContext() {
    for (auto& [lang, dict] : hyphen) hnj_hyphen_free(dict);
    if (font_map) g_object_unref(font_map);
    if (config) FcConfigDestroy(config);
}

static Diagnostic font_error(const std::string& file, const std::string& message) {
    return Diagnostic{Severity::Error, SourcePos{file, 0, 0}, message};
}

void FontContextDeleter::operator()(FontContext* fonts) const { delete fonts; }

FontContextPtr make_font_context(const FontOptions& options) {
    std::string conf = options.fonts_conf.empty() ? std::string(GALLEY_FONTS_CONF) : options.fonts_conf;
    if (!std::filesystem::exists(conf))
        throw Failure(font_error(conf, "font configuration not found (build the project first)"));
    FontContextPtr fonts(new FontContext);
    fonts->config = FcConfigCreate();
    if (!FcConfigParseAndLoad(fonts->config, reinterpret_cast<const FcChar8*>(conf.c_str()), FcTrue))
        throw Failure(font_error(conf, "cannot read the font configuration"));
    if (!FcConfigBuildFonts(fonts->config))
        throw Failure(font_error(conf, "fontconfig could not build its font list"));
    // Without this Pango would still read all of /etc/fonts.
    FcConfigSetCurrent(fonts->config);
    fonts->font_map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    fonts->paint_faces = std::make_shared<PaintFaces>();
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fonts->font_map), fonts->config);
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(fonts->font_map), 72.0);

    // en-US is the only dictionary the Debian set-up installs; others load
    // when present.
    for (auto [lang, file] : {std::pair{"en", "hyph_en_US.dic"}, {"de", "hyph_de_DE.dic"},
                              {"fr", "hyph_fr.dic"}}) {
        std::string path = options.hyphen_dir + "/" + file;
        if (!std::filesystem::exists(path)) continue;
        if (HyphenDict* d = hnj_hyphen_load(path.c_str())) fonts->hyphen[lang] = d;
    }
    if (!fonts->hyphen.count("en"))
        throw Failure(font_error(options.hyphen_dir + "/hyph_en_US.dic",
                                 "hyphenation dictionary missing (install hyphen-en-us)"));
    return fonts;
}

void check_fonts(const Style& style, FontContext& fonts, Diagnostics& diags) {
    std::lock_guard lock(fonts.shaping);
    for (const auto& [family, pos] : style.named_fonts) {
        FcPattern* pattern = FcPatternCreate();
        FcPatternAddString(pattern, FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
        FcObjectSet* os = FcObjectSetBuild(FC_FAMILY, nullptr);
        FcFontSet* found = FcFontList(fonts.config, pattern, os);
        if (!found || found->nfont == 0)
            warning(diags, pos, "font '" + family + "' is not installed; the next font in the list is used");
        if (found) FcFontSetDestroy(found);
        FcObjectSetDestroy(os);
        FcPatternDestroy(pattern);
    }
}

std::vector<std::string> font_files(FontContext& fonts) {
    std::lock_guard lock(fonts.shaping);
    std::vector<std::string> out;
    FcFontSet* set = FcConfigGetFonts(fonts.config, FcSetSystem);
    for (int i = 0; set && i < set->nfont; ++i) {
        FcChar8* file = nullptr;
        if (FcPatternGetString(set->fonts[i], FC_FILE, 0, &file) != FcResultMatch) continue;
        out.push_back(reinterpret_cast<const char*>(file));
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

PangoContext* new_pango_context(FontContext& fonts) {
    PangoContext* ctx = pango_font_map_create_context(fonts.font_map);
    pango_cairo_context_set_resolution(ctx, 72.0);
    cairo_font_options_t* fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(ctx, FALSE);
    return ctx;
}

HyphenDict* hyphen_dict(const FontContext& fonts, const std::string& lang) {
    std::string prefix = lang.substr(0, lang.find('-'));
    auto it = fonts.hyphen.find(prefix);
    return it == fonts.hyphen.end() ? nullptr : it->second;
}

}  // namespace galley
