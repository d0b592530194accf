#include "rtc/net/FileDescriptor.hpp"

#include <unistd.h>

namespace vg::rtc::net {

void FileDescriptor::reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
}

}  // namespace vg::rtc::net
