package org.sipauth.core.provisioning;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a list in the stable order {@code (dateCreated, sid)}.
 *
 * <p>The REST layer renders {@link #nextPage()} / {@link #previousPage()} verbatim as
 * {@code PageSize}, {@code Page} and (when non-null) {@code PageToken} query parameters.
 *
 * @param items        the resources, at most {@code request.pageSize()}
 * @param request      the request this page answers
 * @param nextPage     nullable: the request for the following page, present iff more items follow
 * @param previousPage nullable: the request for the preceding page
 */
public record Page<T>(List<T> items, PageRequest request, PageRequest nextPage, PageRequest previousPage) {

    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(request, "request");
    }

    /** The same page with each item converted (e.g. to a wire shape); the paging stays as it is. */
    public <R> Page<R> map(java.util.function.Function<? super T, ? extends R> convert) {
        return new Page<>(items.stream().<R>map(convert).toList(), request, nextPage, previousPage);
    }

    /** Client-side page number ({@code page}). */
    public int page() {
        return request.page();
    }

    public int pageSize() {
        return request.pageSize();
    }

    public boolean hasNext() {
        return nextPage != null;
    }

    public boolean hasPrevious() {
        return previousPage != null;
    }

    public Optional<PageRequest> next() {
        return Optional.ofNullable(nextPage);
    }

    public Optional<PageRequest> previous() {
        return Optional.ofNullable(previousPage);
    }

    /** The request for page 0 ({@code first_page_uri}). */
    public PageRequest firstPage() {
        return request.firstPage();
    }

    /** Index of the first item ({@code start} of a 2010 envelope): page * pageSize. */
    public long start() {
        return (long) request.page() * request.pageSize();
    }

    /** Index of the last item ({@code end}); equals {@link #start()} on an empty page. */
    public long end() {
        return items.isEmpty() ? start() : start() + items.size() - 1;
    }
}
