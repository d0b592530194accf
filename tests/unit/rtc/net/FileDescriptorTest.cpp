#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "rtc/net/BoundSocket.hpp"
#include "rtc/net/FileDescriptor.hpp"

namespace vg::rtc::net {
namespace {

bool is_open(int fd) {
    return ::fcntl(fd, F_GETFD) != -1;
}

std::size_t open_descriptors() {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd"))
        ++count;
    return count;
}

TEST(FileDescriptor, ClosesWhatItOwnsOnceAndHandsItOverOnMove) {
    int raw = ::socket(AF_INET, SOCK_DGRAM, 0);
    ASSERT_GE(raw, 0);
    {
        FileDescriptor owner(raw);
        EXPECT_TRUE(owner);
        FileDescriptor moved(std::move(owner));
        EXPECT_FALSE(owner);  // NOLINT(bugprone-use-after-move): moved-from is empty
        EXPECT_EQ(moved.get(), raw);
        EXPECT_TRUE(is_open(raw));
        FileDescriptor assigned;
        assigned = std::move(moved);
        EXPECT_EQ(assigned.get(), raw);
    }
    EXPECT_FALSE(is_open(raw));

    raw = ::socket(AF_INET, SOCK_DGRAM, 0);
    FileDescriptor released(raw);
    EXPECT_EQ(released.release(), raw);
    EXPECT_FALSE(released);
    EXPECT_TRUE(is_open(raw));
    FileDescriptor again(raw);
    again.reset();
    EXPECT_FALSE(is_open(raw));
}

TEST(BoundSocket, APortTakenThrowsAndLeavesNothingOpen) {
    BoundSocket first(*SocketAddress::parse("127.0.0.1:0"), SOCK_DGRAM, {});
    EXPECT_NE(first.local_address().port(), 0);
    EXPECT_FALSE(first.local_address().is_tcp());
    const std::size_t before = open_descriptors();
    EXPECT_THROW(BoundSocket(first.local_address(), SOCK_DGRAM, {}), std::system_error);
    EXPECT_EQ(open_descriptors(), before);

    BoundSocket listener(*SocketAddress::parse("127.0.0.1:0"), SOCK_STREAM,
                         {.reuse_port = false, .reuse_address = true});
    EXPECT_TRUE(listener.local_address().is_tcp());
    listener.listen(4);
}

}  // namespace
}  // namespace vg::rtc::net
