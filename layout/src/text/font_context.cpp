#include "text/font_context.h"

#include "common/files.h"
#include "common/language.h"
#include "common/strings.h"
#include "render/cairo_fonts.h"

#include <pango/pangoft2.h>

#include <algorithm>
#include <filesystem>
#include <optional>

namespace galley {

FontContext::~FontContext() {
    for (auto& [lang, dict] : hyphen) hnj_hyphen_free(dict);
    if (font_map) g_object_unref(font_map);
    if (config) FcConfigDestroy(config);
}

static Diagnostic font_error(const std::string& file, const std::string& message) {
    return Diagnostic{Severity::Error, SourcePos{file, 0, 0}, message};
}

FcConfig* load_font_config(const std::string& conf) {
    std::string why;
    std::optional<std::string> text = read_file(conf, &why);
    if (!text) throw Failure(font_error(conf, "cannot read the font configuration: " + why));
    const std::string escaped = xml_escape(std::filesystem::absolute(conf).parent_path().string());
    const std::string marker = "@GALLEY_DATA@";
    for (size_t at = text->find(marker); at != std::string::npos; at = text->find(marker, at + escaped.size()))
        text->replace(at, marker.size(), escaped);
    FcConfig* config = FcConfigCreate();
    if (!FcConfigParseAndLoadFromMemory(config, reinterpret_cast<const FcChar8*>(text->c_str()), FcTrue)) {
        FcConfigDestroy(config);
        throw Failure(font_error(conf, "cannot read the font configuration"));
    }
    return config;
}

void FontContextDeleter::operator()(FontContext* fonts) const { delete fonts; }

FontContextPtr make_font_context(const FontOptions& options) {
    std::string conf = options.fonts_conf.empty() ? data_dir() + "/fonts.conf" : options.fonts_conf;
    if (!std::filesystem::exists(conf))
        throw Failure(font_error(conf, "font configuration not found (build the project first)"));
    for (const std::string& dir : options.font_dirs)
        if (!std::filesystem::is_directory(dir))
            throw Failure(font_error(dir, "font folder not found (--font-path names a folder of TTF, OTF or TTC files)"));
    FontContextPtr fonts(new FontContext);
    fonts->config = load_font_config(conf);
    if (!FcConfigBuildFonts(fonts->config))
        throw Failure(font_error(conf, "fontconfig could not build its font list"));
    // The user's folders (--font-path) join the configuration's fonts.
    for (const std::string& dir : options.font_dirs) {
        if (!FcConfigAppFontAddDir(fonts->config, reinterpret_cast<const FcChar8*>(dir.c_str())))
            throw Failure(font_error(dir, "fontconfig cannot read the font folder"));
        fonts->font_dirs.insert(dir);
    }
    // Without this Pango would still read all of /etc/fonts.
    FcConfigSetCurrent(fonts->config);
    // PangoFT2, not pango-cairo: shaping needs no painter, and a process
    // that writes its PDF itself then never loads Cairo's font machinery.
    fonts->font_map = pango_ft2_font_map_new();
    fonts->paint_faces = std::make_shared<PaintFaces>();
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fonts->font_map), fonts->config);
    pango_ft2_font_map_set_resolution(PANGO_FT2_FONT_MAP(fonts->font_map), 72.0, 72.0);
    // Unhinted outlines and metrics: advances are the font's own, at any size.
    pango_fc_font_map_set_default_substitute(
        PANGO_FC_FONT_MAP(fonts->font_map),
        [](FcPattern* pattern, gpointer) {
            FcPatternDel(pattern, FC_HINTING);
            FcPatternAddBool(pattern, FC_HINTING, FcFalse);
            FcPatternDel(pattern, FC_HINT_STYLE);
            FcPatternAddInteger(pattern, FC_HINT_STYLE, FC_HINT_NONE);
        },
        nullptr, nullptr);

    // en-US is the only dictionary the Debian set-up installs; others are
    // used when present.
    for (auto [lang, file] : {std::pair{"en", "hyph_en_US.dic"}, {"de", "hyph_de_DE.dic"},
                              {"fr", "hyph_fr.dic"}}) {
        std::string path = options.hyphen_dir + "/" + file;
        if (std::filesystem::exists(path)) fonts->hyphen_files[lang] = path;
    }
    if (!fonts->hyphen_files.count("en"))
        throw Failure(font_error(options.hyphen_dir + "/hyph_en_US.dic",
                                 "hyphenation dictionary missing (install hyphen-en-us)"));
    return fonts;
}

namespace {

bool installed(FcConfig* config, const std::string& family) {
    FcPattern* pattern = FcPatternCreate();
    FcPatternAddString(pattern, FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
    FcObjectSet* os = FcObjectSetBuild(FC_FAMILY, nullptr);
    FcFontSet* found = FcFontList(config, pattern, os);
    const bool yes = found && found->nfont > 0;
    if (found) FcFontSetDestroy(found);
    FcObjectSetDestroy(os);
    FcPatternDestroy(pattern);
    return yes;
}

// "'Galley Kai SC' (GalleyKaiSC-Regular.ttf)": the face fontconfig gives
// for `family` and text in `lang` (as Pango asks it).
std::string face_of(FcConfig* config, const std::string& family, const std::string& lang) {
    FcPattern* pattern = FcPatternCreate();
    FcPatternAddString(pattern, FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
    FcPatternAddString(pattern, FC_LANG, reinterpret_cast<const FcChar8*>(lang.c_str()));
    FcConfigSubstitute(config, pattern, FcMatchPattern);
    FcDefaultSubstitute(pattern);
    FcResult result;
    FcPattern* match = FcFontMatch(config, pattern, &result);
    std::string out = "'" + family + "'";
    FcChar8 *name = nullptr, *file = nullptr;
    if (match && FcPatternGetString(match, FC_FAMILY, 0, &name) == FcResultMatch &&
        FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch)
        out = "'" + std::string(reinterpret_cast<const char*>(name)) + "' (" +
              std::filesystem::path(reinterpret_cast<const char*>(file)).filename().string() + ")";
    if (match) FcPatternDestroy(match);
    FcPatternDestroy(pattern);
    return out;
}

}  // namespace

void check_fonts(const Style& style, FontContext& fonts, Diagnostics& diags) {
    std::lock_guard lock(fonts.shaping);
    for (const Style::NamedFont& named : style.named_fonts) {
        if (installed(fonts.config, named.family)) continue;
        const std::string lang = is_cjk_lang(style.lang) ? "zh-cn" : "en";
        std::string instead;
        for (const std::string& next : named.then)
            if (installed(fonts.config, next)) {
                instead = face_of(fonts.config, next, lang);
                break;
            }
        if (instead.empty()) instead = face_of(fonts.config, named.family, lang) + ", fontconfig's nearest,";
        warning(diags, named.pos, "font '" + named.family + "' is not installed; " + instead + " is used instead");
    }
}

void add_font_dirs(FontContext& fonts, const std::vector<std::string>& dirs) {
    std::lock_guard lock(fonts.shaping);
    bool added = false;
    for (const std::string& dir : dirs) {
        if (!fonts.font_dirs.insert(dir).second) continue;
        FcConfigAppFontAddDir(fonts.config, reinterpret_cast<const FcChar8*>(dir.c_str()));
        added = true;
    }
    if (added) pango_fc_font_map_config_changed(PANGO_FC_FONT_MAP(fonts.font_map));
}

std::vector<std::string> font_files(FontContext& fonts) {
    std::lock_guard lock(fonts.shaping);
    std::vector<std::string> out;
    for (FcSetName which : {FcSetSystem, FcSetApplication}) {
        FcFontSet* set = FcConfigGetFonts(fonts.config, which);
        for (int i = 0; set && i < set->nfont; ++i) {
            FcChar8* file = nullptr;
            if (FcPatternGetString(set->fonts[i], FC_FILE, 0, &file) != FcResultMatch) continue;
            out.push_back(reinterpret_cast<const char*>(file));
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

PangoContext* new_pango_context(FontContext& fonts) {
    PangoContext* ctx = pango_font_map_create_context(fonts.font_map);
    pango_context_set_round_glyph_positions(ctx, FALSE);
    return ctx;
}

HyphenDict* hyphen_dict(FontContext& fonts, const std::string& lang) {
    const std::string prefix = lang.substr(0, lang.find('-'));
    std::lock_guard lock(fonts.hyphen_lock);
    if (auto it = fonts.hyphen.find(prefix); it != fonts.hyphen.end()) return it->second;
    auto file = fonts.hyphen_files.find(prefix);
    if (file == fonts.hyphen_files.end()) return nullptr;
    HyphenDict* dict = hnj_hyphen_load(file->second.c_str());
    if (!dict)
        throw Failure(font_error(file->second, "cannot read the hyphenation dictionary"));
    fonts.hyphen[prefix] = dict;
    return dict;
}

}  // namespace galley
