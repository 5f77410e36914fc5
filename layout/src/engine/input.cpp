// An input ready for the pipeline: an article or an issue, its style, and
// the files it was made from.
#include <algorithm>
#include <filesystem>

#include "common/files.h"
#include "galley/engine.h"
#include "model/issue_manifest.h"
#include "text/font_context.h"

namespace galley {
namespace {

namespace fs = std::filesystem;

bool is_issue_path(const std::string& path) {
    auto ext = fs::path(path).extension().string();
    return ext == ".yaml" || ext == ".yml";
}

// Standard input holds an article when it opens with front matter: a
// '---' line, closed by another.
bool looks_like_article(const std::string& text) {
    if (text.rfind("---\n", 0) != 0 && text.rfind("---\r\n", 0) != 0) return false;
    return text.find("\n---", 3) != std::string::npos;
}

// An issue manifest names its style; a given style overrides it. A path in
// the manifest is relative to the manifest, and must stay in the root like
// its articles (a style from the command line or the styles folder is the
// user's own choice).
std::string style_path(const std::string& input, const std::optional<Issue>& issue, const RenderOptions& o,
                       const ReadRules& rules, Diagnostics& diags) {
    std::string name = o.style;
    if (issue && !issue->style.empty() && !o.style_given) {
        name = issue->style;
        if (name.find('/') != std::string::npos && fs::path(name).is_relative())
            name = (fs::path(input).parent_path() / name).string();
        if (name.find('/') != std::string::npos && !rules.any_path)
            if (auto why = outside_root(name, rules.root)) {
                error(diags, issue->style_pos,
                      "the style '" + issue->style + "' is not read: " + *why +
                          "; a manifest's style must be inside its folder (or give --root or --allow-any-path)");
                return {};
            }
        const std::string found = find_style(name, o.styles_dir);
        std::error_code ec;
        if (!fs::exists(found, ec))
            error(diags, issue->style_pos,
                  "no style '" + issue->style + "': there is no file " + found +
                      " (a style is a name from the styles folder or a path to a YAML file)");
        return found;
    }
    return find_style(name, o.styles_dir);
}

// Pictures are read by the composer; one outside the root is refused here,
// before anything opens it.
void add_pictures(const Document& doc, const ReadRules& rules, std::vector<std::string>& files, Diagnostics& diags) {
    auto add = [&](const Image& im) {
        if (im.path.empty()) return;  // the model reports a picture without a path
        if (!rules.any_path)
            if (auto why = outside_root(im.path, rules.root)) {
                error(diags, im.pos,
                      "image '" + im.src + "' is not read: " + *why +
                          "; pictures must be inside the input's folder (or give --root or --allow-any-path)");
                return;
            }
        files.push_back(im.path);
    };
    if (doc.image) add(*doc.image);
    for (const Block& b : doc.body)
        if (b.image) add(*b.image);
}

}  // namespace

Input load_input(const std::string& path, const std::string* text, const RenderOptions& o, Diagnostics& diags) {
    Input in;
    const std::string name = text ? "<stdin>" : path;
    ReadRules rules = o.read;
    if (rules.root.empty()) rules.root = text || !fs::path(path).has_parent_path() ? "." : fs::path(path).parent_path().string();
    const bool issue = text ? !looks_like_article(*text) : is_issue_path(path);
    if (issue)
        in.issue = text ? model::parse_issue(*text, name, diags, rules) : load_issue(path, diags, rules);
    else
        in.doc = text ? parse_article(*text, name, diags) : load_article(path, diags, rules);
    if (!text) in.files.push_back(path);
    if (in.issue)
        for (const IssueArticle& a : in.issue->articles) {
            in.files.push_back(a.path);
            add_pictures(a.doc, rules, in.files, diags);
        }
    if (in.doc) add_pictures(*in.doc, rules, in.files, diags);
    if (has_errors(diags)) return in;
    const std::string style = style_path(name, in.issue, o, rules, diags);
    if (has_errors(diags)) return in;
    in.files.push_back(style);
    in.style = load_style(style, diags);
    return in;
}

Layout layout_input(const Input& in, FontContext& fonts, Diagnostics& diags, RunStats* stats) {
    add_font_dirs(fonts, in.style.font_dirs);
    check_fonts(in.style, fonts, diags);
    return in.issue ? layout_issue(*in.issue, in.style, fonts, diags, stats)
                    : layout_article(*in.doc, in.style, fonts, diags, stats);
}

PdfOptions pdf_options(const Input& in, const RenderOptions& o) {
    PdfOptions pdf;
    pdf.source_date_epoch = o.source_date_epoch;
    pdf.pdfa = o.pdfa || in.style.pdfa;
    pdf.backend = o.pdf_backend ? *o.pdf_backend : in.style.pdf_backend;
    pdf.bleed = in.style.bleed;
    pdf.crop_marks = in.style.crop_marks;
    return pdf;
}

}  // namespace galley
