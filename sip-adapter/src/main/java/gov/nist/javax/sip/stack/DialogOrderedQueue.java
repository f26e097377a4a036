package gov.nist.javax.sip.stack;

import java.util.AbstractQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The UDP receive queue, split into one lane per worker thread, a datagram's lane chosen by its
 * Call-ID: every message of a call is handled by one thread, in the order it arrived.
 *
 * <p>Why: with one shared queue, the stack's worker threads took the messages of a call in
 * parallel, so a proxy could forward the caller's BYE before its ACK, or relay a callee's 200 before
 * the 180 that preceded it on the wire (which then had to be dropped). A lane keeps what one peer
 * sent in order, as a single-threaded stack would, while different calls still spread over all
 * threads.
 *
 * <p>The jain-sip-ri worker threads (as many as there are lanes) only call {@link #take()} or
 * {@link #poll(long, TimeUnit)}; a thread's first such call binds it to the next lane. Capacity is
 * shared: {@link #offer} refuses once {@code capacity} datagrams wait in all lanes together
 * (concurrent readers may overshoot it by one each). {@link #peek()} and {@link #poll()} serve the
 * calling thread's lane, or any lane for a thread bound to none.
 */
final class DialogOrderedQueue extends AbstractQueue<DatagramQueuedMessageDispatch>
        implements BlockingQueue<DatagramQueuedMessageDispatch> {

    private final List<LinkedBlockingQueue<DatagramQueuedMessageDispatch>> lanes;
    private final int capacity;
    private final AtomicInteger nextLane = new AtomicInteger();
    private final ThreadLocal<LinkedBlockingQueue<DatagramQueuedMessageDispatch>> laneOfThread = new ThreadLocal<>();

    DialogOrderedQueue(int laneCount, int capacity) {
        if (laneCount < 1 || capacity < 1) {
            throw new IllegalArgumentException("lanes and capacity must be positive: " + laneCount + ", " + capacity);
        }
        List<LinkedBlockingQueue<DatagramQueuedMessageDispatch>> all = new ArrayList<>(laneCount);
        for (int i = 0; i < laneCount; i++) {
            all.add(new LinkedBlockingQueue<>());
        }
        this.lanes = List.copyOf(all);
        this.capacity = capacity;
    }

    /** The calling worker thread's lane, bound on its first call. */
    private LinkedBlockingQueue<DatagramQueuedMessageDispatch> ownLane() {
        LinkedBlockingQueue<DatagramQueuedMessageDispatch> lane = laneOfThread.get();
        if (lane == null) {
            lane = lanes.get(Math.floorMod(nextLane.getAndIncrement(), lanes.size()));
            laneOfThread.set(lane);
        }
        return lane;
    }

    /** Number of lanes. */
    int laneCount() {
        return lanes.size();
    }

    /** The lane a datagram goes to: by its Call-ID, or by its sender when it has none. */
    int laneOf(DatagramQueuedMessageDispatch message) {
        java.net.DatagramPacket packet = message.packet;
        int hash = CallIdHash.of(packet.getData(), packet.getOffset(), packet.getLength());
        if (hash == CallIdHash.NONE) {
            hash = 31 * java.util.Objects.hashCode(packet.getAddress()) + packet.getPort();
        }
        return Math.floorMod(hash ^ (hash >>> 16), lanes.size());
    }

    @Override
    public boolean offer(DatagramQueuedMessageDispatch message) {
        if (size() >= capacity) {
            return false;
        }
        return lanes.get(laneOf(message)).offer(message);
    }

    @Override
    public void put(DatagramQueuedMessageDispatch message) {
        lanes.get(laneOf(message)).add(message);
    }

    @Override
    public boolean offer(DatagramQueuedMessageDispatch message, long timeout, TimeUnit unit) {
        return offer(message);
    }

    @Override
    public DatagramQueuedMessageDispatch take() throws InterruptedException {
        return ownLane().take();
    }

    @Override
    public DatagramQueuedMessageDispatch poll(long timeout, TimeUnit unit) throws InterruptedException {
        return ownLane().poll(timeout, unit);
    }

    @Override
    public DatagramQueuedMessageDispatch poll() {
        LinkedBlockingQueue<DatagramQueuedMessageDispatch> own = laneOfThread.get();
        if (own != null) {
            return own.poll();
        }
        for (LinkedBlockingQueue<DatagramQueuedMessageDispatch> lane : lanes) {
            DatagramQueuedMessageDispatch message = lane.poll();
            if (message != null) {
                return message;
            }
        }
        return null;
    }

    @Override
    public DatagramQueuedMessageDispatch peek() {
        LinkedBlockingQueue<DatagramQueuedMessageDispatch> own = laneOfThread.get();
        if (own != null) {
            return own.peek();
        }
        for (LinkedBlockingQueue<DatagramQueuedMessageDispatch> lane : lanes) {
            DatagramQueuedMessageDispatch message = lane.peek();
            if (message != null) {
                return message;
            }
        }
        return null;
    }

    /** Removes, from the head of every lane, the messages received before {@code cutoffMillis}; returns how many. */
    int dropReceivedBefore(long cutoffMillis) {
        int removed = 0;
        for (LinkedBlockingQueue<DatagramQueuedMessageDispatch> lane : lanes) {
            DatagramQueuedMessageDispatch head;
            // remove(head), not poll(): a worker may take the head in between, and must keep it.
            while ((head = lane.peek()) != null && head.getReceptionTime() < cutoffMillis && lane.remove(head)) {
                removed++;
            }
        }
        return removed;
    }

    @Override
    public int size() {
        int size = 0;
        for (LinkedBlockingQueue<DatagramQueuedMessageDispatch> lane : lanes) {
            size += lane.size();
        }
        return size;
    }

    @Override
    public int remainingCapacity() {
        return Math.max(0, capacity - size());
    }

    @Override
    public Iterator<DatagramQueuedMessageDispatch> iterator() {
        List<DatagramQueuedMessageDispatch> all = new ArrayList<>();
        for (LinkedBlockingQueue<DatagramQueuedMessageDispatch> lane : lanes) {
            all.addAll(lane);
        }
        return all.iterator();
    }

    @Override
    public int drainTo(Collection<? super DatagramQueuedMessageDispatch> target) {
        return drainTo(target, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(Collection<? super DatagramQueuedMessageDispatch> target, int maxElements) {
        int moved = 0;
        for (LinkedBlockingQueue<DatagramQueuedMessageDispatch> lane : lanes) {
            if (moved >= maxElements) {
                break;
            }
            moved += lane.drainTo(target, maxElements - moved);
        }
        return moved;
    }
}
