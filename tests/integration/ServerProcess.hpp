#pragma once
// The real `visioguichet` binary run by a test: its own HTTP and RTC ports, its output kept in a
// file for the failure message, stopped (SIGKILL) if the test forgets.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vg::test {

std::uint16_t free_tcp_port();

struct CommandResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr
};

// Runs the binary to its end (bounded by timeout) with the given arguments and environment.
CommandResult run_server_command(const std::vector<std::string>& arguments,
                                 const std::map<std::string, std::string>& environment,
                                 std::chrono::seconds timeout = std::chrono::seconds(60));

class ServerProcess {
  public:
    // Starts `visioguichet serve` on free ports with database_url; waits until it listens.
    explicit ServerProcess(const std::string& database_url,
                           std::map<std::string, std::string> extra_environment = {});
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    std::uint16_t http_port() const { return http_port_; }
    std::uint16_t admin_port() const { return admin_port_; }  // /metrics, health
    void signal(int signal_number);
    // The exit status once the process ended within the time, else nullopt.
    std::optional<int> wait_exit(std::chrono::milliseconds within);
    std::string output() const;

  private:
    int pid_ = -1;
    std::uint16_t http_port_ = 0;
    std::uint16_t admin_port_ = 0;
    std::string log_path_;
};

}  // namespace vg::test
