#include "support/TestCluster.hpp"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "support/Environment.hpp"

namespace vg::test {

TestCluster::TestCluster() {
    char dir[] = "/tmp/vg-test-cluster-XXXXXX";
    if (::mkdtemp(dir) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = dir;
    try {
        start();
    } catch (...) {
        std::filesystem::remove_all(dir_);
        throw;
    }
}

TestCluster::~TestCluster() {
    try {
        stop();
    } catch (const std::exception&) {
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

std::string TestCluster::run(const std::string& command) const {
    // The folder name comes from mkdtemp: no character needs quoting.
    const std::string line = "PG_FSYNC=off " + source_dir() + "/scripts/pg.sh " + command + " " +
                             dir_.string() + " 2>&1";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(line.c_str(), "r"), ::pclose);
    if (!pipe) throw std::runtime_error("cannot run " + line);
    std::string output;
    char buffer[256];
    while (std::fgets(buffer, sizeof buffer, pipe.get()) != nullptr) output += buffer;
    if (::pclose(pipe.release()) != 0) throw std::runtime_error(line + " failed: " + output);
    while (!output.empty() && output.back() == '\n') output.pop_back();
    return output;
}

void TestCluster::start() {
    url_ = run("start");
}

void TestCluster::stop() {
    run("stop");
}

}  // namespace vg::test
