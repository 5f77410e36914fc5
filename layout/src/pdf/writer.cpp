// The one-pass PDF painter: pages written as content streams straight
// from the frames, fonts subset once for the document (pdf/fonts.h),
// pictures passed through (JPEG) or deflated once.
#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>
#include <set>

#include "archive/archive.h"
#include "common/strings.h"
#include "galley/paint.h"
#include "image/image.h"
#include "pdf/fonts.h"
#include "pdf/pdf_file.h"
#include "pdf/writer.h"

namespace galley::pdf {
namespace {

std::string rgb(const Color& c) { return num(c.r) + " " + num(c.g) + " " + num(c.b); }

std::string ref(int id) { return std::to_string(id) + " 0 R"; }

// Width, height and colour components of a JPEG from its frame header.
std::optional<std::tuple<int, int, int>> jpeg_frame(std::string_view d) {
    for (size_t i = 2; i + 9 < d.size();) {
        if (static_cast<unsigned char>(d[i]) != 0xFF) return std::nullopt;
        const unsigned m = static_cast<unsigned char>(d[i + 1]);
        const size_t len = static_cast<size_t>(static_cast<unsigned char>(d[i + 2]) << 8 | static_cast<unsigned char>(d[i + 3]));
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            auto byte = [&](size_t k) { return static_cast<int>(static_cast<unsigned char>(d[i + k])); };
            return std::make_tuple(byte(7) << 8 | byte(8), byte(5) << 8 | byte(6), byte(9));
        }
        i += 2 + len;
    }
    return std::nullopt;
}

// A picture as an image XObject: the JPEG bytes as they are, or the pixels
// deflated (with a soft mask where they are not opaque).
void write_image(File& file, int id, const std::string& path) {
    cairo_surface_t* s = load_image_surface(path);
    struct Release {
        cairo_surface_t* s;
        ~Release() { cairo_surface_destroy(s); }
    } release{s};
    const unsigned char* jpeg = nullptr;
    unsigned long jpeg_size = 0;
    cairo_surface_get_mime_data(s, CAIRO_MIME_TYPE_JPEG, &jpeg, &jpeg_size);
    const int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    if (jpeg) {
        std::string_view bytes(reinterpret_cast<const char*>(jpeg), jpeg_size);
        if (auto frame = jpeg_frame(bytes); frame && std::get<2>(*frame) != 4) {
            const auto [jw, jh, components] = *frame;
            file.set_stream(id,
                            "/Type/XObject/Subtype/Image/Width " + std::to_string(jw) + "/Height " + std::to_string(jh) +
                                "/ColorSpace/" + (components == 1 ? "DeviceGray" : "DeviceRGB") +
                                "/BitsPerComponent 8/Filter/DCTDecode",
                            bytes, false);
            return;
        }
    }
    const unsigned char* data = cairo_image_surface_get_data(s);
    const int stride = cairo_image_surface_get_stride(s);
    const bool alpha = cairo_image_surface_get_format(s) == CAIRO_FORMAT_ARGB32;
    std::string pixels, mask;
    pixels.reserve(static_cast<size_t>(w) * h * 3);
    bool opaque = true;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            uint32_t p;
            std::memcpy(&p, data + static_cast<size_t>(y) * stride + 4 * static_cast<size_t>(x), 4);
            const unsigned a = alpha ? p >> 24 : 255;
            for (int shift : {16, 8, 0}) {
                unsigned v = (p >> shift) & 255;
                if (a > 0 && a < 255) v = std::min(255u, (v * 255 + a / 2) / a);  // cairo's are premultiplied
                pixels += static_cast<char>(v);
            }
            mask += static_cast<char>(a);
            opaque = opaque && a == 255;
        }
    const std::string size = "/Width " + std::to_string(w) + "/Height " + std::to_string(h) + "/BitsPerComponent 8";
    std::string smask;
    if (!opaque) {
        const int m = file.reserve();
        file.set_stream(m, "/Type/XObject/Subtype/Image" + size + "/ColorSpace/DeviceGray", mask);
        smask = "/SMask " + ref(m);
    }
    file.set_stream(id, "/Type/XObject/Subtype/Image" + size + "/ColorSpace/DeviceRGB" + smask, pixels);
}

struct Place {
    int page = 0;
    double x = 0, y = 0;  // PDF user space
};

class Writer : public Painter {
public:
    Writer(std::string& out, const PdfPaintOptions& options, const ArchiveMetadata& meta,
           const ArchiveOptions& archive)
        : out_(out), options_(options), values_(archive_values(meta, archive)) {}

    void page(const Layout& layout, int index) override {
        if (!begun_) begin(layout);
        const Frame& f = layout.pages[static_cast<size_t>(index)];
        const double b = options_.bleed, width = f.width + 2 * b, height = f.height + 2 * b;
        const int id = page_ids_.at(static_cast<size_t>(index));
        top_ = height - b;
        Resources used;
        std::string content, annots, parents;
        if (options_.crop_marks && b > 0) {
            content += "/Artifact BMC\n";
            for (const Rule& mark : crop_marks(f.width, f.height, b)) content += draw(mark, used, annots);
            content += "EMC\n";
        }
        // Marked content: consecutive items of one element in one sequence,
        // furniture as /Artifact.
        int open = -2, mcid = 0;
        auto close = [&] {
            if (open != -2) content += "EMC\n";
            open = -2;
        };
        for (const FrameItem* at : paint_order(f)) {
            const FrameItem& item = *at;
            if (const auto* a = std::get_if<Anchor>(&item)) {
                dests_.emplace(a->name, Place{index, a->x + b, top_ - a->y});
                continue;
            }
            if (const auto* area = std::get_if<LinkArea>(&item)) {
                annots += link(area->x + b, top_ - area->y - area->height, area->x + b + area->width, top_ - area->y,
                               area->uri, area->dest);
                continue;
            }
            const int tag = item_tag(item);
            const bool tagged = tag >= 0 && tag < static_cast<int>(nodes_.size());
            if ((tagged ? tag : kArtifact) != open) {
                close();
                open = tagged ? tag : kArtifact;
                if (!tagged) {
                    content += "/Artifact BMC\n";
                } else {
                    content += "/" + nodes_[static_cast<size_t>(tag)].type + "<</MCID " + std::to_string(mcid) + ">>BDC\n";
                    kids_[static_cast<size_t>(tag)].push_back("<</Type/MCR/Pg " + ref(id) + "/MCID " +
                                                              std::to_string(mcid++) + ">>");
                    announce(tag);
                    parents += ref(element(tag)) + " ";
                }
            }
            content += draw(item, used, annots);
        }
        close();
        std::string resources = "<</Font<<";
        for (int k : used.fonts) resources += "/F" + std::to_string(k) + " " + ref(fonts_.fonts[static_cast<size_t>(k)].object);
        resources += ">>";
        if (!used.images.empty()) {
            resources += "/XObject<<";
            for (int obj : used.images) resources += "/Im" + std::to_string(obj) + " " + ref(obj);
            resources += ">>";
        }
        resources += ">>";
        const int stream = file_.reserve();
        file_.set_stream(stream, "", content);
        const int key = static_cast<int>(painted_.size());
        parent_tree_ += std::to_string(key) + "[" + parents + "]";
        const std::string trim = "[" + num(b) + " " + num(b) + " " + num(width - b) + " " + num(height - b) + "]";
        file_.set(id, "<</Type/Page/Parent " + ref(pages_) + "/MediaBox[0 0 " + num(width) + " " + num(height) +
                          "]/TrimBox" + trim + "/BleedBox[0 0 " + num(width) + " " + num(height) + "]/Resources " + resources + "/Contents " + ref(stream) + "/StructParents " +
                          std::to_string(key) + "/Tabs/S" + (annots.empty() ? "" : "/Annots[" + annots + "]") + ">>");
        painted_.push_back(id);
    }

    void finish(const Layout& layout) override {
        if (!begun_) begin(layout);
        std::string kids;
        for (int id : painted_) kids += ref(id) + " ";
        for (int id : page_ids_)  // pages not painted (a page range)
            if (std::find(painted_.begin(), painted_.end(), id) == painted_.end()) file_.set(id, "null");
        file_.set(pages_, "<</Type/Pages/Kids[" + kids + "]/Count " + std::to_string(painted_.size()) + ">>");
        std::string names;
        for (const auto& [name, place] : dests_) names += literal(name) + destination(place);
        const int catalog = file_.reserve(), info = file_.reserve();
        const std::string outlines = outline(layout), tree = structure_tree();
        file_.set(catalog, "<</Type/Catalog/Pages " + ref(pages_) + "/PageLabels<</Nums[0<</S/D>>]>>" +
                               (names.empty() ? "" : "/Names<</Dests<</Names[" + names + "]>>>>") + outlines +
                               (values_.lang.empty() ? "" : "/Lang" + text_string(values_.lang)) +
                               "/ViewerPreferences<</DisplayDocTitle true>>" + tree + archive_entries() + ">>");
        file_.set(info, info_dict());
        const std::string id = file_.identity();
        out_ += file_.finish("/Root " + ref(catalog) + "/Info " + ref(info) + "/ID[<" + id + "><" + id + ">]");
    }

private:
    void begin(const Layout& layout) {
        begun_ = true;
        layout_fonts_ = &layout.fonts;
        nodes_ = layout.structure;
        elements_.assign(nodes_.size(), 0);
        announced_.assign(nodes_.size(), false);
        kids_.assign(nodes_.size(), {});
        fonts_ = embed_fonts(file_, layout);
        pages_ = file_.reserve();
        for (size_t i = 0; i < layout.pages.size(); ++i) page_ids_.push_back(file_.reserve());
    }

    struct Resources {
        std::set<int> fonts, images;
    };

    // A run, rule or picture as page content; a linked run's annotation
    // added to `annots`.
    std::string draw(const FrameItem& item, Resources& used, std::string& annots) {
        const double b = options_.bleed;
        if (const auto* run = std::get_if<GlyphRun>(&item)) {
            if (!run->link.empty() && !run->glyphs.empty()) {
                const double x0 = run->x + run->glyphs.front().x + b,
                             x1 = run->x + run->glyphs.back().x + run->glyphs.back().advance + b;
                const bool local = run->link[0] == '#';
                annots += link(x0, top_ - run->y - 0.2 * run->size, x1, top_ - run->y + 0.88 * run->size,
                               local ? "" : run->link, local ? run->link.substr(1) : "");
            }
            return text(*run, used.fonts);
        }
        if (const auto* rule = std::get_if<Rule>(&item))
            return num(rule->width) + " w " + rgb(rule->color) + " RG " + (rule->round ? "1" : "0") + " J " +
                   num(rule->x0 + b) + " " + num(top_ - rule->y0) + " m " + num(rule->x1 + b) + " " +
                   num(top_ - rule->y1) + " l S\n";
        if (const auto* im = std::get_if<ImageItem>(&item)) {
            auto [at, fresh] = images_.emplace(im->path, 0);
            if (fresh) write_image(file_, at->second = file_.reserve(), im->path);
            used.images.insert(at->second);
            return "q " + num(im->width) + " 0 0 " + num(im->height) + " " + num(im->x + b) + " " +
                   num(top_ - im->y - im->height) + " cm /Im" + std::to_string(at->second) + " Do Q\n";
        }
        return "";
    }

    // The structure element of node n (its number handed out on first use).
    int element(int n) {
        int& id = elements_[static_cast<size_t>(n)];
        if (id == 0) id = file_.reserve();
        return id;
    }
    // Node n has content: it joins its parent's kids (in reading order, as
    // its content first appears), and so on up.
    void announce(int n) {
        while (n >= 0 && !announced_[static_cast<size_t>(n)]) {
            announced_[static_cast<size_t>(n)] = true;
            const int parent = nodes_[static_cast<size_t>(n)].parent;
            if (parent >= 0) kids_[static_cast<size_t>(parent)].push_back(ref(element(n)));
            n = parent;
        }
    }
    // The structure tree: elements with content (and the Document), each
    // with its kids in order; a figure's caption as its /Alt, a header
    // cell heading its column.
    std::string structure_tree() {
        if (nodes_.empty()) return "";
        const int root = file_.reserve();
        element(0);
        for (size_t n = 0; n < nodes_.size(); ++n) {
            if (elements_[n] == 0 || (n > 0 && !announced_[n])) continue;
            const StructNode& node = nodes_[n];
            std::string k;
            for (const std::string& kid : kids_[n]) k += kid + " ";
            file_.set(elements_[n], "<</Type/StructElem/S/" + node.type + "/P " +
                                        ref(node.parent >= 0 ? element(node.parent) : root) + "/K[" + k + "]" +
                                        (node.alt.empty() ? "" : "/Alt" + text_string(node.alt)) +
                                        (node.type == "TH" ? "/A<</O/Table/Scope/Column>>" : "") + ">>");
        }
        file_.set(root, "<</Type/StructTreeRoot/K[" + ref(elements_[0]) + "]/ParentTree<</Nums[" + parent_tree_ +
                            "]>>/ParentTreeNextKey " + std::to_string(painted_.size()) + ">>");
        return "/MarkInfo<</Marked true>>/StructTreeRoot " + ref(root);
    }

    // A glyph run: one text object, the glyphs by CID, each placed where
    // the layout set it. A line's glyphs go in one TJ; the spacing most of
    // its gaps share (a justified CJK line's) is set once as Tc, and a
    // glyph is moved only where the font's advances would put it 0.5/1000
    // em or more off (0.005 pt at 10 pt), the drift never carried on.
    std::string text(const GlyphRun& run, std::set<int>& used) {
        if (run.glyphs.empty() || run.font < 0 || run.font >= static_cast<int>(fonts_.of.size())) return "";
        const int k = fonts_.of[static_cast<size_t>(run.font)];
        const EmbeddedFont& font = fonts_.fonts[static_cast<size_t>(k)];
        const FontFace& face = layout_fonts_->at(static_cast<size_t>(run.font));
        used.insert(k);
        const double sx = run.scale_x, a = face.matrix[0] * sx, b = options_.bleed, em = run.size * a / 1000;
        std::string out = "BT /F" + std::to_string(k) + " " + num(run.size) + " Tf " + rgb(run.color) + " rg ";
        if (face.embolden) out += "2 Tr " + num(run.size * 0.03) + " w " + rgb(run.color) + " RG ";
        struct Shown {
            uint16_t cid;
            double x, advance;  // user space
        };
        std::vector<std::pair<double, std::vector<Shown>>> lines;  // by baseline
        for (const Glyph& g : run.glyphs) {
            auto cid = font.cid.find(g.id);
            if (!drawn_glyph(g.id) || cid == font.cid.end()) continue;
            const double x = run.x + g.x + g.x_offset + b, y = top_ - (run.y + g.y_offset);
            if (lines.empty() || std::abs(lines.back().first - y) > 1e-6) lines.push_back({y, {}});
            lines.back().second.push_back({cid->second, x, font.width.at(g.id) * em});
        }
        double tc = 0;  // Tc: text space units after every glyph
        for (const auto& [y, shown] : lines) {
            std::map<long, int> gaps;
            for (size_t i = 1; i < shown.size(); ++i)
                ++gaps[std::lround((shown[i - 1].x + shown[i - 1].advance - shown[i].x) / em * 10)];
            const auto common = std::max_element(gaps.begin(), gaps.end(),
                                                 [](const auto& l, const auto& r) { return l.second < r.second; });
            const double line_tc = common != gaps.end() && common->second >= 3 ? common->first / 10.0 : 0;
            const double want = std::round(-line_tc / 1000 * run.size * 1e4) / 1e4;
            if (want != tc) out += num(want, 4) + " Tc ";
            tc = want;
            const std::string matrix = num(a, 5) + " " + num(face.matrix[1], 5) + " " +
                                       num(face.matrix[2] * sx, 5) + " " + num(face.matrix[3], 5) + " ";
            const std::string at = num(shown.front().x) + " " + num(y);
            // The first line of an upright, unscaled run: Td from BT's identity matrix.
            out += &shown == &lines.front().second && matrix == "1 0 0 1 " ? at + " Td [" : matrix + at + " Tm [";
            double pen = shown.front().x;  // where the font puts the next glyph
            out += "<";  // glyphs between adjustments in one string
            for (size_t i = 0; i < shown.size(); ++i) {
                const double adjust = (pen - shown[i].x) / em;
                if (i > 0 && std::abs(adjust) >= 0.5) {
                    const double shift = std::round(adjust * 10) / 10;
                    out += ">" + num(shift, 1) + "<";
                    pen -= shift * em;
                }
                out += hex4(shown[i].cid);
                pen += shown[i].advance + tc * a;
            }
            out += ">]TJ ";
        }
        if (tc != 0) out += "0 Tc ";
        return out + (face.embolden ? "0 Tr " : "") + "ET\n";
    }

    std::string link(double x0, double y0, double x1, double y1, const std::string& uri, const std::string& dest) {
        const int id = file_.reserve();
        std::string action = uri.empty() ? "/Dest" + literal(dest) : "/A<</S/URI/URI" + literal(percent_encode(uri)) + ">>";
        file_.set(id, "<</Type/Annot/Subtype/Link/Rect[" + num(x0) + " " + num(y0) + " " + num(x1) + " " + num(y1) +
                          "]/Border[0 0 0]/F 4" + action + ">>");
        return ref(id) + " ";
    }

    std::string destination(const Place& p) const {
        return "[" + ref(page_ids_.at(static_cast<size_t>(p.page))) + "/XYZ " + num(p.x) + " " + num(p.y) + " 0]";
    }

    // Bookmarks: each entry under the nearest earlier one of a lower level.
    std::string outline(const Layout& layout) {
        if (layout.outline.empty()) return "";
        struct Node {
            int id, parent;
            std::vector<int> kids;
        };
        const int root = file_.reserve();
        std::vector<Node> nodes{{root, -1, {}}};
        std::vector<std::pair<int, int>> open;  // (level, node)
        for (const OutlineEntry& e : layout.outline) {
            while (!open.empty() && open.back().first >= e.level) open.pop_back();
            const int parent = open.empty() ? 0 : open.back().second;
            nodes.push_back({file_.reserve(), parent, {}});
            nodes[static_cast<size_t>(parent)].kids.push_back(static_cast<int>(nodes.size()) - 1);
            open.push_back({e.level, static_cast<int>(nodes.size()) - 1});
        }
        // /Count: the descendants shown (levels 0 and 1 open), negative
        // for a closed entry. Children come after their parents.
        std::vector<int> below(nodes.size(), 0), shown(nodes.size(), 0), count(nodes.size(), 0);
        for (size_t n = nodes.size(); n-- > 0;) {
            for (int kid : nodes[n].kids) below[n] += 1 + shown[static_cast<size_t>(kid)];
            const bool open = n == 0 || layout.outline[n - 1].level <= 1;
            shown[n] = open ? below[n] : 0;
            count[n] = open ? below[n] : -below[n];
        }
        for (size_t n = 0; n < nodes.size(); ++n) {
            const Node& node = nodes[n];
            std::string d = n == 0 ? "<</Type/Outlines" : "<</Title" + text_string(layout.outline[n - 1].title) +
                                                              "/Parent " + ref(nodes[static_cast<size_t>(node.parent)].id);
            if (n > 0) {
                const OutlineEntry& e = layout.outline[n - 1];
                const double b = options_.bleed;
                const double h = layout.pages.at(static_cast<size_t>(e.page)).height + 2 * b;
                d += "/Dest" + destination({e.page, e.x + b, h - b - e.y});
                const std::vector<int>& sib = nodes[static_cast<size_t>(node.parent)].kids;
                auto at = std::find(sib.begin(), sib.end(), static_cast<int>(n)) - sib.begin();
                if (at > 0) d += "/Prev " + ref(nodes[static_cast<size_t>(sib[static_cast<size_t>(at - 1)])].id);
                if (at + 1 < static_cast<long>(sib.size()))
                    d += "/Next " + ref(nodes[static_cast<size_t>(sib[static_cast<size_t>(at + 1)])].id);
            }
            if (!node.kids.empty())
                d += "/First " + ref(nodes[static_cast<size_t>(node.kids.front())].id) + "/Last " +
                     ref(nodes[static_cast<size_t>(node.kids.back())].id) + "/Count " + std::to_string(count[n]);
            file_.set(node.id, d + ">>");
        }
        return "/Outlines " + ref(root);
    }

    // Info, as the archive stage writes it (XMP mirrors it).
    std::string info_dict() const {
        std::string d = "<<";
        for (const auto& [key, v] : values_.info) d += key + text_string(v);
        if (!values_.pdf_date.empty()) d += "/CreationDate" + literal(values_.pdf_date) + "/ModDate" + literal(values_.pdf_date);
        return d + ">>";
    }

    // PDF/A-2b: the XMP packet (never compressed) and the sRGB output intent.
    std::string archive_entries() {
        if (values_.xmp.empty()) return "";
        const int xmp = file_.reserve(), profile = file_.reserve();
        file_.set_stream(xmp, "/Type/Metadata/Subtype/XML", values_.xmp, false);
        file_.set_stream(profile, "/N 3/Alternate/DeviceRGB", values_.icc);
        return "/Metadata " + ref(xmp) +
               "/OutputIntents[<</Type/OutputIntent/S/GTS_PDFA1/OutputConditionIdentifier(sRGB)"
               "/Info(sRGB IEC61966-2.1)/RegistryName(http://www.color.org)/DestOutputProfile " +
               ref(profile) + ">>]";
    }

    std::string& out_;
    const std::vector<FontFace>* layout_fonts_ = nullptr;
    PdfPaintOptions options_;
    ArchiveValues values_;
    File file_;
    bool begun_ = false;
    EmbeddedFonts fonts_;
    int pages_ = 0;
    std::vector<int> page_ids_, painted_;
    std::map<std::string, int> images_;
    std::map<std::string, Place> dests_;
    double top_ = 0;  // PDF y of the trimmed page's top edge
    std::vector<StructNode> nodes_;  // the layout's structure
    std::vector<int> elements_;      // their objects (0: none yet)
    std::vector<bool> announced_;    // among their parent's kids
    std::vector<std::vector<std::string>> kids_;
    std::string parent_tree_;        // "key[elements by MCID]" per page
};

}  // namespace
}  // namespace galley::pdf

namespace galley {

std::unique_ptr<Painter> direct_pdf_painter(std::string& out, const PdfPaintOptions& paint,
                                            const ArchiveMetadata& meta, const ArchiveOptions& archive) {
    return std::make_unique<pdf::Writer>(out, paint, meta, archive);
}

}  // namespace galley
