#include "integration/ServerProcess.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/HttpClient.hpp"

namespace vg::test {
namespace {

// Starts the binary with stdout and stderr in log_path; returns its pid.
int spawn(const std::vector<std::string>& arguments,
          const std::map<std::string, std::string>& environment, const std::string& log_path) {
    int pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(fd, 1);
        dup2(fd, 2);
        for (const auto& [name, value] : environment) setenv(name.c_str(), value.c_str(), 1);
        std::vector<char*> argv;
        std::string binary = VG_SERVER_BINARY;
        argv.push_back(binary.data());
        std::vector<std::string> copy = arguments;
        for (auto& argument : copy) argv.push_back(argument.data());
        argv.push_back(nullptr);
        execv(binary.c_str(), argv.data());
        _exit(127);
    }
    return pid;
}

std::string temp_log_path() {
    char name[] = "/tmp/vg-server-log-XXXXXX";
    int fd = mkstemp(name);
    close(fd);
    return name;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::optional<int> wait_pid(int pid, std::chrono::milliseconds within) {
    auto deadline = std::chrono::steady_clock::now() + within;
    while (true) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            if (WIFEXITED(status)) return WEXITSTATUS(status);
            return 128 + WTERMSIG(status);
        }
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

}  // namespace

std::uint16_t free_tcp_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    close(fd);
    return ntohs(address.sin_port);
}

CommandResult run_server_command(const std::vector<std::string>& arguments,
                                 const std::map<std::string, std::string>& environment,
                                 std::chrono::seconds timeout) {
    auto log_path = temp_log_path();
    int pid = spawn(arguments, environment, log_path);
    CommandResult result;
    auto status = wait_pid(pid, timeout);
    if (!status) {
        kill(pid, SIGKILL);
        wait_pid(pid, std::chrono::seconds(5));
    }
    result.exit_code = status.value_or(-1);
    result.output = read_file(log_path);
    std::remove(log_path.c_str());
    return result;
}

ServerProcess::ServerProcess(const std::string& database_url,
                             std::map<std::string, std::string> extra_environment)
    : http_port_(free_tcp_port()), admin_port_(free_tcp_port()), log_path_(temp_log_path()) {
    std::map<std::string, std::string> environment = {
        {"VISIOGUICHET_DATABASE_URL", database_url},
        {"VISIOGUICHET_HTTP_ADDR", "127.0.0.1:" + std::to_string(http_port_)},
        {"VISIOGUICHET_ADMIN_ADDR", "127.0.0.1:" + std::to_string(admin_port_)},
        // Port 0: the media engine finds a number free on both UDP and TCP itself.
        {"VISIOGUICHET_RTC_ADDR", "127.0.0.1:0"},
        {"VISIOGUICHET_LOG_LEVEL", "info"},
    };
    for (auto& [name, value] : extra_environment) environment[name] = value;
    pid_ = spawn({"serve"}, environment, log_path_);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        if (can_connect("127.0.0.1", http_port_) && can_connect("127.0.0.1", admin_port_)) return;
        if (wait_pid(pid_, std::chrono::milliseconds(50))) {
            pid_ = -1;
            throw std::runtime_error("the server exited at start:\n" + output());
        }
    }
    throw std::runtime_error("the server did not listen within 30 s:\n" + output());
}

ServerProcess::~ServerProcess() {
    if (pid_ > 0) {
        kill(pid_, SIGKILL);
        wait_pid(pid_, std::chrono::seconds(5));
    }
    std::remove(log_path_.c_str());
}

void ServerProcess::signal(int signal_number) {
    if (pid_ > 0) kill(pid_, signal_number);
}

std::optional<int> ServerProcess::wait_exit(std::chrono::milliseconds within) {
    if (pid_ <= 0) return std::nullopt;
    auto status = wait_pid(pid_, within);
    if (status) pid_ = -1;
    return status;
}

std::string ServerProcess::output() const {
    return read_file(log_path_);
}

}  // namespace vg::test
