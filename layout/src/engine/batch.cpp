#include <atomic>
#include <mutex>
#include <thread>

#include "galley/engine.h"

namespace galley {

void render_batch(std::vector<BatchItem>& items, const RenderOptions& options, FontContext& fonts, int threads,
                  RunStats* stats) {
    std::atomic<size_t> next{0};
    std::mutex stats_lock;
    auto worker = [&] {
        for (size_t i; (i = next++) < items.size();) {
            BatchItem& it = items[i];
            RunStats st;
            try {
                render_file(it.input, it.output, options, fonts, it.diags, &st);
            } catch (const Failure& f) {
                it.diags.push_back(f.diagnostic);
                it.failed = true;
            }
            it.failed = it.failed || has_errors(it.diags);
            if (stats) {
                std::lock_guard lock(stats_lock);
                stats->load += st.load, stats->shape += st.shape, stats->linebreak += st.linebreak;
                stats->flow += st.flow, stats->paint += st.paint, stats->finish += st.finish;
                stats->archive += st.archive, stats->itemize_calls += st.itemize_calls;
                stats->shaped_strings += st.shaped_strings;
            }
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
}

}  // namespace galley
