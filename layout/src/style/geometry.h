// The page grid a style makes: columns, gutters and baseline rows.
#pragma once
#include "galley/style.h"

namespace galley {

// Where a line of `size` sits in a band of `pitch`: the baseline from the band's top.
inline double baseline_in(double pitch, double size) { return 0.5 * pitch + 0.38 * size; }

struct Geometry {
    double em = 10.5, pitch = 17.5;
    double left = 0, text_width = 0, column_width = 0, gutter = 0;
    double top = 0, bottom = 0;
    int columns = 1, rows = 1;  // rows: grid lines in a column
    double baseline_offset() const { return baseline_in(pitch, em); }  // from a row's top
    double row_y(int row) const { return top + row * pitch; }
    double column_x(int c) const { return left + c * (column_width + gutter); }
};

Geometry geometry(const Style& style);

}  // namespace galley
