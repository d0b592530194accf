// The media load benchmark: N simulated calls (two participants each) over loopback, each
// participant sending video-like (150 packets/s of 1200 bytes) and audio-like (50/s of 100
// bytes) RTP, against (a) our server (vg_media_harness: real ICE, DTLS and SRTP, rooms) and
// (b) the forwarding ceiling (vg_forward_ceiling), in alternating rounds. For each, the target
// process's CPU time (utime + stime from /proc) per forwarded packet.
//
//   vg_media_load --harness PATH --ceiling PATH [--calls 25] [--seconds 10] [--rounds 3]
//                 [--workers 1]   (media workers of the server; with 2, datagrams the kernel
//                                  gives the wrong worker are handed over: their cost counts)
// Prints one line per run and a Markdown summary (medians) at the end.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "CeilingKeys.hpp"
#include "rtc/dtls/DtlsCertificate.hpp"
#include "rtc/rtp/RtpPacket.hpp"
#include "rtc/sdp/SessionDescription.hpp"
#include "unit/rtc/worker/SimulatedPeer.hpp"

extern char** environ;

namespace {

using namespace vg::rtc;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr double video_rate = 150;  // packets per second per participant
constexpr double audio_rate = 50;
constexpr double forwarded_per_call = 2 * (video_rate + audio_rate);

// A child process with its standard input and output piped to us.
class Target {
  public:
    explicit Target(const std::vector<std::string>& command) {
        int in[2];
        int out[2];
        if (::pipe(in) != 0 || ::pipe(out) != 0) throw std::runtime_error("pipe");
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, in[0], 0);
        posix_spawn_file_actions_adddup2(&actions, out[1], 1);
        posix_spawn_file_actions_addclose(&actions, in[1]);
        posix_spawn_file_actions_addclose(&actions, out[0]);
        std::vector<char*> argv;
        for (const auto& part : command) argv.push_back(const_cast<char*>(part.c_str()));
        argv.push_back(nullptr);
        if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0)
            throw std::runtime_error("cannot start " + command[0]);
        posix_spawn_file_actions_destroy(&actions);
        ::close(in[0]);
        ::close(out[1]);
        input_ = ::fdopen(in[1], "w");
        output_ = ::fdopen(out[0], "r");
    }
    ~Target() {
        std::fclose(input_);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        std::fclose(output_);
    }
    void write(const std::string& text) {
        std::fwrite(text.data(), 1, text.size(), input_);
        std::fflush(input_);
    }
    // The next line that starts with prefix (others, such as events, are skipped).
    std::string line(const std::string& prefix) {
        char buffer[4096];
        while (std::fgets(buffer, sizeof(buffer), output_) != nullptr) {
            std::string text(buffer);
            if (!text.empty() && text.back() == '\n') text.pop_back();
            if (text.rfind(prefix, 0) == 0) return text;
        }
        throw std::runtime_error("target closed its output while we waited for " + prefix);
    }
    std::string read(std::size_t length) {
        std::string body(length, '\0');
        if (std::fread(body.data(), 1, length, output_) != length)
            throw std::runtime_error("short read");
        return body;
    }
    // utime + stime, in seconds.
    double cpu_seconds() const {
        std::ifstream stat("/proc/" + std::to_string(pid_) + "/stat");
        std::string text((std::istreambuf_iterator<char>(stat)), {});
        std::istringstream fields(text.substr(text.rfind(')') + 2));
        std::string field;
        double ticks = 0;
        for (int index = 3; fields >> field; ++index) {
            if (index == 14 || index == 15) ticks += std::stod(field);
            if (index == 15) break;
        }
        return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
    }

  private:
    pid_t pid_ = 0;
    FILE* input_ = nullptr;
    FILE* output_ = nullptr;
};

struct Participant {
    std::unique_ptr<testing::SimulatedPeer> peer;
    std::vector<std::uint8_t> video;
    std::vector<std::uint8_t> audio;
    double video_credit = 0;
    double audio_credit = 0;
};

std::unique_ptr<testing::SimulatedPeer> join_server(Target& target, const std::string& room) {
    const auto own_ice = ice::IceLiteAgent::randomCredentials();
    auto certificate = std::make_shared<dtls::DtlsCertificate>();
    const auto offer = testing::chromium_like_offer(own_ice, certificate->fingerprint());
    target.write("JOIN " + room + " booth " + std::to_string(offer.size()) + "\n" + offer);
    const auto reply = target.line("ANSWER");
    const auto answer =
        sdp::SessionDescription::parse(target.read(std::stoul(reply.substr(reply.rfind(' ')))));
    if (!answer) throw std::runtime_error("unreadable answer");
    const auto& section = answer->media.at(0);
    std::istringstream candidate(section.candidates.at(0));
    std::string foundation, component, protocol, priority, ip;
    std::uint16_t port = 0;
    candidate >> foundation >> component >> protocol >> priority >> ip >> port;
    auto peer = std::make_unique<testing::SimulatedPeer>(
        *net::SocketAddress::from_ip(ip, port), ice::Credentials{section.iceUfrag, section.icePwd},
        section.fingerprint, own_ice, certificate);
    if (!peer->connect()) throw std::runtime_error("participant did not connect");
    return peer;
}

struct Result {
    double cpu_seconds = 0;
    std::uint64_t forwarded = 0;
    double wall_seconds = 0;
    double packets_per_cpu_second() const { return forwarded / std::max(cpu_seconds, 1e-9); }
};

Result run(bool ceiling, const std::string& harness, const std::string& ceiling_path,
           std::size_t calls, double seconds, unsigned workers) {
    Target target(ceiling
                      ? std::vector<std::string>{ceiling_path, "--peers", std::to_string(2 * calls)}
                      : std::vector<std::string>{harness, "--workers", std::to_string(workers)});
    const auto ready = target.line("READY");
    const auto address = *net::SocketAddress::parse(ready.substr(6, ready.find(' ', 6) - 6));
    std::vector<Participant> participants(2 * calls);
    for (std::size_t k = 0; k < participants.size(); ++k) {
        auto& p = participants[k];
        std::uint32_t audio_ssrc = 1001;
        std::uint32_t video_ssrc = 2001;
        if (ceiling) {
            p.peer = std::make_unique<testing::SimulatedPeer>(address, ice::Credentials{}, "");
            p.peer->use_keys(vg::bench::ceiling_keys(k));
            audio_ssrc = vg::bench::ceiling_ssrc(k, 0);
            video_ssrc = vg::bench::ceiling_ssrc(k, 1);
        } else {
            p.peer = join_server(target, "call-" + std::to_string(k / 2));
        }
        p.peer->keep_received = false;
        p.peer->batch_sends = true;
        p.video = testing::make_rtp(96, 0, 0, video_ssrc, 1200 - 12);
        p.audio = testing::make_rtp(111, 0, 0, audio_ssrc, 100 - 12);
    }

    const auto received = [&] {
        std::uint64_t total = 0;
        for (auto& p : participants) total += p.peer->rtp_received;
        return total;
    };
    const auto bump = [](std::vector<std::uint8_t>& packet, std::uint32_t step) {
        auto parsed = rtp::RtpPacket::parse(packet);
        parsed->setSequenceNumber(static_cast<std::uint16_t>(parsed->sequenceNumber() + 1));
        parsed->setTimestamp(parsed->timestamp() + step);
    };
    const auto warmup = 2s;
    const auto start = Clock::now();
    auto last = start;
    bool measuring = false;
    Result result;
    double cpu_start = 0;
    std::uint64_t received_start = 0;
    Clock::time_point measure_start;
    const auto end = start + warmup + std::chrono::duration<double>(seconds);
    while (Clock::now() < end) {
        const auto now = Clock::now();
        const double elapsed = std::chrono::duration<double>(now - last).count();
        last = now;
        if (!measuring && now - start >= warmup) {
            measuring = true;
            cpu_start = target.cpu_seconds();
            received_start = received();
            measure_start = now;
        }
        for (auto& p : participants) {
            p.video_credit += video_rate * elapsed;
            p.audio_credit += audio_rate * elapsed;
            for (; p.video_credit >= 1; p.video_credit -= 1) {
                bump(p.video, 3000);
                p.peer->send_rtp(p.video);
            }
            for (; p.audio_credit >= 1; p.audio_credit -= 1) {
                bump(p.audio, 960);
                p.peer->send_rtp(p.audio);
            }
            p.peer->flush();
            p.peer->poll(0ms);
        }
        std::this_thread::sleep_for(5ms);
    }
    result.cpu_seconds = target.cpu_seconds() - cpu_start;
    result.forwarded = received() - received_start;
    result.wall_seconds = std::chrono::duration<double>(Clock::now() - measure_start).count();
    return result;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    std::string harness;
    std::string ceiling;
    std::size_t calls = 25;
    double seconds = 10;
    int rounds = 3;
    unsigned workers = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string name = argv[i];
        const std::string value = argv[i + 1];
        if (name == "--harness")
            harness = value;
        else if (name == "--ceiling")
            ceiling = value;
        else if (name == "--calls")
            calls = std::stoul(value);
        else if (name == "--seconds")
            seconds = std::stod(value);
        else if (name == "--rounds")
            rounds = std::stoi(value);
    }
    if (harness.empty() || ceiling.empty() || calls == 0 || calls > 200 || seconds > 120 ||
        rounds < 1 || rounds > 9) {
        std::cerr << "usage: vg_media_load --harness PATH --ceiling PATH [--calls 1..200] "
                     "[--seconds <=120] [--rounds 1..9] [--workers N]\n";
        return 2;
    }
    // A round counts when both targets delivered at least 95% of the offered packets: below
    // that the load client (or a noisy neighbour) was the bottleneck, not the target.
    struct Round {
        Result server;
        Result ceiling;
        double server_delivered = 0;
        double ceiling_delivered = 0;
    };
    std::vector<Round> all;
    try {
        for (int round = 0; round < rounds; ++round) {
            Round r;
            for (const bool is_ceiling : {false, true}) {
                const auto result = run(is_ceiling, harness, ceiling, calls, seconds, workers);
                const double offered =
                    forwarded_per_call * static_cast<double>(calls) * result.wall_seconds;
                const double delivered = static_cast<double>(result.forwarded) / offered;
                std::printf(
                    "round %d %-7s forwarded %8llu (%.1f%% of offered) cpu %.2f s  "
                    "%.1f us/packet  %.0f packets per cpu-second\n",
                    round + 1, is_ceiling ? "ceiling" : "server",
                    static_cast<unsigned long long>(result.forwarded), 100.0 * delivered,
                    result.cpu_seconds,
                    1e6 * result.cpu_seconds / static_cast<double>(result.forwarded),
                    result.packets_per_cpu_second());
                std::fflush(stdout);
                (is_ceiling ? r.ceiling : r.server) = result;
                (is_ceiling ? r.ceiling_delivered : r.server_delivered) = delivered;
            }
            all.push_back(r);
        }
    } catch (const std::exception& error) {
        std::cerr << "benchmark failed: " << error.what() << '\n';
        return 1;
    }
    std::vector<Round> valid;
    for (const auto& r : all)
        if (r.server_delivered >= 0.95 && r.ceiling_delivered >= 0.95) valid.push_back(r);
    if (valid.empty()) {
        std::printf(
            "\nno round delivered 95%% of the offered packets on both targets: the load "
            "client is saturated, use fewer --calls\n");
        return 1;
    }
    std::vector<double> server_rates;
    std::vector<double> ceiling_rates;
    std::vector<double> ratios;
    for (const auto& r : valid) {
        server_rates.push_back(r.server.packets_per_cpu_second());
        ceiling_rates.push_back(r.ceiling.packets_per_cpu_second());
        ratios.push_back(r.server.packets_per_cpu_second() / r.ceiling.packets_per_cpu_second());
    }
    const double server = median(server_rates);
    const double top = median(ceiling_rates);
    std::printf(
        "\n| target | CPU per forwarded packet | packets per CPU-second | calls per core |\n"
        "|---|---|---|---|\n"
        "| server (vg_media_harness, %u worker(s)) | %.1f µs | %.0f | %.0f |\n"
        "| ceiling (vg_forward_ceiling) | %.1f µs | %.0f | %.0f |\n\n"
        "server / ceiling: **%.0f%%** (median of the per-round ratios; %zu of %d rounds "
        "valid, %zu calls, %.0f s each)\n",
        workers, 1e6 / server, server, server / forwarded_per_call, 1e6 / top, top,
        top / forwarded_per_call, 100.0 * median(ratios), valid.size(), rounds, calls, seconds);
    return 0;
}
