package org.sipauth.jainsip;

/** 64-bit hashing pieces shared by the keyed hashes of {@link RecentTransactions} and {@link StatelessToTags}. */
final class Hash64 {

    /** The 64-bit FNV prime. */
    static final long FNV_PRIME = 0x100000001b3L;

    private Hash64() {
    }

    /** MurmurHash3's 64-bit finalizer: every input bit affects every output bit. */
    static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
