// A call session's forwarding, RTCP and repair (room::Room, SlotPlanner, RtcpHandler,
// QualityFeedback), driven through a worker with simulated peers.
#include <gtest/gtest.h>

#include "unit/rtc/worker/WorkerFixture.hpp"

namespace vg::rtc::worker {
namespace {

class RoomTest : public WorkerFixture {
  protected:
    // A booth and an agent (our RTX SSRC for its video: agent_rtx_ssrc) in call session
    // room_id; the booth sends video 700 to 702, and 701 is lost on the agent's downlink.
    struct Call {
        std::unique_ptr<SimulatedPeer> booth;
        std::unique_ptr<SimulatedPeer> agent;
    };
    void call_losing_701(const std::string& room_id, std::uint32_t agent_rtx_ssrc, Call& call) {
        std::uint64_t id = 0;
        auto& booth = call.booth;
        auto& agent = call.agent;
        booth = join(room_id, settings(111, 96, 1, 0x1000, 0x1001), id);
        agent = join(room_id, settings(109, 100, 5, 0x2000, 0x2001, agent_rtx_ssrc), id);
        ASSERT_TRUE(booth->connect());
        ASSERT_TRUE(agent->connect());
        // The first stream of the agent keeps the booth's numbering.
        agent->lose_rtp_sequence = 701;
        for (std::uint16_t i = 0; i < 3; ++i)
            ASSERT_TRUE(booth->send_rtp(numbered_video(700 + i, 5000 + i, 300 + i)));
        ASSERT_TRUE(agent->wait_for_rtp(2));
        ASSERT_FALSE(agent->lose_rtp_sequence);
    }
};

TEST_F(RoomTest, TwoParticipantsReceiveEachOthersMediaRewritten) {
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

TEST_F(RoomTest, PictureLossFromAReceiverBecomesOneKeyframeRequestToTheSender) {
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
    ASSERT_TRUE(writer.add_pli(0x77, 0x2001));
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

TEST_F(RoomTest, ReconnectedSenderContinuesTheReceiversNumbering) {
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

TEST_F(RoomTest, NackIsRenumberedForTheSenderAndItsRtxAnswerForwardedAsTheOriginal) {
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
    ASSERT_TRUE(writer.add_nack(0x77, 0x2001, lost));
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

TEST_F(RoomTest, JoiningParticipantTriggersAKeyframeRequestToTheSender) {
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

TEST_F(RoomTest, SenderReportReachesTheReceiverInItsSsrcAndTimeline) {
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
    info.ntp_timestamp = 0x0123456789abcdefULL;
    info.rtp_timestamp = 480960;
    info.packet_count = 11;
    info.octet_count = 550;
    const rtcp::ReportBlock block{};
    ASSERT_TRUE(writer.add_sender_report(info, {&block, 1}));
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

TEST_F(RoomTest, ServerAsksTheSenderForThePacketsItMissed) {
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

    // Its RTX answer fills the gap and reaches the agent; a second copy (the booth asked twice:
    // the next RTX sequence number, the same original) is not forwarded.
    auto original = make_rtp(96, 102, 9000, 0xb01, 200);
    const auto rtx = [&](std::uint16_t rtx_sequence, std::uint8_t repaired) {
        auto packet = make_rtp(97, rtx_sequence, 9000, 0xb0f, 0);
        packet.push_back(0);
        packet.push_back(repaired);
        packet.insert(packet.end(), original.begin() + 12, original.end());
        return packet;
    };
    ASSERT_TRUE(booth->send_rtp(rtx(1, 102)));
    ASSERT_TRUE(agent->wait_for_rtp(5));
    EXPECT_EQ(agent->rtp[4].sequence, 102);
    ASSERT_TRUE(booth->send_rtp(rtx(2, 102)));
    EXPECT_FALSE(agent->wait_for_rtp(6, 300ms));

    // 106 is lost, and the booth's padding repeats it in RTX before 107: it is the newest.
    ASSERT_TRUE(booth->send_rtp(rtx(3, 106)));
    ASSERT_TRUE(agent->wait_for_rtp(6));
    EXPECT_EQ(agent->rtp[5].sequence, 106);
}

// Sends the agent's NACK (as its browser would, on our video SSRC 0x2001) for these packets.
void nack(SimulatedPeer& agent, std::initializer_list<std::uint16_t> sequences) {
    std::vector<std::uint8_t> buffer(64);
    rtcp::Writer writer(buffer);
    const std::vector<std::uint16_t> lost(sequences);
    ASSERT_TRUE(writer.add_nack(0x77, 0x2001, lost));
    buffer.resize(writer.size());
    ASSERT_TRUE(agent.send_rtcp(buffer));
}

// RFC 4588: the agent negotiated RTX (payload type 101 for its VP8 100), so the packet it lost
// comes back from our retransmission buffer on our RTX SSRC, in our RTX numbering, with the
// original sequence number first. Nothing goes out twice under one SRTP index.
TEST_F(RoomTest, ReceiversNackIsAnsweredFromItsRetransmissionBufferNotByTheSender) {
    constexpr std::uint32_t rtx_ssrc = 0x7e572002;
    Call call;
    ASSERT_NO_FATAL_FAILURE(call_losing_701("call-b", rtx_ssrc, call));
    auto& [booth, agent] = call;
    // Transport-wide numbers of our own on the agent's leg, not the booth's uplink ones.
    EXPECT_EQ(wide_sequence_of(agent->rtp[0].bytes), 0);
    EXPECT_EQ(wide_sequence_of(agent->rtp[1].bytes), 2);

    nack(*agent, {701});
    ASSERT_TRUE(agent->wait_for_rtp(3));
    const auto& repaired = agent->rtp[2];
    EXPECT_EQ(repaired.ssrc, rtx_ssrc);
    EXPECT_EQ(repaired.payload_type, 101);
    EXPECT_EQ(repaired.sequence, 0x7e57);  // RTX numbering starts from the RTX SSRC's bits
    EXPECT_EQ(repaired.bytes.size(), 20u + 2u + 301u);
    EXPECT_EQ(repaired.bytes.at(20) << 8 | repaired.bytes.at(21), 701);  // the original number
    EXPECT_EQ(repaired.timestamp, 3000u * 701);
    // A new transport-wide number, which the agent's feedback reports as any other.
    EXPECT_EQ(wide_sequence_of(repaired.bytes), 3);
    booth->poll(200ms);
    EXPECT_TRUE(nacks_of(*booth).empty());  // the uplink lost nothing: the booth is not asked

    // Asked again a round trip later: another RTX packet, never the same index twice.
    std::this_thread::sleep_for(20ms);
    nack(*agent, {701});
    ASSERT_TRUE(agent->wait_for_rtp(4));
    EXPECT_EQ(agent->rtp[3].ssrc, rtx_ssrc);
    EXPECT_EQ(agent->rtp[3].sequence, 0x7e58);
    EXPECT_EQ(wide_sequence_of(agent->rtp[3].bytes), 4);
    EXPECT_TRUE(std::equal(repaired.bytes.begin() + 20, repaired.bytes.end(),
                           agent->rtp[3].bytes.begin() + 20));
    ASSERT_TRUE(booth->send_rtp(numbered_video(703, 5003, 303)));
    ASSERT_TRUE(agent->wait_for_rtp(5));
    EXPECT_EQ(agent->rtp[4].ssrc, 0x2001u);
    EXPECT_EQ(agent->rtp[4].sequence, 703);
    EXPECT_EQ(agent->srtp_packets_seen, 6u);  // 701 was lost after it was seen
    EXPECT_EQ(agent->srtp_nonce_reuses, 0u);
}

// A receiver without RTX: a resend could only be the same SSRC and sequence number with a new
// transport-wide number, the same SRTP nonce over other bytes. It gets nothing, and the sender
// is not asked either (we have the packet).
TEST_F(RoomTest, ReceiverWithoutRtxGetsNoResendUnderTheSameSrtpIndex) {
    Call call;
    ASSERT_NO_FATAL_FAILURE(call_losing_701("call-x", 0, call));
    auto& [booth, agent] = call;
    nack(*agent, {701});
    agent->poll(200ms);
    booth->poll(10ms);
    EXPECT_EQ(agent->rtp.size(), 2u);
    EXPECT_EQ(agent->srtp_packets_seen, 3u);
    EXPECT_EQ(agent->srtp_nonce_reuses, 0u);
    EXPECT_TRUE(nacks_of(*booth).empty());
}

TEST_F(RoomTest, SenderGetsReceiverReportsOnWhatWeReceived) {
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
    info.ntp_timestamp = 0x0000aaaabbbb0000ULL;
    ASSERT_TRUE(sr_writer.add_sender_report(info, {}));
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
    EXPECT_EQ(block.cumulative_lost, 2);
    EXPECT_EQ(block.fraction_lost, 2 * 256 / 10);
    EXPECT_EQ(block.highest_sequence, 309u);
    EXPECT_EQ(block.last_sender_report, 0xaaaabbbbu);
    EXPECT_LT(block.delay_since_last_sender_report, 65536u * 2);
    // RFC 3550 6.1: the same compound packet names our CNAME.
    EXPECT_EQ((*report)[8 + 24 + 1], 202);
}

TEST_F(RoomTest, SenderGetsTransportWideCongestionFeedback) {
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

TEST_F(RoomTest, AQueueOnTheReceiversDownlinkLowersTheSendersRemb) {
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
    ASSERT_GE(remb.ssrc_count(), 1u);
    EXPECT_EQ(remb.ssrc(0), 0xb01u);
    // Below what reached the agent: 80 packets of 320 bytes in at least 700 ms (with the
    // pause), under 300 kb/s.
    EXPECT_LT(remb.bitrate(), 300'000u);
    EXPECT_GE(remb.bitrate(), room::DownlinkEstimate::min_bitrate);
}

TEST_F(RoomTest, ParticipantsInOtherCallSessionsHearNothing) {
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

}  // namespace
}  // namespace vg::rtc::worker
