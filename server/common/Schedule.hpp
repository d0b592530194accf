#pragma once
// Deferred work (deadlines, the queue clock's beat) without tying a protocol or an operation to a
// particular event loop: the server passes one backed by its io_context (app/AsioSchedule), tests
// one they run by hand.
#include <chrono>
#include <functional>

namespace vg::common {

// Runs task once after delay, on any thread. Tasks hold weak references: nothing is cancelled.
using Schedule = std::function<void(std::chrono::milliseconds delay, std::function<void()> task)>;

}  // namespace vg::common
