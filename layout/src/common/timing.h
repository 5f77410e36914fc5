// Wall-clock timing of stages (benchmarks, --times): a monotonic clock and
// the milliseconds since a point of it.
#pragma once
#include <chrono>

namespace galley {

using Clock = std::chrono::steady_clock;

inline double ms_since(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

}  // namespace galley
