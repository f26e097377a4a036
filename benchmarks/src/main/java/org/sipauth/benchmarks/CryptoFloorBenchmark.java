package org.sipauth.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The floor under {@code authorize()}: the JDK hashing a valid MD5 / SHA-256 qop=auth INVITE needs
 * at the least, with pre-initialised instances and one {@code update} per hash: the nonce check
 * (HMAC-SHA256 over the nonce's signed fields, realm, algorithm and source address) plus HA2 and the
 * response. The difference between {@code AuthorizeBenchmark} and this is sipauth's own cost.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar CryptoFloorBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
public class CryptoFloorBenchmark extends BenchmarkDefaults {

    private Mac hmac;
    private MessageDigest md5;
    private MessageDigest sha256;
    private byte[] nonceInput;
    private byte[] ha2Input;
    private byte[] responseInput;
    private byte[] responseInputSha;
    private final byte[] out = new byte[64];

    @Setup
    public void setUp() throws Exception {
        hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        md5 = MessageDigest.getInstance("MD5");
        sha256 = MessageDigest.getInstance("SHA-256");
        // key id, issue time, random (17 bytes) + realm + algorithm + IPv4 address, as NonceCodec signs
        nonceInput = new byte[17 + 1 + "sipauth.bench".length() + 1 + "SHA-256".length() + 1 + 4];
        ha2Input = ("INVITE:" + AuthorizeBenchmark.URI).getBytes(StandardCharsets.US_ASCII);
        String nonce = "A".repeat(44);
        responseInput = ("0123456789abcdef0123456789abcdef:" + nonce + ":00000001:0a4f113b:auth:"
                + "0123456789abcdef0123456789abcdef").getBytes(StandardCharsets.US_ASCII);
        responseInputSha = ("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef:" + nonce
                + ":00000001:0a4f113b:auth:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Benchmark
    public byte[] md5Floor() throws Exception {
        return floor(md5, responseInput, 16);
    }

    @Benchmark
    public byte[] sha256Floor() throws Exception {
        return floor(sha256, responseInputSha, 32);
    }

    /** The nonce HMAC, then HA2 and the response with {@code digest}: HA2 at 32, the response in the last {@code length} bytes of {@link #out}. */
    private byte[] floor(MessageDigest digest, byte[] response, int length) throws Exception {
        hmac.update(nonceInput);
        hmac.doFinal(out, 0);
        digest.update(ha2Input);
        digest.digest(out, 32, length);
        digest.update(response);
        digest.digest(out, out.length - length, length);
        return out;
    }

    @Benchmark
    public byte[] nonceHmacOnly() throws Exception {
        hmac.update(nonceInput);
        hmac.doFinal(out, 0);
        return out;
    }
}
