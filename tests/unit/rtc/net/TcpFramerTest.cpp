#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "rtc/net/TcpConnection.hpp"
#include "rtc/net/TcpFramer.hpp"

namespace vg::rtc::net {
namespace {

std::vector<std::uint8_t> frame_of(const std::string& text) {
    std::vector<std::uint8_t> out(TcpFramer::header_size + text.size());
    EXPECT_EQ(
        TcpFramer::encode({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}, out),
        out.size());
    return out;
}

void feed(TcpFramer& framer, std::span<const std::uint8_t> bytes) {
    const auto space = framer.free_space();
    ASSERT_GE(space.size(), bytes.size());
    std::memcpy(space.data(), bytes.data(), bytes.size());
    framer.commit(bytes.size());
}

std::string text_of(std::span<const std::uint8_t> frame) {
    return {reinterpret_cast<const char*>(frame.data()), frame.size()};
}

TEST(TcpFramer, EncodesATwoByteBigEndianLength) {
    const auto frame = frame_of(std::string(300, 'x'));
    EXPECT_EQ(frame[0], 0x01);
    EXPECT_EQ(frame[1], 0x2c);
    std::array<std::uint8_t, 10> small{};
    EXPECT_EQ(TcpFramer::encode(frame, small), 0u);  // does not fit
}

TEST(TcpFramer, ReassemblesAFrameReadOneByteAtATime) {
    TcpFramer framer;
    const auto frame = frame_of("binding request");
    for (std::size_t i = 0; i + 1 < frame.size(); ++i) {
        feed(framer, {&frame[i], 1});
        EXPECT_FALSE(framer.next()) << i;
    }
    feed(framer, {&frame.back(), 1});
    const auto whole = framer.next();
    ASSERT_TRUE(whole);
    EXPECT_EQ(text_of(*whole), "binding request");
    EXPECT_FALSE(framer.next());
    EXPECT_EQ(framer.pending(), 0u);
}

TEST(TcpFramer, SplitsSeveralFramesOfOneReadAndKeepsTheTail) {
    TcpFramer framer;
    std::vector<std::uint8_t> bytes;
    for (const char* text : {"one", "", "three"}) {
        const auto frame = frame_of(text);
        bytes.insert(bytes.end(), frame.begin(), frame.end());
    }
    const auto fourth = frame_of("four");
    bytes.insert(bytes.end(), fourth.begin(), fourth.begin() + 3);  // header and 1 byte
    feed(framer, bytes);
    EXPECT_EQ(text_of(*framer.peek()), "one");
    EXPECT_EQ(text_of(*framer.next()), "one");
    EXPECT_EQ(text_of(*framer.next()), "");
    EXPECT_EQ(text_of(*framer.next()), "three");
    EXPECT_FALSE(framer.next());
    EXPECT_EQ(framer.pending(), 3u);
    feed(framer, {fourth.data() + 3, fourth.size() - 3});
    EXPECT_EQ(text_of(*framer.next()), "four");
}

TEST(TcpFramer, RefusesAFrameLargerThanADatagramForGood) {
    TcpFramer framer;
    const std::uint8_t header[] = {0xff, 0xff, 0, 0};
    feed(framer, header);
    EXPECT_FALSE(framer.next());
    EXPECT_TRUE(framer.oversized());
    EXPECT_TRUE(framer.free_space().empty());

    // The largest accepted frame passes; one byte more does not.
    TcpFramer edge;
    const auto largest = frame_of(std::string(TcpFramer::max_frame_size, 'a'));
    feed(edge, largest);
    ASSERT_TRUE(edge.next());
    std::vector<std::uint8_t> too_large(TcpFramer::max_frame_size + 1);
    std::array<std::uint8_t, TcpFramer::capacity> out{};
    EXPECT_EQ(TcpFramer::encode(too_large, out), 0u);
}

TEST(TcpFramer, BufferRefillsAfterFramesAreTaken) {
    TcpFramer framer;
    const auto frame = frame_of(std::string(1000, 'v'));
    for (int round = 0; round < 100; ++round) {
        feed(framer, frame);
        ASSERT_TRUE(framer.next()) << round;
    }
}

// A connected pair: ours (the server's side) and the peer's, both ends of a socketpair.
struct Pair {
    int peer = -1;
    std::unique_ptr<TcpConnection> connection;
    Pair() {
        int fds[2];
        EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0);
        peer = fds[1];
        connection = std::make_unique<TcpConnection>(FileDescriptor(fds[0]),
                                                     *SocketAddress::parse("127.0.0.1:9"));
    }
    ~Pair() { ::close(peer); }
};

TEST(TcpConnection, ReadsFramesAndSeesTheEndOfTheStream) {
    Pair pair;
    EXPECT_TRUE(pair.connection->remote().is_tcp());
    EXPECT_EQ(pair.connection->read(), TcpConnection::ReadResult::Empty);
    auto bytes = frame_of("hello");
    const auto second = frame_of("again");
    bytes.insert(bytes.end(), second.begin(), second.end());
    ASSERT_EQ(::write(pair.peer, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
    EXPECT_EQ(pair.connection->read(), TcpConnection::ReadResult::Data);
    EXPECT_EQ(text_of(*pair.connection->next_frame()), "hello");
    EXPECT_EQ(text_of(*pair.connection->next_frame()), "again");
    ::shutdown(pair.peer, SHUT_WR);
    EXPECT_EQ(pair.connection->read(), TcpConnection::ReadResult::Closed);
}

TEST(TcpConnection, OversizedFrameClosesTheConnection) {
    Pair pair;
    const std::uint8_t header[] = {0x10, 0x00, 1, 2, 3};
    ASSERT_EQ(::write(pair.peer, header, sizeof(header)), 5);
    EXPECT_EQ(pair.connection->read(), TcpConnection::ReadResult::Data);
    EXPECT_FALSE(pair.connection->next_frame());
    EXPECT_EQ(pair.connection->read(), TcpConnection::ReadResult::Closed);
}

TEST(TcpConnection, FullWriteQueueDropsWholeFramesWithoutBlocking) {
    Pair pair;
    const std::vector<std::uint8_t> datagram(1200, 0x5a);
    // The peer reads nothing: the kernel buffers fill, then the queue, then frames are dropped.
    std::size_t accepted = 0;
    for (int i = 0; i < 2000; ++i) {
        if (pair.connection->send(datagram)) ++accepted;
        EXPECT_TRUE(pair.connection->flush());
    }
    EXPECT_GT(pair.connection->dropped(), 0u);
    EXPECT_EQ(accepted + pair.connection->dropped(), 2000u);
    EXPECT_TRUE(pair.connection->has_queued());

    // What the peer then reads is whole frames, every one intact.
    TcpFramer framer;
    std::size_t frames = 0;
    for (;;) {
        auto space = framer.free_space();
        const ssize_t count = ::read(pair.peer, space.data(), space.size());
        if (count > 0) framer.commit(static_cast<std::size_t>(count));
        while (const auto frame = framer.next()) {
            ASSERT_EQ(frame->size(), datagram.size());
            ASSERT_EQ((*frame)[0], 0x5a);
            ++frames;
        }
        ASSERT_FALSE(framer.oversized());
        if (!pair.connection->flush()) break;
        if (count <= 0 && !pair.connection->has_queued()) break;
    }
    EXPECT_EQ(frames, accepted);
}

}  // namespace
}  // namespace vg::rtc::net
