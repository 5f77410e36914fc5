// galley watch: render, then wait for a change to any file the render read
// (inotify on their folders, since editors replace files by renaming) and
// render again, until stopped.
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>

#include "job/report.h"
#include "job/run.h"

namespace galley {
namespace {

namespace fs = std::filesystem;

constexpr uint32_t kEvents = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_ATTRIB;

// The files to watch, by folder: names within it.
std::map<std::string, std::set<std::string>> by_folder(const std::vector<std::string>& files) {
    std::map<std::string, std::set<std::string>> out;
    for (const std::string& f : files) {
        fs::path p = fs::absolute(f);
        out[p.parent_path().string()].insert(p.filename().string());
    }
    return out;
}

// Waits until a watched name changes and no further change comes for a
// tenth of a second (an editor's save is several events); false when
// stopped first.
bool wait_for_change(int fd, const std::map<int, std::set<std::string>>& names, const std::atomic<bool>* stop) {
    bool changed = false;
    alignas(inotify_event) char buf[16384];
    for (;;) {
        if (stop && stop->load()) return false;
        pollfd p{fd, POLLIN, 0};
        int ready = ::poll(&p, 1, changed ? 100 : 200);
        if (ready == 0 && changed) return true;
        if (ready <= 0) continue;
        ssize_t n = ::read(fd, buf, sizeof buf);
        for (char* at = buf; n > 0 && at < buf + n;) {
            auto* ev = reinterpret_cast<inotify_event*>(at);
            auto it = names.find(ev->wd);
            if (it != names.end() && ev->len > 0 && it->second.count(ev->name)) changed = true;
            at += sizeof(inotify_event) + ev->len;
        }
    }
}

// Watches the folders of `files`; names in other folders stop counting.
void watch_files(int fd, const std::vector<std::string>& files, std::map<int, std::set<std::string>>& names) {
    for (auto& [wd, in] : names) in.clear();
    for (auto& [dir, in] : by_folder(files)) {
        int wd = ::inotify_add_watch(fd, dir.c_str(), kEvents);  // the same wd for a folder watched already
        if (wd >= 0) names[wd].insert(in.begin(), in.end());
    }
}

// Events already queued: they came before the render about to start.
void drain(int fd) {
    alignas(inotify_event) char buf[16384];
    while (::read(fd, buf, sizeof buf) > 0) {
    }
}

}  // namespace

int watch(Job& job, FontContext& fonts) {
    std::vector<Task> tasks;
    try {
        tasks = plan(job);
        if (tasks.size() != 1 || tasks[0].input == "-" || tasks[0].output == "-")
            throw Failure({Severity::Error, {}, "watch takes one input file and -o FILE"});
    } catch (const Failure& f) {
        std::fprintf(job.messages, "%s\n", format(f.diagnostic).c_str());
        return kExitUsage;
    }
    const int fd = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (fd < 0) {
        std::fprintf(job.messages, "galley: error: cannot watch files: %s\n", std::strerror(errno));
        return kExitFailed;
    }
    // Watching starts before each render, so a change made while it runs
    // is seen after it.
    std::map<int, std::set<std::string>> names;
    watch_files(fd, {tasks[0].input}, names);
    int status = kExitOk;
    for (;;) {
        drain(fd);
        TaskResult r = run_task(job, tasks[0], fonts, "");
        for (const Diagnostic& d : r.diags) std::fprintf(job.messages, "%s\n", format(d).c_str());
        if (!job.batch.quiet && r.status != Status::Failed)
            std::fprintf(job.messages, "galley: rendered %s (%d pages, %ld ms); watching %zu files\n",
                         r.task.output.c_str(), r.pages, std::lround(r.ms), r.files.size());
        std::fflush(job.messages);
        status = exit_status(r, job.batch.fail_on_warnings);
        job.results = {r};
        std::vector<std::string> files = r.files;
        files.push_back(tasks[0].input);
        watch_files(fd, files, names);
        if (!wait_for_change(fd, names, job.stop)) break;
    }
    ::close(fd);
    return status;
}

}  // namespace galley
