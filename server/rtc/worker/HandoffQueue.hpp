#pragma once
// Datagrams one worker received for a participant another worker owns. All workers share one
// UDP port (SO_REUSEPORT) and the kernel spreads remote addresses across their sockets by hash,
// so a participant's packets may land on any worker; they are copied here and the owner
// processes them on its own thread. Bounded, lock-free, many producers (the other workers) and
// one consumer (the owner): Vyukov's bounded queue over slots allocated once. Full means drop,
// as a full socket buffer would.
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>

#include "rtc/net/SocketAddress.hpp"
#include "rtc/net/UdpSocket.hpp"

namespace vg::rtc::worker {

class HandoffQueue {
  public:
    static constexpr std::size_t capacity = 1024;  // a power of two

    HandoffQueue() : slots_(std::make_unique<Slot[]>(capacity)) {
        for (std::size_t i = 0; i < capacity; ++i)
            slots_[i].sequence.store(i, std::memory_order_relaxed);
    }
    HandoffQueue(const HandoffQueue&) = delete;
    HandoffQueue& operator=(const HandoffQueue&) = delete;

    // Any thread. False when full or the datagram is too large.
    bool push(std::span<const std::uint8_t> data, const net::SocketAddress& from) {
        if (data.size() > net::UdpSocket::buffer_size) return false;
        std::size_t position = tail_.load(std::memory_order_relaxed);
        for (;;) {
            Slot& slot = slots_[position & (capacity - 1)];
            const std::size_t sequence = slot.sequence.load(std::memory_order_acquire);
            const auto difference =
                static_cast<std::ptrdiff_t>(sequence) - static_cast<std::ptrdiff_t>(position);
            if (difference == 0) {
                if (tail_.compare_exchange_weak(position, position + 1,
                                                std::memory_order_relaxed)) {
                    std::memcpy(slot.data.data(), data.data(), data.size());
                    slot.size = data.size();
                    slot.from = from;
                    slot.sequence.store(position + 1, std::memory_order_release);
                    return true;
                }
            } else if (difference < 0) {
                return false;  // full
            } else {
                position = tail_.load(std::memory_order_relaxed);
            }
        }
    }

    // The owner's thread only. Calls handle(UdpSocket::Datagram&) for each waiting datagram,
    // at most limit; the datagram's bytes may be rewritten in place during the call.
    template <typename Handle>
    std::size_t drain(Handle&& handle, std::size_t limit = capacity) {
        std::size_t count = 0;
        while (count < limit) {
            Slot& slot = slots_[head_ & (capacity - 1)];
            if (slot.sequence.load(std::memory_order_acquire) != head_ + 1) break;
            net::UdpSocket::Datagram datagram{slot.data.data(), slot.size, slot.from};
            handle(datagram);
            slot.sequence.store(head_ + capacity, std::memory_order_release);
            ++head_;
            ++count;
        }
        return count;
    }

  private:
    struct Slot {
        std::atomic<std::size_t> sequence{0};
        std::size_t size = 0;
        net::SocketAddress from;
        std::array<std::uint8_t, net::UdpSocket::buffer_size> data{};
    };

    std::unique_ptr<Slot[]> slots_;
    alignas(64) std::atomic<std::size_t> tail_{0};
    alignas(64) std::size_t head_ = 0;
};

}  // namespace vg::rtc::worker
