#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "rtc/sctp/SctpAssociation.hpp"
#include "rtc/sctp/UsrSctpLibrary.hpp"

namespace vg::rtc::sctp {
namespace {

using namespace std::chrono_literals;
using MessageType = SctpAssociation::MessageType;

struct Received {
    std::uint64_t at = 0;
    std::string label;
    std::uint16_t stream = 0;
    MessageType type = MessageType::Text;
    std::string payload;
};

// Two associations joined back to back in memory, as DTLS would join them, with a hand on the
// wire: packets wait in a queue and may be dropped.
class Link : public SctpAssociation::Listener {
  public:
    explicit Link(SctpAssociation::Options client = options(1, true),
                  SctpAssociation::Options server = options(2, false))
        : client_(client, *this), server_(server, *this) {}

    static SctpAssociation::Options options(std::uint64_t id, bool dtls_client) {
        SctpAssociation::Options options;
        options.id = id;
        options.dtls_client = dtls_client;
        return options;
    }

    SctpAssociation& client() { return client_; }
    SctpAssociation& server() { return server_; }

    // Carries packets and drives timers until done() or the deadline.
    bool pump_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 3s) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < deadline) {
            while (!wire_.empty()) {
                auto [from, packet] = std::move(wire_.front());
                wire_.pop_front();
                if (drop_next_data_ && packet.size() > 28) {  // larger than a SACK
                    drop_next_data_ = false;
                    continue;
                }
                (from == client_.id() ? server_ : client_).receive(packet);
            }
            if (done()) return true;
            std::this_thread::sleep_for(5ms);
            client_.on_tick();
            server_.on_tick();
        }
        return done();
    }

    bool connect() {
        client_.connect();
        return pump_until([&] {
            return client_.state() == SctpAssociation::State::Connected &&
                   server_.state() == SctpAssociation::State::Connected;
        });
    }

    std::vector<Received> received_at(std::uint64_t id) const {
        std::vector<Received> out;
        for (const auto& message : received_)
            if (message.at == id) out.push_back(message);
        return out;
    }

    void drop_next_data() { drop_next_data_ = true; }
    std::size_t packets_sent() const { return packets_sent_; }

  private:
    void on_sctp_send(SctpAssociation& association, std::span<const std::uint8_t> packet) override {
        ++packets_sent_;
        wire_.emplace_back(association.id(),
                           std::vector<std::uint8_t>(packet.begin(), packet.end()));
    }

    void on_sctp_message(SctpAssociation& association, const SctpAssociation::Channel& channel,
                         MessageType type, std::span<const std::uint8_t> payload) override {
        received_.push_back({association.id(), channel.label, channel.stream, type,
                             std::string(payload.begin(), payload.end())});
    }

    std::deque<std::pair<std::uint64_t, std::vector<std::uint8_t>>> wire_;
    std::vector<Received> received_;
    bool drop_next_data_ = false;
    std::size_t packets_sent_ = 0;
    SctpAssociation client_;
    SctpAssociation server_;
};

TEST(SctpAssociationTest, ConnectsBackToBack) {
    Link link;
    EXPECT_EQ(link.client().state(), SctpAssociation::State::New);
    ASSERT_TRUE(link.connect());
}

TEST(SctpAssociationTest, RefusesToSendBeforeTheAssociationIsUp) {
    Link link;
    EXPECT_FALSE(link.client().send_text("chat", "too early"));
    EXPECT_EQ(link.client().dropped_messages(), 1u);
    EXPECT_EQ(link.packets_sent(), 0u);
}

TEST(SctpAssociationTest, ChannelOpenedByOneSideCarriesOrderedTextBothWays) {
    Link link;
    ASSERT_TRUE(link.connect());
    ASSERT_TRUE(link.client().send_text("chat", "bonjour"));
    ASSERT_TRUE(link.pump_until([&] { return link.received_at(2).size() == 1; }));

    // The DTLS client opens on an even stream; the other side answers on the same channel.
    const auto* client_channel = link.client().find("chat");
    const auto* server_channel = link.server().find("chat");
    ASSERT_NE(client_channel, nullptr);
    ASSERT_NE(server_channel, nullptr);
    EXPECT_EQ(client_channel->stream % 2, 0);
    EXPECT_EQ(server_channel->stream, client_channel->stream);
    EXPECT_TRUE(client_channel->opened_by_us);
    EXPECT_FALSE(server_channel->opened_by_us);
    EXPECT_EQ(link.server().channels().size(), 1u);

    for (int i = 0; i < 100; ++i) {
        ASSERT_TRUE(link.server().send_text("chat", "to client " + std::to_string(i)));
        ASSERT_TRUE(link.client().send_text("chat", "to server " + std::to_string(i)));
    }
    ASSERT_TRUE(link.pump_until(
        [&] { return link.received_at(1).size() == 100 && link.received_at(2).size() == 101; }));
    const auto at_client = link.received_at(1);
    const auto at_server = link.received_at(2);
    EXPECT_EQ(at_server[0].payload, "bonjour");
    for (int i = 0; i < 100; ++i) {
        EXPECT_EQ(at_client[static_cast<std::size_t>(i)].payload, "to client " + std::to_string(i));
        EXPECT_EQ(at_server[static_cast<std::size_t>(i) + 1].payload,
                  "to server " + std::to_string(i));
    }
    EXPECT_EQ(at_client[0].label, "chat");
    EXPECT_EQ(at_client[0].type, MessageType::Text);
    EXPECT_EQ(link.client().channels().size(), 1u);  // no second channel was opened
    EXPECT_EQ(link.client().dropped_messages() + link.server().dropped_messages(), 0u);
}

TEST(SctpAssociationTest, DtlsServerOpensItsChannelsOnOddStreams) {
    Link link;
    ASSERT_TRUE(link.connect());
    ASSERT_TRUE(link.server().send_text("chat", "from the server"));
    ASSERT_TRUE(link.server().send_text("notes", "another channel"));
    ASSERT_TRUE(link.pump_until([&] { return link.received_at(1).size() == 2; }));
    const auto* chat = link.client().find("chat");
    const auto* notes = link.client().find("notes");
    ASSERT_NE(chat, nullptr);
    ASSERT_NE(notes, nullptr);
    EXPECT_EQ(chat->stream % 2, 1);
    EXPECT_EQ(notes->stream % 2, 1);
    EXPECT_NE(chat->stream, notes->stream);
    EXPECT_EQ(link.received_at(1)[0].label, "chat");
    EXPECT_EQ(link.received_at(1)[1].label, "notes");
    EXPECT_EQ(link.received_at(1)[1].payload, "another channel");
}

TEST(SctpAssociationTest, CarriesEmptyAndBinaryMessages) {
    Link link;
    ASSERT_TRUE(link.connect());
    const std::vector<std::uint8_t> binary{0, 1, 2, 0xff};
    ASSERT_TRUE(link.client().send_text("chat", ""));
    ASSERT_TRUE(link.client().send("chat", MessageType::Binary, binary));
    ASSERT_TRUE(link.client().send("chat", MessageType::Binary, {}));
    ASSERT_TRUE(link.pump_until([&] { return link.received_at(2).size() == 3; }));
    const auto messages = link.received_at(2);
    EXPECT_EQ(messages[0].type, MessageType::Text);
    EXPECT_EQ(messages[0].payload, "");
    EXPECT_EQ(messages[1].type, MessageType::Binary);
    EXPECT_EQ(messages[1].payload, std::string("\0\1\2\xff", 4));
    EXPECT_EQ(messages[2].type, MessageType::Binary);
    EXPECT_EQ(messages[2].payload, "");
}

TEST(SctpAssociationTest, LargeMessageArrivesWholeWithinTheLimit) {
    Link link;
    ASSERT_TRUE(link.connect());
    std::string large(200000, 'x');
    large.back() = 'y';
    ASSERT_TRUE(link.client().send_text("chat", large));
    ASSERT_TRUE(link.pump_until([&] { return link.received_at(2).size() == 1; }));
    EXPECT_EQ(link.received_at(2)[0].payload, large);
}

TEST(SctpAssociationTest, MessagesBeyondMaxMessageSizeAreRefusedBothWays) {
    auto small = Link::options(2, false);
    small.max_message_size = 1000;
    Link link(Link::options(1, true), small);
    ASSERT_TRUE(link.connect());
    EXPECT_FALSE(link.server().send_text("chat", std::string(1001, 'a')));
    EXPECT_EQ(link.server().dropped_messages(), 1u);

    // The client allows more than the server accepts: the server drops it and goes on.
    ASSERT_TRUE(link.client().send_text("chat", std::string(5000, 'b')));
    ASSERT_TRUE(link.client().send_text("chat", "small"));
    ASSERT_TRUE(link.pump_until([&] { return link.received_at(2).size() == 1; }));
    EXPECT_EQ(link.received_at(2)[0].payload, "small");
    EXPECT_EQ(link.server().dropped_messages(), 2u);
}

TEST(SctpAssociationTest, SendBufferIsBounded) {
    auto bounded = Link::options(1, true);
    bounded.send_buffer = 64 * 1024;
    Link link(bounded, Link::options(2, false));
    ASSERT_TRUE(link.connect());
    // Nothing is carried meanwhile, so nothing is acknowledged: the buffer fills up.
    int accepted = 0;
    const std::string message(10000, 'z');
    for (int i = 0; i < 100; ++i)
        if (link.client().send_text("chat", message)) ++accepted;
    EXPECT_GT(accepted, 0);
    EXPECT_LT(accepted, 10);
    EXPECT_EQ(link.client().dropped_messages(), static_cast<std::uint64_t>(100 - accepted));
    ASSERT_TRUE(link.pump_until(
        [&] { return link.received_at(2).size() == static_cast<std::size_t>(accepted); }));
}

TEST(SctpAssociationTest, LostPacketIsRetransmittedByTheTimers) {
    Link link;
    ASSERT_TRUE(link.connect());
    link.drop_next_data();
    ASSERT_TRUE(link.client().send_text("chat", "lost once"));
    ASSERT_TRUE(link.pump_until([&] { return link.received_at(2).size() == 1; }, 5s));
    EXPECT_EQ(link.received_at(2)[0].payload, "lost once");
}

TEST(SctpAssociationTest, OpenOnTheWrongParityIsRefusedAndTheChannelCloses) {
    // Both claim to be the DTLS client: the server refuses the client's even stream by
    // resetting it, and the client then forgets the channel.
    Link link(Link::options(1, true), Link::options(2, true));
    ASSERT_TRUE(link.connect());
    ASSERT_TRUE(link.client().send_text("chat", "refused"));
    ASSERT_TRUE(link.pump_until([&] { return link.client().find("chat") == nullptr; }));
    EXPECT_EQ(link.server().find("chat"), nullptr);
    EXPECT_TRUE(link.received_at(2).empty());
    EXPECT_GE(link.server().dropped_messages(), 1u);
}

TEST(SctpAssociationTest, AssociationsOnTwoWorkerThreadsShareUsrsctpTimers) {
    // usrsctp's clock is global: one worker's tick may fire the other's retransmission. Each
    // association must still act only on its own thread and get its packet through.
    auto run = [](std::uint64_t first_id, std::string text, bool& delivered) {
        Link link(Link::options(first_id, true), Link::options(first_id + 1, false));
        if (!link.connect()) return;
        link.drop_next_data();
        if (!link.client().send_text("chat", text)) return;
        delivered = link.pump_until(
            [&] {
                const auto received = link.received_at(first_id + 1);
                return received.size() == 1 && received[0].payload == text;
            },
            5s);
    };
    bool first = false;
    bool second = false;
    std::thread worker_a(run, 101, "from worker a", std::ref(first));
    std::thread worker_b(run, 201, "from worker b", std::ref(second));
    worker_a.join();
    worker_b.join();
    EXPECT_TRUE(first);
    EXPECT_TRUE(second);
}

TEST(SctpAssociationTest, ReleasesItsRouteAndIgnoresLateCallbacks) {
    const auto before = UsrSctpLibrary::open_routes();
    UsrSctpLibrary::Route route = 0;
    {
        Link link;
        ASSERT_TRUE(link.connect());
        EXPECT_EQ(UsrSctpLibrary::open_routes(), before + 2);
        route = UsrSctpLibrary::open_route();
        UsrSctpLibrary::close_route(route);
    }
    EXPECT_EQ(UsrSctpLibrary::open_routes(), before);
    UsrSctpLibrary::Event late;
    late.bytes = {1, 2, 3};
    EXPECT_FALSE(UsrSctpLibrary::post(route, late));
    std::vector<UsrSctpLibrary::Event> events;
    EXPECT_FALSE(UsrSctpLibrary::take(route, events));
}

}  // namespace
}  // namespace vg::rtc::sctp
