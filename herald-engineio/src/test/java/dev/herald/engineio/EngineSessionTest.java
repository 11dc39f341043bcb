package dev.herald.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engineio.transport.FakeEngineRequest;
import dev.herald.engineio.transport.FakeWebSocketConnection;
import dev.herald.engineio.transport.ManualSessionExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The engine's session state machine, in process and in virtual time: no network, no sleeps. Each
 * step hands the engine one request or frame and runs what it queued; timers move only with
 * {@link EngineHarness#advance}. The same behaviours are checked end to end in herald-netty.
 */
class EngineSessionTest {

    static final Duration INTERVAL = Duration.ofMillis(300);
    static final Duration TIMEOUT = Duration.ofMillis(200);
    static final Duration MS = Duration.ofMillis(1);

    static EngineHarness heartbeat() {
        return new EngineHarness(o -> o.pingInterval(INTERVAL).pingTimeout(TIMEOUT));
    }

    @Nested
    class Handshake {
        @Test
        void pollingHandshakeAnswersTheOpenPacketWithTheFiveKeysAndOffersWebSocket() {
            EngineHarness h = new EngineHarness();
            FakeEngineRequest req = h.request(FakeEngineRequest.get(h.loop, "EIO=4&transport=polling"));
            String sid = h.opened.get(0).id();
            assertThat(req.answer().status()).isEqualTo(200);
            assertThat(req.answer().text())
                    .isEqualTo("0{\"sid\":\"" + sid + "\",\"upgrades\":[\"websocket\"],"
                            + "\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}");
            assertThat(h.opened.get(0).transport()).isEqualTo("polling");
            assertThat(h.opened.get(0).isOpen()).isTrue();
        }

        @Test
        void webSocketHandshakeSendsTheOpenPacketAsItsFirstFrameWithNoUpgrades() {
            EngineHarness h = new EngineHarness();
            FakeWebSocketConnection ws = h.openWebSocket();
            String sid = h.opened.get(0).id();
            assertThat(ws.takeTexts())
                    .containsExactly("0{\"sid\":\"" + sid + "\",\"upgrades\":[],"
                            + "\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}");
            assertThat(h.opened.get(0).transport()).isEqualTo("websocket");
        }

        @Test
        void maxPayloadAdvertisesMaxHttpBufferSizeAndAnOversizedBodyClosesTheSession() {
            EngineHarness h = new EngineHarness(o -> o.maxHttpBufferSize(1234));
            FakeEngineRequest handshake = h.request(FakeEngineRequest.get(h.loop, "EIO=4&transport=polling"));
            assertThat(handshake.answer().text()).endsWith(",\"maxPayload\":1234}");
            String sid = h.opened.get(0).id();
            h.server.rejectOversized(FakeEngineRequest.get(h.loop, "EIO=4&transport=polling&sid=" + sid)
                    .request());
            h.loop.runPending();
            assertThat(h.closeReasons).containsEntry(sid, CloseReason.MESSAGE_TOO_LARGE);
            assertThat(h.server.sessionCount()).isZero();
            assertThat(h.poll(sid).answer().status()).isEqualTo(400);
        }

        @Test
        void aHandlerThatClosesInOnOpenIsToldOfTheCloseExactlyOnce() {
            ManualLoopServer m = new ManualLoopServer();
            FakeEngineRequest req = FakeEngineRequest.get(m.loop, "EIO=4&transport=polling");
            m.server.handleRequest(req);
            m.loop.runPending();
            assertThat(req.answer().text()).startsWith("0{");
            m.loop.advance(EngineSession.CLOSE_TIMEOUT.plus(Duration.ofSeconds(30)));
            assertThat(m.told).containsExactly(CloseReason.FORCED_CLOSE);
            assertThat(m.server.sessionCount()).isZero();
        }
    }

    /** A server whose handler sends and closes before it returns its listener. */
    static final class ManualLoopServer {
        final ManualSessionExecutor loop = new ManualSessionExecutor();
        final List<CloseReason> told = new ArrayList<>();
        final EngineIoServer server = EngineIoServer.create(EngineIoOptions.defaults(), socket -> {
            socket.send(Message.text("bye"));
            socket.close();
            return new EngineSocketListener() {
                @Override
                public void onMessage(EngineSocket s, Message m) {}

                @Override
                public void onClose(EngineSocket s, CloseReason reason, String d) {
                    told.add(reason);
                }
            };
        });
    }

    @Nested
    class Heartbeat {
        @Test
        void theFirstPingIsDueOnePingIntervalAfterTheHandshakeNotBefore() {
            EngineHarness h = heartbeat();
            String sid = h.handshakePolling();
            FakeEngineRequest poll = h.poll(sid);
            h.advance(INTERVAL.minus(MS));
            assertThat(poll.isAnswered()).isFalse();
            h.advance(MS);
            assertThat(poll.answer().text()).isEqualTo("2");
        }

        @Test
        void aMissingPongClosesWithPingTimeoutExactlyIntervalPlusTimeoutAfterTheHandshake() {
            EngineHarness h = heartbeat();
            String sid = h.handshakePolling();
            h.poll(sid);
            h.advance(INTERVAL.plus(TIMEOUT).minus(MS));
            assertThat(h.closeReasons).isEmpty();
            h.advance(MS);
            assertThat(h.closeReasons).containsEntry(sid, CloseReason.PING_TIMEOUT);
            assertThat(h.poll(sid).answer().status()).isEqualTo(400);
            assertThat(h.server.sessionCount()).isZero();
        }

        @Test
        void aPongKeepsTheSessionAndTheNextPingIsOneIntervalAfterThePong() {
            EngineHarness h = heartbeat();
            String sid = h.handshakePolling();
            h.advance(INTERVAL);
            assertThat(h.poll(sid).answer().text()).isEqualTo("2");
            h.advance(Duration.ofMillis(150));
            assertThat(h.post(sid, "3").answer().status()).isEqualTo(200);
            FakeEngineRequest poll = h.poll(sid);
            h.advance(INTERVAL.minus(MS));
            assertThat(poll.isAnswered()).isFalse();
            h.advance(MS);
            assertThat(poll.answer().text()).isEqualTo("2");
            assertThat(h.closeReasons).isEmpty();
        }

        @Test
        void aPollThatArrivesAfterTheDeadlineFindsTheSessionGoneEvenIfTheTimerRunsLate() {
            EngineHarness h = heartbeat();
            String sid = h.handshakePolling();
            h.advance(INTERVAL);
            assertThat(h.poll(sid).answer().text()).isEqualTo("2");
            // The loop is busy: the timeout is due, its timer has not run, and a poll comes first.
            h.loop.stall(TIMEOUT);
            FakeEngineRequest late = h.poll(sid);
            assertThat(late.answer().status()).isEqualTo(400);
            assertThat(h.closeReasons).containsEntry(sid, CloseReason.PING_TIMEOUT);
        }

        @Test
        void pingsKeepComingOverWebSocketWhileTheClientPongs() {
            EngineHarness h = heartbeat();
            FakeWebSocketConnection ws = h.openWebSocket();
            ws.takeTexts();
            for (int i = 0; i < 4; i++) {
                h.advance(INTERVAL);
                assertThat(ws.takeTexts()).containsExactly("2");
                ws.receive("3");
                h.loop.runPending();
            }
            assertThat(h.closeReasons).isEmpty();
            assertThat(h.opened.get(0).isOpen()).isTrue();
        }

        @Test
        void overWebSocketAMissingPongClosesTheConnection() {
            EngineHarness h = heartbeat();
            FakeWebSocketConnection ws = h.openWebSocket();
            h.advance(INTERVAL.plus(TIMEOUT));
            assertThat(h.closeReasons.values()).containsExactly(CloseReason.PING_TIMEOUT);
            assertThat(ws.isClosed()).isTrue();
        }

        @Test
        void anEio3ClientThatStaysSilentForIntervalPlusTimeoutIsClosedAndItsPingsAreAnswered() {
            EngineHarness h = new EngineHarness(
                    o -> o.pingInterval(INTERVAL).pingTimeout(TIMEOUT).allowEio3(true));
            FakeEngineRequest hs = h.request(FakeEngineRequest.get(h.loop, "EIO=3&transport=polling&b64=1"));
            assertThat(hs.answer().status()).isEqualTo(200);
            String sid = h.opened.get(0).id();
            h.advance(Duration.ofMillis(400));
            h.request(FakeEngineRequest.post(h.loop, "EIO=3&transport=polling&b64=1&sid=" + sid, "1:2"));
            FakeEngineRequest poll =
                    h.request(FakeEngineRequest.get(h.loop, "EIO=3&transport=polling&b64=1&sid=" + sid));
            assertThat(poll.answer().text()).isEqualTo("1:3");
            // The ping re-armed the deadline: silent from 400 ms on, gone at 400 + 300 + 200.
            h.advance(INTERVAL.plus(TIMEOUT).minus(MS));
            assertThat(h.closeReasons).isEmpty();
            h.advance(MS);
            assertThat(h.closeReasons).containsEntry(sid, CloseReason.PING_TIMEOUT);
        }
    }

    @Nested
    class Polling {
        @Test
        void aPollParksUntilSomethingIsSentAndSendsFromOtherThreadsCrossInOneAnswer() {
            EngineHarness h = new EngineHarness();
            String sid = h.handshakePolling();
            FakeEngineRequest poll = h.poll(sid);
            assertThat(poll.isAnswered()).isFalse();
            EngineSocket s = h.socket(sid);
            // The test thread is not the loop: these are queued and cross in one hop.
            s.send(Message.text("a"));
            s.send(List.of(Message.text("b"), Message.binary(new byte[] {1, 2, 3})));
            assertThat(poll.isAnswered()).isFalse();
            assertThat(h.loop.runPending()).isEqualTo(1);
            assertThat(poll.answer().text()).isEqualTo("4a\u001e4b\u001ebAQID");
        }

        @Test
        void aPollFindsWhatWasQueuedBeforeIt() {
            EngineHarness h = new EngineHarness();
            String sid = h.handshakePolling();
            h.socket(sid).send(Message.text("early"));
            h.loop.runPending();
            assertThat(h.poll(sid).answer().text()).isEqualTo("4early");
        }

        @Test
        void aPostDeliversItsPacketsInOrderAndIsAnsweredOk() {
            EngineHarness h = new EngineHarness();
            String sid = h.handshakePolling();
            FakeEngineRequest post = h.post(sid, "4a\u001e4b\u001ebAQID");
            assertThat(post.answer().status()).isEqualTo(200);
            assertThat(post.answer().text()).isEqualTo("ok");
            assertThat(h.events).containsExactly("message a", "message b", "message <binary 3>");
        }

        @Test
        void aSecondConcurrentGetIsRefusedWith400TheFirstGetsCloseAndTheSessionEnds() {
            EngineHarness h = new EngineHarness();
            String sid = h.handshakePolling();
            FakeEngineRequest first = h.poll(sid);
            FakeEngineRequest second = h.poll(sid);
            assertThat(first.answer().text()).isEqualTo("1");
            assertThat(second.answer().status()).isEqualTo(400);
            assertThat(second.answer().text()).isEqualTo("{\"code\":3,\"message\":\"Bad request\"}");
            assertThat(h.closeReasons).containsEntry(sid, CloseReason.POLLING_ERROR);
            assertThat(h.poll(sid).answer().status()).isEqualTo(400);
        }

        @Test
        void aMalformedPostIsRefusedAndClosesTheSessionWithParseError() {
            EngineHarness h = new EngineHarness();
            String sid = h.handshakePolling();
            assertThat(h.post(sid, "9nonsense").answer().status()).isEqualTo(400);
            assertThat(h.closeReasons).containsEntry(sid, CloseReason.PARSE_ERROR);
        }

        @Test
        void anUnknownSidIsRefusedWith400() {
            EngineHarness h = new EngineHarness();
            FakeEngineRequest poll = h.poll("nope");
            assertThat(poll.answer().status()).isEqualTo(400);
            assertThat(poll.answer().text()).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
        }

        @Test
        void aParkedPollWhoseConnectionDropsClosesTheSessionWithTransportError() {
            EngineHarness h = new EngineHarness();
            String sid = h.handshakePolling();
            FakeEngineRequest poll = h.poll(sid);
            h.advance(Duration.ofSeconds(1));
            assertThat(h.closeReasons).isEmpty();
            poll.abort();
            h.loop.runPending();
            assertThat(h.closeReasons).containsEntry(sid, CloseReason.TRANSPORT_ERROR);
        }

        @Test
        void aClientClosePostAnswersTheParkedPollWithNoop() {
            EngineHarness h = new EngineHarness();
            String sid = h.handshakePolling();
            FakeEngineRequest poll = h.poll(sid);
            assertThat(h.post(sid, "1").answer().status()).isEqualTo(200);
            assertThat(poll.answer().status()).isEqualTo(200);
            assertThat(poll.answer().text()).isEqualTo("6");
            assertThat(h.closeReasons).containsEntry(sid, CloseReason.TRANSPORT_CLOSE);
            assertThat(h.server.session(sid)).isEmpty();
        }
    }

    @Nested
    class Upgrade {
        @Test
        void probeIsAnsweredThePendingGetGetsNoopAfterAPollCycleAndUpgradeSwitchesTheTransport() {
            EngineHarness h = new EngineHarness();
            String sid = h.handshakePolling();
            FakeEngineRequest poll = h.poll(sid);
            FakeWebSocketConnection ws = h.probe(sid);
            ws.receive("2probe");
            h.loop.runPending();
            assertThat(ws.takeTexts()).containsExactly("3probe");
            // engine.io's forced poll cycle: the empty poll waits 100 ms for an upgrade packet.
            h.advance(WebSocketLeg.POLL_CYCLE_WHILE_UPGRADING.minus(MS));
            assertThat(poll.isAnswered()).isFalse();
            h.advance(MS);
            assertThat(poll.answer().text()).isEqualTo("6");
            // Sent while upgrading to a client that still polls: it gets it now, as from engine.io.
            FakeEngineRequest second = h.poll(sid);
            h.socket(sid).send(Message.text("during"));
            h.loop.runPending();
            assertThat(second.answer().text()).isEqualTo("4during");
            // Sent when no poll waits: held for whichever transport asks first, here the new one.
            h.socket(sid).send(Message.text("held"));
            h.loop.runPending();
            ws.receive("5");
            h.loop.runPending();
            assertThat(h.socket(sid).transport()).isEqualTo("websocket");
            assertThat(ws.takeTexts()).containsExactly("4held");
            assertThat(h.events).containsExactly("upgrade websocket");
            ws.receive("4after");
            h.loop.runPending();
            assertThat(h.events).containsExactly("upgrade websocket", "message after");
            assertThat(h.poll(sid).answer().status()).isEqualTo(400);
        }

        @Test
        void aPollStillParkedWhenTheUpgradePacketArrivesIsRefusedAsAnyLaterPoll() {
            // The protocol suite sends 2probe and 5, then polls; the poll may be seen first.
            EngineHarness h = new EngineHarness();
            String sid = h.handshakePolling();
            FakeWebSocketConnection ws = h.probe(sid);
            FakeEngineRequest poll = h.poll(sid);
            ws.receive("2probe");
            ws.receive("5");
            h.loop.runPending();
            assertThat(poll.answer().status()).isEqualTo(400);
            assertThat(h.socket(sid).transport()).isEqualTo("websocket");
            h.advance(WebSocketLeg.POLL_CYCLE_WHILE_UPGRADING.multipliedBy(3));
            h.socket(sid).send(Message.text("after"));
            h.loop.runPending();
            assertThat(ws.takeTexts()).containsExactly("3probe", "4after");
        }

        @Test
        void aProbeThatNeverUpgradesIsDroppedAtUpgradeTimeoutAndPollingGoesOn() {
            EngineHarness h = new EngineHarness(o -> o.upgradeTimeout(Duration.ofSeconds(3)));
            String sid = h.handshakePolling();
            FakeWebSocketConnection ws = h.probe(sid);
            ws.receive("2probe");
            h.loop.runPending();
            h.advance(Duration.ofSeconds(3).minus(MS));
            assertThat(ws.isClosed()).isFalse();
            h.advance(MS);
            assertThat(ws.isClosed()).isTrue();
            h.socket(sid).send(Message.text("still polling"));
            h.loop.runPending();
            assertThat(h.poll(sid).answer().text()).isEqualTo("4still polling");
            assertThat(h.socket(sid).transport()).isEqualTo("polling");
        }

        @Test
        void aSecondWebSocketForAnUpgradedSessionIsClosedAndTheFirstKeepsWorking() {
            EngineHarness h = new EngineHarness();
            String sid = h.handshakePolling();
            FakeWebSocketConnection first = h.upgrade(sid);
            FakeWebSocketConnection second = h.probe(sid);
            assertThat(second.isClosed()).isTrue();
            h.socket(sid).send(Message.text("first still works"));
            h.loop.runPending();
            assertThat(first.isClosed()).isFalse();
            assertThat(first.takeTexts()).containsExactly("4first still works");
        }

        @Test
        void anUnexpectedPacketOnTheProbeAbandonsTheUpgrade() {
            EngineHarness h = new EngineHarness();
            String sid = h.handshakePolling();
            FakeWebSocketConnection ws = h.probe(sid);
            ws.receive("2probe");
            ws.receive("4hello");
            h.loop.runPending();
            assertThat(ws.isClosed()).isTrue();
            assertThat(h.socket(sid).transport()).isEqualTo("polling");
            assertThat(h.socket(sid).isOpen()).isTrue();
        }
    }

    @Nested
    class Closing {
        @Test
        void aServerCloseWhileAPollWaitsAnswersItWithTheQueueThenTheNextPollWithClose() {
            EngineHarness h = new EngineHarness();
            String sid = h.handshakePolling();
            FakeEngineRequest poll = h.poll(sid);
            EngineSocket s = h.socket(sid);
            h.onLoop(() -> {
                // On the loop, so the close follows the send in the same pass (no answer in between).
                s.send(Message.text("last words"));
                s.close();
                return null;
            });
            assertThat(poll.answer().text()).isEqualTo("4last words");
            assertThat(h.closeReasons).containsEntry(sid, CloseReason.FORCED_CLOSE);
            assertThat(s.isOpen()).isFalse();
            assertThat(h.poll(sid).answer().text()).isEqualTo("1");
            assertThat(h.server.sessionCount()).isZero();
        }

        @Test
        void aServerCloseWithNothingQueuedAnswersTheWaitingPollWithClose() {
            EngineHarness h = new EngineHarness();
            String sid = h.handshakePolling();
            FakeEngineRequest poll = h.poll(sid);
            h.socket(sid).close();
            h.loop.runPending();
            assertThat(poll.answer().text()).isEqualTo("1");
            assertThat(h.server.sessionCount()).isZero();
        }

        @Test
        void aClosingPollingSessionWhoseClientNeverPollsIsForgottenAtTheCloseTimeout() {
            EngineHarness h = new EngineHarness();
            String sid = h.handshakePolling();
            h.socket(sid).send(Message.text("unread"));
            h.socket(sid).close();
            h.loop.runPending();
            h.advance(EngineSession.CLOSE_TIMEOUT.minus(MS));
            assertThat(h.server.sessionCount()).isOne();
            h.advance(MS);
            assertThat(h.server.sessionCount()).isZero();
            assertThat(h.poll(sid).answer().status()).isEqualTo(400);
        }

        @Test
        void overWebSocketTheQueueIsWrittenBeforeTheCloseAndThePeersCloseEndsTheSession() {
            EngineHarness h = new EngineHarness();
            FakeWebSocketConnection ws = h.openWebSocket();
            ws.takeTexts();
            EngineSocket s = h.opened.get(0);
            h.onLoop(() -> {
                s.send(Message.text("bye"));
                s.close();
                return null;
            });
            assertThat(ws.takeTexts()).containsExactly("4bye");
            assertThat(ws.isClosed()).isTrue();
            assertThat(ws.isAborted()).isFalse();
            assertThat(h.server.sessionCount()).isOne();
            ws.peerClosed(CloseReason.TRANSPORT_CLOSE);
            h.loop.runPending();
            assertThat(h.server.sessionCount()).isZero();
            assertThat(h.closeReasons.values()).containsExactly(CloseReason.FORCED_CLOSE);
        }

        @Test
        void overWebSocketAPeerThatNeverCompletesTheCloseIsAbortedAtTheCloseTimeout() {
            EngineHarness h = new EngineHarness();
            FakeWebSocketConnection ws = h.openWebSocket();
            h.opened.get(0).close();
            h.loop.runPending();
            h.advance(EngineSession.CLOSE_TIMEOUT.minus(MS));
            assertThat(ws.isAborted()).isFalse();
            assertThat(h.server.sessionCount()).isOne();
            h.advance(MS);
            assertThat(ws.isAborted()).isTrue();
            assertThat(h.server.sessionCount()).isZero();
        }

        @Test
        void aSessionClosedWhileItsClientUpgradesSendsTheQueueOverTheNewWebSocketThenClosesIt() {
            EngineHarness h = new EngineHarness();
            String sid = h.handshakePolling();
            FakeWebSocketConnection ws = h.probe(sid);
            ws.receive("2probe");
            h.loop.runPending();
            assertThat(ws.takeTexts()).containsExactly("3probe");
            EngineSocket s = h.socket(sid);
            s.send(Message.text("queued"));
            s.close();
            h.loop.runPending();
            assertThat(h.closeReasons).containsEntry(sid, CloseReason.FORCED_CLOSE);
            // The client stopped polling when 3probe came: the queue waits for its WebSocket.
            ws.receive("5");
            h.loop.runPending();
            assertThat(ws.takeTexts()).containsExactly("4queued");
            assertThat(ws.isClosed()).isTrue();
            ws.peerClosed(CloseReason.TRANSPORT_CLOSE);
            h.loop.runPending();
            assertThat(h.server.sessionCount()).isZero();
        }

        @Test
        void aClientCloseOverWebSocketIsTransportClose() {
            EngineHarness h = new EngineHarness();
            FakeWebSocketConnection ws = h.openWebSocket();
            ws.receive("1");
            h.loop.runPending();
            assertThat(h.closeReasons.values()).containsExactly(CloseReason.TRANSPORT_CLOSE);
        }

        @Test
        void shutdownClosesEverySessionWithServerShuttingDown() {
            EngineHarness h = new EngineHarness();
            String sid = h.handshakePolling();
            FakeEngineRequest poll = h.poll(sid);
            var done = h.server.shutdown();
            h.loop.runPending();
            assertThat(done).isDone();
            assertThat(poll.answer().text()).isEqualTo("1");
            assertThat(h.closeReasons).containsEntry(sid, CloseReason.SERVER_SHUTTING_DOWN);
            assertThat(h.request(FakeEngineRequest.get(h.loop, "EIO=4&transport=polling"))
                            .answer()
                            .status())
                    .isEqualTo(403);
        }

        @Test
        void aSessionWhoseLoopIsGoneIsDroppedAtShutdown() {
            EngineHarness h = new EngineHarness();
            h.handshakePolling();
            h.loop.shutdown();
            assertThat(h.server.shutdown()).isDone();
            assertThat(h.server.sessionCount()).isZero();
        }
    }

    @Nested
    class SlowConsumer {
        static EngineHarness bounded() {
            return new EngineHarness(o -> o.writeBufferWaterMark(100, 200)
                    .slowConsumerMaxBuffer(1000)
                    .slowConsumerTimeout(Duration.ofSeconds(5)));
        }

        /** A WebSocket session whose transport holds {@code unsent} bytes, after one more send. */
        static FakeWebSocketConnection sendWithUnsent(EngineHarness h, long unsent) {
            FakeWebSocketConnection ws = h.openWebSocket();
            ws.bufferedBytes(unsent);
            h.opened.get(0).send(Message.text("x"));
            h.loop.runPending();
            return ws;
        }

        @Test
        void volatileMessagesAreDroppedAndCountedWhileTheConnectionIsNotWritable() {
            EngineHarness h = bounded();
            FakeWebSocketConnection ws = h.openWebSocket();
            ws.takeTexts();
            EngineSocket s = h.opened.get(0);
            ws.writable(false);
            s.sendVolatile(Message.text("dropped"));
            h.loop.runPending();
            ws.writable(true);
            s.sendVolatile(Message.text("kept"));
            h.loop.runPending();
            assertThat(ws.takeTexts()).containsExactly("4kept");
            assertThat(h.server.droppedMessages()).isOne();
        }

        @Test
        void aClientOverTheHardBoundIsCutAtOnce() {
            EngineHarness h = bounded();
            FakeWebSocketConnection ws = sendWithUnsent(h, 1001);
            assertThat(h.closeReasons.values()).containsExactly(CloseReason.SLOW_CONSUMER);
            assertThat(ws.isAborted()).isTrue();
            assertThat(h.server.sessionCount()).isZero();
        }

        @Test
        void aClientStillOverTheLowMarkWhenTheSlowConsumerTimeoutEndsIsClosed() {
            EngineHarness h = bounded();
            FakeWebSocketConnection ws = sendWithUnsent(h, 300);
            h.advance(Duration.ofSeconds(5).minus(MS));
            assertThat(h.closeReasons).isEmpty();
            ws.bufferedBytes(150);
            h.advance(MS);
            assertThat(h.closeReasons.values()).containsExactly(CloseReason.SLOW_CONSUMER);
        }

        @Test
        void aClientThatDrainsBelowTheLowMarkInTimeStaysOpen() {
            EngineHarness h = bounded();
            FakeWebSocketConnection ws = sendWithUnsent(h, 300);
            h.advance(Duration.ofSeconds(1));
            ws.bufferedBytes(50);
            h.advance(Duration.ofSeconds(10));
            assertThat(h.closeReasons).isEmpty();
            assertThat(h.opened.get(0).isOpen()).isTrue();
        }

        @Test
        void aPollingClientThatDoesNotPollIsClosedWhenItsQueuePassesTheHardBound() {
            EngineHarness h = bounded();
            String sid = h.handshakePolling();
            h.socket(sid).send(Message.text("y".repeat(1000)));
            h.loop.runPending();
            assertThat(h.closeReasons).containsEntry(sid, CloseReason.SLOW_CONSUMER);
        }
    }
}
