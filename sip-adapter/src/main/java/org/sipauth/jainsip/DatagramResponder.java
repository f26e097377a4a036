package org.sipauth.jainsip;

/**
 * Answers INVITEs that {@link AuthorizingSipListener} accepted straight from their datagram, with
 * no server transaction, dialog or parsed message of the stack: for an application whose answer to
 * an authorized INVITE needs none of them (a responder that answers every call the same way, a
 * redirect server). Set with {@link AuthorizingSipListener.Builder#datagramResponder}.
 *
 * <p>Only UDP requests in the plain shape the stateless path reads reach it; everything else (TCP,
 * unusual header shapes, requests it declines) goes to the stack and the application's listener as
 * usual. Whatever the responder answers itself is its own duty under RFC 3261: a 2xx to an INVITE
 * must be retransmitted until its ACK arrives (13.3.1.4), which is why ACKs are offered to it as
 * well. A retransmitted copy of an INVITE it answered is absorbed by the listener (RFC 6026
 * Accepted state), so it is never offered twice within the listener's retransmission window.
 *
 * <p>Called on the stack's receiving threads, concurrently: implementations must be thread-safe
 * and must not block.
 */
public interface DatagramResponder {

    /**
     * An accepted INVITE: answer it ({@link DatagramRequest#send}) and return true, or return false
     * to hand it to the stack, which then gives it to the application with a server transaction.
     */
    boolean answer(DatagramRequest invite);

    /**
     * A copy of an INVITE accepted within the listener's retransmission window (not decided again).
     * A UAS core answers it with the same 2xx while that 2xx is unacknowledged (RFC 3261 13.3.1.4);
     * return true when it was sent again. The default drops the copy, as a server transaction in
     * RFC 6026's Accepted state does.
     */
    default boolean answerAgain(DatagramRequest copy) {
        return false;
    }

    /**
     * An ACK that does not belong to a stateless challenge or rejection: true when it acknowledges
     * an answer of this responder (it is dropped then), false to hand it to the stack.
     */
    boolean absorbAck(DatagramRequest ack);
}
