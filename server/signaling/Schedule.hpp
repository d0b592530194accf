#pragma once
// Deferred work (the join deadline) without tying the protocol to a particular event loop: the
// server passes one backed by its io_context, tests one they run by hand.
#include <chrono>
#include <functional>

namespace boost::asio {
class io_context;
}

namespace vg::signaling {

// Runs task once after delay, on any thread. Tasks hold weak references: nothing is cancelled.
using Schedule = std::function<void(std::chrono::milliseconds delay, std::function<void()> task)>;

// A Schedule on io's steady timers; io must outlive every scheduled task.
Schedule make_asio_schedule(boost::asio::io_context& io);

}  // namespace vg::signaling
