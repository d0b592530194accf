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

#include "SimulatedPeer.hpp"
#include "rtc/room/DownlinkEstimate.hpp"
#include "rtc/rtcp/FeedbackPacket.hpp"
#include "rtc/rtcp/Remb.hpp"
#include "rtc/rtcp/Writer.hpp"
#include "rtc/rtp/RtpPacket.hpp"
#include "rtc/worker/Worker.hpp"

namespace vg::rtc::worker {
namespace {

using namespace std::chrono_literals;
using testing::make_rtp;
using testing::SimulatedPeer;

constexpr const char* audio_level = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
constexpr const char* mid_uri = "urn:ietf:params:rtp-hdrext:sdes:mid";
constexpr const char* transport_cc_uri =
    "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

struct Events : Worker::Listener {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::uint64_t> connected;
    std::map<std::uint64_t, std::string> closed;

    void on_participant_connected(std::uint64_t id) override {
        std::lock_guard lock(mutex);
        connected.push_back(id);
        changed.notify_all();
    }
    void on_participant_closed(std::uint64_t id, std::string_view reason) override {
        std::lock_guard lock(mutex);
        closed[id] = std::string(reason);
        changed.notify_all();
    }
    std::vector<QualitySummary> quality;
    void on_participant_quality(const QualitySummary& summary) override {
        std::lock_guard lock(mutex);
        quality.push_back(summary);
    }
    bool wait_closed(std::uint64_t id, std::chrono::milliseconds limit) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, limit, [&] { return closed.contains(id); });
    }
};

// Audio (Opus) and video (VP8) sections with this participant's own payload types, extension
// ids and the SSRCs we send it.
room::MediaSettings settings(std::uint8_t opus, std::uint8_t vp8, std::uint8_t level_id,
                             std::uint32_t audio_ssrc, std::uint32_t video_ssrc) {
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
    media.sections = {audio, video};
    return media;
}

class WorkerTest : public ::testing::Test {
  protected:
    std::shared_ptr<dtls::DtlsContext> context =
        std::make_shared<dtls::DtlsContext>(std::make_shared<dtls::DtlsCertificate>());
    Events events;
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
        const auto server_ice = ice::IceLiteAgent::randomCredentials();
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

TEST_F(WorkerTest, TwoParticipantsReceiveEachOthersMediaRewritten) {
    std::uint64_t booth_id = 0;
    std::uint64_t agent_id = 0;
    auto booth = join("call-1", settings(111, 96, 1, 0x1000, 0x1001), booth_id);
    auto agent = join("call-1", settings(109, 100, 5, 0x2000, 0x2001), agent_id);
    ASSERT_TRUE(booth->connect());
    ASSERT_TRUE(agent->connect());
    EXPECT_EQ(on_worker([&] { return worker.stats().participants; }), 2u);

    // The booth's audio, with its audio level in extension id 1, reaches the agent as the
    // agent negotiated it: payload type 109, SSRC 0x2000, audio level in id 5.
    for (std::uint16_t i = 0; i < 5; ++i)
        ASSERT_TRUE(booth->send_rtp(make_rtp(111, 1000 + i, 48000 + 960u * i, 0xb00, 100, 1, 42)));
    ASSERT_TRUE(agent->wait_for_rtp(5));
    for (std::size_t i = 0; i < 5; ++i) {
        const auto& received = agent->rtp[i];
        EXPECT_EQ(received.payload_type, 109);
        EXPECT_EQ(received.ssrc, 0x2000u);
        EXPECT_EQ(received.sequence, 1000 + i);
        EXPECT_EQ(received.timestamp, 48000 + 960u * i);
        auto bytes = received.bytes;
        const auto packet = rtp::RtpPacket::parse(bytes);
        ASSERT_TRUE(packet);
        ASSERT_TRUE(packet->extension(5));
        EXPECT_EQ((*packet->extension(5))[0], 42);
        EXPECT_FALSE(packet->extension(1));
        EXPECT_EQ(packet->payload().size(), 100u);
    }

    // The agent's video reaches the booth as VP8 payload type 96 on SSRC 0x1001.
    ASSERT_TRUE(agent->send_rtp(make_rtp(100, 7, 90000, 0xa91, 1000)));
    ASSERT_TRUE(booth->wait_for_rtp(1));
    EXPECT_EQ(booth->rtp[0].payload_type, 96);
    EXPECT_EQ(booth->rtp[0].ssrc, 0x1001u);
    EXPECT_EQ(booth->rtp[0].bytes.size(), 12u + 1000u);

    // A payload type the agent never negotiated is not forwarded, nor is an RTX probe (RTX
    // without payload).
    ASSERT_TRUE(agent->send_rtp(make_rtp(102, 8, 90000, 0xa91, 50)));
    ASSERT_TRUE(agent->send_rtp(make_rtp(101, 9, 90000, 0xa92, 0)));
    booth->poll(100ms);
    EXPECT_EQ(booth->rtp.size(), 1u);
}

TEST_F(WorkerTest, PictureLossFromAReceiverBecomesOneKeyframeRequestToTheSender) {
    std::uint64_t booth_id = 0;
    std::uint64_t agent_id = 0;
    auto booth = join("call-2", settings(111, 96, 1, 0x1000, 0x1001), booth_id);
    auto agent = join("call-2", settings(109, 100, 5, 0x2000, 0x2001), agent_id);
    ASSERT_TRUE(booth->connect());
    ASSERT_TRUE(agent->connect());
    ASSERT_TRUE(booth->send_rtp(make_rtp(96, 1, 0, 0xb01, 500)));
    ASSERT_TRUE(agent->wait_for_rtp(1));
    booth->poll(600ms);  // the first packet itself asked for a keyframe; let the throttle pass
    booth->rtcp.clear();

    // Two PLIs from the agent about the stream it receives, in quick succession.
    std::vector<std::uint8_t> buffer(64);
    rtcp::Writer writer(buffer);
    ASSERT_TRUE(writer.addPli(0x77, 0x2001));
    buffer.resize(writer.size());
    ASSERT_TRUE(agent->send_rtcp(buffer));
    ASSERT_TRUE(agent->send_rtcp(buffer));
    ASSERT_TRUE(booth->wait_for_rtcp(1));
    booth->poll(100ms);
    ASSERT_EQ(booth->rtcp.size(), 1u);
    const auto& pli = booth->rtcp[0];
    ASSERT_EQ(pli.size(), 12u);
    EXPECT_EQ(pli[0] & 0x1f, 1);
    EXPECT_EQ(pli[1], 206);
    // Names the booth's own video SSRC.
    EXPECT_EQ(pli[8] << 24 | pli[9] << 16 | pli[10] << 8 | pli[11], 0xb01);
}

TEST_F(WorkerTest, ReconnectedSenderContinuesTheReceiversNumbering) {
    std::uint64_t booth_id = 0;
    std::uint64_t agent_id = 0;
    auto booth = join("call-3", settings(111, 96, 1, 0x1000, 0x1001), booth_id);
    auto agent = join("call-3", settings(109, 100, 5, 0x2000, 0x2001), agent_id);
    ASSERT_TRUE(booth->connect());
    ASSERT_TRUE(agent->connect());
    for (std::uint16_t i = 0; i < 3; ++i)
        ASSERT_TRUE(booth->send_rtp(make_rtp(111, 100 + i, 5000 + 960u * i, 0xb00, 50)));
    ASSERT_TRUE(agent->wait_for_rtp(3));

    // The booth drops and rejoins: a new transport, a new SSRC, a new random numbering.
    on_worker([&] { worker.remove_participant(booth_id, "left", true); });
    booth = join("call-3", settings(111, 96, 1, 0x1000, 0x1001), booth_id);
    ASSERT_TRUE(booth->connect());
    ASSERT_TRUE(booth->send_rtp(make_rtp(111, 40000, 777777, 0xb77, 50)));
    ASSERT_TRUE(booth->send_rtp(make_rtp(111, 40001, 777777 + 960, 0xb77, 50)));
    ASSERT_TRUE(agent->wait_for_rtp(5));
    EXPECT_EQ(agent->rtp[3].ssrc, 0x2000u);
    EXPECT_EQ(agent->rtp[3].sequence, 103);
    EXPECT_EQ(agent->rtp[4].sequence, 104);
    EXPECT_GT(agent->rtp[3].timestamp, agent->rtp[2].timestamp);
    EXPECT_EQ(agent->rtp[4].timestamp - agent->rtp[3].timestamp, 960u);
}

TEST_F(WorkerTest, NackIsRenumberedForTheSenderAndItsRtxAnswerForwardedAsTheOriginal) {
    std::uint64_t booth_id = 0;
    std::uint64_t agent_id = 0;
    auto booth = join("call-n", settings(111, 96, 1, 0x1000, 0x1001), booth_id);
    auto agent = join("call-n", settings(109, 100, 5, 0x2000, 0x2001), agent_id);
    ASSERT_TRUE(booth->connect());
    ASSERT_TRUE(agent->connect());
    // The booth's video restarts under a new SSRC and numbering: the agent's numbering goes on.
    for (std::uint16_t i = 0; i < 3; ++i)
        ASSERT_TRUE(booth->send_rtp(make_rtp(96, 500 + i, 3000u * i, 0xb01, 200)));
    ASSERT_TRUE(booth->send_rtp(make_rtp(96, 9000, 9000, 0xb02, 200)));
    // 9001 is lost on the way.
    ASSERT_TRUE(booth->send_rtp(make_rtp(96, 9002, 9000, 0xb02, 200)));
    ASSERT_TRUE(agent->wait_for_rtp(5));
    ASSERT_EQ(agent->rtp[3].sequence, 503);
    ASSERT_EQ(agent->rtp[4].sequence, 505);

    // The agent lost its 504: the booth is asked for its 9001.
    std::vector<std::uint8_t> buffer(64);
    rtcp::Writer writer(buffer);
    const std::uint16_t lost[] = {504};
    ASSERT_TRUE(writer.addNack(0x77, 0x2001, lost));
    buffer.resize(writer.size());
    ASSERT_TRUE(agent->send_rtcp(buffer));
    std::optional<std::vector<std::uint8_t>> nack;
    const auto deadline = std::chrono::steady_clock::now() + 2s;
    while (!nack && std::chrono::steady_clock::now() < deadline) {
        booth->poll(10ms);
        for (const auto& packet : booth->rtcp)
            if (packet.size() >= 16 && packet[1] == 205 && (packet[0] & 0x1f) == 1) nack = packet;
    }
    ASSERT_TRUE(nack);
    const auto& n = *nack;
    EXPECT_EQ(static_cast<std::uint32_t>(n[8] << 24 | n[9] << 16 | n[10] << 8 | n[11]), 0xb02u);
    EXPECT_EQ(n[12] << 8 | n[13], 9001);

    // The booth answers in RTX (payload type 97, its own SSRC and numbering, the original
    // sequence number first): the agent gets its packet 504 back as VP8.
    auto original = make_rtp(96, 9001, 9000, 0xb02, 200);
    auto rtx = make_rtp(97, 1, 9000, 0xb0f, 0);
    rtx.push_back(0x23);  // 9001
    rtx.push_back(0x29);
    rtx.insert(rtx.end(), original.begin() + 12, original.end());
    ASSERT_TRUE(booth->send_rtp(rtx));
    ASSERT_TRUE(agent->wait_for_rtp(6));
    const auto& repaired = agent->rtp[5];
    EXPECT_EQ(repaired.payload_type, 100);
    EXPECT_EQ(repaired.ssrc, 0x2001u);
    EXPECT_EQ(repaired.sequence, 504);
    EXPECT_EQ(repaired.bytes.size(), original.size());
    EXPECT_TRUE(std::equal(original.begin() + 12, original.end(), repaired.bytes.begin() + 12));
}

// A receiver's PLI, or a sender's SR, among the RTCP a peer got.
std::optional<std::vector<std::uint8_t>> find_rtcp(const SimulatedPeer& peer, std::uint8_t type,
                                                   std::uint8_t format) {
    for (const auto& packet : peer.rtcp)
        if (packet.size() >= 8 && packet[1] == type && (packet[0] & 0x1f) == format) return packet;
    return std::nullopt;
}

std::uint32_t word(const std::vector<std::uint8_t>& bytes, std::size_t at) {
    return static_cast<std::uint32_t>(bytes[at]) << 24 | bytes[at + 1] << 16 | bytes[at + 2] << 8 |
           bytes[at + 3];
}

TEST_F(WorkerTest, JoiningParticipantTriggersAKeyframeRequestToTheSender) {
    std::uint64_t booth_id = 0;
    std::uint64_t agent_id = 0;
    auto booth = join("call-k", settings(111, 96, 1, 0x1000, 0x1001), booth_id);
    ASSERT_TRUE(booth->connect());
    ASSERT_TRUE(booth->send_rtp(make_rtp(96, 1, 0, 0xb01, 500)));  // alone: goes nowhere
    booth->poll(50ms);
    EXPECT_FALSE(find_rtcp(*booth, 206, 1));

    auto agent = join("call-k", settings(109, 100, 5, 0x2000, 0x2001), agent_id);
    ASSERT_TRUE(agent->connect());
    const auto deadline = std::chrono::steady_clock::now() + 2s;
    while (!find_rtcp(*booth, 206, 1) && std::chrono::steady_clock::now() < deadline)
        booth->poll(10ms);
    const auto pli = find_rtcp(*booth, 206, 1);
    ASSERT_TRUE(pli);
    EXPECT_EQ(word(*pli, 8), 0xb01u);
}

TEST_F(WorkerTest, SenderReportReachesTheReceiverInItsSsrcAndTimeline) {
    std::uint64_t booth_id = 0;
    std::uint64_t agent_id = 0;
    auto booth = join("call-s", settings(111, 96, 1, 0x1000, 0x1001), booth_id);
    auto agent = join("call-s", settings(109, 100, 5, 0x2000, 0x2001), agent_id);
    ASSERT_TRUE(booth->connect());
    ASSERT_TRUE(agent->connect());
    // First stream of the receiver: its timeline is the sender's (offset 0).
    ASSERT_TRUE(booth->send_rtp(make_rtp(111, 10, 480000, 0xb00, 50)));
    ASSERT_TRUE(agent->wait_for_rtp(1));

    std::vector<std::uint8_t> buffer(128);
    rtcp::Writer writer(buffer);
    rtcp::SenderInfo info;
    info.ssrc = 0xb00;
    info.ntpTimestamp = 0x0123456789abcdefULL;
    info.rtpTimestamp = 480960;
    info.packetCount = 11;
    info.octetCount = 550;
    const rtcp::ReportBlock block{};
    ASSERT_TRUE(writer.addSenderReport(info, {&block, 1}));
    buffer.resize(writer.size());
    ASSERT_TRUE(booth->send_rtcp(buffer));

    const auto deadline = std::chrono::steady_clock::now() + 2s;
    while (!find_rtcp(*agent, 200, 0) && std::chrono::steady_clock::now() < deadline)
        agent->poll(10ms);
    const auto report = find_rtcp(*agent, 200, 0);
    ASSERT_TRUE(report);
    ASSERT_EQ(report->size(), 28u);  // sender info only: the booth's report block is not ours
    EXPECT_EQ(word(*report, 4), 0x2000u);
    EXPECT_EQ(word(*report, 8), 0x01234567u);
    EXPECT_EQ(word(*report, 16), 480960u);
    // The counts are ours toward the agent: one packet of 50 payload bytes forwarded so far.
    EXPECT_EQ(word(*report, 20), 1u);
    EXPECT_EQ(word(*report, 24), 50u);
}

// The NACKs (RTPFB, FMT 1) a peer got, as (media SSRC, lost sequence numbers).
std::vector<std::pair<std::uint32_t, std::vector<std::uint16_t>>> nacks_of(
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

TEST_F(WorkerTest, ServerAsksTheSenderForThePacketsItMissed) {
    std::uint64_t booth_id = 0;
    std::uint64_t agent_id = 0;
    auto booth = join("call-g", settings(111, 96, 1, 0x1000, 0x1001), booth_id);
    auto agent = join("call-g", settings(109, 100, 5, 0x2000, 0x2001), agent_id);
    ASSERT_TRUE(booth->connect());
    ASSERT_TRUE(agent->connect());
    for (const std::uint16_t sequence : {100, 101, 104, 105})  // 102 and 103 lost on the way
        ASSERT_TRUE(booth->send_rtp(make_rtp(96, sequence, 9000, 0xb01, 200)));
    ASSERT_TRUE(agent->wait_for_rtp(4));
    const auto deadline = std::chrono::steady_clock::now() + 2s;
    while (nacks_of(*booth).empty() && std::chrono::steady_clock::now() < deadline)
        booth->poll(10ms);
    const auto nacks = nacks_of(*booth);
    ASSERT_FALSE(nacks.empty());
    EXPECT_EQ(nacks[0].first, 0xb01u);
    EXPECT_EQ(nacks[0].second, (std::vector<std::uint16_t>{102, 103}));

    // Its RTX answer fills the gap and reaches the agent; a second copy is not forwarded.
    auto original = make_rtp(96, 102, 9000, 0xb01, 200);
    auto rtx = make_rtp(97, 1, 9000, 0xb0f, 0);
    rtx.push_back(0);
    rtx.push_back(102);
    rtx.insert(rtx.end(), original.begin() + 12, original.end());
    ASSERT_TRUE(booth->send_rtp(rtx));
    ASSERT_TRUE(agent->wait_for_rtp(5));
    EXPECT_EQ(agent->rtp[4].sequence, 102);
    ASSERT_TRUE(booth->send_rtp(rtx));
    EXPECT_FALSE(agent->wait_for_rtp(6, 300ms));

    // 106 is lost, and the booth's padding repeats it in RTX before 107: it is the newest.
    auto ahead = make_rtp(97, 2, 9000, 0xb0f, 0);
    ahead.push_back(0);
    ahead.push_back(106);
    ahead.insert(ahead.end(), original.begin() + 12, original.end());
    ASSERT_TRUE(booth->send_rtp(ahead));
    ASSERT_TRUE(agent->wait_for_rtp(6));
    EXPECT_EQ(agent->rtp[5].sequence, 106);
}

// Booth video (payload type 96, SSRC 0xb01) with the booth's own transport-wide sequence
// number in extension 3.
std::vector<std::uint8_t> numbered_video(std::uint16_t sequence, std::uint16_t wide,
                                         std::size_t payload_size = 300) {
    auto packet = make_rtp(96, sequence, 3000u * sequence, 0xb01, payload_size, 3, 0);
    packet[16] = 3 << 4 | 1;  // two bytes
    packet[17] = static_cast<std::uint8_t>(wide >> 8);
    packet[18] = static_cast<std::uint8_t>(wide);
    return packet;
}

std::uint16_t wide_sequence_of(const std::vector<std::uint8_t>& packet) {
    return static_cast<std::uint16_t>(packet.at(17) << 8 | packet.at(18));
}

TEST_F(WorkerTest, ReceiversNackIsAnsweredFromItsRetransmissionBufferNotByTheSender) {
    std::uint64_t booth_id = 0;
    std::uint64_t agent_id = 0;
    auto booth = join("call-b", settings(111, 96, 1, 0x1000, 0x1001), booth_id);
    auto agent = join("call-b", settings(109, 100, 5, 0x2000, 0x2001), agent_id);
    ASSERT_TRUE(booth->connect());
    ASSERT_TRUE(agent->connect());
    // The first stream of the agent keeps the booth's numbering: 701 is lost on the downlink.
    agent->lose_rtp_sequence = 701;
    for (std::uint16_t i = 0; i < 3; ++i)
        ASSERT_TRUE(booth->send_rtp(numbered_video(700 + i, 5000 + i, 300 + i)));
    ASSERT_TRUE(agent->wait_for_rtp(2));
    ASSERT_FALSE(agent->lose_rtp_sequence);
    // Transport-wide numbers of our own on the agent's leg, not the booth's uplink ones.
    EXPECT_EQ(wide_sequence_of(agent->rtp[0].bytes), 0);
    EXPECT_EQ(wide_sequence_of(agent->rtp[1].bytes), 2);

    std::vector<std::uint8_t> buffer(64);
    rtcp::Writer writer(buffer);
    const std::uint16_t lost[] = {701};
    ASSERT_TRUE(writer.addNack(0x77, 0x2001, lost));
    buffer.resize(writer.size());
    ASSERT_TRUE(agent->send_rtcp(buffer));
    ASSERT_TRUE(agent->wait_for_rtp(3));
    const auto& repaired = agent->rtp[2];
    EXPECT_EQ(repaired.sequence, 701);
    EXPECT_EQ(repaired.ssrc, 0x2001u);
    EXPECT_EQ(repaired.payload_type, 100);
    EXPECT_EQ(repaired.bytes.size(), 20u + 301u);
    // A new number: its feedback must not be taken for the first sending's.
    EXPECT_EQ(wide_sequence_of(repaired.bytes), 3);
    booth->poll(200ms);
    EXPECT_TRUE(nacks_of(*booth).empty());  // the uplink lost nothing: the booth is not asked
}

TEST_F(WorkerTest, SenderGetsReceiverReportsOnWhatWeReceived) {
    std::uint64_t booth_id = 0;
    std::uint64_t agent_id = 0;
    auto booth = join("call-r", settings(111, 96, 1, 0x1000, 0x1001), booth_id);
    auto agent = join("call-r", settings(109, 100, 5, 0x2000, 0x2001), agent_id);
    ASSERT_TRUE(booth->connect());
    ASSERT_TRUE(agent->connect());
    // Ten audio packets, two never sent (Opus is not asked for again: it keeps its loss).
    for (std::uint16_t i = 0; i < 10; ++i) {
        if (i == 4 || i == 5) continue;
        ASSERT_TRUE(booth->send_rtp(make_rtp(111, 300 + i, 960u * i, 0xa01, 80)));
    }
    // An SR from the booth, so that the report carries LSR.
    std::vector<std::uint8_t> sr(64);
    rtcp::Writer sr_writer(sr);
    rtcp::SenderInfo info;
    info.ssrc = 0xa01;
    info.ntpTimestamp = 0x0000aaaabbbb0000ULL;
    ASSERT_TRUE(sr_writer.addSenderReport(info, {}));
    sr.resize(sr_writer.size());
    ASSERT_TRUE(booth->send_rtcp(sr));

    const auto deadline = std::chrono::steady_clock::now() + 3s;
    while (!find_rtcp(*booth, 201, 1) && std::chrono::steady_clock::now() < deadline)
        booth->poll(20ms);
    const auto report = find_rtcp(*booth, 201, 1);
    ASSERT_TRUE(report);
    ASSERT_GE(report->size(), 8u + 24u + 8u);
    EXPECT_EQ(word(*report, 4), 0x1001u);  // from our SSRC toward the booth
    const auto block = rtcp::ReportBlock::read(report->data() + 8);
    EXPECT_EQ(block.ssrc, 0xa01u);
    EXPECT_EQ(block.cumulativeLost, 2);
    EXPECT_EQ(block.fractionLost, 2 * 256 / 10);
    EXPECT_EQ(block.highestSequence, 309u);
    EXPECT_EQ(block.lastSenderReport, 0xaaaabbbbu);
    EXPECT_LT(block.delaySinceLastSenderReport, 65536u * 2);
    // RFC 3550 6.1: the same compound packet names our CNAME.
    EXPECT_EQ((*report)[8 + 24 + 1], 202);
}

TEST_F(WorkerTest, SenderGetsTransportWideCongestionFeedback) {
    std::uint64_t booth_id = 0;
    std::uint64_t agent_id = 0;
    auto booth = join("call-w", settings(111, 96, 1, 0x1000, 0x1001), booth_id);
    auto agent = join("call-w", settings(109, 100, 5, 0x2000, 0x2001), agent_id);
    ASSERT_TRUE(booth->connect());
    ASSERT_TRUE(agent->connect());
    // Video with transport-wide sequence numbers 700, 701, 703 in extension 3 (two bytes).
    for (const std::uint16_t wide : {700, 701, 703}) {
        auto packet = make_rtp(96, wide, 0, 0xb01, 300, 3, 0);
        packet[16] = 3 << 4 | 1;
        packet[17] = static_cast<std::uint8_t>(wide >> 8);
        packet[18] = static_cast<std::uint8_t>(wide);
        ASSERT_TRUE(booth->send_rtp(packet));
    }
    // One feedback, or several if a tick fell between the packets: together they cover
    // 700..703 (702 reported missing), in order.
    std::vector<std::vector<std::uint8_t>> feedbacks;
    const auto covered = [&] {
        feedbacks.clear();
        int count = 0;
        for (const auto& packet : booth->rtcp)
            if (packet.size() >= 20 && packet[1] == 205 && (packet[0] & 0x1f) == 15) {
                feedbacks.push_back(packet);
                count += packet[14] << 8 | packet[15];
            }
        return count;
    };
    const auto deadline = std::chrono::steady_clock::now() + 2s;
    while (covered() < 4 && std::chrono::steady_clock::now() < deadline) booth->poll(10ms);
    ASSERT_EQ(covered(), 4);
    EXPECT_EQ(word(feedbacks[0], 8), 0xb01u);
    int expected_base = 700;
    for (const auto& feedback : feedbacks) {
        EXPECT_EQ(feedback[12] << 8 | feedback[13], expected_base);
        expected_base += feedback[14] << 8 | feedback[15];
    }
}

TEST_F(WorkerTest, AQueueOnTheReceiversDownlinkLowersTheSendersRemb) {
    std::uint64_t booth_id = 0;
    std::uint64_t agent_id = 0;
    auto booth = join("call-q", settings(111, 96, 1, 0x1000, 0x1001), booth_id);
    auto agent = join("call-q", settings(109, 100, 5, 0x2000, 0x2001), agent_id);
    ASSERT_TRUE(booth->connect());
    ASSERT_TRUE(agent->connect());
    const auto rembs = [&] {
        std::vector<rtcp::Remb> found;
        for (auto& bytes : booth->rtcp) {
            const auto packet = rtcp::Packet::parse(bytes);
            const auto feedback = packet ? rtcp::FeedbackPacket::parse(*packet) : std::nullopt;
            if (const auto remb = feedback ? rtcp::Remb::parse(*feedback) : std::nullopt)
                found.push_back(*remb);
        }
        return found;
    };
    // The agent's browser: transport-cc feedback on what it got, with the arrival times we
    // make up. Packets go 5 ms apart (sleeping, so at least that far), and arrive 1 ms apart
    // plus `queue_growth` more each: with no growth, sooner than sent even if the server
    // stalled and sent several at once.
    transport::TransportCcFeedback agent_feedback;
    auto arrival = std::chrono::steady_clock::now();
    std::uint16_t sequence = 100;
    const auto send_and_feed_back = [&](int count, std::chrono::milliseconds queue_growth) {
        const auto first = agent->rtp.size();
        for (int i = 0; i < count; ++i, ++sequence) {
            ASSERT_TRUE(booth->send_rtp(numbered_video(sequence, sequence)));
            std::this_thread::sleep_for(5ms);
        }
        ASSERT_TRUE(agent->wait_for_rtp(first + static_cast<std::size_t>(count)));
        for (auto i = first; i < agent->rtp.size(); ++i) {
            arrival += 1ms + queue_growth;
            agent_feedback.on_packet(wide_sequence_of(agent->rtp[i].bytes), arrival);
        }
        std::vector<std::uint8_t> feedback(1200);
        feedback.resize(agent_feedback.write(feedback.data(), feedback.size(), 0x77, 0x2001));
        ASSERT_TRUE(agent->send_rtcp(feedback));
    };

    send_and_feed_back(40, 0ms);
    booth->poll(300ms);
    EXPECT_TRUE(rembs().empty()) << "nothing limits the booth while its video arrives on time";

    // The next 40 wait longer and longer: a queue grows in front of the agent's downlink.
    send_and_feed_back(40, 20ms);
    const auto deadline = std::chrono::steady_clock::now() + 2s;
    while (rembs().empty() && std::chrono::steady_clock::now() < deadline) booth->poll(10ms);
    ASSERT_EQ(rembs().size(), 1u);
    const auto remb = rembs()[0];
    ASSERT_GE(remb.ssrcCount(), 1u);
    EXPECT_EQ(remb.ssrc(0), 0xb01u);
    // Below what reached the agent: 80 packets of 320 bytes in at least 700 ms (with the
    // pause), under 300 kb/s.
    EXPECT_LT(remb.bitrate(), 300'000u);
    EXPECT_GE(remb.bitrate(), room::DownlinkEstimate::min_bitrate);
}

TEST_F(WorkerTest, AWorkerThatStopsStillReportsEachParticipantsQuality) {
    std::uint64_t booth_id = 0;
    std::uint64_t agent_id = 0;
    auto booth = join("call-s", settings(111, 96, 1, 0x1000, 0x1001), booth_id);
    auto agent = join("call-s", settings(109, 100, 5, 0x2000, 0x2001), agent_id);
    ASSERT_TRUE(booth->connect());
    ASSERT_TRUE(agent->connect());
    for (std::uint16_t i = 0; i < 3; ++i)
        ASSERT_TRUE(booth->send_rtp(make_rtp(96, 300 + i, 3000u * i, 0xb01, 200)));
    ASSERT_TRUE(agent->wait_for_rtp(3));
    worker.stop();
    std::lock_guard lock(events.mutex);
    ASSERT_EQ(events.quality.size(), 2u);
    for (const auto& summary : events.quality) {
        EXPECT_EQ(summary.room_id, "call-s");
        if (summary.participant_id == booth_id) {
            EXPECT_EQ(summary.packets_received, 3u);
        } else {
            EXPECT_EQ(summary.participant_id, agent_id);
            EXPECT_EQ(summary.packets_sent, 3u);
        }
    }
    EXPECT_TRUE(events.closed.empty()) << "nobody is told of a close: the engine is going away";
}

TEST_F(WorkerTest, ParticipantsInOtherCallSessionsHearNothing) {
    std::uint64_t first = 0;
    std::uint64_t second = 0;
    auto booth = join("call-a", settings(111, 96, 1, 0x1000, 0x1001), first);
    auto stranger = join("call-b", settings(111, 96, 1, 0x3000, 0x3001), second);
    ASSERT_TRUE(booth->connect());
    ASSERT_TRUE(stranger->connect());
    ASSERT_TRUE(booth->send_rtp(make_rtp(111, 1, 1, 0xb00, 50)));
    stranger->poll(200ms);
    EXPECT_TRUE(stranger->rtp.empty());
}

TEST_F(WorkerTest, WrongFingerprintEndsTheParticipant) {
    const std::uint64_t id = next_id++;
    const auto server_ice = ice::IceLiteAgent::randomCredentials();
    SimulatedPeer peer(worker.local_address(), server_ice, context->certificate().fingerprint());
    Worker::ParticipantSpec spec;
    spec.room_id = "call-f";
    spec.transport.id = id;
    spec.transport.local_ice = server_ice;
    spec.transport.remote_ice = peer.ice_credentials();
    spec.transport.remote_fingerprint = dtls::DtlsCertificate().fingerprint();
    on_worker([&] { worker.add_participant(spec); });
    peer.connect(1s);
    ASSERT_TRUE(events.wait_closed(id, 3s));
    EXPECT_NE(events.closed[id].find("fingerprint"), std::string::npos);
    EXPECT_EQ(on_worker([&] { return worker.stats().participants; }), 0u);
}

TEST_F(WorkerTest, ServerTakesTheDtlsClientRoleWhenThePeerIsPassive) {
    const std::uint64_t id = next_id++;
    const auto server_ice = ice::IceLiteAgent::randomCredentials();
    SimulatedPeer peer(worker.local_address(), server_ice, context->certificate().fingerprint(),
                       std::nullopt, nullptr, dtls::DtlsTransport::Role::Server);
    Worker::ParticipantSpec spec;
    spec.room_id = "call-p";
    spec.media = settings(111, 96, 1, 0x1000, 0x1001);
    spec.transport.id = id;
    spec.transport.local_ice = server_ice;
    spec.transport.remote_ice = peer.ice_credentials();
    spec.transport.remote_fingerprint = peer.fingerprint();
    spec.transport.dtls_role = dtls::DtlsTransport::Role::Client;
    on_worker([&] { worker.add_participant(spec); });
    EXPECT_TRUE(peer.connect(2s));
}

TEST_F(WorkerTest, CallSessionHasABoundedNumberOfParticipants) {
    std::uint64_t id = 0;
    std::vector<std::unique_ptr<SimulatedPeer>> peers;
    for (std::size_t i = 0; i < Worker::max_participants_per_room; ++i)
        peers.push_back(join("call-full", settings(111, 96, 1, 0x1000, 0x1001), id));
    EXPECT_THROW(join("call-full", settings(111, 96, 1, 0x1000, 0x1001), id), std::runtime_error);
    EXPECT_EQ(on_worker([&] { return worker.stats().participants; }),
              Worker::max_participants_per_room);
}

TEST_F(WorkerTest, SilentParticipantTimesOut) {
    std::uint64_t id = 0;
    auto peer = join("call-t", settings(111, 96, 1, 0x1000, 0x1001), id, 300ms);
    ASSERT_TRUE(peer->connect());
    ASSERT_TRUE(events.wait_closed(id, 3s));
    EXPECT_NE(events.closed[id].find("consent"), std::string::npos);
    EXPECT_EQ(on_worker([&] { return worker.stats().routes; }), 0u);
}

TEST_F(WorkerTest, UnknownUfragAndUnknownAddressAreIgnored) {
    SimulatedPeer stranger(worker.local_address(), ice::IceLiteAgent::randomCredentials(),
                           context->certificate().fingerprint());
    EXPECT_FALSE(stranger.connect(300ms));
    EXPECT_EQ(stranger.stun_responses, 0u);
    EXPECT_GT(on_worker([&] { return worker.stats().dropped_datagrams; }), 0u);
}

TEST_F(WorkerTest, ParticipantOverTcpTalksWithOneOverUdp) {
    std::uint64_t booth_id = 0;
    std::uint64_t agent_id = 0;
    auto booth = join("call-tcp", settings(111, 96, 1, 0x1000, 0x1001), booth_id);
    auto agent = join("call-tcp", settings(109, 100, 5, 0x2000, 0x2001), agent_id);
    ASSERT_TRUE(booth->use_tcp());
    ASSERT_TRUE(booth->connect());
    ASSERT_TRUE(agent->connect());
    EXPECT_EQ(booth->stun_responses, 1u);
    auto stats = on_worker([&] { return worker.stats(); });
    EXPECT_EQ(stats.tcp.connections, 1u);
    EXPECT_EQ(stats.tcp.unauthenticated, 0u);

    // Full-size video both ways: TCP to UDP and UDP to TCP.
    for (std::uint16_t i = 0; i < 50; ++i) {
        ASSERT_TRUE(booth->send_rtp(make_rtp(96, 100 + i, 90000, 0xb01, 1100)));
        ASSERT_TRUE(agent->send_rtp(make_rtp(100, 200 + i, 90000, 0xa01, 1100)));
    }
    ASSERT_TRUE(agent->wait_for_rtp(50));
    ASSERT_TRUE(booth->wait_for_rtp(50));
    EXPECT_EQ(booth->rtp[49].sequence, 249);
    EXPECT_EQ(booth->rtp[49].bytes.size(), 12u + 1100u);
    EXPECT_EQ(agent->rtp[0].payload_type, 100);

    // Leaving closes the participant's connection.
    on_worker([&] { worker.remove_participant(booth_id, "left", true); });
    stats = on_worker([&] { return worker.stats(); });
    EXPECT_EQ(stats.tcp.connections, 0u);
    EXPECT_EQ(stats.participants, 1u);
}

TEST_F(WorkerTest, TcpConnectionWithoutAValidCheckIsClosedAfterFiveSeconds) {
    std::uint64_t id = 0;
    auto peer = join("call-s", settings(111, 96, 1, 0x1000, 0x1001), id);
    SimulatedPeer stranger(worker.local_address(), ice::IceLiteAgent::randomCredentials(),
                           context->certificate().fingerprint());
    ASSERT_TRUE(stranger.use_tcp());
    EXPECT_FALSE(stranger.connect(500ms));
    EXPECT_EQ(stranger.stun_responses, 0u);
    auto stats = on_worker([&] { return worker.stats(); });
    EXPECT_EQ(stats.tcp.connections, 1u);
    EXPECT_EQ(stats.tcp.unauthenticated, 1u);
    const auto deadline = std::chrono::steady_clock::now() + 8s;
    while (on_worker([&] { return worker.stats().tcp.connections; }) != 0 &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(100ms);
    stats = on_worker([&] { return worker.stats(); });
    EXPECT_EQ(stats.tcp.connections, 0u);
    EXPECT_EQ(stats.tcp.timed_out, 1u);
    EXPECT_EQ(stats.tcp.unauthenticated, 0u);
    EXPECT_EQ(stats.participants, 1u);
}

// A raw TCP connection to the worker's port, or -1.
int connect_tcp(const net::SocketAddress& to) {
    const int fd = ::socket(to.family(), SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_storage storage{};
    const socklen_t length = to.to_sockaddr(storage);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&storage), length) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// True when the server closed the connection within the limit.
bool closed_by_server(int fd, std::chrono::milliseconds limit) {
    pollfd descriptor{fd, POLLIN, 0};
    if (::poll(&descriptor, 1, static_cast<int>(limit.count())) != 1) return false;
    char byte = 0;
    return ::recv(fd, &byte, 1, 0) <= 0;
}

TEST_F(WorkerTest, TcpFrameLargerThanADatagramClosesTheConnection) {
    const int fd = connect_tcp(worker.local_address());
    ASSERT_GE(fd, 0);
    const std::uint8_t header[] = {0xff, 0xff, 0, 1, 0, 0};
    ASSERT_EQ(::send(fd, header, sizeof(header), MSG_NOSIGNAL), 6);
    EXPECT_TRUE(closed_by_server(fd, 2s));
    ::close(fd);
    EXPECT_EQ(on_worker([&] { return worker.stats().tcp.connections; }), 0u);
}

TEST_F(WorkerTest, UnauthenticatedTcpConnectionsAreBounded) {
    std::vector<int> fds;
    for (std::size_t i = 0; i < TcpPaths::max_unauthenticated; ++i) {
        fds.push_back(connect_tcp(worker.local_address()));
        ASSERT_GE(fds.back(), 0);
    }
    const auto deadline = std::chrono::steady_clock::now() + 3s;
    while (on_worker([&] { return worker.stats().tcp.unauthenticated; }) <
               TcpPaths::max_unauthenticated &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(10ms);
    const int one_more = connect_tcp(worker.local_address());
    ASSERT_GE(one_more, 0);
    EXPECT_TRUE(closed_by_server(one_more, 2s));
    EXPECT_FALSE(closed_by_server(fds.front(), 100ms));
    const auto stats = on_worker([&] { return worker.stats(); });
    EXPECT_EQ(stats.tcp.refused, 1u);
    EXPECT_EQ(stats.tcp.connections, TcpPaths::max_unauthenticated);
    ::close(one_more);
    for (const int fd : fds) ::close(fd);
}

// RFC 8445 7.3.1.5 / RFC 7675: a new path the browser checks and nominates becomes the one we
// send on; the call goes on, from a new UDP port and then over TCP.
TEST_F(WorkerTest, ParticipantWhoseAddressChangesKeepsTheCall) {
    std::uint64_t booth_id = 0;
    std::uint64_t agent_id = 0;
    auto booth = join("call-m", settings(111, 96, 1, 0x1000, 0x1001), booth_id);
    auto agent = join("call-m", settings(109, 100, 5, 0x2000, 0x2001), agent_id);
    ASSERT_TRUE(booth->connect());
    ASSERT_TRUE(agent->connect());
    std::uint16_t sequence = 1;
    const auto both_ways = [&](const char* where) {
        const auto booth_had = booth->rtp.size();
        const auto agent_had = agent->rtp.size();
        ASSERT_TRUE(agent->send_rtp(make_rtp(100, sequence, 90000, 0xa01, 500)));
        ASSERT_TRUE(booth->send_rtp(make_rtp(96, sequence, 90000, 0xb01, 500)));
        ++sequence;
        EXPECT_TRUE(booth->wait_for_rtp(booth_had + 1)) << where;
        EXPECT_TRUE(agent->wait_for_rtp(agent_had + 1)) << where;
    };
    both_ways("first path");

    booth->move_to_new_port();
    booth->send_binding_request(true);
    booth->poll(100ms);
    EXPECT_EQ(booth->stun_responses, 2u);
    both_ways("new UDP port");

    ASSERT_TRUE(booth->use_tcp());
    booth->send_binding_request(true);
    booth->poll(100ms);
    EXPECT_EQ(booth->stun_responses, 3u);
    both_ways("TCP");
    EXPECT_TRUE(events.closed.empty());
}

std::size_t open_descriptors() {
    std::size_t count = 0;
    if (DIR* directory = ::opendir("/proc/self/fd")) {
        while (::readdir(directory) != nullptr) ++count;
        ::closedir(directory);
    }
    return count;
}

TEST_F(WorkerTest, HundredJoinLeaveCyclesReleaseEverything) {
    std::uint64_t agent_id = 0;
    auto agent = join("call-c", settings(109, 100, 5, 0x2000, 0x2001), agent_id);
    ASSERT_TRUE(agent->connect());
    std::size_t descriptors_after_first = 0;
    for (int cycle = 0; cycle < 100; ++cycle) {
        std::uint64_t booth_id = 0;
        auto booth = join("call-c", settings(111, 96, 1, 0x1000, 0x1001), booth_id);
        ASSERT_TRUE(booth->connect()) << cycle;
        ASSERT_TRUE(
            booth->send_rtp(make_rtp(111, static_cast<std::uint16_t>(cycle), 0, 0xb00, 20)));
        ASSERT_TRUE(agent->wait_for_rtp(static_cast<std::size_t>(cycle) + 1)) << cycle;
        on_worker([&] { worker.remove_participant(booth_id, "left", true); });
        booth.reset();
        if (cycle == 0) descriptors_after_first = open_descriptors();
    }
    const auto stats = on_worker([&] { return worker.stats(); });
    EXPECT_EQ(stats.participants, 1u);
    EXPECT_EQ(stats.rooms, 1u);
    EXPECT_LE(stats.routes, 2u);  // the agent's ufrag and address
    EXPECT_EQ(open_descriptors(), descriptors_after_first);
    // The agent heard one continuous stream across 100 different senders.
    for (std::size_t i = 1; i < agent->rtp.size(); ++i)
        EXPECT_EQ(static_cast<std::uint16_t>(agent->rtp[i].sequence - agent->rtp[i - 1].sequence),
                  1);
    on_worker([&] { worker.remove_participant(agent_id, "left", true); });
    EXPECT_EQ(on_worker([&] { return worker.stats().rooms; }), 0u);
}

}  // namespace
}  // namespace vg::rtc::worker

namespace vg::rtc::worker {
namespace {

TEST(WorkerUfrag, NamesItsOwner) {
    auto ufrag = ice::IceLiteAgent::randomCredentials().ufrag;
    for (std::size_t index : {0u, 1u, 17u, 63u}) {
        Worker::mark_ufrag(ufrag, index);
        EXPECT_EQ(Worker::owner_of_ufrag(ufrag), index);
    }
    EXPECT_EQ(Worker::owner_of_ufrag(""), Worker::max_workers);
}

// Two workers on one port, participants all owned by the second: the kernel gives each peer's
// datagrams (or TCP connection) to either worker, and what lands on the first is handed over.
// Pairs of peers join and talk until the first worker has handed something over.
void run_handoff(bool tcp) {
    auto context = std::make_shared<dtls::DtlsContext>(std::make_shared<dtls::DtlsCertificate>());
    Events events;
    Worker first(0, *net::SocketAddress::parse("127.0.0.1:0"), true, context, events);
    Worker second(1, first.local_address(), true, context, events);
    ASSERT_EQ(first.local_address(), second.local_address());
    first.set_siblings({&first, &second});
    second.set_siblings({&first, &second});
    first.start();
    second.start();
    const auto stats_of = [](Worker& worker) {
        std::promise<Worker::Stats> promise;
        EXPECT_TRUE(worker.post([&] { promise.set_value(worker.stats()); }));
        return promise.get_future().get();
    };
    const auto handed_over = [&] {
        auto stats = stats_of(first);
        return tcp ? stats.tcp.handed_over : stats.handed_over;
    };

    std::uint64_t next_id = 1;
    std::vector<std::unique_ptr<SimulatedPeer>> peers;
    for (int pair = 0; pair < 12 && handed_over() == 0; ++pair) {
        std::unique_ptr<SimulatedPeer> two[2];
        for (auto& peer : two) {
            auto server_ice = ice::IceLiteAgent::randomCredentials();
            Worker::mark_ufrag(server_ice.ufrag, 1);
            peer = std::make_unique<SimulatedPeer>(second.local_address(), server_ice,
                                                   context->certificate().fingerprint());
            Worker::ParticipantSpec spec;
            spec.room_id = "call-" + std::to_string(pair);
            spec.media = settings(111, 96, 1, 0x1000, 0x1001);
            spec.transport.id = next_id++;
            spec.transport.local_ice = server_ice;
            spec.transport.remote_ice = peer->ice_credentials();
            spec.transport.remote_fingerprint = peer->fingerprint();
            std::promise<void> added;
            ASSERT_TRUE(second.post([&] {
                second.add_participant(spec);
                added.set_value();
            }));
            added.get_future().get();
            if (tcp) {
                ASSERT_TRUE(peer->use_tcp());
            }
            ASSERT_TRUE(peer->connect()) << "pair " << pair;
        }
        ASSERT_TRUE(two[0]->send_rtp(make_rtp(111, 1, 1, 0xb00, 40)));
        ASSERT_TRUE(two[1]->send_rtp(make_rtp(111, 1, 1, 0xa00, 40)));
        EXPECT_TRUE(two[0]->wait_for_rtp(1)) << "pair " << pair;
        EXPECT_TRUE(two[1]->wait_for_rtp(1)) << "pair " << pair;
        for (auto& peer : two) peers.push_back(std::move(peer));
    }
    EXPECT_GT(handed_over(), 0u);
    if (tcp) {
        EXPECT_EQ(stats_of(first).tcp.connections, 0u);
        EXPECT_EQ(stats_of(second).tcp.connections, peers.size());
    } else {
        EXPECT_EQ(stats_of(first).participants, 0u);
    }
    second.stop();
    first.stop();
}

TEST(WorkerHandoff, ParticipantsConnectAndTalkWhicheverSocketTheKernelPicks) {
    run_handoff(false);
}

// A TCP connection that lands on the worker that does not own the participant moves to the
// owner, socket and all.
TEST(WorkerHandoff, TcpConnectionsMoveToTheWorkerThatOwnsTheParticipant) {
    run_handoff(true);
}

}  // namespace
}  // namespace vg::rtc::worker
