package org.sipauth.core.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.Sid;

/**
 * Paging over generated list sizes and page sizes (jqwik); {@link PagingTest} has the examples.
 * Apart from it because a class with both jqwik properties and Jupiter tests runs under both engines
 * as two test sets of one name, and surefire's XML report of the second replaces the first.
 */
class PagingPropertyTest {

    @Property(tries = 60)
    void walkingNext_yieldsEveryItemOnceInOrder(@ForAll @IntRange(min = 0, max = 40) int count,
                                                @ForAll @IntRange(min = 1, max = 12) int pageSize) {
        Fixture fresh = new Fixture();
        List<Sid> created = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            created.add(fresh.provisioning.credentialLists().create(fresh.account, "l" + i).sid());
        }
        List<Sid> seen = new ArrayList<>();
        Page<CredentialList> p = fresh.provisioning.credentialLists().list(fresh.account, PageRequest.first(pageSize));
        int pages = 1;
        seen.addAll(p.items().stream().map(CredentialList::sid).toList());
        while (p.hasNext()) {
            p = fresh.provisioning.credentialLists().list(fresh.account, p.nextPage());
            assertFalse(p.items().isEmpty());
            seen.addAll(p.items().stream().map(CredentialList::sid).toList());
            pages++;
        }
        assertEquals(created, seen);
        assertEquals(Math.max(1, (count + pageSize - 1) / pageSize), pages);
    }
}
