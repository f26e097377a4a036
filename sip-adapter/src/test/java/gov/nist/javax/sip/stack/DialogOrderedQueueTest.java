package gov.nist.javax.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DialogOrderedQueueTest {

    private static DatagramQueuedMessageDispatch message(String callId, String firstLine, long receivedAt) {
        byte[] bytes = (firstLine + "\r\nCall-ID: " + callId + "\r\nCSeq: 1 INVITE\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return new DatagramQueuedMessageDispatch(
                new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), 5060), receivedAt);
    }

    @Test
    void theMessagesOfOneCall_shareALane_andLeaveItInArrivalOrder() throws Exception {
        DialogOrderedQueue queue = new DialogOrderedQueue(4, 100);
        List<DatagramQueuedMessageDispatch> call = List.of(
                message("call-1@h", "SIP/2.0 180 Ringing", 1), message("call-1@h", "SIP/2.0 200 OK", 2),
                message("call-1@h", "ACK sip:b@h SIP/2.0", 3), message("call-1@h", "BYE sip:b@h SIP/2.0", 4));
        for (DatagramQueuedMessageDispatch m : call) {
            assertTrue(queue.offer(m));
        }
        int lane = queue.laneOf(call.get(0));
        for (DatagramQueuedMessageDispatch m : call) {
            assertEquals(lane, queue.laneOf(m));
        }
        // Four worker threads, each bound to its own lane; the one bound to the call's lane gets all of it, in order.
        List<CompletableFuture<List<DatagramQueuedMessageDispatch>>> workers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            workers.add(CompletableFuture.supplyAsync(() -> {
                List<DatagramQueuedMessageDispatch> taken = new ArrayList<>();
                try {
                    DatagramQueuedMessageDispatch m;
                    while ((m = queue.poll(200, TimeUnit.MILLISECONDS)) != null) {
                        taken.add(m);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return taken;
            }, runnable -> new Thread(runnable).start()));
        }
        List<List<DatagramQueuedMessageDispatch>> results = new ArrayList<>();
        for (CompletableFuture<List<DatagramQueuedMessageDispatch>> w : workers) {
            results.add(w.get(10, TimeUnit.SECONDS));
        }
        assertTrue(results.contains(call), "one worker took the whole call in order: " + results);
        assertEquals(0, queue.size());
    }

    @Test
    void manyCalls_spreadOverAllLanes() {
        DialogOrderedQueue queue = new DialogOrderedQueue(4, 10_000);
        Set<Integer> lanes = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            lanes.add(queue.laneOf(message("c" + i + "@h", "INVITE sip:b@h SIP/2.0", 0)));
        }
        assertEquals(Set.of(0, 1, 2, 3), lanes);
    }

    @Test
    void capacity_isSharedByAllLanes() {
        DialogOrderedQueue queue = new DialogOrderedQueue(4, 3);
        assertTrue(queue.offer(message("a@h", "INVITE sip:b@h SIP/2.0", 0)));
        assertTrue(queue.offer(message("b@h", "INVITE sip:b@h SIP/2.0", 0)));
        assertTrue(queue.offer(message("c@h", "INVITE sip:b@h SIP/2.0", 0)));
        assertFalse(queue.offer(message("d@h", "INVITE sip:b@h SIP/2.0", 0)));
        assertEquals(3, queue.size());
        assertEquals(0, queue.remainingCapacity());
    }

    @Test
    void staleMessages_areDroppedFromTheHeadOfEveryLane() {
        DialogOrderedQueue queue = new DialogOrderedQueue(2, 100);
        for (int i = 0; i < 20; i++) {
            queue.offer(message("c" + i + "@h", "INVITE sip:b@h SIP/2.0", i < 10 ? 1_000 : 5_000));
        }
        assertEquals(10, queue.dropReceivedBefore(2_000));
        assertEquals(10, queue.size());
        List<DatagramQueuedMessageDispatch> left = new ArrayList<>();
        queue.drainTo(left);
        assertTrue(left.stream().allMatch(m -> m.getReceptionTime() == 5_000));
    }

    @Test
    void aThreadBoundToNoLane_pollsAnyLane_withoutTakingOne() {
        DialogOrderedQueue queue = new DialogOrderedQueue(2, 100);
        DatagramQueuedMessageDispatch m = message("x@h", "INVITE sip:b@h SIP/2.0", 0);
        queue.offer(m);
        assertSame(m, queue.peek());
        assertSame(m, queue.poll());
        assertNull(queue.poll());
    }
}
