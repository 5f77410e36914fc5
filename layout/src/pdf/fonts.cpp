#include "pdf/fonts.h"

#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <tuple>

#include "galley/diagnostics.h"
#include "pdf/cff.h"
#include "render/cairo_fonts.h"

namespace galley::pdf {
namespace {

template <typename T, void (*Destroy)(T*)>
struct Owned {
    T* p;
    explicit Owned(T* p) : p(p) {}
    ~Owned() { Destroy(p); }
    Owned(const Owned&) = delete;
    Owned& operator=(const Owned&) = delete;
};
using Blob = Owned<hb_blob_t, hb_blob_destroy>;
using Face = Owned<hb_face_t, hb_face_destroy>;
using Font = Owned<hb_font_t, hb_font_destroy>;
using Input = Owned<hb_subset_input_t, hb_subset_input_destroy>;
using Plan = Owned<hb_subset_plan_t, hb_subset_plan_destroy>;

// What the pages show of one font file and face: its glyphs and the text
// each stands for (the first glyph of a cluster carries the cluster's text).
struct Use {
    std::string file;
    unsigned index = 0;
    std::map<uint32_t, std::string> text;
};

std::vector<Use> uses(const Layout& layout, std::vector<int>& of) {
    std::vector<Use> out;
    std::map<std::pair<std::string, unsigned>, int> seen;
    for (const FontFace& f : layout.fonts) {
        const auto key = std::make_pair(f.file, static_cast<unsigned>(f.index) & 0xFFFF);
        auto [it, fresh] = seen.emplace(key, static_cast<int>(out.size()));
        if (fresh) out.push_back({key.first, key.second, {}});
        of.push_back(it->second);
    }
    for (const Frame& page : layout.pages)
        for (const FrameItem& item : page.items) {
            const auto* run = std::get_if<GlyphRun>(&item);
            if (!run || run->font < 0 || run->font >= static_cast<int>(of.size())) continue;
            Use& use = out[static_cast<size_t>(of[static_cast<size_t>(run->font)])];
            for (size_t g = 0; g < run->glyphs.size(); ++g) {
                const Glyph& glyph = run->glyphs[g];
                if (!drawn_glyph(glyph.id)) continue;
                const bool first = g == 0 || run->glyphs[g - 1].cluster != glyph.cluster;
                size_t end = run->text.size();
                for (size_t n = g + 1; n < run->glyphs.size(); ++n)
                    if (run->glyphs[n].cluster != glyph.cluster) {
                        end = std::max<size_t>(run->glyphs[n].cluster, glyph.cluster);
                        break;
                    }
                std::string text = first && glyph.cluster <= run->text.size()
                                       ? run->text.substr(glyph.cluster, end - glyph.cluster)
                                       : "";
                auto [at, added] = use.text.emplace(glyph.id, text);
                if (!added && at->second.empty()) at->second = text;
            }
        }
    return out;
}

// Six capital letters from the glyph set: the subset's name prefix
// (PDF 9.6.4), the same for the same glyphs.
std::string subset_tag(const Use& use) {
    uint64_t h = 1469598103934665603ull;
    for (const auto& [gid, text] : use.text) h = (h ^ gid) * 1099511628211ull;
    std::string tag;
    for (int i = 0; i < 6; ++i, h /= 26) tag += static_cast<char>('A' + h % 26);
    return tag + "+";
}

std::string postscript_name(hb_face_t* face) {
    char buf[128];
    unsigned len = sizeof buf;
    if (hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &len, buf) == 0) return "Font";
    std::string out;
    for (char c : std::string(buf, len))
        if (c > 0x20 && c < 0x7F && c != '/' && c != '(' && c != ')' && c != '[' && c != ']' && c != '<' && c != '>' &&
            c != '{' && c != '}' && c != '%' && c != '#')
            out += c;
    return out.empty() ? "Font" : out;
}

// CID -> text, as a ToUnicode CMap (UTF-16BE). Consecutive CIDs within one
// block of 256 go in one bfrange with an array of their texts: the CIDs are
// numbered from 1, so the map is little more than its texts.
std::string to_unicode(const std::map<uint16_t, std::string>& text) {
    std::string ranges;
    int count = 0;
    std::string out =
        "/CIDInit/ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo<</Registry(Adobe)/Ordering(UCS)/Supplement 0>>def\n"
        "/CMapName/Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000><FFFF>\nendcodespacerange\n";
    auto flush = [&] {
        if (count == 0) return;
        out += std::to_string(count) + " beginbfrange\n" + ranges + "endbfrange\n";
        ranges.clear();
        count = 0;
    };
    for (auto it = text.begin(); it != text.end();) {
        if (it->second.empty()) {
            ++it;
            continue;
        }
        const uint16_t first = it->first;
        uint16_t last = first;
        std::string texts;
        for (; it != text.end() && !it->second.empty() && it->first == last + (texts.empty() ? 0 : 1) &&
               (it->first >> 8) == (first >> 8);
             ++it) {
            last = it->first;
            texts += "<" + utf16_hex(it->second) + ">";
        }
        ranges += "<" + hex4(first) + "><" + hex4(last) + ">[" + texts + "]\n";
        if (++count == 100) flush();
    }
    flush();
    return out + "endcmap\nCMapName currentdict/CMap defineresource pop\nend\nend\n";
}

// /W: runs of consecutive CIDs whose width is not the default 1000.
std::string widths(const std::map<uint16_t, double>& w) {
    std::string out = "[";
    int next = -2;
    for (const auto& [cid, width] : w) {
        if (std::abs(width - 1000) < 1e-9) continue;
        if (cid != next) out += (next >= 0 ? "]" : "") + std::to_string(cid) + "[";
        else out += " ";
        out += num(width, 1);
        next = cid + 1;
    }
    return out + (next >= 0 ? "]]" : "]");
}

// A font program for the PDF and the code each of the font file's glyphs
// has in it (a CID, or the glyph's number in a TrueType subset).
struct Program {
    std::string dict;  // the stream's entries: /Subtype or /Length1
    std::string data;
    bool cff = false;
    std::unordered_map<uint32_t, uint16_t> code;
};

// HarfBuzz's subset: TrueType fonts, and CFF ones cff_subset cannot read.
Program harfbuzz_subset(hb_face_t* face, const Use& use) {
    Program out;
    Input input(hb_subset_input_create_or_fail());
    if (!input.p) return out;
    hb_set_t* glyphs = hb_subset_input_glyph_set(input.p);
    hb_set_add(glyphs, 0);
    for (const auto& [gid, text] : use.text) hb_set_add(glyphs, gid);
    hb_set_clear(hb_subset_input_unicode_set(input.p));
    // The PDF shows glyphs by number: no layout tables, no hinting.
    hb_set_t* drop = hb_subset_input_set(input.p, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (const char* t : {"GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "DSIG", "vhea", "vmtx", "VORG", "kern"})
        hb_set_add(drop, hb_tag_from_string(t, -1));
    hb_subset_input_set_flags(input.p, HB_SUBSET_FLAGS_NO_HINTING | HB_SUBSET_FLAGS_DESUBROUTINIZE);
    Plan plan(hb_subset_plan_create_or_fail(face, input.p));
    if (!plan.p) return out;
    const hb_map_t* map = hb_subset_plan_old_to_new_glyph_mapping(plan.p);
    Face sub(hb_subset_plan_execute_or_fail(plan.p));
    if (!sub.p) return out;
    Blob cff(hb_face_reference_table(sub.p, HB_TAG('C', 'F', 'F', ' ')));
    unsigned length = 0;
    const char* data = hb_blob_get_data(cff.p, &length);
    out.cff = length > 0;
    // A CID-keyed CFF goes in bare, its glyphs shown by the CIDs HarfBuzz
    // keeps in its charset; anything else in its OpenType file.
    const std::vector<uint16_t> cids =
        out.cff ? cff_cids({data, length}) : std::vector<uint16_t>{};
    if (cids.empty()) {
        Blob bytes(hb_face_reference_blob(sub.p));
        data = hb_blob_get_data(bytes.p, &length);
        out.dict = out.cff ? "/Subtype/OpenType" : "/Length1 " + std::to_string(length);
        out.data.assign(data, length);  // before `bytes` lets go of it
    } else {
        out.dict = "/Subtype/CIDFontType0C";
        out.data.assign(data, length);
    }
    for (const auto& [gid, text] : use.text)
        if (hb_map_has(map, gid)) {
            const uint32_t g = hb_map_get(map, gid);
            out.code[gid] = static_cast<uint16_t>(cids.empty() ? g : cids[g]);
        }
    return out;
}

// A CFF font's glyphs by our own subsetter (pdf/cff.h), else HarfBuzz's.
Program subset(hb_face_t* face, const Use& use) {
    Blob cff(hb_face_reference_table(face, HB_TAG('C', 'F', 'F', ' ')));
    unsigned length = 0;
    const char* data = hb_blob_get_data(cff.p, &length);
    if (length == 0) return harfbuzz_subset(face, use);
    std::vector<uint32_t> glyphs{0};
    for (const auto& [gid, text] : use.text)
        if (gid != 0) glyphs.push_back(gid);
    Program out;
    out.data = cff_subset({data, length}, glyphs);
    if (out.data.empty()) return harfbuzz_subset(face, use);
    out.dict = "/Subtype/CIDFontType0C";
    out.cff = true;
    for (size_t i = 0; i < glyphs.size(); ++i)
        if (use.text.count(glyphs[i])) out.code[glyphs[i]] = static_cast<uint16_t>(i);
    return out;
}

Failure font_failure(const std::string& file, const std::string& what) {
    return Failure({Severity::Error, {file, 0, 0}, what});
}

// One font file's subset as a Type 0 font with its CIDFont, descriptor,
// font program and ToUnicode map.
EmbeddedFont write_font(File& file, const Use& use, PaintFaces& faces) {
    Face face(faces.subset_face(use.file, use.index));
    if (!face.p) throw font_failure(use.file, "cannot read the font file to embed it");
    Program program = subset(face.p, use);
    if (program.data.empty()) throw font_failure(use.file, "cannot subset the font to embed it");
    EmbeddedFont out;
    out.cid = std::move(program.code);

    Font font(hb_font_create(face.p));
    const double upem = hb_face_get_upem(face.p);
    std::map<uint16_t, double> w;
    std::map<uint16_t, std::string> text;
    for (const auto& [gid, c] : out.cid) {
        const double em = hb_font_get_glyph_h_advance(font.p, gid) * 1000.0 / upem;
        w[c] = out.width[gid] = em;
        text[c] = use.text.at(gid);
    }
    hb_position_t ascent = 0, descent = 0, cap = 0;
    hb_ot_metrics_get_position(font.p, HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &ascent);
    hb_ot_metrics_get_position(font.p, HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &descent);
    if (!hb_ot_metrics_get_position(font.p, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap)) cap = ascent;
    hb_glyph_extents_t box{0, 0, 0, 0};
    hb_font_get_glyph_extents(font.p, 0, &box);  // .notdef: a bounding box at least as tall as the em
    const auto scaled = [&](double v) { return num(v * 1000.0 / upem, 0); };

    const std::string base = subset_tag(use) + postscript_name(face.p);
    const bool cff = program.cff;
    out.object = file.reserve();
    const int cidfont = file.reserve(), descriptor = file.reserve(), stream = file.reserve(),
              unicode = file.reserve();
    file.set(out.object, "<</Type/Font/Subtype/Type0/BaseFont/" + base + "/Encoding/Identity-H/DescendantFonts[" +
                             std::to_string(cidfont) + " 0 R]/ToUnicode " + std::to_string(unicode) + " 0 R>>");
    file.set(cidfont, std::string("<</Type/Font/Subtype/") + (cff ? "CIDFontType0" : "CIDFontType2") +
                          "/BaseFont/" + base +
                          "/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>/FontDescriptor " +
                          std::to_string(descriptor) + " 0 R/DW 1000/W " + widths(w) +
                          (cff ? "" : "/CIDToGIDMap/Identity") + ">>");
    file.set(descriptor, "<</Type/FontDescriptor/FontName/" + base + "/Flags 4/FontBBox[" + scaled(box.x_bearing) +
                             " " + scaled(std::min(descent, box.y_bearing + box.height)) + " " +
                             scaled(std::max<double>(box.x_bearing + box.width, upem)) + " " +
                             scaled(std::max(ascent, box.y_bearing)) + "]/ItalicAngle 0/Ascent " + scaled(ascent) +
                             "/Descent " + scaled(descent) + "/CapHeight " + scaled(cap) + "/StemV 80" +
                             (cff ? "/FontFile3 " : "/FontFile2 ") + std::to_string(stream) + " 0 R>>");
    file.set_stream(stream, program.dict, program.data);
    file.set_stream(unicode, "", to_unicode(text));
    return out;
}

}  // namespace

EmbeddedFonts embed_fonts(File& file, const Layout& layout) {
    EmbeddedFonts out;
    std::shared_ptr<PaintFaces> faces = layout.faces ? layout.faces : std::make_shared<PaintFaces>();
    for (const Use& use : uses(layout, out.of)) {
        if (use.text.empty()) {
            out.fonts.emplace_back();  // named by the layout, shown on no page
            continue;
        }
        out.fonts.push_back(write_font(file, use, *faces));
    }
    return out;
}

}  // namespace galley::pdf
