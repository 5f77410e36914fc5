// Renders an article to PDF through the library, as a program embedding
// Galley would: galley::data_dir() finds the installed styles and fonts.
//
//   render_article ARTICLE.md OUT.pdf [cairo]
//
// With `cairo`, Cairo paints and qpdf finishes (the library loads its
// qpdf module, galley-archive.so, from beside itself).
#include <galley/engine.h>

#include <iostream>
#include <string>

int main(int argc, char** argv) {
    if (argc != 3 && !(argc == 4 && std::string(argv[3]) == "cairo")) {
        std::cerr << "usage: render_article ARTICLE.md OUT.pdf [cairo]\n";
        return 2;
    }
    try {
        galley::FontContextPtr fonts = galley::make_font_context({});
        galley::Diagnostics diags;
        galley::RenderOptions options;
        if (argc == 4) options.pdf_backend = galley::PdfBackend::Cairo;
        galley::render_file(argv[1], argv[2], options, *fonts, diags);
        for (const galley::Diagnostic& d : diags) std::cerr << galley::format(d) << "\n";
        if (galley::has_errors(diags)) return 1;
        std::cout << "rendered " << argv[2] << " with the data in " << galley::data_dir() << "\n";
        return 0;
    } catch (const galley::Failure& f) {
        std::cerr << galley::format(f.diagnostic) << "\n";
        return 1;
    }
}
