package org.sipauth.jainsip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.header.RetryAfter;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.SipStack;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jain-sip-ri message valve ({@code gov.nist.javax.sip.SIP_MESSAGE_VALVE}) that answers new requests
 * with {@code 503 Service Unavailable} and {@code Retry-After} while the stack holds
 * {@code gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS} server transactions or more.
 *
 * <p>Why: jain-sip-ri 1.3.0-91 reads {@code MAX_SERVER_TRANSACTIONS} but never enforces it (its
 * "unlimited" flag stays set), so under overload the transaction table grows until the heap is full.
 * ACK, CANCEL, BYE and PRACK and in-dialog requests (To-tag present) always pass: they end or confirm
 * work under way. The 503 is sent statelessly, so shedding costs no transaction.
 */
public final class OverloadValve implements SIPMessageValve {

    /** Seconds a shed client is asked to wait ({@code Retry-After}). */
    public static final int RETRY_AFTER_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(OverloadValve.class);
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    private volatile SipStackImpl stack;
    private volatile int maxServerTransactions = Integer.MAX_VALUE;
    private final AtomicLong shed = new AtomicLong();
    private final AtomicLong lastLogNanos = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
    private volatile long shedAtLastLog;

    /** Called by the RI (by class name). */
    public OverloadValve() {
    }

    @Override
    public void init(SipStack sipStack) {
        stack = (SipStackImpl) sipStack;
        String configured = stack.getConfigurationProperties().getProperty("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS");
        if (configured != null) {
            maxServerTransactions = Integer.parseInt(configured.trim());
        }
    }

    @Override
    public boolean processRequest(SIPRequest request, MessageChannel channel) {
        SipStackImpl current = stack;
        if (current == null || current.getServerTransactionTableSize() < maxServerTransactions) {
            return true;
        }
        String method = request.getMethod();
        if (Request.ACK.equals(method) || Request.CANCEL.equals(method) || Request.BYE.equals(method)
                || Request.PRACK.equals(method) || request.getToTag() != null) {
            return true;
        }
        try {
            SIPResponse response = request.createResponse(Response.SERVICE_UNAVAILABLE);
            RetryAfter retryAfter = new RetryAfter();
            retryAfter.setRetryAfter(RETRY_AFTER_SECONDS);
            response.setHeader(retryAfter);
            ToTags.ensure(response);
            channel.sendMessage(response);
        } catch (Exception e) {
            LOG.debug("could not send 503 under overload: {}", e.toString());
        }
        noteShed();
        return false;
    }

    @Override
    public boolean processResponse(Response response, MessageChannel channel) {
        return true;
    }

    @Override
    public void destroy() {
    }

    private void noteShed() {
        long total = shed.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLogNanos.get();
        if (now - last >= LOG_INTERVAL_NANOS && lastLogNanos.compareAndSet(last, now)) {
            long since = total - shedAtLastLog;
            shedAtLastLog = total;
            LOG.warn("overload: {} server transactions (limit {}); {} new requests answered 503 ({} since start)",
                    stack.getServerTransactionTableSize(), maxServerTransactions, since, total);
        }
    }
}
