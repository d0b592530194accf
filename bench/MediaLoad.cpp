// The media load benchmark: N simulated calls (two participants each) over loopback, each
// participant sending video-like (150 packets/s of 1200 bytes) and audio-like (50/s of 100
// bytes) RTP, against (a) our server (vg_media_harness: real ICE, DTLS and SRTP, rooms) and
// (b) the forwarding ceiling (vg_forward_ceiling), in alternating rounds. For each, the target
// process's CPU time (utime + stime from /proc) per forwarded packet.
//
//   vg_media_load --harness PATH --ceiling PATH [--calls 25] [--seconds 10] [--rounds 3]
//                 [--workers 1]   (media workers of the server; with 2, datagrams the kernel
//                                  gives the wrong worker are handed over: their cost counts)
//                 [--rtcp 1]      (toward the server, each participant also sends the RTCP a
//                                  browser receiving its peer's streams sends: per second one
//                                  RR + REMB, 10 transport-cc feedbacks, 5 NACKs of one packet;
//                                  the ceiling has no RTCP path and gets none)
// Prints one line per run and a Markdown summary (medians) at the end.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
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
#include "rtc/rtcp/Writer.hpp"
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

constexpr double report_rate = 1;  // RTCP packets per second per participant, when --rtcp
constexpr double twcc_rate = 10;
constexpr double nack_rate = 5;

struct Participant {
    std::unique_ptr<testing::SimulatedPeer> peer;
    std::vector<std::uint8_t> video;
    std::vector<std::uint8_t> audio;
    double video_credit = 0;
    double audio_credit = 0;
    // What it receives from the server (learnt from the forwarded packets), for its feedback.
    std::uint32_t remote_audio_ssrc = 0;
    std::uint32_t remote_video_ssrc = 0;
    double remote_video_sequence = 0;  // counted on at the video rate once learnt
    std::uint16_t twcc_sequence = 0;
    std::uint8_t twcc_count = 0;
    double report_credit = 0;
    double twcc_credit = 0;
    double nack_credit = 0;
};

constexpr std::uint32_t own_video_ssrc = 2001;  // chromium_like_offer's

// A transport-cc feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01) reporting 10
// packets received with small deltas: one run-length chunk, 10 one-byte deltas.
std::size_t write_twcc(std::uint8_t* at, std::uint32_t media_ssrc, std::uint16_t base,
                       std::uint8_t count) {
    constexpr std::uint16_t packets = 10;
    constexpr std::size_t size = 20 + 2 + packets;  // 32: a multiple of 4, no padding
    const auto put32 = [&](std::size_t offset, std::uint32_t v) {
        for (int i = 0; i < 4; ++i) at[offset + i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
    };
    at[0] = 0x80 | 15;  // V=2, FMT=15
    at[1] = 205;        // RTPFB
    at[2] = 0;
    at[3] = size / 4 - 1;
    put32(4, own_video_ssrc);
    put32(8, media_ssrc);
    at[12] = static_cast<std::uint8_t>(base >> 8);
    at[13] = static_cast<std::uint8_t>(base);
    at[14] = 0;
    at[15] = packets;
    put32(16, (static_cast<std::uint32_t>(base / packets) << 8) | count);  // reference time
    at[20] = 0x20;  // run length chunk, symbol 1 (small delta)
    at[21] = packets;
    for (std::size_t i = 0; i < packets; ++i) at[22 + i] = 20;  // 5 ms apart (250 µs units)
    return size;
}

// Sends the RTCP that is due (see --rtcp), after reading what the participant was forwarded;
// answers how many packets.
std::size_t send_feedback(Participant& p, double elapsed) {
    // Keeping every packet costs the load client a copy each: only until the streams are known.
    for (const auto& packet : p.peer->rtp) {
        if (packet.payload_type == 111) p.remote_audio_ssrc = packet.ssrc;
        if (packet.payload_type != 96) continue;
        p.remote_video_ssrc = packet.ssrc;
        p.remote_video_sequence = packet.sequence;
    }
    p.peer->rtp.clear();
    if (p.remote_video_ssrc == 0 || p.remote_audio_ssrc == 0) return 0;
    p.peer->keep_received = false;
    p.remote_video_sequence += video_rate * elapsed;
    const auto sequence = static_cast<std::uint16_t>(std::lround(p.remote_video_sequence));
    std::size_t sent = 0;
    p.report_credit += report_rate * elapsed;
    p.twcc_credit += twcc_rate * elapsed;
    p.nack_credit += nack_rate * elapsed;
    std::uint8_t buffer[256];
    for (; p.report_credit >= 1; p.report_credit -= 1) {
        rtcp::Writer writer(buffer);
        const rtcp::ReportBlock blocks[] = {
            {.ssrc = p.remote_video_ssrc, .highest_sequence = sequence},
            {.ssrc = p.remote_audio_ssrc}};
        const std::uint32_t remb_ssrcs[] = {p.remote_video_ssrc};
        writer.add_receiver_report(own_video_ssrc, blocks);
        writer.add_remb(own_video_ssrc, 2'000'000, remb_ssrcs);
        sent += p.peer->send_rtcp(writer.bytes());
    }
    for (; p.twcc_credit >= 1; p.twcc_credit -= 1) {
        sent += p.peer->send_rtcp(
            {buffer, write_twcc(buffer, p.remote_video_ssrc, p.twcc_sequence, p.twcc_count++)});
        p.twcc_sequence = static_cast<std::uint16_t>(p.twcc_sequence + 10);
    }
    for (; p.nack_credit >= 1; p.nack_credit -= 1) {
        rtcp::Writer writer(buffer);
        const std::uint16_t lost[] = {static_cast<std::uint16_t>(sequence - 5)};
        writer.add_nack(own_video_ssrc, p.remote_video_ssrc, lost);
        sent += p.peer->send_rtcp(writer.bytes());
    }
    return sent;
}

std::unique_ptr<testing::SimulatedPeer> join_server(Target& target, const std::string& room) {
    const auto own_ice = ice::IceLiteAgent::random_credentials();
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
        *net::SocketAddress::from_ip(ip, port),
        ice::Credentials{section.ice_ufrag, section.ice_pwd}, section.fingerprint, own_ice,
        certificate);
    if (!peer->connect()) throw std::runtime_error("participant did not connect");
    return peer;
}

struct Result {
    double cpu_seconds = 0;
    std::uint64_t forwarded = 0;
    std::uint64_t rtcp_sent = 0;      // by the participants, in the window
    std::uint64_t rtcp_received = 0;  // from the target: its reports and the feedback it relays
    double wall_seconds = 0;
    double packets_per_cpu_second() const { return forwarded / std::max(cpu_seconds, 1e-9); }
};

Result run(bool ceiling, const std::string& harness, const std::string& ceiling_path,
           std::size_t calls, double seconds, unsigned workers, bool with_rtcp) {
    const bool feedback = with_rtcp && !ceiling;
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
        p.peer->keep_received = feedback;
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
        parsed->set_sequence_number(static_cast<std::uint16_t>(parsed->sequence_number() + 1));
        parsed->set_timestamp(parsed->timestamp() + step);
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
            const std::size_t sent = feedback ? send_feedback(p, elapsed) : 0;
            if (measuring) {
                result.rtcp_sent += sent;
                result.rtcp_received += p.peer->rtcp.size();
            }
            p.peer->rtcp.clear();
            p.peer->flush();
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
    bool with_rtcp = false;
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
        else if (name == "--workers")
            workers = static_cast<unsigned>(std::stoul(value));
        else if (name == "--rtcp")
            with_rtcp = value != "0";
    }
    if (harness.empty() || ceiling.empty() || calls == 0 || calls > 200 || seconds > 120 ||
        rounds < 1 || rounds > 9) {
        std::cerr << "usage: vg_media_load --harness PATH --ceiling PATH [--calls 1..200] "
                     "[--seconds <=120] [--rounds 1..9] [--workers N] [--rtcp 0|1]\n";
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
                const auto result =
                    run(is_ceiling, harness, ceiling, calls, seconds, workers, with_rtcp);
                const double offered =
                    forwarded_per_call * static_cast<double>(calls) * result.wall_seconds;
                const double delivered = static_cast<double>(result.forwarded) / offered;
                std::printf(
                    "round %d %-7s forwarded %8llu (%.1f%% of offered) cpu %.2f s  "
                    "%.1f us/packet  %.0f packets per cpu-second  rtcp sent %llu received %llu\n",
                    round + 1, is_ceiling ? "ceiling" : "server",
                    static_cast<unsigned long long>(result.forwarded), 100.0 * delivered,
                    result.cpu_seconds,
                    1e6 * result.cpu_seconds / static_cast<double>(result.forwarded),
                    result.packets_per_cpu_second(),
                    static_cast<unsigned long long>(result.rtcp_sent),
                    static_cast<unsigned long long>(result.rtcp_received));
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
        "| server (vg_media_harness, %u worker(s)%s) | %.1f µs | %.0f | %.0f |\n"
        "| ceiling (vg_forward_ceiling) | %.1f µs | %.0f | %.0f |\n\n"
        "server / ceiling: **%.0f%%** (median of the per-round ratios; %zu of %d rounds "
        "valid, %zu calls, %.0f s each)\n",
        workers, with_rtcp ? ", with RTCP" : "", 1e6 / server, server, server / forwarded_per_call,
        1e6 / top, top, top / forwarded_per_call, 100.0 * median(ratios), valid.size(), rounds,
        calls, seconds);
    return 0;
}
