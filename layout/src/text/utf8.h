// UTF-8 helpers: utf8_next() and utf8_append() now live in common/utf8.h.
#pragma once
#include "common/utf8.h"
