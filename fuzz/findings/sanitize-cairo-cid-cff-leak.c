// Finding of the ASan+UBSan test suite (tools/sanitize.sh), in cairo, not
// Galley: cairo 1.16.0 (Debian 12) leaks 768 bytes in cairo_surface_finish
// for each CID-keyed CFF font subset into a PDF. 38 tests that write PDFs
// failed on it under LeakSanitizer before tools/lsan.supp named libcairo.
//   gcc -fsanitize=address -g sanitize-cairo-cid-cff-leak.c $(pkg-config --cflags --libs cairo)
//   ./a.out 0 "Noto Serif CJK SC"   # Direct leak of 768 byte(s) … libcairo.so.2+0x1559f
//   ./a.out 0 "Linux Libertine O"   # no leak (CFF, not CID-keyed); "DejaVu Serif": none
// (fontconfig's own leaks at exit are in tools/lsan.supp too.)
#include <cairo.h>
#include <cairo-pdf.h>
static cairo_status_t w(void* c, const unsigned char* d, unsigned int n) { return CAIRO_STATUS_SUCCESS; }
int main(int argc, char** argv) {
    int mode = argc > 1 ? argv[1][0] - '0' : 0;
    cairo_surface_t* s = cairo_pdf_surface_create_for_stream(w, 0, 595, 842);
    cairo_t* cr = cairo_create(s);
    if (mode >= 1) { cairo_tag_begin(cr, "Document", 0); cairo_tag_begin(cr, "P", 0); }
    cairo_select_font_face(cr, argv[2], 0, 0);
    cairo_move_to(cr, 100, 100); cairo_show_text(cr, "Hello");
    if (mode >= 1) { cairo_tag_end(cr, "P"); cairo_tag_end(cr, "Document"); }
    if (mode >= 2) { cairo_tag_begin(cr, CAIRO_TAG_LINK, "uri='https://example.org/' rect=[10 10 50 50]"); cairo_tag_end(cr, CAIRO_TAG_LINK); }
    if (mode >= 3) { cairo_pdf_surface_add_outline(s, CAIRO_PDF_OUTLINE_ROOT, "T", "page=1 pos=[10 10]", 0); }
    if (mode >= 4) { cairo_pdf_surface_set_page_label(s, "1"); }
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
    return 0;
}
