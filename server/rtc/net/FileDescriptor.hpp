#pragma once
// One owned file descriptor (a socket, an epoll instance, an eventfd), closed when its owner
// goes: a constructor that throws halfway leaves nothing open.
#include <utility>

namespace vg::rtc::net {

class FileDescriptor {
  public:
    FileDescriptor() = default;
    // Takes ownership of fd (-1: none).
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() { reset(); }
    FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.release()) {}
    FileDescriptor& operator=(FileDescriptor&& other) noexcept {
        if (this != &other) reset(other.release());
        return *this;
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;

    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    // Gives up ownership without closing.
    int release() { return std::exchange(fd_, -1); }
    // Closes the descriptor held, if any, and holds fd instead.
    void reset(int fd = -1);

  private:
    int fd_ = -1;
};

}  // namespace vg::rtc::net
