package gov.nist.javax.sip.stack;

import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.text.ParseException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jain-sip-ri's TCP channel with a reader of sipauth's own: messages are framed by
 * {@link StreamFramer} within {@link SipauthTcpLimits}, and each is parsed and handed to the stack on
 * the connection's own thread, in order.
 *
 * <p>Why not the RI's reader: it copies whatever the socket delivers onto an unbounded list for a
 * parser thread, whose line reader has no length limit; it has no idle timeout; and its parser,
 * after an over-long message, waits up to 64 s before the connection is closed, reading on all the
 * while. Here one thread per connection reads, parses and dispatches, so a connection holds at most
 * one header block and one body, and a peer that sends faster than the stack handles its messages
 * is slowed down by TCP flow control rather than queued in memory. It is also the RI's own mode
 * without {@code TCP_POST_PARSING_THREAD_POOL_SIZE}: messages of one connection are handled one after
 * another, messages of different connections in parallel.
 *
 * <p>Sending, connection caching and error handling are the RI's ({@link TCPMessageChannel}).
 * Threads: one reader per connection; {@code close()} and {@link #closeIfStalled} may come from any
 * thread (closing the socket ends the reader).
 */
final class LimitedTcpMessageChannel extends TCPMessageChannel {

    private static final Logger LOG = LoggerFactory.getLogger(LimitedTcpMessageChannel.class);
    private static final byte[] PONG = {'\r', '\n'};
    /** How long input is still read and dropped after a refusal, so that the answer is not lost to a reset. */
    private static final int DRAIN_MILLIS = 1000;

    private final LimitedTcpMessageProcessor processor;
    private final SipauthTcpLimits limits;
    /** Source whose admission slot this incoming connection holds; null for an outgoing one. */
    private final InetAddress admittedPeer;
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicBoolean stallClosed = new AtomicBoolean();
    /** When the reader started handling a message or writing ({@code System.nanoTime()}); 0 while it reads. */
    private volatile long busySince;

    /** An incoming connection, admitted by {@code processor} for {@code socket.getInetAddress()}. */
    LimitedTcpMessageChannel(Socket socket, SIPTransactionStack sipStack, LimitedTcpMessageProcessor processor,
            SipauthTcpLimits limits) throws IOException {
        super(sipStack);
        this.processor = processor;
        this.limits = limits;
        this.admittedPeer = socket.getInetAddress();
        // what the RI's accepting constructor sets; it also starts the reader thread, which must
        // not run before this object is complete, so that is left to start()
        mySock = socket;
        peerAddress = socket.getInetAddress();
        peerPort = socket.getPort();
        myAddress = processor.getIpAddress().getHostAddress();
        myPort = processor.getPort();
        myClientInputStream = socket.getInputStream();
        myClientOutputStream = socket.getOutputStream();
        key = MessageChannel.getKey(peerAddress, peerPort, "TCP");
        messageProcessor = processor;
    }

    /** An outgoing connection to {@code address:port}, connected when the first message is sent. */
    LimitedTcpMessageChannel(InetAddress address, int port, SIPTransactionStack sipStack,
            LimitedTcpMessageProcessor processor, SipauthTcpLimits limits) throws IOException {
        super(address, port, sipStack, processor);
        this.processor = processor;
        this.limits = limits;
        this.admittedPeer = null;
    }

    /** Starts reading an incoming connection. */
    void start() {
        Thread thread = new Thread(this, "TCPMessageChannelThread-" + peerAddress.getHostAddress() + ":" + peerPort);
        thread.setDaemon(true);
        mythread = thread;
        thread.start();
    }

    /**
     * Reads the connection until it ends or breaks a limit. The RI also runs this for an outgoing
     * connection once it is connected (and again if it replaces the socket).
     */
    @Override
    public void run() {
        Socket socket = mySock;
        synchronized (processor) {
            processor.useCount++;
        }
        try {
            if (socket != null) {
                read(socket);
            }
        } catch (IOException e) {
            LOG.debug("TCP connection {} failed: {}", key, e.toString());
        } finally {
            // The RI replaces the socket of an outgoing channel whose connection it had to reopen,
            // and runs a new reader on it; this reader then only lets go of the old one.
            if (mySock == socket || mySock == null) {
                isRunning = false;
                close();
                processor.remove(this);
            }
            synchronized (processor) {
                processor.useCount--;
            }
            releaseAdmission();
        }
    }

    private void read(Socket socket) throws IOException {
        StreamFramer framer = new StreamFramer(socket.getInputStream(), limits.maxHeaderSize,
                limits.idleTimeoutMillis, limits.messageTimeoutMillis, socket::setSoTimeout, System::nanoTime);
        MessageParser parser = sipStack.getMessageParserFactory().createMessageParser(sipStack);
        while (true) {
            StreamFramer.Frame frame = framer.next();
            switch (frame.kind()) {
                case PING -> write(socket, PONG);
                case HEADERS -> {
                    if (!handle(socket, framer, parser, frame.bytes())) {
                        return;
                    }
                }
                case HEADERS_TOO_LARGE -> {
                    processor.note(LimitedTcpMessageProcessor.Closure.HEADERS_TOO_LARGE);
                    refuse(socket, frame.bytes(), TooLargeReply.HEADERS_TOO_LARGE);
                    return;
                }
                case IDLE_TIMEOUT -> {
                    processor.note(LimitedTcpMessageProcessor.Closure.IDLE);
                    return;
                }
                case MESSAGE_TIMEOUT -> {
                    processor.note(LimitedTcpMessageProcessor.Closure.MESSAGE_TIMEOUT);
                    return;
                }
                default -> {
                    return; // END
                }
            }
        }
    }

    /** Parses, completes and dispatches one message; false when the connection must close. */
    private boolean handle(Socket socket, StreamFramer framer, MessageParser parser, byte[] headerBlock)
            throws IOException {
        SIPMessage message;
        try {
            // A malformed mandatory header reaches handleException, which answers it (see
            // WireTextParserFactory) and closes the socket. Any parse failure closes the
            // connection here as well: without a Content-Length the next message cannot be found.
            message = parser.parseSIPMessage(headerBlock, false, false, this);
        } catch (ParseException | RuntimeException e) {
            LOG.debug("TCP connection {}: unparseable message, closing: {}", key, e.toString());
            return false;
        }
        if (message == null) {
            return false;
        }
        int contentLength = message.getContentLength() instanceof ContentLength cl ? cl.getContentLength() : 0;
        if (contentLength < 0) {
            return false;
        }
        if (contentLength > limits.maxBodySize) {
            processor.note(LimitedTcpMessageProcessor.Closure.BODY_TOO_LARGE);
            refuse(socket, headerBlock, TooLargeReply.BODY_TOO_LARGE);
            return false;
        }
        StreamFramer.Frame body = framer.body(contentLength);
        if (body.kind() != StreamFramer.Kind.BODY) {
            if (body.kind() == StreamFramer.Kind.MESSAGE_TIMEOUT) {
                processor.note(LimitedTcpMessageProcessor.Closure.MESSAGE_TIMEOUT);
            }
            return false;
        }
        if (contentLength > 0) {
            message.setMessageContent(body.bytes());
        } else {
            message.removeContent();
        }
        dispatch(message);
        return true;
    }

    private void dispatch(SIPMessage message) {
        SIPEventInterceptor interceptor = sipStack.sipEventInterceptor;
        if (interceptor != null) {
            interceptor.beforeMessage(message);
        }
        busySince = busyNow();
        try {
            processMessage(message);
        } catch (Exception e) {
            // as the RI does: the connection carries other calls, so it stays open
            LOG.warn("TCP connection {}: processing a message failed: {}", key, e.toString());
        } finally {
            busySince = 0;
            if (interceptor != null) {
                interceptor.afterMessage(message);
            }
        }
    }

    /**
     * Answers a message refused for its size (when it can be answered) and closes the connection:
     * output first, then up to a header block and a body of what the peer still sends are read
     * and dropped, for at most a second, so that closing with unread input does not reset the
     * connection before the peer has read the answer.
     */
    private void refuse(Socket socket, byte[] head, String status) {
        byte[] reply = TooLargeReply.of(head, status);
        try {
            if (reply != null) {
                write(socket, reply);
            }
            socket.shutdownOutput();
            socket.setSoTimeout(DRAIN_MILLIS);
            InputStream in = socket.getInputStream();
            byte[] sink = new byte[4096];
            long budget = (long) limits.maxHeaderSize + limits.maxBodySize;
            long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000L;
            int n;
            while (budget > 0 && System.nanoTime() < deadline
                    && (n = in.read(sink, 0, (int) Math.min(sink.length, budget))) >= 0) {
                budget -= n;
            }
        } catch (IOException e) {
            LOG.debug("TCP connection {}: refusing failed: {}", key, e.toString());
        }
    }

    /** Writes on the connection, serialised with the RI's own writes to it (IOHandler locks the stream). */
    private void write(Socket socket, byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        boolean nested = busySince != 0;
        if (!nested) {
            busySince = busyNow();
        }
        try {
            synchronized (out) {
                out.write(bytes);
                out.flush();
            }
        } finally {
            if (!nested) {
                busySince = 0;
            }
        }
    }

    private static long busyNow() {
        return System.nanoTime() | 1; // never 0, which means "not busy"
    }

    /**
     * Closes the connection when its reader has been busy with one message or write for longer
     * than {@code limitNanos} (the peer does not read what it is sent, or the application is
     * stuck); true when this call closed it.
     */
    boolean closeIfStalled(long nowNanos, long limitNanos) {
        long since = busySince;
        if (since == 0 || nowNanos - since <= limitNanos || !stallClosed.compareAndSet(false, true)) {
            return false;
        }
        close(); // unblocks the stuck write; the reader then ends as for any closed connection
        return true;
    }

    /**
     * Serialized: the RI's close tests {@code mySock} for null, closes it and then nulls it, so the
     * reader closing on EOF and {@code stop()} or the watchdog closing at the same moment could both
     * pass the test, and the second then fails with a NullPointerException (seen when a stack stopped
     * while a peer hung up).
     */
    @Override
    public synchronized void close(boolean removeSocket, boolean stopKeepAliveTask) {
        super.close(removeSocket, stopKeepAliveTask);
    }

    private void releaseAdmission() {
        if (admittedPeer != null && released.compareAndSet(false, true)) {
            processor.release(admittedPeer);
        }
    }
}
