#pragma once
// What the worker, room and hand-over tests share: a worker on loopback with simulated peers
// (SimulatedPeer) that join its call sessions, the events it reports, and readers of the
// packets the peers got.
#include <dirent.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "rtc/room/DownlinkEstimate.hpp"
#include "rtc/rtcp/FeedbackPacket.hpp"
#include "rtc/rtcp/Remb.hpp"
#include "rtc/rtcp/Writer.hpp"
#include "rtc/rtp/RtpPacket.hpp"
#include "rtc/worker/Worker.hpp"
#include "unit/rtc/MediaEvents.hpp"
#include "unit/rtc/worker/SimulatedPeer.hpp"

namespace vg::rtc::worker {

using namespace std::chrono_literals;
using testing::make_rtp;
using testing::MediaEvents;
using testing::SimulatedPeer;

constexpr const char* audio_level = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
constexpr const char* mid_uri = "urn:ietf:params:rtp-hdrext:sdes:mid";
constexpr const char* transport_cc_uri =
    "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

// Audio (Opus) and video (VP8) sections with this participant's own payload types, extension
// ids and the SSRCs we send it; video_rtx_ssrc: our RTX SSRC for its video (0: we send it no
// RTX, though it offered RTX for what it sends us).
inline room::MediaSettings settings(std::uint8_t opus, std::uint8_t vp8, std::uint8_t level_id,
                                    std::uint32_t audio_ssrc, std::uint32_t video_ssrc,
                                    std::uint32_t video_rtx_ssrc = 0) {
    room::MediaSettings media;
    room::MediaSection audio;
    audio.kind = room::MediaKind::Audio;
    audio.mid = "0";
    audio.codecs = {{"opus", 48000, opus, ""}};
    audio.extensions = {{mid_uri, 9}, {audio_level, level_id}};
    audio.local_ssrc = audio_ssrc;
    room::MediaSection video;
    video.kind = room::MediaKind::Video;
    video.mid = "1";
    video.codecs = {{"VP8", 90000, vp8, "", -1},
                    {"rtx", 90000, static_cast<std::uint8_t>(vp8 + 1), "", vp8}};
    video.extensions = {{transport_cc_uri, 3}};
    video.local_ssrc = video_ssrc;
    video.local_rtx_ssrc = video_rtx_ssrc;
    media.sections = {audio, video};
    return media;
}

class WorkerFixture : public ::testing::Test {
  protected:
    std::shared_ptr<dtls::DtlsContext> context =
        std::make_shared<dtls::DtlsContext>(std::make_shared<dtls::DtlsCertificate>());
    MediaEvents events;
    Worker worker{0, *net::SocketAddress::parse("127.0.0.1:0"), false, context, events};
    std::uint64_t next_id = 1;

    void SetUp() override { worker.start(); }

    template <typename F>
    auto on_worker(F function) {
        std::promise<decltype(function())> done;
        auto result = done.get_future();
        EXPECT_TRUE(worker.post([&] {
            try {
                if constexpr (std::is_void_v<decltype(function())>) {
                    function();
                    done.set_value();
                } else {
                    done.set_value(function());
                }
            } catch (...) {
                done.set_exception(std::current_exception());
            }
        }));
        return result.get();
    }

    // Adds a participant to call session room_id and returns a peer that has connected to it.
    std::unique_ptr<SimulatedPeer> join(const std::string& room_id, room::MediaSettings media,
                                        std::uint64_t& id,
                                        std::chrono::milliseconds consent = 30s) {
        id = next_id++;
        const auto server_ice = ice::IceLiteAgent::random_credentials();
        auto peer = std::make_unique<SimulatedPeer>(worker.local_address(), server_ice,
                                                    context->certificate().fingerprint());
        Worker::ParticipantSpec spec;
        spec.room_id = room_id;
        spec.role = "booth";
        spec.media = std::move(media);
        spec.transport.id = id;
        spec.transport.local_ice = server_ice;
        spec.transport.remote_ice = peer->ice_credentials();
        spec.transport.remote_fingerprint = peer->fingerprint();
        spec.transport.consent_timeout = consent;
        on_worker([&] { worker.add_participant(spec); });
        return peer;
    }
};

// A receiver's PLI, or a sender's SR, among the RTCP a peer got.
inline std::optional<std::vector<std::uint8_t>> find_rtcp(const SimulatedPeer& peer,
                                                          std::uint8_t type, std::uint8_t format) {
    for (const auto& packet : peer.rtcp)
        if (packet.size() >= 8 && packet[1] == type && (packet[0] & 0x1f) == format) return packet;
    return std::nullopt;
}

inline std::uint32_t word(const std::vector<std::uint8_t>& bytes, std::size_t at) {
    return static_cast<std::uint32_t>(bytes[at]) << 24 | bytes[at + 1] << 16 | bytes[at + 2] << 8 |
           bytes[at + 3];
}

// The NACKs (RTPFB, FMT 1) a peer got, as (media SSRC, lost sequence numbers).
inline std::vector<std::pair<std::uint32_t, std::vector<std::uint16_t>>> nacks_of(
    const SimulatedPeer& peer) {
    std::vector<std::pair<std::uint32_t, std::vector<std::uint16_t>>> found;
    for (const auto& packet : peer.rtcp) {
        if (packet.size() < 16 || packet[1] != 205 || (packet[0] & 0x1f) != 1) continue;
        std::vector<std::uint16_t> lost;
        for (std::size_t at = 12; at + 4 <= packet.size(); at += 4) {
            const auto pid = static_cast<std::uint16_t>(packet[at] << 8 | packet[at + 1]);
            const auto blp = static_cast<std::uint16_t>(packet[at + 2] << 8 | packet[at + 3]);
            lost.push_back(pid);
            for (unsigned bit = 0; bit < 16; ++bit)
                if ((blp & (1u << bit)) != 0)
                    lost.push_back(static_cast<std::uint16_t>(pid + bit + 1));
        }
        found.emplace_back(word(packet, 8), lost);
    }
    return found;
}

// Booth video (payload type 96, SSRC 0xb01) with the booth's own transport-wide sequence
// number in extension 3.
inline std::vector<std::uint8_t> numbered_video(std::uint16_t sequence, std::uint16_t wide,
                                                std::size_t payload_size = 300) {
    auto packet = make_rtp(96, sequence, 3000u * sequence, 0xb01, payload_size, 3, 0);
    packet[16] = 3 << 4 | 1;  // two bytes
    packet[17] = static_cast<std::uint8_t>(wide >> 8);
    packet[18] = static_cast<std::uint8_t>(wide);
    return packet;
}

inline std::uint16_t wide_sequence_of(const std::vector<std::uint8_t>& packet) {
    return static_cast<std::uint16_t>(packet.at(17) << 8 | packet.at(18));
}

}  // namespace vg::rtc::worker
