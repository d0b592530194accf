#pragma once
// The server's common::Schedule: steady timers on the io_context of the control-plane timers.
#include "common/Schedule.hpp"

namespace boost::asio {
class io_context;
}

namespace vg::app {

// io must outlive every scheduled task.
common::Schedule make_asio_schedule(boost::asio::io_context& io);

}  // namespace vg::app
