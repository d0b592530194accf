#include "app/AsioSchedule.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>

namespace vg::app {

common::Schedule make_asio_schedule(boost::asio::io_context& io) {
    return [&io](std::chrono::milliseconds delay, std::function<void()> task) {
        auto timer = std::make_shared<boost::asio::steady_timer>(io, delay);
        timer->async_wait([timer, task = std::move(task)](const boost::system::error_code& ec) {
            if (!ec) task();
        });
    };
}

}  // namespace vg::app
