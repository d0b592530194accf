#include "app/ProcessMetrics.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include "http/Metrics.hpp"

namespace vg::app {
namespace {

// The fields of /proc/self/stat after the command name (which may hold spaces and parentheses):
// index 0 is field 3 (state) of proc(5).
std::vector<std::string> stat_fields() {
    std::ifstream in("/proc/self/stat");
    std::string line;
    std::getline(in, line);
    std::vector<std::string> fields;
    auto close = line.rfind(')');
    if (close == std::string::npos) return fields;
    std::istringstream rest(line.substr(close + 1));
    for (std::string field; rest >> field;) fields.push_back(field);
    return fields;
}

double stat_field(std::size_t proc5_number) {
    auto fields = stat_fields();
    std::size_t index = proc5_number - 3;
    return index < fields.size() ? std::stod(fields[index]) : 0;
}

double open_fds() {
    std::error_code ec;
    double count = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
         it.increment(ec)) {
        ++count;
    }
    return count;
}

double boot_time_seconds() {
    std::ifstream in("/proc/stat");
    for (std::string key; in >> key;) {
        if (key == "btime") {
            double value = 0;
            in >> value;
            return value;
        }
        in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
    }
    return 0;
}

}  // namespace

ProcessMetrics::ProcessMetrics(http::Metrics& metrics) : metrics_(metrics) {
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    const double page_size = static_cast<double>(sysconf(_SC_PAGESIZE));
    start_time_seconds_ = boot_time_seconds() + stat_field(22) / ticks;

    names_ = {"process_cpu_seconds_total",
              "process_resident_memory_bytes",
              "process_virtual_memory_bytes",
              "process_open_fds",
              "process_max_fds",
              "process_start_time_seconds"};
    metrics_.add_counter("process_cpu_seconds_total", "User and system CPU time spent in seconds.",
                         [ticks] { return (stat_field(14) + stat_field(15)) / ticks; });
    metrics_.add_gauge("process_resident_memory_bytes", "Resident memory size in bytes.",
                       [page_size] { return stat_field(24) * page_size; });
    metrics_.add_gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                       [] { return stat_field(23); });
    metrics_.add_gauge("process_open_fds", "Number of open file descriptors.", open_fds);
    metrics_.add_gauge("process_max_fds", "Maximum number of open file descriptors.", [] {
        rlimit limit{};
        getrlimit(RLIMIT_NOFILE, &limit);
        return static_cast<double>(limit.rlim_cur);
    });
    metrics_.add_gauge("process_start_time_seconds",
                       "Start time of the process since unix epoch in seconds.",
                       [this] { return start_time_seconds_; });
}

ProcessMetrics::~ProcessMetrics() {
    for (const auto& name : names_) metrics_.remove(name);
}

}  // namespace vg::app
