#include "rtc/net/TcpFramer.hpp"

#include <cstring>

namespace vg::rtc::net {

std::span<std::uint8_t> TcpFramer::free_space() {
    if (oversized_) return {};
    // Keep the unread tail at the front so a frame never wraps around.
    if (begin_ != 0) {
        std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    return {buffer_.data() + end_, buffer_.size() - end_};
}

std::optional<std::span<std::uint8_t>> TcpFramer::next() {
    const auto frame = peek();
    if (frame) begin_ += header_size + frame->size();
    return frame;
}

std::optional<std::span<std::uint8_t>> TcpFramer::peek() {
    if (oversized_ || end_ - begin_ < header_size) return std::nullopt;
    const std::size_t size = (static_cast<std::size_t>(buffer_[begin_]) << 8) | buffer_[begin_ + 1];
    if (size > max_frame_size) {
        oversized_ = true;
        return std::nullopt;
    }
    if (end_ - begin_ < header_size + size) return std::nullopt;
    return std::span<std::uint8_t>{buffer_.data() + begin_ + header_size, size};
}

std::size_t TcpFramer::encode(std::span<const std::uint8_t> data, std::span<std::uint8_t> out) {
    if (data.size() > max_frame_size || out.size() < header_size + data.size()) return 0;
    out[0] = static_cast<std::uint8_t>(data.size() >> 8);
    out[1] = static_cast<std::uint8_t>(data.size());
    if (!data.empty()) std::memcpy(out.data() + header_size, data.data(), data.size());
    return header_size + data.size();
}

}  // namespace vg::rtc::net
