package org.sipauth.core.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sipauth.core.provisioning.Fixture.assertApiError;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.Sid;

class PagingTest {

    // ---- PageRequest parsing ------------------------------------------------------------------------

    @Test
    void parse_defaultsTo50ItemsOfPage0() {
        PageRequest r = PageRequest.parse(null, null, null);
        assertEquals(new PageRequest(50, 0, null), r);
        assertEquals(r, PageRequest.first());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "1000", "50", " 7 "})
    void parse_acceptsPageSizesFrom1To1000(String size) {
        assertEquals(Integer.parseInt(size.trim()), PageRequest.parse(size, "0", null).pageSize());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1001", "-1", "abc", "", "1e3", "99999999999"})
    void parse_rejectsOtherPageSizes(String size) {
        assertApiError(400, ApiException.BAD_REQUEST, () -> PageRequest.parse(size, null, null));
    }

    @Test
    void parse_rejectsNegativeOrNonNumericPages_andForeignTokens() {
        assertApiError(400, ApiException.BAD_REQUEST, () -> PageRequest.parse(null, "-1", null));
        assertApiError(400, ApiException.BAD_REQUEST, () -> PageRequest.parse(null, "one", null));
        assertApiError(400, ApiException.BAD_REQUEST, () -> PageRequest.parse(null, "1", "PAnot-base64!"));
        assertApiError(400, ApiException.BAD_REQUEST, () -> PageRequest.parse(null, "1", "XYZ"));
        assertApiError(400, ApiException.BAD_REQUEST, () -> PageRequest.parse(null, "1", "PA" + "QUJD")); // "ABC"
        assertEquals(3, PageRequest.parse(null, "3", null).page());
        assertNull(PageRequest.parse(null, "0", "").pageToken());
    }

    @Test
    void constructor_rejectsOutOfRangeValues() {
        assertThrows(IllegalArgumentException.class, () -> new PageRequest(0, 0, null));
        assertThrows(IllegalArgumentException.class, () -> new PageRequest(1001, 0, null));
        assertThrows(IllegalArgumentException.class, () -> new PageRequest(1, -1, null));
    }

    // ---- walking pages ------------------------------------------------------------------------------

    private final Fixture f = new Fixture();
    private final CredentialListService lists = f.provisioning.credentialLists();

    private List<CredentialList> createLists(int n) {
        List<CredentialList> created = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            created.add(lists.create(f.account, "list-" + i));
        }
        return created;
    }

    private Page<CredentialList> page(PageRequest request) {
        return lists.list(f.account, request);
    }

    @Test
    void emptyList_hasOneEmptyPage_withoutNeighbours() {
        Page<CredentialList> p = page(PageRequest.first());
        assertTrue(p.items().isEmpty());
        assertFalse(p.hasNext());
        assertFalse(p.hasPrevious());
        assertEquals(0, p.start());
        assertEquals(0, p.end());
    }

    @Test
    void exactlyFullLastPage_hasNoNext() {
        List<CredentialList> all = createLists(10);
        Page<CredentialList> p0 = page(PageRequest.first(5));
        assertEquals(all.subList(0, 5), p0.items());
        assertTrue(p0.hasNext());
        assertFalse(p0.hasPrevious());
        Page<CredentialList> p1 = page(p0.nextPage());
        assertEquals(all.subList(5, 10), p1.items());
        assertFalse(p1.hasNext());
        assertEquals(1, p1.page());
        assertEquals(5, p1.start());
        assertEquals(9, p1.end());
        assertEquals(p0.items(), page(p1.previousPage()).items());
    }

    @Test
    void pageSize1000_returnsEverythingOnOnePage_andPageSize1_walksOneByOne() {
        List<CredentialList> all = createLists(12);
        Page<CredentialList> big = page(PageRequest.first(1000));
        assertEquals(all, big.items());
        assertFalse(big.hasNext());
        Page<CredentialList> p = page(PageRequest.first(1));
        List<CredentialList> seen = new ArrayList<>(p.items());
        while (p.hasNext()) {
            p = page(p.nextPage());
            assertEquals(1, p.items().size());
            assertEquals(seen.size(), p.start());
            assertEquals(p.start(), p.end());
            seen.addAll(p.items());
        }
        assertEquals(all, seen);
        assertEquals(11, p.page());
    }

    @Test
    void pageNumberWithoutToken_isAnOffset_andBeyondTheEndIsEmpty() {
        List<CredentialList> all = createLists(7);
        Page<CredentialList> p2 = page(new PageRequest(3, 2, null));
        assertEquals(all.subList(6, 7), p2.items());
        assertFalse(p2.hasNext());
        assertEquals(all.subList(3, 6), page(p2.previousPage()).items());
        Page<CredentialList> p9 = page(new PageRequest(3, 9, null));
        assertTrue(p9.items().isEmpty());
        assertFalse(p9.hasNext());
        assertEquals(new PageRequest(3, 8, null), p9.previousPage());
        assertEquals(27, p9.start());
        assertEquals(27, p9.end());
        assertEquals(new PageRequest(3, 0, null), p9.firstPage());
        Page<CredentialList> huge = page(new PageRequest(1000, Integer.MAX_VALUE, null));
        assertTrue(huge.items().isEmpty());
    }

    @Test
    void walkingForwardThenBackward_visitsTheSamePages() {
        List<CredentialList> all = createLists(23);
        List<Page<CredentialList>> forward = new ArrayList<>();
        Page<CredentialList> p = page(PageRequest.first(5));
        forward.add(p);
        while (p.hasNext()) {
            p = page(p.nextPage());
            forward.add(p);
        }
        assertEquals(5, forward.size());
        assertEquals(all, forward.stream().flatMap(x -> x.items().stream()).toList());
        for (int i = 0; i < forward.size(); i++) {
            assertEquals(i, forward.get(i).page());
            assertEquals(i > 0, forward.get(i).hasPrevious());
        }
        List<List<CredentialList>> backward = new ArrayList<>();
        backward.add(p.items());
        while (p.hasPrevious()) {
            p = page(p.previousPage());
            backward.add(p.items());
        }
        Collections.reverse(backward);
        assertEquals(forward.stream().map(Page::items).toList(), backward);
        assertEquals(0, p.page());
    }

    @Test
    void tokens_keepTheWalkStable_whenRowsAreInsertedOrDeletedMeanwhile() {
        List<CredentialList> original = createLists(9);
        Page<CredentialList> p0 = page(PageRequest.first(3));
        // a row dated before everything (a clock step back) and rows at the end
        f.clock.set(Instant.parse("2020-01-01T00:00:00Z"));
        CredentialList early = lists.create(f.account, "early");
        f.clock.set(Instant.parse("2030-01-01T00:00:00Z"));
        CredentialList late = lists.create(f.account, "late");
        // and a deletion on the page already seen
        lists.delete(f.account, original.get(0).sid().value());

        Page<CredentialList> p1 = page(p0.nextPage());
        assertEquals(original.subList(3, 6), p1.items());
        Page<CredentialList> p2 = page(p1.nextPage());
        assertEquals(original.subList(6, 9), p2.items());
        Page<CredentialList> p3 = page(p2.nextPage());
        assertEquals(List.of(late), p3.items());
        assertFalse(p3.hasNext());
        // backward from page 1 now shows the current predecessors, including the early row
        Page<CredentialList> back = page(p1.previousPage());
        assertEquals(List.of(early, original.get(1), original.get(2)), back.items());
        assertFalse(back.hasPrevious());
    }

    @Test
    void tokenOfAnotherList_selectsOnlyTheCallersRows() {
        createLists(4);
        Page<CredentialList> p0 = page(PageRequest.first(2));
        Page<CredentialList> foreign = lists.list(f.otherAccount, p0.nextPage());
        assertTrue(foreign.items().isEmpty());
        assertFalse(foreign.hasNext());
    }

    @Test
    void forgedButWellFormedToken_isHarmless() {
        List<CredentialList> all = createLists(3);
        String token = PageTokens.after(new org.sipauth.core.store.PageQuery.Key(Instant.EPOCH, "CL"));
        assertEquals(all, page(new PageRequest(50, 0, token)).items());
        String bad = "PA" + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("1.2000000000.x".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertApiError(400, ApiException.BAD_REQUEST, () -> page(new PageRequest(50, 0, bad)));
    }
}
